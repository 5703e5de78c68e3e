"""The customer list: a lazily filled table model that never loads the whole table.

Two modes:
- browse (empty query): customers in account-number order, fetched in keyset
  pages of PAGE_SIZE through canFetchMore/fetchMore as the view scrolls;
- search: the (at most 200) matches of one query, set in one go.

The model does no I/O of its own in search mode, and in browse mode only calls
the `fetch_page` function it was given (one indexed keyset query, well under a
millisecond per page), so it can be tested without a database.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from enum import IntEnum
from typing import Any

from gridsvc_desktop.domain.masking import mask_phone
from gridsvc_desktop.services.search import CustomerRow
from gridsvc_desktop.ui.qt import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

log = logging.getLogger(__name__)

#: (after_account_no, limit) → the next page of customers by account number.
PageFetcher = Callable[[str, int], list[CustomerRow]]
AnyIndex = QModelIndex | QPersistentModelIndex

CUSTOMER_ID_ROLE = Qt.ItemDataRole.UserRole + 1


class Column(IntEnum):
    ACCOUNT_NO = 0
    NAME = 1
    ADDRESS = 2
    PHONE = 3
    CATEGORY = 4
    TRANSFORMER_AREA = 5
    GRID = 6


class Mode(IntEnum):
    BROWSE = 0
    SEARCH = 1


class CustomerTableModel(QAbstractTableModel):
    PAGE_SIZE = 200

    #: A page could not be fetched (message for the user).
    fetch_failed = Signal(str)

    def __init__(self, fetch_page: PageFetcher | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self._fetch_page = fetch_page
        self._rows: list[CustomerRow] = []
        self._mode = Mode.BROWSE
        self._exhausted = fetch_page is None
        self._query = ""
        self._capped = False
        self._unmask = False

    # ---- state

    @property
    def mode(self) -> Mode:
        return self._mode

    @property
    def query(self) -> str:
        return self._query

    @property
    def capped(self) -> bool:
        """In search mode: more customers matched than are shown."""
        return self._capped

    @property
    def unmask(self) -> bool:
        """Show full phone numbers (only for roles that may see them)."""
        return self._unmask

    @unmask.setter
    def unmask(self, value: bool) -> None:
        if value == self._unmask:
            return
        self._unmask = value
        if self._rows:
            self.dataChanged.emit(
                self.index(0, Column.PHONE), self.index(len(self._rows) - 1, Column.PHONE)
            )

    def browse(self, fetch_page: PageFetcher | None = None) -> None:
        """Switch to (or restart) browse mode; pages arrive through fetchMore."""
        self.beginResetModel()
        if fetch_page is not None:
            self._fetch_page = fetch_page
        self._mode = Mode.BROWSE
        self._rows = []
        self._query = ""
        self._capped = False
        self._exhausted = self._fetch_page is None
        self.endResetModel()

    def set_search_results(self, query: str, rows: Sequence[CustomerRow], capped: bool) -> None:
        self.beginResetModel()
        self._mode = Mode.SEARCH
        self._rows = list(rows)
        self._query = query
        self._capped = capped
        self._exhausted = True
        self.endResetModel()

    def row_at(self, row: int) -> CustomerRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, customer_id: int) -> int:
        """Row number of a loaded customer, or -1."""
        for i, r in enumerate(self._rows):
            if r.id == customer_id:
                return i
        return -1

    # ---- QAbstractTableModel

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if role == Qt.ItemDataRole.ToolTipRole and column not in (Column.NAME, Column.ADDRESS):
                return None
            return self._text(row, column)
        if role == CUSTOMER_ID_ROLE:
            return row.id
        return None

    def _text(self, row: CustomerRow, column: int) -> str | None:
        match column:
            case Column.ACCOUNT_NO:
                return row.account_no
            case Column.NAME:
                return row.name
            case Column.ADDRESS:
                return row.address
            case Column.PHONE:
                return row.phone if self._unmask else mask_phone(row.phone)
            case Column.CATEGORY:
                return row.category
            case Column.TRANSFORMER_AREA:
                return row.transformer_area
            case Column.GRID:
                return row.grid
        return None

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if (
            orientation != Qt.Orientation.Horizontal
            or role != Qt.ItemDataRole.DisplayRole
            or not 0 <= section < len(Column)
        ):
            return None
        return self.column_titles()[section]

    def column_titles(self) -> list[str]:
        return [
            self.tr("Account no."),
            self.tr("Name"),
            self.tr("Address"),
            self.tr("Phone"),
            self.tr("Category"),
            self.tr("Transformer area"),
            self.tr("Grid"),
        ]

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def canFetchMore(self, parent: AnyIndex) -> bool:
        return (
            not parent.isValid()
            and self._mode == Mode.BROWSE
            and not self._exhausted
            and self._fetch_page is not None
        )

    def fetchMore(self, parent: AnyIndex) -> None:
        if not self.canFetchMore(parent):
            return
        assert self._fetch_page is not None
        after = self._rows[-1].account_no if self._rows else ""
        try:
            page = self._fetch_page(after, self.PAGE_SIZE)
        except Exception as exc:
            log.exception("fetching customers after %r failed", after)
            self._exhausted = True
            self.fetch_failed.emit(str(exc))
            return
        if len(page) < self.PAGE_SIZE:
            self._exhausted = True
        if not page:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        self._rows.extend(page)
        self.endInsertRows()
