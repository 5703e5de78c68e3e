"""停电通知: the notice posted in a compound, one page per outage and compound.

Without a compound chosen, every compound the outage reaches gets its page
(customers of no compound, as in villages, are addressed per community). The
notice names the buildings and transformer areas affected, the times, the
reason, safety advice, the grid customer manager (a published service number,
printed in full) and the hotline. It carries no customer data.

A cancelled outage gives a "取消停电通知", a restored fault outage says when
supply came back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from reportlab.lib import colors
from reportlab.platypus import Flowable, KeepInFrame, PageBreak, Paragraph, Spacer
from sqlmodel import Session

from gridsvc_desktop.db.models import (
    Compound,
    Outage,
)
from gridsvc_desktop.domain.enums import OutageKind, OutageStatus
from gridsvc_desktop.reports.common import page_info
from gridsvc_desktop.reports.template import (
    ACCENT,
    INK,
    MUTED,
    WARN,
    Document,
    bold_text,
    escape,
    plain_text,
    style,
)
from gridsvc_desktop.reports.text import Widths, wrap_text
from gridsvc_desktop.services.common import NotFound
from gridsvc_desktop.services.outages import affected
from gridsvc_desktop.services.reports import ReportContext

WEEKDAYS = "一二三四五六日"

TIPS = (
    "停电期间请视同线路有电，切勿攀登电杆、触碰电力设施或靠近施工现场。",
    "请提前关闭家用电器开关，来电后再逐一开启，防止来电时损坏电器。",
    "使用自备发电机的客户请做好安全措施，严禁向电网反送电。",
    "电梯、二次供水等设施请物业提前做好安排，有特殊用电需要的客户请提前联系我们。",
)


@dataclass
class Place:
    """One notice's audience: a compound (or the no-compound customers of a community)."""

    compound_id: int | None
    compound: str
    community: str
    customers: int
    buildings: list[str] = field(default_factory=list)
    transformer_areas: list[str] = field(default_factory=list)
    manager: str = ""
    manager_phone: str = ""

    @property
    def audience(self) -> str:
        return self.compound or self.community or "各位"


@dataclass
class OutageFacts:
    outage: Outage
    feeders: list[str]
    transformer_areas: list[str]
    places: list[Place]

    @property
    def customers(self) -> int:
        return sum(p.customers for p in self.places)


def collect(session: Session, outage_id: int, compound_id: int | None = None) -> OutageFacts:
    """The outage and its places, from the outage service's affected set
    (services.outages.affected: one computation of who an outage reaches)."""
    outage = session.get(Outage, outage_id)
    if outage is None:
        raise NotFound(f"找不到停电事件（{outage_id}）。")
    reached = affected(session, outage_id)
    area_name = {a.id: a.name for a in reached.areas}
    managers = {g.id: (g.manager, g.manager_phone) for g in reached.grids}
    places: list[Place] = []
    for p in reached.places:
        if compound_id is not None and p.compound_id != compound_id:
            continue
        manager, phone = managers.get(p.grid_id, ("", "")) if p.grid_id is not None else ("", "")
        places.append(
            Place(
                p.compound_id, p.name, p.community, p.customers,
                buildings=list(p.buildings),
                transformer_areas=[area_name[t] for t, _ in p.areas.most_common() if t in area_name],
                manager=manager, manager_phone=phone,
            )
        )  # fmt: skip
    if compound_id is not None and not places:
        compound = session.get(Compound, compound_id)
        what = compound.name if compound else str(compound_id)
        raise NotFound(f"小区“{what}”不在这次停电的范围内。")
    return OutageFacts(
        outage=outage,
        feeders=reached.feeders,
        transformer_areas=[a.name for a in reached.areas],
        places=places,
    )


# --------------------------------------------------------------------------- wording


def _day(value: dt.datetime) -> str:
    return f"{value.year}年{value.month}月{value.day}日（星期{WEEKDAYS[value.weekday()]}）"


