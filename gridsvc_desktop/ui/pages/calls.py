"""来电 (calls): take a call, know the customer, log it, and turn it into a work
order, or attach it to an open order or an outage.

The clock starts as soon as the desk starts typing (the phone rang) and stops
with "Stop clock" or when the call is saved. Matches appear as the number,
account, name or address is typed (a phone shared by several accounts lists
them all); choosing one shows the customer card at once. A caller nobody can
match is logged without a customer and linked later from today's list.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlmodel import Session

from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.domain.enums import CallDirection, Channel, OrderType
from gridsvc_desktop.services import assistant as assistant_svc
from gridsvc_desktop.services import calls as call_svc
from gridsvc_desktop.services import work_orders as wo
from gridsvc_desktop.services.actor import Actor
from gridsvc_desktop.services.customers import CustomerCard
from gridsvc_desktop.services.search import CustomerRow
from gridsvc_desktop.ui.background import Task, error_text, run_in_background, show_message
from gridsvc_desktop.ui.context import UiContext
from gridsvc_desktop.ui.dialogs.order_dialogs import NewOrderDialog
from gridsvc_desktop.ui.drafts import keep_draft
from gridsvc_desktop.ui.models.calls_table import CALL_ID_ROLE, CallTableModel
from gridsvc_desktop.ui.models.customer_table import Column, CustomerTableModel, Mode
from gridsvc_desktop.ui.pages.base import Page
from gridsvc_desktop.ui.pages.customers import find_customers, load_customer_card
from gridsvc_desktop.ui.qt import (
    QAbstractItemView,
    QComboBox,
    QCoreApplication,
    QEvent,
    QFont,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QKeyEvent,
    QLabel,
    QLineEdit,
    QModelIndex,
    QObject,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    Qt,
    QTableView,
    QTimer,
    QVBoxLayout,
    QWidget,
)
from gridsvc_desktop.ui.widgets.assistant_panel import AssistantPanel
from gridsvc_desktop.ui.widgets.customer_card import ACCENT_COLOR, WARNING_COLOR, CustomerCardView
from gridsvc_desktop.ui.widgets.order_clock import NEAR_FG

#: Changes made elsewhere that alter the assistant's ready answers.
ASSISTANT_SOURCES = frozenset({"outage", "arrears", "import", "grid", "staff", "contact"})

# ---- work done on worker threads (no widgets here)


@dataclass
class Attachables:
    """What a call about this customer could be attached to instead of a new order."""

    orders: list[tuple[int, str]] = field(default_factory=list)
    outages: list[tuple[int, str]] = field(default_factory=list)
    duplicates: list[wo.Duplicate] = field(default_factory=list)


def load_attachables(db: Database, customer_id: int | None, repair: bool) -> Attachables:
    out = Attachables()
    if customer_id is None:
        return out
    from gridsvc_desktop.db.models import Customer
    from gridsvc_desktop.services.customers import customer_card

    with db.read() as s:
        for o in call_svc.open_orders_of_customer(s, customer_id):
            assert o.id is not None
            out.orders.append((o.id, f"{o.number}　{o.type.label}·{o.status.label}"))
        card = customer_card(s, customer_id, recent_calls=0)
        out.outages = [(b.id, f"{b.kind_label}·{b.status_label}　{b.reason}") for b in card.outages]
        customer = s.get(Customer, customer_id)
        if repair and customer is not None:
            known = {i for i, _ in out.orders}
            out.duplicates = [
                d
                for d in wo.find_duplicates(
                    s,
                    transformer_area_id=customer.transformer_area_id,
                    address=customer.address,
                    at=dt.datetime.now(),
                )
                if d.id not in known
            ]
    return out


def load_todays_calls(db: Database, day: dt.date) -> list[call_svc.CallRow]:
    start = dt.datetime.combine(day, dt.time())
    with db.read() as s:
        return call_svc.calls_between(s, start, start + dt.timedelta(days=1))


def load_prefill(db: Database, call_id: int) -> wo.OrderInput:
    with db.read() as s:
        return call_svc.prefill_order(s, call_id)


# ---- the page


class CallsPage(Page):
    key = "calls"
    icon_name = "calls"
    SEARCH_DELAY_MS = 150

    @classmethod
    def title(cls) -> str:
        return QCoreApplication.translate("CallsPage", "Calls")

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._search_generation = 0
        self._search_task: Task | None = None
        self._card_generation = 0
        self._card_task: Task | None = None
        self._attach_generation = 0
        self.call_id: int | None = None
        self.customer_id: int | None = None
        self.card_data: CustomerCard | None = None
        self.started_at: dt.datetime | None = None
        self.ended_at: dt.datetime | None = None
        self.last_order_id: int | None = None
        self.active_dialog: NewOrderDialog | None = None
        #: Answers copied from the assistant not yet recorded on the call.
        self._pending_answers: list[str] = []
        self._saving_for_answers = False

        # -- search and matches
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("call_search")
        self.search_edit.setPlaceholderText(self.tr("Caller's phone, account no., name or address"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.installEventFilter(self)
        self.status_label = QLabel()
        self.status_label.setObjectName("call_status")
        self.matches = CustomerTableModel(None, self)
        self.matches.unmask = ctx.unmask
        self.match_table = QTableView()
        self.match_table.setObjectName("call_matches")
        self.match_table.setModel(self.matches)
        self.match_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.match_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.match_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.match_table.verticalHeader().setVisible(False)
        self.match_table.setWordWrap(False)
        for column in (Column.CATEGORY, Column.TRANSFORMER_AREA):
            self.match_table.setColumnHidden(column, True)
        em = self.fontMetrics().horizontalAdvance("客")
        for column, width in ((Column.ACCOUNT_NO, 7), (Column.NAME, 4.5), (Column.PHONE, 7)):
            self.match_table.setColumnWidth(column, int(width * em))
        self.match_table.horizontalHeader().setStretchLastSection(True)
        self.unknown_button = QPushButton(self.tr("Unknown caller"))
        self.unknown_button.setObjectName("unknown_caller")
        self.unknown_button.setToolTip(
            self.tr("Log the call without a customer; link it later from today's list")
        )
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.match_table, 1)
        left_layout.addWidget(self.unknown_button)

        self.card = CustomerCardView()

        # -- the call
        self.clock_label = QLabel("00:00")
        self.clock_label.setObjectName("call_clock")
        font = QFont(self.clock_label.font())
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        self.clock_label.setFont(font)
        self.clock_label.setStyleSheet(f"color: {ACCENT_COLOR};")
        self.clock_button = QPushButton(self.tr("Start clock"))
        self.clock_button.setObjectName("clock_button")
        self.new_button = QPushButton(self.tr("Next call"))
        self.new_button.setObjectName("new_call")
        self.caller_label = QLabel(self.tr("No caller chosen"))
        self.caller_label.setObjectName("call_caller")
        self.caller_label.setTextFormat(Qt.TextFormat.PlainText)
        self.caller_label.setWordWrap(True)
        self.direction_box = QComboBox()
        self.direction_box.setObjectName("call_direction")
        for d in CallDirection:
            self.direction_box.addItem(d.label, d)
        self.channel_box = QComboBox()
        self.channel_box.setObjectName("call_channel")
        for c in Channel:
            self.channel_box.addItem(c.label, c)
        self.channel_box.setCurrentIndex(self.channel_box.findData(Channel.phone))
        self.category_box = QComboBox()
        self.category_box.setObjectName("call_category")
        self.category_box.addItem(self.tr("(not yet known)"), None)
        for t in OrderType:
            self.category_box.addItem(t.label, t)
        self.phone_edit = QLineEdit()
        self.phone_edit.setObjectName("call_phone")
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("call_name")
        self.summary_edit = QPlainTextEdit()
        self.summary_edit.setObjectName("call_summary")
        self.summary_edit.setTabChangesFocus(True)
        self.summary_edit.setPlaceholderText(self.tr("What the caller says"))
        self.summary_edit.setMinimumHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        self.save_button = QPushButton(self.tr("Save call"))
        self.save_button.setObjectName("save_call")
        self.order_button = QPushButton(self.tr("Work order…"))
        self.order_button.setObjectName("make_order")
        self.order_button.setStyleSheet("font-weight: bold;")
        self.attach_box = QComboBox()
        self.attach_box.setObjectName("attach_choice")
        self.attach_box.setMinimumContentsLength(14)
        self.attach_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.attach_button = QPushButton(self.tr("Attach"))
        self.attach_button.setObjectName("attach_call")
        self.duplicate_label = QLabel()
        self.duplicate_label.setObjectName("call_duplicates")
        self.duplicate_label.setTextFormat(Qt.TextFormat.PlainText)
        self.duplicate_label.setWordWrap(True)
        self.duplicate_label.setStyleSheet(f"color: {NEAR_FG};")
        self.duplicate_label.setVisible(False)
        self.result_label = QLabel()
        self.result_label.setObjectName("call_result")
        self.result_label.setTextFormat(Qt.TextFormat.PlainText)
        self.result_label.setWordWrap(True)

        clock_row = QHBoxLayout()
        clock_row.addWidget(self.clock_label)
        clock_row.addStretch(1)
        clock_row.addWidget(self.clock_button)
        clock_row.addWidget(self.new_button)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.tr("Caller"), self.caller_label)
        form.addRow(self.tr("In/out"), self.direction_box)
        form.addRow(self.tr("Channel"), self.channel_box)
        form.addRow(self.tr("Category"), self.category_box)
        form.addRow(self.tr("Phone"), self.phone_edit)
        form.addRow(self.tr("Name"), self.name_edit)
        form.addRow(self.tr("Summary"), self.summary_edit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.order_button)
        attach = QHBoxLayout()
        attach.addWidget(self.attach_box, 1)
        attach.addWidget(self.attach_button)
        right = QFrame()
        right.setObjectName("call_form")
        right.setFrameShape(QFrame.Shape.StyledPanel)
        right_layout = QVBoxLayout(right)
        right_layout.addLayout(clock_row)
        right_layout.addLayout(form)
        right_layout.addLayout(buttons)
        heading = QLabel(self.tr("Or attach the call to"))
        heading.setStyleSheet("color: #5f6b7a;")
        right_layout.addWidget(heading)
        right_layout.addLayout(attach)
        right_layout.addWidget(self.duplicate_label)
        right_layout.addWidget(self.result_label)
        right_layout.addStretch(1)
        right.setMinimumWidth(330)

        self.top = QSplitter(Qt.Orientation.Horizontal)
        self.top.setObjectName("call_splitter")
        self.top.addWidget(left)
        self.top.addWidget(self.card)
        self.top.addWidget(right)
        # 智能辅助: ready answers for the caller, beside the form (issue #6).
        self.assistant = AssistantPanel(ctx)
        self.top.addWidget(self.assistant)
        self.top.setChildrenCollapsible(False)
        self.top.setStretchFactor(0, 2)
        self.top.setStretchFactor(1, 3)
        self.top.setStretchFactor(2, 2)
        self.top.setStretchFactor(3, 3)

        # -- today's calls
        self.todays = CallTableModel(self)
        self.todays.unmask = ctx.unmask
        self.todays_table = QTableView()
        self.todays_table.setObjectName("todays_calls")
        self.todays_table.setModel(self.todays)
        self.todays_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.todays_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.todays_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.todays_table.verticalHeader().setVisible(False)
        self.todays_table.setWordWrap(False)
        header = self.todays_table.horizontalHeader()
        for section in range(self.todays.columnCount()):
            header.setSectionResizeMode(section, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(6, QHeaderView.ResizeMode.Stretch)
        self.link_button = QPushButton(self.tr("Link to the customer shown"))
        self.link_button.setObjectName("link_call")
        self.link_button.setEnabled(False)
        self.todays_label = QLabel(self.tr("Today's calls"))
        self.todays_label.setObjectName("todays_label")
        bold = QFont(self.todays_label.font())
        bold.setBold(True)
        self.todays_label.setFont(bold)
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 4, 0, 0)
        bar = QHBoxLayout()
        bar.addWidget(self.todays_label)
        bar.addStretch(1)
        bar.addWidget(self.link_button)
        bottom_layout.addLayout(bar)
        bottom_layout.addWidget(self.todays_table, 1)

        self.vertical = QSplitter(Qt.Orientation.Vertical)
        self.vertical.addWidget(self.top)
        self.vertical.addWidget(bottom)
        self.vertical.setChildrenCollapsible(False)
        self.vertical.setStretchFactor(0, 3)
        self.vertical.setStretchFactor(1, 1)
        self.vertical.setSizes([560, 240])

        top_row = QHBoxLayout()
        top_row.addWidget(self.search_edit, 3)
        top_row.addWidget(self.status_label, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.addLayout(top_row)
        layout.addWidget(self.vertical, 1)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(self.SEARCH_DELAY_MS)
        self._tick = QTimer(self)
        self._tick.setInterval(1000)

        self.search_edit.textChanged.connect(self._on_search_edit_text_changed)
        self.search_edit.returnPressed.connect(self._on_search_edit_return_pressed)
        self._search_timer.timeout.connect(self._on_search_timer_timeout)
        self.match_table.selectionModel().currentRowChanged.connect(
            self._on_match_table_current_row_changed
        )
        self.unknown_button.clicked.connect(self._on_unknown_button_clicked)
        self.clock_button.clicked.connect(self._on_clock_button_clicked)
        self.new_button.clicked.connect(self._on_new_button_clicked)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.order_button.clicked.connect(self._on_order_button_clicked)
        self.attach_button.clicked.connect(self._on_attach_button_clicked)
        self.category_box.currentIndexChanged.connect(self._on_category_box_current_index_changed)
        self.summary_edit.textChanged.connect(self._start_clock_if_idle)
        self.todays_table.selectionModel().currentRowChanged.connect(
            self._on_todays_table_current_row_changed
        )
        self.link_button.clicked.connect(self._on_link_button_clicked)
        self.assistant.answer_copied.connect(self._on_assistant_answer_copied)
        self.assistant.edit_library_requested.connect(self._on_assistant_edit_library_requested)
        self._tick.timeout.connect(self._on_tick_timeout)
        ctx.events.changed.connect(self._on_data_changed)

        self._refresh_attachables()
        self.refresh_todays_calls()
        self._update_buttons()
        # What was typed about a call survives a crash: refilled at the next start.
        keep_draft(right, "calls/current", self.tr("Call"))

    # ---- Page

    def activated(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def reload(self) -> None:
        self.refresh_todays_calls()
        if self.customer_id is not None:
            self.open_customer(self.customer_id)

    # ---- the clock

    def start_clock(self) -> None:
        if self.started_at is None:
            self.started_at = dt.datetime.now().replace(microsecond=0)
            self.ended_at = None
            self._tick.start()
        self._show_clock()
        self._update_buttons()

    def stop_clock(self) -> None:
        if self.started_at is not None and self.ended_at is None:
            self.ended_at = dt.datetime.now().replace(microsecond=0)
            self._tick.stop()
        self._show_clock()
        self._update_buttons()

    def _start_clock_if_idle(self, *_args: object) -> None:
        if self.started_at is None:
            self.start_clock()

    def _show_clock(self) -> None:
        if self.started_at is None:
            self.clock_label.setText("00:00")
            return
        end = self.ended_at or dt.datetime.now()
        seconds = max(0, int((end - self.started_at).total_seconds()))
        minutes, secs = divmod(seconds, 60)
        self.clock_label.setText(f"{minutes:02d}:{secs:02d}")

    # ---- the caller

    def open_customer(self, customer_id: int) -> None:
        self.customer_id = customer_id
        self._card_generation += 1
        generation = self._card_generation
        if self._card_task is not None:
            self._card_task.cancel()
        db = self.ctx.db
        self._card_task = run_in_background(
            self,
            lambda _p: load_customer_card(db, customer_id),
            on_success=lambda card: self._on_card_loaded(generation, card),
            on_failure=lambda error: self._on_card_failed(generation, error),
        )
        self._refresh_attachables()
        self.assistant.show_customer(customer_id)

    def set_unknown_caller(self) -> None:
        self.customer_id = None
        self.card_data = None
        self._card_generation += 1
        self.match_table.clearSelection()
        self.card.show_message(
            self.tr(
                "Unknown caller: the call is logged without a customer and can be linked later."
            )
        )
        self.caller_label.setText(self.tr("Unknown caller"))
        self.assistant.clear()
        self._refresh_attachables()
        self._update_buttons()

    # ---- saving

    def call_input(self) -> call_svc.CallInput:
        return call_svc.CallInput(
            direction=CallDirection(self.direction_box.currentData()),
            channel=Channel(self.channel_box.currentData()),
            phone=self.phone_edit.text(),
            caller_name=self.name_edit.text(),
            customer_id=self.customer_id,
            category=self.category_box.currentData(),
            summary=self.summary_edit.toPlainText(),
            started_at=self.started_at,
            ended_at=self.ended_at,
        )

    def save_call(self, then: str = "") -> Task:
        """Log the call (or update it if saved already); `then`: "order" or "attach"."""
        data, call_id, ctx = self.call_input(), self.call_id, self.ctx
        stopped = self.ended_at

        def work(_progress: object) -> int:
            actor = ctx.acting()
            with ctx.db.write() as session:
                return _save_call(session, actor, call_id, data, stopped)

        self._set_busy(True)
        return run_in_background(
            self,
            work,
            on_success=lambda new_id: self._on_call_saved(new_id, then),
            on_failure=self._on_write_failed,
        )

    def open_order_dialog(self) -> None:
        """Save the call, then a work order prefilled from the customer and the call."""
        self.save_call(then="order")

    def attach_selected(self) -> None:
        self.save_call(then="attach")

    # ---- callbacks (GUI thread)

    def _on_call_saved(self, call_id: int, then: str) -> None:
        self.call_id = call_id
        self._set_busy(False)
        self.ctx.events.changed.emit("call")
        if then == "order":
            db = self.ctx.db
            run_in_background(
                self,
                lambda _p: load_prefill(db, call_id),
                on_success=self._on_prefill_loaded,
                on_failure=self._on_write_failed,
            )
        elif then == "attach":
            self._attach(call_id)
        elif then == "answers":
            self._saving_for_answers = False
            self._record_answers()
        else:
            self._say(self.tr("Call saved."))
        self.refresh_todays_calls()

    def _on_prefill_loaded(self, prefill: wo.OrderInput) -> None:
        who = ""
        on_file = False
        if self.card_data is not None:
            c = self.card_data.customer
            who = f"{c.name}（{c.account_no}）"
            if not self.ctx.unmask and c.phone and prefill.caller_phone == c.phone:
                prefill.caller_phone = ""  # left empty, the order takes the phone on file
                on_file = True
        dialog = NewOrderDialog(
            self.ctx, prefill, call_id=self.call_id, customer_text=who, parent=self
        )
        if on_file:
            dialog.caller_phone.setPlaceholderText(self.tr("The customer's phone on file"))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._on_order_created(dialog.result_value))
        dialog.finished.connect(self._on_dialog_finished)
        self.active_dialog = dialog
        dialog.open()

    def _on_dialog_finished(self, _result: int) -> None:
        self.active_dialog = None

    def _on_order_created(self, order_id: int) -> None:
        self.last_order_id = order_id
        self.ctx.events.changed.emit("work_order")
        db = self.ctx.db

        def number(_p: object) -> str:
            with db.read() as s:
                return wo.order_row(s, order_id).number

        run_in_background(
            self,
            number,
            on_success=lambda n: self._say(
                self.tr("Work order {number} created; see 工单.").format(number=n)
            ),
        )
        if self.customer_id is not None:
            self.open_customer(self.customer_id)
        self.refresh_todays_calls()

    def _attach(self, call_id: int) -> None:
        choice = self.attach_box.currentData()
        if not choice:
            return
        kind, target = choice
        ctx = self.ctx

        def work(_progress: object) -> str:
            actor = ctx.acting()
            with ctx.db.write() as session:
                if kind == "outage":
                    call_svc.attach_to_outage(
                        session=session, actor=actor, call_id=call_id, outage_id=target
                    )
                    return ""
                call_svc.attach_to_order(
                    session=session, actor=actor, call_id=call_id, order_id=target
                )
                return wo.order_row(session, target).number

        run_in_background(
            self, work, on_success=self._on_attached, on_failure=self._on_write_failed
        )

    def _on_attached(self, number: str) -> None:
        if number:
            self._say(self.tr("Call attached to work order {number}.").format(number=number))
            self.ctx.events.changed.emit("work_order")
        else:
            self._say(self.tr("Call attached to the outage."))
            self.ctx.events.changed.emit("call")
        self.refresh_todays_calls()

    def _on_write_failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self._saving_for_answers = False
        show_message(self, error_text(error), self.tr("Not saved"))

    def _record_answers(self) -> None:
        """Note on the call the answers copied for the caller (services/assistant)."""
        call_id, keys, ctx = self.call_id, list(self._pending_answers), self.ctx
        if call_id is None or not keys:
            return
        self._pending_answers.clear()

        def work(_progress: object) -> None:
            actor = ctx.acting()
            with ctx.db.write() as session:
                for key in keys:
                    assistant_svc.record_answer_given(
                        session=session, actor=actor, call_id=call_id, key=key
                    )

        def failed(error: BaseException) -> None:
            if self.call_id == call_id:  # kept, to be noted with the next save
                self._pending_answers[:0] = [k for k in keys if k not in self._pending_answers]
            self._on_write_failed(error)

        run_in_background(
            self, work, on_success=lambda _r: self._on_answers_recorded(), on_failure=failed
        )

    def _on_answers_recorded(self) -> None:
        self._say(self.tr("Answer copied and noted on the call."))
        self.ctx.events.changed.emit("call")

    def _on_card_loaded(self, generation: int, card: CustomerCard) -> None:
        if generation != self._card_generation:
            return
        self._card_task = None
        self.card_data = card
        self.card.show_card(card, unmask=self.ctx.unmask)
        c = card.customer
        self.caller_label.setText(f"{c.name}　{c.account_no}")
        if not self.name_edit.text():
            self.name_edit.setText(c.name)
        # The phone on file is not copied into the form (the role may not see it in
        # full); a call saved with the phone left empty takes the customer's.
        self._update_buttons()

    def _on_card_failed(self, generation: int, error: BaseException) -> None:
        if generation == self._card_generation:
            self._card_task = None
            self.card.show_message(error_text(error))

    def _on_search_done(
        self, generation: int, query: str, rows: list[CustomerRow], capped: bool
    ) -> None:
        if generation != self._search_generation:
            return
        self._search_task = None
        self.matches.set_search_results(query, rows, capped)
        if not rows:
            self._set_status(
                self.tr("Nobody matches “{query}”: log the call as an unknown caller").format(
                    query=query
                ),
                warn=True,
            )
        elif capped:
            self._set_status(
                self.tr("More than {count} match; type more").format(count=len(rows)), warn=True
            )
        else:
            self._set_status(self.tr("{count} match(es)").format(count=len(rows)))
        if len(rows) == 1:
            self.match_table.setCurrentIndex(self.matches.index(0, 0))

    def refresh_todays_calls(self) -> None:
        db = self.ctx.db
        run_in_background(
            self,
            lambda _p: load_todays_calls(db, dt.date.today()),
            on_success=self._on_todays_loaded,
            on_failure=lambda _e: None,
        )

    def _on_todays_loaded(self, rows: list[call_svc.CallRow]) -> None:
        keep = self._selected_call_id()
        self.todays.set_rows(rows)
        unlinked = sum(1 for r in rows if r.customer_id is None)
        text = self.tr("Today's calls: {count}").format(count=len(rows))
        if unlinked:
            text += self.tr(" ({count} not linked to a customer)").format(count=unlinked)
        self.todays_label.setText(text)
        if keep is not None:
            for i, r in enumerate(rows):
                if r.id == keep:
                    self.todays_table.setCurrentIndex(self.todays.index(i, 0))
        self._update_buttons()

    def _refresh_attachables(self) -> None:
        self._attach_generation += 1
        generation = self._attach_generation
        db, customer = self.ctx.db, self.customer_id
        repair = self.category_box.currentData() == OrderType.repair
        run_in_background(
            self,
            lambda _p: load_attachables(db, customer, repair),
            on_success=lambda a: self._on_attachables(generation, a),
            on_failure=lambda _e: None,
        )

    def _on_attachables(self, generation: int, found: Attachables) -> None:
        if generation != self._attach_generation:
            return
        self.attach_box.clear()
        for d in found.duplicates:
            self.attach_box.addItem(
                self.tr("{number} (same fault? {why})").format(number=d.number, why=d.why),
                ("order", d.id),
            )
        for order_id, text in found.orders:
            self.attach_box.addItem(text, ("order", order_id))
        for outage_id, text in found.outages:
            self.attach_box.addItem(
                self.tr("Outage: {text}").format(text=text), ("outage", outage_id)
            )
        if not self.attach_box.count():
            self.attach_box.addItem(self.tr("(no open order or outage)"), None)
        if found.duplicates:
            listed = "、".join(f"{d.number}（{d.caller_name}）" for d in found.duplicates[:3])
            self.duplicate_label.setText(
                self.tr(
                    "Another caller reported a fault here within the last hours: {orders}. "
                    "Attach this call to it instead of a new order?"
                ).format(orders=listed)
            )
        self.duplicate_label.setVisible(bool(found.duplicates))
        self._update_buttons()

    # ---- helpers

    def _say(self, text: str) -> None:
        self.result_label.setText(text)

    def _set_status(self, text: str, *, warn: bool = False) -> None:
        self.status_label.setText(text)
        self.status_label.setStyleSheet(f"color: {WARNING_COLOR};" if warn else "")

    def _set_busy(self, busy: bool) -> None:
        for button in (self.save_button, self.order_button, self.attach_button):
            button.setEnabled(not busy)
        if not busy:
            self._update_buttons()

    def _update_buttons(self) -> None:
        running = self.started_at is not None and self.ended_at is None
        self.clock_button.setText(self.tr("Stop clock") if running else self.tr("Start clock"))
        self.clock_button.setEnabled(running or self.started_at is None)
        self.attach_button.setEnabled(self.attach_box.currentData() is not None)
        row = self.todays.row_at(self.todays_table.currentIndex().row())
        self.link_button.setEnabled(
            row is not None and row.customer_id is None and self.customer_id is not None
        )

    def _selected_call_id(self) -> int | None:
        index = self.todays_table.currentIndex()
        if not index.isValid():
            return None
        value = self.todays.data(index, CALL_ID_ROLE)
        return int(value) if value is not None else None

    def _run_search(self) -> None:
        self._search_timer.stop()
        self._search_generation += 1
        generation = self._search_generation
        if self._search_task is not None:
            self._search_task.cancel()
        query = self.search_edit.text().strip()
        if not query:
            self.matches.set_search_results("", [], False)
            self._set_status("")
            return
        db = self.ctx.db
        self._set_status(self.tr("Searching…"))
        self._search_task = run_in_background(
            self,
            lambda _p: find_customers(db, query),
            on_success=lambda result: self._on_search_done(generation, query, *result),
            on_failure=lambda _e: None,
        )

    # ---- slots

    def _on_search_edit_text_changed(self, text: str) -> None:
        if text.strip():
            self._start_clock_if_idle()
            digits = "".join(ch for ch in text if ch.isdigit())
            if len(digits) >= 7 and self.customer_id is None:
                self.phone_edit.setText(text.strip())
            self._search_timer.start()
        else:
            self._run_search()

    def _on_search_timer_timeout(self) -> None:
        self._run_search()

    def _on_search_edit_return_pressed(self) -> None:
        if self._search_timer.isActive():
            self._run_search()
        elif self.matches.rowCount():
            self.match_table.setFocus(Qt.FocusReason.OtherFocusReason)
            if not self.match_table.currentIndex().isValid():
                self.match_table.setCurrentIndex(self.matches.index(0, 0))

    def _on_match_table_current_row_changed(
        self, current: QModelIndex, _previous: QModelIndex
    ) -> None:
        row = self.matches.row_at(current.row()) if current.isValid() else None
        if row is not None and row.id != self.customer_id:
            self.name_edit.clear()
            if self.matches.mode == Mode.SEARCH and not any(
                ch.isdigit() for ch in self.search_edit.text()
            ):
                self.phone_edit.clear()
            self.open_customer(row.id)

    def _on_unknown_button_clicked(self) -> None:
        self._start_clock_if_idle()
        self.set_unknown_caller()

    def _on_clock_button_clicked(self) -> None:
        if self.started_at is None:
            self.start_clock()
        else:
            self.stop_clock()

    def _on_new_button_clicked(self) -> None:
        """Clear everything for the next call (what was saved stays saved)."""
        self._tick.stop()
        self.call_id = None
        self.customer_id = None
        self.card_data = None
        self.started_at = self.ended_at = None
        self.last_order_id = None
        self.search_edit.blockSignals(True)
        self.search_edit.clear()
        self.search_edit.blockSignals(False)
        self.matches.set_search_results("", [], False)
        self.card.show_placeholder()
        self.caller_label.setText(self.tr("No caller chosen"))
        for edit in (self.phone_edit, self.name_edit):
            edit.clear()
        self.summary_edit.blockSignals(True)
        self.summary_edit.clear()
        self.summary_edit.blockSignals(False)
        self.category_box.setCurrentIndex(0)
        self.direction_box.setCurrentIndex(0)
        self.channel_box.setCurrentIndex(self.channel_box.findData(Channel.phone))
        self._say("")
        self._set_status("")
        self._show_clock()
        self._pending_answers.clear()
        self.assistant.clear()
        self._refresh_attachables()
        self.search_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_save_button_clicked(self) -> None:
        self.stop_clock()
        self.save_call()

    def _on_order_button_clicked(self) -> None:
        self.open_order_dialog()

    def _on_attach_button_clicked(self) -> None:
        self.attach_selected()

    def _on_category_box_current_index_changed(self, _index: int) -> None:
        self._start_clock_if_idle()
        self._refresh_attachables()

    def _on_todays_table_current_row_changed(
        self, _current: QModelIndex, _previous: QModelIndex
    ) -> None:
        self._update_buttons()

    def _on_link_button_clicked(self) -> None:
        call_id, customer_id, ctx = self._selected_call_id(), self.customer_id, self.ctx
        if call_id is None or customer_id is None:
            return

        def work(_progress: object) -> None:
            actor = ctx.acting()
            with ctx.db.write() as session:
                call_svc.link_customer(
                    session=session, actor=actor, call_id=call_id, customer_id=customer_id
                )

        run_in_background(
            self,
            work,
            on_success=lambda _r: self._on_linked(),
            on_failure=self._on_write_failed,
        )

    def _on_linked(self) -> None:
        self._say(self.tr("Call linked to the customer."))
        self.ctx.events.changed.emit("call")
        self.refresh_todays_calls()
        if self.customer_id is not None:
            self.open_customer(self.customer_id)

    def _on_assistant_answer_copied(self, key: str) -> None:
        """An answer was given: the call (saved first if it is not yet) records it."""
        self._start_clock_if_idle()
        self._pending_answers.append(key)
        if self.call_id is not None:
            self._record_answers()
        elif not self._saving_for_answers:
            self._saving_for_answers = True
            self.save_call(then="answers")

    def _on_assistant_edit_library_requested(self) -> None:
        from gridsvc_desktop.ui.dialogs.answer_library import AnswerLibraryDialog

        dialog = AnswerLibraryDialog(self.ctx, sample_customer_id=self.customer_id, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _r: self.assistant.reload())
        dialog.open()

    def _on_tick_timeout(self) -> None:
        self._show_clock()

    def _on_data_changed(self, what: str) -> None:
        if what in ("work_order", "call") and not self.isVisible():
            self.refresh_todays_calls()
        if what in ASSISTANT_SOURCES:  # the assistant's answers read these
            self.assistant.reload()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.search_edit
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Down, Qt.Key.Key_PageDown)
            and self.matches.rowCount()
        ):
            self.match_table.setFocus(Qt.FocusReason.OtherFocusReason)
            if not self.match_table.currentIndex().isValid():
                self.match_table.setCurrentIndex(self.matches.index(0, 0))
            return True
        return super().eventFilter(watched, event)


def _save_call(
    session: Session,
    actor: Actor,
    call_id: int | None,
    data: call_svc.CallInput,
    stopped: dt.datetime | None,
) -> int:
    """Log a new call, or bring a saved one up to date (and stop its clock)."""
    if call_id is None:
        call = call_svc.log_call(session=session, actor=actor, data=data)
        assert call.id is not None
        return call.id
    call = call_svc.update_call(
        session=session, actor=actor, call_id=call_id, channel=data.channel,
        direction=data.direction, category=data.category, summary=data.summary,
        caller_name=data.caller_name, phone=data.phone,
    )  # fmt: skip
    if data.customer_id is not None and call.customer_id != data.customer_id:
        call_svc.link_customer(
            session=session, actor=actor, call_id=call_id, customer_id=data.customer_id
        )
    if stopped is not None and call.ended_at is None:
        call_svc.stop_call(session=session, actor=actor, call_id=call_id, ended_at=stopped)
    return call_id
