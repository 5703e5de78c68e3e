"""Places and network: admin areas, compounds, feeders, transformer areas, grids.

Grid layout rules kept here:
- a transformer area (台区) belongs to at most one grid (`transformer_area.grid_id`);
  customers hang off their transformer area, so they follow it when it moves;
- an open work order keeps the `grid_id` it was routed with when its transformer
  area moves; the move returns (and audits) the orders left on the old grid so the
  lead can reassign them, and the coverage report lists them until then;
- a grid's manager is also its `GridMember` row with role manager;
- a community contact is linked to the grid of its community (`contact.grid_id`).

A transformer area "claimed by two grids" cannot be stored (one `grid_id`); it
arises when a grid-layout ledger lists one area under two grids. The importer
hands the claims to `record_layout_claims`, which keeps the conflicts (setting
`grid_layout_conflicts`) until someone assigns the area to one grid.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from gridsvc_desktop.db.models import (
    AdminArea,
    Building,
    Compound,
    Contact,
    Customer,
    Feeder,
    Grid,
    GridMember,
    Setting,
    Staff,
    TransformerArea,
    WorkOrder,
)
from gridsvc_desktop.domain import normalize
from gridsvc_desktop.domain.enums import AreaClass, AreaLevel, GridRole, ServiceMode
from gridsvc_desktop.services import audit
from gridsvc_desktop.services.actor import Actor, Permission
from gridsvc_desktop.services.common import InvalidInput, apply_update, get_or_raise
from gridsvc_desktop.services.customers import OPEN_ORDER_STATUSES

#: Setting holding the transformer areas a grid-layout ledger put in two grids (JSON).
LAYOUT_CONFLICTS_KEY = "grid_layout_conflicts"


def ensure_area(
    session: Session,
    actor: Actor,
    name: str,
    level: AreaLevel,
    parent_id: int | None = None,
    area_class: AreaClass = AreaClass.urban,
) -> AdminArea:
    """The admin area of that name under `parent_id`, created if missing."""
    name = normalize.clean_text(name)
    if not name:
        raise InvalidInput("行政区划名称不能为空。", "name")
    area = session.execute(
        select(AdminArea).where(AdminArea.name == name, AdminArea.parent_id == parent_id)
    ).scalar_one_or_none()
    if area is None:
        actor.require(Permission.manage_grids)
        area = AdminArea(name=name, level=level, parent_id=parent_id, area_class=area_class)
        session.add(area)
        session.flush()
        audit.record(session, actor, "create", "admin_area", area.id, after=area)
    return area


def ensure_feeder(session: Session, actor: Actor, name: str) -> Feeder:
    name = normalize.clean_text(name)
    if not name:
        raise InvalidInput("线路名称不能为空。", "feeder")
    feeder = session.execute(select(Feeder).where(Feeder.name == name)).scalar_one_or_none()
    if feeder is None:
        actor.require(Permission.manage_grids)
        feeder = Feeder(name=name)
        session.add(feeder)
        session.flush()
        audit.record(session, actor, "create", "feeder", feeder.id, after=feeder)
    return feeder


@dataclass
class TransformerAreaInput:
    code: str
    name: str
    feeder: str = ""
    capacity_kva: int = 0
    grid_id: int | None = None
    community_id: int | None = None


def _ta_values(session: Session, actor: Actor, data: TransformerAreaInput) -> dict[str, object]:
    code = normalize.clean_text(data.code)
    if not code:
        raise InvalidInput("台区编号不能为空。", "code")
    name = normalize.clean_text(data.name)
    if not name:
        raise InvalidInput("台区名称不能为空。", "name")
    if data.capacity_kva < 0:
        raise InvalidInput("变压器容量不能为负数。", "capacity_kva")
    feeder_id = ensure_feeder(session, actor, data.feeder).id if data.feeder.strip() else None
    if data.grid_id is not None:
        get_or_raise(session, Grid, data.grid_id, "网格")
    return {
        "code": code,
        "name": name,
        "feeder_id": feeder_id,
        "capacity_kva": data.capacity_kva,
        "grid_id": data.grid_id,
        "community_id": data.community_id,
    }


def create_transformer_area(
    *, session: Session, actor: Actor, data: TransformerAreaInput
) -> TransformerArea:
    actor.require(Permission.manage_grids)
    values = _ta_values(session, actor, data)
    if session.execute(
        select(TransformerArea.id).where(TransformerArea.code == values["code"])
    ).first():
        raise InvalidInput(f"台区编号“{values['code']}”已存在。", "code")
    ta = TransformerArea(**values)  # type: ignore[arg-type]
    session.add(ta)
    session.flush()
    audit.record(session, actor, "create", "transformer_area", ta.id, after=ta)
    return ta


def update_transformer_area(
    *,
    session: Session,
    actor: Actor,
    ta_id: int,
    data: TransformerAreaInput,
    expected_version: int | None = None,
) -> TransformerArea:
    actor.require(Permission.manage_grids)
    ta = get_or_raise(session, TransformerArea, ta_id, "台区")
    values = _ta_values(session, actor, data)
    if values["code"] != ta.code:
        raise InvalidInput("台区编号不能修改。", "code")
    apply_update(
        session, actor, ta, values, entity="transformer_area", expected_version=expected_version
    )
    return ta


@dataclass
class GridInput:
    code: str
    name: str
    community_id: int | None = None
    area_class: AreaClass = AreaClass.urban
    service_mode: ServiceMode = ServiceMode.dedicated_manager
    manager_id: int | None = None
    notes: str = ""


def _grid_values(session: Session, data: GridInput) -> dict[str, object]:
    code, name = normalize.clean_text(data.code), normalize.clean_text(data.name)
    if not code:
        raise InvalidInput("网格编号不能为空。", "code")
    if not name:
        raise InvalidInput("网格名称不能为空。", "name")
    if data.manager_id is not None:
        manager = get_or_raise(session, Staff, data.manager_id, "人员")
        if not manager.active:
            raise InvalidInput(f"{manager.name} 已停用，不能担任网格客户经理。", "manager_id")
    if data.community_id is not None:
        area = get_or_raise(session, AdminArea, data.community_id, "社区")
        if area.level != AreaLevel.community:
            raise InvalidInput("网格须设在社区（村）上。", "community_id")
    return {
        "code": code,
        "name": name,
        "community_id": data.community_id,
        "area_class": data.area_class,
        "service_mode": data.service_mode,
        "manager_id": data.manager_id,
        "notes": data.notes,
    }


def create_grid(*, session: Session, actor: Actor, data: GridInput) -> Grid:
    actor.require(Permission.manage_grids)
    values = _grid_values(session, data)
    clash = session.execute(
        select(Grid.id).where((Grid.code == values["code"]) | (Grid.name == values["name"]))
    ).first()
    if clash:
        raise InvalidInput(f"网格“{values['name']}”或编号“{values['code']}”已存在。", "name")
    grid = Grid(**values)  # type: ignore[arg-type]
    session.add(grid)
    session.flush()
    audit.record(session, actor, "create", "grid", grid.id, after=grid)
    assert grid.id is not None
    _sync_manager_member(session, actor, grid.id, None, grid.manager_id)
    if grid.community_id is not None:
        relink_contacts(session, actor, [grid.community_id])
    return grid


def update_grid(
    *,
    session: Session,
    actor: Actor,
    grid_id: int,
    data: GridInput,
    expected_version: int | None = None,
) -> Grid:
    actor.require(Permission.manage_grids)
    grid = get_or_raise(session, Grid, grid_id, "网格")
    values = _grid_values(session, data)
    clash = session.execute(
        select(Grid.id).where(
            ((Grid.code == values["code"]) | (Grid.name == values["name"])) & (Grid.id != grid_id)
        )
    ).first()
    if clash:
        raise InvalidInput(f"网格“{values['name']}”或编号“{values['code']}”已存在。", "name")
    old_manager, old_community = grid.manager_id, grid.community_id
    apply_update(
        session, actor, grid, values, entity="grid", expected_version=expected_version,
    )  # fmt: skip
    _sync_manager_member(session, actor, grid_id, old_manager, grid.manager_id)
    if old_community != grid.community_id:
        relink_contacts(
            session, actor, [c for c in (old_community, grid.community_id) if c is not None]
        )
    return grid


def _sync_manager_member(
    session: Session, actor: Actor, grid_id: int, old: int | None, new: int | None
) -> None:
    """Keep the manager's GridMember row in step with `grid.manager_id`.

    The previous manager's row goes (if it said manager): they no longer answer
    for the grid; a lead who wants them on the team adds them back as a member.
    """
    if old is not None and old != new:
        row = session.get(GridMember, (grid_id, old))
        if row is not None and row.role == GridRole.manager:
            session.delete(row)
            audit.record(
                session, actor, "update", "grid_member", f"{grid_id}:{old}",
                before={"role": GridRole.manager.value}, after=None,
            )  # fmt: skip
    if new is not None:
        row = session.get(GridMember, (grid_id, new))
        before = {"role": row.role.value} if row else None
        if row is None:
            row = GridMember(grid_id=grid_id, staff_id=new, role=GridRole.manager)
        elif row.role == GridRole.manager:
            return
        row.role = GridRole.manager
        session.add(row)
        audit.record(
            session, actor, "update", "grid_member", f"{grid_id}:{new}",
            before=before, after={"role": GridRole.manager.value},
        )  # fmt: skip
    session.flush()


# --------------------------------------------------------------------------- compounds


def ensure_compound(session: Session, actor: Actor, community_id: int, name: str) -> Compound:
    """The compound (小区) of that name in the community, created if missing."""
    name = normalize.clean_text(name)
    if not name:
        raise InvalidInput("小区名称不能为空。", "compound")
    area = get_or_raise(session, AdminArea, community_id, "社区")
    if area.level != AreaLevel.community:
        raise InvalidInput("小区须属于社区（村）。", "community_id")
    compound = session.execute(
        select(Compound).where(Compound.community_id == community_id, Compound.name == name)
    ).scalar_one_or_none()
    if compound is None:
        actor.require(Permission.manage_grids)
        compound = Compound(community_id=community_id, name=name)
        session.add(compound)
        session.flush()
        audit.record(session, actor, "create", "compound", compound.id, after=compound)
    return compound


def ensure_building(session: Session, actor: Actor, compound_id: int, name: str) -> Building:
    """The building (楼栋) of that name in the compound, created if missing."""
    name = normalize.clean_text(name)
    if not name:
        raise InvalidInput("楼栋名称不能为空。", "building")
    get_or_raise(session, Compound, compound_id, "小区")
    building = session.execute(
        select(Building).where(Building.compound_id == compound_id, Building.name == name)
    ).scalar_one_or_none()
    if building is None:
        actor.require(Permission.manage_grids)
        building = Building(compound_id=compound_id, name=name)
        session.add(building)
        session.flush()
        audit.record(session, actor, "create", "building", building.id, after=building)
    return building


def community_grids(session: Session, community_id: int) -> list[int]:
    """Ids of the grids laid over a community, by code."""
    return [
        int(gid)
        for gid in session.execute(
            select(Grid.id).where(Grid.community_id == community_id).order_by(col(Grid.code))
        ).scalars()
        if gid is not None
    ]


def relink_contacts(session: Session, actor: Actor, community_ids: Sequence[int]) -> int:
    """Point the contacts of these communities at their community's grid.

    A community with exactly one grid: every contact there links to it. With
    several, a contact keeps a link to one of them (the user chose it) and an
    unlinked or stale one is left unlinked. With none, links are cleared.
    Returns how many contacts changed; one audit row per community touched.
    """
    changed = 0
    for community_id in dict.fromkeys(community_ids):
        grids = community_grids(session, community_id)
        in_community = col(Contact.community_id) == community_id
        if len(grids) == 1:
            stmt = (
                update(Contact)
                .where(
                    in_community,
                    (col(Contact.grid_id) != grids[0]) | col(Contact.grid_id).is_(None),
                )
                .values(grid_id=grids[0])
            )
        else:
            conditions = [in_community, col(Contact.grid_id).is_not(None)]
            if grids:
                conditions.append(col(Contact.grid_id).not_in(grids))
            stmt = update(Contact).where(*conditions).values(grid_id=None)
        n = session.execute(stmt).rowcount  # type: ignore[attr-defined]
        if n:
            changed += n
            audit.record(
                session, actor, "relink", "contact", f"community:{community_id}",
                after={"community_id": community_id, "contacts": n, "grid_ids": grids},
            )  # fmt: skip
    return changed


# --------------------------------------------------------------------------- moving areas


@dataclass(frozen=True)
class OpenOrder:
    """An open work order, as a lead needs to see it in a list."""

    id: int
    number: str
    type_label: str
    status_label: str
    grid_id: int | None
    grid: str
    assignee: str
    resolve_due: dt.datetime

    def describe(self) -> str:
        who = self.assignee or "未派"
        return (
            f"{self.number} {self.type_label}·{self.status_label}（{self.grid or '无网格'}，{who}）"
        )


def open_orders(session: Session, *conditions: object) -> list[OpenOrder]:
    """Open work orders matching `conditions`, by due time."""
    owner = Staff.__table__.alias("assignee")  # type: ignore[attr-defined]
    stmt = (
        select(WorkOrder, Grid.name, owner.c.name)
        .outerjoin(Grid, col(Grid.id) == col(WorkOrder.grid_id))
        .outerjoin(owner, owner.c.id == col(WorkOrder.assignee_id))
        .where(col(WorkOrder.status).in_(OPEN_ORDER_STATUSES), *conditions)  # type: ignore[arg-type]
        .order_by(col(WorkOrder.resolve_due), col(WorkOrder.id))
    )
    return [
        OpenOrder(
            id=o.id,
            number=o.number,
            type_label=o.type.label,
            status_label=o.status.label,
            grid_id=o.grid_id,
            grid=grid or "",
            assignee=who or "",
            resolve_due=o.resolve_due,
        )
        for o, grid, who in session.execute(stmt).all()
    ]


@dataclass
class MoveResult:
    """What moving transformer areas into a grid did (or, for a preview, would do)."""

    grid_id: int | None
    grid: str
    moved: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    from_grids: dict[str, int] = field(default_factory=dict)
    customers: int = 0
    #: Open orders of the moved areas that stay on their old grid until reassigned.
    orders_left: list[OpenOrder] = field(default_factory=list)

    def lead_notice(self) -> str:
        """The message for the lead: what moved and which orders need reassigning."""
        target = self.grid or "（不属于任何网格）"
        lines = [f"已将 {len(self.moved)} 个台区划入 {target}，{self.customers} 户客户随台区转入。"]
        if self.unchanged:
            lines.append(f"{len(self.unchanged)} 个台区原已在该网格，未变动。")
        if self.orders_left:
            lines.append(f"以下 {len(self.orders_left)} 张未办结工单仍留在原网格，请班长改派：")
            lines += [f"  {o.describe()}" for o in self.orders_left]
        return "\n".join(lines)


def _move_plan(session: Session, grid_id: int | None, ta_ids: Sequence[int]) -> MoveResult:
    grid = get_or_raise(session, Grid, grid_id, "网格") if grid_id is not None else None
    result = MoveResult(grid_id=grid_id, grid=grid.name if grid else "")
    wanted = list(dict.fromkeys(ta_ids))
    if not wanted:
        return result
    rows = {
        ta.id: (ta, name)
        for ta, name in session.execute(
            select(TransformerArea, Grid.name)
            .outerjoin(Grid, col(Grid.id) == col(TransformerArea.grid_id))
            .where(col(TransformerArea.id).in_(wanted))
        ).all()
    }
    missing = [t for t in wanted if t not in rows]
    if missing:
        raise InvalidInput(f"找不到台区（{', '.join(map(str, missing[:5]))}）。", "ta_ids")
    from_grids: dict[str, int] = defaultdict(int)
    for ta_id in wanted:
        ta, old_name = rows[ta_id]
        if ta.grid_id == grid_id:
            result.unchanged.append(ta_id)
        else:
            result.moved.append(ta_id)
            result.codes.append(ta.code)
            from_grids[old_name or ""] += 1
    result.from_grids = dict(from_grids)
    if result.moved:
        result.customers = int(
            session.execute(
                select(func.count())
                .select_from(Customer)
                .where(col(Customer.transformer_area_id).in_(result.moved))
            ).scalar_one()
        )
        customers_of_moved = (
            select(Customer.id)
            .where(col(Customer.transformer_area_id).in_(result.moved))
            .scalar_subquery()
        )
        on_moved = col(WorkOrder.transformer_area_id).in_(result.moved) | (
            col(WorkOrder.transformer_area_id).is_(None)
            & col(WorkOrder.customer_id).in_(customers_of_moved)
        )
        not_target = (
            col(WorkOrder.grid_id).is_not(None)
            if grid_id is None
            else (col(WorkOrder.grid_id) != grid_id) | col(WorkOrder.grid_id).is_(None)
        )
        result.orders_left = [
            o for o in open_orders(session, on_moved, not_target) if o.grid_id is not None
        ]
    return result


def preview_move(session: Session, *, grid_id: int | None, ta_ids: Sequence[int]) -> MoveResult:
    """What `move_transformer_areas` would do, without doing it."""
    return _move_plan(session, grid_id, ta_ids)


def move_transformer_areas(
    *, session: Session, actor: Actor, grid_id: int | None, ta_ids: Sequence[int]
) -> MoveResult:
    """Put transformer areas into one grid (or none), customers following them.

    Open work orders of those areas keep their grid until a lead reassigns them;
    they are returned in `orders_left` and named in the audit row, and the
    coverage report lists them meanwhile. A layout conflict recorded for a moved
    area is settled by the move.
    """
    actor.require(Permission.manage_grids)
    plan = _move_plan(session, grid_id, ta_ids)
    if not plan.moved:
        return plan
    audit.record(
        session, actor, "move_transformer_areas", "grid", grid_id if grid_id is not None else "",
        after={
            "grid_id": grid_id,
            "transformer_areas": plan.codes,
            "from_grids": plan.from_grids,
            "customers": plan.customers,
            "open_orders_left": [o.number for o in plan.orders_left],
        },
    )  # fmt: skip
    for ta in session.execute(
        select(TransformerArea).where(col(TransformerArea.id).in_(plan.moved))
    ).scalars():
        apply_update(session, actor, ta, {"grid_id": grid_id}, entity="transformer_area")
    _settle_conflicts(session, plan.moved)
    return plan


def feeder_transformer_areas(session: Session, feeder_id: int) -> list[int]:
    """Ids of every transformer area on a feeder."""
    return [
        int(t)
        for t in session.execute(
            select(TransformerArea.id)
            .where(TransformerArea.feeder_id == feeder_id)
            .order_by(col(TransformerArea.code))
        ).scalars()
        if t is not None
    ]


def move_feeder(
    *, session: Session, actor: Actor, feeder_id: int, grid_id: int | None
) -> MoveResult:
    """Move all of a feeder's transformer areas into one grid."""
    actor.require(Permission.manage_grids)
    get_or_raise(session, Feeder, feeder_id, "线路")
    return move_transformer_areas(
        session=session, actor=actor, grid_id=grid_id,
        ta_ids=feeder_transformer_areas(session, feeder_id),
    )  # fmt: skip


