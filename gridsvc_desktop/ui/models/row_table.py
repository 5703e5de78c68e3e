"""A read-only table of a list of rows held in memory (roster, contacts, …).

Subclasses say how a row shows in each column (`text`, `column_titles`) and
add their roles in `data`; the list keeping, the masked phone column, the
header and the flags live here once.
"""

from __future__ import annotations

from typing import Any, Generic, Protocol, TypeVar

from gridsvc_desktop.ui.qt import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

AnyIndex = QModelIndex | QPersistentModelIndex


class HasId(Protocol):
    @property
    def id(self) -> int: ...


R = TypeVar("R", bound=HasId)


class RowTableModel(QAbstractTableModel, Generic[R]):
    #: the column whose phone numbers are masked unless `unmask` is set (-1: none)
    PHONE_COLUMN = -1

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[R] = []
        self._unmask = False

    # ---- what subclasses provide

    def column_titles(self) -> list[str]:
        raise NotImplementedError

    def text(self, r: R, column: int, *, unmask: bool | None = None) -> str:
        raise NotImplementedError

    # ---- rows

    @property
    def unmask(self) -> bool:
        return self._unmask

    @unmask.setter
    def unmask(self, value: bool) -> None:
        if value != self._unmask:
            self._unmask = value
            if self._rows and self.PHONE_COLUMN >= 0:
                self.dataChanged.emit(
                    self.index(0, self.PHONE_COLUMN),
                    self.index(len(self._rows) - 1, self.PHONE_COLUMN),
                )

    def show_full(self, unmask: bool | None) -> bool:
        """Whether a phone shows in full: `unmask` when given, else the model's setting."""
        return self._unmask if unmask is None else unmask

    def set_rows(self, rows: list[R]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[R]:
        return list(self._rows)

    def row_at(self, row: int) -> R | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, row_id: int) -> int:
        return next((i for i, r in enumerate(self._rows) if r.id == row_id), -1)

    # ---- QAbstractTableModel

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.column_titles())

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        titles = self.column_titles()
        if (
            orientation != Qt.Orientation.Horizontal
            or role != Qt.ItemDataRole.DisplayRole
            or not 0 <= section < len(titles)
        ):
            return None
        return titles[section]

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )
