"""停电通知记录: one outage, its scope and who was told, how and when.

The facts of the outage (times, reason, whether the notice went out as far
ahead as the policy asks: 7 days for planned, 24 hours for temporary
maintenance, at once for faults), the compounds and customers it reaches, every
notification (notice and restoration; sent or still to send) and the calls and
work orders linked to it.
"""

from __future__ import annotations

from typing import Any

from reportlab.platypus import Flowable, KeepTogether
from sqlalchemy import func, select
from sqlmodel import Session, col

from gridsvc_desktop.db.models import (
    AppUser,
    Building,
    Call,
    Compound,
    Contact,
    OutageNotification,
    Staff,
    WorkOrder,
)
from gridsvc_desktop.domain.enums import ContactKind, NotifyChannel, OutageKind, OutageStatus
from gridsvc_desktop.domain.outage_rules import check_notice
from gridsvc_desktop.reports.common import date_time, page_info
from gridsvc_desktop.reports.outage_notice import OutageFacts, collect
from gridsvc_desktop.reports.tables import Column, PagedTable, TotalRow, WarnRow
from gridsvc_desktop.reports.template import (
    Document,
    Heading,
    KeyValues,
    KpiStrip,
    TitleBlock,
    para,
    section,
)
from gridsvc_desktop.services.reports import ReportContext

KIND_TEXT = {"notice": "停电通知", "restoration": "送电通知", "cancellation": "取消通知"}

NOTIFY_COLUMNS = [
    Column("序号", 4, "right"), Column("类别", 6), Column("对象", 7), Column("姓名", 10, lines=2),
    Column("电话", 9), Column("小区 / 楼栋", 10), Column("方式", 4.5), Column("发送时间", 9),
    Column("经办", 5), Column("内容", 28, lines=2),
]  # fmt: skip


def notice_check(facts: OutageFacts, ctx: ReportContext) -> tuple[str, bool]:
    """Whether the notice went out as far ahead as the policy asks (the rule is
    domain.outage_rules.check_notice, the one the outage service enforces)."""
    o = facts.outage
    check = check_notice(OutageKind(o.kind), o.planned_start, o.announced_at, ctx.policy)
    said = check.describe()
    if check.late:
        said += f"；说明：{o.late_notice_reason or '未填写'}"
    return said, not check.late


def build(session: Session, ctx: ReportContext) -> Document:
    assert ctx.params.outage_id is not None
    facts = collect(session, ctx.params.outage_id)
    o = facts.outage
    info = page_info(ctx, scope=f"{OutageKind(o.kind).label}　{o.reason}")
    check, in_time = notice_check(facts, ctx)
    actual = ""
    if o.actual_start is not None:
        actual = f"{date_time(o.actual_start)} 至 {date_time(o.actual_end) or '尚未恢复'}"
    scope = []
    if facts.feeders:
        scope.append("线路：" + "、".join(facts.feeders))
    if facts.transformer_areas:
        scope.append(
            f"台区 {len(facts.transformer_areas)} 个：" + "、".join(facts.transformer_areas)
        )

    rows = session.execute(
        select(
            OutageNotification, col(Contact.kind), col(Contact.name), col(Contact.phone),
            col(Compound.name), col(Building.name), col(Staff.name), col(Staff.phone),
            col(AppUser.display_name), col(AppUser.username),
        )
        .outerjoin(Contact, col(Contact.id) == col(OutageNotification.contact_id))
        .outerjoin(Compound, col(Compound.id) == col(Contact.compound_id))
        .outerjoin(Building, col(Building.id) == col(Contact.building_id))
        .outerjoin(Staff, col(Staff.id) == col(OutageNotification.staff_id))
        .outerjoin(AppUser, col(AppUser.id) == col(OutageNotification.user_id))
        .where(col(OutageNotification.outage_id) == o.id)
        .order_by(
            col(OutageNotification.kind), col(OutageNotification.sent_at).is_(None),
            col(OutageNotification.sent_at), col(OutageNotification.id),
        )
    ).all()  # fmt: skip
    notify_rows: list[Any] = []
    sent = 0
    for n, (
        note,
        kind,
        cname,
        cphone,
        compound,
        building,
        sname,
        sphone,
        dname,
        uname,
    ) in enumerate(rows, 1):
        who = ContactKind(kind).label if kind else ("网格人员" if sname else "")
        where = "　".join(x for x in (compound, building) if x)
        cells = [
            str(n), KIND_TEXT.get(note.kind, note.kind), who, cname or sname or "",
            ctx.phone(cphone or sphone or ""), where, NotifyChannel(note.channel).label,
            date_time(note.sent_at) if note.sent_at else "未发送", dname or uname or "",
            note.message,
        ]  # fmt: skip
        if note.sent_at is None:
            notify_rows.append(WarnRow(cells))
        else:
            sent += 1
            notify_rows.append(cells)

    calls = int(
        session.execute(
            select(func.count()).select_from(Call).where(col(Call.outage_id) == o.id)
        ).scalar_one()
    )
    orders = int(
        session.execute(
            select(func.count()).select_from(WorkOrder).where(col(WorkOrder.outage_id) == o.id)
        ).scalar_one()
    )
    place_rows: list[Any] = [
        [p.compound or "（无小区）", p.community, "、".join(p.buildings), f"{p.customers:,}"]
        for p in facts.places
    ]
    place_rows.append(TotalRow(["合计", f"{len(facts.places)} 处", "", f"{facts.customers:,}"]))

    story: list[Flowable] = [
        TitleBlock(info),
        KpiStrip(
            [
                ("受影响客户", f"{facts.customers:,}"),
                ("小区 / 村", f"{len(facts.places):,}"),
                ("通知记录", f"{len(rows):,}"),
                ("已发送", f"{sent:,}"),
                ("未发送", f"{len(rows) - sent:,}"),
                ("相关来电", f"{calls:,}"),
                ("相关工单", f"{orders:,}"),
            ]
        ),
        KeepTogether(
            [
                Heading("停电信息"),
                KeyValues(
                    [
                        (
                            "类型 / 状态",
                            f"{OutageKind(o.kind).label} / {OutageStatus(o.status).label}",
                        ),
                        ("停电原因", o.reason or "—"),
                        ("计划时间", f"{date_time(o.planned_start)} 至 {date_time(o.planned_end)}"),
                        ("实际时间", actual or "—"),
                        ("发布时间", date_time(o.announced_at)),
                        ("提前公告", check),
                        ("停电范围", "；".join(scope) or "—"),
                        ("取消原因", o.cancel_reason or "—"),
                    ],
                    columns=1,
                ),
            ]
        ),
    ]
    if not in_time:
        story.append(para("注意：本次停电的公告时间不符合提前公告的要求。", "note"))
    story += [
        *section("受影响的小区 / 村"),
        PagedTable(
            [
                Column("小区", 10),
                Column("社区 / 村", 8),
                Column("楼栋", 40, lines=2),
                Column("客户数", 6, "right"),
            ],
            place_rows,
        ),
        *section(f"通知记录（{len(rows):,} 条，未发送 {len(rows) - sent:,} 条）"),
        PagedTable(NOTIFY_COLUMNS, notify_rows, size=8, empty_text="尚无通知记录"),
    ]
    return Document(info, story)