def assign_transformer_areas(
    *, session: Session, actor: Actor, grid_id: int | None, ta_ids: list[int]
) -> int:
    """Put transformer areas into one grid (or none). Returns how many moved.

    Kept for existing callers; `move_transformer_areas` says what else happened.
    """
    return len(
        move_transformer_areas(session=session, actor=actor, grid_id=grid_id, ta_ids=ta_ids).moved
    )


def set_customer_transformer_area(
    *, session: Session, actor: Actor, customer_id: int, ta_id: int | None
) -> Customer:
    """Link a customer to a transformer area (the fix for "transformer area unknown")."""
    actor.require(Permission.edit)
    customer = get_or_raise(session, Customer, customer_id, "客户")
    if ta_id is not None:
        get_or_raise(session, TransformerArea, ta_id, "台区")
    apply_update(
        session, actor, customer, {"transformer_area_id": ta_id, "updated_at": now_seconds()},
        entity="customer",
    )  # fmt: skip
    return customer


def now_seconds() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


# --------------------------------------------------------------------------- layout conflicts


@dataclass(frozen=True)
class LayoutConflict:
    """A transformer area a grid-layout ledger put in more than one grid."""

    ta_id: int | None
    ta_code: str
    grids: tuple[str, ...]
    source: str = ""


