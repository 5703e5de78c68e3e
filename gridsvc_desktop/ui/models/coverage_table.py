"""The lines of a coverage report, optionally of one kind, as a table.

Each row answers LINE_ROLE with its `CoverageLine` (entity + id of the thing
to fix), which the page opens on double-click or Enter.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from gridsvc_desktop.services.coverage import CheckKind, CoverageLine, CoverageReport
from gridsvc_desktop.ui.qt import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

AnyIndex = QModelIndex | QPersistentModelIndex
LINE_ROLE = Qt.ItemDataRole.UserRole + 1


class Column(IntEnum):
    KIND = 0
    SUBJECT = 1
    PROBLEM = 2


class CoverageTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._all: list[CoverageLine] = []
        self._lines: list[CoverageLine] = []
        self._kind: CheckKind | None = None

    @property
    def kind(self) -> CheckKind | None:
        return self._kind

    def set_report(self, report: CoverageReport | None) -> None:
        self.beginResetModel()
        self._all = list(report.lines) if report is not None else []
        self._apply()
        self.endResetModel()

    def set_kind(self, kind: CheckKind | None) -> None:
        """Show only lines of `kind` (None: all)."""
        self.beginResetModel()
        self._kind = kind
        self._apply()
        self.endResetModel()

    def _apply(self) -> None:
        kind = self._kind
        self._lines = [ln for ln in self._all if kind is None or ln.kind == kind]

    def line_at(self, row: int) -> CoverageLine | None:
        return self._lines[row] if 0 <= row < len(self._lines) else None

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._lines):
            return None
        line = self._lines[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            match index.column():
                case Column.KIND:
                    return line.kind.label
                case Column.SUBJECT:
                    return line.subject
                case Column.PROBLEM:
                    return line.problem
        if role == LINE_ROLE:
            return line
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation != Qt.Orientation.Horizontal
            or role != Qt.ItemDataRole.DisplayRole
            or not 0 <= section < len(Column)
        ):
            return None
        return [self.tr("Check"), self.tr("What"), self.tr("Problem and how to fix it")][section]

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )
