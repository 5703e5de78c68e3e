"""Routing: customer → transformer area → grid → who does the work.

- a dedicated-manager grid (专职网格经理) sends every order to its manager;
- a team grid (网格服务团队) sends it to the active member whose specialty fits
  the order (故障报修 → repair, 抄表收费 → metering and billing…; 咨询, 投诉
  and the like → a generalist), the one with the fewest open orders first,
  then the grid manager when nobody fits;
- whoever is on leave today is replaced by the substitute their leave names
  (`roster.substitute_for`: followed through a chain of leaves, never round
  in a circle);
- an order whose customer is in no grid is left for the lead to dispatch.

The lead can always dispatch to someone else (`work_orders.reassign`); the
order's history keeps both the routed and the chosen person.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import func
from sqlmodel import Session, col, select

from gridsvc_desktop.db.models import (
    AdminArea,
    Customer,
    Grid,
    GridMember,
    Staff,
    StaffLeave,
    StaffSpecialty,
    TransformerArea,
    WorkOrder,
)
from gridsvc_desktop.domain.enums import (
    AreaClass,
    GridRole,
    OrderSubtype,
    OrderType,
    ServiceMode,
    Specialty,
)
from gridsvc_desktop.domain.order_states import OPEN_STATUSES, specialty_for
from gridsvc_desktop.services import roster
from gridsvc_desktop.services.station import get_station

__all__ = [
    "Route",
    "StaffChoice",
    "leave_today",
    "open_load",
    "route_order",
    "staff_choices",
]


@dataclass(frozen=True)
class Route:
    """Where an order goes, and why (the reason is shown to the desk)."""

    grid_id: int | None
    grid_name: str
    area_class: AreaClass
    transformer_area_id: int | None
    assignee_id: int | None
    assignee_name: str
    specialty: Specialty
    reason: str
    #: The person the order would have gone to, were they not on leave.
    instead_of_id: int | None = None
    instead_of_name: str = ""


@dataclass(frozen=True)
class _Person:
    id: int
    name: str
    is_manager: bool = False


def route_order(
    session: Session,
    *,
    order_type: OrderType,
    subtype: OrderSubtype = OrderSubtype.none,
    customer_id: int | None = None,
    transformer_area_id: int | None = None,
    on: dt.date | None = None,
) -> Route:
    """Who should take an order of `order_type` for this customer (or transformer
    area, which wins when both are given) on day `on` (today)."""
    on = on or dt.date.today()
    spec = specialty_for(order_type, subtype)
    customer = session.get(Customer, customer_id) if customer_id is not None else None
    if transformer_area_id is None and customer is not None:
        transformer_area_id = customer.transformer_area_id
    ta = session.get(TransformerArea, transformer_area_id) if transformer_area_id else None
    grid = session.get(Grid, ta.grid_id) if ta is not None and ta.grid_id else None
    area_class = _area_class(session, grid, ta, customer)
    ta_id = ta.id if ta is not None else None
    if grid is None:
        why = "客户未关联台区" if ta is None else f"台区“{ta.name}”不属于任何网格"
        return Route(None, "", area_class, ta_id, None, "", spec, f"{why}，请班长派单。")
    assert grid.id is not None

    manager = _manager(session, grid)
    if ServiceMode(grid.service_mode) is ServiceMode.dedicated_manager:
        tiers = [[manager]] if manager else []
        basis = "专职网格经理"
    else:
        members = _members(session, grid.id, manager)
        specs = _specialties(session, [m.id for m in members])
        fitting = [m for m in members if spec in specs.get(m.id, set())]
        general = [m for m in members if Specialty.general in specs.get(m.id, set())]
        tiers = [t for t in (fitting, general, [manager] if manager else []) if t]
        basis = f"网格服务团队·{spec.label}"
    if not tiers:
        return Route(
            grid.id, grid.name, area_class, ta_id, None, "", spec,
            f"网格“{grid.name}”没有网格经理或成员，请班长派单。",
        )  # fmt: skip

    tier = tiers[0]
    # Who answers for each: themselves, or the substitute their leave names.
    answers = {p.id: roster.substitute_for(session, p.id, on) for p in tier}
    present = [p for p in tier if answers[p.id] == p.id]
    if present:
        chosen = _least_loaded(session, present)
        load = open_load(session, [chosen.id]).get(chosen.id, 0)
        reason = f"{basis}：{chosen.name}（未办结 {load} 张）"
        if len(tier) == 1:
            reason = f"{basis}：{chosen.name}"
        return Route(
            grid.id, grid.name, area_class, ta_id, chosen.id, chosen.name, spec, reason
        )  # fmt: skip

    # Everyone who fits is on leave: their substitutes, the least loaded first.
    stand_ins: dict[int, tuple[_Person, _Person]] = {}  # substitute id → (substitute, absent)
    for person in tier:
        sub_id = answers[person.id]
        if sub_id is not None and sub_id not in stand_ins:
            sub = session.get(Staff, sub_id)
            stand_ins[sub_id] = (_Person(sub_id, sub.name if sub else str(sub_id)), person)
    if not stand_ins:
        absent = _least_loaded(session, tier)
        return Route(
            grid.id, grid.name, area_class, ta_id, None, "", spec,
            f"{absent.name}休假（或已停用）且没有可代班的人，请班长派单。",
            instead_of_id=absent.id, instead_of_name=absent.name,
        )  # fmt: skip
    chosen = _least_loaded(session, [sub for sub, _ in stand_ins.values()])
    instead = stand_ins[chosen.id][1]
    return Route(
        grid.id, grid.name, area_class, ta_id, chosen.id, chosen.name, spec,
        f"{basis}：{instead.name}休假，由{chosen.name}代班",
        instead_of_id=instead.id, instead_of_name=instead.name,
    )  # fmt: skip


def _area_class(
    session: Session, grid: Grid | None, ta: TransformerArea | None, customer: Customer | None
) -> AreaClass:
    """The grid's area class, else the community's, else the station's default."""
    if grid is not None:
        return AreaClass(grid.area_class)
    for community_id in (
        ta.community_id if ta is not None else None,
        customer.community_id if customer is not None else None,
    ):
        if community_id:
            area = session.get(AdminArea, community_id)
            if area is not None:
                return AreaClass(area.area_class)
    station = get_station(session)
    return AreaClass(station.default_area_class) if station is not None else AreaClass.urban


