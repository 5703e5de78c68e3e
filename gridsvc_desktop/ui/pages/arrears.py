"""欠费 (arrears): who owes what, since when, what was done and promised.

Filters (grid, transformer area, compound, collector, category, status) and
the sort (amount or age) go to SQL (services.arrears.list_arrears); the table
fetches keyset pages of 200 as it scrolls. Beside it the selected arrear: the
late fee by the supply rules with the rule named, the history (ledger changes
and collection actions), and the buttons to record a reminder, a promise, a
notice, a payment or a cut-off (offered only when the notice rules allow it).
Slips for the grid managers' rounds and the list are printed and exported
from here.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from enum import IntEnum
from pathlib import Path
from typing import Any

from gridsvc_desktop.db.errors import ConcurrentEdit
from gridsvc_desktop.domain.enums import CustomerCategory
from gridsvc_desktop.services import arrears as ar
from gridsvc_desktop.services.actor import Permission, PermissionDenied
from gridsvc_desktop.services.common import InvalidInput, NotFound
from gridsvc_desktop.ui.background import error_text, show_message
from gridsvc_desktop.ui.context import UiContext
from gridsvc_desktop.ui.dialogs.collection_dialogs import ActionDialog, CutoffDialog, PaymentDialog
from gridsvc_desktop.ui.format import money, short_date_time
from gridsvc_desktop.ui.models.orders_history import RowsTableModel
from gridsvc_desktop.ui.pages.base import Page
from gridsvc_desktop.ui.qt import (
    QAbstractItemView,
    QAbstractTableModel,
    QComboBox,
    QCoreApplication,
    QDate,
    QDateEdit,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QModelIndex,
    QPersistentModelIndex,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    Qt,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

log = logging.getLogger(__name__)
AnyIndex = QModelIndex | QPersistentModelIndex
PageFetcher = Callable[[tuple[Any, ...] | None, int], list[ar.ArrearsRow]]
USER_ERRORS = (InvalidInput, NotFound, ConcurrentEdit, PermissionDenied)


class Col(IntEnum):
    ACCOUNT = 0
    NAME = 1
    PHONE = 2
    GRID = 3
    COMPOUND = 4
    BUILDING = 5
    MONTH = 6
    AMOUNT = 7
    LATE_FEE = 8
    STATUS = 9
    PROMISED = 10
    COLLECTOR = 11
    LAST_ACTION = 12


class ArrearsTableModel(QAbstractTableModel):
    """Keyset pages of arrears rows from the `fetch_page` it is given."""

    PAGE_SIZE = 200

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[ar.ArrearsRow] = []
        self._fetch: PageFetcher | None = None
        self._sort = ar.SortKey.amount
        self._exhausted = True
        self.unmask = False
        self.today = dt.date.today()

    def headers(self) -> list[str]:
        return [
            QCoreApplication.translate("ArrearsTableModel", "Account"),
            QCoreApplication.translate("ArrearsTableModel", "Name"),
            QCoreApplication.translate("ArrearsTableModel", "Phone"),
            QCoreApplication.translate("ArrearsTableModel", "Grid"),
            QCoreApplication.translate("ArrearsTableModel", "Compound"),
            QCoreApplication.translate("ArrearsTableModel", "Building"),
            QCoreApplication.translate("ArrearsTableModel", "Month"),
            QCoreApplication.translate("ArrearsTableModel", "Amount"),
            QCoreApplication.translate("ArrearsTableModel", "Late fee (rules)"),
            QCoreApplication.translate("ArrearsTableModel", "Status"),
            QCoreApplication.translate("ArrearsTableModel", "Promised"),
            QCoreApplication.translate("ArrearsTableModel", "Collector"),
            QCoreApplication.translate("ArrearsTableModel", "Last action"),
        ]

    def reset(self, fetch: PageFetcher | None, sort: ar.SortKey) -> None:
        """A new query: its first page is read before the views hear of the reset."""
        first: list[ar.ArrearsRow] = []
        if fetch is not None:
            try:
                first = fetch(None, self.PAGE_SIZE)
            except Exception:
                log.exception("fetching arrears failed")
                fetch = None
        self.beginResetModel()
        self._fetch = fetch
        self._sort = sort
        self._rows = first
        self._exhausted = fetch is None or len(first) < self.PAGE_SIZE
        self.endResetModel()

    def row_at(self, row: int) -> ar.ArrearsRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Col)

    def canFetchMore(self, parent: AnyIndex) -> bool:
        return not parent.isValid() and not self._exhausted and self._fetch is not None

    def fetchMore(self, parent: AnyIndex) -> None:
        if not self.canFetchMore(parent):
            return
        assert self._fetch is not None
        after = self._rows[-1].cursor(self._sort) if self._rows else None
        try:
            page = self._fetch(after, self.PAGE_SIZE)
        except Exception:
            log.exception("fetching arrears failed")
            self._exhausted = True
            return
        if len(page) < self.PAGE_SIZE:
            self._exhausted = True
        if not page:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        self._rows.extend(page)
        self.endInsertRows()

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            heads = self.headers()
            return heads[section] if 0 <= section < len(heads) else None
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r = self.row_at(index.row())
        if r is None:
            return None
        c = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(r, c)
        if role == Qt.ItemDataRole.TextAlignmentRole and c in (Col.AMOUNT, Col.LATE_FEE):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and c == Col.LATE_FEE:
            return r.fee.rule
        return None

    def _text(self, r: ar.ArrearsRow, c: int) -> str:
        if c == Col.ACCOUNT:
            return r.account_no
        if c == Col.NAME:
            return r.name
        if c == Col.PHONE:
            return r.phone_shown(self.unmask)
        if c == Col.GRID:
            return r.grid
        if c == Col.COMPOUND:
            return r.compound
        if c == Col.BUILDING:
            return r.building
        if c == Col.MONTH:
            return r.since
        if c == Col.AMOUNT:
            return money(r.amount_fen)
        if c == Col.LATE_FEE:
            return money(r.fee.fee_fen)
        if c == Col.STATUS:
            if r.promise_overdue(self.today):
                return QCoreApplication.translate("ArrearsTableModel", "Promise overdue")
            return r.status.label
        if c == Col.PROMISED:
            return f"{r.promised_on:%Y-%m-%d}" if r.promised_on else ""
        if c == Col.COLLECTOR:
            return r.collector
        if c == Col.LAST_ACTION:
            if r.last_action_at is None:
                return ""
            return f"{short_date_time(r.last_action_at)} {r.last_action}"
        return ""


class CollectionModel(RowsTableModel[ar.CollectionLine]):
    """Collection per grid or per collector: owed, recovered, rate."""

    def __init__(self, name_title: str, empty_name: str, parent: Any = None) -> None:
        super().__init__(parent)
        self._name_title = name_title
        self._empty_name = empty_name

    def titles(self) -> list[str]:
        return [
            self._name_title,
            self.tr("Owed"),
            self.tr("Amount owed"),
            self.tr("Recovered"),
            self.tr("Amount recovered"),
            self.tr("Rate"),
        ]

    def cell(self, row: ar.CollectionLine, column: int) -> str:
        rate = "—" if row.rate is None else f"{row.rate:.1f}%"
        values = [
            row.name or self._empty_name, f"{row.owed_count:,}", money(row.owed_fen),
            f"{row.recovered_count:,}", money(row.recovered_fen), rate,
        ]  # fmt: skip
        return values[column] if 0 <= column < len(values) else ""


class AgeingModel(RowsTableModel[ar.AgeingBucket]):
    """What is unpaid, by days past the due date."""

    def titles(self) -> list[str]:
        return [self.tr("Age"), self.tr("Arrears"), self.tr("Amount")]

    def cell(self, row: ar.AgeingBucket, column: int) -> str:
        values = [row.label, f"{row.count:,}", money(row.fen)]
        return values[column] if 0 <= column < len(values) else ""


class ArrearsPage(Page):
    key = "arrears"
    icon_name = "arrears"

    @classmethod
    def title(cls) -> str:
        return QCoreApplication.translate("ArrearsPage", "Arrears")

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.actor = ctx.acting()
        self.detail: ar.ArrearsDetail | None = None
        #: The collection dialog showing now (tests drive it).
        self.open_dialog: QDialog | None = None
        self.last_message = ""
        self.figures: ar.CollectionFigures | None = None

        def combo(name: str) -> QComboBox:
            box = QComboBox()
            box.setObjectName(name)
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            return box

        self.grid_combo = combo("arrears_grid")
        self.ta_combo = combo("arrears_ta")
        self.compound_combo = combo("arrears_compound")
        self.collector_combo = combo("arrears_collector")
        self.category_combo = combo("arrears_category")
        self.status_combo = combo("arrears_status")
        self.status_combo.setMinimumContentsLength(10)
        self.sort_combo = combo("arrears_sort")
        self._fill_choices()
        self.category_combo.addItem(self.tr("All categories"), None)
        for cat in CustomerCategory:
            self.category_combo.addItem(cat.label, cat.value)
        for status in ar.StatusFilter:
            self.status_combo.addItem(status.label, status.value)
        self.sort_combo.addItem(self.tr("Largest amount first"), ar.SortKey.amount.value)
        self.sort_combo.addItem(self.tr("Oldest first"), ar.SortKey.age.value)

        self.model = ArrearsTableModel(self)
        self.model.unmask = ctx.unmask
        self.table = QTableView()
        self.table.setObjectName("arrears_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in (
            (Col.ACCOUNT, 96), (Col.NAME, 64), (Col.PHONE, 100), (Col.GRID, 130),
            (Col.COMPOUND, 80), (Col.BUILDING, 50), (Col.MONTH, 64), (Col.AMOUNT, 84),
            (Col.LATE_FEE, 96), (Col.STATUS, 96), (Col.PROMISED, 80), (Col.COLLECTOR, 60),
        ):  # fmt: skip
            self.table.setColumnWidth(column, width)
        self.count_label = QLabel()
        self.count_label.setObjectName("arrears_count")

        # detail
        self.detail_label = QLabel(self.tr("Select an arrear to see its history."))
        self.detail_label.setObjectName("arrears_detail")
        self.detail_label.setTextFormat(Qt.TextFormat.PlainText)
        self.detail_label.setWordWrap(True)
        self.history = QPlainTextEdit()
        self.history.setObjectName("arrears_history")
        self.history.setReadOnly(True)
        self.cutoff_label = QLabel()
        self.cutoff_label.setObjectName("arrears_cutoff_rule")
        self.cutoff_label.setTextFormat(Qt.TextFormat.PlainText)
        self.cutoff_label.setWordWrap(True)

        def button(text: str, name: str) -> QPushButton:
            b = QPushButton(text)
            b.setObjectName(name)
            return b

        self.reminder_button = button(self.tr("Reminder…"), "arrears_reminder")
        self.promise_button = button(self.tr("Promise…"), "arrears_promise")
        self.notice_button = button(self.tr("Notice…"), "arrears_notice")
        self.payment_button = button(self.tr("Payment…"), "arrears_payment")
        self.cutoff_button = button(self.tr("Cut-off…"), "arrears_cutoff")
        self.slips_button = button(self.tr("Print slips…"), "arrears_slips")
        self.list_button = button(self.tr("Print list…"), "arrears_list_pdf")
        self.export_button = button(self.tr("Export…"), "arrears_export")
        self.figures_button = button(self.tr("Export figures…"), "arrears_figures")
        self.export_button.setEnabled(self.actor.may(Permission.export))
        self.figures_button.setEnabled(self.actor.may(Permission.export))
        self.cutoff_button.setVisible(self.actor.may(Permission.dispatch))

        # figures
        today = dt.date.today()
        self.from_edit = QDateEdit(QDate(today.year, today.month, 1))
        self.from_edit.setObjectName("figures_from")
        self.to_edit = QDateEdit(QDate(today.year, today.month, today.day))
        self.to_edit.setObjectName("figures_to")
        for edit in (self.from_edit, self.to_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.dateChanged.connect(self._on_period_changed)
        self.by_grid_model = CollectionModel(self.tr("Grid"), self.tr("(no grid)"), self)
        self.by_collector_model = CollectionModel(self.tr("Collector"), self.tr("(nobody)"), self)
        self.ageing_model = AgeingModel(self)
        self.figures_total = QLabel()
        self.figures_total.setObjectName("figures_total")
        self.figures_total.setTextFormat(Qt.TextFormat.PlainText)

        def small_table(name: str, model: QAbstractTableModel) -> QTableView:
            view = QTableView()
            view.setObjectName(name)
            view.setModel(model)
            view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            view.verticalHeader().setVisible(False)
            view.setAlternatingRowColors(True)
            view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            view.horizontalHeader().setStretchLastSection(True)
            return view

        figures = QWidget()
        fig_layout = QVBoxLayout(figures)
        period = QHBoxLayout()
        period.addWidget(QLabel(self.tr("From")))
        period.addWidget(self.from_edit)
        period.addWidget(QLabel(self.tr("to")))
        period.addWidget(self.to_edit)
        period.addWidget(self.figures_total, 1)
        period.addWidget(self.figures_button)
        fig_layout.addLayout(period)
        tables = QSplitter(Qt.Orientation.Horizontal)
        tables.addWidget(small_table("figures_by_grid", self.by_grid_model))
        tables.addWidget(small_table("figures_by_collector", self.by_collector_model))
        tables.addWidget(small_table("figures_ageing", self.ageing_model))
        tables.setChildrenCollapsible(False)
        tables.setSizes([520, 520, 260])
        fig_layout.addWidget(tables, 1)

        filters = QHBoxLayout()
        for label, box in (
            (self.tr("Grid"), self.grid_combo),
            (self.tr("Area"), self.ta_combo),
            (self.tr("Compound"), self.compound_combo),
            (self.tr("Collector"), self.collector_combo),
        ):
            filters.addWidget(QLabel(label))
            filters.addWidget(box)
        filters.addStretch(1)
        filters2 = QHBoxLayout()
        for box in (self.category_combo, self.status_combo, self.sort_combo):
            filters2.addWidget(box)
        filters2.addWidget(self.count_label, 1)
        for b in (self.slips_button, self.list_button, self.export_button):
            filters2.addWidget(b)

        actions = QHBoxLayout()
        for b in (
            self.reminder_button,
            self.promise_button,
            self.notice_button,
            self.payment_button,
            self.cutoff_button,
        ):
            actions.addWidget(b)
        actions.addStretch(1)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.detail_label)
        side_layout.addLayout(actions)
        side_layout.addWidget(self.cutoff_label)
        side_layout.addWidget(self.history, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(side)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setChildrenCollapsible(False)
        listing = QWidget()
        list_layout = QVBoxLayout(listing)
        list_layout.setContentsMargins(0, 4, 0, 0)
        list_layout.addLayout(filters2)
        list_layout.addWidget(split, 1)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("arrears_tabs")
        self.tabs.addTab(listing, self.tr("List"))
        self.tabs.addTab(figures, self.tr("Collection figures"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 6)
        layout.addLayout(filters)
        layout.addWidget(self.tabs, 1)

        for box in (
            self.grid_combo, self.ta_combo, self.compound_combo, self.collector_combo,
            self.category_combo, self.status_combo, self.sort_combo,
        ):  # fmt: skip
            box.currentIndexChanged.connect(self._on_filter_changed)
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_row_changed)
        self.reminder_button.clicked.connect(lambda: self._record_action(promise=False))
        self.promise_button.clicked.connect(lambda: self._record_action(promise=True))
        self.notice_button.clicked.connect(lambda: self._record_action(notices=True))
        self.payment_button.clicked.connect(self._on_payment_button_clicked)
        self.cutoff_button.clicked.connect(self._on_cutoff_button_clicked)
        self.slips_button.clicked.connect(lambda: self.print_report("arrears_slips"))
        self.list_button.clicked.connect(lambda: self.print_report("arrears_list"))
        self.export_button.clicked.connect(lambda: self.export())
        self.figures_button.clicked.connect(lambda: self.export_figures())
        self._show_detail(None)
        self.reload()

    # ---- filters and list

    def _fill_choices(self) -> None:
        with self.ctx.db.read() as s:
            choices = ar.filter_choices(s)
        for box, everything, items in (
            (self.grid_combo, self.tr("All grids"), choices.grids),
            (self.ta_combo, self.tr("All areas"), choices.transformer_areas),
            (self.compound_combo, self.tr("All compounds"), choices.compounds),
            (self.collector_combo, self.tr("All collectors"), choices.collectors),
        ):
            box.blockSignals(True)
            current = box.currentData()
            box.clear()
            box.addItem(everything, None)
            for key, label in items:
                box.addItem(label, key)
            at = box.findData(current)
            box.setCurrentIndex(max(at, 0))
            box.blockSignals(False)

    def current_filter(self) -> ar.ArrearsFilter:
        cat = self.category_combo.currentData()
        return ar.ArrearsFilter(
            grid_id=self.grid_combo.currentData(),
            transformer_area_id=self.ta_combo.currentData(),
            compound_id=self.compound_combo.currentData(),
            collector_id=self.collector_combo.currentData(),
            category=CustomerCategory(cat) if cat else None,
            status=ar.StatusFilter(self.status_combo.currentData() or "todo"),
        )

    def reload(self) -> None:
        f = self.current_filter()
        sort = ar.SortKey(self.sort_combo.currentData() or "amount")
        db = self.ctx.db
        today = dt.date.today()
        self.model.today = today

        def fetch(after: tuple[Any, ...] | None, limit: int) -> list[ar.ArrearsRow]:
            with db.read() as s:
                return ar.list_arrears(s, f, sort=sort, limit=limit, after=after, on=today)

        with db.read() as s:
            n, fen = ar.count_arrears(s, f, on=today)
        self.count_label.setText(
            self.tr("{count} arrears, {amount}").format(count=f"{n:,}", amount=money(fen))
        )
        self.model.reset(fetch, sort)
        self.refresh_figures()
        if self.model.rowCount() and not self.table.currentIndex().isValid():
            self.table.selectRow(0)
        elif not self.model.rowCount():
            self._show_detail(None)

    def period(self) -> tuple[dt.date, dt.date]:
        a, b = self.from_edit.date(), self.to_edit.date()
        return dt.date(a.year(), a.month(), a.day()), dt.date(b.year(), b.month(), b.day())

    def refresh_figures(self) -> None:
        """Collection per grid and per collector over the period (the grid filter
        applies), and the ageing of what is unpaid."""
        start, end = self.period()
        if end < start:
            self.figures_total.setText(self.tr("The period ends before it starts."))
            return
        with self.ctx.db.read() as s:
            fig = ar.collection_figures(
                s, start=start, end=end, grid_id=self.grid_combo.currentData()
            )
        self.figures = fig
        self.by_grid_model.set_rows(fig.by_grid)
        self.by_collector_model.set_rows(fig.by_collector)
        self.ageing_model.set_rows(fig.ageing)
        t = fig.total
        self.figures_total.setText(
            self.tr("Owed {owed}, recovered {recovered}, collection rate {rate}").format(
                owed=money(t.owed_fen),
                recovered=money(t.recovered_fen),
                rate="—" if t.rate is None else f"{t.rate:.1f}%",
            )
        )

    def _on_period_changed(self, _date: QDate) -> None:
        self.refresh_figures()

    def activated(self) -> None:
        """Shown again: an import or another PC may have changed the arrears."""
        self._fill_choices()
        self.reload()
        self.table.setFocus()

    def _on_filter_changed(self, _index: int) -> None:
        self.reload()

    def _on_table_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = self.model.row_at(current.row()) if current.isValid() else None
        self._show_detail(row.id if row else None)

    # ---- detail

    def _show_detail(self, arrears_id: int | None) -> None:
        self.detail = None
        if arrears_id is not None:
            with self.ctx.db.read() as s:
                self.detail = ar.arrears_detail(s, arrears_id)
        d = self.detail
        unpaid = d is not None and d.row.status.value != "paid"
        for b in (
            self.reminder_button,
            self.promise_button,
            self.notice_button,
            self.payment_button,
        ):
            b.setEnabled(unpaid and self.actor.may(Permission.edit))
        # A cut-off is proposed only when the notices on record allow it.
        self.cutoff_button.setEnabled(
            unpaid and d is not None and d.cutoff.allowed and d.row.status.value != "cut_off"
        )
        if d is None:
            self.detail_label.setText(self.tr("Select an arrear to see its history."))
            self.cutoff_label.setText("")
            self.history.setPlainText("")
            return
        r = d.row
        lines = [
            f"{r.account_no} {r.name}　{r.phone_shown(self.ctx.unmask)}　{r.address}",
            self.tr(
                "{month}: {amount}, late fee by the rules {fee} ({rule}); ledger late fee {ledger}"
            ).format(
                month=r.since,
                amount=money(r.amount_fen),
                fee=money(r.fee.fee_fen),
                rule=r.fee.rule,
                ledger=money(r.ledger_late_fee_fen),
            ),
            self.tr("Status: {status}; collector: {collector}").format(
                status=r.status.label, collector=r.collector or "—"
            ),
        ]
        if d.others:
            lines.append(
                self.tr("Also owes: {months}").format(
                    months="、".join(f"{o.since} {money(o.amount_fen)}" for o in d.others)
                )
            )
        self.detail_label.setText("\n".join(lines))
        self.cutoff_label.setText(self.tr("Cut-off: {reason}").format(reason=d.cutoff.reason))
        self.history.setPlainText(
            "\n".join(
                f"{h.at:%Y-%m-%d %H:%M}  {h.what}  {h.detail}" + (f"  （{h.by}）" if h.by else "")
                for h in d.history
            )
        )

    def _subject(self) -> str:
        assert self.detail is not None
        r = self.detail.row
        return f"{r.account_no} {r.name}　{r.since}　{money(r.amount_fen)}"

    def _after_write(self) -> None:
        keep = self.detail.row.id if self.detail else None
        self.ctx.events.changed.emit("arrears")
        self._fill_choices()
        self.reload()
        if keep is not None:
            self._show_detail(keep)

    def _run(self, dialog: QDialog, write: Callable[[], object]) -> bool:
        """Show `dialog` until the write succeeds or the user cancels."""
        while dialog.exec() == QDialog.DialogCode.Accepted:
            try:
                write()
            except USER_ERRORS as exc:
                dialog.show_error(str(exc))  # type: ignore[attr-defined]
                continue
            self._after_write()
            return True
        return False

    # ---- actions

    def _record_action(self, *, promise: bool = False, notices: bool = False) -> None:
        if self.detail is None:
            return
        dialog = ActionDialog(self._subject(), notices=notices, promise=promise, parent=self)
        dialog.setObjectName("action_dialog")
        self.open_dialog = dialog
        r = self.detail.row

        def write() -> None:
            with self.ctx.db.write() as s:
                ar.record_action(
                    session=s, actor=self.actor, arrears_id=r.id, kind=dialog.kind,
                    result=dialog.result_text, note=dialog.note, promised_on=dialog.promised_on,
                    expected_version=r.version,
                )  # fmt: skip

        self._run(dialog, write)

    def _on_payment_button_clicked(self) -> None:
        if self.detail is None:
            return
        dialog = PaymentDialog(self._subject(), parent=self)
        dialog.setObjectName("payment_dialog")
        self.open_dialog = dialog
        r = self.detail.row
        created: list[str] = []

        def write() -> None:
            with self.ctx.db.write() as s:
                res = ar.record_payment(
                    session=s, actor=self.actor, arrears_id=r.id, paid_on=dialog.paid_on,
                    note=dialog.note, expected_version=r.version,
                )  # fmt: skip
                if res.reconnection is not None:
                    created.append(res.reconnection.number)

        if self._run(dialog, write) and created:
            self.ctx.events.changed.emit("work_order")
            self.last_message = self.tr(
                "Paid in full. Reconnection order {number} was created (24 hours)."
            ).format(number=created[0])
            show_message(self, self.last_message, self.tr("Reconnection"))

    def _on_cutoff_button_clicked(self) -> None:
        if self.detail is None:
            return
        dialog = CutoffDialog(self._subject(), self.detail.cutoff, parent=self)
        dialog.setObjectName("cutoff_dialog")
        self.open_dialog = dialog
        r = self.detail.row

        def write() -> None:
            with self.ctx.db.write() as s:
                ar.record_cutoff(
                    session=s, actor=self.actor, arrears_id=r.id, note=dialog.note,
                    expected_version=r.version,
                )  # fmt: skip

        self._run(dialog, write)

    # ---- printing and export

    def print_report(self, name: str, path: Path | None = None) -> Path | None:
        """Build the slips or the list for the chosen grid as a PDF and save it."""
        from gridsvc_desktop.services.reports import ReportParams, build_report, record_output

        if path is None:
            chosen, _ = QFileDialog.getSaveFileName(
                self, self.tr("Save PDF"), f"{name}.pdf", self.tr("PDF (*.pdf)")
            )
            if not chosen:
                return None
            path = Path(chosen)
        try:
            result = build_report(
                self.ctx.db, self.actor, name, ReportParams(grid_id=self.grid_combo.currentData())
            )
            path.write_bytes(result.data)
            record_output(self.ctx.db, self.actor, result, "save", target=path.name)
        except Exception as exc:
            show_message(self, error_text(exc), self.tr("Printing failed"))
            return None
        return path

    def export(self, path: Path | None = None) -> int | None:
        """The list as it is filtered now, as .xlsx."""
        if path is None:
            chosen, _ = QFileDialog.getSaveFileName(
                self, self.tr("Export"), "欠费清单.xlsx", self.tr("Excel workbook (*.xlsx)")
            )
            if not chosen:
                return None
            path = Path(chosen)
        try:
            with self.ctx.db.write() as s:
                return ar.export_arrears(
                    session=s,
                    actor=self.actor,
                    path=path,
                    f=self.current_filter(),
                    sort=ar.SortKey(self.sort_combo.currentData() or "amount"),
                )
        except Exception as exc:
            show_message(self, error_text(exc), self.tr("Export failed"))
            return None

    def export_figures(self, path: Path | None = None) -> Path | None:
        """The collection figures of the period (per grid, per collector, ageing) as
        .xlsx, for the grid chosen or the whole station."""
        if path is None:
            chosen, _ = QFileDialog.getSaveFileName(
                self, self.tr("Export"), "电费回收情况.xlsx", self.tr("Excel workbook (*.xlsx)")
            )
            if not chosen:
                return None
            path = Path(chosen)
        start, end = self.period()
        try:
            with self.ctx.db.write() as s:
                figures = ar.collection_figures(
                    s, start=start, end=end, grid_id=self.grid_combo.currentData()
                )
                return ar.export_figures(session=s, actor=self.actor, path=path, figures=figures)
        except Exception as exc:
            show_message(self, error_text(exc), self.tr("Export failed"))
            return None