def find_layout_conflicts(claims: Iterable[tuple[str, str]]) -> dict[str, tuple[str, ...]]:
    """(grid name, TA code) claims → the codes claimed by two or more grids."""
    by_code: dict[str, list[str]] = defaultdict(list)
    for grid_name, code in claims:
        code = normalize.clean_text(code)
        grid_name = normalize.clean_text(grid_name)
        if code and grid_name and grid_name not in by_code[code]:
            by_code[code].append(grid_name)
    return {code: tuple(names) for code, names in by_code.items() if len(names) > 1}


def record_layout_claims(
    *, session: Session, actor: Actor, claims: Iterable[tuple[str, str]], source: str = ""
) -> list[LayoutConflict]:
    """Remember which transformer areas the latest grid-layout ledger put in two grids.

    Replaces what an earlier ledger said. The grid-layout importer calls this
    with every (grid name, TA code) pair of the file, before it applies one of
    the claims; the conflicts stay in the coverage report until each area is
    assigned (moved) on purpose.
    """
    actor.require(Permission.manage_grids)
    found = find_layout_conflicts(claims)
    ids = dict(
        session.execute(
            select(TransformerArea.code, TransformerArea.id).where(
                col(TransformerArea.code).in_(list(found))
            )
        ).all()
    )
    conflicts = [
        LayoutConflict(ids.get(code), code, names, source) for code, names in sorted(found.items())
    ]
    _store_conflicts(session, actor, conflicts)
    return conflicts


