"""Fast paged tables: tens of thousands of rows, the header repeated on every page.

reportlab's own `Table` measures and styles every cell through platypus and
takes ~40 s for 20,000 rows as one LongTable (bench/README.md). `PagedTable` is
a flowable that knows its rows are plain text in fixed columns:

- each row is measured once (cells elided or wrapped to a column's line limit,
  widths from the font's metrics), and the heights kept as a prefix sum, so a
  page break is a bisection and splitting never copies rows;
- a page is drawn as one text object written straight into the page's content
  stream (the font's subset codes cached per distinct string), with the rules
  and zebra stripes as one path each, instead of a `drawString` per cell.

Numbers are right-aligned (`Column.align`). Rows may be group headings
(`GroupRow`, never left alone at the foot of a page) or totals (`TotalRow`).
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from reportlab.lib import colors
from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable

from gridsvc_desktop.reports.fonts import FONT, register_fonts
from gridsvc_desktop.reports.template import (
    ACCENT,
    ACCENT_LIGHT,
    GROUP_FILL,
    INK,
    RULE,
    WARN,
    ZEBRA,
    RowCounter,
)
from gridsvc_desktop.reports.text import Widths, elide_text, wrap_text

__all__ = ["Column", "GroupRow", "PagedTable", "TotalRow", "WarnRow"]

Align = Literal["left", "right", "center"]


@dataclass(frozen=True)
class Column:
    title: str
    #: Relative width: the columns share the frame's width in proportion.
    width: float
    align: Align = "left"
    #: Most lines a cell may take (1: elided with "…").
    lines: int = 1


@dataclass(frozen=True)
class GroupRow:
    """A heading row spanning the table (a compound, a grid, a building…)."""

    text: str


@dataclass(frozen=True)
class TotalRow:
    """A totals row, in bold, with a rule above."""

    cells: Sequence[str]


@dataclass(frozen=True)
class WarnRow:
    """An ordinary row drawn in the warning colour (overdue, refused…)."""

    cells: Sequence[str]


Row = Sequence[str] | GroupRow | TotalRow | WarnRow


def _rgb(color: colors.Color) -> str:
    return f"{fp_str(color.red)} {fp_str(color.green)} {fp_str(color.blue)}"


class _Text:
    """Text operators for one font and size in one document, cached per string."""

    def __init__(self, canv: Any, size: float) -> None:
        self.font = pdfmetrics.getFont(FONT)
        self.doc = canv._doc
        self.size = size
        self.tf = f" {fp_str(size)} Tf "
        self.cache: dict[str, str] = {}

    def ops(self, text: str) -> str:
        out = self.cache.get(text)
        if out is None:
            font, doc = self.font, self.doc
            out = "".join(
                f"{font.getSubsetInternalName(subset, doc)}{self.tf}({escapePDF(chunk)}) Tj "
                for subset, chunk in font.splitString(text, doc)
            )
            self.cache[text] = out
        return out


def _text_for(canv: Any, size: float) -> _Text:
    """The per-document cache of text operators (kept on the canvas)."""
    store: dict[float, _Text] | None = canv.__dict__.get("_gridsvc_text")
    if store is None:
        store = {}
        canv.__dict__["_gridsvc_text"] = store
    text = store.get(size)
    if text is None:
        text = store[size] = _Text(canv, size)
    return text


class _Layout:
    """Measured rows of one table, shared by every page-sized piece of it."""

    def __init__(
        self,
        columns: Sequence[Column],
        rows: Sequence[Row],
        size: float,
        padding: float,
    ) -> None:
        register_fonts()
        self.columns = list(columns)
        self.rows = rows
        self.size = size
        self.padding = padding
        self.leading = size * 1.28
        self.width = -1.0
        self.col_x: list[float] = []
        self.col_w: list[float] = []
        #: Per row: (line of text, x, line number) of every cell line.
        self.cells: list[list[tuple[str, float, int]]] = []
        self.heights: list[float] = []
        self.prefix: list[float] = [0.0]
        self.header_cells: list[tuple[str, float, int]] = []
        self.header_height = 0.0

    # ---- measuring

    def prepare(self, width: float) -> None:
        if abs(width - self.width) < 0.01:
            return
        self.width = width
        total = sum(c.width for c in self.columns) or 1.0
        self.col_w = [width * c.width / total for c in self.columns]
        self.col_x = []
        x = 0.0
        for w in self.col_w:
            self.col_x.append(x)
            x += w
        size, pad = self.size, self.padding
        char_w = Widths.at(size)
        self.header_cells = []
        n_header = 1
        for c, left, w in zip(self.columns, self.col_x, self.col_w, strict=True):
            lines = wrap_text(c.title, w - 2 * pad, 2, char_w)
            n_header = max(n_header, len(lines))
            for k, line in enumerate(lines):
                if c.align == "left":
                    x = left + pad
                elif c.align == "right":
                    x = left + w - pad - char_w.text(line)
                else:
                    x = left + (w - char_w.text(line)) / 2
                self.header_cells.append((line, x, k))
        self.header_height = 2 * pad + (n_header - 1) * self.leading + size + 1
        self.cells = []
        self.heights = []
        one_line = 2 * pad + size
        columns = list(zip(self.columns, self.col_x, self.col_w, strict=True))
        for row in self.rows:
            if isinstance(row, GroupRow):
                self.cells.append([(elide_text(row.text, width - 2 * pad, char_w), pad, 0)])
                self.heights.append(one_line + 2)
                continue
            texts = row.cells if isinstance(row, TotalRow | WarnRow) else row
            placed: list[tuple[str, float, int]] = []
            tallest = 1
            for text, (col, left, w) in zip(texts, columns, strict=False):
                room = w - 2 * pad
                if col.lines == 1:
                    lines = [elide_text(text, room, char_w)] if text else []
                else:
                    lines = wrap_text(text, room, col.lines, char_w) if text else []
                    tallest = max(tallest, len(lines))
                for k, line in enumerate(lines):
                    if col.align == "left":
                        x = left + pad
                    elif col.align == "right":
                        x = left + w - pad - char_w.text(line)
                    else:
                        x = left + (w - char_w.text(line)) / 2
                    placed.append((line, x, k))
            self.cells.append(placed)
            self.heights.append(one_line + (tallest - 1) * self.leading)
        self.prefix = [0.0]
        acc = 0.0
        for h in self.heights:
            acc += h
            self.prefix.append(acc)

    def span_height(self, start: int, end: int) -> float:
        return self.prefix[end] - self.prefix[start]

    def fit(self, start: int, end: int, room: float) -> int:
        """How many rows from `start` fit in `room` points (below the header)."""
        limit = self.prefix[start] + room + 1e-6
        stop = bisect.bisect_right(self.prefix, limit, lo=start, hi=end + 1) - 1
        return max(stop - start, 0)


class PagedTable(Flowable):
    """A table of plain-text rows that splits across pages, header on each page."""

    def __init__(
        self,
        columns: Sequence[Column],
        rows: Sequence[Row],
        *,
        size: float = 8.5,
        padding: float = 3.2,
        zebra: bool = True,
        empty_text: str = "（无记录）",
        _layout: _Layout | None = None,
        _start: int = 0,
        _end: int | None = None,
        _first: bool = True,
    ) -> None:
        super().__init__()
        if _layout is None:
            if not rows:
                rows = [GroupRow(empty_text)]
            _layout = _Layout(columns, rows, size, padding)
        self._layout = _layout
        self._start = _start
        self._end = len(_layout.rows) if _end is None else _end
        self._first = _first
        self.zebra = zebra
        self._counter: RowCounter | None = None
        self.spaceAfter = 8

    # ---- what the template asks

    @property
    def row_count(self) -> int:
        return self._end - self._start

    def attach_counter(self, counter: RowCounter) -> None:
        self._counter = counter

    # ---- platypus

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        lay = self._layout
        lay.prepare(aw)
        self.width = aw
        self.height = lay.header_height + lay.span_height(self._start, self._end)
        return aw, self.height

    def split(self, aw: float, ah: float) -> list[Flowable]:
        lay = self._layout
        lay.prepare(aw)
        n = lay.fit(self._start, self._end, ah - lay.header_height)
        if n >= self.row_count:
            return [self]
        # A group heading is never the last row of a page, a totals row never
        # the only row of the next.
        while n > 1 and isinstance(lay.rows[self._start + n - 1], GroupRow):
            n -= 1
        rest = lay.rows[self._start + n : self._end]
        if n > 1 and len(rest) <= 2 and all(isinstance(r, TotalRow) for r in rest):
            n -= 1
        if n <= 0:
            return []
        cut = self._start + n
        head = self._piece(self._start, cut, self._first)
        tail = self._piece(cut, self._end, False)
        return [head, tail]

    def _piece(self, start: int, end: int, first: bool) -> PagedTable:
        piece = PagedTable(
            self._layout.columns,
            self._layout.rows,
            zebra=self.zebra,
            _layout=self._layout,
            _start=start,
            _end=end,
            _first=first,
        )
        piece._counter = self._counter
        piece.spaceAfter = self.spaceAfter if end == self._end else 0
        return piece

    # ---- drawing

    def draw(self) -> None:
        lay = self._layout
        canv = self.canv
        text = _text_for(canv, lay.size)
        pad = lay.padding
        size = lay.size
        width = self.width
        top = self.height
        code: list[str] = []
        emit = code.append

        # Header band.
        hh = lay.header_height
        emit(f"q {_rgb(ACCENT_LIGHT)} rg 0 {fp_str(top - hh)} {fp_str(width)} {fp_str(hh)} re f Q")
        # Backgrounds: zebra stripes, group rows, totals.
        y = top - hh
        stripes: list[str] = []
        groups: list[str] = []
        for i in range(self._start, self._end):
            h = lay.heights[i]
            row = lay.rows[i]
            if isinstance(row, GroupRow | TotalRow):
                groups.append(f"0 {fp_str(y - h)} {fp_str(width)} {fp_str(h)} re")
            elif self.zebra and i % 2 == 1:
                stripes.append(f"0 {fp_str(y - h)} {fp_str(width)} {fp_str(h)} re")
            y -= h
        if stripes:
            emit(f"q {_rgb(ZEBRA)} rg {' '.join(stripes)} f Q")
        if groups:
            emit(f"q {_rgb(GROUP_FILL)} rg {' '.join(groups)} f Q")
        # Rules: under every row (hairline), header and table edges (accent).
        rules = []
        y = top - hh
        for i in range(self._start, self._end):
            y -= lay.heights[i]
            rules.append(f"0 {fp_str(y)} m {fp_str(width)} {fp_str(y)} l")
        if rules:
            emit(f"q {_rgb(RULE)} RG 0.35 w {' '.join(rules)} S Q")
        emit(
            f"q {_rgb(ACCENT)} RG 0.9 w 0 {fp_str(top)} m {fp_str(width)} {fp_str(top)} l "
            f"0 {fp_str(top - hh)} m {fp_str(width)} {fp_str(top - hh)} l "
            f"0 {fp_str(y)} m {fp_str(width)} {fp_str(y)} l S Q"
        )

        # Text: one text object for the page.
        emit("BT")
        # Header titles in faux bold.
        emit(f"{_rgb(INK)} rg {_rgb(INK)} RG 2 Tr {fp_str(size * 0.03)} w")
        base = top - pad - size * 0.86
        leading = lay.leading
        for line, x, k in lay.header_cells:
            emit(f"1 0 0 1 {x:.2f} {base - k * leading:.2f} Tm {text.ops(line)}")
        emit("0 Tr")
        y = top - hh
        color = INK
        ops = text.ops
        for i in range(self._start, self._end):
            row = lay.rows[i]
            baseline = y - pad - size * 0.86
            y -= lay.heights[i]
            kind = type(row)
            want = ACCENT if kind is GroupRow else WARN if kind is WarnRow else INK
            if color is not want:
                emit(f"{_rgb(want)} rg {_rgb(want)} RG")
                color = want
            if kind is GroupRow or kind is TotalRow:
                emit("2 Tr")
            for line, x, k in lay.cells[i]:
                emit(f"1 0 0 1 {x:.2f} {baseline - k * leading:.2f} Tm {ops(line)}")
            if kind is GroupRow or kind is TotalRow:
                emit("0 Tr")
        emit("ET")
        if color is not INK:
            emit(f"{_rgb(INK)} rg {_rgb(INK)} RG")
        canv._code.append("\n".join(code))
        if self._counter is not None:
            self._counter.advance(self.row_count)
