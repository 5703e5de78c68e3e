"""工单统计报表: the work orders of a period, station-wide, per grid or per person.

Which orders: received in the period ([start 00:00, end + 1 day 00:00)), on the
grid (`work_order.grid_id`) and/or of the person (`assignee_id`) asked for.

Judged against the statutory limits each order carries (contact_due,
arrival_due, resolve_due, set from the SLA policy when it was received):
- an order is **late** when any of its steps happened after its limit, or has
  not happened and its limit has passed at the time of the report;
- **on time** when every step it has a limit for happened within the limit;
- **pending** otherwise (still open, limits not yet reached): left out of the rate;
- cancelled and merged orders are counted but not judged.
On-time rate = on time / (on time + late).

Arrival time: minutes from receipt to arrival on site, repair orders that have
arrived. Resolution time: hours from receipt to resolution. Call-back: orders
called back; satisfaction is the average score (1–5) and the share of 4–5.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from reportlab.platypus import Flowable, KeepTogether
from sqlalchemy import select
from sqlmodel import Session, col

from gridsvc_desktop.db.models import Customer, Grid, Staff, WorkOrder
from gridsvc_desktop.domain.enums import AreaClass, Channel, OrderStatus, OrderType
from gridsvc_desktop.reports.charts import bar_chart, column_chart, pie_chart
from gridsvc_desktop.reports.common import date_time, hours, minutes, page_info, pct
from gridsvc_desktop.reports.tables import Column, PagedTable, TotalRow, WarnRow
from gridsvc_desktop.reports.template import (
    Document,
    HBox,
    Heading,
    KeyValues,
    KpiStrip,
    TitleBlock,
    para,
    section,
)
from gridsvc_desktop.services.reports import ReportContext

VOID = (OrderStatus.cancelled, OrderStatus.merged)
STEP_LABELS = {"contact": "联系客户", "arrival": "到达现场", "resolve": "办结"}


@dataclass
class OrderLine:
    id: int
    number: str
    type: OrderType
    status: OrderStatus
    channel: Channel
    received_at: dt.datetime
    contacted_at: dt.datetime | None
    arrived_at: dt.datetime | None
    resolved_at: dt.datetime | None
    called_back_at: dt.datetime | None
    contact_due: dt.datetime | None
    arrival_due: dt.datetime | None
    resolve_due: dt.datetime
    satisfaction: int | None
    grid: str
    assignee: str
    customer: str
    caller_name: str
    caller_phone: str
    address: str

    @property
    def void(self) -> bool:
        return self.status in VOID

    def late_steps(self, as_of: dt.datetime) -> list[tuple[str, dt.datetime, dt.datetime | None]]:
        """(step, limit, when done or None) of every limit the order broke."""
        out = []
        for step, due, done in (
            ("contact", self.contact_due, self.contacted_at),
            ("arrival", self.arrival_due, self.arrived_at),
            ("resolve", self.resolve_due, self.resolved_at),
        ):
            if due is None:
                continue
            if (done is not None and done > due) or (done is None and as_of > due):
                out.append((step, due, done))
        return out

    def verdict(self, as_of: dt.datetime) -> str:
        """ "void", "late", "on_time" or "pending" (see the module's doc)."""
        if self.void:
            return "void"
        if self.late_steps(as_of):
            return "late"
        finished = (
            self.resolved_at is not None
            and (self.contact_due is None or self.contacted_at is not None)
            and (self.arrival_due is None or self.arrived_at is not None)
        )
        return "on_time" if finished else "pending"

    @property
    def arrival_minutes(self) -> float | None:
        if self.arrived_at is None:
            return None
        return (self.arrived_at - self.received_at).total_seconds() / 60

    @property
    def resolve_hours(self) -> float | None:
        if self.resolved_at is None:
            return None
        return (self.resolved_at - self.received_at).total_seconds() / 3600


@dataclass
class TypeRow:
    received: int = 0
    resolved: int = 0
    on_time: int = 0
    late: int = 0


@dataclass
class OrderStats:
    orders: list[OrderLine]
    as_of: dt.datetime
    by_type: dict[OrderType, TypeRow] = field(default_factory=dict)
    by_channel: Counter[Channel] = field(default_factory=Counter)
    by_status: Counter[OrderStatus] = field(default_factory=Counter)
    by_day: dict[dt.date, int] = field(default_factory=dict)
    on_time: int = 0
    late: int = 0
    pending: int = 0
    void: int = 0
    resolved: int = 0
    arrivals: list[tuple[float, str]] = field(default_factory=list)  # (minutes, number), repair
    arrivals_on_time: int = 0
    resolutions: list[tuple[float, str]] = field(default_factory=list)  # (hours, number)
    called_back: int = 0
    scores: list[int] = field(default_factory=list)
    late_orders: list[OrderLine] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.orders)

    @property
    def judged(self) -> int:
        return self.on_time + self.late

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.judged if self.judged else None

    @property
    def satisfied(self) -> int:
        return sum(1 for s in self.scores if s >= 4)

    @staticmethod
    def _avg(values: list[tuple[float, str]]) -> float | None:
        return sum(v for v, _ in values) / len(values) if values else None

    @property
    def arrival_avg(self) -> float | None:
        return self._avg(self.arrivals)

    @property
    def resolution_avg(self) -> float | None:
        return self._avg(self.resolutions)

    @property
    def arrival_worst(self) -> tuple[float, str] | None:
        return max(self.arrivals, default=None)

    @property
    def resolution_worst(self) -> tuple[float, str] | None:
        return max(self.resolutions, default=None)

    @property
    def score_avg(self) -> float | None:
        return sum(self.scores) / len(self.scores) if self.scores else None