def layout_conflicts(session: Session) -> list[LayoutConflict]:
    row = session.get(Setting, LAYOUT_CONFLICTS_KEY)
    if row is None or not row.value:
        return []
    return [
        LayoutConflict(d.get("ta_id"), d["ta_code"], tuple(d["grids"]), d.get("source", ""))
        for d in json.loads(row.value)
    ]


def _store_conflicts(
    session: Session, actor: Actor | None, conflicts: Sequence[LayoutConflict]
) -> None:
    row = session.get(Setting, LAYOUT_CONFLICTS_KEY)
    before = row.value if row else ""
    value = json.dumps(
        [
            {"ta_id": c.ta_id, "ta_code": c.ta_code, "grids": list(c.grids), "source": c.source}
            for c in conflicts
        ],
        ensure_ascii=False,
    )
    if value == before or (not conflicts and not before):
        return
    if row is None:
        row = Setting(key=LAYOUT_CONFLICTS_KEY, value=value)
    row.value = value
    session.add(row)
    if actor is not None:
        audit.record(
            session, actor, "update", "setting", LAYOUT_CONFLICTS_KEY,
            before={"conflicts": len(json.loads(before)) if before else 0},
            after={"conflicts": [c.ta_code for c in conflicts]},
        )  # fmt: skip


