"""Sizing table columns to what they hold, within limits."""

from __future__ import annotations

from collections.abc import Iterable

from gridsvc_desktop.ui.qt import QTableView


def fit_columns(table: QTableView, columns: Iterable[int], *, max_em: float = 14) -> None:
    """Widen each column to its content (Qt looks at up to 1,000 rows) and header,
    but never beyond `max_em` character widths; never narrower than it is now."""
    em = table.fontMetrics().horizontalAdvance("客")
    header = table.horizontalHeader()
    for column in columns:
        wanted = max(table.sizeHintForColumn(column), header.sectionSizeHint(column)) + 8
        table.setColumnWidth(column, max(table.columnWidth(column), min(wanted, int(max_em * em))))