# --------------------------------------------------------------------------- data


def _scope(session: Session, ctx: ReportContext) -> str:
    parts = []
    p = ctx.params
    if p.grid_id is not None:
        grid = session.get(Grid, p.grid_id)
        parts.append(f"网格：{grid.code} {grid.name}" if grid else "")
    if p.staff_id is not None:
        person = session.get(Staff, p.staff_id)
        parts.append(f"责任人：{person.name}（{person.employee_no}）" if person else "")
    return "　".join(x for x in parts if x) or "范围：全所"


def load_orders(session: Session, ctx: ReportContext) -> list[OrderLine]:
    start, end = ctx.period_bounds
    w = WorkOrder.__table__.c  # type: ignore[attr-defined]
    stmt: Any = (
        select(
            w.id, w.number, w.type, w.status, w.channel, w.received_at, w.contacted_at,
            w.arrived_at, w.resolved_at, w.called_back_at, w.contact_due, w.arrival_due,
            w.resolve_due, w.satisfaction, col(Grid.name), col(Staff.name), col(Customer.name),
            w.caller_name, w.caller_phone, w.address,
        )
        .select_from(WorkOrder.__table__)  # type: ignore[attr-defined]
        .outerjoin(Grid, col(Grid.id) == w.grid_id)
        .outerjoin(Staff, col(Staff.id) == w.assignee_id)
        .outerjoin(Customer, col(Customer.id) == w.customer_id)
        .where(w.received_at >= start, w.received_at < end)
        .order_by(w.received_at, w.number)
    )  # fmt: skip
    if ctx.params.grid_id is not None:
        stmt = stmt.where(w.grid_id == ctx.params.grid_id)
    if ctx.params.staff_id is not None:
        stmt = stmt.where(w.assignee_id == ctx.params.staff_id)
    out = []
    for r in session.execute(stmt):
        out.append(
            OrderLine(
                id=r[0], number=r[1], type=OrderType(r[2]), status=OrderStatus(r[3]),
                channel=Channel(r[4]), received_at=r[5], contacted_at=r[6], arrived_at=r[7],
                resolved_at=r[8], called_back_at=r[9], contact_due=r[10], arrival_due=r[11],
                resolve_due=r[12], satisfaction=r[13], grid=r[14] or "", assignee=r[15] or "",
                customer=r[16] or "", caller_name=r[17] or "", caller_phone=r[18] or "",
                address=r[19] or "",
            )
        )  # fmt: skip
    return out


def compute(orders: list[OrderLine], as_of: dt.datetime, days: list[dt.date]) -> OrderStats:
    stats = OrderStats(orders=orders, as_of=as_of)
    stats.by_type = {t: TypeRow() for t in OrderType}
    stats.by_day = dict.fromkeys(days, 0)
    for o in orders:
        row = stats.by_type[o.type]
        row.received += 1
        stats.by_channel[o.channel] += 1
        stats.by_status[o.status] += 1
        day = o.received_at.date()
        if day in stats.by_day:
            stats.by_day[day] += 1
        verdict = o.verdict(as_of)
        if verdict == "void":
            stats.void += 1
            continue
        if verdict == "late":
            stats.late += 1
            row.late += 1
            stats.late_orders.append(o)
        elif verdict == "on_time":
            stats.on_time += 1
            row.on_time += 1
        else:
            stats.pending += 1
        if o.resolved_at is not None:
            stats.resolved += 1
            row.resolved += 1
            stats.resolutions.append((o.resolve_hours or 0.0, o.number))
        if o.type is OrderType.repair and o.arrived_at is not None:
            stats.arrivals.append((o.arrival_minutes or 0.0, o.number))
            if o.arrival_due is None or o.arrived_at <= o.arrival_due:
                stats.arrivals_on_time += 1
        if o.called_back_at is not None:
            stats.called_back += 1
        if o.satisfaction is not None:
            stats.scores.append(int(o.satisfaction))
    return stats