def _settle_conflicts(session: Session, ta_ids: Sequence[int]) -> None:
    current = layout_conflicts(session)
    moved = set(ta_ids)
    left = [c for c in current if c.ta_id not in moved]
    if len(left) != len(current):
        _store_conflicts(session, None, left)  # the move's own audit row says why


# --------------------------------------------------------------------------- the layout


@dataclass(frozen=True)
class AreaInfo:
    id: int
    name: str
    level: AreaLevel
    parent_id: int | None
    area_class: AreaClass


@dataclass(frozen=True)
class GridInfo:
    id: int
    code: str
    name: str
    community_id: int | None
    area_class: AreaClass
    service_mode: ServiceMode
    manager_id: int | None
    manager: str
    manager_phone: str
    manager_active: bool
    notes: str
    version: int

    @property
    def label(self) -> str:
        return f"{self.name}（{self.code}）"


@dataclass(frozen=True)
class TAInfo:
    id: int
    code: str
    name: str
    grid_id: int | None
    community_id: int | None
    feeder_id: int | None
    feeder: str
    capacity_kva: int


@dataclass
class GridLayout:
    """Everything the grid tree shows, without figures: towns, communities, grids, areas."""

    towns: list[AreaInfo] = field(default_factory=list)
    communities: list[AreaInfo] = field(default_factory=list)
    grids: list[GridInfo] = field(default_factory=list)
    transformer_areas: list[TAInfo] = field(default_factory=list)

    def grid(self, grid_id: int) -> GridInfo | None:
        return next((g for g in self.grids if g.id == grid_id), None)


