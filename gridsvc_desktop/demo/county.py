"""The demo county: a whole station's data, generated deterministically from a seed.

`build_county` writes straight into the database with bulk inserts inside one
write transaction: structure first (towns, communities, compounds, buildings,
feeders, staff, grids, transformer areas, contacts, outages), then customers
streamed community by community in chunks (with their arrears), then work
orders, their history and the call log. Rows carry ids assigned here, so
nothing is read back. On SQLite the customer table's secondary indexes and its
FTS trigger are set aside during the load and rebuilt once at the end, in the
same transaction (see db/bulk.deferred_indexes). Nothing but `random.Random(seed)`
and `today` decides what comes out, so the same seed gives the same county.

A few flaws are put in on purpose, for the data-quality and coverage reports:
about 1 % of transformer areas belong to no grid, a few customers have no
transformer area, a few transformer areas have capacity 0, about 1 % of
customers have no phone and some pairs share one.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
import random
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, func, select
from sqlmodel import SQLModel

from gridsvc_desktop.db.bulk import TableSink, deferred_indexes
from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.db.models import (
    AdminArea,
    AppUser,
    Arrears,
    Building,
    Call,
    CollectionAction,
    Compound,
    Contact,
    Customer,
    Feeder,
    Grid,
    GridMember,
    Outage,
    OutageNotification,
    OutageScope,
    Staff,
    StaffLeave,
    StaffSpecialty,
    TransformerArea,
    WorkOrder,
    WorkOrderEvent,
    customer_derived,
)
from gridsvc_desktop.demo import words as W
from gridsvc_desktop.demo.outages import more_outages
from gridsvc_desktop.domain.enums import (
    AreaClass,
    Channel,
    CustomerCategory,
    OrderStatus,
    OrderSubtype,
    OrderType,
    OutageKind,
    OutageStatus,
    Specialty,
)
from gridsvc_desktop.domain.order_states import current_deadline, specialty_for
from gridsvc_desktop.domain.sla import SlaPolicy
from gridsvc_desktop.services import audit
from gridsvc_desktop.services import station as station_svc
from gridsvc_desktop.services.actor import SYSTEM
from gridsvc_desktop.services.progress import NullProgress, Progress, checkpoint

DEFAULT_COUNTY = "清河县"
DEFAULT_STATION = "清河县城关供电所"

# Tables a demo build fills; any of them holding rows already means "not empty".
FILLED_TABLES: tuple[type[SQLModel], ...] = (
    Customer, AdminArea, Compound, Building, Feeder, Grid, TransformerArea, Staff,
    StaffSpecialty, GridMember, StaffLeave, Contact, Outage, OutageScope,
    OutageNotification, Arrears, CollectionAction, WorkOrder, WorkOrderEvent, Call,
)  # fmt: skip

ORDER_WINDOW_DAYS = 60
CALL_WINDOW_DAYS = 42
P_ORDER = 1 / 25
P_CALL = 0.075
P_ARREARS = 0.03
P_FAMILY = 0.001  # two accounts of one family sharing a phone
P_STUCK = 0.015  # orders left open past their time limit
REF_TIME = dt.time(8, 0)  # the demo's "now" is today at 08:00

_DAY = dt.timedelta(days=1)
_MIN = dt.timedelta(minutes=1)
_HOUR = dt.timedelta(hours=1)


def _tbl(model: type[SQLModel]) -> Any:
    return model.__table__  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- summary


@dataclass
class DemoSummary:
    """What a demo build created: per-table counts plus the deliberate flaws."""

    county: str
    station: str
    seed: int
    today: dt.date
    counts: dict[str, int] = field(default_factory=dict)
    towns: int = 0
    communities: int = 0
    remote_communities: int = 0
    categories: dict[str, int] = field(default_factory=dict)
    team_grids: int = 0
    inactive_staff: int = 0
    tas_without_grid: int = 0
    tas_zero_capacity: int = 0
    customers_without_ta: int = 0
    customers_without_phone: int = 0
    shared_phone_pairs: int = 0
    open_orders: int = 0
    overdue_orders: int = 0
    outages_in_progress: int = 0
    arrears_customers: int = 0

    def count(self, table: str) -> int:
        return self.counts.get(table, 0)

    def describe(self) -> str:
        c = self.count
        cat = self.categories
        lines = [
            f"演示县：{self.county}（{self.station}），随机种子 {self.seed}，基准日 {self.today:%Y-%m-%d}",
            f"乡镇/街道 {self.towns} 个，社区/村 {self.communities} 个（其中边远 {self.remote_communities} 个），"
            f"小区 {c('compound')} 个，楼栋 {c('building')} 栋",
            f"10kV 线路 {c('feeder')} 条，台区 {c('transformer_area')} 个"
            f"（{self.tas_without_grid} 个未划入网格、{self.tas_zero_capacity} 个容量为 0，故意留作数据质量检查）",
            f"网格 {c('grid')} 个（网格服务团队 {self.team_grids} 个，其余为专职网格经理），"
            f"人员 {c('staff')} 人（停用 {self.inactive_staff} 人，请假 {c('staff_leave')} 人）",
            f"社区联络人 {c('contact')} 个",
            f"客户 {c('customer'):,} 户：居民 {cat.get('residential', 0):,}、一般工商业 "
            f"{cat.get('commercial', 0):,}、大工业 {cat.get('large_industry', 0):,}、农业 "
            f"{cat.get('agriculture', 0):,}",
            f"  故意留下：{self.customers_without_ta} 户未关联台区，{self.customers_without_phone} 户无电话，"
            f"{self.shared_phone_pairs} 对客户共用一个电话",
            f"工单 {c('work_order'):,} 张（未办结 {self.open_orders} 张，其中超期 {self.overdue_orders} 张），"
            f"处理记录 {c('work_order_event'):,} 条，来电记录 {c('call'):,} 条",
            f"停电 {c('outage')} 次（正在停电 {self.outages_in_progress} 次），停电范围 {c('outage_scope')} 条，"
            f"停电通知 {c('outage_notification')} 条",
            f"欠费 {c('arrears'):,} 笔（{self.arrears_customers:,} 户），催费记录 {c('collection_action'):,} 条",
        ]
        return "\n".join(lines)


# --------------------------------------------------------------------------- plan objects


@dataclass
class _Town:
    id: int
    name: str
    urban: bool
    streets: list[str] = field(default_factory=list)
    feeders: list[int] = field(default_factory=list)


@dataclass
class _Building:
    id: int
    name: str
    units: int
    floors: int
    rooms: int


@dataclass
class _Compound:
    id: int
    name: str
    old: bool
    built: int  # year
    buildings: list[_Building] = field(default_factory=list)


@dataclass
class _TA:
    id: int
    code: str
    name: str
    feeder_id: int
    capacity: int
    community: _Community
    grid_id: int | None = None
    manager_id: int | None = None
    notes: str = ""


@dataclass
class _Staff:
    id: int
    employee_no: str
    name: str
    phone: str
    position: str
    team: str
    base_area_id: int | None
    specialties: list[Specialty]
    active: bool = True
    notes: str = ""


@dataclass
class _Grid:
    id: int
    code: str
    name: str
    community: _Community
    area_class: AreaClass
    team: bool
    manager: _Staff
    members: dict[Specialty, _Staff] = field(default_factory=dict)


@dataclass
class _Company:
    name: str
    kva: int
    ta: _TA


@dataclass
class _Community:
    id: int
    name: str
    town: _Town
    kind: str  # urban | seat | suburb | village
    area_class: AreaClass
    weight: float
    customers: int = 0
    commercial: int = 0
    agriculture: int = 0
    companies: list[_Company] = field(default_factory=list)
    compounds: list[_Compound] = field(default_factory=list)
    groups: int = 0
    feeders: list[int] = field(default_factory=list)
    tas: list[_TA] = field(default_factory=list)  # public transformer areas
    n_tas: int = 0
    grid: _Grid | None = None

    @property
    def residential(self) -> int:
        return self.customers - self.commercial - self.agriculture - len(self.companies)


@dataclass
class _Cust:
    """What later steps need to know about a generated customer."""

    id: int
    name: str
    phone: str
    address: str
    ta: _TA | None
    community: _Community
    category: str


@dataclass
class _OutagePlan:
    id: int
    kind: OutageKind
    status: OutageStatus
    reason: str
    planned_start: dt.datetime
    planned_end: dt.datetime
    actual_start: dt.datetime | None
    actual_end: dt.datetime | None
    announced_at: dt.datetime
    late_notice_reason: str = ""
    cancel_reason: str = ""
    feeders: list[int] = field(default_factory=list)
    tas: list[_TA] = field(default_factory=list)
    caller_ta: _TA | None = None
    callers: list[_Cust] = field(default_factory=list)


@dataclass
class _Order:
    type: OrderType
    subtype: OrderSubtype
    channel: Channel
    urgency: str
    cust: _Cust | None
    caller_name: str
    caller_phone: str
    address: str
    description: str
    resolution: str
    grid: _Grid | None
    ta: _TA | None
    received_at: dt.datetime
    contact_due: dt.datetime | None
    arrival_due: dt.datetime | None
    resolve_due: dt.datetime
    status: OrderStatus = OrderStatus.new
    assignee: _Staff | None = None
    outage: _OutagePlan | None = None
    merged_into: _Order | None = None
    dispatched_at: dt.datetime | None = None
    contacted_at: dt.datetime | None = None
    arrived_at: dt.datetime | None = None
    resolved_at: dt.datetime | None = None
    called_back_at: dt.datetime | None = None
    closed_at: dt.datetime | None = None
    cancelled_at: dt.datetime | None = None
    cancel_reason: str = ""
    satisfaction: int | None = None
    callback_note: str = ""
    external_no: str | None = None
    id: int = 0
    number: str = ""


# --------------------------------------------------------------------------- helpers


class _Feistel:
    """A keyed permutation of 0 … 10**10-1: distinct inputs give distinct
    10-digit codes that look random (so account numbers need no "seen" set)."""

    HALF = 100_000

    def __init__(self, rng: random.Random) -> None:
        self.keys = [rng.getrandbits(32) | 1 for _ in range(4)]

    def __call__(self, index: int) -> str:
        half = self.HALF
        left, right = divmod(index % (half * half), half)
        for key in self.keys:  # each round is invertible, so the whole map is a bijection
            left, right = right, (left + (((right ^ key) * 0x9E3779B1 & 0xFFFFFFFF) >> 7)) % half
        return f"{left * half + right:010d}"


def _cn_number(n: int) -> str:
    """1 → 一, 12 → 十二, 20 → 二十 (for village groups)."""
    if n <= 10:
        return W.CN_NUM[n]
    tens, ones = divmod(n, 10)
    return (W.CN_NUM[tens] if tens > 1 else "") + "十" + (W.CN_NUM[ones] if ones else "")


def _allocate(total: int, weights: Sequence[float]) -> list[int]:
    """Split `total` in proportion to `weights` (largest remainder)."""
    s = sum(weights)
    raw = [total * w / s for w in weights]
    out = [int(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: raw[i] - out[i], reverse=True)
    for i in order[: total - sum(out)]:
        out[i] += 1
    return out


# --------------------------------------------------------------------------- generator


class _Generator:
    def __init__(
        self,
        conn: Connection,
        *,
        customers: int,
        seed: int,
        today: dt.date,
        county: str,
        admin_id: int | None,
        progress: Progress,
    ) -> None:
        self.conn = conn
        self.n = customers
        self.rng = random.Random(seed)
        self.today = today
        self.now = dt.datetime.combine(today, REF_TIME)
        self.county = county
        self.admin_id = admin_id
        self.progress = progress
        self.policy = SlaPolicy()
        self.counts: Counter[str] = Counter()
        self.summary_extra: dict[str, Any] = {}
        cum = 0.0
        self._surnames = [s for s, _ in W.SURNAMES]
        self._surname_cum = []
        for _, w in W.SURNAMES:
            cum += w
            self._surname_cum.append(cum)
        self._staff_phones: set[str] = set()
        self._next: dict[str, int] = {}
        self._work_total = customers + max(200, customers // 4)

    # ----------------------------------------------------------- small pieces

    def _ids(self, model: type[SQLModel]) -> Iterator[int]:
        table = _tbl(model)
        start = self.conn.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one()
        return iter(range(int(start) + 1, 1 << 62))

    def surname(self) -> str:
        x = self.rng.random() * self._surname_cum[-1]
        return self._surnames[bisect.bisect_right(self._surname_cum, x)]

    def given(self, rare: bool = False) -> str:
        rng = self.rng
        pool = W.GIVEN_FEMALE if rng.random() < 0.5 else W.GIVEN_MALE
        if rare:
            return rng.choice(pool) + rng.choice(W.RARE_GIVEN)
        if rng.random() < 0.35:
            return rng.choice(pool)
        return rng.choice(pool) + rng.choice(pool)

    def person(self) -> str:
        return self.surname() + self.given()

    def mobile(self) -> str:
        return self.rng.choice(W.MOBILE_PREFIXES) + f"{self.rng.randrange(100_000_000):08d}"

    def landline(self) -> str:
        return f"{W.AREA_CODE}-{self.rng.randrange(2_000_000, 9_000_000)}"

    def staff_phone(self) -> str:
        while True:
            p = self.mobile()
            if p not in self._staff_phones:
                self._staff_phones.add(p)
                return p

    def date_between(self, start: dt.date, end: dt.date) -> dt.date:
        a, b = start.toordinal(), end.toordinal()
        return dt.date.fromordinal(self.rng.randint(a, max(a, b)))

    def report(self, done: int, message: str) -> None:
        checkpoint(self.progress, min(done, self._work_total), self._work_total, message)

    def sink(
        self, model: type[SQLModel], columns: Sequence[str], after: Sequence[TableSink] = ()
    ) -> TableSink:
        return TableSink(self.conn, _tbl(model), columns, after)

    def close(self, sink: TableSink) -> None:
        sink.flush()
        self.counts[sink.table.name] += sink.count

    # ----------------------------------------------------------- structure

    def build_places(self) -> None:
        rng, n = self.rng, self.n
        n_towns = min(8, 3 + n // 70_000)
        n_urban = (n_towns + 1) // 2
        streets = list(W.URBAN_TOWNS)
        rng.shuffle(streets)
        rural = list(W.RURAL_TOWNS)
        rng.shuffle(rural)
        town_names = [W.SEAT_TOWN, *streets[: n_urban - 1], *rural[: n_towns - n_urban]]
        area_ids = self._ids(AdminArea)
        street_pool = list(W.STREETS)
        rng.shuffle(street_pool)
        self.towns: list[_Town] = []
        for i, name in enumerate(town_names):
            urban = i < n_urban
            town = _Town(next(area_ids), name, urban)
            if urban:
                town.streets = [street_pool.pop() for _ in range(rng.randint(3, 5))]
            else:
                town.streets = ["正街", "新街", "老街", "河街"][: rng.randint(2, 4)]
            self.towns.append(town)

        n_comm = max(9, min(200, round(n / 2500)))
        per_town = _allocate(n_comm, [1.6 if t.urban else 1.0 for t in self.towns])
        per_town = [max(2, k) for k in per_town]
        community_words = list(W.COMMUNITY_WORDS)
        rng.shuffle(community_words)
        used_names: set[str] = set()
        self.communities: list[_Community] = []

        def village_name() -> str:
            for _ in range(1000):
                name = rng.choice(W.VILLAGE_HEAD) + rng.choice(W.VILLAGE_TAIL) + "村"
                if name not in used_names:
                    return name
            return f"{rng.choice(W.VILLAGE_HEAD)}家{len(used_names)}村"

        def community_name() -> str:
            while community_words:
                name = community_words.pop() + "社区"
                if name not in used_names:
                    return name
            return f"新城{_cn_number(len(used_names) % 99 + 1)}社区"

        for town, k in zip(self.towns, per_town, strict=True):
            for j in range(k):
                if town.urban:
                    if town.name == W.SEAT_TOWN and j == k - 1 and k >= 3:
                        kind, cls, w = "suburb", AreaClass.rural, rng.uniform(0.5, 0.8)
                        name = village_name()
                    else:
                        kind, cls, w = "urban", AreaClass.urban, rng.uniform(0.9, 1.6)
                        name = community_name()
                elif j == 0:
                    kind, cls, w = "seat", AreaClass.rural, rng.uniform(0.5, 0.9)
                    name = town.name[:-1] + "社区"
                    if name in used_names:
                        name = community_name()
                else:
                    kind, w = "village", rng.uniform(0.25, 0.6)
                    cls = AreaClass.remote if rng.random() < 0.25 else AreaClass.rural
                    name = village_name()
                used_names.add(name)
                self.communities.append(_Community(next(area_ids), name, town, kind, cls, w))
        villages = [c for c in self.communities if c.kind == "village"]
        if not any(c.area_class is AreaClass.remote for c in self.communities):
            villages[-1].area_class = AreaClass.remote

        # Customers per community and their categories.
        for c, k in zip(
            self.communities,
            _allocate(n, [c.weight for c in self.communities]),
            strict=True,
        ):
            c.customers = k
            if c.kind == "urban":
                c.commercial = round(k * rng.uniform(0.09, 0.14))
            elif c.kind == "seat":
                c.commercial = round(k * 0.12)
                c.agriculture = round(k * 0.01)
            else:
                c.commercial = round(k * 0.03)
                c.agriculture = round(k * 0.05)
        if not any(c.agriculture for c in self.communities):
            villages[0].agriculture = 1

        rows: list[tuple[Any, ...]] = []
        for t in self.towns:
            rows.append((t.id, t.name, "town", None, "urban" if t.urban else "rural"))
        for c in self.communities:
            rows.append((c.id, c.name, "community", c.town.id, c.area_class.value))
        sink = self.sink(AdminArea, ["id", "name", "level", "parent_id", "area_class"])
        sink.extend(rows)
        self.close(sink)

    def build_compounds(self) -> None:
        rng = self.rng
        compound_ids, building_ids = self._ids(Compound), self._ids(Building)
        c_sink = self.sink(Compound, ["id", "community_id", "name"])
        b_sink = self.sink(Building, ["id", "compound_id", "name"], after=[c_sink])
        for c in self.communities:
            if c.kind == "urban":
                need = c.residential * 0.9
            elif c.kind == "seat":
                need = c.residential * 0.5
            else:
                need = 0
            if c.kind in ("village", "suburb", "seat"):
                c.groups = max(3, min(15, c.residential // 35 + 1))
            names = list(W.COMPOUNDS)
            rng.shuffle(names)
            capacity = 0.0
            while capacity * 0.88 < need and names:
                name = names.pop()
                old = "宿舍" in name or c.kind == "seat" or rng.random() < 0.3
                comp = _Compound(
                    next(compound_ids),
                    name,
                    old,
                    rng.randint(1988, 2006) if old else rng.randint(2007, 2022),
                )
                n_b = rng.randint(2, 8) if old else rng.randint(4, 16)
                for b in range(1, n_b + 1):
                    if old:
                        bld = _Building(
                            next(building_ids), f"{b}栋", rng.randint(1, 3), rng.randint(5, 7), 2
                        )
                    else:
                        bld = _Building(
                            next(building_ids),
                            f"{b}栋",
                            rng.randint(1, 3),
                            rng.randint(6, 18),
                            rng.randint(2, 4),
                        )
                    comp.buildings.append(bld)
                    capacity += bld.units * bld.floors * bld.rooms
                    if capacity * 0.88 >= need * 1.02 and b >= 2:
                        break
                c.compounds.append(comp)
                c_sink.add((comp.id, c.id, comp.name))
                for bld in comp.buildings:
                    b_sink.add((bld.id, comp.id, bld.name))
        self.close(c_sink)
        self.close(b_sink)

    def build_network(self) -> None:
        rng = self.rng
        # Public transformer areas per community, and the companies with their own.
        for c in self.communities:
            c.n_tas = max(2, round(c.customers / 130))
        n_public = sum(c.n_tas for c in self.communities)
        n_feeders = max(4, min(60, n_public // 50))
        words = list(W.FEEDER_WORDS)
        rng.shuffle(words)
        feeder_ids = self._ids(Feeder)
        feeders = [(next(feeder_ids), f"10kV{w}线") for w in words[:n_feeders]]
        sink = self.sink(Feeder, ["id", "name"])
        sink.extend(feeders)
        self.close(sink)
        self.feeder_names = dict(feeders)
        town_load = [sum(c.customers for c in self.communities if c.town is t) for t in self.towns]
        per_town = [max(1, k) for k in _allocate(n_feeders - len(self.towns), town_load)]
        pool = [f for f, _ in feeders]
        for t, k in zip(self.towns, per_town, strict=True):
            t.feeders = [pool.pop() for _ in range(min(k, len(pool)))] if pool else []
            if not t.feeders:
                t.feeders = [feeders[rng.randrange(len(feeders))][0]]
        for c in self.communities:
            c.feeders = rng.sample(c.town.feeders, min(len(c.town.feeders), rng.randint(1, 2)))

        ta_ids = self._ids(TransformerArea)
        codes = _Feistel(rng)
        code_offset = rng.randrange(10**9)
        caps = [200, 315, 400, 500, 630, 800, 1000, 1250]
        cap_cum = [10, 30, 45, 65, 85, 93, 98, 100]
        self.tas: list[_TA] = []
        for c in self.communities:
            for i in range(1, c.n_tas + 1):
                cap = caps[bisect.bisect_right(cap_cum, rng.random() * 100)]
                ta = _TA(
                    next(ta_ids),
                    codes(code_offset + len(self.tas)),
                    f"{c.name}{i}号公变",
                    rng.choice(c.feeders),
                    cap,
                    c,
                )
                c.tas.append(ta)
                self.tas.append(ta)
        # Large-industry customers: each with a transformer of its own (专变).
        n_industry = max(2, round(self.n * 0.003))
        urban = [c for c in self.communities if c.kind == "urban"] or self.communities
        names_used: set[str] = set()
        for _ in range(n_industry):
            c = rng.choice(urban)
            if len(c.companies) + c.commercial + c.agriculture >= c.customers - 1:
                continue
            for _attempt in range(20):
                if rng.random() < 0.8:
                    name = f"{self.county}{rng.choice(W.BRANDS)}{rng.choice(W.INDUSTRIES)}有限公司"
                else:
                    name = f"{self.county}{rng.choice(W.BRANDS)}{rng.choice(W.INDUSTRIES)}厂"
                if name not in names_used:
                    break
            names_used.add(name)
            kva = rng.choice([315, 400, 500, 630, 800, 1000, 1250])
            short = name.removeprefix(self.county).removesuffix("有限公司")
            ta = _TA(
                next(ta_ids),
                codes(code_offset + len(self.tas)),
                f"{short}专变",
                rng.choice(c.town.feeders),
                kva,
                c,
            )
            self.tas.append(ta)
            c.companies.append(_Company(name, kva, ta))
        if not any(ta.code.startswith("0") for ta in self.tas):
            taken = {ta.code for ta in self.tas}
            for ta in self.tas:
                candidate = "0" + ta.code[1:]
                if candidate not in taken:
                    ta.code = candidate
                    break
        # Deliberate flaws: a few transformers with capacity 0 (unknown), ~1 % without grid.
        public = [ta for c in self.communities for ta in c.tas]
        for ta in rng.sample(public, max(2, len(public) // 200)):
            ta.capacity = 0
            ta.notes = "变压器容量待核实"
        multi = [ta for c in self.communities if len(c.tas) >= 2 for ta in c.tas[1:]]
        self.no_grid_tas = {
            ta.id for ta in rng.sample(multi, min(len(multi), max(1, len(self.tas) // 100)))
        }

    def build_people(self) -> None:
        rng = self.rng
        staff_ids = self._ids(Staff)
        emp = iter(range(1000, 100_000))
        names_used: set[str] = set()
        self.staff: list[_Staff] = []

        def new_staff(
            position: str, team: str, specs: list[Specialty], base: int | None = None
        ) -> _Staff:
            name = self.person()
            while name in names_used:
                name = self.person()
            names_used.add(name)
            s = _Staff(
                next(staff_ids),
                f"DY{next(emp)}",
                name,
                self.staff_phone(),
                position,
                team,
                base,
                specs,
            )
            self.staff.append(s)
            return s

        n_grids = len(self.communities)
        team_idx = set(rng.sample(range(n_grids), max(1, round(n_grids * 0.2))))
        team_idx.discard(0)  # the first grid stays a dedicated manager's
        if not team_idx:
            team_idx = {n_grids - 1}
        grid_ids = self._ids(Grid)
        self.grids: list[_Grid] = []
        extra = [
            Specialty.repair,
            Specialty.metering_billing,
            Specialty.new_connection,
            Specialty.inspection,
        ]
        for i, c in enumerate(self.communities):
            specs = [Specialty.general]
            if rng.random() < 0.3:
                specs.append(rng.choice(extra))
            mgr = new_staff("网格客户经理", f"{c.town.name}服务班", specs, c.town.id)
            g = _Grid(
                next(grid_ids),
                f"WG{i + 1:03d}",
                f"{c.name}网格",
                c,
                c.area_class,
                i in team_idx,
                mgr,
            )
            c.grid = g
            self.grids.append(g)
        for g in self.grids:
            if g.team:
                for spec in extra:
                    g.members[spec] = new_staff(
                        "网格服务专员",
                        f"{g.community.town.name}服务班",
                        [spec],
                        g.community.town.id,
                    )
        self.head = new_staff("所长", "所部", [Specialty.general])
        new_staff("副所长", "所部", [Specialty.general])
        self.desk_lead = new_staff(
            "营业班长", "营业班", [Specialty.metering_billing, Specialty.new_connection]
        )
        self.repair_lead = new_staff("抢修班长", "抢修班", [Specialty.repair])
        for _ in range(max(3, n_grids // 4)):
            new_staff("抢修员", "抢修班", [Specialty.repair])
        for _ in range(max(2, n_grids // 5)):
            new_staff("抄表员", "营业班", [Specialty.metering_billing])
        for _ in range(max(1, n_grids // 10)):
            new_staff("收费员", "营业班", [Specialty.metering_billing])
        for _ in range(max(1, n_grids // 12)):
            new_staff("用电检查员", "营业班", [Specialty.inspection])
        for _ in range(max(1, n_grids // 12)):
            new_staff("业扩报装员", "营业班", [Specialty.new_connection])
        new_staff("安全员", "所部", [Specialty.general])
        gone = new_staff("抄表员", "营业班", [Specialty.metering_billing])
        gone.active, gone.notes = False, "已退休"
        gone = new_staff("抢修员", "抢修班", [Specialty.repair])
        gone.active, gone.notes = False, "已调往县公司"

        cols = [
            "id",
            "employee_no",
            "name",
            "phone",
            "position",
            "team",
            "base_area_id",
            "active",
            "notes",
            "version",
        ]
        sink = self.sink(Staff, cols)
        spec_sink = self.sink(StaffSpecialty, ["staff_id", "specialty"], after=[sink])
        for s in self.staff:
            sink.add(
                (
                    s.id,
                    s.employee_no,
                    s.name,
                    s.phone,
                    s.position,
                    s.team,
                    s.base_area_id,
                    s.active,
                    s.notes,
                    1,
                )
            )
            for spec in s.specialties:
                spec_sink.add((s.id, spec.value))
        self.close(sink)
        self.close(spec_sink)

        g_sink = self.sink(
            Grid,
            [
                "id",
                "code",
                "name",
                "community_id",
                "area_class",
                "service_mode",
                "manager_id",
                "notes",
                "version",
            ],
        )
        m_sink = self.sink(GridMember, ["grid_id", "staff_id", "role"], after=[g_sink])
        for g in self.grids:
            g_sink.add(
                (
                    g.id, g.code, g.name, g.community.id, g.area_class.value,
                    "team" if g.team else "dedicated_manager", g.manager.id, "", 1,
                )
            )  # fmt: skip
            m_sink.add((g.id, g.manager.id, "manager"))
            for member in g.members.values():
                m_sink.add((g.id, member.id, "member"))
        self.close(g_sink)
        self.close(m_sink)

        # One manager on leave this week, with a colleague from the same town standing in.
        dedicated = [g for g in self.grids if not g.team]
        on_leave = dedicated[rng.randrange(len(dedicated))]
        peers = [
            g
            for g in self.grids
            if g is not on_leave and g.community.town is on_leave.community.town
        ]
        peers = peers or [g for g in self.grids if g is not on_leave]
        substitute = rng.choice(peers).manager
        self.leave = (on_leave.manager, substitute, self.today - 2 * _DAY, self.today + 4 * _DAY)
        sink = self.sink(StaffLeave, ["id", "staff_id", "substitute_id", "start", "end", "reason"])
        sink.add(
            (
                next(self._ids(StaffLeave)),
                on_leave.manager.id,
                substitute.id,
                self.leave[2],
                self.leave[3],
                "年休假",
            )
        )
        self.close(sink)

        ta_sink = self.sink(
            TransformerArea,
            [
                "id",
                "code",
                "name",
                "feeder_id",
                "capacity_kva",
                "grid_id",
                "community_id",
                "manager_id",
                "notes",
                "version",
            ],
        )
        for ta in self.tas:
            grid = ta.community.grid
            if grid is not None and ta.id not in self.no_grid_tas:
                ta.grid_id, ta.manager_id = grid.id, grid.manager.id
            ta_sink.add(
                (
                    ta.id,
                    ta.code,
                    ta.name,
                    ta.feeder_id,
                    ta.capacity,
                    ta.grid_id,
                    ta.community.id,
                    ta.manager_id,
                    ta.notes,
                    1,
                )
            )
        self.close(ta_sink)

    def build_contacts(self) -> None:
        rng = self.rng
        ids = self._ids(Contact)
        cols = [
            "id",
            "kind",
            "name",
            "phone",
            "wechat_group",
            "community_id",
            "compound_id",
            "building_id",
            "grid_id",
            "notes",
        ]
        sink = self.sink(Contact, cols)
        self.contacts_by_community: dict[int, list[int]] = {}

        def add(
            kind: str,
            name: str,
            phone: str,
            group: str,
            c: _Community,
            comp: int | None,
            bld: int | None,
        ) -> None:
            cid = next(ids)
            self.contacts_by_community.setdefault(c.id, []).append(cid)
            sink.add(
                (cid, kind, name, phone, group, c.id, comp, bld, c.grid.id if c.grid else None, "")
            )

        for c in self.communities:
            group = f"{c.name}居民群" if c.kind in ("urban", "seat") else f"{c.name}村民群"
            for _ in range(rng.randint(1, 2) if c.kind == "urban" else 1):
                add("community_worker", self.person(), self.mobile(), group, c, None, None)
            center = f"{c.name}服务中心" if c.name.endswith("社区") else f"{c.name}便民服务中心"
            add("service_center", center, self.landline(), group, c, None, None)
            for comp in c.compounds:
                if not comp.old or rng.random() < 0.3:
                    add(
                        "property_office",
                        self.person(),
                        self.mobile(),
                        f"{comp.name}业主群",
                        c,
                        comp.id,
                        None,
                    )
                if comp.old or rng.random() < 0.3:
                    add("gatekeeper", self.person(), self.mobile(), "", c, comp.id, None)
                for bld in comp.buildings:
                    if rng.random() < (0.8 if comp.old else 0.6):
                        add(
                            "building_leader", self.person(), self.mobile(),
                            f"{comp.name}{bld.name}住户群", c, comp.id, bld.id,
                        )  # fmt: skip
        self.close(sink)

    def build_outages(self) -> None:
        rng, now, today = self.rng, self.now, self.today
        ids = self._ids(Outage)
        with_grid = [
            ta for c in self.communities if c.kind == "urban" for ta in c.tas if ta.grid_id
        ] or [ta for ta in self.tas if ta.grid_id]
        any_ta = [ta for c in self.communities for ta in c.tas]
        feeders = list(self.feeder_names)
        self.outages: list[_OutagePlan] = []

        def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
            return dt.datetime.combine(day, dt.time(hour, minute))

        def ta_on(feeder: int) -> _TA | None:
            on = [ta for ta in any_ta if ta.feeder_id == feeder]
            return rng.choice(on) if on else None

        # A fault in progress right now on one transformer area.
        ta = rng.choice(with_grid)
        start = now - dt.timedelta(minutes=rng.randint(70, 130))
        self.outages.append(
            _OutagePlan(
                next(ids), OutageKind.fault, OutageStatus.in_progress, rng.choice(W.FAULT_REASONS),
                start, now + dt.timedelta(hours=2), start, None, start + dt.timedelta(minutes=12),
                tas=[ta], caller_ta=ta,
            )
        )  # fmt: skip
        # Planned outage of a whole feeder next week, announced in time.
        day = today + dt.timedelta(days=rng.randint(7, 9))
        f = rng.choice(feeders)
        self.outages.append(
            _OutagePlan(
                next(ids), OutageKind.planned, OutageStatus.announced, rng.choice(W.PLANNED_REASONS),
                at(day, 8), at(day, 18), None, None, now - dt.timedelta(hours=rng.randint(2, 20)),
                feeders=[f],
            )
        )  # fmt: skip
        # A temporary maintenance outage tomorrow on one area (announced 25 h ahead).
        ta2 = rng.choice(any_ta)
        tomorrow = today + _DAY
        self.outages.append(
            _OutagePlan(
                next(ids), OutageKind.temporary, OutageStatus.announced, rng.choice(W.TEMPORARY_REASONS),
                at(tomorrow, 9), at(tomorrow, 12), None, None, now, tas=[ta2],
            )
        )  # fmt: skip
        # A planned outage that was called off.
        day = today + dt.timedelta(days=rng.randint(2, 5))
        self.outages.append(
            _OutagePlan(
                next(ids), OutageKind.planned, OutageStatus.cancelled, rng.choice(W.PLANNED_REASONS),
                at(day, 8, 30), at(day, 17), None, None, at(day - 8 * _DAY, 10),
                cancel_reason="天气原因，检修改期", feeders=[rng.choice(feeders)],
            )
        )  # fmt: skip
        # Past planned outages: whole feeders, one with a late notice, one on two areas.
        for k in range(3):
            day = today - dt.timedelta(days=rng.randint(8, 50))
            start, end = at(day, 8), at(day, rng.choice([12, 15, 18]))
            announced = at(
                day - dt.timedelta(days=rng.randint(7, 10)), rng.randint(9, 16), rng.randint(0, 59)
            )
            plan = _OutagePlan(
                next(ids), OutageKind.planned, OutageStatus.restored, rng.choice(W.PLANNED_REASONS),
                start, end, start + rng.randint(0, 15) * _MIN, end - rng.randint(0, 40) * _MIN, announced,
            )  # fmt: skip
            if k == 1:
                plan.announced_at = at(
                    day - dt.timedelta(days=4), rng.randint(9, 16), rng.randint(0, 59)
                )
                plan.late_notice_reason = "配合市政道路施工，停电时间临时调整"
            if k == 2:
                plan.tas = rng.sample(any_ta, min(2, len(any_ta)))
            else:
                plan.feeders = [rng.choice(feeders)]
            self.outages.append(plan)
        # A past temporary outage.
        day = today - dt.timedelta(days=rng.randint(3, 30))
        start = at(day, 9)
        self.outages.append(
            _OutagePlan(
                next(ids), OutageKind.temporary, OutageStatus.restored, rng.choice(W.TEMPORARY_REASONS),
                start, start + 3 * _HOUR, start, start + dt.timedelta(minutes=rng.randint(100, 180)),
                at(day - _DAY * rng.randint(1, 2), rng.randint(9, 16), rng.randint(0, 59)),
                tas=[rng.choice(any_ta)],
            )
        )  # fmt: skip
        # Past faults: single areas and whole-feeder trips.
        for k in range(2 + self.n // 100_000):
            start = now - dt.timedelta(
                days=rng.randint(2, ORDER_WINDOW_DAYS - 2), minutes=rng.randint(0, 1440)
            )
            end = start + dt.timedelta(minutes=rng.randint(50, 260))
            plan = _OutagePlan(
                next(ids), OutageKind.fault, OutageStatus.restored, rng.choice(W.FAULT_REASONS),
                start, end, start, end, start + rng.randint(5, 20) * _MIN,
            )  # fmt: skip
            if k % 2:
                f = rng.choice(feeders)
                plan.feeders = [f]
                plan.caller_ta = ta_on(f)
            else:
                plan.tas = [rng.choice(any_ta)]
                plan.caller_ta = plan.tas[0]
            self.outages.append(plan)
        self.outages += more_outages(self, ids, any_ta, feeders)  # demo/outages.py

        cols = [
            "id", "kind", "status", "reason", "planned_start", "planned_end", "actual_start",
            "actual_end", "announced_at", "announced_by", "late_notice_reason", "cancel_reason", "version",
        ]  # fmt: skip
        sink = self.sink(Outage, cols)
        scope = self.sink(
            OutageScope, ["id", "outage_id", "feeder_id", "transformer_area_id"], after=[sink]
        )
        scope_ids = self._ids(OutageScope)
        for o in self.outages:
            sink.add(
                (
                    o.id, o.kind.value, o.status.value, o.reason, o.planned_start, o.planned_end,
                    o.actual_start, o.actual_end, o.announced_at, self.admin_id,
                    o.late_notice_reason, o.cancel_reason, 1,
                )
            )  # fmt: skip
            for f in o.feeders:
                scope.add((next(scope_ids), o.id, f, None))
            for t in o.tas:
                scope.add((next(scope_ids), o.id, None, t.id))
        self.close(sink)
        self.close(scope)
        self.callers_wanted: dict[int, list[_OutagePlan]] = {}
        for o in self.outages:
            if o.caller_ta is not None:
                self.callers_wanted.setdefault(o.caller_ta.id, []).append(o)

        # Notices sent (or still to send) to the community contacts of affected areas.
        n_sink = self.sink(
            OutageNotification,
            [
                "id",
                "outage_id",
                "kind",
                "contact_id",
                "staff_id",
                "channel",
                "message",
                "sent_at",
                "user_id",
            ],
        )
        n_ids = self._ids(OutageNotification)
        for o in self.outages:
            if o.status is OutageStatus.cancelled:
                continue
            tas = list(o.tas) + [ta for ta in any_ta if ta.feeder_id in o.feeders]
            communities: list[int] = []
            for t in tas:
                if t.community.id not in communities:
                    communities.append(t.community.id)
            contacts = [cid for c in communities for cid in self.contacts_by_community.get(c, [])][
                :30
            ]
            when = f"{o.planned_start:%m月%d日%H:%M}至{o.planned_end:%H:%M}"
            message = f"【停电通知】因{o.reason}，{when}停电，请提前做好准备。"
            for i, cid in enumerate(contacts):
                sent = o.announced_at + dt.timedelta(minutes=rng.randint(5, 180))
                if o.status is OutageStatus.announced and i % 3 == 2:
                    sent_at = None  # not everyone told yet
                else:
                    sent_at = min(sent, now)
                channel = rng.choice(["wechat", "wechat", "sms", "phone"])
                n_sink.add(
                    (
                        next(n_ids),
                        o.id,
                        "notice",
                        cid,
                        None,
                        channel,
                        message,
                        sent_at,
                        self.admin_id,
                    )
                )
                if o.status is OutageStatus.restored and o.actual_end and i < 10:
                    n_sink.add(
                        (
                            next(n_ids), o.id, "restoration", cid, None, "wechat",
                            f"【送电通知】{o.actual_end:%m月%d日%H:%M}已恢复供电。",
                            o.actual_end + rng.randint(3, 30) * _MIN, self.admin_id,
                        )
                    )  # fmt: skip
        self.close(n_sink)

    # ----------------------------------------------------------- customers

    def build_customers(self) -> None:
        rng, county, today = self.rng, self.county, self.today
        accounts = _Feistel(rng)
        acct_offset = rng.randrange(10**9)
        cols = [
            "id", "account_no", "name", "address", "category", "metering", "transformer_area_id",
            "meter_no", "phone", "phone_digits", "phone_rev", "community_id", "compound_id",
            "building_id", "opened_on", "contract_kva", "notes", "search_name", "search_address",
            "updated_at", "version",
        ]  # fmt: skip
        sink = self.sink(Customer, cols)
        a_sink = self.sink(
            Arrears,
            [
                "id", "customer_id", "month", "amount_fen", "ledger_late_fee_fen", "status",
                "first_seen", "last_seen", "paid_on", "promised_on", "collector_id", "version",
            ],
            after=[sink],
        )  # fmt: skip
        ca_sink = self.sink(
            CollectionAction,
            ["id", "arrears_id", "kind", "at", "user_id", "result", "promised_on", "note"],
            after=[a_sink],
        )
        self.arrears_ids = self._ids(Arrears)
        self.action_ids = self._ids(CollectionAction)
        ids = self._ids(Customer)
        updated = self.now
        self.order_custs: list[_Cust] = []
        self.call_custs: list[_Cust] = []
        categories: Counter[str] = Counter()
        no_ta = set(rng.sample(range(self.n), max(3, self.n // 1000)))
        rare_at = {5, 17} | {i for i in range(40, self.n, 25_000)}
        pair_at = {11, 23}
        rng_random, rng_choice, bits = rng.random, rng.choice, rng.getrandbits
        prefixes, n_prefixes = W.MOBILE_PREFIXES, len(W.MOBILE_PREFIXES)
        old_days = (dt.date(1995, 1, 1).toordinal(), (today - 30 * _DAY).toordinal())
        self.empty_phones = 0
        self.shared_pairs = 0
        self.no_ta_count = 0
        self.arrears_customers = 0
        index = 0
        last_phone = ""
        last_surname = ""
        for c in self.communities:
            town = c.town
            prefix = f"{county}{town.name}{c.name}"
            slots = self._residential_slots(c, prefix)
            n_res = c.residential
            kinds = (
                ["residential"] * n_res
                + ["commercial"] * c.commercial
                + ["agriculture"] * c.agriculture
                + ["large_industry"] * len(c.companies)
            )
            companies = iter(c.companies)
            for kind in kinds:
                cid = next(ids)
                ta: _TA | None
                compound_id = building_id = None
                family = False
                notes = ""
                if kind == "residential":
                    address, compound_id, building_id, ta, opened_year = next(slots)
                    if index in pair_at or (index > 30 and last_phone and rng_random() < P_FAMILY):
                        family = bool(last_phone)
                    if family:
                        surname = last_surname
                        name = surname + self.given()
                    else:
                        surname = self.surname()
                        name = surname + self.given(rare=index in rare_at)
                    metering = "shared" if rng_random() < 0.03 else "individual"
                    kva = 8 if rng_random() < 0.7 else rng_choice((4, 6, 10, 12))
                    lo = max(old_days[0], dt.date(opened_year, 1, 1).toordinal())
                    lo = min(lo, old_days[1])
                    opened = dt.date.fromordinal(lo + int(rng_random() * (old_days[1] - lo + 1)))
                elif kind == "commercial":
                    surname = self.surname()
                    owner = surname + self.given()
                    street = rng_choice(town.streets)
                    if rng_random() < 0.8:
                        name = f"{county}{street}{owner}{rng_choice(W.SHOPS)}"
                    else:
                        name = f"{county}{rng_choice(W.BRANDS)}{rng_choice(W.INDUSTRIES)}有限公司"
                    address = f"{county}{town.name}{street}{rng.randint(1, 320)}号"
                    ta = rng_choice(c.tas)
                    metering = "shared" if rng_random() < 0.08 else "individual"
                    kva = rng_choice((10, 15, 20, 30, 50, 80, 100))
                    opened = dt.date.fromordinal(
                        rng.randint(dt.date(2003, 1, 1).toordinal(), old_days[1])
                    )
                elif kind == "agriculture":
                    surname = self.surname()
                    group = _cn_number(rng.randint(1, max(1, c.groups)))
                    r = rng_random()
                    if r < 0.35:
                        name = f"{county}{c.name}{group}组提灌站"
                    elif r < 0.7:
                        name = f"{county}{c.name}{surname}{self.given()}{rng_choice(W.FARMS[1:])}"
                    else:
                        name = f"{county}{rng_choice(W.BRANDS)}{W.FARMS[0]}"
                    address = f"{prefix}{group}组{rng.randint(1, 80)}号"
                    ta = rng_choice(c.tas)
                    metering = "individual" if rng_random() < 0.8 else "shared"
                    kva = rng_choice((10, 15, 20, 30, 50))
                    opened = dt.date.fromordinal(
                        rng.randint(dt.date(2000, 1, 1).toordinal(), old_days[1])
                    )
                else:
                    company = next(companies)
                    surname = ""
                    name = company.name
                    address = f"{county}{town.name}工业园区{rng.randint(1, 120)}号"
                    ta = company.ta
                    metering = "dedicated"
                    kva = company.kva
                    opened = dt.date.fromordinal(
                        rng.randint(dt.date(2005, 1, 1).toordinal(), old_days[1])
                    )
                if index in no_ta and kind != "large_industry":
                    ta = None
                    notes = "台区未关联，待现场核实"
                    self.no_ta_count += 1
                # Phone: mostly mobile, some landlines, ~1 % missing, families sharing one.
                if family:
                    phone = last_phone
                    notes = "与上一户为同一家庭，共用联系电话"
                    self.shared_pairs += 1
                else:
                    r = rng_random()
                    if r < 0.01:
                        phone = ""
                        self.empty_phones += 1
                    elif r < (0.15 if kind == "commercial" else 0.04):
                        phone = self.landline()
                    else:
                        phone = (
                            prefixes[int(rng_random() * n_prefixes)]
                            + f"{int(rng_random() * 1e8):08d}"
                        )
                if kind == "residential":
                    last_phone, last_surname = phone, surname
                derived = customer_derived(name, address, phone)
                sink.add(
                    (
                        cid, accounts(acct_offset + index), name, address, kind, metering,
                        ta.id if ta else None, f"{bits(73) % (9 * 10**21) + 10**21}", phone,
                        derived["phone_digits"], derived["phone_rev"], c.id, compound_id,
                        building_id, opened, kva, notes, derived["search_name"],
                        derived["search_address"], updated, 1,
                    )
                )  # fmt: skip
                categories[kind] += 1
                info: _Cust | None = None
                u = rng_random()
                if u < P_ORDER + P_CALL:
                    info = _Cust(cid, name, phone, address, ta, c, kind)
                    (self.order_custs if u < P_ORDER else self.call_custs).append(info)
                if ta is not None and ta.id in self.callers_wanted:
                    for o in self.callers_wanted[ta.id]:
                        if len(o.callers) < 6 and rng_random() < 0.5:
                            o.callers.append(info or _Cust(cid, name, phone, address, ta, c, kind))
                if rng_random() < P_ARREARS or index == 3:
                    self._arrears(cid, kind, ta, opened, a_sink, ca_sink)
                index += 1
                if index % 10_000 == 0:
                    self.report(index, "生成客户")
        self.close(sink)
        self.close(a_sink)
        self.close(ca_sink)
        self.categories = dict(categories)
        self.report(self.n, "生成客户")

    def _residential_slots(
        self, c: _Community, prefix: str
    ) -> Iterator[tuple[str, int | None, int | None, _TA, int]]:
        """Addresses for the residents of one community, in walking order, with
        the transformer area that feeds them (neighbours share one)."""
        rng = self.rng
        tas = c.tas
        k = len(tas)
        buildings = [(comp, b) for comp in c.compounds for b in comp.buildings]
        n_b = len(buildings)
        town = c.town
        for i, (comp, b) in enumerate(buildings):
            ta = tas[i * k // n_b]
            for unit in range(1, b.units + 1):
                for floor in range(1, b.floors + 1):
                    for room in range(1, b.rooms + 1):
                        if rng.random() < 0.12:
                            continue  # not every flat is a separate account
                        yield (
                            f"{prefix}{comp.name}{b.name}{unit}单元{floor}{room:02d}",
                            comp.id,
                            b.id,
                            ta,
                            comp.built,
                        )
        groups = max(1, c.groups)
        house = [0] * (groups + 1)
        if c.kind == "urban":
            while True:  # street houses once the compounds are full
                street = rng.choice(town.streets)
                yield (
                    f"{self.county}{town.name}{street}{rng.randint(1, 400)}号",
                    None,
                    None,
                    rng.choice(tas),
                    1990,
                )
        while True:
            if c.kind == "seat" and rng.random() < 0.4:
                street = rng.choice(town.streets)
                yield (
                    f"{self.county}{town.name}{street}{rng.randint(1, 200)}号",
                    None,
                    None,
                    rng.choice(tas),
                    1990,
                )
                continue
            g = rng.randint(1, groups)
            house[g] += rng.randint(1, 3)
            yield (
                f"{prefix}{_cn_number(g)}组{house[g]}号",
                None,
                None,
                tas[(g - 1) * k // groups],
                1990,
            )

    def _arrears(
        self,
        customer_id: int,
        kind: str,
        ta: _TA | None,
        opened: dt.date,
        sink: TableSink,
        actions: TableSink,
    ) -> None:
        rng, today, now = self.rng, self.today, self.now
        n_months = 1 if rng.random() < 0.6 else (2 if rng.random() < 0.6 else 3)
        back = rng.randint(1, 12 - n_months + 1)
        months = []
        for j in range(n_months):
            year, month0 = divmod(today.year * 12 + today.month - 1 - (back + j), 12)
            if dt.date(year, month0 + 1, 1) >= opened:
                months.append((year, month0 + 1))
        if not months:
            return
        self.arrears_customers += 1
        collector = None
        if ta is not None and ta.community.grid is not None and ta.grid_id is not None:
            collector = ta.community.grid.manager.id
        mu = {"residential": 150, "commercial": 1200, "large_industry": 30_000, "agriculture": 600}[
            kind
        ]
        rate = 0.001 if kind == "residential" else 0.002
        roll = rng.random()
        status = (
            "open" if roll < 0.65 else "promised" if roll < 0.75 else "notice_served" if roll < 0.83
            else "cut_off" if roll < 0.87 else "paid"
        )  # fmt: skip
        # The oldest month decides when collection could start.
        oldest_due = dt.date(months[-1][0] + (months[-1][1] == 12), months[-1][1] % 12 + 1, 15)
        start = min(
            dt.datetime.combine(min(today, oldest_due + 2 * _DAY), dt.time(9, 30)), now - _HOUR
        )
        notice_days = 7 if kind == "residential" else 3
        cut_at = now - dt.timedelta(hours=rng.randint(20, 120))
        notice_at = cut_at - dt.timedelta(days=notice_days, hours=rng.randint(2, 72))
        if status == "cut_off" and notice_at <= start:
            status = "notice_served"  # too recent for a lawful cut-off
        span = now - start

        def when(frac: float) -> dt.datetime:
            return start + span * frac

        paid_on = (
            self.date_between(max(start.date(), today - 20 * _DAY), today)
            if status == "paid"
            else None
        )
        promised_on = today + rng.randint(1, 14) * _DAY if status == "promised" else None
        for year, month in months:
            amount = int(math.exp(rng.gauss(math.log(mu), 0.6)) * 100)
            due = dt.date(year + (month == 12), month % 12 + 1, 15)
            days = max(0, (today - due).days)
            fee_rate = rate if (kind == "residential" or due.year == today.year) else 0.003
            fee = int(amount * fee_rate * days)
            aid = next(self.arrears_ids)
            first_seen = min(today, due + rng.randint(1, 5) * _DAY)
            last_seen = paid_on if paid_on is not None and paid_on >= first_seen else today
            sink.add(
                (
                    aid, customer_id, f"{year:04d}{month:02d}", amount, fee, status, first_seen,
                    last_seen, paid_on, promised_on, collector, 1,
                )
            )  # fmt: skip
            steps: list[tuple[dt.datetime, str, str, dt.date | None]] = []
            if status == "open" and rng.random() < 0.3:
                steps = [
                    (
                        when(rng.random()),
                        rng.choice(["sms", "wechat", "phone"]),
                        "已提醒客户缴费",
                        None,
                    )
                ]
            elif status == "promised":
                steps = [(when(rng.uniform(0.5, 1)), "phone", "客户承诺按期缴费", promised_on)]
            elif status == "notice_served":
                steps = [
                    (when(rng.uniform(0, 0.4)), "sms", "已发送催费短信", None),
                    (when(rng.uniform(0.5, 1)), "written_notice", "已送达书面停电通知", None),
                ]
            elif status == "cut_off":
                steps = [
                    (start + (notice_at - start) * rng.random(), "phone", "客户未接听", None),
                    (
                        notice_at,
                        "written_notice",
                        f"已送达书面停电通知，{notice_days}日后停电",
                        None,
                    ),
                    (cut_at, "cut_off", "逾期未缴，已依法停电", None),
                ]
            elif status == "paid" and paid_on is not None:
                pay_at = min(
                    now,
                    dt.datetime.combine(paid_on, dt.time(rng.randint(9, 17), rng.randint(0, 59))),
                )
                steps = [
                    (start + (pay_at - start) * rng.uniform(0.1, 0.9), "phone", "已电话催费", None),
                    (pay_at, "payment", "客户已缴清", None),
                ]
            for at, ckind, result, promised in steps:
                at = min(at, now).replace(microsecond=0)
                actions.add(
                    (next(self.action_ids), aid, ckind, at, self.admin_id, result, promised, "")
                )

    # ----------------------------------------------------------- orders

    def _assignee(self, o: _Order, at: dt.datetime) -> _Staff:
        """The grid's manager, or in a team grid the member of the order's
        specialty; the substitute while the person is on leave; the station's
        team leads for customers outside every grid."""
        grid = o.grid
        if grid is None:
            return self.repair_lead if o.type is OrderType.repair else self.desk_lead
        person = grid.members.get(specialty_for(o.type, o.subtype), grid.manager)
        who, sub, start, end = self.leave
        if person is who and start <= at.date() <= end:
            return sub
        return person

    def _new_order(
        self,
        cust: _Cust | None,
        otype: OrderType,
        received: dt.datetime,
        channel: Channel | None = None,
    ) -> _Order:
        rng = self.rng
        subtype = OrderSubtype.none
        key = otype.value
        category = cust.category if cust else "residential"
        if otype is OrderType.billing:
            subtype = rng.choice(
                [
                    OrderSubtype.none,
                    OrderSubtype.reconnection,
                    OrderSubtype.reading_anomaly,
                    OrderSubtype.meter_calibration,
                ]
            )
        elif otype is OrderType.new_connection:
            subtype = (
                OrderSubtype.new_connection_residential
                if category == "residential"
                else OrderSubtype.new_connection_low_voltage
            )
        elif otype is OrderType.service_request:
            subtype = rng.choice(
                [OrderSubtype.none, OrderSubtype.change_of_name, OrderSubtype.change_of_name,
                 OrderSubtype.appliance_damage, OrderSubtype.meter_calibration]
            )  # fmt: skip
        texts = W.ORDER_TEXTS[key]
        pick = _TEXT_FOR.get((otype, subtype))
        if pick is None:
            description, resolution = rng.choice(texts)
        else:
            description, resolution = texts[rng.choice(pick)]
        if channel is None:
            r = rng.random()
            if r < 0.30:
                channel = Channel.hotline_95598
            elif r < 0.60:
                channel = Channel.phone
            elif r < 0.72:
                channel = Channel.wechat
            elif r < 0.82:
                channel = Channel.walk_in
            elif r < 0.87:
                channel = Channel.community
            elif r < 0.95:
                channel = Channel.app
            else:
                channel = (
                    Channel.proactive
                    if otype in (OrderType.inspection, OrderType.service_request, OrderType.billing)
                    else Channel.phone
                )
        if otype is OrderType.repair:
            urgency = (
                "urgent" if rng.random() < 0.7 else ("critical" if rng.random() < 0.3 else "normal")
            )
        elif otype is OrderType.complaint:
            urgency = "urgent"
        else:
            urgency = "urgent" if rng.random() < 0.05 else "normal"
        ta = cust.ta if cust else None
        grid = ta.community.grid if ta is not None and ta.grid_id is not None else None
        area = grid.area_class if grid else (cust.community.area_class if cust else AreaClass.urban)
        due = self.policy.deadlines(otype, subtype, area, received)
        if cust is not None:
            caller_name = cust.name if len(cust.name) <= 4 else self.person()
            caller_phone = cust.phone or self.mobile()
            address = cust.address
        else:
            caller_name, caller_phone, address = self.person(), self.mobile(), ""
        return _Order(
            otype, subtype, channel, urgency, cust, caller_name, caller_phone, address,
            description, resolution, grid, ta, received, due.contact_due, due.arrival_due,
            due.resolve_due,
        )  # fmt: skip

    def _timeline(self, o: _Order, force: OrderStatus | None = None, overdue: bool = False) -> None:
        """Fill the order's stage times and status: as far as `now` allows, or
        exactly `force` (moving the receipt time back as needed); `overdue`
        leaves it open past its time limit."""
        rng, now = self.rng, self.now
        repair = o.type is OrderType.repair
        offsets: list[tuple[OrderStatus, float]] = []  # minutes after receipt
        t = rng.uniform(1, 10) if repair else self._dispatch_delay(o.received_at)
        offsets.append((OrderStatus.dispatched, t))
        if repair:
            mean = {AreaClass.urban: 30, AreaClass.rural: 55, AreaClass.remote: 75}[
                o.grid.area_class if o.grid else AreaClass.urban
            ]
            t += max(6.0, rng.gauss(mean, mean * 0.35))
        else:
            t += rng.uniform(30, 24 * 60)
        offsets.append((OrderStatus.on_site, t))
        if repair:
            t += rng.uniform(20, 150) if rng.random() > 0.05 else rng.uniform(200, 400)
        else:
            span = (o.resolve_due - o.received_at).total_seconds() / 60
            late = rng.random() < 0.08
            t = max(t + 10, span * (rng.uniform(1.0, 1.5) if late else rng.uniform(0.1, 0.9)))
        offsets.append((OrderStatus.resolved, t))
        t += rng.uniform(60, 40 * 60)
        offsets.append((OrderStatus.called_back, t))
        t += rng.uniform(60, 72 * 60)
        offsets.append((OrderStatus.closed, t))
        cancel = force is OrderStatus.cancelled or (
            force is None and not overdue and rng.random() < 0.03
        )
        if overdue:
            o.received_at = (
                now
                - (o.resolve_due - o.received_at)
                - dt.timedelta(minutes=rng.uniform(60, 3 * 1440))
            )
            self._redue(o)

        if force is not None and force is not OrderStatus.cancelled:
            stage = 0.0 if force is OrderStatus.new else dict(offsets)[force]
            nxt = [m for s, m in offsets if m > stage]
            gap = (min(nxt) - stage) if nxt else 600.0
            back = stage + rng.uniform(0.05, 0.9) * min(gap, 600.0)
            o.received_at = now - dt.timedelta(minutes=back)
            self._redue(o)
        if cancel and force is OrderStatus.cancelled:
            o.received_at = now - dt.timedelta(minutes=rng.uniform(120, 60 * 24 * 20))
            self._redue(o)
        r = o.received_at
        # Stuck: an old order left open past its limit (overdue).
        stuck_at: OrderStatus | None = None
        if overdue or (
            force is None and not cancel and o.resolve_due < now and rng.random() < P_STUCK
        ):
            stuck_at = rng.choice([OrderStatus.dispatched, OrderStatus.on_site])
        status = OrderStatus.new
        for stage_status, minutes in offsets:
            at = r + dt.timedelta(minutes=minutes)
            if at > now:
                break
            if (
                force is not None
                and force is not OrderStatus.cancelled
                and _rank(stage_status) > _rank(force)
            ):
                break
            if cancel and stage_status is not OrderStatus.dispatched:
                break
            status = stage_status
            self._stamp(o, stage_status, at)
            if stuck_at is stage_status:
                break
        if cancel:
            last = o.dispatched_at or r
            o.cancelled_at = min(now, last + dt.timedelta(minutes=rng.uniform(5, 300)))
            o.cancel_reason = rng.choice(W.CANCEL_REASONS)
            status = OrderStatus.cancelled
        o.status = status
        if o.dispatched_at is not None:
            o.assignee = self._assignee(o, o.dispatched_at)
        if o.type is OrderType.complaint and o.dispatched_at is not None:
            contacted = o.dispatched_at + dt.timedelta(minutes=rng.uniform(20, 20 * 60))
            limit = o.resolved_at or (o.cancelled_at if cancel else None) or now
            if contacted <= min(limit, now):
                o.contacted_at = contacted

    def _dispatch_delay(self, received: dt.datetime) -> float:
        """Minutes until a non-repair order is dispatched: within hours by day;
        taken in the evening or at night, the next morning after 08:30."""
        minute = received.hour * 60 + received.minute
        if 8 * 60 <= minute < 17 * 60 + 30:
            return self.rng.uniform(10, 240)
        morning = dt.datetime.combine(received.date(), dt.time(8, 30))
        if minute >= 8 * 60:
            morning += _DAY
        return (morning - received).total_seconds() / 60 + self.rng.uniform(0, 90)

    def _redue(self, o: _Order) -> None:
        area = o.grid.area_class if o.grid else AreaClass.urban
        due = self.policy.deadlines(o.type, o.subtype, area, o.received_at)
        o.contact_due, o.arrival_due, o.resolve_due = (
            due.contact_due,
            due.arrival_due,
            due.resolve_due,
        )

    def _stamp(self, o: _Order, status: OrderStatus, at: dt.datetime) -> None:
        if status is OrderStatus.dispatched:
            o.dispatched_at = at
        elif status is OrderStatus.on_site:
            o.arrived_at = at
        elif status is OrderStatus.resolved:
            o.resolved_at = at
        elif status is OrderStatus.called_back:
            o.called_back_at = at
            roll = self.rng.random()
            o.satisfaction = (
                5
                if roll < 0.72
                else 4
                if roll < 0.9
                else 3
                if roll < 0.96
                else 2
                if roll < 0.985
                else 1
            )
            o.callback_note = (
                self.rng.choice(W.CALLBACK_NOTES) if o.satisfaction >= 4 else "客户对处理时长不满意"
            )
        elif status is OrderStatus.closed:
            o.closed_at = at

    def build_orders(self) -> None:
        rng, now = self.rng, self.now
        self.report(self.n, "生成工单")
        types = list(OrderType)
        weights = {
            OrderType.repair: 30, OrderType.inquiry: 14, OrderType.billing: 12,
            OrderType.new_connection: 7, OrderType.service_request: 7, OrderType.complaint: 5,
            OrderType.inspection: 4, OrderType.opinion: 5, OrderType.suggestion: 5,
            OrderType.report: 4, OrderType.praise: 7,
        }  # fmt: skip
        cum: list[float] = []
        acc = 0.0
        for t in types:
            acc += weights[t]
            cum.append(acc)
        forced_status = [
            OrderStatus.new, OrderStatus.dispatched, OrderStatus.on_site, OrderStatus.resolved,
            OrderStatus.called_back, OrderStatus.closed, OrderStatus.cancelled,
        ]  # fmt: skip
        orders: list[_Order] = []
        window = ORDER_WINDOW_DAYS * 24 * 60
        custs: list[_Cust | None] = list(self.order_custs)
        while len(custs) < len(types) + len(forced_status):
            custs.append(self.call_custs.pop() if self.call_custs else None)
        for i, cust in enumerate(custs):
            if i < len(types):
                otype = types[i]
            else:
                otype = types[bisect.bisect_right(cum, rng.random() * acc)]
            received = now - dt.timedelta(minutes=rng.uniform(1, window))
            if otype is not OrderType.repair and rng.random() < 0.8:
                received = received.replace(hour=rng.randint(8, 20))
                if received > now:
                    received -= _DAY
            o = self._new_order(cust, otype, received)
            force = forced_status[i] if i < len(forced_status) else None
            self._timeline(o, force, overdue=i in (len(forced_status), len(forced_status) + 1))
            orders.append(o)
            if i % 2000 == 0:
                self.report(self.n + i // 10, "生成工单")

        # Fault outages: the first caller's repair order, neighbours' duplicates merged into it.
        for plan in self.outages:
            if plan.kind is not OutageKind.fault or not plan.callers or plan.actual_start is None:
                continue
            first = plan.callers[0]
            received = plan.actual_start + rng.randint(3, 15) * _MIN
            o = self._new_order(first, OrderType.repair, received, Channel.phone)
            o.description = "家中停电，附近几户都没电"
            o.outage = plan
            o.urgency = "urgent"
            if plan.actual_end is None:
                o.dispatched_at = received + 4 * _MIN
                o.arrived_at = min(now, o.dispatched_at + rng.randint(15, 35) * _MIN)
                o.status = OrderStatus.on_site
            else:
                o.dispatched_at = received + 4 * _MIN
                o.arrived_at = o.dispatched_at + rng.randint(15, 35) * _MIN
                o.resolved_at = max(plan.actual_end, o.arrived_at + 10 * _MIN)
                o.resolution = "故障已排除，恢复送电"
                self._stamp(o, OrderStatus.called_back, o.resolved_at + rng.randint(60, 600) * _MIN)
                self._stamp(
                    o, OrderStatus.closed, (o.called_back_at or now) + rng.randint(60, 1440) * _MIN
                )
                o.status = OrderStatus.closed
                if o.closed_at and o.closed_at > now:
                    o.closed_at, o.status = None, OrderStatus.called_back
                if o.called_back_at and o.called_back_at > now:
                    o.called_back_at, o.satisfaction, o.callback_note = None, None, ""
                    o.status = OrderStatus.resolved
            o.assignee = self._assignee(o, o.dispatched_at)
            orders.append(o)
            for dup_cust in plan.callers[1:3]:
                d = self._duplicate(o, dup_cust)
                if d is not None:
                    orders.append(d)

        # Duplicates of other repair calls, merged into the first.
        repairs = [
            o
            for o in orders
            if o.type is OrderType.repair
            and o.status is not OrderStatus.cancelled
            and o.outage is None
        ]
        chosen = rng.sample(repairs, min(len(repairs), max(1, len(repairs) // 40)))
        merged = [d for o in chosen if (d := self._duplicate(o, o.cust)) is not None]
        if not merged:
            target = next(o for o in orders if o.status is not OrderStatus.cancelled)
            target.received_at -= _HOUR
            d = self._duplicate(target, target.cust)
            if d is not None:
                merged.append(d)
        orders.extend(merged)

        for o in orders:  # whole seconds, as people and systems record them
            for attr in _ORDER_TIMES:
                value = getattr(o, attr)
                if value is not None:
                    setattr(o, attr, value.replace(microsecond=0))
        orders.sort(key=lambda o: o.received_at)
        ids = self._ids(WorkOrder)
        per_day: Counter[dt.date] = Counter()
        externals: set[str] = set()
        for o in orders:
            o.id = next(ids)
            day = o.received_at.date()
            per_day[day] += 1
            o.number = f"GD{day:%Y%m%d}{per_day[day]:04d}"
            if o.channel in (Channel.hotline_95598, Channel.app):
                while True:
                    ext = f"{o.received_at.year}{rng.randrange(10**12):012d}"
                    if ext not in externals:
                        externals.add(ext)
                        o.external_no = ext
                        break
        self.orders = orders
        self._write_orders()

    def _duplicate(self, target: _Order, cust: _Cust | None) -> _Order | None:
        rng, now = self.rng, self.now
        received = target.received_at + rng.uniform(3, 40) * _MIN
        if received >= now:
            received = target.received_at + (now - target.received_at) / 2
        if received <= target.received_at or received >= now:
            return None
        channel = (
            Channel.hotline_95598 if target.channel is not Channel.hotline_95598 else Channel.phone
        )
        d = self._new_order(cust, target.type, received, channel)
        d.description = (
            target.description if cust is target.cust else f"{target.description}（邻居来电）"
        )
        d.grid, d.ta, d.outage = target.grid, target.ta, target.outage
        d.merged_into = target
        d.status = OrderStatus.merged
        d.cancelled_at = min(now, received + rng.uniform(2, 30) * _MIN)
        return d

    def _write_orders(self) -> None:
        cols = [
            "id", "number", "external_no", "type", "subtype", "status", "urgency", "channel",
            "customer_id", "caller_name", "caller_phone", "address", "description", "grid_id",
            "transformer_area_id", "assignee_id", "outage_id", "merged_into_id", "received_at",
            "dispatched_at", "contacted_at", "arrived_at", "resolved_at", "called_back_at",
            "closed_at", "contact_due", "arrival_due", "resolve_due", "satisfaction",
            "callback_note", "resolution", "cancel_reason", "created_by", "updated_at", "version",
        ]  # fmt: skip
        sink = self.sink(WorkOrder, cols)
        ev = self.sink(
            WorkOrderEvent,
            [
                "id",
                "order_id",
                "at",
                "user_id",
                "kind",
                "from_status",
                "to_status",
                "assignee_id",
                "note",
            ],
            after=[sink],
        )
        ev_ids = self._ids(WorkOrderEvent)
        admin = self.admin_id
        self.open_orders = self.overdue_orders = 0
        for o in self.orders:
            done = o.resolved_at is not None and o.status not in (
                OrderStatus.cancelled,
                OrderStatus.merged,
            )
            last = max(
                t for t in (o.received_at, o.dispatched_at, o.contacted_at, o.arrived_at, o.resolved_at,
                            o.called_back_at, o.closed_at, o.cancelled_at) if t is not None
            )  # fmt: skip
            if o.status in (OrderStatus.new, OrderStatus.dispatched, OrderStatus.on_site):
                self.open_orders += 1
                _, due = current_deadline(
                    contact_due=o.contact_due,
                    contacted_at=o.contacted_at,
                    arrival_due=o.arrival_due,
                    arrived_at=o.arrived_at,
                    resolve_due=o.resolve_due,
                )
                if due < self.now:
                    self.overdue_orders += 1
            sink.add(
                (
                    o.id, o.number, o.external_no, o.type.value, o.subtype.value, o.status.value,
                    o.urgency, o.channel.value, o.cust.id if o.cust else None, o.caller_name,
                    o.caller_phone, o.address, o.description, o.grid.id if o.grid else None,
                    o.ta.id if o.ta else None, o.assignee.id if o.assignee else None,
                    o.outage.id if o.outage else None, o.merged_into.id if o.merged_into else None,
                    o.received_at, o.dispatched_at, o.contacted_at, o.arrived_at, o.resolved_at,
                    o.called_back_at, o.closed_at, o.contact_due, o.arrival_due, o.resolve_due,
                    o.satisfaction, o.callback_note, o.resolution if done else "",
                    o.cancel_reason, admin, last, 1,
                )
            )  # fmt: skip
            events: list[tuple[dt.datetime, str, str | None, str | None, int | None, str]] = [
                (o.received_at, "created", None, "new", None, f"受理（{o.channel.label}）")
            ]
            prev = "new"
            if o.status is OrderStatus.merged and o.merged_into is not None:
                events.append(
                    (
                        o.cancelled_at or o.received_at,
                        "merge",
                        "new",
                        "merged",
                        None,
                        f"与工单{o.merged_into.number}重复，已合并",
                    )
                )
            else:
                if o.dispatched_at is not None:
                    who = o.assignee.name if o.assignee else ""
                    events.append(
                        (
                            o.dispatched_at,
                            "transition",
                            "new",
                            "dispatched",
                            o.assignee.id if o.assignee else None,
                            f"派单给{who}",
                        )
                    )
                    prev = "dispatched"
                if o.contacted_at is not None:
                    events.append(
                        (o.contacted_at, "note", None, None, None, "已联系客户，了解诉求")
                    )
                if o.arrived_at is not None:
                    note = "到达现场" if o.type is OrderType.repair else "开始处理"
                    events.append((o.arrived_at, "transition", "dispatched", "on_site", None, note))
                    prev = "on_site"
                if o.resolved_at is not None:
                    events.append(
                        (o.resolved_at, "transition", "on_site", "resolved", None, o.resolution)
                    )
                    prev = "resolved"
                if o.called_back_at is not None:
                    events.append(
                        (o.called_back_at, "callback", "resolved", "called_back", None,
                         f"回访：满意度{o.satisfaction}分，{o.callback_note}")
                    )  # fmt: skip
                    prev = "called_back"
                if o.closed_at is not None:
                    events.append(
                        (o.closed_at, "transition", "called_back", "closed", None, "归档")
                    )
                if o.status is OrderStatus.cancelled:
                    events.append(
                        (
                            o.cancelled_at or o.received_at,
                            "transition",
                            prev,
                            "cancelled",
                            None,
                            o.cancel_reason,
                        )
                    )
            events.sort(key=lambda e: e[0])
            for at, kind, frm, to, assignee, note in events:
                ev.add((next(ev_ids), o.id, at, admin, kind, frm, to, assignee, note))
        self.close(sink)
        self.close(ev)

    # ----------------------------------------------------------- calls

    def build_calls(self) -> None:
        rng, now = self.rng, self.now
        start = now - dt.timedelta(days=CALL_WINDOW_DAYS)
        calls: list[tuple[Any, ...]] = []

        def add(
            at: dt.datetime, direction: str, channel: str, phone: str, name: str, cust: _Cust | None,
            category: str | None, summary: str, order: int | None, outage: int | None,
        ) -> None:  # fmt: skip
            duration = rng.randint(25, 420)
            calls.append(
                (
                    at, at + dt.timedelta(seconds=duration), duration, direction, channel, phone, name,
                    cust.id if cust else None, category, summary, self.admin_id, order, outage, "",
                )
            )  # fmt: skip

        for o in self.orders:
            if o.received_at < start:
                continue
            if o.channel is Channel.phone:
                at = o.received_at - dt.timedelta(seconds=rng.randint(60, 400))
                add(at, "inbound", "phone", o.caller_phone, o.caller_name, o.cust, o.type.value,
                    o.description, o.id, o.outage.id if o.outage else None)  # fmt: skip
            elif o.channel is Channel.hotline_95598 and o.dispatched_at is not None:
                at = o.dispatched_at + dt.timedelta(minutes=rng.randint(3, 40))
                if at <= now:
                    add(at, "outbound", "phone", o.caller_phone, o.caller_name, o.cust, o.type.value,
                        "联系客户核实95598工单诉求", o.id, None)  # fmt: skip
        for plan in self.outages:
            if plan.actual_start is None:
                continue
            for cust in plan.callers[3:]:
                at = plan.actual_start + dt.timedelta(minutes=rng.randint(5, 70))
                if at < now:
                    add(at, "inbound", "phone", cust.phone or self.mobile(), cust.name, cust, "repair",
                        W.OUTAGE_CALL_TEXT, None, plan.id)  # fmt: skip
        for cust in self.call_custs:
            day = now - dt.timedelta(days=rng.randint(0, CALL_WINDOW_DAYS))
            at = day.replace(
                hour=rng.randint(8, 19), minute=rng.randint(0, 59), second=rng.randint(0, 59)
            )
            if at > now:
                at -= _DAY
            if rng.random() < 0.75:
                category, summary = rng.choice(W.CALL_TEXTS_IN)
                if rng.random() < 0.1:  # a caller we could not match to an account
                    caller = self.surname() + rng.choice(["先生", "女士"])
                    add(
                        at,
                        "inbound",
                        "phone",
                        self.mobile(),
                        caller,
                        None,
                        category,
                        summary,
                        None,
                        None,
                    )
                    continue
                direction = "inbound"
            else:
                category_o, summary = rng.choice(W.CALL_TEXTS_OUT)
                category = category_o or ""
                direction = "outbound"
            channel = "wechat" if direction == "inbound" and rng.random() < 0.1 else "phone"
            add(at, direction, channel, cust.phone or self.mobile(), cust.name, cust, category or None,
                summary, None, None)  # fmt: skip
        calls.sort(key=lambda c: c[0])
        cols = [
            "started_at", "ended_at", "duration_s", "direction", "channel", "phone", "caller_name",
            "customer_id", "category", "summary", "user_id", "work_order_id", "outage_id", "answer_key",
        ]  # fmt: skip
        sink = self.sink(Call, ["id", *cols])
        ids = self._ids(Call)
        for c in calls:
            sink.add((next(ids), *c))
        self.close(sink)

    # ----------------------------------------------------------- all

    def run(self) -> None:
        self.report(0, "生成网格与人员")
        self.build_places()
        self.build_compounds()
        self.build_network()
        self.build_people()
        self.build_contacts()
        self.build_outages()
        with deferred_indexes(self.conn, _tbl(Customer).name):
            self.build_customers()
            self.build_orders()
            self.build_calls()
            self.report(self._work_total - 1, "建立索引")
        self.report(self._work_total, "写入完成")


_ORDER_TIMES = (
    "received_at", "dispatched_at", "contacted_at", "arrived_at", "resolved_at", "called_back_at",
    "closed_at", "cancelled_at", "contact_due", "arrival_due", "resolve_due",
)  # fmt: skip

# Which of words.ORDER_TEXTS[type] fit a subtype.
_TEXT_FOR: dict[tuple[OrderType, OrderSubtype], tuple[int, ...]] = {
    (OrderType.billing, OrderSubtype.none): (0,),
    (OrderType.billing, OrderSubtype.reconnection): (1,),
    (OrderType.billing, OrderSubtype.reading_anomaly): (2,),
    (OrderType.billing, OrderSubtype.meter_calibration): (3,),
    (OrderType.service_request, OrderSubtype.change_of_name): (0,),
    (OrderType.service_request, OrderSubtype.none): (1,),
    (OrderType.service_request, OrderSubtype.appliance_damage): (2,),
    (OrderType.service_request, OrderSubtype.meter_calibration): (3,),
    (OrderType.new_connection, OrderSubtype.new_connection_residential): (0,),
    (OrderType.new_connection, OrderSubtype.new_connection_low_voltage): (1, 2),
}


def _rank(status: OrderStatus) -> int:
    order = [
        OrderStatus.new, OrderStatus.dispatched, OrderStatus.on_site, OrderStatus.resolved,
        OrderStatus.called_back, OrderStatus.closed,
    ]  # fmt: skip
    return order.index(status) if status in order else len(order)


# --------------------------------------------------------------------------- entry point


def _non_empty(conn: Connection) -> list[str]:
    full = []
    for model in FILLED_TABLES:
        table = _tbl(model)
        if conn.execute(select(table).limit(1)).first() is not None:
            full.append(table.name)
    return full


def build_county(
    db: Database,
    *,
    customers: int,
    seed: int = 1,
    progress: Progress | None = None,
    today: dt.date | None = None,
) -> DemoSummary:
    """Generate a whole demo county into `db` (initialising the station if needed).

    Deterministic for a given `seed` and `today`. Refuses (ValueError) a
    database that already holds customers or any other data the demo fills.
    """
    if customers < 100:
        raise ValueError("演示客户数至少为 100。")
    progress = progress or NullProgress()
    today = today or dt.date.today()
    with db.write() as s:
        st = station_svc.get_station(s)
        if st is None:
            st = station_svc.initialize(s, name=DEFAULT_STATION, county=DEFAULT_COUNTY)
        station_id, station_name = st.id, st.name
        county = st.county if st.county.endswith(("县", "市", "区", "旗")) else DEFAULT_COUNTY
        admin_id = s.execute(select(AppUser.id).where(AppUser.username == "admin")).scalar()  # type: ignore[call-overload]
    with db.write_connection() as conn:
        if conn.execute(select(func.count()).select_from(_tbl(Customer))).scalar_one():
            raise ValueError(
                "数据库中已有客户数据，演示数据只能写入空数据库。请换一个数据文件夹（--data-dir）。"
            )
        full = _non_empty(conn)
        if full:
            raise ValueError(
                f"数据库中已有数据（{', '.join(full)}），演示数据只能写入空数据库。请换一个数据文件夹（--data-dir）。"
            )
        gen = _Generator(
            conn,
            customers=customers,
            seed=seed,
            today=today,
            county=county,
            admin_id=admin_id,
            progress=progress,
        )
        gen.run()
    summary = DemoSummary(
        county=county,
        station=station_name,
        seed=seed,
        today=today,
        counts=dict(sorted(gen.counts.items())),
        towns=len(gen.towns),
        communities=len(gen.communities),
        remote_communities=sum(c.area_class is AreaClass.remote for c in gen.communities),
        categories={k.value: gen.categories.get(k.value, 0) for k in CustomerCategory},
        team_grids=sum(g.team for g in gen.grids),
        inactive_staff=sum(not s.active for s in gen.staff),
        tas_without_grid=sum(ta.grid_id is None for ta in gen.tas),
        tas_zero_capacity=sum(ta.capacity == 0 for ta in gen.tas),
        customers_without_ta=gen.no_ta_count,
        customers_without_phone=gen.empty_phones,
        shared_phone_pairs=gen.shared_pairs,
        open_orders=gen.open_orders,
        overdue_orders=gen.overdue_orders,
        outages_in_progress=sum(o.status is OutageStatus.in_progress for o in gen.outages),
        arrears_customers=gen.arrears_customers,
    )
    with db.write() as s:
        audit.record(
            s,
            SYSTEM,
            "demo",
            "station",
            station_id,
            after={
                "seed": seed,
                "customers": customers,
                "today": today.isoformat(),
                **summary.counts,
            },
        )
    return summary
