"""Outages (停电): planned, temporary maintenance and fault outages.

An outage's scope is a set of whole feeders and/or single transformer areas; the
areas it covers are those named directly plus every area on a named feeder (an
area named twice, directly and through its feeder, counts once). Who is affected
follows the feeder → transformer area → customer mapping (`affected`).

Status: announced → in progress → restored, or announced → cancelled. The
statutory notice periods (`domain.outage_rules.check_notice`) are checked when an
outage is announced: a late planned or temporary outage is refused unless a
lead (Permission.dispatch) records why.

Calls during an outage: `active_outages_for_area` tells the desk (and the call
assistant) that a caller's area is off; `propose_fault_outages` finds repair
calls bunched on one area or feeder with no outage recorded, and
`accept_fault_proposal` records the fault outage and folds the orders into it.
Notifications live in `services.outage_notices`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from sqlalchemy import and_, func, or_, select, union
from sqlalchemy.sql import Select
from sqlmodel import Session, col

from gridsvc_desktop.db.errors import ConcurrentEdit
from gridsvc_desktop.db.models import (
    AdminArea,
    AppUser,
    Building,
    Call,
    Compound,
    Contact,
    Customer,
    Feeder,
    Grid,
    Outage,
    OutageNotification,
    OutageScope,
    Staff,
    TransformerArea,
    WorkOrder,
    now,
    row_dict,
)
from gridsvc_desktop.domain import normalize
from gridsvc_desktop.domain.enums import (
    ContactKind,
    CustomerCategory,
    Metering,
    OrderStatus,
    OrderType,
    OutageKind,
    OutageStatus,
)
from gridsvc_desktop.domain.order_states import OPEN_STATUSES
from gridsvc_desktop.domain.outage_rules import (
    ACTIVE_STATUSES,
    NoticeCheck,
    OutageRuleError,
    check_notice,
    check_transition,
    check_window,
)
from gridsvc_desktop.domain.sla import SlaPolicy
from gridsvc_desktop.services import audit
from gridsvc_desktop.services.actor import Actor, Permission
from gridsvc_desktop.services.common import InvalidInput, NotFound, apply_update
from gridsvc_desktop.services.sla_policy import load_policy
from gridsvc_desktop.services.station import get_setting

__all__ = [
    "ACTIVE_STATUSES",
    "Affected",
    "FaultProposal",
    "OutageInput",
    "OutageRow",
    "accept_fault_proposal",
    "active_outages_for_area",
    "active_outages_for_customer",
    "affected",
    "announce",
    "cancel",
    "list_outages",
    "notice_check",
    "outage_detail",
    "propose_fault_outages",
    "restore",
    "scope_choices",
    "start",
]

#: Setting keys (text in the Setting table) for clustering repair calls.
CLUSTER_WINDOW_KEY = "outage.cluster_window_minutes"
CLUSTER_MIN_KEY = "outage.cluster_min_calls"
CLUSTER_WINDOW_DEFAULT = 60
CLUSTER_MIN_DEFAULT = 3
#: A fault outage proposed from calls is expected to last this long, until known.
FAULT_EXPECTED = dt.timedelta(hours=4)
#: Customers of these kinds are listed by name as important.
IMPORTANT_CATEGORIES = (CustomerCategory.large_industry,)


# =========================================================================== scope


def area_ids_statement(outage_id: int) -> Any:
    """SELECT of the transformer-area ids an outage's scope covers: named areas
    UNION the areas of named feeders (a set: overlaps count once)."""
    direct = select(col(OutageScope.transformer_area_id)).where(
        col(OutageScope.outage_id) == outage_id, col(OutageScope.transformer_area_id).is_not(None)
    )
    feeders = select(col(OutageScope.feeder_id)).where(
        col(OutageScope.outage_id) == outage_id, col(OutageScope.feeder_id).is_not(None)
    )
    via = select(col(TransformerArea.id)).where(col(TransformerArea.feeder_id).in_(feeders))
    return union(direct, via)


def area_ids(session: Session, outage_id: int) -> list[int]:
    """The transformer areas an outage covers, sorted."""
    return sorted(int(i) for i in session.execute(area_ids_statement(outage_id)).scalars())


def _covers(area_id: int) -> Select[Any]:
    feeder_id = (
        select(col(TransformerArea.feeder_id))
        .where(col(TransformerArea.id) == area_id)
        .scalar_subquery()
    )
    return select(col(OutageScope.outage_id)).where(
        or_(
            col(OutageScope.transformer_area_id) == area_id,
            and_(col(OutageScope.feeder_id).is_not(None), col(OutageScope.feeder_id) == feeder_id),
        )
    )


def active_outages_for_area(
    session: Session, transformer_area_id: int, at: dt.datetime | None = None
) -> list[Outage]:
    """Outages that cover the area (directly or through its feeder) and are in
    progress, or announced with `at` (default now) inside their planned window.
    Earliest planned start first."""
    at = at or now()
    stmt = (
        select(Outage)
        .where(col(Outage.id).in_(_covers(transformer_area_id)))
        .where(
            or_(
                col(Outage.status) == OutageStatus.in_progress,
                and_(
                    col(Outage.status) == OutageStatus.announced,
                    col(Outage.planned_start) <= at,
                    col(Outage.planned_end) >= at,
                ),
            )
        )
        .order_by(col(Outage.planned_start), col(Outage.id))
    )
    return list(session.execute(stmt).scalars().all())


def open_outages_for_area(session: Session, transformer_area_id: int) -> list[Outage]:
    """Outages announced or in progress that cover the area, whatever their
    planned window (the customer card lists the coming ones too). Earliest first."""
    stmt = (
        select(Outage)
        .where(col(Outage.id).in_(_covers(transformer_area_id)))
        .where(col(Outage.status).in_((OutageStatus.announced, OutageStatus.in_progress)))
        .order_by(col(Outage.planned_start), col(Outage.id))
    )
    return list(session.execute(stmt).scalars().all())


def active_outages_for_customer(
    session: Session, customer_id: int, at: dt.datetime | None = None
) -> list[Outage]:
    customer = session.get(Customer, customer_id)
    if customer is None or customer.transformer_area_id is None:
        return []
    return active_outages_for_area(session, customer.transformer_area_id, at)


# =========================================================================== lifecycle


@dataclass
class OutageInput:
    """An outage as the desk announces it."""

    kind: OutageKind
    planned_start: dt.datetime
    planned_end: dt.datetime
    reason: str
    feeder_ids: Sequence[int] = ()
    transformer_area_ids: Sequence[int] = ()
    #: Why the notice is shorter than the policy asks (a lead only).
    late_notice_reason: str = ""
    #: When it was announced; now unless given (back-dating a paper notice).
    announced_at: dt.datetime | None = None


def _rule(error: OutageRuleError) -> InvalidInput:
    return InvalidInput(str(error), error.field)


def notice_check(session: Session, outage: Outage) -> NoticeCheck:
    """How far ahead `outage` was announced against the policy."""
    return check_notice(
        OutageKind(outage.kind), outage.planned_start, outage.announced_at, load_policy(session)
    )


def _check_scope(session: Session, feeder_ids: Iterable[int], area_ids_: Iterable[int]) -> None:
    feeders, areas = set(feeder_ids), set(area_ids_)
    if not feeders and not areas:
        raise InvalidInput("请选择停电范围：至少一条线路或一个台区。", "scope")
    if feeders:
        known = set(
            session.execute(select(col(Feeder.id)).where(col(Feeder.id).in_(feeders))).scalars()
        )
        if feeders - known:
            raise NotFound(f"找不到线路（{sorted(feeders - known)[0]}）。")
    if areas:
        known = set(
            session.execute(
                select(col(TransformerArea.id)).where(col(TransformerArea.id).in_(areas))
            ).scalars()
        )
        if areas - known:
            raise NotFound(f"找不到台区（{sorted(areas - known)[0]}）。")


def announce(*, session: Session, actor: Actor, data: OutageInput) -> Outage:
    """Record an outage. Planned and temporary outages are announced; a fault
    outage that has begun is recorded in progress at once. A notice shorter than
    the policy's period is refused unless a lead gives the reason."""
    actor.require(Permission.edit)
    kind = OutageKind(data.kind)
    start = data.planned_start.replace(second=0, microsecond=0)
    end = data.planned_end.replace(second=0, microsecond=0)
    try:
        check_window(start, end)
    except OutageRuleError as e:
        raise _rule(e) from None
    reason = normalize.clean_text(data.reason)[:300]
    if not reason:
        raise InvalidInput("请填写停电原因。", "reason")
    _check_scope(session, data.feeder_ids, data.transformer_area_ids)
    moment = now()
    announced_at = (data.announced_at or moment).replace(microsecond=0)
    if announced_at > moment + dt.timedelta(minutes=5):
        raise InvalidInput("公告时间不能晚于现在。", "announced_at")
    late_reason = normalize.clean_text(data.late_notice_reason)[:300]
    check = check_notice(kind, start, announced_at, load_policy(session))
    if check.late:
        if not late_reason:
            raise InvalidInput(
                f"{check.describe()}。如确需停电，请由班长填写未按时公告的原因。",
                "late_notice_reason",
            )
        actor.require(Permission.dispatch)
    else:
        late_reason = ""
    begun = kind is OutageKind.fault and start <= moment
    outage = Outage(
        kind=kind,
        status=OutageStatus.in_progress if begun else OutageStatus.announced,
        reason=reason,
        planned_start=start,
        planned_end=end,
        actual_start=start if begun else None,
        announced_at=announced_at,
        announced_by=actor.user_id,
        late_notice_reason=late_reason,
    )
    session.add(outage)
    session.flush()
    assert outage.id is not None
    for f in sorted(set(data.feeder_ids)):
        session.add(OutageScope(outage_id=outage.id, feeder_id=f))
    for t in sorted(set(data.transformer_area_ids)):
        session.add(OutageScope(outage_id=outage.id, transformer_area_id=t))
    session.flush()
    after = row_dict(outage) | {
        "feeders": sorted(set(data.feeder_ids)),
        "transformer_areas": sorted(set(data.transformer_area_ids)),
    }
    audit.record(session, actor, "create", "outage", outage.id, after=after)
    return outage


