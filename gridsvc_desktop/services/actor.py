"""Who is acting, and what each role may do."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from gridsvc_desktop.domain.enums import Role


class Permission(StrEnum):
    view = "view"
    edit = "edit"  # customers, calls, work orders at the desk
    dispatch = "dispatch"  # assign, reassign, merge, cancel orders
    manage_grids = "manage_grids"  # grids, roster, contacts, transformer areas
    import_ledgers = "import_ledgers"
    export = "export"
    print = "print"
    unmask = "unmask"  # see full phone and ID numbers
    manage_users = "manage_users"
    manage_settings = "manage_settings"
    view_audit = "view_audit"  # read and export the audit trail; manage backups


P = Permission
PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.staff: frozenset({P.view, P.edit, P.print}),
    Role.lead: frozenset({P.view, P.edit, P.dispatch, P.manage_grids, P.export, P.print, P.unmask}),
    Role.admin: frozenset(Permission),
}


class PermissionDenied(Exception):
    """The acting user's role does not allow this action (message for the user)."""


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    username: str
    role: Role

    def may(self, permission: Permission) -> bool:
        return permission in PERMISSIONS[self.role]

    def require(self, permission: Permission) -> None:
        if not self.may(permission):
            raise PermissionDenied(
                f"用户“{self.username}”（{self.role.label}）没有“{PERMISSION_LABELS[permission]}”权限。"
            )


PERMISSION_LABELS: dict[Permission, str] = {
    P.view: "查看",
    P.edit: "编辑",
    P.dispatch: "派单",
    P.manage_grids: "网格与人员管理",
    P.import_ledgers: "导入台账",
    P.export: "导出",
    P.print: "打印",
    P.unmask: "查看完整个人信息",
    P.manage_users: "用户管理",
    P.manage_settings: "系统设置",
    P.view_audit: "查看审计日志与备份",
}

SYSTEM = Actor(user_id=None, username="system", role=Role.admin)
