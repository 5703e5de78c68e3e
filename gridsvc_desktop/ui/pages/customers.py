"""客户 (customers): find a customer as you type, see their card beside the list."""

from __future__ import annotations

from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.services.customers import CustomerCard, customer_card
from gridsvc_desktop.services.search import (
    MAX_RESULTS,
    CustomerRow,
    browse_customers,
    search_customers,
)
from gridsvc_desktop.ui.background import Task, error_text, run_in_background
from gridsvc_desktop.ui.context import UiContext
from gridsvc_desktop.ui.drafts import keep_draft
from gridsvc_desktop.ui.models.customer_table import Column, CustomerTableModel, Mode
from gridsvc_desktop.ui.pages.base import Page
from gridsvc_desktop.ui.qt import (
    QAbstractItemView,
    QCoreApplication,
    QEvent,
    QHBoxLayout,
    QHeaderView,
    QKeyEvent,
    QKeySequence,
    QLabel,
    QLineEdit,
    QModelIndex,
    QObject,
    QShortcut,
    QSplitter,
    Qt,
    QTableView,
    QTimer,
    QVBoxLayout,
    QWidget,
)
from gridsvc_desktop.ui.widgets.customer_card import WARNING_COLOR, CustomerCardView

# ---- work done on worker threads (no widgets here)


def fetch_customer_page(db: Database, after_account_no: str, limit: int) -> list[CustomerRow]:
    with db.read() as session:
        return browse_customers(session, after_account_no=after_account_no, limit=limit)


def find_customers(db: Database, query: str) -> tuple[list[CustomerRow], bool]:
    """The first MAX_RESULTS matches of `query`, and whether there were more."""
    with db.read() as session:
        rows = search_customers(session, query, limit=MAX_RESULTS + 1)
    return rows[:MAX_RESULTS], len(rows) > MAX_RESULTS


def load_customer_card(db: Database, customer_id: int) -> CustomerCard:
    with db.read() as session:
        card = customer_card(session, customer_id)
        session.expunge(card.customer)  # stays readable after the session ends
    return card


# ---- the page


