"""The roster: staff, their specialties, the grids they cover, and their leave.

- A person who leaves is deactivated, never deleted, so history keeps names.
  Deactivating someone who still holds open work orders is refused
  (`StaffHasOpenWork`, with the list): a lead reassigns them first, so no
  order is left with an owner nobody routes to.
- Leave (`StaffLeave`) names a substitute; `substitute_for` tells routing who
  answers for a person on a given day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import Enum

from sqlalchemy import delete
from sqlmodel import Session, col, select

from gridsvc_desktop.db.models import (
    AdminArea,
    Grid,
    GridMember,
    Staff,
    StaffLeave,
    StaffSpecialty,
    WorkOrder,
)
from gridsvc_desktop.domain import normalize
from gridsvc_desktop.domain.enums import GridRole, Specialty
from gridsvc_desktop.services import audit
from gridsvc_desktop.services.actor import Actor, Permission
from gridsvc_desktop.services.common import InvalidInput, apply_update, get_or_raise
from gridsvc_desktop.services.grids import OpenOrder, open_orders


class Keep(Enum):
    """Marks an input field the caller did not set: the stored value stays."""

    KEEP = "keep"


KEEP = Keep.KEEP


@dataclass
class StaffInput:
    employee_no: str
    name: str
    phone: str = ""
    position: str = ""
    team: str = ""
    specialties: list[Specialty] = field(default_factory=list)
    notes: str = ""
    #: Where the person is based (a town or community); KEEP leaves it as stored.
    base_area_id: int | Keep | None = KEEP


class StaffHasOpenWork(InvalidInput):
    """Deactivation refused: the person still holds open work orders (listed)."""

    def __init__(self, staff_name: str, orders: list[OpenOrder]) -> None:
        listed = "、".join(o.number for o in orders[:10])
        more = f" 等 {len(orders)} 张" if len(orders) > 10 else f" 共 {len(orders)} 张"
        super().__init__(
            f"{staff_name} 还有未办结工单（{listed}{more}），请先改派再停用。", "active"
        )
        self.orders = orders


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


def _base_value(session: Session, data: StaffInput) -> dict[str, object]:
    if isinstance(data.base_area_id, Keep):
        return {}
    if data.base_area_id is not None:
        get_or_raise(session, AdminArea, data.base_area_id, "驻地")
    return {"base_area_id": data.base_area_id}


def _set_specialties(session: Session, staff_id: int, specialties: list[Specialty]) -> None:
    session.execute(delete(StaffSpecialty).where(col(StaffSpecialty.staff_id) == staff_id))
    for sp in dict.fromkeys(specialties):
        session.add(StaffSpecialty(staff_id=staff_id, specialty=sp))


def specialties_of(session: Session, staff_id: int) -> list[Specialty]:
    return list(
        session.execute(
            select(StaffSpecialty.specialty).where(StaffSpecialty.staff_id == staff_id)
        ).scalars()
    )


def employee_no_taken(session: Session, employee_no: str) -> bool:
    key = normalize.clean_text(employee_no).upper()
    return session.execute(select(Staff.id).where(Staff.employee_no == key)).first() is not None


def create_staff(*, session: Session, actor: Actor, data: StaffInput) -> Staff:
    actor.require(Permission.manage_grids)
    values = {**_staff_values(data), **_base_value(session, data)}
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
    values = {**_staff_values(data), **_base_value(session, data)}
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


def open_orders_of(session: Session, staff_id: int) -> list[OpenOrder]:
    """Open work orders assigned to this person."""
    return open_orders(session, col(WorkOrder.assignee_id) == staff_id)


def deactivate_staff(*, session: Session, actor: Actor, staff_id: int) -> Staff:
    """A person who leaves is deactivated, never deleted, so history keeps names.

    Refused (StaffHasOpenWork, listing them) while the person holds open work
    orders. Their grid places stay as they were, so the coverage report shows
    the grids that lost their manager or a specialty until a lead fills them.
    """
    actor.require(Permission.manage_grids)
    staff = get_or_raise(session, Staff, staff_id, "人员")
    if not staff.active:
        return staff
    orders = open_orders_of(session, staff_id)
    if orders:
        raise StaffHasOpenWork(staff.name, orders)
    apply_update(session, actor, staff, {"active": False}, entity="staff")
    return staff


def reactivate_staff(*, session: Session, actor: Actor, staff_id: int) -> Staff:
    actor.require(Permission.manage_grids)
    staff = get_or_raise(session, Staff, staff_id, "人员")
    apply_update(session, actor, staff, {"active": True}, entity="staff")
    return staff


def managed_grids(session: Session, staff_id: int) -> list[str]:
    """Names of the grids this person manages."""
    return list(
        session.execute(
            select(Grid.name).where(Grid.manager_id == staff_id).order_by(col(Grid.code))
        ).scalars()
    )


# --------------------------------------------------------------------------- grid places


def set_grid_member(
    *, session: Session, actor: Actor, grid_id: int, staff_id: int, role: GridRole | None
) -> None:
    """Add, change or (role None) remove a person's place in a grid.

    Making someone manager makes them the grid's manager (the previous
    manager's place goes); removing the manager leaves the grid without one.
    """
    actor.require(Permission.manage_grids)
    grid = get_or_raise(session, Grid, grid_id, "网格")
    staff = get_or_raise(session, Staff, staff_id, "人员")
    member = session.get(GridMember, (grid_id, staff_id))
    before = {"role": member.role.value} if member else None
    if role is None:
        if member is not None:
            session.delete(member)
        if grid.manager_id == staff_id:
            apply_update(session, actor, grid, {"manager_id": None}, entity="grid")
    else:
        if not staff.active:
            raise InvalidInput(f"{staff.name} 已停用。", "staff_id")
        if member is None:
            member = GridMember(grid_id=grid_id, staff_id=staff_id, role=role)
        member.role = role
        session.add(member)
        if role == GridRole.manager and grid.manager_id != staff_id:
            old = grid.manager_id
            apply_update(session, actor, grid, {"manager_id": staff_id}, entity="grid")
            old_row = session.get(GridMember, (grid_id, old)) if old is not None else None
            if old_row is not None and old_row.role == GridRole.manager:
                session.delete(old_row)
                audit.record(
                    session, actor, "update", "grid_member", f"{grid_id}:{old}",
                    before={"role": GridRole.manager.value}, after=None,
                )  # fmt: skip
        elif role == GridRole.member and grid.manager_id == staff_id:
            apply_update(session, actor, grid, {"manager_id": None}, entity="grid")
    after = {"role": role.value} if role else None
    audit.record(
        session, actor, "update", "grid_member", f"{grid_id}:{staff_id}", before=before, after=after
    )
    session.flush()


@dataclass(frozen=True)
class Placement:
    """One person's place in one grid."""

    grid_id: int
    grid: str
    staff_id: int
    staff: str
    role: GridRole
    active: bool


