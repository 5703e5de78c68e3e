"""The roster: staff, their specialties and the grids they cover."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import delete
from sqlmodel import Session, select

from gridsvc_desktop.db.models import Grid, GridMember, Staff, StaffSpecialty
from gridsvc_desktop.domain import normalize
from gridsvc_desktop.domain.enums import GridRole, Specialty
from gridsvc_desktop.services import audit
from gridsvc_desktop.services.actor import Actor, Permission
from gridsvc_desktop.services.common import InvalidInput, apply_update, get_or_raise


@dataclass
class StaffInput:
    employee_no: str
    name: str
    phone: str = ""
    position: str = ""
    team: str = ""
    specialties: list[Specialty] = field(default_factory=list)
    notes: str = ""


def _staff_values(data: StaffInput) -> dict[str, object]:
    employee_no = normalize.clean_text(data.employee_no).upper()
    if not employee_no:
        raise InvalidInput("工号不能为空。", "employee_no")
    name = normalize.clean_text(data.name)
    if not name:
        raise InvalidInput("姓名不能为空。", "name")
    phone = ""
    if normalize.clean_text(data.phone):
        try:
            phone = normalize.phone(data.phone)
        except normalize.NormalizeError as exc:
            raise InvalidInput(f"手机：{exc}", "phone") from exc
    return {
        "employee_no": employee_no,
        "name": name,
        "phone": phone,
        "position": normalize.clean_text(data.position),
        "team": normalize.clean_text(data.team),
        "notes": data.notes,
    }


def _set_specialties(session: Session, staff_id: int, specialties: list[Specialty]) -> None:
    session.execute(delete(StaffSpecialty).where(StaffSpecialty.staff_id == staff_id))  # type: ignore[arg-type]
    for sp in dict.fromkeys(specialties):
        session.add(StaffSpecialty(staff_id=staff_id, specialty=sp))


def specialties_of(session: Session, staff_id: int) -> list[Specialty]:
    return list(
        session.execute(
            select(StaffSpecialty.specialty).where(StaffSpecialty.staff_id == staff_id)
        ).scalars()
    )


def create_staff(*, session: Session, actor: Actor, data: StaffInput) -> Staff:
    actor.require(Permission.manage_grids)
    values = _staff_values(data)
    if session.execute(select(Staff.id).where(Staff.employee_no == values["employee_no"])).first():
        raise InvalidInput(f"工号“{values['employee_no']}”已存在。", "employee_no")
    staff = Staff(**values)  # type: ignore[arg-type]
    session.add(staff)
    session.flush()
    assert staff.id is not None
    _set_specialties(session, staff.id, data.specialties)
    after = {**values, "specialties": [s.value for s in data.specialties]}
    audit.record(session, actor, "create", "staff", staff.id, after=after)
    return staff


def update_staff(
    *,
    session: Session,
    actor: Actor,
    staff_id: int,
    data: StaffInput,
    expected_version: int | None = None,
) -> Staff:
    actor.require(Permission.manage_grids)
    staff = get_or_raise(session, Staff, staff_id, "人员")
    values = _staff_values(data)
    if values["employee_no"] != staff.employee_no:
        raise InvalidInput("工号不能修改。", "employee_no")
    apply_update(session, actor, staff, values, entity="staff", expected_version=expected_version)
    old = specialties_of(session, staff_id)
    if set(old) != set(data.specialties):
        _set_specialties(session, staff_id, data.specialties)
        audit.record(
            session, actor, "update", "staff", staff_id,
            before={"specialties": sorted(s.value for s in old)},
            after={"specialties": sorted(s.value for s in data.specialties)},
        )  # fmt: skip
    return staff


def deactivate_staff(*, session: Session, actor: Actor, staff_id: int) -> Staff:
    """A person who leaves is deactivated, never deleted, so history keeps names."""
    actor.require(Permission.manage_grids)
    staff = get_or_raise(session, Staff, staff_id, "人员")
    apply_update(session, actor, staff, {"active": False}, entity="staff")
    return staff


def set_grid_member(
    *, session: Session, actor: Actor, grid_id: int, staff_id: int, role: GridRole | None
) -> None:
    """Add, change or (role None) remove a person's place in a grid."""
    actor.require(Permission.manage_grids)
    grid = get_or_raise(session, Grid, grid_id, "网格")
    staff = get_or_raise(session, Staff, staff_id, "人员")
    member = session.get(GridMember, (grid_id, staff_id))
    before = {"role": member.role.value} if member else None
    if role is None:
        if member is not None:
            session.delete(member)
    else:
        if not staff.active:
            raise InvalidInput(f"{staff.name} 已停用。", "staff_id")
        if member is None:
            member = GridMember(grid_id=grid_id, staff_id=staff_id, role=role)
        member.role = role
        session.add(member)
        if role == GridRole.manager and grid.manager_id != staff_id:
            apply_update(session, actor, grid, {"manager_id": staff_id}, entity="grid")
    after = {"role": role.value} if role else None
    audit.record(
        session, actor, "update", "grid_member", f"{grid_id}:{staff_id}", before=before, after=after
    )
