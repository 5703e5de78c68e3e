"""Charts for reports, drawn with reportlab.graphics in the bundled font.

Each function returns a `Drawing` (a flowable) of the size asked for, with its
title inside, and says "无数据" rather than drawing an empty axis.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from gridsvc_desktop.reports.fonts import FONT, register_fonts
from gridsvc_desktop.reports.template import ACCENT, INK, MUTED, RULE

__all__ = ["PALETTE", "bar_chart", "column_chart", "pie_chart"]

#: Distinguishable in colour and in grey print.
PALETTE = [
    colors.HexColor(c)
    for c in (
        "#1f4e79", "#4f81bd", "#9bbb59", "#f79646", "#8064a2", "#4bacc6",
        "#c0504d", "#7f7f7f", "#d4a017", "#2e7d4f", "#b7c9e2",
    )
]  # fmt: skip


def _frame(width: float, height: float, title: str) -> Drawing:
    register_fonts()
    d = Drawing(width, height)
    d.initialFontName = FONT  # else reportlab sets Helvetica, a font not embedded
    d.initialFontSize = 8
    d.add(Rect(0, 0, width, height, strokeColor=RULE, strokeWidth=0.5, fillColor=None))
    d.add(String(8, height - 15, title, fontName=FONT, fontSize=9.5, fillColor=INK))
    return d


def _no_data(d: Drawing, width: float, height: float) -> Drawing:
    d.add(
        String(
            width / 2, height / 2 - 5, "无数据", fontName=FONT, fontSize=10,
            fillColor=MUTED, textAnchor="middle",
        )
    )  # fmt: skip
    return d


def bar_chart(
    items: Sequence[tuple[str, float]], width: float, height: float, title: str
) -> Drawing:
    """Horizontal bars, largest first, the value at the end of each bar."""
    d = _frame(width, height, title)
    items = [(k, v) for k, v in items if v]
    if not items:
        return _no_data(d, width, height)
    items = sorted(items, key=lambda kv: kv[1])  # drawn bottom-up: largest on top
    per_bar = (height - 34) / len(items)
    font_size = max(5.5, min(8.0, per_bar * 0.8))
    label_w = max(stringWidth(k, FONT, font_size) for k, _ in items) + 6
    chart = HorizontalBarChart()
    chart.x = 8 + label_w
    chart.y = 10
    chart.width = width - chart.x - 34
    chart.height = height - 34
    chart.data = [[v for _, v in items]]
    chart.categoryAxis.categoryNames = [k for k, _ in items]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = font_size
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -3
    chart.categoryAxis.strokeColor = RULE
    chart.categoryAxis.tickLeft = 0
    chart.valueAxis.visible = False
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = max(v for _, v in items) * 1.05
    chart.bars[0].fillColor = ACCENT
    chart.bars[0].strokeColor = None
    chart.barWidth = 6
    chart.groupSpacing = 2.5
    chart.barLabelFormat = _number
    chart.barLabels.fontName = FONT
    chart.barLabels.fontSize = min(7.5, font_size)
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    chart.barLabels.fillColor = INK
    d.add(chart)
    return d


def column_chart(
    items: Sequence[tuple[str, float]], width: float, height: float, title: str
) -> Drawing:
    """Vertical columns in the given order (days of a period); labels thinned out."""
    d = _frame(width, height, title)
    if not any(v for _, v in items):
        return _no_data(d, width, height)
    chart = VerticalBarChart()
    chart.x = 30
    chart.y = 22
    chart.width = width - 40
    chart.height = height - 46
    chart.data = [[v for _, v in items]]
    step = max(1, (len(items) + 9) // 10)
    chart.categoryAxis.categoryNames = [
        k if i % step == 0 else "" for i, (k, _) in enumerate(items)
    ]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.dy = -2
    chart.categoryAxis.strokeColor = RULE
    chart.categoryAxis.tickDown = 0
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.valueAxis.strokeColor = RULE
    chart.valueAxis.gridStrokeColor = colors.HexColor("#e6ebf1")
    chart.valueAxis.visibleGrid = 1
    chart.valueAxis.labelTextFormat = _number
    top = max(v for _, v in items)
    chart.valueAxis.valueMax = max(top * 1.1, 4)
    chart.valueAxis.valueStep = _nice_step(chart.valueAxis.valueMax)
    chart.bars[0].fillColor = colors.HexColor("#4f81bd")
    chart.bars[0].strokeColor = None
    chart.groupSpacing = 1 if len(items) > 20 else 4
    d.add(chart)
    return d


def pie_chart(
    items: Sequence[tuple[str, float]], width: float, height: float, title: str
) -> Drawing:
    """A pie with a legend of label, count and share beside it."""
    d = _frame(width, height, title)
    items = sorted([(k, v) for k, v in items if v], key=lambda kv: -kv[1])
    if not items:
        return _no_data(d, width, height)
    total = sum(v for _, v in items)
    size = min(height - 34, width * 0.45)
    pie = Pie()
    pie.x = 12
    pie.y = (height - 20 - size) / 2
    pie.width = pie.height = size
    pie.data = [v for _, v in items]
    pie.labels = None
    pie.simpleLabels = 1
    pie.slices.strokeColor = colors.white
    pie.slices.strokeWidth = 0.6
    for i in range(len(items)):
        pie.slices[i].fillColor = PALETTE[i % len(PALETTE)]
    d.add(pie)
    x = pie.x + size + 14
    line = min(12.0, (height - 30) / max(len(items), 1))
    y = height - 30
    for i, (label, value) in enumerate(items):
        d.add(Rect(x, y - 1, 7, 7, fillColor=PALETTE[i % len(PALETTE)], strokeColor=None))
        d.add(String(x + 11, y, label, fontName=FONT, fontSize=7.5, fillColor=INK))
        d.add(
            String(
                width - 8, y, f"{_number(value)}（{value / total:.0%}）", fontName=FONT,
                fontSize=7.5, fillColor=MUTED, textAnchor="end",
            )
        )  # fmt: skip
        y -= line
    return d


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _nice_step(top: float) -> float:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000):
        if top / step <= 6:
            return step
    return top / 5