def _manager(session: Session, grid: Grid) -> _Person | None:
    manager_id = grid.manager_id
    if manager_id is None:
        manager_id = session.execute(
            select(col(GridMember.staff_id))
            .where(GridMember.grid_id == grid.id, GridMember.role == GridRole.manager)
            .limit(1)
        ).scalar()
    if manager_id is None:
        return None
    staff = session.get(Staff, manager_id)
    if staff is None or not staff.active:
        return None
    assert staff.id is not None
    return _Person(staff.id, staff.name, True)


def _members(session: Session, grid_id: int, manager: _Person | None) -> list[_Person]:
    rows = session.execute(
        select(col(Staff.id), col(Staff.name), col(GridMember.role))
        .join(GridMember, col(GridMember.staff_id) == col(Staff.id))
        .where(GridMember.grid_id == grid_id, col(Staff.active).is_(True))
        .order_by(col(Staff.id))
    ).all()
    people = [_Person(i, n, role == GridRole.manager) for i, n, role in rows if i is not None]
    if manager is not None and all(p.id != manager.id for p in people):
        people.insert(0, manager)
    return people


def _specialties(session: Session, staff_ids: list[int]) -> dict[int, set[Specialty]]:
    out: dict[int, set[Specialty]] = {}
    if not staff_ids:
        return out
    for staff_id, spec in session.execute(
        select(col(StaffSpecialty.staff_id), col(StaffSpecialty.specialty)).where(
            col(StaffSpecialty.staff_id).in_(staff_ids)
        )
    ).all():
        out.setdefault(staff_id, set()).add(Specialty(spec))
    return out


def _least_loaded(session: Session, people: list[_Person]) -> _Person:
    """Fewest open orders first; on a tie the manager, then the lowest staff id."""
    load = open_load(session, [p.id for p in people])
    return min(people, key=lambda p: (load.get(p.id, 0), not p.is_manager, p.id))


def open_load(session: Session, staff_ids: Iterable[int]) -> dict[int, int]:
    """Open orders (new, dispatched, on site) per assignee."""
    ids = list(dict.fromkeys(staff_ids))
    if not ids:
        return {}
    rows = session.execute(
        select(col(WorkOrder.assignee_id), func.count())
        .where(
            col(WorkOrder.assignee_id).in_(ids),
            col(WorkOrder.status).in_(OPEN_STATUSES),
        )
        .group_by(col(WorkOrder.assignee_id))
    ).all()
    return {int(a): int(n) for a, n in rows if a is not None}


def leave_today(session: Session, staff_ids: Iterable[int], on: dt.date) -> dict[int, int | None]:
    """Of `staff_ids`, those on leave on day `on` → the substitute their leave names."""
    ids = list(dict.fromkeys(staff_ids))
    if not ids:
        return {}
    out: dict[int, int | None] = {}
    for staff_id, substitute_id in session.execute(
        select(col(StaffLeave.staff_id), col(StaffLeave.substitute_id))
        .where(
            col(StaffLeave.staff_id).in_(ids),
            col(StaffLeave.start) <= on,
            col(StaffLeave.end) >= on,
        )
        .order_by(col(StaffLeave.id))
    ).all():
        if out.get(staff_id) is None:
            out[staff_id] = substitute_id
    return out


# --------------------------------------------------------------------------- for the lead


@dataclass(frozen=True)
class StaffChoice:
    """One person the lead may dispatch to, with what helps choose."""

    id: int
    name: str
    team: str
    specialties: list[str] = field(default_factory=list)
    open_orders: int = 0
    on_leave: bool = False
    in_grid: bool = False


def staff_choices(
    session: Session, *, grid_id: int | None = None, on: dt.date | None = None
) -> list[StaffChoice]:
    """Every active person: the grid's own people first, then by team and name."""
    on = on or dt.date.today()
    staff = list(
        session.execute(
            select(Staff).where(col(Staff.active).is_(True)).order_by(col(Staff.id))
        ).scalars()
    )
    ids = [s.id for s in staff if s.id is not None]
    in_grid: set[int] = set()
    if grid_id is not None:
        in_grid = set(
            session.execute(
                select(col(GridMember.staff_id)).where(GridMember.grid_id == grid_id)
            ).scalars()
        )
        grid = session.get(Grid, grid_id)
        if grid is not None and grid.manager_id is not None:
            in_grid.add(grid.manager_id)
    specs = _specialties(session, ids)
    load = open_load(session, ids)
    away = leave_today(session, ids, on)
    order = list(Specialty)
    choices = [
        StaffChoice(
            id=s.id,
            name=s.name,
            team=s.team,
            specialties=[sp.label for sp in sorted(specs.get(s.id, set()), key=order.index)],
            open_orders=load.get(s.id, 0),
            on_leave=s.id in away,
            in_grid=s.id in in_grid,
        )
        for s in staff
        if s.id is not None
    ]
    return sorted(choices, key=lambda c: (not c.in_grid, c.on_leave, c.team, c.id))
