"""The one page template every report and notice is drawn on.

A4, portrait or landscape. Each page carries the station's name and the
report's title (and period), and a footer with when and by whom the document
was generated and "第 x 页 / 共 y 页". The page total is only known at the end,
so the footer is drawn when the document is saved (`_ReportCanvas`, the usual
reportlab "numbered canvas"). Posted notices (`PageInfo.notice`) leave out the
running header and keep the footer quiet; their own flowables carry the title.

Headings are set in faux bold (text render mode 2: fill and stroke), because the
bundled font has a single weight. Colours are restrained and print well in grey.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    PageTemplate,
    Paragraph,
    Spacer,
)

from gridsvc_desktop.reports.fonts import FONT, register_fonts
from gridsvc_desktop.services.progress import NullProgress, Progress, checkpoint

__all__ = [
    "ACCENT",
    "INK",
    "MUTED",
    "Document",
    "HBox",
    "Heading",
    "KeyValues",
    "KpiStrip",
    "PageInfo",
    "RenderedPdf",
    "TitleBlock",
    "bold_text",
    "para",
    "render",
    "section",
]

# --------------------------------------------------------------------------- look

INK = colors.HexColor("#1d2733")
MUTED = colors.HexColor("#5b6675")
ACCENT = colors.HexColor("#1f4e79")
ACCENT_LIGHT = colors.HexColor("#e3eaf3")
RULE = colors.HexColor("#c9d3de")
ZEBRA = colors.HexColor("#f4f7fa")
GROUP_FILL = colors.HexColor("#ecf1f6")
WARN = colors.HexColor("#b03a2e")
GOOD = colors.HexColor("#2e7d4f")

MARGIN_X = 15 * mm
MARGIN_TOP = 20 * mm
MARGIN_BOTTOM = 16 * mm
NOTICE_MARGIN_TOP = 14 * mm


@dataclass
class PageInfo:
    """What the template writes on every page."""

    station: str
    title: str
    generated_at: dt.datetime
    generated_by: str
    period: str = ""
    scope: str = ""
    landscape: bool = False
    #: A notice for posting: no running header, a quiet footer.
    notice: bool = False
    #: Phones and ID numbers are masked in this document.
    masked: bool = True
    #: The footer's note on personal data; None: said from `masked`, "": nothing
    #: (a posted notice that carries no customer data).
    privacy_note: str | None = None
    subject: str = ""

    @property
    def pagesize(self) -> tuple[float, float]:
        return landscape(A4) if self.landscape else A4

    @property
    def top_margin(self) -> float:
        return NOTICE_MARGIN_TOP if self.notice else MARGIN_TOP

    def frame_size(self) -> tuple[float, float]:
        """Width and height of the text frame."""
        w, h = self.pagesize
        return w - 2 * MARGIN_X, h - self.top_margin - MARGIN_BOTTOM


@dataclass
class Document:
    """What a report module hands to `render`: the page information and the flow."""

    info: PageInfo
    story: list[Flowable]


@dataclass
class RenderedPdf:
    data: bytes
    pages: int
    #: (width, height) in points of every page.
    page_sizes: list[tuple[float, float]] = field(default_factory=list)


# --------------------------------------------------------------------------- text helpers


def bold_text(
    canv: Canvas,
    x: float,
    y: float,
    text: str,
    size: float,
    *,
    color: colors.Color = INK,
    align: str = "left",
    weight: float = 0.035,
) -> float:
    """Draw `text` in faux bold (fill + thin stroke); returns its width."""
    width = stringWidth(text, FONT, size)
    if align == "center":
        x -= width / 2
    elif align == "right":
        x -= width
    canv.saveState()
    canv.setFillColor(color)
    canv.setStrokeColor(color)
    canv.setLineWidth(size * weight)
    t = canv.beginText(x, y)
    t.setFont(FONT, size)
    t.setTextRenderMode(2)
    t.textOut(text)
    canv.drawText(t)
    canv.restoreState()
    return width


def plain_text(
    canv: Canvas,
    x: float,
    y: float,
    text: str,
    size: float,
    *,
    color: colors.Color = INK,
    align: str = "left",
) -> None:
    canv.setFillColor(color)
    canv.setFont(FONT, size)
    if align == "center":
        canv.drawCentredString(x, y, text)
    elif align == "right":
        canv.drawRightString(x, y, text)
    else:
        canv.drawString(x, y, text)


_STYLES: dict[str, ParagraphStyle] = {}


def style(name: str = "body") -> ParagraphStyle:
    """Paragraph styles in the bundled font, Chinese line breaking."""
    if not _STYLES:
        register_fonts()
        base = ParagraphStyle(
            "body", fontName=FONT, fontSize=10, leading=15, textColor=INK, wordWrap="CJK"
        )
        _STYLES["body"] = base
        _STYLES["small"] = ParagraphStyle(
            "small", parent=base, fontSize=8.5, leading=12, textColor=MUTED
        )
        _STYLES["note"] = ParagraphStyle(
            "note", parent=base, fontSize=8.5, leading=12.5, textColor=MUTED, spaceBefore=4
        )
        _STYLES["notice"] = ParagraphStyle(
            "notice", parent=base, fontSize=16, leading=28, firstLineIndent=32
        )
        _STYLES["notice_plain"] = ParagraphStyle(
            "notice_plain", parent=base, fontSize=16, leading=28
        )
        _STYLES["tips"] = ParagraphStyle("tips", parent=base, fontSize=12, leading=19)
        _STYLES["large"] = ParagraphStyle("large", parent=base, fontSize=13, leading=20)
        _STYLES["center"] = ParagraphStyle("center", parent=base, alignment=TA_CENTER)
        _STYLES["left"] = ParagraphStyle("left", parent=base, alignment=TA_LEFT)
    return _STYLES[name]


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def para(text: str, style_name: str = "body") -> Paragraph:
    """A paragraph of plain text (escaped: data never becomes markup)."""
    return Paragraph(escape(text), style(style_name))


# --------------------------------------------------------------------------- flowables


class TitleBlock(Flowable):
    """The first-page title: station, report title, period and scope, a double rule."""

    def __init__(self, info: PageInfo) -> None:
        super().__init__()
        self.info = info
        self._lines = [s for s in (info.period, info.scope) if s]

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width = aw
        self.height = 62 + (14 if self._lines else 0)
        return aw, self.height

    def draw(self) -> None:
        c, w, h = self.canv, self.width, self.height
        plain_text(c, w / 2, h - 12, self.info.station, 11, color=MUTED, align="center")
        bold_text(c, w / 2, h - 38, self.info.title, 20, color=ACCENT, align="center")
        if self._lines:
            plain_text(c, w / 2, h - 58, "　　".join(self._lines), 10, color=INK, align="center")
        c.setStrokeColor(ACCENT)
        c.setLineWidth(1.6)
        c.line(0, 6, w, 6)
        c.setLineWidth(0.5)
        c.line(0, 3, w, 3)


class Heading(Flowable):
    """A section heading: an accent bar and faux-bold text."""

    def __init__(self, text: str, size: float = 12, space_before: float = 10) -> None:
        super().__init__()
        self.text = text
        self.size = size
        self.spaceBefore = space_before
        self.spaceAfter = 5

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width = aw
        self.height = self.size + 8
        return aw, self.height

    def draw(self) -> None:
        c = self.canv
        c.setFillColor(ACCENT)
        c.rect(0, 3, 3.2, self.size + 2, stroke=0, fill=1)
        bold_text(c, 9, 5, self.text, self.size, color=INK)
        c.setStrokeColor(RULE)
        c.setLineWidth(0.5)
        c.line(0, 0.5, self.width, 0.5)


def section(text: str, *, room: float = 90, size: float = 12) -> list[Flowable]:
    """A heading that never ends a page: a page break first when less than `room`
    points are left (platypus' keepWithNext loops on tables taller than a page)."""
    return [CondPageBreak(room + size + 18), Heading(text, size)]


class KpiStrip(Flowable):
    """A row of figure tiles: a big number with its label below."""

    def __init__(self, items: Sequence[tuple[str, str]], *, note: Sequence[str] = ()) -> None:
        super().__init__()
        self.items = list(items)
        self.notes = list(note) + [""] * (len(self.items) - len(note))
        self.spaceAfter = 6

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width = aw
        self.height = 48
        return aw, self.height

    def draw(self) -> None:
        c = self.canv
        n = max(len(self.items), 1)
        gap = 6
        tile = (self.width - gap * (n - 1)) / n
        for i, ((label, value), note) in enumerate(zip(self.items, self.notes, strict=True)):
            x = i * (tile + gap)
            c.setFillColor(ACCENT_LIGHT)
            c.setStrokeColor(ACCENT_LIGHT)
            c.roundRect(x, 0, tile, self.height, 3, stroke=0, fill=1)
            c.setFillColor(ACCENT)
            c.rect(x, self.height - 2.5, tile, 2.5, stroke=0, fill=1)
            size = 17.0
            while size > 9 and stringWidth(value, FONT, size) > tile - 8:
                size -= 1
            bold_text(c, x + tile / 2, 21, value, size, color=ACCENT, align="center")
            plain_text(c, x + tile / 2, 8, label, 8.5, color=MUTED, align="center")
            if note:
                plain_text(c, x + tile - 4, self.height - 12, note, 7, color=MUTED, align="right")


class KeyValues(Flowable):
    """Label：value pairs in `columns` columns; a value wraps to at most `lines` lines."""

    def __init__(
        self, pairs: Sequence[tuple[str, str]], columns: int = 2, size: float = 10, lines: int = 3
    ) -> None:
        super().__init__()
        self.pairs = list(pairs)
        self.columns = columns
        self.size = size
        self.lines = lines
        self.spaceAfter = 4
        self._cells: list[tuple[str, list[str]]] = []
        self._label_w = 0.0

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        from gridsvc_desktop.reports.text import Widths, wrap_text

        self.width = aw
        widths = Widths.at(self.size)
        self._label_w = max((widths.text(k + "：") for k, _ in self.pairs), default=0)
        room = aw / self.columns - self._label_w - 8
        self._cells = [(k, wrap_text(v, room, self.lines, widths)) for k, v in self.pairs]
        line = self.size * 1.8
        self._row_h = []
        for start in range(0, len(self._cells), self.columns):
            chunk = self._cells[start : start + self.columns]
            n = max(len(v) for _, v in chunk)
            self._row_h.append(line + (n - 1) * self.size * 1.45)
        self.height = sum(self._row_h)
        return aw, self.height

    def draw(self) -> None:
        c = self.canv
        col_w = self.width / self.columns
        top = self.height
        for row, h in enumerate(self._row_h):
            chunk = self._cells[row * self.columns : (row + 1) * self.columns]
            base = top - self.size * 1.3
            for col, (key, lines) in enumerate(chunk):
                x = col * col_w
                plain_text(c, x, base, key + "：", self.size, color=MUTED)
                for i, line in enumerate(lines):
                    plain_text(c, x + self._label_w, base - i * self.size * 1.45, line, self.size)
            top -= h


class HBox(Flowable):
    """Flowables side by side (each given a share of the width); never split."""

    def __init__(
        self, children: Sequence[Flowable], weights: Sequence[float] | None = None, gap: float = 12
    ) -> None:
        super().__init__()
        self.children = list(children)
        self.weights = list(weights or [1.0] * len(self.children))
        self.gap = gap
        self._sizes: list[tuple[float, float]] = []

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        total = sum(self.weights)
        room = aw - self.gap * (len(self.children) - 1)
        self._sizes = []
        for child, weight in zip(self.children, self.weights, strict=True):
            w = room * weight / total
            self._sizes.append((w, child.wrap(w, ah)[1]))
        self.width = aw
        self.height = max((h for _, h in self._sizes), default=0)
        return aw, self.height

    def draw(self) -> None:
        x = 0.0
        for child, (w, h) in zip(self.children, self._sizes, strict=True):
            child.drawOn(self.canv, x, self.height - h)
            x += w + self.gap


# --------------------------------------------------------------------------- the canvas


def _draw_header(canv: Canvas, info: PageInfo) -> None:
    if info.notice:
        return
    w, h = info.pagesize
    y = h - MARGIN_TOP + 9
    plain_text(canv, MARGIN_X, y, info.station, 8.5, color=MUTED)
    right = info.title + (f"　{info.period}" if info.period else "")
    plain_text(canv, w - MARGIN_X, y, right, 8.5, color=MUTED, align="right")
    canv.setStrokeColor(ACCENT)
    canv.setLineWidth(0.8)
    canv.line(MARGIN_X, y - 4, w - MARGIN_X, y - 4)


def _draw_footer(canv: Canvas, info: PageInfo, page: int, total: int) -> None:
    w, _ = info.pagesize
    y = MARGIN_BOTTOM - 16
    canv.setStrokeColor(RULE)
    canv.setLineWidth(0.4)
    canv.line(MARGIN_X, y + 10, w - MARGIN_X, y + 10)
    made = f"生成：{info.generated_at:%Y-%m-%d %H:%M}　制表：{info.generated_by}"
    plain_text(canv, MARGIN_X, y, made, 7.5, color=MUTED)
    plain_text(canv, w / 2, y, f"第 {page} 页 / 共 {total} 页", 8, color=INK, align="center")
    if info.privacy_note is not None:
        right, color = info.privacy_note, MUTED
    elif info.masked:
        right, color = "电话、证件号已脱敏", MUTED
    else:
        right, color = "含完整个人信息　内部资料　注意保管", WARN
    if right:
        plain_text(canv, w - MARGIN_X, y, right, 7.5, color=color, align="right")


class _ReportCanvas(Canvas):
    """Keeps each finished page until the end, then draws the footers with the total."""

    info: PageInfo

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            _draw_footer(self, self.info, self._pageNumber, total)
            Canvas.showPage(self)
        Canvas.save(self)


def _canvas_maker(info: PageInfo) -> Callable[..., Canvas]:
    def make(*args: Any, **kwargs: Any) -> Canvas:
        canv = _ReportCanvas(*args, **kwargs)
        canv.info = info
        return canv

    return make


# --------------------------------------------------------------------------- progress


class RowCounter:
    """Progress of the layout, counted in table rows drawn (tables call `advance`)."""

    def __init__(self, progress: Progress, total: int, start: int, span: int) -> None:
        self.progress = progress
        self.total = max(total, 1)
        self.done = 0
        self.start = start
        self.span = span

    def advance(self, rows: int) -> None:
        self.done += rows
        part = min(self.done, self.total) / self.total
        checkpoint(self.progress, self.start + int(self.span * part), 100, "正在排版")


def _walk(story: Iterable[Flowable]) -> Iterable[Flowable]:
    for f in story:
        yield f
        yield from _walk(getattr(f, "children", ()))


# --------------------------------------------------------------------------- rendering


class _Doc(BaseDocTemplate):
    def __init__(self, buf: BytesIO, info: PageInfo) -> None:
        super().__init__(
            buf,
            pagesize=info.pagesize,
            leftMargin=MARGIN_X,
            rightMargin=MARGIN_X,
            topMargin=info.top_margin,
            bottomMargin=MARGIN_BOTTOM,
            title=info.title,
            author=info.station,
            subject=info.subject or info.title,
            creator="gridsvc_desktop",
            pageCompression=1,
            # The bundled font from the start: reportlab would otherwise list
            # Helvetica, a font not embedded, in every page's resources.
            initialFontName=FONT,
        )
        fw, fh = info.frame_size()
        frame = Frame(
            MARGIN_X, MARGIN_BOTTOM, fw, fh, id="body", leftPadding=0, rightPadding=0,
            topPadding=0, bottomPadding=0,
        )  # fmt: skip
        self.addPageTemplates(
            [PageTemplate(id="page", frames=[frame], onPage=lambda c, _d: _draw_header(c, info))]
        )


def render(
    info: PageInfo,
    story: list[Flowable],
    *,
    progress: Progress | None = None,
    progress_start: int = 10,
) -> RenderedPdf:
    """Lay out `story` on the template; progress runs from `progress_start` to 100."""
    register_fonts()
    progress = progress or NullProgress()
    tables = [f for f in _walk(story) if hasattr(f, "attach_counter")]
    counter = RowCounter(
        progress, sum(t.row_count for t in tables), progress_start, 99 - progress_start
    )
    for t in tables:
        t.attach_counter(counter)
    if not story:
        story = [Spacer(1, 1)]
    buf = BytesIO()
    doc = _Doc(buf, info)
    doc.build(story, canvasmaker=_canvas_maker(info))
    data = buf.getvalue()
    pages = doc.page
    progress.report(100, 100, "完成")
    return RenderedPdf(data=data, pages=pages, page_sizes=[info.pagesize] * pages)
