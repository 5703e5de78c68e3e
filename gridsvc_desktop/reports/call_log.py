"""来电记录: the calls of a period (optionally of one grid), with counts by
direction, channel and category.

A call belongs to a grid through its customer's transformer area; calls with no
customer linked belong to no grid (they are listed station-wide only).
services.calls lists calls newest first and capped for the screen; a report
needs all of them in order, so the query is here.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from reportlab.platypus import Flowable, KeepTogether
from sqlalchemy import select
from sqlmodel import Session, col

from gridsvc_desktop.db.models import AppUser, Call, Customer, Grid, TransformerArea, WorkOrder
from gridsvc_desktop.domain.enums import CallDirection, Channel, OrderType
from gridsvc_desktop.reports.common import page_info, pct
from gridsvc_desktop.reports.tables import Column, PagedTable, TotalRow
from gridsvc_desktop.reports.template import (
    Document,
    HBox,
    Heading,
    KpiStrip,
    TitleBlock,
    section,
)
from gridsvc_desktop.services.reports import ReportContext


@dataclass
class CallLine:
    started_at: dt.datetime
    duration_s: int | None
    direction: CallDirection
    channel: Channel
    phone: str
    caller_name: str
    account_no: str
    customer: str
    category: OrderType | None
    summary: str
    order_number: str
    outage_id: int | None
    grid: str
    user: str


def load_calls(session: Session, ctx: ReportContext) -> list[CallLine]:
    start, end = ctx.period_bounds
    c = Call.__table__.c  # type: ignore[attr-defined]
    stmt: Any = (
        select(
            c.started_at, c.duration_s, c.direction, c.channel, c.phone, c.caller_name,
            col(Customer.account_no), col(Customer.name), c.category, c.summary,
            col(WorkOrder.number), c.outage_id, col(Grid.name), col(AppUser.display_name),
            col(AppUser.username),
        )
        .select_from(Call.__table__)  # type: ignore[attr-defined]
        .outerjoin(Customer, col(Customer.id) == c.customer_id)
        .outerjoin(TransformerArea, col(TransformerArea.id) == col(Customer.transformer_area_id))
        .outerjoin(Grid, col(Grid.id) == col(TransformerArea.grid_id))
        .outerjoin(WorkOrder, col(WorkOrder.id) == c.work_order_id)
        .outerjoin(AppUser, col(AppUser.id) == c.user_id)
        .where(c.started_at >= start, c.started_at < end)
        .order_by(c.started_at, c.id)
    )  # fmt: skip
    if ctx.params.grid_id is not None:
        stmt = stmt.where(col(TransformerArea.grid_id) == ctx.params.grid_id)
    return [
        CallLine(
            r[0],
            r[1],
            CallDirection(r[2]),
            Channel(r[3]),
            r[4] or "",
            r[5] or "",
            r[6] or "",
            r[7] or "",
            OrderType(r[8]) if r[8] else None,
            r[9] or "",
            r[10] or "",
            r[11],
            r[12] or "",
            r[13] or r[14] or "",
        )
        for r in session.execute(stmt)
    ]


def _duration(seconds: int | None) -> str:
    if seconds is None:
        return ""
    m, s = divmod(int(seconds), 60)
    return f"{m}:{s:02d}"


COLUMNS = [
    Column("序号", 4, "right"), Column("时间", 8.5), Column("方向", 3.5), Column("渠道", 6.5),
    Column("电话", 8), Column("来电人", 5), Column("户号", 7.5), Column("类别", 5.5),
    Column("摘要", 22, lines=2), Column("时长", 4, "right"), Column("工单号", 10),
    Column("网格", 8), Column("经办", 5),
]  # fmt: skip


def build(session: Session, ctx: ReportContext) -> Document:
    calls = load_calls(session, ctx)
    scope = "范围：全所"
    if ctx.params.grid_id is not None:
        grid = session.get(Grid, ctx.params.grid_id)
        scope = f"网格：{grid.code} {grid.name}" if grid else scope
    info = page_info(ctx, scope=scope)
    total = len(calls)
    inbound = sum(1 for c in calls if c.direction is CallDirection.inbound)
    with_order = sum(1 for c in calls if c.order_number)
    with_outage = sum(1 for c in calls if c.outage_id is not None)
    durations = [c.duration_s for c in calls if c.duration_s is not None]
    avg = sum(durations) / len(durations) if durations else None

    by_channel = Counter(c.channel for c in calls)
    by_category = Counter(c.category.label if c.category else "未分类" for c in calls)
    channel_rows: list[Any] = [
        [ch.label, f"{n:,}", pct(n, total)] for ch, n in by_channel.most_common()
    ]
    channel_rows.append(TotalRow(["合计", f"{total:,}", pct(total, total)]))
    category_rows: list[Any] = [
        [label, f"{n:,}", pct(n, total)] for label, n in by_category.most_common()
    ]
    category_rows.append(TotalRow(["合计", f"{total:,}", pct(total, total)]))
    count_cols = [Column("渠道", 8), Column("数量", 5, "right"), Column("占比", 5, "right")]

    rows = [
        [
            str(n), c.started_at.strftime("%m-%d %H:%M"), c.direction.label, c.channel.label,
            ctx.phone(c.phone), c.caller_name or c.customer, c.account_no,
            c.category.label if c.category else "", c.summary, _duration(c.duration_s),
            c.order_number, c.grid, c.user,
        ]
        for n, c in enumerate(calls, 1)
    ]  # fmt: skip
    story: list[Flowable] = [
        TitleBlock(info),
        KpiStrip(
            [
                ("通话总数", f"{total:,}"),
                ("来电", f"{inbound:,}"),
                ("去电", f"{total - inbound:,}"),
                ("转为工单", f"{with_order:,}"),
                ("关联停电", f"{with_outage:,}"),
                ("平均时长", _duration(round(avg)) if avg is not None else "—"),
            ]
        ),
        KeepTogether(
            [
                Heading("按渠道和类别"),
                HBox(
                    [
                        PagedTable(count_cols, channel_rows),
                        PagedTable([Column("类别", 8), *count_cols[1:]], category_rows),
                    ],
                    gap=16,
                ),
            ]
        ),
        *section(f"通话明细（{total:,} 次）"),
        PagedTable(COLUMNS, rows, size=8, empty_text="本期无通话记录"),
    ]
    return Document(info, story)