class CustomersPage(Page):
    key = "customers"
    icon_name = "customers"
    SEARCH_DELAY_MS = 150
    COLUMN_WIDTHS = {  # noqa: RUF012 — in em units
        Column.ACCOUNT_NO: 7,
        Column.NAME: 6,
        Column.ADDRESS: 16,
        Column.PHONE: 7.5,
        Column.CATEGORY: 7,
        Column.TRANSFORMER_AREA: 8,
        Column.GRID: 8,
    }

    @classmethod
    def title(cls) -> str:
        return QCoreApplication.translate("CustomersPage", "Customers")

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._search_generation = 0
        self._search_task: Task | None = None
        self._card_generation = 0
        self._card_task: Task | None = None

        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("customer_search")
        self.search_edit.setPlaceholderText(self.tr("Account no., phone, name or address"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.installEventFilter(self)

        self.status_label = QLabel()
        self.status_label.setObjectName("customer_status")

        self.model = CustomerTableModel(
            lambda after, limit: fetch_customer_page(ctx.db, after, limit), self
        )
        self.model.unmask = ctx.unmask

        self.table = QTableView()
        self.table.setObjectName("customer_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().setVisible(False)
        em = self.fontMetrics().horizontalAdvance("客")
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        titles = self.model.column_titles()
        for column, width in self.COLUMN_WIDTHS.items():
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            title_width = header.fontMetrics().horizontalAdvance(titles[column]) + 16
            self.table.setColumnWidth(column, max(int(width * em), title_width))
        header.setStretchLastSection(True)

        self.card = CustomerCardView()

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("customer_splitter")
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.card)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)

        top = QHBoxLayout()
        top.addWidget(self.search_edit, 3)
        top.addWidget(self.status_label, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(self.SEARCH_DELAY_MS)

        self._find_shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        self._find_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._clear_shortcut = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        self._clear_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

        self.search_edit.textChanged.connect(self._on_search_edit_text_changed)
        self.search_edit.returnPressed.connect(self._on_search_edit_return_pressed)
        self._search_timer.timeout.connect(self._on_search_timer_timeout)
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_row_changed)
        self.table.activated.connect(self._on_table_activated)
        self.model.fetch_failed.connect(self._on_model_fetch_failed)
        self.model.rowsInserted.connect(self._on_model_rows_inserted)
        self._find_shortcut.activated.connect(self._on_find_shortcut_activated)
        self._clear_shortcut.activated.connect(self._on_clear_shortcut_activated)

        self._browse()
        # What was typed survives a crash: refilled (and searched) at the next start.
        keep_draft(self.search_edit, "customers/search", self.tr("Customer search"))

    # ---- Page

    def activated(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def reload(self) -> None:
        self._run_query()
        if self.card.customer_id is not None:
            self.open_customer(self.card.customer_id)

    # ---- actions

    def open_customer(self, customer_id: int) -> None:
        """Load the customer's card on a worker and show it beside the table."""
        self._card_generation += 1
        generation = self._card_generation
        if self._card_task is not None:
            self._card_task.cancel()
        db = self.ctx.db
        self._card_task = run_in_background(
            self,
            lambda _progress: load_customer_card(db, customer_id),
            on_success=lambda card: self._on_card_loaded(generation, card),
            on_failure=lambda error: self._on_card_failed(generation, error),
        )

    def _run_query(self) -> None:
        self._search_timer.stop()
        self._search_generation += 1
        if self._search_task is not None:
            self._search_task.cancel()
            self._search_task = None
        query = self.search_edit.text().strip()
        if not query:
            self._browse()
            return
        generation = self._search_generation
        db = self.ctx.db
        self._set_status(self.tr("Searching…"))
        self._search_task = run_in_background(
            self,
            lambda _progress: find_customers(db, query),
            on_success=lambda result: self._on_search_done(generation, query, *result),
            on_failure=lambda error: self._on_search_failed(generation, error),
        )

    def _browse(self) -> None:
        self.model.browse()
        self.model.fetchMore(QModelIndex())
        self._update_status()

    def _focus_table(self) -> None:
        if self.model.rowCount() == 0:
            return
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        if not self.table.currentIndex().isValid():
            self.table.setCurrentIndex(self.model.index(0, 0))

    def _set_status(self, text: str, *, warn: bool = False) -> None:
        self.status_label.setText(text)
        self.status_label.setStyleSheet(f"color: {WARNING_COLOR};" if warn else "")

    def _update_status(self) -> None:
        model = self.model
        if model.mode == Mode.BROWSE:
            self._set_status(self.tr("All customers, by account number"))
        elif model.rowCount() == 0:
            self._set_status(self.tr("No customer matches “{query}”").format(query=model.query))
        elif model.capped:
            self._set_status(
                self.tr(
                    "Showing the first {count} matches; type more characters to narrow the search"
                ).format(count=model.rowCount()),
                warn=True,
            )
        else:
            self._set_status(self.tr("{count} customer(s) found").format(count=model.rowCount()))

    # ---- callbacks from workers (GUI thread)

    def _on_search_done(
        self, generation: int, query: str, rows: list[CustomerRow], capped: bool
    ) -> None:
        if generation != self._search_generation:
            return  # an older query; a newer one is on its way or shown
        self._search_task = None
        self.model.set_search_results(query, rows, capped)
        self._update_status()
        if len(rows) == 1:
            self.table.setCurrentIndex(self.model.index(0, 0))

    def _on_search_failed(self, generation: int, error: BaseException) -> None:
        if generation != self._search_generation:
            return
        self._search_task = None
        self._set_status(
            self.tr("Search failed: {error}").format(error=error_text(error)), warn=True
        )

    def _on_card_loaded(self, generation: int, card: CustomerCard) -> None:
        if generation != self._card_generation:
            return
        self._card_task = None
        self.card.show_card(card, unmask=self.ctx.unmask)

    def _on_card_failed(self, generation: int, error: BaseException) -> None:
        if generation != self._card_generation:
            return
        self._card_task = None
        self.card.show_message(error_text(error))

    # ---- slots

    def _on_search_edit_text_changed(self, text: str) -> None:
        if text.strip():
            self._search_timer.start()
        else:
            self._run_query()

    def _on_search_edit_return_pressed(self) -> None:
        if self._search_timer.isActive():
            self._run_query()
        else:
            self._focus_table()

    def _on_search_timer_timeout(self) -> None:
        self._run_query()

    def _on_table_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = self.model.row_at(current.row()) if current.isValid() else None
        if row is not None and row.id != self.card.customer_id:
            self.open_customer(row.id)

    def _on_table_activated(self, index: QModelIndex) -> None:
        row = self.model.row_at(index.row())
        if row is not None:
            self.open_customer(row.id)

    def _on_model_fetch_failed(self, message: str) -> None:
        self._set_status(
            self.tr("Could not load customers: {error}").format(error=message), warn=True
        )

    def _on_model_rows_inserted(self, _parent: QModelIndex, _first: int, _last: int) -> None:
        if self.model.mode == Mode.BROWSE:
            self._update_status()

    def _on_find_shortcut_activated(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def _on_clear_shortcut_activated(self) -> None:
        self.search_edit.clear()
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)

    # ---- keys in the search box

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.search_edit
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Down, Qt.Key.Key_PageDown)
        ):
            self._focus_table()
            return True
        return super().eventFilter(watched, event)