def _span(start: dt.datetime, end: dt.datetime) -> str:
    if start.date() == end.date():
        return f"{_day(start)} {start:%H:%M} 至 {end:%H:%M}"
    return f"{_day(start)} {start:%H:%M} 至 {_day(end)} {end:%H:%M}"


def title_of(o: Outage) -> str:
    if o.status is OutageStatus.cancelled:
        return "取消停电通知"
    if o.kind is OutageKind.fault:
        return "故障停电通知"
    return "停电通知"


def body_of(o: Outage, place: Place) -> str:
    reason = o.reason or "电力设施检修"
    span = _span(o.planned_start, o.planned_end)
    if o.status is OutageStatus.cancelled:
        return f"原定于{span}进行的停电（{reason}）已取消，届时正常供电。给您带来的不便，敬请谅解。"
    if o.kind is OutageKind.fault:
        started = o.actual_start or o.planned_start
        text = f"因{reason}，{_day(started)} {started:%H:%M} 起下列范围停电，抢修人员正在全力抢修。"
        if o.actual_end is not None:
            return text + f"已于 {o.actual_end:%m月%d日 %H:%M} 恢复供电。给您带来的不便，敬请谅解。"
        return text + f"预计 {o.planned_end:%m月%d日 %H:%M} 前恢复供电，给您带来的不便，敬请谅解。"
    which = "临时停电检修" if o.kind is OutageKind.temporary else "停电"
    return (
        f"因{reason}，我所定于{span}对下列范围{which}。如遇天气等原因，停送电时间将相应调整。"
        "请您提前做好准备，给您带来的不便，敬请谅解。"
    )


def scope_of(place: Place) -> str:
    where = place.compound or place.community
    if place.buildings:
        shown = place.buildings[:24]
        more = "等" if len(place.buildings) > len(shown) else ""
        where += "　" + "、".join(shown) + more
    return where


# --------------------------------------------------------------------------- drawing


class _Band(Flowable):
    def __init__(self, station: str, kind: str) -> None:
        super().__init__()
        self.station, self.kind = station, kind

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width, self.height = aw, 36
        return aw, self.height

    def draw(self) -> None:
        c = self.canv
        c.setFillColor(ACCENT)
        c.rect(0, 0, self.width, self.height, stroke=0, fill=1)
        bold_text(c, 14, 12, self.station, 14, color=colors.white)
        plain_text(c, self.width - 14, 13, self.kind, 13, color=colors.white, align="right")


class _BigTitle(Flowable):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width, self.height = aw, 86
        return aw, self.height

    def draw(self) -> None:
        spaced = " ".join(self.text) if len(self.text) <= 4 else self.text
        bold_text(
            self.canv, self.width / 2, 24, spaced, 44, color=WARN, align="center", weight=0.05
        )