def _load(session: Session, outage_id: int) -> Outage:
    outage = session.get(Outage, outage_id)
    if outage is None:
        raise NotFound(f"找不到停电事件（{outage_id}）。")
    return outage


def _move(
    session: Session,
    actor: Actor,
    outage_id: int,
    target: OutageStatus,
    changes: dict[str, object],
    expected_version: int | None,
) -> Outage:
    outage = _load(session, outage_id)
    if expected_version is not None and outage.version != expected_version:
        raise ConcurrentEdit(
            f"停电事件已被他人修改（您读取的是第 {expected_version} 版，现在是第 {outage.version} 版）。"
            "请刷新后再操作。"
        )
    try:
        check_transition(OutageStatus(outage.status), target)
    except OutageRuleError as e:
        raise _rule(e) from None
    apply_update(
        session, actor, outage, {"status": target, **changes},
        entity="outage", expected_version=expected_version,
    )  # fmt: skip
    return outage


def _moment(at: dt.datetime | None, field_name: str) -> dt.datetime:
    moment = (at or now()).replace(microsecond=0)
    if moment > now() + dt.timedelta(minutes=5):
        raise InvalidInput("时间不能晚于现在。", field_name)
    return moment


def start(
    *,
    session: Session,
    actor: Actor,
    outage_id: int,
    at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Outage:
    """The power went off: in progress from `at` (now)."""
    actor.require(Permission.edit)
    return _move(
        session, actor, outage_id, OutageStatus.in_progress,
        {"actual_start": _moment(at, "actual_start")}, expected_version,
    )  # fmt: skip


def restore(
    *,
    session: Session,
    actor: Actor,
    outage_id: int,
    at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Outage:
    """Power is back (送电) at `at` (now)."""
    actor.require(Permission.edit)
    outage = _load(session, outage_id)
    moment = _moment(at, "actual_end")
    if outage.actual_start is not None and moment < outage.actual_start:
        raise InvalidInput("恢复供电时间不能早于实际停电时间。", "actual_end")
    return _move(
        session, actor, outage_id, OutageStatus.restored, {"actual_end": moment}, expected_version
    )


def cancel(
    *,
    session: Session,
    actor: Actor,
    outage_id: int,
    reason: str,
    expected_version: int | None = None,
) -> Outage:
    """Call an announced outage off, with the reason (told to those notified)."""
    actor.require(Permission.dispatch)
    text = normalize.clean_text(reason)[:300]
    if not text:
        raise InvalidInput("请填写取消原因。", "cancel_reason")
    return _move(
        session, actor, outage_id, OutageStatus.cancelled, {"cancel_reason": text}, expected_version
    )


# =========================================================================== affected


@dataclass(frozen=True)
class AreaHit:
    id: int
    code: str
    name: str
    feeder: str
    grid_id: int | None
    grid: str
    customers: int


@dataclass
class GridHit:
    id: int
    name: str
    manager_id: int | None
    manager: str
    manager_phone: str
    customers: int = 0


@dataclass(frozen=True)
class CommunityHit:
    id: int | None
    name: str
    customers: int


@dataclass
class PlaceHit:
    """A compound the outage reaches, or the no-compound customers of a community
    (`compound_id` None): one posted notice each."""

    compound_id: int | None
    name: str
    community_id: int | None
    community: str
    customers: int = 0
    buildings: list[str] = field(default_factory=list)
    building_ids: list[int] = field(default_factory=list)
    #: Transformer-area id → customers here, most first.
    areas: Counter[int] = field(default_factory=Counter)
    #: Grid id → customers here; the grid with most is the place's grid.
    grids: Counter[int] = field(default_factory=Counter)

    @property
    def grid_id(self) -> int | None:
        return self.grids.most_common(1)[0][0] if self.grids else None


@dataclass(frozen=True)
class ImportantCustomer:
    id: int
    account_no: str
    name: str
    category: CustomerCategory
    metering: Metering
    contract_kva: int
    phone: str
    address: str
    transformer_area: str


@dataclass(frozen=True)
class ContactHit:
    id: int
    kind: ContactKind
    name: str
    phone: str
    wechat_group: str
    community: str
    compound: str
    building: str
    compound_id: int | None
    building_id: int | None
    grid_id: int | None


@dataclass
class Affected:
    """Who an outage reaches, from the feeder → area → customer mapping."""

    outage_id: int
    feeders: list[str]
    areas: list[AreaHit]
    customers: int
    by_category: dict[CustomerCategory, int]
    important: list[ImportantCustomer]
    grids: list[GridHit]
    communities: list[CommunityHit]
    places: list[PlaceHit]
    buildings: int
    contacts: list[ContactHit]

    @property
    def compounds(self) -> list[PlaceHit]:
        return [p for p in self.places if p.compound_id is not None]

    def contacts_of(self, *kinds: ContactKind) -> list[ContactHit]:
        return [c for c in self.contacts if c.kind in kinds]

    def counts(self) -> dict[str, int]:
        """The headline figures, Chinese keys in display order."""
        out = {"客户": self.customers}
        for cat in CustomerCategory:
            out[cat.label] = self.by_category.get(cat, 0)
        out |= {
            "重要客户": len(self.important),
            "台区": len(self.areas),
            "网格": len(self.grids),
            "社区 / 村": len(self.communities),
            "小区": len(self.compounds),
            "楼栋": self.buildings,
            "楼长": len(self.contacts_of(ContactKind.building_leader)),
            "物业": len(self.contacts_of(ContactKind.property_office)),
            "社区网格员": len(self.contacts_of(ContactKind.community_worker)),
            "其他联系人": len(self.contacts_of(ContactKind.gatekeeper, ContactKind.service_center)),
        }
        return out


class _ContactCols(NamedTuple):
    id: int
    kind: str
    name: str
    phone: str
    wechat_group: str
    community_id: int | None
    compound_id: int | None
    building_id: int | None
    grid_id: int | None


def _building_key(name: str) -> tuple[int, str]:
    digits = "".join(ch for ch in name if ch.isdigit())
    return (int(digits[:9]) if digits else 10**9, name)


def affected(session: Session, outage_id: int) -> Affected:
    """Customers (by category; important ones by name), areas, grids with their
    managers, communities, compounds and buildings, and the contacts who reach
    them. Five set-based queries whatever the scope's size."""
    _load(session, outage_id)
    areas_sel = area_ids_statement(outage_id)
    db: Any = session.connection()  # column rows, no ORM entities: Core is enough
    feeders = [
        name
        for (name,) in db.execute(
            select(col(Feeder.name))
            .join(OutageScope, col(OutageScope.feeder_id) == col(Feeder.id))
            .where(col(OutageScope.outage_id) == outage_id)
            .order_by(col(Feeder.name))
        ).all()
    ]
    # 1. The areas with their feeder, grid and the grid's manager.
    area_rows = db.execute(
        select(
            col(TransformerArea.id), col(TransformerArea.code), col(TransformerArea.name),
            col(Feeder.name), col(Grid.id), col(Grid.name), col(Staff.id), col(Staff.name),
            col(Staff.phone),
        )
        .outerjoin(Feeder, col(Feeder.id) == col(TransformerArea.feeder_id))
        .outerjoin(Grid, col(Grid.id) == col(TransformerArea.grid_id))
        .outerjoin(Staff, col(Staff.id) == col(Grid.manager_id))
        .where(col(TransformerArea.id).in_(areas_sel))
        .order_by(col(TransformerArea.code))
    ).all()  # fmt: skip
    grid_of = {r[0]: r[4] for r in area_rows}
    grids: dict[int, GridHit] = {}
    for r in area_rows:
        if r[4] is not None and r[4] not in grids:
            grids[r[4]] = GridHit(r[4], r[5], r[6], r[7] or "", r[8] or "")
    # 2. Customers grouped by area, category and place (one pass over the index).
    groups = db.execute(
        select(
            col(Customer.transformer_area_id), col(Customer.category),
            col(Customer.community_id), col(Customer.compound_id), col(Customer.building_id),
            func.count(),
        )
        .where(col(Customer.transformer_area_id).in_(areas_sel))
        .group_by(
            col(Customer.transformer_area_id), col(Customer.category),
            col(Customer.community_id), col(Customer.compound_id), col(Customer.building_id),
        )
    ).all()  # fmt: skip
    per_area: Counter[int] = Counter()
    by_category: Counter[CustomerCategory] = Counter()
    per_community: Counter[int | None] = Counter()
    places: dict[tuple[int | None, int | None], PlaceHit] = {}
    building_ids: set[int] = set()
    for ta, category, community, compound, building, n in groups:
        per_area[ta] += n
        by_category[CustomerCategory(category)] += n
        per_community[community] += n
        key = (compound, None if compound is not None else community)
        place = places.get(key)
        if place is None:
            place = places[key] = PlaceHit(compound, "", community, "")
        place.customers += n
        place.areas[ta] += n
        if grid_of.get(ta) is not None:
            place.grids[grid_of[ta]] += n
            grids[grid_of[ta]].customers += n
        if building is not None and building not in place.building_ids:
            place.building_ids.append(building)
            building_ids.add(building)
    # 3. Names of the places (communities, compounds and buildings reached).
    community_ids = [c for c in per_community if c is not None]
    community_names = dict(
        db.execute(
            select(col(AdminArea.id), col(AdminArea.name)).where(
                col(AdminArea.id).in_(community_ids)
            )
        ).all()
    )
    compound_names: dict[int, str] = {}
    building_names: dict[int, str] = {}
    compound_ids = [c for c, _ in places if c is not None]
    if compound_ids:
        for cid, cname, bid, bname in db.execute(
            select(col(Compound.id), col(Compound.name), col(Building.id), col(Building.name))
            .outerjoin(Building, col(Building.compound_id) == col(Compound.id))
            .where(col(Compound.id).in_(compound_ids))
        ).all():  # fmt: skip
            compound_names[cid] = cname
            if bid is not None:
                building_names[bid] = bname
    for place in places.values():
        place.community = community_names.get(place.community_id, "")
        place.name = compound_names.get(place.compound_id, "") if place.compound_id else ""
        place.buildings = sorted(
            (building_names.get(b, "") for b in place.building_ids), key=_building_key
        )
    # 4. Important customers by name.
    important = [
        ImportantCustomer(
            r[0], r[1], r[2], CustomerCategory(r[3]), Metering(r[4]), r[5] or 0, r[6] or "",
            r[7] or "", r[8] or "",
        )
        for r in db.execute(
            select(
                col(Customer.id), col(Customer.account_no), col(Customer.name),
                col(Customer.category), col(Customer.metering), col(Customer.contract_kva),
                col(Customer.phone), col(Customer.address), col(TransformerArea.name),
            )
            .outerjoin(TransformerArea, col(TransformerArea.id) == col(Customer.transformer_area_id))
            .where(
                col(Customer.transformer_area_id).in_(areas_sel),
                col(Customer.category).in_(IMPORTANT_CATEGORIES),
            )
            .order_by(col(Customer.contract_kva).desc(), col(Customer.account_no))
        ).all()
    ]  # fmt: skip
    # 5. Contacts: of an affected building, of an affected compound as a whole, of
    # an affected community outside any compound, or of an affected grid.
    contacts: list[ContactHit] = []
    if community_ids or grids or compound_ids:
        conds = []
        if compound_ids:
            conds.append(col(Contact.compound_id).in_(compound_ids))
        if community_ids:
            conds.append(col(Contact.community_id).in_(community_ids))
        if grids:
            conds.append(col(Contact.grid_id).in_(list(grids)))
        for r in db.execute(
            select(
                col(Contact.id), col(Contact.kind), col(Contact.name), col(Contact.phone),
                col(Contact.wechat_group), col(Contact.community_id), col(Contact.compound_id),
                col(Contact.building_id), col(Contact.grid_id), col(AdminArea.name),
                col(Compound.name), col(Building.name),
            )
            .outerjoin(AdminArea, col(AdminArea.id) == col(Contact.community_id))
            .outerjoin(Compound, col(Compound.id) == col(Contact.compound_id))
            .outerjoin(Building, col(Building.id) == col(Contact.building_id))
            .where(or_(*conds))
            .order_by(col(Contact.compound_id), col(Contact.kind), col(Contact.id))
        ).all():  # fmt: skip
            c = _ContactCols(*r[:9])
            community, compound, building = r[9:]
            if c.building_id is not None:
                hit = c.building_id in building_ids
            elif c.compound_id is not None:
                hit = (c.compound_id, None) in places
            elif c.community_id is not None and per_community.get(c.community_id):
                hit = True
            else:
                hit = c.grid_id is not None and c.grid_id in grids
            if not hit:
                continue
            grid_id = c.grid_id
            if grid_id is None and c.compound_id is not None:
                grid_id = places[(c.compound_id, None)].grid_id
            contacts.append(
                ContactHit(
                    c.id, ContactKind(c.kind), c.name, c.phone, c.wechat_group, community or "",
                    compound or "", building or "", c.compound_id, c.building_id, grid_id,
                )
            )  # fmt: skip
    kind_order = {k: i for i, k in enumerate(ContactKind)}
    contacts.sort(key=lambda c: (c.community, c.compound, kind_order[c.kind], c.building, c.id))
    return Affected(
        outage_id=outage_id,
        feeders=feeders,
        areas=[
            AreaHit(r[0], r[1], r[2], r[3] or "", r[4], r[5] or "", per_area.get(r[0], 0))
            for r in area_rows
        ],
        customers=sum(per_area.values()),
        by_category=dict(by_category),
        important=important,
        grids=sorted(grids.values(), key=lambda g: (-g.customers, g.name)),
        communities=sorted(
            (
                CommunityHit(c, community_names.get(c, ""), n)
                for c, n in per_community.items()
                if c is not None
            ),
            key=lambda h: (-h.customers, h.name),
        ),
        places=sorted(places.values(), key=lambda p: (p.compound_id is None, -p.customers, p.name)),
        buildings=len(building_ids),
        contacts=contacts,
    )


# =========================================================================== lists


@dataclass(frozen=True)
class OutageRow:
    id: int
    kind: OutageKind
    status: OutageStatus
    reason: str
    planned_start: dt.datetime
    planned_end: dt.datetime
    actual_start: dt.datetime | None
    actual_end: dt.datetime | None
    announced_at: dt.datetime
    announced_by: str
    late_notice_reason: str
    cancel_reason: str
    scope: str
    version: int
    pending: int  # notifications not yet sent

    @property
    def late_notice(self) -> bool:
        return bool(self.late_notice_reason)


def area_label(name: str) -> str:
    """An area's name as a scope: 幸福1号台区, 望江社区1号公变台区 (台区 once)."""
    return name if name.endswith("台区") else f"{name}台区"


def _scope_text(session: Session, outage_ids: Sequence[int]) -> dict[int, str]:
    rows = session.execute(
        select(col(OutageScope.outage_id), col(Feeder.name), col(TransformerArea.name))
        .outerjoin(Feeder, col(Feeder.id) == col(OutageScope.feeder_id))
        .outerjoin(TransformerArea, col(TransformerArea.id) == col(OutageScope.transformer_area_id))
        .where(col(OutageScope.outage_id).in_(outage_ids))
        .order_by(col(OutageScope.outage_id), col(OutageScope.id))
    ).all()  # fmt: skip
    parts: dict[int, list[str]] = defaultdict(list)
    for oid, feeder, area in rows:
        parts[oid].append(f"{feeder}（全线）" if feeder else area_label(area or ""))
    return {oid: "、".join(p) for oid, p in parts.items()}


def list_outages(
    session: Session,
    *,
    statuses: Sequence[OutageStatus] = (),
    kinds: Sequence[OutageKind] = (),
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    limit: int = 500,
) -> list[OutageRow]:
    """Outages, the latest planned start first; filtered by status, kind and a
    window the planned start falls in."""
    pending = (
        select(func.count())
        .where(
            col(OutageNotification.outage_id) == col(Outage.id),
            col(OutageNotification.sent_at).is_(None),
        )
        .scalar_subquery()
    )
    stmt = (
        select(Outage, col(AppUser.display_name), col(AppUser.username), pending)
        .outerjoin(AppUser, col(AppUser.id) == col(Outage.announced_by))
        .order_by(col(Outage.planned_start).desc(), col(Outage.id).desc())
        .limit(limit)
    )
    if statuses:
        stmt = stmt.where(col(Outage.status).in_([OutageStatus(s) for s in statuses]))
    if kinds:
        stmt = stmt.where(col(Outage.kind).in_([OutageKind(k) for k in kinds]))
    if since is not None:
        stmt = stmt.where(col(Outage.planned_start) >= since)
    if until is not None:
        stmt = stmt.where(col(Outage.planned_start) < until)
    rows = session.execute(stmt).all()
    scope = _scope_text(session, [o.id for o, *_ in rows])
    return [
        OutageRow(
            o.id, OutageKind(o.kind), OutageStatus(o.status), o.reason, o.planned_start,
            o.planned_end, o.actual_start, o.actual_end, o.announced_at, dname or uname or "",
            o.late_notice_reason, o.cancel_reason, scope.get(o.id, ""), o.version, int(n or 0),
        )
        for o, dname, uname, n in rows
    ]  # fmt: skip


def outage_row(session: Session, outage_id: int) -> OutageRow:
    outage = _load(session, outage_id)
    for row in list_outages(
        session, since=outage.planned_start, until=outage.planned_start + dt.timedelta(seconds=1)
    ):
        if row.id == outage_id:
            return row
    raise NotFound(f"找不到停电事件（{outage_id}）。")  # pragma: no cover


@dataclass(frozen=True)
class OutageDetail:
    row: OutageRow
    notice: NoticeCheck
    affected: Affected
    calls: int
    orders: int


def outage_detail(session: Session, outage_id: int) -> OutageDetail:
    outage = _load(session, outage_id)
    calls = session.execute(
        select(func.count()).select_from(Call).where(col(Call.outage_id) == outage_id)
    ).scalar_one()
    orders = session.execute(
        select(func.count()).select_from(WorkOrder).where(col(WorkOrder.outage_id) == outage_id)
    ).scalar_one()
    return OutageDetail(
        outage_row(session, outage_id), notice_check(session, outage),
        affected(session, outage_id), int(calls), int(orders),
    )  # fmt: skip


# =========================================================================== clustering


def _int_setting(session: Session, key: str, default: int) -> int:
    try:
        return max(int(float(get_setting(session, key) or default)), 1)
    except ValueError:
        return default


def cluster_window(session: Session) -> dt.timedelta:
    """Setting outage.cluster_window_minutes (60 unless set)."""
    return dt.timedelta(minutes=_int_setting(session, CLUSTER_WINDOW_KEY, CLUSTER_WINDOW_DEFAULT))


def cluster_min_calls(session: Session) -> int:
    """Setting outage.cluster_min_calls (3 unless set)."""
    return _int_setting(session, CLUSTER_MIN_KEY, CLUSTER_MIN_DEFAULT)


@dataclass(frozen=True)
class FaultProposal:
    """Repair calls bunched on one area (or one feeder) with no outage recorded."""

    feeder_id: int | None
    transformer_area_ids: tuple[int, ...]
    where: str
    call_ids: tuple[int, ...]
    order_ids: tuple[int, ...]
    first_at: dt.datetime
    last_at: dt.datetime

    @property
    def size(self) -> int:
        return len(self.call_ids) + len(self.order_ids)


@dataclass(frozen=True)
class _Report:
    at: dt.datetime
    area_id: int
    feeder_id: int | None
    call_id: int | None
    order_id: int | None


def _repair_reports(session: Session, since: dt.datetime, until: dt.datetime) -> list[_Report]:
    """Open repair orders with no outage, and repair calls with neither an order
    nor an outage, received in [since, until], with their area and feeder."""
    orders = session.execute(
        select(
            col(WorkOrder.id), col(WorkOrder.received_at), col(TransformerArea.id),
            col(TransformerArea.feeder_id),
        )
        .join(TransformerArea, col(TransformerArea.id) == col(WorkOrder.transformer_area_id))
        .where(
            col(WorkOrder.type) == OrderType.repair,
            col(WorkOrder.status).in_(OPEN_STATUSES),
            col(WorkOrder.outage_id).is_(None),
            col(WorkOrder.received_at) >= since,
            col(WorkOrder.received_at) <= until,
        )
    ).all()  # fmt: skip
    calls = session.execute(
        select(
            col(Call.id), col(Call.started_at), col(TransformerArea.id),
            col(TransformerArea.feeder_id),
        )
        .join(Customer, col(Customer.id) == col(Call.customer_id))
        .join(TransformerArea, col(TransformerArea.id) == col(Customer.transformer_area_id))
        .where(
            col(Call.category) == OrderType.repair,
            col(Call.work_order_id).is_(None),
            col(Call.outage_id).is_(None),
            col(Call.started_at) >= since,
            col(Call.started_at) <= until,
        )
    ).all()  # fmt: skip
    out = [_Report(at, ta, f, None, oid) for oid, at, ta, f in orders]
    out += [_Report(at, ta, f, cid, None) for cid, at, ta, f in calls]
    return sorted(out, key=lambda r: r.at)


def _densest(reports: list[_Report], window: dt.timedelta) -> list[_Report]:
    """The largest run of reports (sorted by time) spanning at most `window`."""
    best: list[_Report] = []
    lo = 0
    for hi in range(len(reports)):
        while reports[hi].at - reports[lo].at > window:
            lo += 1
        if hi - lo + 1 > len(best):
            best = reports[lo : hi + 1]
    return best


def propose_fault_outages(
    session: Session,
    *,
    at: dt.datetime | None = None,
    window: dt.timedelta | None = None,
    min_calls: int | None = None,
) -> list[FaultProposal]:
    """Fault outages the desk should record: at least `min_calls` repair reports
    (open orders, or calls without an order) from one area, or from several areas
    of one feeder, within `window` of each other in the last `window` before `at`
    ... and no outage covering them. A feeder proposal replaces the proposals of
    its areas. Settings give the defaults."""
    at = at or now()
    window = window or cluster_window(session)
    need = min_calls or cluster_min_calls(session)
    reports = _repair_reports(session, at - window * 2, at)
    by_area: dict[int, list[_Report]] = defaultdict(list)
    by_feeder: dict[int, list[_Report]] = defaultdict(list)
    for r in reports:
        if active_outages_for_area(session, r.area_id, r.at):
            continue  # an outage already covers it (the call will be linked)
        by_area[r.area_id].append(r)
        if r.feeder_id is not None:
            by_feeder[r.feeder_id].append(r)
    names = dict(session.execute(select(col(TransformerArea.id), col(TransformerArea.name))).all())
    feeder_names = dict(session.execute(select(col(Feeder.id), col(Feeder.name))).all())
    proposals: list[FaultProposal] = []
    covered: set[int] = set()
    for feeder_id, items in by_feeder.items():
        run = _densest(items, window)
        areas = {r.area_id for r in run}
        if len(run) >= need and len(areas) >= 2:
            proposals.append(
                _proposal(feeder_id, run, f"{feeder_names.get(feeder_id, '')}（全线）")
            )
            covered |= areas
    for area_id, items in by_area.items():
        if area_id in covered:
            continue
        run = _densest(items, window)
        if len(run) >= need:
            proposals.append(_proposal(None, run, area_label(names.get(area_id, ""))))
    return sorted(proposals, key=lambda p: (-p.size, p.first_at))


def _proposal(feeder_id: int | None, run: list[_Report], where: str) -> FaultProposal:
    return FaultProposal(
        feeder_id=feeder_id,
        transformer_area_ids=tuple(sorted({r.area_id for r in run})),
        where=where,
        call_ids=tuple(r.call_id for r in run if r.call_id is not None),
        order_ids=tuple(r.order_id for r in run if r.order_id is not None),
        first_at=run[0].at,
        last_at=run[-1].at,
    )


def accept_fault_proposal(
    *,
    session: Session,
    actor: Actor,
    proposal: FaultProposal,
    reason: str = "",
    expected_end: dt.datetime | None = None,
) -> Outage:
    """Record the proposed fault outage (in progress since the first report),
    link the calls and orders to it and merge the open orders into the earliest
    one (the one the repair crew works on). Needs Permission.dispatch."""
    from gridsvc_desktop.services import work_orders  # calls → outages → work_orders

    actor.require(Permission.dispatch)
    started = proposal.first_at.replace(second=0, microsecond=0)
    outage = announce(
        session=session,
        actor=actor,
        data=OutageInput(
            kind=OutageKind.fault,
            planned_start=started,
            planned_end=expected_end or max(started + FAULT_EXPECTED, now()),
            reason=reason or f"故障停电（{proposal.where}，{proposal.size} 起报修）",
            feeder_ids=(proposal.feeder_id,) if proposal.feeder_id is not None else (),
            transformer_area_ids=proposal.transformer_area_ids
            if proposal.feeder_id is None
            else (),
            announced_at=min(now(), max(proposal.last_at, started)),
        ),
    )
    assert outage.id is not None
    for call_id in proposal.call_ids:
        call = session.get(Call, call_id)
        if call is not None and call.outage_id is None:
            apply_update(session, actor, call, {"outage_id": outage.id}, entity="call")
    orders = [
        o
        for o in (session.get(WorkOrder, i) for i in proposal.order_ids)
        if o is not None and o.status in OPEN_STATUSES
    ]
    orders.sort(key=lambda o: (o.received_at, o.id or 0))
    for o in orders:
        apply_update(session, actor, o, {"outage_id": outage.id}, entity="work_order")
    if orders:
        target = orders[0]
        assert target.id is not None
        for dup in orders[1:]:
            assert dup.id is not None
            if dup.status is not OrderStatus.merged:
                work_orders.merge_orders(
                    session=session, actor=actor, target_id=target.id, duplicate_id=dup.id,
                    note=f"同一故障停电（{proposal.where}）",
                )  # fmt: skip
    return outage


# =========================================================================== choices


@dataclass(frozen=True)
class AreaChoice:
    id: int
    code: str
    name: str
    feeder_id: int | None
    feeder: str


@dataclass(frozen=True)
class ScopeChoices:
    """What the announce dialog offers: feeders, areas, and the notice policy."""

    feeders: list[tuple[int, str]]
    areas: list[AreaChoice]
    policy: SlaPolicy


def scope_choices(session: Session) -> ScopeChoices:
    feeders = [
        (int(i), n)
        for i, n in session.execute(
            select(col(Feeder.id), col(Feeder.name)).order_by(col(Feeder.name))
        ).all()
    ]
    names = dict(feeders)
    areas = [
        AreaChoice(i, code, name, f, names.get(f, "") if f is not None else "")
        for i, code, name, f in session.execute(
            select(
                col(TransformerArea.id), col(TransformerArea.code), col(TransformerArea.name),
                col(TransformerArea.feeder_id),
            ).order_by(col(TransformerArea.code))
        ).all()
    ]  # fmt: skip
    return ScopeChoices(feeders, areas, load_policy(session))
