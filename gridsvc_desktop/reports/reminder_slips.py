"""催费通知单 (reminder slips) for the grid manager's round: several to an A4
page (SLIPS_PER_PAGE, with cut lines), in walking order — grid, compound,
building, account number — each slip tagged with its compound and building so
the sheets can be handed out building by building.

They go in doors: the customer's name and phone are masked whoever prints them
(the phones in full are the grid manager's published service number and the
hotline). The amounts are the arrears ledger's (amount and its late fee); the
late-fee rule of the customer's category (domain/late_fees.py) is named under
them, and the pay-by date is the notice period the SLA policy sets
(`arrears.notice.residential` 7 days, `arrears.notice.other` 3 days). Uses the
reports issue's page template (reports/template.py) and the debtors of
reports/arrears.collect.
"""

from __future__ import annotations

import datetime as dt

from reportlab.lib import colors
from reportlab.platypus import Flowable
from sqlmodel import Session

from gridsvc_desktop.domain.enums import CustomerCategory
from gridsvc_desktop.domain.late_fees import RULE_ACROSS_YEARS, RULE_CURRENT_YEAR, RULE_RESIDENTIAL
from gridsvc_desktop.domain.masking import mask_name, mask_phone
from gridsvc_desktop.reports.arrears import Debtor, collect, scope_text
from gridsvc_desktop.reports.common import money, page_info
from gridsvc_desktop.reports.template import (
    ACCENT,
    INK,
    MUTED,
    RULE,
    WARN,
    Document,
    bold_text,
    plain_text,
)
from gridsvc_desktop.reports.text import Widths, wrap_text
from gridsvc_desktop.services.reports import ReportContext

SLIPS_PER_PAGE = 3


def group_label(d: Debtor) -> str:
    """Where the slip goes: compound and building (or the community)."""
    place = d.compound or d.community or "其他"
    return f"{place} {d.building}".strip()


def rule_text(category: CustomerCategory) -> str:
    if category is CustomerCategory.residential:
        return f"违约金按《供电营业规则》{RULE_RESIDENTIAL}计收"
    return f"违约金按《供电营业规则》{RULE_CURRENT_YEAR}、{RULE_ACROSS_YEARS}计收"


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

        plain_text(c, w - 12, top - 40, group_label(d), 9, color=ACCENT, align="right")
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
        plain_text(c, x + 16, y, rule_text(d.category), 8.5, color=MUTED)
        y -= 15
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
    info = page_info(ctx, scope=scope_text(session, ctx), notice=True, landscape=False)
    info.masked = True
    _, frame_h = info.frame_size()
    height = frame_h / SLIPS_PER_PAGE - 0.5
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