def placements(
    session: Session, *, grid_id: int | None = None, staff_id: int | None = None
) -> list[Placement]:
    """Grid places of one grid, one person, or (neither given) everyone."""
    stmt = (
        select(GridMember, Grid.name, Staff.name, Staff.active)
        .join(Grid, col(Grid.id) == col(GridMember.grid_id))
        .join(Staff, col(Staff.id) == col(GridMember.staff_id))
    )
    if grid_id is not None:
        stmt = stmt.where(GridMember.grid_id == grid_id)
    if staff_id is not None:
        stmt = stmt.where(GridMember.staff_id == staff_id)
    stmt = stmt.order_by(col(Grid.code), col(GridMember.role), col(Staff.employee_no))
    return [
        Placement(m.grid_id, g, m.staff_id, s, m.role, bool(active))
        for m, g, s, active in session.execute(stmt).all()
    ]


# --------------------------------------------------------------------------- leave


@dataclass
class LeaveInput:
    staff_id: int
    start: dt.date
    end: dt.date
    substitute_id: int | None = None
    reason: str = ""


def _overlapping(
    session: Session, staff_id: int, start: dt.date, end: dt.date, skip: int | None = None
) -> StaffLeave | None:
    stmt = select(StaffLeave).where(
        StaffLeave.staff_id == staff_id, col(StaffLeave.start) <= end, col(StaffLeave.end) >= start
    )
    if skip is not None:
        stmt = stmt.where(StaffLeave.id != skip)
    return session.execute(stmt.limit(1)).scalars().first()