def grid_layout(session: Session) -> GridLayout:
    layout = GridLayout()
    for a in session.execute(
        select(AdminArea).order_by(col(AdminArea.parent_id), col(AdminArea.id))
    ).scalars():
        assert a.id is not None
        info = AreaInfo(a.id, a.name, a.level, a.parent_id, a.area_class)
        (layout.towns if a.level == AreaLevel.town else layout.communities).append(info)
    for g, name, phone, active in session.execute(
        select(Grid, Staff.name, Staff.phone, Staff.active)
        .outerjoin(Staff, col(Staff.id) == col(Grid.manager_id))
        .order_by(col(Grid.code))
    ).all():
        assert g.id is not None
        layout.grids.append(
            GridInfo(
                g.id, g.code, g.name, g.community_id, g.area_class, g.service_mode,
                g.manager_id, name or "", phone or "", bool(active), g.notes, g.version,
            )
        )  # fmt: skip
    for row in session.execute(
        sa_select(
            col(TransformerArea.id), col(TransformerArea.code), col(TransformerArea.name),
            col(TransformerArea.grid_id), col(TransformerArea.community_id),
            col(TransformerArea.feeder_id), col(Feeder.name), col(TransformerArea.capacity_kva),
        )
        .outerjoin(Feeder, col(Feeder.id) == col(TransformerArea.feeder_id))
        .order_by(col(TransformerArea.code))
    ).all():  # fmt: skip
        layout.transformer_areas.append(
            TAInfo(row[0], row[1], row[2], row[3], row[4], row[5], row[6] or "", row[7])
        )
    return layout


