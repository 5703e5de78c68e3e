"""Small read-only tables of the front desk: an order's history, the desk's
load by grid and by person. Rows are set in one go (they are a few dozen)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from gridsvc_desktop.services.desk import Load
from gridsvc_desktop.services.work_orders import EventRow
from gridsvc_desktop.ui import format as fmt
from gridsvc_desktop.ui.qt import (
    QAbstractTableModel,
    QColor,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from gridsvc_desktop.ui.widgets import order_clock

AnyIndex = QModelIndex | QPersistentModelIndex
R = TypeVar("R")


class RowsTableModel(QAbstractTableModel, Generic[R]):
    """Rows of any kind, with a title and a cell function per column."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[R] = []

    # subclasses: the columns
    def titles(self) -> list[str]:
        raise NotImplementedError

    def cell(self, row: R, column: int) -> str:
        raise NotImplementedError

    def foreground(self, row: R, column: int) -> QColor | None:
        return None

    def background(self, row: R) -> QColor | None:
        return None

    def set_rows(self, rows: Sequence[R]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> R | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.titles())

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.cell(row, index.column())
        if role == Qt.ItemDataRole.ForegroundRole:
            return self.foreground(row, index.column())
        if role == Qt.ItemDataRole.BackgroundRole:
            return self.background(row)
        return None

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        titles = self.titles()
        return titles[section] if 0 <= section < len(titles) else None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )


class HistoryModel(RowsTableModel[EventRow]):
    """An order's history: when, who, what, the note."""

    def titles(self) -> list[str]:
        return [self.tr("Time"), self.tr("By"), self.tr("Step"), self.tr("Details")]

    def cell(self, row: EventRow, column: int) -> str:
        if column == 0:
            return fmt.short_date_time(row.at)
        if column == 1:
            return row.who
        if column == 2:
            return self.step(row)
        if column == 3:
            return " ".join(row.note.split())
        return ""

    def step(self, row: EventRow) -> str:
        if row.kind == "created":
            return self.tr("Taken")
        if row.from_status is not None and row.to_status is not None:
            return f"{row.from_status.label} → {row.to_status.label}"
        if row.kind == "assign":
            return self.tr("Reassigned")
        if row.kind == "merge":
            return self.tr("Merged")
        if row.kind == "callback":
            return self.tr("Call-back")
        if row.kind == "edit":
            return self.tr("Edited")
        return self.tr("Note")


class LoadModel(RowsTableModel[Load]):
    """Open orders of grids or people: open, due today, near due, overdue."""

    def __init__(self, name_title: Callable[[], str], empty_name: str, parent: Any = None) -> None:
        super().__init__(parent)
        self._name_title = name_title
        self._empty_name = empty_name

    def titles(self) -> list[str]:
        return [
            self._name_title(),
            self.tr("Open"),
            self.tr("Due today"),
            self.tr("Near due"),
            self.tr("Overdue"),
        ]

    def cell(self, row: Load, column: int) -> str:
        values = [row.name or self._empty_name, row.open, row.due_today, row.near, row.overdue]
        value = values[column] if 0 <= column < len(values) else ""
        return str(value) if value != 0 or column == 1 else ""

    def foreground(self, row: Load, column: int) -> QColor | None:
        if column == 4 and row.overdue:
            return QColor(order_clock.OVERDUE_FG)
        if column == 3 and row.near:
            return QColor(order_clock.NEAR_FG)
        return None

    def background(self, row: Load) -> QColor | None:
        return QColor(order_clock.OVERDUE_BG) if row.overdue else None