def collect(session: Session, ctx: ReportContext) -> OrderStats:
    assert ctx.params.start is not None and ctx.params.end is not None
    days = [
        ctx.params.start + dt.timedelta(days=i)
        for i in range((ctx.params.end - ctx.params.start).days + 1)
    ]
    return compute(load_orders(session, ctx), ctx.generated_at, days)


# --------------------------------------------------------------------------- layout

OVERDUE_COLUMNS = [
    Column("工单号", 11), Column("类型", 6), Column("受理时间", 10), Column("超期环节", 6),
    Column("时限", 10), Column("完成时间", 10), Column("超时", 6, "right"),
    Column("状态", 5), Column("网格", 10), Column("责任人", 6),
]  # fmt: skip

DETAIL_COLUMNS = [
    Column("序号", 4.5, "right"), Column("工单号", 10.5), Column("受理时间", 9.5),
    Column("类型", 6), Column("渠道", 7), Column("状态", 5), Column("客户", 7, lines=2),
    Column("联系电话", 8.5), Column("地址", 17, lines=2), Column("网格", 9), Column("责任人", 5.5),
    Column("到达\n（分钟）", 5.5, "right"), Column("办结\n（小时）", 5.5, "right"),
    Column("按时", 4, "center"),
]  # fmt: skip

VERDICT_TEXT = {"late": "超期", "on_time": "是", "pending": "—", "void": ""}


def limits_note(ctx: ReportContext) -> str:
    lim = ctx.policy.limits
    arrivals = "、".join(
        f"{a.label}{lim[f'repair.arrival.{a.value}'].amount}分钟"
        for a in AreaClass
        if f"repair.arrival.{a.value}" in lim
    )
    return (
        f"时限按工单受理时所依据的服务承诺计算：故障报修到达现场{arrivals}；"
        "其余各类工单按各自的联系、办结时限。按时率 = 按时工单 ÷（按时 + 超期），"
        "未到时限的在办工单和已撤销、已合并的工单不计入。"
        f"截至 {ctx.generated_at:%Y-%m-%d %H:%M} 仍未完成且已过时限的环节按超期计。"
    )


def overdue_text(delta: dt.timedelta) -> str:
    """How late: "12 分钟", "7.5 小时", "3.2 天"."""
    mins = delta.total_seconds() / 60
    if mins < 60:
        return f"{max(mins, 1):.0f} 分钟"
    if mins < 48 * 60:
        return f"{mins / 60:.1f} 小时"
    return f"{mins / 1440:.1f} 天"


def _overdue_rows(stats: OrderStats) -> list[list[str]]:
    rows = []
    for o in stats.late_orders:
        for step, due, done in o.late_steps(stats.as_of):
            over = (done or stats.as_of) - due
            rows.append(
                [
                    o.number, o.type.label, date_time(o.received_at), STEP_LABELS[step],
                    date_time(due), date_time(done) if done else "未完成", overdue_text(over),
                    o.status.label, o.grid, o.assignee,
                ]
            )  # fmt: skip
    return rows


def detail_rows(stats: OrderStats, ctx: ReportContext) -> list[Any]:
    rows: list[Any] = []
    for n, o in enumerate(stats.orders, 1):
        verdict = o.verdict(stats.as_of)
        cells = [
            str(n), o.number, date_time(o.received_at), o.type.label, o.channel.label,
            o.status.label, o.customer or o.caller_name, ctx.phone(o.caller_phone), o.address,
            o.grid, o.assignee, minutes(o.arrival_minutes) if o.arrived_at else "",
            hours(o.resolve_hours) if o.resolved_at else "", VERDICT_TEXT[verdict],
        ]  # fmt: skip
        rows.append(WarnRow(cells) if verdict == "late" else cells)
    return rows