@dataclass(frozen=True)
class Choice:
    """An id and what to show for it, for pickers."""

    id: int
    label: str


def grid_choices(session: Session) -> list[Choice]:
    return [
        Choice(int(i), f"{n}（{c}）")
        for i, c, n in session.execute(
            select(Grid.id, Grid.code, Grid.name).order_by(col(Grid.code))
        ).all()
    ]


def feeder_choices(session: Session) -> list[Choice]:
    return [
        Choice(int(i), f"{n}（{k} 个台区）")
        for i, n, k in session.execute(
            select(Feeder.id, Feeder.name, func.count(col(TransformerArea.id)))
            .outerjoin(TransformerArea, col(TransformerArea.feeder_id) == col(Feeder.id))
            .group_by(col(Feeder.id))
            .order_by(col(Feeder.name))
        ).all()
    ]


def community_choices(session: Session) -> list[Choice]:
    """Every community as "town · community", by town."""
    town = AdminArea.__table__.alias("town")  # type: ignore[attr-defined]
    return [
        Choice(int(i), f"{t or ''} · {n}" if t else n)
        for i, n, t in session.execute(
            select(AdminArea.id, AdminArea.name, town.c.name)
            .outerjoin(town, town.c.id == col(AdminArea.parent_id))
            .where(AdminArea.level == AreaLevel.community)
            .order_by(town.c.name, col(AdminArea.name))
        ).all()
    ]


def area_choices(session: Session) -> list[Choice]:
    """Towns and communities, for a staff member's base: "town" and "town · community"."""
    town = AdminArea.__table__.alias("town")  # type: ignore[attr-defined]
    rows = session.execute(
        select(AdminArea.id, AdminArea.name, AdminArea.level, town.c.name)
        .outerjoin(town, town.c.id == col(AdminArea.parent_id))
        .order_by(func.coalesce(town.c.name, AdminArea.name), col(AdminArea.level).desc())
    ).all()
    return [Choice(int(i), f"{t} · {n}" if t else n) for i, n, _level, t in rows]


def transformer_area_choices(session: Session, community_id: int | None = None) -> list[Choice]:
    """Transformer areas (of one community first, if given) as "name（code）"."""
    stmt = select(TransformerArea.id, TransformerArea.code, TransformerArea.name)
    if community_id is not None:
        stmt = stmt.order_by(
            (col(TransformerArea.community_id) != community_id), col(TransformerArea.code)
        )
    else:
        stmt = stmt.order_by(col(TransformerArea.code))
    return [Choice(int(i), f"{n}（{c}）") for i, c, n in session.execute(stmt).all()]
