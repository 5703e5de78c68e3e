"""The work-order list: a lazily filled table model over SQL-side filter and sort.

The page runs the first page (and its plan and count) on a worker and hands it
over with `reset`; scrolling asks for the next keyset page through
canFetchMore/fetchMore with the fetch function the page gave (one indexed
query of a few milliseconds). Clicking a header does not sort in Python: the
model emits `sort_requested` and the page re-queries. Each row's clock (time
left, near due, overdue) is worked out when painted, against `now`, which the
page moves on every minute.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from enum import IntEnum
from typing import Any

from gridsvc_desktop.domain.masking import mask_phone
from gridsvc_desktop.domain.order_states import Clock, clock
from gridsvc_desktop.services.work_orders import OrderRow, SortKey
from gridsvc_desktop.ui import format as fmt
from gridsvc_desktop.ui.qt import (
    QAbstractTableModel,
    QColor,
    QFont,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from gridsvc_desktop.ui.widgets import order_clock

log = logging.getLogger(__name__)

AnyIndex = QModelIndex | QPersistentModelIndex
#: cursor of the last row → the next page.
PageFetcher = Callable[[tuple[Any, ...]], list[OrderRow]]

ORDER_ID_ROLE = Qt.ItemDataRole.UserRole + 1
CLOCK_STATE_ROLE = Qt.ItemDataRole.UserRole + 2


class OrderColumn(IntEnum):
    NUMBER = 0
    STATUS = 1
    TYPE = 2
    TIME_LEFT = 3
    URGENCY = 4
    CUSTOMER = 5
    PHONE = 6
    ADDRESS = 7
    DESCRIPTION = 8
    GRID = 9
    ASSIGNEE = 10
    CHANNEL = 11
    RECEIVED = 12
    DUE = 13
    ACCOUNT_NO = 14
    EXTERNAL_NO = 15
    SATISFACTION = 16


#: Columns SQL can sort by, and how.
SORT_KEYS: dict[OrderColumn, SortKey] = {
    OrderColumn.NUMBER: SortKey.number,
    OrderColumn.STATUS: SortKey.status,
    OrderColumn.TYPE: SortKey.type,
    OrderColumn.TIME_LEFT: SortKey.next_due,
    OrderColumn.DUE: SortKey.next_due,
    OrderColumn.GRID: SortKey.grid,
    OrderColumn.ASSIGNEE: SortKey.assignee,
    OrderColumn.CHANNEL: SortKey.channel,
    OrderColumn.RECEIVED: SortKey.received_at,
}
#: Hidden until the user picks them (header menu).
HIDDEN_BY_DEFAULT = frozenset(
    {OrderColumn.ACCOUNT_NO, OrderColumn.EXTERNAL_NO, OrderColumn.SATISFACTION}
)


def type_text(row: OrderRow) -> str:
    if row.subtype.value != "none":
        return f"{row.type.label}·{row.subtype.label}"
    return str(row.type.label)


class OrderTableModel(QAbstractTableModel):
    PAGE_SIZE = 200

    #: A page could not be fetched (message for the user).
    fetch_failed = Signal(str)
    #: The user clicked a sortable header: re-query in this order.
    sort_requested = Signal(object, bool)  # SortKey, descending

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[OrderRow] = []
        self._fetch: PageFetcher | None = None
        self._exhausted = True
        self._sort_key = SortKey.received_at
        self._now = dt.datetime.now()
        self._today = self._now.date()
        self.near_fraction = 0.25
        self.unmask = False

    # ---- state

    @property
    def sort_key(self) -> SortKey:
        return self._sort_key

    def reset(
        self,
        rows: Sequence[OrderRow],
        fetch: PageFetcher | None,
        *,
        sort_key: SortKey,
        exhausted: bool | None = None,
    ) -> None:
        """Show `rows` (the first page); further pages come from `fetch`."""
        self.beginResetModel()
        self._rows = list(rows)
        self._fetch = fetch
        self._sort_key = sort_key
        self._exhausted = (
            exhausted if exhausted is not None else (fetch is None or len(rows) < self.PAGE_SIZE)
        )
        self.endResetModel()

    def clear(self) -> None:
        self.reset([], None, sort_key=self._sort_key)

    def set_now(self, now: dt.datetime) -> None:
        """Move the clocks on (every minute) without re-querying."""
        self._now = now
        self._today = now.date()
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, len(OrderColumn) - 1)
            )

    def row_at(self, row: int) -> OrderRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, order_id: int) -> int:
        for i, r in enumerate(self._rows):
            if r.id == order_id:
                return i
        return -1

    def replace_row(self, fresh: OrderRow) -> None:
        """An order changed (an action on it): show its new state in place."""
        i = self.row_of(fresh.id)
        if i < 0:
            return
        self._rows[i] = fresh
        self.dataChanged.emit(self.index(i, 0), self.index(i, len(OrderColumn) - 1))

    def clock_of(self, row: OrderRow) -> Clock:
        return clock(
            status=row.status,
            received_at=row.received_at,
            deadline=row.next_due,
            kind=row.deadline_kind,
            now=self._now,
            near_fraction=self.near_fraction,
        )

    # ---- QAbstractTableModel

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(OrderColumn)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column in (OrderColumn.DESCRIPTION, OrderColumn.ADDRESS, OrderColumn.CUSTOMER):
                return self.text(row, column)
            if column in (OrderColumn.TIME_LEFT, OrderColumn.DUE):
                return self.tr("Due {time}").format(time=fmt.date_time(row.next_due))
            return None
        if role == ORDER_ID_ROLE:
            return row.id
        if role == CLOCK_STATE_ROLE:
            return self.clock_of(row).state
        if role == Qt.ItemDataRole.ForegroundRole:
            state = self.clock_of(row)
            if column in (OrderColumn.TIME_LEFT, OrderColumn.DUE, OrderColumn.NUMBER):
                return order_clock.foreground(state)
            if state.state == "done":
                return QColor(order_clock.DONE_FG)
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            return order_clock.background(self.clock_of(row))
        if role == Qt.ItemDataRole.FontRole and column == OrderColumn.TIME_LEFT:
            if self.clock_of(row).state in ("overdue", "near"):
                font = QFont()
                font.setBold(True)
                return font
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and column == OrderColumn.SATISFACTION:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def text(self, row: OrderRow, column: int) -> str:
        match column:
            case OrderColumn.NUMBER:
                return row.number
            case OrderColumn.STATUS:
                return str(row.status.label)
            case OrderColumn.TYPE:
                return type_text(row)
            case OrderColumn.TIME_LEFT:
                state = self.clock_of(row)
                return order_clock.clock_text(state) if state.state != "done" else ""
            case OrderColumn.URGENCY:
                return str(row.urgency.label)
            case OrderColumn.CUSTOMER:
                return row.customer_name or row.caller_name
            case OrderColumn.PHONE:
                return row.caller_phone if self.unmask else mask_phone(row.caller_phone)
            case OrderColumn.ADDRESS:
                return row.address
            case OrderColumn.DESCRIPTION:
                return row.description.replace("\n", " ")
            case OrderColumn.GRID:
                return row.grid
            case OrderColumn.ASSIGNEE:
                return row.assignee
            case OrderColumn.CHANNEL:
                return str(row.channel.label)
            case OrderColumn.RECEIVED:
                return fmt.short_date_time(row.received_at, self._today)
            case OrderColumn.DUE:
                return fmt.short_date_time(row.next_due, self._today)
            case OrderColumn.ACCOUNT_NO:
                return row.account_no
            case OrderColumn.EXTERNAL_NO:
                return row.external_no
            case OrderColumn.SATISFACTION:
                return str(row.satisfaction) if row.satisfaction else ""
        return ""

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(OrderColumn):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.column_titles()[section]
        if role == Qt.ItemDataRole.ToolTipRole and OrderColumn(section) not in SORT_KEYS:
            return self.tr("This column cannot be sorted")
        return None

    def column_titles(self) -> list[str]:
        return [
            self.tr("Order no."),
            self.tr("Status"),
            self.tr("Type"),
            self.tr("Time left"),
            self.tr("Urgency"),
            self.tr("Customer / caller"),
            self.tr("Phone"),
            self.tr("Address"),
            self.tr("Request"),
            self.tr("Grid"),
            self.tr("Assignee"),
            self.tr("Channel"),
            self.tr("Received"),
            self.tr("Due"),
            self.tr("Account no."),
            self.tr("95598 no."),
            self.tr("Satisfaction"),
        ]

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorting is SQL's: ask the page to re-query (unsortable columns are ignored)."""
        if not 0 <= column < len(OrderColumn):
            return
        key = SORT_KEYS.get(OrderColumn(column))
        if key is not None:
            self.sort_requested.emit(key, order == Qt.SortOrder.DescendingOrder)

    def canFetchMore(self, parent: AnyIndex) -> bool:
        return not parent.isValid() and not self._exhausted and self._fetch is not None

    def fetchMore(self, parent: AnyIndex) -> None:
        if not self.canFetchMore(parent) or not self._rows:
            return
        assert self._fetch is not None
        try:
            page = self._fetch(self._rows[-1].cursor(self._sort_key))
        except Exception as exc:
            log.exception("fetching more work orders failed")
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

    # ---- copying

    def tsv(self, rows: Sequence[int], columns: Sequence[int]) -> str:
        """Rows as tab-separated text with a header line (pastes into Excel and WeChat)."""
        titles = self.column_titles()
        lines = ["\t".join(titles[c] for c in columns)]
        for r in rows:
            row = self.row_at(r)
            if row is None:
                continue
            cells = (self.text(row, c) for c in columns)
            lines.append("\t".join(_one_line(v) for v in cells))
        return "\n".join(lines)


def _one_line(text: str) -> str:
    return " ".join(text.replace("\t", " ").split())