def story(stats: OrderStats, ctx: ReportContext, scope: str, frame_width: float) -> list[Flowable]:
    out: list[Flowable] = []
    worst_arrival = stats.arrival_worst
    worst_resolution = stats.resolution_worst
    rate = stats.on_time_rate
    out.append(
        KpiStrip(
            [
                ("受理工单", f"{stats.total:,}"),
                ("已办结", f"{stats.resolved:,}"),
                ("按时率", f"{rate:.1%}" if rate is not None else "—"),
                ("超期工单", f"{stats.late:,}"),
                ("平均到达（分钟）", minutes(stats.arrival_avg)),
                ("平均办结（小时）", hours(stats.resolution_avg)),
                ("回访满意率", pct(stats.satisfied, len(stats.scores))),
            ]
        )
    )
    chart_h = 128
    gap = 10
    room = frame_width - 2 * gap
    w1, w2, w3 = room * 0.32, room * 0.30, room * 0.38
    out.append(
        HBox(
            [
                bar_chart(
                    [(t.label, r.received) for t, r in stats.by_type.items()], w1, chart_h,
                    "按类型",
                ),
                pie_chart([(c.label, n) for c, n in stats.by_channel.items()], w2, chart_h, "按受理渠道"),
                column_chart(
                    [(f"{d:%m-%d}", n) for d, n in stats.by_day.items()], w3, chart_h,
                    "每日受理量",
                ),
            ],
            [w1, w2, w3],
            gap=gap,
        )
    )  # fmt: skip

    # Counts by type, channel and status, side by side.
    type_rows: list[Any] = []
    for t, r in stats.by_type.items():
        if r.received:
            type_rows.append(
                [t.label, f"{r.received:,}", f"{r.resolved:,}", f"{r.on_time:,}", f"{r.late:,}",
                 pct(r.on_time, r.on_time + r.late)]
            )  # fmt: skip
    type_rows.append(
        TotalRow(
            ["合计", f"{stats.total:,}", f"{stats.resolved:,}", f"{stats.on_time:,}",
             f"{stats.late:,}", pct(stats.on_time, stats.judged)]
        )
    )  # fmt: skip
    by_type = PagedTable(
        [Column("类型", 8), Column("受理", 5, "right"), Column("办结", 5, "right"),
         Column("按时", 5, "right"), Column("超期", 5, "right"), Column("按时率", 6, "right")],
        type_rows,
    )  # fmt: skip
    channel_rows: list[Any] = [
        [c.label, f"{n:,}", pct(n, stats.total)] for c, n in stats.by_channel.most_common()
    ]
    channel_rows.append(TotalRow(["合计", f"{stats.total:,}", pct(stats.total, stats.total)]))
    by_channel = PagedTable(
        [Column("受理渠道", 8), Column("数量", 5, "right"), Column("占比", 5, "right")],
        channel_rows,
    )
    status_rows: list[Any] = [
        [s.label, f"{stats.by_status[s]:,}", pct(stats.by_status[s], stats.total)]
        for s in OrderStatus
        if stats.by_status[s]
    ]
    status_rows.append(TotalRow(["合计", f"{stats.total:,}", pct(stats.total, stats.total)]))
    by_status = PagedTable(
        [Column("状态", 7), Column("数量", 5, "right"), Column("占比", 5, "right")], status_rows
    )
    out.append(
        KeepTogether(
            [Heading("分类统计"), HBox([by_type, by_channel, by_status], [34, 18, 17], gap=14)]
        )
    )

    arrival = (
        f"平均 {minutes(stats.arrival_avg)} 分钟，最长 {minutes(worst_arrival[0])} 分钟"
        f"（{worst_arrival[1]}），按时到达 {pct(stats.arrivals_on_time, len(stats.arrivals))}"
        if worst_arrival
        else "无到达记录"
    )
    resolution = (
        f"平均 {hours(stats.resolution_avg)} 小时，最长 {hours(worst_resolution[0])} 小时"
        f"（{worst_resolution[1]}）"
        if worst_resolution
        else "无办结工单"
    )
    score = stats.score_avg
    callback = (
        f"已回访 {stats.called_back:,} 张，回访率 {pct(stats.called_back, stats.resolved)}；"
        f"评分 {len(stats.scores):,} 张，平均 {score:.2f} 分，满意（4–5 分）"
        f"{pct(stats.satisfied, len(stats.scores))}"
        if score is not None
        else f"已回访 {stats.called_back:,} 张，无满意度评分"
    )
    timing = KeyValues(
            [
                ("故障报修到达现场", arrival),
                ("受理至办结", resolution),
                ("回访", callback),
                ("工单判定",
                 f"按时 {stats.on_time:,} 张，超期 {stats.late:,} 张，未到时限 {stats.pending:,} 张，"
                 f"已撤销或合并 {stats.void:,} 张"),
            ],
            columns=1,
        )  # fmt: skip
    out.append(KeepTogether([Heading("时限与回访"), timing, para(limits_note(ctx), "note")]))

    overdue = _overdue_rows(stats)
    out += section(f"超期工单（{stats.late:,} 张，{len(overdue):,} 个超期环节）")
    out.append(PagedTable(OVERDUE_COLUMNS, overdue, empty_text="本期无超期工单"))
    if ctx.params.detail:
        out += section(f"工单明细（{stats.total:,} 张）")
        out.append(PagedTable(DETAIL_COLUMNS, detail_rows(stats, ctx), size=8))
    return out


def build(session: Session, ctx: ReportContext) -> Document:
    scope = _scope(session, ctx)
    stats = collect(session, ctx)
    info = page_info(ctx, scope=scope)
    return Document(info, [TitleBlock(info), *story(stats, ctx, scope, info.frame_size()[0])])