def add_leave(*, session: Session, actor: Actor, data: LeaveInput) -> StaffLeave:
    """Record leave with a substitute (who stands in for the whole period)."""
    actor.require(Permission.manage_grids)
    staff = get_or_raise(session, Staff, data.staff_id, "人员")
    if data.end < data.start:
        raise InvalidInput("结束日期不能早于开始日期。", "end")
    if _overlapping(session, data.staff_id, data.start, data.end):
        raise InvalidInput(f"{staff.name} 在这段时间已有请假记录。", "start")
    if data.substitute_id is not None:
        if data.substitute_id == data.staff_id:
            raise InvalidInput("代班人不能是本人。", "substitute_id")
        sub = get_or_raise(session, Staff, data.substitute_id, "代班人")
        if not sub.active:
            raise InvalidInput(f"{sub.name} 已停用，不能代班。", "substitute_id")
        clash = _overlapping(session, data.substitute_id, data.start, data.end)
        if clash is not None:
            raise InvalidInput(
                f"{sub.name} 在 {clash.start:%m-%d} 至 {clash.end:%m-%d} 也请假，不能代班。",
                "substitute_id",
            )
    leave = StaffLeave(
        staff_id=data.staff_id,
        substitute_id=data.substitute_id,
        start=data.start,
        end=data.end,
        reason=normalize.clean_text(data.reason),
    )
    session.add(leave)
    session.flush()
    audit.record(session, actor, "create", "staff_leave", leave.id, after=leave)
    return leave


def cancel_leave(*, session: Session, actor: Actor, leave_id: int) -> None:
    """Withdraw a leave record (the audit trail keeps what it said)."""
    actor.require(Permission.manage_grids)
    leave = get_or_raise(session, StaffLeave, leave_id, "请假记录")
    audit.record(session, actor, "delete", "staff_leave", leave_id, before=leave)
    session.delete(leave)
    session.flush()


@dataclass(frozen=True)
class LeaveRow:
    id: int
    staff_id: int
    start: dt.date
    end: dt.date
    substitute_id: int | None
    substitute: str
    reason: str


def leaves_of(session: Session, staff_id: int, *, since: dt.date | None = None) -> list[LeaveRow]:
    """A person's leave, ending on or after `since` (all if None), by start date."""
    stmt = (
        select(StaffLeave, Staff.name)
        .outerjoin(Staff, col(Staff.id) == col(StaffLeave.substitute_id))
        .where(StaffLeave.staff_id == staff_id)
    )
    if since is not None:
        stmt = stmt.where(col(StaffLeave.end) >= since)
    return [
        LeaveRow(lv.id, lv.staff_id, lv.start, lv.end, lv.substitute_id, name or "", lv.reason)
        for lv, name in session.execute(stmt.order_by(col(StaffLeave.start))).all()
    ]


def on_leave(session: Session, staff_id: int, on: dt.date | None = None) -> StaffLeave | None:
    """The leave covering `on` (today by default), if any."""
    day = on or dt.date.today()
    return _overlapping(session, staff_id, day, day)


def substitute_for(session: Session, staff_id: int, on: dt.date | None = None) -> int | None:
    """Who answers for `staff_id` on `on` (today by default): routing's question.

    - the person themselves, when active and not on leave that day;
    - on leave: their substitute, followed on if the substitute is away too
      (a chain of leaves), never round in a circle;
    - None when nobody is available: an inactive person, leave without a
      substitute, or a chain that ends with someone inactive or away. Routing
      then falls back to the grid's team or the lead.
    """
    day = on or dt.date.today()
    seen: set[int] = set()
    current: int | None = staff_id
    while current is not None and current not in seen:
        seen.add(current)
        person = session.get(Staff, current)
        if person is None or not person.active:
            return None
        leave = on_leave(session, current, day)
        if leave is None:
            return current
        current = leave.substitute_id
    return None


# --------------------------------------------------------------------------- listing