class _Facts(Flowable):
    """Label / value lines in large type with a rule under each."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        super().__init__()
        self.pairs = pairs
        self._lines: list[tuple[str, list[str]]] = []

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width = aw
        widths = Widths.at(16)
        self._lines = [(k, wrap_text(v, aw - 112, 4, widths)) for k, v in self.pairs]
        self.height = sum(14 + 24 * len(lines) for _, lines in self._lines)
        return aw, self.height

    def draw(self) -> None:
        c = self.canv
        y = self.height
        for label, lines in self._lines:
            block = 14 + 24 * len(lines)
            bold_text(c, 4, y - 24, label, 16, color=ACCENT)
            for i, line in enumerate(lines):
                plain_text(c, 112, y - 24 - 24 * i, line, 16, color=INK)
            y -= block
            c.setStrokeColor(colors.HexColor("#d5dde6"))
            c.setLineWidth(0.6)
            c.line(0, y + 3, self.width, y + 3)


class _Label(Flowable):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width, self.height = aw, 24
        return aw, self.height

    def draw(self) -> None:
        bold_text(self.canv, 0, 7, self.text, 14, color=ACCENT)


class _Contact(Flowable):
    def __init__(self, place: Place, hotline: str) -> None:
        super().__init__()
        self.place, self.hotline = place, hotline
        self.spaceBefore = 16

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width, self.height = aw, 62
        return aw, self.height

    def draw(self) -> None:
        c, w, h = self.canv, self.width, self.height
        c.setStrokeColor(ACCENT)
        c.setLineWidth(1.2)
        c.roundRect(0.6, 0.6, w - 1.2, h - 1.2, 5, stroke=1, fill=0)
        if self.place.manager:
            plain_text(c, 16, h - 22, "网格客户经理", 12, color=MUTED)
            bold_text(c, 16, 13, f"{self.place.manager}　{self.place.manager_phone}", 18, color=INK)
        plain_text(c, w - 16, h - 22, "供电服务热线", 12, color=MUTED, align="right")
        bold_text(c, w - 16, 13, self.hotline, 22, color=ACCENT, align="right")


class _Signature(Flowable):
    def __init__(self, station: str, day: dt.date) -> None:
        super().__init__()
        self.station, self.day = station, day
        self.spaceBefore = 22

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width, self.height = aw, 50
        return aw, self.height

    def draw(self) -> None:
        c, w = self.canv, self.width
        plain_text(c, w - 10, 30, self.station, 16, color=INK, align="right")
        plain_text(
            c, w - 10, 6, f"{self.day.year}年{self.day.month}月{self.day.day}日", 16,
            color=INK, align="right",
        )  # fmt: skip


def notice_page(facts: OutageFacts, place: Place, ctx: ReportContext) -> list[Flowable]:
    o = facts.outage
    pairs = [("停电时间", _span(o.planned_start, o.planned_end))]
    if o.kind is OutageKind.fault and o.actual_start is not None:
        pairs = [("停电时间", f"{_day(o.actual_start)} {o.actual_start:%H:%M} 起")]
        pairs.append(
            ("恢复供电", f"{o.actual_end:%m月%d日 %H:%M} 已恢复" if o.actual_end
             else f"预计 {o.planned_end:%m月%d日 %H:%M} 前")
        )  # fmt: skip
    pairs.append(("停电范围", scope_of(place)))
    if place.transformer_areas:
        pairs.append(("涉及台区", "、".join(place.transformer_areas)))
    pairs.append(("停电原因", o.reason or "电力设施检修"))
    tips_style = style("tips")
    body = style("notice")
    content: list[Flowable] = [
        _Band(ctx.station, OutageKind(o.kind).label),
        _BigTitle(title_of(o)),
        Paragraph(escape(f"尊敬的{place.audience}用户："), style("notice_plain")),
        Spacer(1, 4),
        Paragraph(escape(body_of(o, place)), body),
        Spacer(1, 10),
        _Facts(pairs),
    ]
    if o.status is not OutageStatus.cancelled:
        content.append(Spacer(1, 14))
        content.append(_Label("温馨提示"))
        for i, tip in enumerate(TIPS, 1):
            content.append(Paragraph(escape(f"{i}. {tip}"), tips_style))
    content += [_Contact(place, ctx.hotline), _Signature(ctx.station, o.announced_at.date())]
    return content


def build(session: Session, ctx: ReportContext) -> Document:
    assert ctx.params.outage_id is not None
    facts = collect(session, ctx.params.outage_id, ctx.params.compound_id)
    o = facts.outage
    info = page_info(ctx, title=title_of(o), notice=True, landscape=False)
    info.masked = True  # no customer data on a posted notice
    info.privacy_note = ""
    width, height = info.frame_size()
    story: list[Flowable] = []
    places = facts.places or [Place(None, "", "", 0)]
    for i, place in enumerate(places):
        if i:
            story.append(PageBreak())
        story.append(KeepInFrame(width, height - 2, notice_page(facts, place, ctx), mode="shrink"))
    return Document(info, story)
