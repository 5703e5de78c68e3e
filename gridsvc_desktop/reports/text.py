"""Measuring text in the bundled font: widths, eliding, wrapping (Chinese rules).

Used by the tables and the template's own flowables; widths of single
characters are cached per size, whole strings are measured by reportlab's
accelerated `stringWidth`.
"""

from __future__ import annotations

import re

from reportlab.pdfbase import pdfmetrics

from gridsvc_desktop.reports.fonts import FONT, register_fonts

__all__ = ["Widths", "elide_text", "wrap_text"]


class Widths:
    """Advance widths of single characters at one size, measured once each."""

    _BY_SIZE: dict[float, Widths] = {}  # noqa: RUF012 — a process-wide cache

    def __init__(self, size: float) -> None:
        self.size = size
        self.table: dict[str, float] = {}
        register_fonts()
        self._font = pdfmetrics.getFont(FONT)

    @classmethod
    def at(cls, size: float) -> Widths:
        found = cls._BY_SIZE.get(size)
        if found is None:
            found = cls._BY_SIZE[size] = cls(size)
        return found

    def char(self, ch: str) -> float:
        w = self.table.get(ch)
        if w is None:
            w = self.table[ch] = pdfmetrics.stringWidth(ch, FONT, self.size)
        return w

    def text(self, text: str) -> float:
        return float(self._font.stringWidth(text, self.size))


def elide_text(text: str, room: float, widths: Widths) -> str:
    """`text`, cut with "…" to fit `room` points."""
    if widths.text(text) <= room:
        return text
    ellipsis = widths.char("…")
    acc = 0.0
    for i, ch in enumerate(text):
        acc += widths.char(ch)
        if acc + ellipsis > room:
            return text[:i] + "…"
    return text


#: Marks that may not begin a line (Chinese line-breaking rules, simplified).
_NO_LINE_START = frozenset("，。、；：？！）》」』】〕”’…%),.;:?!")


#: Runs set like Latin words (numbers, dates, codes): kept whole on a line when they fit.
_WORD = re.compile(r"[0-9A-Za-z][0-9A-Za-z.\-:/_+#*]*")


def _units(text: str) -> list[str]:
    """Breakable units: each Chinese character alone, Latin runs whole."""
    out: list[str] = []
    pos = 0
    for m in _WORD.finditer(text):
        out.extend(text[pos : m.start()])
        out.append(m.group())
        pos = m.end()
    out.extend(text[pos:])
    return out


def wrap_text(text: str, room: float, max_lines: int, widths: Widths) -> list[str]:
    """Break `text` into at most `max_lines` lines of `room` points: between Chinese
    characters, never inside a number or code that fits on a line, never before a
    closing mark; a newline breaks too. The last line is elided with "…"."""
    if "\n" not in text and widths.text(text) <= room:
        return [text]
    lines: list[str] = []
    for part in text.split("\n"):
        current = ""
        acc = 0.0
        for unit in _units(part):
            w = widths.text(unit) if len(unit) > 1 else widths.char(unit)
            if acc + w > room and current:
                carry = ""
                if unit in _NO_LINE_START and len(current) > 1:
                    # A closing mark never starts a line: take the character before it along.
                    carry, current = current[-1], current[:-1]
                lines.append(current)
                current, acc = carry, widths.text(carry) if carry else 0.0
            if w > room and len(unit) > 1:  # a run longer than a line: break it anywhere
                for ch in unit:
                    cw = widths.char(ch)
                    if acc + cw > room and current:
                        lines.append(current)
                        current, acc = "", 0.0
                    current += ch
                    acc += cw
                continue
            current += unit
            acc += w
        lines.append(current)
    if len(lines) > max_lines:
        last = "".join(lines[max_lines - 1 :])
        lines = [*lines[: max_lines - 1], elide_text(last, room, widths)]
    return lines or [""]