@dataclass(frozen=True)
class StaffRow:
    """One line of the roster, with what the table shows."""

    id: int
    employee_no: str
    name: str
    phone: str
    position: str
    team: str
    base_area_id: int | None
    base_area: str
    specialties: tuple[Specialty, ...]
    grids: tuple[tuple[str, GridRole], ...]
    active: bool
    on_leave_until: dt.date | None
    substitute: str
    notes: str
    version: int

    @property
    def specialty_labels(self) -> str:
        return "、".join(s.label for s in self.specialties)

    @property
    def grid_labels(self) -> str:
        return "、".join(
            f"{name}（经理）" if role == GridRole.manager else name for name, role in self.grids
        )


def list_staff(session: Session, *, today: dt.date | None = None) -> list[StaffRow]:
    """The whole roster (hundreds of rows at most), by employee number."""
    day = today or dt.date.today()
    town = AdminArea.__table__.alias("town")  # type: ignore[attr-defined]
    places: dict[int, str] = {
        int(i): (f"{t}·{n}" if t else n)
        for i, n, t in session.execute(
            select(AdminArea.id, AdminArea.name, town.c.name).outerjoin(
                town, town.c.id == col(AdminArea.parent_id)
            )
        ).all()
    }
    specs: dict[int, list[Specialty]] = {}
    for sid, sp in session.execute(select(StaffSpecialty.staff_id, StaffSpecialty.specialty)):
        specs.setdefault(sid, []).append(sp)
    grids: dict[int, list[tuple[str, GridRole]]] = {}
    for sid, gname, role in session.execute(
        select(GridMember.staff_id, Grid.name, GridMember.role)
        .join(Grid, col(Grid.id) == col(GridMember.grid_id))
        .order_by(col(GridMember.role), col(Grid.code))
    ):
        grids.setdefault(sid, []).append((gname, role))
    leave: dict[int, tuple[dt.date, str]] = {}
    sub = Staff.__table__.alias("sub")  # type: ignore[attr-defined]
    for sid, end, sub_name in session.execute(
        select(col(StaffLeave.staff_id), col(StaffLeave.end), sub.c.name)
        .outerjoin(sub, sub.c.id == col(StaffLeave.substitute_id))
        .where(col(StaffLeave.start) <= day, col(StaffLeave.end) >= day)
    ):
        leave[sid] = (end, sub_name or "")
    order = list(Specialty)
    rows = []
    for s in session.execute(select(Staff).order_by(col(Staff.employee_no))).scalars():
        assert s.id is not None
        until, substitute = leave.get(s.id, (None, ""))
        rows.append(
            StaffRow(
                id=s.id,
                employee_no=s.employee_no,
                name=s.name,
                phone=s.phone,
                position=s.position,
                team=s.team,
                base_area_id=s.base_area_id,
                base_area=places.get(s.base_area_id, "") if s.base_area_id else "",
                specialties=tuple(sorted(specs.get(s.id, []), key=order.index)),
                grids=tuple(grids.get(s.id, [])),
                active=s.active,
                on_leave_until=until,
                substitute=substitute,
                notes=s.notes,
                version=s.version,
            )
        )
    return rows


def staff_choices(session: Session, *, active_only: bool = True) -> list[tuple[int, str]]:
    """(id, "name（employee no.，team）") for pickers."""
    stmt = select(Staff.id, Staff.name, Staff.employee_no, Staff.team)
    if active_only:
        stmt = stmt.where(col(Staff.active).is_(True))
    return [
        (int(i), f"{n}（{e}{'，' + t if t else ''}）")
        for i, n, e, t in session.execute(stmt.order_by(col(Staff.employee_no))).all()
    ]


def teams(session: Session) -> list[str]:
    """The teams (班组) named on the roster."""
    return [
        t
        for t in session.execute(
            select(Staff.team).where(Staff.team != "").distinct().order_by(col(Staff.team))
        ).scalars()
    ]


__all__ = [
    "KEEP",
    "Keep",
    "LeaveInput",
    "LeaveRow",
    "Placement",
    "StaffHasOpenWork",
    "StaffInput",
    "StaffRow",
    "add_leave",
    "cancel_leave",
    "create_staff",
    "deactivate_staff",
    "employee_no_taken",
    "leaves_of",
    "list_staff",
    "managed_grids",
    "on_leave",
    "open_orders_of",
    "placements",
    "reactivate_staff",
    "set_grid_member",
    "specialties_of",
    "staff_choices",
    "substitute_for",
    "teams",
    "update_staff",
]
