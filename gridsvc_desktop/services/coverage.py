"""Coverage checks: is every transformer area, customer and grid answered for?

`coverage_report(session)` returns a count per kind and one line per thing to
fix, each naming the entity and id the GUI opens (docs/grids.md has the rules):

- ta_no_grid            transformer area in no grid                 → transformer_area
- ta_two_grids          area the last grid-layout ledger put in
                        two or more grids (services.grids)           → transformer_area
- customer_no_ta        customer whose transformer area is unknown  → customer
- grid_no_manager       grid without a manager, or whose manager
                        has been deactivated                        → grid
- team_missing_specialty team grid whose active people do not cover
                        业扩报装, 抄表收费, 用电检查 and 故障报修      → grid
- grid_oversized        customers per person above the threshold
                        (setting grid_max_customers_per_person)     → grid
- staff_unreachable     grid none of whose people can reach it within
                        its repair arrival limit (see `reachable`)  → grid
- order_on_old_grid     open work order still on the grid its
                        transformer area has left                   → work_order

All counting is done by the database (GROUP BY over indexed columns); lines
are capped per kind (the count is always complete).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from gridsvc_desktop.db.models import (
    AdminArea,
    Customer,
    Grid,
    GridMember,
    Setting,
    SlaRule,
    Staff,
    StaffSpecialty,
    TransformerArea,
    WorkOrder,
)
from gridsvc_desktop.domain.enums import AreaClass, AreaLevel, ServiceMode, Specialty
from gridsvc_desktop.domain.sla import DEFAULT_LIMITS
from gridsvc_desktop.services import station
from gridsvc_desktop.services.actor import Actor
from gridsvc_desktop.services.common import InvalidInput
from gridsvc_desktop.services.customers import OPEN_ORDER_STATUSES
from gridsvc_desktop.services.grids import layout_conflicts

THRESHOLD_KEY = "grid_max_customers_per_person"
#: Customers one grid person can answer for; the reasoning is in docs/grids.md.
DEFAULT_THRESHOLD = 4000
#: What a team grid's active people must cover between them.
TEAM_SPECIALTIES = (
    Specialty.new_connection,
    Specialty.metering_billing,
    Specialty.inspection,
    Specialty.repair,
)
MAX_LINES_PER_KIND = 500


class CheckKind(StrEnum):
    ta_no_grid = "ta_no_grid"
    ta_two_grids = "ta_two_grids"
    customer_no_ta = "customer_no_ta"
    grid_no_manager = "grid_no_manager"
    team_missing_specialty = "team_missing_specialty"
    grid_oversized = "grid_oversized"
    staff_unreachable = "staff_unreachable"
    order_on_old_grid = "order_on_old_grid"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]


KIND_LABELS: dict[CheckKind, str] = {
    CheckKind.ta_no_grid: "台区未划入网格",
    CheckKind.ta_two_grids: "台区被划入两个网格",
    CheckKind.customer_no_ta: "客户台区不明",
    CheckKind.grid_no_manager: "网格无客户经理",
    CheckKind.team_missing_specialty: "服务团队缺专业",
    CheckKind.grid_oversized: "网格规模过大",
    CheckKind.staff_unreachable: "人员无法按时到达",
    CheckKind.order_on_old_grid: "工单仍在原网格",
}


@dataclass(frozen=True)
class CoverageLine:
    """One thing to fix: what it is (entity + id, for opening it) and what is wrong."""

    kind: CheckKind
    entity: str  # transformer_area | customer | grid | work_order
    entity_id: int
    subject: str
    problem: str
    #: The grid the fix probably involves (e.g. the grid of the area's community).
    grid_id: int | None = None
    #: What a user would type to find it: the order number, area code, account number.
    code: str = ""

    @property
    def text(self) -> str:
        return f"{self.subject}：{self.problem}"


@dataclass
class CoverageReport:
    counts: dict[CheckKind, int] = field(default_factory=lambda: dict.fromkeys(CheckKind, 0))
    lines: list[CoverageLine] = field(default_factory=list)
    threshold: int = DEFAULT_THRESHOLD
    at: dt.datetime = field(default_factory=dt.datetime.now)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def ok(self) -> bool:
        return self.total == 0

    def lines_of(self, kind: CheckKind) -> list[CoverageLine]:
        return [line for line in self.lines if line.kind == kind]


#: How the checks hand a line to the report.
AddLine = Callable[[CoverageLine], None]


# --------------------------------------------------------------------------- settings


def customers_threshold(session: Session) -> int:
    """Customers per grid person above which a grid is "out of line"."""
    row = session.get(Setting, THRESHOLD_KEY)
    try:
        value = int(row.value) if row is not None else DEFAULT_THRESHOLD
    except ValueError:
        return DEFAULT_THRESHOLD
    return value if value > 0 else DEFAULT_THRESHOLD


def set_customers_threshold(*, session: Session, actor: Actor, value: int) -> None:
    if not 100 <= value <= 100_000:
        raise InvalidInput("每人服务客户数上限应在 100 至 100000 之间。", "threshold")
    station.set_setting(session, actor, THRESHOLD_KEY, str(value))


def arrival_minutes(session: Session) -> dict[AreaClass, int]:
    """The repair arrival limit per area class, from the policy table."""
    out = {}
    for cls in AreaClass:
        key = f"repair.arrival.{cls.value}"
        rule = session.get(SlaRule, key)
        out[cls] = int(rule.amount) if rule is not None else DEFAULT_LIMITS[key].amount
    return out


# --------------------------------------------------------------------------- reach


@dataclass(frozen=True)
class Place:
    """Where something is: its town, and whether that town is urban."""

    town_id: int
    town: str
    town_urban: bool


def reachable(grid_class: AreaClass, grid_place: Place, base: Place) -> bool:
    """Can someone based at `base` reach a grid at `grid_place` within its arrival limit?

    The schema holds no distances, so the rule works on the government's map:
    - based in the grid's own town (the town itself or any community in it): yes;
    - based in another town: only for an urban grid in an urban town, from an
      urban town (the contiguous streets of the county seat, 45 minutes);
    - a rural or remote grid served from another town: no (90 / 120 minutes
      do not cover the drive from the county seat to a township and on).
    """
    if base.town_id == grid_place.town_id:
        return True
    return grid_class == AreaClass.urban and grid_place.town_urban and base.town_urban


def _places(session: Session) -> dict[int, Place]:
    """Every admin area → its town (a town is its own town)."""
    areas = {
        a.id: a
        for a in session.execute(
            sa_select(AdminArea)  # a couple of hundred rows
        ).scalars()
    }
    out: dict[int, Place] = {}
    for area_id, a in areas.items():
        town = a
        if a.level == AreaLevel.community and a.parent_id in areas:
            town = areas[a.parent_id]
        assert area_id is not None and town.id is not None
        out[area_id] = Place(town.id, town.name, town.area_class == AreaClass.urban)
    return out


# --------------------------------------------------------------------------- the report


def coverage_report(
    session: Session,
    *,
    now: dt.datetime | None = None,
    max_lines_per_kind: int = MAX_LINES_PER_KIND,
) -> CoverageReport:
    report = CoverageReport(threshold=customers_threshold(session), at=now or dt.datetime.now())
    lines: dict[CheckKind, list[CoverageLine]] = defaultdict(list)

    def add(line: CoverageLine) -> None:
        report.counts[line.kind] += 1
        if len(lines[line.kind]) < max_lines_per_kind:
            lines[line.kind].append(line)

    grids = {g.id: g for g in session.execute(sa_select(Grid).order_by(col(Grid.code))).scalars()}
    community_names = dict(
        session.execute(
            sa_select(col(AdminArea.id), col(AdminArea.name)).where(
                col(AdminArea.level) == AreaLevel.community
            )
        ).all()
    )
    grids_of_community: dict[int, list[int]] = defaultdict(list)
    for g in grids.values():
        if g.community_id is not None and g.id is not None:
            grids_of_community[g.community_id].append(g.id)
    ta_customers = dict(
        session.execute(
            sa_select(col(Customer.transformer_area_id), func.count()).group_by(
                col(Customer.transformer_area_id)
            )
        ).all()
    )

    _check_transformer_areas(session, add, ta_customers, community_names, grids_of_community)
    for conflict in layout_conflicts(session):
        if conflict.ta_id is None:
            continue
        add(
            CoverageLine(
                CheckKind.ta_two_grids, "transformer_area", conflict.ta_id,
                f"台区 {conflict.ta_code}",
                f"网格划分台账把它同时划入 {'、'.join(conflict.grids)}，请确定归属哪一个网格",
            )
        )  # fmt: skip
    _check_customers(session, add, report.counts, max_lines_per_kind)
    people = _people(session)
    _check_managers(grids, people, add)
    _check_teams(session, grids, people, add)
    _check_size(grids, people, ta_customers, session, report.threshold, add)
    _check_reach(session, grids, people, add)
    _check_orders(session, add)

    for kind in CheckKind:
        report.lines.extend(lines[kind])
    return report


def _check_transformer_areas(
    session: Session,
    add: AddLine,
    ta_customers: dict[int | None, int],
    community_names: dict[int, str],
    grids_of_community: dict[int, list[int]],
) -> None:
    rows = session.execute(
        sa_select(
            col(TransformerArea.id),
            col(TransformerArea.code),
            col(TransformerArea.name),
            col(TransformerArea.community_id),
        )
        .where(col(TransformerArea.grid_id).is_(None))
        .order_by(col(TransformerArea.code))
    ).all()
    for ta_id, code, name, community_id in rows:
        customers = ta_customers.get(ta_id, 0)
        hint = ""
        suggested = None
        if community_id is not None:
            options = grids_of_community.get(community_id, [])
            where = community_names.get(community_id, "")
            if len(options) == 1:
                suggested = options[0]
                hint = f"，所在{where}已有网格，可划入"
            elif not options and where:
                hint = f"，所在{where}尚无网格"
        add(
            CoverageLine(
                CheckKind.ta_no_grid, "transformer_area", ta_id, f"{name}（{code}）",
                f"未划入任何网格，{customers} 户客户无人负责{hint}", suggested, code,
            )
        )  # fmt: skip


def _check_customers(
    session: Session, add: AddLine, counts: dict[CheckKind, int], limit: int
) -> None:
    unknown = col(Customer.transformer_area_id).is_(None)
    total = int(
        session.execute(sa_select(func.count()).select_from(Customer).where(unknown)).scalar_one()
    )
    rows = session.execute(
        sa_select(
            col(Customer.id), col(Customer.account_no), col(Customer.name), col(Customer.address)
        )
        .where(unknown)
        .order_by(col(Customer.account_no))
        .limit(limit)
    ).all()
    for cid, account_no, name, address in rows:
        add(
            CoverageLine(
                CheckKind.customer_no_ta, "customer", cid, f"{name}（户号 {account_no}）",
                f"台区不明，找不到所属网格和客户经理{('；地址：' + address) if address else ''}",
                code=account_no,
            )
        )  # fmt: skip
    counts[CheckKind.customer_no_ta] = total  # the lines are capped; the count is not


@dataclass(frozen=True)
class _Person:
    id: int
    name: str
    active: bool
    base_area_id: int | None
    specialties: frozenset[Specialty]


@dataclass
class _People:
    staff: dict[int, _Person]
    #: grid id → ids of everyone with a place there (manager seat included)
    members: dict[int, set[int]]

    def active_in(self, grid: Grid) -> list[_Person]:
        ids = set(self.members.get(grid.id or 0, set()))
        if grid.manager_id is not None:
            ids.add(grid.manager_id)
        return [self.staff[i] for i in sorted(ids) if i in self.staff and self.staff[i].active]


def _people(session: Session) -> _People:
    specs: dict[int, set[Specialty]] = defaultdict(set)
    for sid, sp in session.execute(
        sa_select(col(StaffSpecialty.staff_id), col(StaffSpecialty.specialty))
    ).all():
        specs[sid].add(sp)
    staff = {
        sid: _Person(sid, name, bool(active), base, frozenset(specs.get(sid, ())))
        for sid, name, active, base in session.execute(
            sa_select(col(Staff.id), col(Staff.name), col(Staff.active), col(Staff.base_area_id))
        ).all()
    }
    members: dict[int, set[int]] = defaultdict(set)
    for gid, sid in session.execute(
        sa_select(col(GridMember.grid_id), col(GridMember.staff_id))
    ).all():
        members[gid].add(sid)
    return _People(staff, members)


def _check_managers(grids: dict[int | None, Grid], people: _People, add: AddLine) -> None:
    for g in grids.values():
        assert g.id is not None
        manager = people.staff.get(g.manager_id) if g.manager_id is not None else None
        if manager is None:
            problem = "没有网格客户经理，客户找不到负责人"
        elif not manager.active:
            problem = f"网格客户经理 {manager.name} 已停用，请指定新的经理"
        else:
            continue
        add(CoverageLine(CheckKind.grid_no_manager, "grid", g.id, g.name, problem, g.id))


def _check_teams(
    session: Session, grids: dict[int | None, Grid], people: _People, add: AddLine
) -> None:
    for g in grids.values():
        if g.service_mode != ServiceMode.team:
            continue
        assert g.id is not None
        have: set[Specialty] = set()
        for p in people.active_in(g):
            have |= p.specialties
        missing = [s for s in TEAM_SPECIALTIES if s not in have]
        if missing:
            add(
                CoverageLine(
                    CheckKind.team_missing_specialty, "grid", g.id, g.name,
                    f"网格服务团队缺少{'、'.join(s.label for s in missing)}专业人员", g.id,
                )
            )  # fmt: skip


def _check_size(
    grids: dict[int | None, Grid],
    people: _People,
    ta_customers: dict[int | None, int],
    session: Session,
    threshold: int,
    add: AddLine,
) -> None:
    per_grid: dict[int, int] = defaultdict(int)
    for ta_id, grid_id in session.execute(
        sa_select(col(TransformerArea.id), col(TransformerArea.grid_id)).where(
            col(TransformerArea.grid_id).is_not(None)
        )
    ).all():
        per_grid[grid_id] += ta_customers.get(ta_id, 0)
    for g in grids.values():
        assert g.id is not None
        customers = per_grid.get(g.id, 0)
        active = people.active_in(g)
        if g.service_mode == ServiceMode.team:
            heads = len(active)
            who = f"团队 {heads} 人"
        else:
            manager_active = any(p.id == g.manager_id for p in active)
            heads = 1 if manager_active else 0
            who = "1 名经理"
        if heads == 0:
            continue  # reported as "no manager"
        per_person = customers / heads
        if per_person > threshold:
            add(
                CoverageLine(
                    CheckKind.grid_oversized, "grid", g.id, g.name,
                    f"{customers} 户、{who}，人均 {per_person:.0f} 户，超过上限 {threshold} 户；"
                    "请增配人员或拆分网格",
                    g.id,
                )
            )  # fmt: skip


def _check_reach(
    session: Session, grids: dict[int | None, Grid], people: _People, add: AddLine
) -> None:
    places = _places(session)
    limits = arrival_minutes(session)
    for g in grids.values():
        assert g.id is not None
        if g.community_id is None or g.community_id not in places:
            continue
        where = places[g.community_id]
        known: list[tuple[_Person, Place]] = []
        for p in people.active_in(g):
            if p.base_area_id is not None and p.base_area_id in places:
                known.append((p, places[p.base_area_id]))
        if not known or any(reachable(g.area_class, where, base) for _, base in known):
            continue
        listed = "、".join(f"{p.name}（驻{base.town}）" for p, base in known)
        add(
            CoverageLine(
                CheckKind.staff_unreachable, "grid", g.id, g.name,
                f"{g.area_class.label}网格在{where.town}，人员均驻在其他乡镇：{listed}，"
                f"无法在 {limits[g.area_class]} 分钟内到达现场；请安排驻{where.town}的人员",
                g.id,
            )
        )  # fmt: skip


def _check_orders(session: Session, add: AddLine) -> None:
    ta_id = func.coalesce(col(WorkOrder.transformer_area_id), col(Customer.transformer_area_id))
    ta = TransformerArea.__table__.alias("ta")  # type: ignore[attr-defined]
    old = Grid.__table__.alias("old_grid")  # type: ignore[attr-defined]
    new = Grid.__table__.alias("new_grid")  # type: ignore[attr-defined]
    rows = session.execute(
        sa_select(
            col(WorkOrder.id), col(WorkOrder.number), col(WorkOrder.type), old.c.name, new.c.name,
            ta.c.name,
        )
        .outerjoin(Customer, col(Customer.id) == col(WorkOrder.customer_id))
        .join(ta, ta.c.id == ta_id)
        .join(old, old.c.id == col(WorkOrder.grid_id))
        .outerjoin(new, new.c.id == ta.c.grid_id)
        .where(
            col(WorkOrder.status).in_(OPEN_ORDER_STATUSES),
            (ta.c.grid_id.is_(None)) | (ta.c.grid_id != col(WorkOrder.grid_id)),
        )
        .order_by(col(WorkOrder.resolve_due))
    ).all()  # fmt: skip
    for oid, number, otype, old_name, new_name, ta_name in rows:
        now_in = f"已划入 {new_name}" if new_name else "已不属于任何网格"
        add(
            CoverageLine(
                CheckKind.order_on_old_grid, "work_order", oid, f"工单 {number}（{otype.label}）",
                f"仍在 {old_name}，但其台区 {ta_name} {now_in}；请班长改派", code=number,
            )
        )  # fmt: skip


def format_report(report: CoverageReport) -> str:
    """The report as plain text (for `gridsvc grids check`)."""
    out = [
        f"网格覆盖检查（{report.at:%Y-%m-%d %H:%M}，每人服务客户上限 {report.threshold} 户）",
        "",
    ]
    for kind in CheckKind:
        out.append(f"{kind.label:　<10} {report.counts[kind]:>6}")
    out.append(f"{'合计':　<10} {report.total:>6}")
    for kind in CheckKind:
        lines = report.lines_of(kind)
        if not lines:
            continue
        out += ["", f"【{kind.label}】{report.counts[kind]} 项"]
        out += [f"  [{line.entity} {line.entity_id}] {line.text}" for line in lines]
        hidden = report.counts[kind] - len(lines)
        if hidden > 0:
            out.append(f"  …… 另有 {hidden} 项未列出")
    return "\n".join(out)
