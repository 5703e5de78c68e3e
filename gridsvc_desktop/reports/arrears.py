"""欠费清单 and 催费通知单: the arrears still owed, per grid, compound and building.

An arrears row counts while its status is not "paid"; a customer's months are
added up (amount and the late fee the arrears ledger last gave). A customer
belongs to the grid of its transformer area ("未划入网格" when it has none).

The list is for the collectors (phones in full only if the role may see them);
the slips are handed out or put in the door, three to an A4 sheet, in the
order a collector walks: compound, building, account number. A slip shows the
customer's name and phone masked, whoever prints it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from reportlab.lib import colors
from reportlab.platypus import Flowable
from sqlalchemy import func, select
from sqlmodel import Session, col

from gridsvc_desktop.db.models import (
    AdminArea,
    Arrears,
    Building,
    CollectionAction,
    Compound,
    Customer,
    Grid,
    Staff,
    TransformerArea,
)
from gridsvc_desktop.domain.enums import ArrearsStatus, CollectionKind, CustomerCategory
from gridsvc_desktop.domain.masking import mask_name, mask_phone
from gridsvc_desktop.reports.common import money, page_info
from gridsvc_desktop.reports.tables import Column, GroupRow, PagedTable, TotalRow
from gridsvc_desktop.reports.template import (
    ACCENT,
    INK,
    MUTED,
    RULE,
    WARN,
    Document,
    KpiStrip,
    TitleBlock,
    bold_text,
    plain_text,
    section,
)
from gridsvc_desktop.reports.text import Widths, wrap_text
from gridsvc_desktop.services.reports import ReportContext

NO_GRID = "未划入网格"


@dataclass
class Debtor:
    customer_id: int
    account_no: str
    name: str
    address: str
    phone: str
    category: CustomerCategory
    grid_id: int | None
    grid: str
    manager: str
    manager_phone: str
    community: str
    compound: str
    building: str
    months: list[tuple[str, int, int]] = field(default_factory=list)  # (YYYYMM, fen, late fee)
    statuses: set[ArrearsStatus] = field(default_factory=set)
    last_action: tuple[dt.datetime, CollectionKind] | None = None

    @property
    def amount_fen(self) -> int:
        return sum(m[1] for m in self.months)

    @property
    def late_fee_fen(self) -> int:
        return sum(m[2] for m in self.months)

    @property
    def total_fen(self) -> int:
        return self.amount_fen + self.late_fee_fen

    @property
    def status_text(self) -> str:
        order = list(ArrearsStatus)
        return "、".join(s.label for s in sorted(self.statuses, key=order.index))


def _building_key(name: str) -> tuple[int, str]:
    digits = "".join(ch for ch in name if ch.isdigit())
    return (int(digits) if digits else 10**6, name)


def collect(session: Session, grid_id: int | None = None) -> list[Debtor]:
    """Customers with arrears not paid, in walking order (grid, compound, building, account)."""
    stmt: Any = (
        select(
            col(Arrears.id), col(Arrears.customer_id), col(Arrears.month), col(Arrears.amount_fen),
            col(Arrears.ledger_late_fee_fen), col(Arrears.status), col(Customer.account_no),
            col(Customer.name), col(Customer.address), col(Customer.phone), col(Customer.category),
            col(TransformerArea.grid_id), col(Grid.code), col(Grid.name), col(Staff.name),
            col(Staff.phone), col(AdminArea.name), col(Compound.name), col(Building.name),
        )
        .join(Customer, col(Customer.id) == col(Arrears.customer_id))
        .outerjoin(TransformerArea, col(TransformerArea.id) == col(Customer.transformer_area_id))
        .outerjoin(Grid, col(Grid.id) == col(TransformerArea.grid_id))
        .outerjoin(Staff, col(Staff.id) == col(Grid.manager_id))
        .outerjoin(AdminArea, col(AdminArea.id) == col(Customer.community_id))
        .outerjoin(Compound, col(Compound.id) == col(Customer.compound_id))
        .outerjoin(Building, col(Building.id) == col(Customer.building_id))
        .where(col(Arrears.status) != ArrearsStatus.paid)
        .order_by(col(Customer.account_no), col(Arrears.month))
    )  # fmt: skip
    if grid_id is not None:
        stmt = stmt.where(col(TransformerArea.grid_id) == grid_id)
    debtors: dict[int, Debtor] = {}
    arrears_of: dict[int, int] = {}
    for r in session.execute(stmt):
        d = debtors.get(r[1])
        if d is None:
            d = debtors[r[1]] = Debtor(
                customer_id=r[1], account_no=r[6], name=r[7], address=r[8] or "",
                phone=r[9] or "", category=CustomerCategory(r[10]), grid_id=r[11],
                grid=f"{r[12]} {r[13]}" if r[12] else NO_GRID, manager=r[14] or "",
                manager_phone=r[15] or "", community=r[16] or "", compound=r[17] or "",
                building=r[18] or "",
            )  # fmt: skip
        d.months.append((r[2], int(r[3]), int(r[4] or 0)))
        d.statuses.add(ArrearsStatus(r[5]))
        arrears_of[r[0]] = r[1]
    if arrears_of:
        latest = (
            select(col(CollectionAction.arrears_id), func.max(col(CollectionAction.at)).label("at"))
            .where(col(CollectionAction.kind) != CollectionKind.payment)
            .group_by(col(CollectionAction.arrears_id))
            .subquery()
        )
        for arrears_id, at, kind in session.execute(
            select(latest.c.arrears_id, latest.c.at, col(CollectionAction.kind)).join(
                CollectionAction,
                (col(CollectionAction.arrears_id) == latest.c.arrears_id)
                & (col(CollectionAction.at) == latest.c.at),
            )
        ).all():
            cid = arrears_of.get(arrears_id)
            if cid is None:
                continue
            d = debtors[cid]
            if d.last_action is None or at > d.last_action[0]:
                d.last_action = (at, CollectionKind(kind))
    return sorted(
        debtors.values(),
        key=lambda d: (
            d.grid == NO_GRID, d.grid, d.community, d.compound == "", d.compound,
            _building_key(d.building), d.account_no,
        ),
    )  # fmt: skip


def _months_text(d: Debtor) -> str:
    months = [f"{m[:4]}-{m[4:]}" for m, _, _ in d.months]
    return "、".join(months)


LIST_COLUMNS = [
    Column("户号", 8), Column("户名", 7, lines=2), Column("楼栋", 4), Column("地址", 15, lines=2),
    Column("联系电话", 8), Column("欠费月份", 11, lines=2), Column("欠费金额", 6.5, "right"),
    Column("违约金", 5.5, "right"), Column("合计", 6.5, "right"), Column("状态", 6, lines=2),
    Column("最近催收", 8, lines=2),
]  # fmt: skip


def _list(debtors: list[Debtor], ctx: ReportContext) -> list[Any]:
    rows: list[Any] = []
    by_grid: dict[str, list[Debtor]] = defaultdict(list)
    for d in debtors:
        by_grid[d.grid].append(d)
    for grid, people in by_grid.items():
        place = None
        for d in people:
            here = (d.community, d.compound)
            if here != place:
                place = here
                where = (
                    f"{d.compound}（{d.community}）"
                    if d.compound
                    else f"{d.community or '其他'}（无小区信息）"
                )
                rows.append(GroupRow(f"{grid}　·　{where}"))
            action = ""
            if d.last_action is not None:
                action = f"{d.last_action[0]:%m-%d} {d.last_action[1].label}"
            rows.append(
                [
                    d.account_no, d.name, d.building, d.address, ctx.phone(d.phone),
                    _months_text(d), money(d.amount_fen), money(d.late_fee_fen),
                    money(d.total_fen), d.status_text, action,
                ]
            )  # fmt: skip
        rows.append(
            TotalRow(
                ["小计", f"{len(people):,} 户", "", "", "",
                 f"{sum(len(d.months) for d in people):,} 笔",
                 money(sum(d.amount_fen for d in people)),
                 money(sum(d.late_fee_fen for d in people)),
                 money(sum(d.total_fen for d in people)), "", ""]
            )
        )  # fmt: skip
    if len(by_grid) > 1:
        rows.append(
            TotalRow(
                ["合计", f"{len(debtors):,} 户", "", "", "",
                 f"{sum(len(d.months) for d in debtors):,} 笔",
                 money(sum(d.amount_fen for d in debtors)),
                 money(sum(d.late_fee_fen for d in debtors)),
                 money(sum(d.total_fen for d in debtors)), "", ""]
            )
        )  # fmt: skip
    return rows


def _scope(session: Session, ctx: ReportContext) -> str:
    if ctx.params.grid_id is None:
        return "范围：全所"
    grid = session.get(Grid, ctx.params.grid_id)
    return f"网格：{grid.code} {grid.name}" if grid else ""


def build_list(session: Session, ctx: ReportContext) -> Document:
    debtors = collect(session, ctx.params.grid_id)
    info = page_info(ctx, scope=f"{_scope(session, ctx)}　截至 {ctx.generated_at:%Y-%m-%d}")
    amount = sum(d.amount_fen for d in debtors)
    fee = sum(d.late_fee_fen for d in debtors)
    story: list[Flowable] = [
        TitleBlock(info),
        KpiStrip(
            [
                ("欠费户数", f"{len(debtors):,}"),
                ("欠费笔数", f"{sum(len(d.months) for d in debtors):,}"),
                ("欠费金额（元）", money(amount)),
                ("违约金（元）", money(fee)),
                ("合计（元）", money(amount + fee)),
            ]
        ),
        *section("欠费明细（按网格、小区、楼栋）"),
        PagedTable(LIST_COLUMNS, _list(debtors, ctx), size=8, empty_text="没有未缴清的欠费"),
    ]
    return Document(info, story)


# --------------------------------------------------------------------------- slips


class Slip(Flowable):
    """One 电费催缴通知单, a third of an A4 page, with a cut line under it."""

    def __init__(
        self, debtor: Debtor, ctx: ReportContext, number: str, height: float, pay_by: dt.date
    ) -> None:
        super().__init__()
        self.d = debtor
        self.ctx = ctx
        self.number = number
        self.slip_height = height
        self.pay_by = pay_by

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width, self.height = aw, self.slip_height
        return aw, self.height

    def draw(self) -> None:
        c, w, h, d, ctx = self.canv, self.width, self.height, self.d, self.ctx
        top = h - 8
        # Cut line at the foot.
        c.setStrokeColor(MUTED)
        c.setLineWidth(0.5)
        c.setDash(4, 3)
        c.line(0, 4, w, 4)
        c.setDash()
        plain_text(c, w / 2, 7, "沿虚线剪开", 6.5, color=MUTED, align="center")
        box_bottom = 16
        c.setStrokeColor(ACCENT)
        c.setLineWidth(1)
        c.rect(0, box_bottom, w, top - box_bottom, stroke=1, fill=0)
        c.setFillColor(ACCENT)
        c.rect(0, top - 26, w, 26, stroke=0, fill=1)
        bold_text(c, 10, top - 18, ctx.station, 11, color=colors.white)
        bold_text(c, w / 2, top - 19, "电费催缴通知单", 15, color=colors.white, align="center")
        plain_text(c, w - 10, top - 17, f"No. {self.number}", 9, color=colors.white, align="right")

        x = 14
        y = top - 46
        bold_text(
            c, x, y, f"尊敬的 {mask_name(d.name)} 客户（户号 {d.account_no}）：", 11.5, color=INK
        )
        y -= 19
        widths = Widths.at(10)
        room = w - 2 * x
        where = d.address or "—"
        months = len(d.months)
        text = (
            f"　　您户（地址：{where}）截至 {ctx.generated_at:%Y年%m月%d日} "
            f"尚有 {months} 个月的电费未缴清："
        )
        for line in wrap_text(text, room, 2, widths):
            plain_text(c, x, y, line, 10)
            y -= 15
        detail = "；".join(
            f"{m[:4]}年{m[4:]}月 {money(fen)} 元" + (f"（违约金 {money(fee)} 元）" if fee else "")
            for m, fen, fee in d.months
        )
        for line in wrap_text(detail, room - 16, 3, Widths.at(9)):
            plain_text(c, x + 16, y, line, 9, color=MUTED)
            y -= 13
        y -= 4
        plain_text(c, x, y, "欠费合计：", 11, color=INK)
        total_w = bold_text(c, x + 56, y - 1, f"¥{money(d.total_fen)}", 16, color=WARN)
        plain_text(
            c, x + 60 + total_w, y,
            f"（电费 {money(d.amount_fen)} 元，违约金 {money(d.late_fee_fen)} 元）", 9.5,
            color=MUTED,
        )  # fmt: skip
        y -= 19
        residential = d.category is CustomerCategory.residential
        key = "arrears.notice.residential" if residential else "arrears.notice.other"
        lim = ctx.policy.limits.get(key)
        days = lim.amount if lim is not None else (7 if residential else 3)
        demand = (
            f"　　请于 {self.pay_by:%Y年%m月%d日} 前缴清。逾期仍未缴清的，我所将依据《电力供应与"
            f"使用条例》和供用电合同，在书面通知送达 {days} 日后按规定程序中止供电。"
            "已缴费的请忽略本通知。"
        )
        for line in wrap_text(demand, room, 3, widths):
            plain_text(c, x, y, line, 10)
            y -= 15
        plain_text(
            c, x, y, "缴费方式：网上国网 App、微信或支付宝生活缴费、供电营业厅。", 9.5, color=INK
        )
        y -= 15
        contact = f"供电服务热线：{ctx.hotline}"
        if d.manager:
            contact = f"网格客户经理：{d.manager} {d.manager_phone}　　" + contact
        plain_text(c, x, y, contact, 9.5, color=INK)
        if d.phone:
            plain_text(
                c, x, y - 14, f"预留电话：{mask_phone(d.phone)}（如有变更请告知）", 8.5, color=MUTED
            )
        plain_text(c, w - 12, box_bottom + 22, ctx.station, 10, align="right")
        plain_text(c, w - 12, box_bottom + 8, f"{ctx.generated_at:%Y年%m月%d日}", 10, align="right")
        c.setStrokeColor(RULE)


def build_slips(session: Session, ctx: ReportContext) -> Document:
    debtors = collect(session, ctx.params.grid_id)
    info = page_info(ctx, scope=_scope(session, ctx), notice=True, landscape=False)
    info.masked = True
    _, frame_h = info.frame_size()
    height = frame_h / 3 - 0.5
    story: list[Flowable] = []
    for n, d in enumerate(debtors, 1):
        residential = d.category is CustomerCategory.residential
        key = "arrears.notice.residential" if residential else "arrears.notice.other"
        lim = ctx.policy.limits.get(key)
        days = lim.amount if lim is not None else (7 if residential else 3)
        pay_by = ctx.generated_at.date() + dt.timedelta(days=days)
        number = f"{ctx.generated_at:%Y%m%d}-{n:04d}"
        story.append(Slip(d, ctx, number, height, pay_by))
    if not story:
        from reportlab.platypus import Paragraph

        from gridsvc_desktop.reports.template import style

        story.append(Paragraph("没有未缴清的欠费，无需打印催费通知单。", style("large")))
    return Document(info, story)


def build(session: Session, ctx: ReportContext) -> Document:
    if ctx.spec.name == "arrears_slips":
        return build_slips(session, ctx)
    return build_list(session, ctx)
