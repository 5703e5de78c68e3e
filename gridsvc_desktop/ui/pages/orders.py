"""工单 (work orders): the list with filters, SQL-side sort, search, chosen
columns, copy and export, and the detail panel with the full history.

Every query runs on a worker: the plan (which index drives), the first page
and then the count. Scrolling fetches keyset pages with the same plan. The
clocks move on every minute without a query; the list re-queries when data
changes elsewhere (a call taken, an order created on the 来电 page).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlmodel import col, select

from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.db.models import Grid, Staff
from gridsvc_desktop.domain.enums import Channel, OrderStatus, OrderType
from gridsvc_desktop.domain.order_states import OPEN_STATUSES
from gridsvc_desktop.services import work_orders as wo
from gridsvc_desktop.services.actor import Permission
from gridsvc_desktop.services.sla_policy import near_due_fraction
from gridsvc_desktop.ui.background import Task, error_text, run_in_background, show_message
from gridsvc_desktop.ui.context import UiContext
from gridsvc_desktop.ui.dialogs.export import ask_export_path
from gridsvc_desktop.ui.models.orders_table import (
    HIDDEN_BY_DEFAULT,
    ORDER_ID_ROLE,
    SORT_KEYS,
    OrderColumn,
    OrderTableModel,
    type_text,
)
from gridsvc_desktop.ui.pages.base import Page
from gridsvc_desktop.ui.qt import (
    QAbstractItemView,
    QAction,
    QCheckBox,
    QComboBox,
    QCoreApplication,
    QDate,
    QDateEdit,
    QGuiApplication,
    QHBoxLayout,
    QHeaderView,
    QKeySequence,
    QLabel,
    QLineEdit,
    QMenu,
    QModelIndex,
    QProgressDialog,
    QPushButton,
    QShortcut,
    QSplitter,
    Qt,
    QTableView,
    QTimer,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from gridsvc_desktop.ui.widgets.customer_card import WARNING_COLOR
from gridsvc_desktop.ui.widgets.order_detail import OrderDetailPanel
from gridsvc_desktop.ui.widgets.picker import NONE_ID, Picker

#: Status filter entries beyond the single statuses.
OPEN = "open"
AWAITING_CALLBACK = "awaiting_callback"


# ---- work done on worker threads (no widgets here)


@dataclass
class FilterChoices:
    grids: list[tuple[int, str]] = field(default_factory=list)
    staff: list[tuple[int, str]] = field(default_factory=list)
    near_fraction: float = 0.25


def load_filter_choices(db: Database) -> FilterChoices:
    with db.read() as s:
        grids = [
            (int(i), f"{code} {name}")
            for i, code, name in s.execute(
                select(col(Grid.id), col(Grid.code), col(Grid.name)).order_by(col(Grid.code))
            ).all()
        ]
        staff = [
            (int(i), name)
            for i, name in s.execute(
                select(col(Staff.id), col(Staff.name))
                .where(col(Staff.active).is_(True))
                .order_by(col(Staff.id))
            ).all()
        ]
        return FilterChoices(grids, staff, near_due_fraction(s))


@dataclass
class FirstPage:
    plan: wo.ListPlan
    rows: list[wo.OrderRow]


def query_first_page(
    db: Database, f: wo.OrderFilter, sort: wo.SortKey, descending: bool, at: dt.datetime
) -> FirstPage:
    with db.read() as s:
        plan = wo.plan_orders(s, f, sort=sort, at=at)
        rows = wo.list_orders(s, f, sort=sort, descending=descending, at=at, plan=plan)
    return FirstPage(plan, rows)


def query_count(db: Database, f: wo.OrderFilter, plan: wo.ListPlan, at: dt.datetime) -> int:
    with db.read() as s:
        return wo.count_orders(s, f, at=at, plan=plan)


def fetch_page(
    db: Database,
    f: wo.OrderFilter,
    sort: wo.SortKey,
    descending: bool,
    plan: wo.ListPlan,
    at: dt.datetime,
    after: tuple[Any, ...],
) -> list[wo.OrderRow]:
    with db.read() as s:
        return wo.list_orders(s, f, sort=sort, descending=descending, after=after, at=at, plan=plan)


def load_row(db: Database, order_id: int) -> wo.OrderRow:
    with db.read() as s:
        return wo.order_row(s, order_id)


# ---- the page


class OrdersPage(Page):
    key = "orders"
    icon_name = "orders"
    SEARCH_DELAY_MS = 250
    COLUMN_WIDTHS = {  # noqa: RUF012 — in em units
        OrderColumn.NUMBER: 9,
        OrderColumn.STATUS: 4.5,
        OrderColumn.TYPE: 7,
        OrderColumn.TIME_LEFT: 8.5,
        OrderColumn.URGENCY: 3.5,
        OrderColumn.CUSTOMER: 6,
        OrderColumn.PHONE: 7.5,
        OrderColumn.ADDRESS: 14,
        OrderColumn.DESCRIPTION: 14,
        OrderColumn.GRID: 7,
        OrderColumn.ASSIGNEE: 4.5,
        OrderColumn.CHANNEL: 6,
        OrderColumn.RECEIVED: 7,
        OrderColumn.DUE: 7,
        OrderColumn.ACCOUNT_NO: 7,
        OrderColumn.EXTERNAL_NO: 10,
        OrderColumn.SATISFACTION: 3,
    }

    @classmethod
    def title(cls) -> str:
        return QCoreApplication.translate("OrdersPage", "Work orders")

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._generation = 0
        self._query_task: Task | None = None
        self._count_task: Task | None = None
        self._plan: wo.ListPlan | None = None
        self._filter = wo.OrderFilter(statuses=OPEN_STATUSES)
        self._sort = wo.SortKey.next_due
        self._descending = False
        self._stale = False
        self._skip_event = False
        self._count: int | None = None
        self._query_at = dt.datetime.now()

        # -- filters
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("order_search")
        self.search_edit.setPlaceholderText(
            self.tr("Order no., 95598 no., phone, account no., name or address")
        )
        self.search_edit.setClearButtonEnabled(True)
        self.status_box = QComboBox()
        self.status_box.setObjectName("filter_status")
        self.status_box.addItem(self.tr("All statuses"), None)
        self.status_box.addItem(self.tr("Open (not yet resolved)"), OPEN)
        self.status_box.addItem(self.tr("Resolved, awaiting call-back"), AWAITING_CALLBACK)
        for s in OrderStatus:
            self.status_box.addItem(s.label, s)
        self.status_box.setCurrentIndex(1)
        self.type_box = QComboBox()
        self.type_box.setObjectName("filter_type")
        self.type_box.addItem(self.tr("All types"), None)
        for t in OrderType:
            self.type_box.addItem(t.label, t)
        self.channel_box = QComboBox()
        self.channel_box.setObjectName("filter_channel")
        self.channel_box.addItem(self.tr("All channels"), None)
        for c in Channel:
            self.channel_box.addItem(c.label, c)
        self.grid_box = Picker(none_text=self.tr("All grids"))
        self.grid_box.setObjectName("filter_grid")
        self.grid_box.setMinimumContentsLength(9)
        self.assignee_box = Picker(none_text=self.tr("Everyone"))
        self.assignee_box.setObjectName("filter_assignee")
        self.assignee_box.setMinimumContentsLength(6)
        self.overdue_box = QCheckBox(self.tr("Overdue only"))
        self.overdue_box.setObjectName("filter_overdue")
        self.overdue_box.setStyleSheet(f"color: {WARNING_COLOR};")
        self.dates_box = QCheckBox(self.tr("Received"))
        self.dates_box.setObjectName("filter_dates")
        today = QDate.currentDate()
        self.date_from = QDateEdit(today.addDays(-30))
        self.date_from.setObjectName("filter_from")
        self.date_to = QDateEdit(today)
        self.date_to.setObjectName("filter_to")
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)

        self.columns_button = QToolButton()
        self.columns_button.setObjectName("columns_button")
        self.columns_button.setText(self.tr("Columns"))
        self.columns_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.copy_button = QPushButton(self.tr("Copy"))
        self.copy_button.setObjectName("copy_button")
        self.copy_button.setToolTip(self.tr("Copy the selected rows as tab-separated text"))
        self.export_button = QPushButton(self.tr("Export…"))
        self.export_button.setObjectName("export_button")
        self.status_label = QLabel()
        self.status_label.setObjectName("order_status")

        # -- table and detail
        self.model = OrderTableModel(self)
        self.model.unmask = ctx.unmask
        self.table = QTableView()
        self.table.setObjectName("order_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionsMovable(True)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        em = self.fontMetrics().horizontalAdvance("客")
        titles = self.model.column_titles()
        for column, width in self.COLUMN_WIDTHS.items():
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            title_width = header.fontMetrics().horizontalAdvance(titles[column]) + 24
            self.table.setColumnWidth(column, max(int(width * em), title_width))
        header.setStretchLastSection(False)
        self.table.setSortingEnabled(True)
        header.setSortIndicator(OrderColumn.TIME_LEFT, Qt.SortOrder.AscendingOrder)
        for column in HIDDEN_BY_DEFAULT:
            self.table.setColumnHidden(column, True)

        self.column_menu = QMenu(self)
        self.column_actions: dict[OrderColumn, QAction] = {}
        for column in OrderColumn:
            action = QAction(titles[column], self.column_menu)
            action.setCheckable(True)
            action.setChecked(column not in HIDDEN_BY_DEFAULT)
            action.toggled.connect(lambda on, c=column: self.table.setColumnHidden(c, not on))
            self.column_menu.addAction(action)
            self.column_actions[column] = action
        self.columns_button.setMenu(self.column_menu)

        self.detail = OrderDetailPanel(ctx)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("order_splitter")
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)

        row1 = QHBoxLayout()
        row1.addWidget(self.search_edit, 3)
        row1.addWidget(self.status_box)
        row1.addWidget(self.type_box)
        row1.addWidget(self.channel_box)
        row1.addWidget(self.grid_box)
        row1.addWidget(self.assignee_box)
        row2 = QHBoxLayout()
        row2.addWidget(self.overdue_box)
        row2.addSpacing(12)
        row2.addWidget(self.dates_box)
        row2.addWidget(self.date_from)
        row2.addWidget(QLabel("—"))
        row2.addWidget(self.date_to)
        row2.addSpacing(12)
        row2.addWidget(self.status_label, 1)
        row2.addWidget(self.columns_button)
        row2.addWidget(self.copy_button)
        row2.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.addLayout(row1)
        layout.addLayout(row2)
        layout.addWidget(self.splitter, 1)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(self.SEARCH_DELAY_MS)
        self._clock_timer = QTimer(self)
        self._clock_timer.setInterval(60_000)
        self._copy_shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Copy), self.table)
        self._copy_shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        self._find_shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        self._find_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

        self.search_edit.textChanged.connect(self._on_search_edit_text_changed)
        self._search_timer.timeout.connect(self._on_search_timer_timeout)
        for box in (self.status_box, self.type_box, self.channel_box):
            box.currentIndexChanged.connect(self._on_filter_changed)
        for picker in (self.grid_box, self.assignee_box):
            picker.currentIndexChanged.connect(self._on_filter_changed)
        self.overdue_box.toggled.connect(self._on_filter_changed)
        self.dates_box.toggled.connect(self._on_dates_box_toggled)
        self.date_from.dateChanged.connect(self._on_filter_changed)
        self.date_to.dateChanged.connect(self._on_filter_changed)
        self.model.sort_requested.connect(self._on_model_sort_requested)
        self.model.fetch_failed.connect(self._on_model_fetch_failed)
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_row_changed)
        header.customContextMenuRequested.connect(self._on_header_context_menu_requested)
        self.copy_button.clicked.connect(self._on_copy_button_clicked)
        self.export_button.clicked.connect(self._on_export_button_clicked)
        self._copy_shortcut.activated.connect(self._on_copy_button_clicked)
        self._find_shortcut.activated.connect(self._on_find_shortcut_activated)
        self._clock_timer.timeout.connect(self._on_clock_timer_timeout)
        self.detail.changed.connect(self._on_detail_changed)
        ctx.events.changed.connect(self._on_data_changed)

        self.export_button.setEnabled(ctx.acting().may(Permission.export))
        self._clock_timer.start()
        db = ctx.db
        run_in_background(
            self, lambda _p: load_filter_choices(db), on_success=self._on_choices_loaded
        )
        self.run_query()

    # ---- Page

    def activated(self) -> None:
        if self._stale:
            self._stale = False
            self.run_query()
        self.search_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def reload(self) -> None:
        self.run_query()
        self.detail.reload()

    # ---- public

    def current_filter(self) -> wo.OrderFilter:
        status = self.status_box.currentData()
        statuses: tuple[OrderStatus, ...] = ()
        if status == OPEN:
            statuses = OPEN_STATUSES
        elif status == AWAITING_CALLBACK:
            statuses = (OrderStatus.resolved,)
        elif isinstance(status, OrderStatus):
            statuses = (status,)
        order_type = self.type_box.currentData()
        channel = self.channel_box.currentData()
        grid = self.grid_box.current_id()
        assignee = self.assignee_box.current_id()
        dates = self.dates_box.isChecked()
        return wo.OrderFilter(
            statuses=statuses,
            types=(order_type,) if order_type is not None else (),
            channels=(channel,) if channel is not None else (),
            grid_id=grid if grid is not None and grid != NONE_ID else None,
            assignee_id=assignee if assignee is not None and assignee != NONE_ID else None,
            overdue=self.overdue_box.isChecked(),
            received_from=self.date_from.date().toPython() if dates else None,  # type: ignore[arg-type]
            received_to=self.date_to.date().toPython() if dates else None,  # type: ignore[arg-type]
            text=self.search_edit.text().strip(),
        )

    def run_query(self) -> None:
        """Re-run the list for the filters shown (first page, then the count)."""
        self._search_timer.stop()
        self._filter = self.current_filter()
        self._generation += 1
        generation = self._generation
        for task in (self._query_task, self._count_task):
            if task is not None:
                task.cancel()
        self._count_task = None
        self._count = None
        db, f, sort, desc = self.ctx.db, self._filter, self._sort, self._descending
        at = dt.datetime.now().replace(microsecond=0)
        self._query_at = at
        self._set_status(self.tr("Searching…"))
        self._query_task = run_in_background(
            self,
            lambda _p: query_first_page(db, f, sort, desc, at),
            on_success=lambda page: self._on_first_page(generation, page),
            on_failure=lambda error: self._on_query_failed(generation, error),
        )

    def selected_rows(self) -> list[int]:
        rows = {i.row() for i in self.table.selectionModel().selectedRows()}
        if not rows and self.table.currentIndex().isValid():
            rows = {self.table.currentIndex().row()}
        return sorted(rows)

    def visible_columns(self) -> list[int]:
        header = self.table.horizontalHeader()
        shown = [c for c in range(self.model.columnCount()) if not self.table.isColumnHidden(c)]
        return sorted(shown, key=header.visualIndex)

    def copy_selection(self) -> str:
        """The selected rows (shown columns, in their order) to the clipboard, as TSV."""
        text = self.model.tsv(self.selected_rows(), self.visible_columns())
        QGuiApplication.clipboard().setText(text)
        return text

    def export_columns(self) -> list[wo.ExportColumn]:
        """The shown columns as export columns (typed values: times stay times)."""
        titles = self.model.column_titles()
        model = self.model
        values: dict[int, Any] = {
            OrderColumn.NUMBER: lambda r: r.number,
            OrderColumn.STATUS: lambda r: r.status.label,
            OrderColumn.TYPE: type_text,
            OrderColumn.TIME_LEFT: lambda r: model.text(r, OrderColumn.TIME_LEFT),
            OrderColumn.URGENCY: lambda r: r.urgency.label,
            OrderColumn.CUSTOMER: lambda r: r.customer_name or r.caller_name,
            OrderColumn.PHONE: lambda r: r.caller_phone,
            OrderColumn.ADDRESS: lambda r: r.address,
            OrderColumn.DESCRIPTION: lambda r: r.description,
            OrderColumn.GRID: lambda r: r.grid,
            OrderColumn.ASSIGNEE: lambda r: r.assignee,
            OrderColumn.CHANNEL: lambda r: r.channel.label,
            OrderColumn.RECEIVED: lambda r: r.received_at,
            OrderColumn.DUE: lambda r: r.next_due,
            OrderColumn.ACCOUNT_NO: lambda r: r.account_no,
            OrderColumn.EXTERNAL_NO: lambda r: r.external_no,
            OrderColumn.SATISFACTION: lambda r: r.satisfaction,
        }
        widths = {OrderColumn.ADDRESS: 36, OrderColumn.DESCRIPTION: 40, OrderColumn.NUMBER: 16}
        return [
            wo.ExportColumn(
                titles[c],
                values[c],
                widths.get(
                    OrderColumn(c), 14 if c not in (OrderColumn.RECEIVED, OrderColumn.DUE) else 17
                ),
                "phone" if c == OrderColumn.PHONE else "",
            )
            for c in self.visible_columns()
        ]

    def export_to(self, path: Path, *, full_phones: bool = False) -> Task:
        """Export the view (filter, sort, shown columns) to `path` on a worker."""
        ctx, f, sort, desc = self.ctx, self._filter, self._sort, self._descending
        columns = self.export_columns()
        dialog = QProgressDialog(self.tr("Exporting work orders…"), self.tr("Cancel"), 0, 0, self)
        dialog.setObjectName("export_progress")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(400)
        self.export_button.setEnabled(False)

        def work(progress: Any) -> int:
            return wo.export_orders(
                ctx.db, ctx.acting(), path, f, columns=columns, sort=sort,
                descending=desc, full_phones=full_phones, progress=progress,
            )  # fmt: skip

        def progressed(done: int, total: int, _message: str) -> None:
            dialog.setMaximum(max(total, 1))
            dialog.setValue(min(done, max(total, 1)))

        def finished() -> None:
            dialog.reset()
            dialog.deleteLater()
            self.export_button.setEnabled(True)

        task = run_in_background(
            self,
            work,
            on_success=lambda n: self._set_status(
                self.tr("{count} work order(s) exported to {path}").format(count=n, path=path)
            ),
            on_failure=self._on_export_failed,
            progress=progressed,
        )
        dialog.canceled.connect(task.cancel)
        task.finished.connect(finished)
        return task

    # ---- callbacks from workers (GUI thread)

    def _on_choices_loaded(self, choices: FilterChoices) -> None:
        self.grid_box.blockSignals(True)
        self.assignee_box.blockSignals(True)
        self.grid_box.set_items([*choices.grids, (0, self.tr("(no grid)"))])
        self.assignee_box.set_items([*choices.staff, (0, self.tr("(not assigned)"))])
        self.grid_box.blockSignals(False)
        self.assignee_box.blockSignals(False)
        self.model.near_fraction = choices.near_fraction
        self.model.set_now(dt.datetime.now())

    def _on_first_page(self, generation: int, page: FirstPage) -> None:
        if generation != self._generation:
            return
        self._query_task = None
        self._plan = page.plan
        db, f, sort, desc, at = (
            self.ctx.db, self._filter, self._sort, self._descending, self._query_at,
        )  # fmt: skip
        plan = page.plan
        keep = self.detail.order_id
        self.model.reset(
            page.rows,
            lambda after: fetch_page(db, f, sort, desc, plan, at, after),
            sort_key=sort,
        )
        self.model.set_now(dt.datetime.now())
        if keep is not None and (row := self.model.row_of(keep)) >= 0:
            self.table.selectionModel().blockSignals(True)
            self.table.setCurrentIndex(self.model.index(row, 0))
            self.table.selectionModel().blockSignals(False)
        self._update_status()
        self._count_task = run_in_background(
            self,
            lambda _p: query_count(db, f, plan, at),
            on_success=lambda n: self._on_count(generation, n),
            on_failure=lambda _e: None,
        )

    def _on_export_failed(self, error: BaseException) -> None:
        show_message(self, error_text(error), self.tr("Export failed"))

    def _on_count(self, generation: int, count: int) -> None:
        if generation != self._generation:
            return
        self._count_task = None
        self._count = count
        self._update_status()

    def _on_query_failed(self, generation: int, error: BaseException) -> None:
        if generation != self._generation:
            return
        self._query_task = None
        self._set_status(
            self.tr("Could not load work orders: {error}").format(error=error_text(error)),
            warn=True,
        )

    def _set_status(self, text: str, *, warn: bool = False) -> None:
        self.status_label.setText(text)
        self.status_label.setStyleSheet(f"color: {WARNING_COLOR};" if warn else "")

    def _update_status(self) -> None:
        shown = self.model.rowCount()
        if self._count is None:
            text = self.tr("{shown} shown, counting…").format(shown=shown)
        elif self._count == 0:
            text = self.tr("No work order matches")
        else:
            text = self.tr("{count} work order(s)").format(count=f"{self._count:,}")
        overdue = sum(
            1
            for r in range(shown)
            if (row := self.model.row_at(r)) is not None
            and self.model.clock_of(row).state == "overdue"
        )
        if overdue:
            text += self.tr("; {count} overdue among those shown").format(count=overdue)
        self._set_status(text, warn=bool(overdue))

    # ---- slots

    def _on_search_edit_text_changed(self, _text: str) -> None:
        self._search_timer.start()

    def _on_search_timer_timeout(self) -> None:
        self.run_query()

    def _on_filter_changed(self, *_args: object) -> None:
        self.run_query()

    def _on_dates_box_toggled(self, on: bool) -> None:
        self.date_from.setEnabled(on)
        self.date_to.setEnabled(on)
        self.run_query()

    def _on_model_sort_requested(self, key: wo.SortKey, descending: bool) -> None:
        if key == self._sort and descending == self._descending:
            return
        self._sort, self._descending = key, descending
        self.run_query()

    def _on_model_fetch_failed(self, message: str) -> None:
        self._set_status(
            self.tr("Could not load more work orders: {error}").format(error=message), warn=True
        )

    def _on_table_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        order_id = self.model.data(self.model.index(current.row(), 0), ORDER_ID_ROLE)
        if order_id is not None and order_id != self.detail.order_id:
            self.detail.show_order(int(order_id))

    def _on_header_context_menu_requested(self, pos: Any) -> None:
        self.column_menu.popup(self.table.horizontalHeader().mapToGlobal(pos))

    def _on_copy_button_clicked(self) -> None:
        rows = self.selected_rows()
        self.copy_selection()
        self._set_status(self.tr("{count} row(s) copied").format(count=len(rows)))

    def _on_export_button_clicked(self) -> None:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M")
        chosen = ask_export_path(
            self, f"工单-{stamp}.xlsx", self.ctx.acting().may(Permission.unmask)
        )
        if chosen is not None:
            self.export_to(chosen[0], full_phones=chosen[1])

    def _on_find_shortcut_activated(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def _on_clock_timer_timeout(self) -> None:
        self.model.set_now(dt.datetime.now())

    def _on_detail_changed(self, order_id: int) -> None:
        self._skip_event = True
        db = self.ctx.db
        run_in_background(
            self,
            lambda _p: load_row(db, order_id),
            on_success=self.model.replace_row,
            on_failure=lambda _e: None,
        )

    def _on_data_changed(self, _what: str) -> None:
        if self._skip_event:
            self._skip_event = False
            return
        if self.isVisible():
            self.run_query()
            self.detail.reload()
        else:
            self._stale = True


__all__ = ["SORT_KEYS", "OrdersPage"]
