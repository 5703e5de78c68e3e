"""The detail panel of a work order: what it is, where its clock stands, the
steps it may take next, its callers and calls, and its full history.

It loads the order on a worker and offers only the steps the lifecycle allows
(`OrderDetail.allowed`, from domain.order_states). Steps that need input open
a dialog; "on site" and "close" are one click. Every step carries the version
shown, so a change made meanwhile on another PC is refused with what changed;
the panel then shows the order as it is now. After any change the panel
reloads, emits `changed(order_id)`, and tells the app (`ctx.events`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlmodel import Session

from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.domain.enums import OrderStatus, OrderType
from gridsvc_desktop.domain.masking import mask_phone
from gridsvc_desktop.domain.order_states import OPEN_STATUSES, clock
from gridsvc_desktop.services import routing
from gridsvc_desktop.services import work_orders as wo
from gridsvc_desktop.services.actor import Actor
from gridsvc_desktop.services.sla_policy import near_due_fraction
from gridsvc_desktop.ui import format as fmt
from gridsvc_desktop.ui.background import Task, error_text, run_in_background, show_message
from gridsvc_desktop.ui.context import UiContext
from gridsvc_desktop.ui.dialogs.order_dialogs import (
    CallbackDialog,
    DispatchDialog,
    EditOrderDialog,
    MergeDialog,
    TextStepDialog,
)
from gridsvc_desktop.ui.dialogs.service_dialog import ServiceDialog
from gridsvc_desktop.ui.models.orders_history import HistoryModel
from gridsvc_desktop.ui.qt import (
    QAbstractItemView,
    QFont,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    Qt,
    QTableView,
    QVBoxLayout,
    QWidget,
    Signal,
)
from gridsvc_desktop.ui.widgets import order_clock
from gridsvc_desktop.ui.widgets.customer_card import ACCENT_COLOR


def load_order_detail(db: Database, order_id: int) -> tuple[wo.OrderDetail, float]:
    """Worker: the order's detail and the near-due setting."""
    with db.read() as session:
        return wo.order_detail(session, order_id), near_due_fraction(session)


def load_staff_choices(db: Database, grid_id: int | None) -> list[routing.StaffChoice]:
    with db.read() as session:
        return routing.staff_choices(session, grid_id=grid_id)


def _label(text: str = "", name: str = "") -> QLabel:
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if name:
        label.setObjectName(name)
    return label


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    font = QFont(label.font())
    font.setBold(True)
    label.setFont(font)
    label.setStyleSheet(
        f"color: {ACCENT_COLOR}; border-bottom: 1px solid #c8d3e0; padding: 8px 0 3px 0;"
    )
    return label


class OrderDetailPanel(QScrollArea):
    """One order, its steps and history."""

    #: The order changed through this panel.
    changed = Signal(int)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("order_detail")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMinimumWidth(380)
        self.detail: wo.OrderDetail | None = None
        self.buttons: dict[str, QPushButton] = {}
        self.history = HistoryModel(self)
        self.active_dialog: ServiceDialog | None = None
        self._generation = 0
        self._task: Task | None = None
        self._near = 0.25
        self.show_placeholder()

    @property
    def order_id(self) -> int | None:
        return self.detail.order.id if self.detail is not None else None

    # ---- showing

    def show_placeholder(self, text: str = "") -> None:
        self.detail = None
        self.buttons = {}
        page = QWidget()
        layout = QVBoxLayout(page)
        label = _label(text or self.tr("Select a work order to see its details and history."))
        label.setObjectName("order_message")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setStyleSheet("color: #6b7785;")
        layout.addStretch(1)
        layout.addWidget(label)
        layout.addStretch(2)
        self._replace(page)

    def show_order(self, order_id: int) -> None:
        """Load the order on a worker and show it."""
        self._generation += 1
        generation = self._generation
        if self._task is not None:
            self._task.cancel()
        db = self.ctx.db
        self._task = run_in_background(
            self,
            lambda _p: load_order_detail(db, order_id),
            on_success=lambda result: self._on_loaded(generation, *result),
            on_failure=lambda error: self._on_load_failed(generation, error),
        )

    def reload(self) -> None:
        if self.order_id is not None:
            self.show_order(self.order_id)

    def _on_loaded(self, generation: int, detail: wo.OrderDetail, near: float) -> None:
        if generation != self._generation:
            return
        self._task = None
        self._near = near
        self.detail = detail
        self._replace(self._build(detail, dt.datetime.now()))

    def _on_load_failed(self, generation: int, error: BaseException) -> None:
        if generation != self._generation:
            return
        self._task = None
        self.show_placeholder(error_text(error))

    def _replace(self, page: QWidget) -> None:
        old = self.takeWidget()
        self.setWidget(page)
        if old is not None:
            old.deleteLater()

    # ---- building

    def _build(self, d: wo.OrderDetail, now: dt.datetime) -> QWidget:
        o = d.order
        self.buttons = {}
        page = QWidget()
        page.setObjectName("order_detail_page")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(14, 10, 14, 14)
        layout.setSpacing(6)

        title = _label(o.number, "detail_number")
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        title.setFont(font)
        status = _label(OrderStatus(o.status).label, "detail_status")
        status.setStyleSheet(
            "background: #e3ecf7; color: #1f5fa8; border-radius: 3px; padding: 1px 6px;"
        )
        status.setWordWrap(False)
        top = QHBoxLayout()
        top.addWidget(title)
        top.addWidget(status)
        top.addStretch(1)
        layout.addLayout(top)

        kind = OrderType(o.type).label
        if o.subtype != "none":
            kind = f"{kind}·{o.subtype.label}"
        layout.addWidget(_label(f"{kind} · {o.urgency.label} · {o.channel.label}", "detail_kind"))

        state = clock(
            status=o.status, received_at=o.received_at, deadline=d.deadline or o.resolve_due,
            kind=d.deadline_kind, now=now, near_fraction=self._near,
        )  # fmt: skip
        if state.state != "done":
            clock_label = _label(
                self.tr("{clock} (due {time})").format(
                    clock=order_clock.clock_text(state), time=fmt.date_time(state.deadline)
                ),
                "detail_clock",
            )
            fg, bg = order_clock.foreground(state), order_clock.background(state)
            style = "padding: 3px 6px; border-radius: 3px;"
            if fg is not None and bg is not None:
                style += f" color: {fg.name()}; background: {bg.name()}; font-weight: bold;"
            clock_label.setStyleSheet(style)
            layout.addWidget(clock_label)

        layout.addLayout(self._action_row(d))

        if d.duplicates and o.status in OPEN_STATUSES:
            listed = "、".join(f"{x.number}（{x.caller_name}，{x.why}）" for x in d.duplicates)
            dup = _label(
                self.tr("Possibly the same fault: {orders}").format(orders=listed),
                "detail_duplicates",
            )
            dup.setStyleSheet(f"color: {order_clock.NEAR_FG};")
            layout.addWidget(dup)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        form.setVerticalSpacing(4)
        unmask = self.ctx.unmask

        def row(label: str, value: str, name: str) -> None:
            if value:
                key = QLabel(label)
                key.setStyleSheet("color: #5f6b7a;")
                form.addRow(key, _label(value, name))

        customer = f"{d.customer_name}（{d.account_no}）" if d.account_no else ""
        row(self.tr("Customer"), customer, "detail_customer")
        phone = o.caller_phone if unmask else mask_phone(o.caller_phone)
        row(self.tr("Caller"), " ".join(p for p in (o.caller_name, phone) if p), "detail_caller")
        row(self.tr("Address"), o.address, "detail_address")
        row(self.tr("Request"), o.description, "detail_description")
        row(self.tr("Grid"), d.grid or self.tr("(no grid)"), "detail_grid")
        row(self.tr("Transformer area"), d.transformer_area, "detail_ta")
        row(self.tr("Assignee"), d.assignee or self.tr("(not yet)"), "detail_assignee")
        row(self.tr("95598 no."), o.external_no or "", "detail_external_no")
        row(self.tr("Received"), fmt.date_time(o.received_at), "detail_received")
        if o.contact_due:
            row(self.tr("Contact by"), fmt.date_time(o.contact_due), "detail_contact_due")
        if o.arrival_due:
            row(self.tr("On site by"), fmt.date_time(o.arrival_due), "detail_arrival_due")
        row(self.tr("Resolve by"), fmt.date_time(o.resolve_due), "detail_resolve_due")
        row(self.tr("Contacted"), fmt.date_time(o.contacted_at), "detail_contacted")
        row(self.tr("Dispatched"), fmt.date_time(o.dispatched_at), "detail_dispatched")
        row(self.tr("On site"), fmt.date_time(o.arrived_at), "detail_arrived")
        row(self.tr("Resolved"), fmt.date_time(o.resolved_at), "detail_resolved")
        row(self.tr("Resolution"), o.resolution, "detail_resolution")
        row(self.tr("Called back"), fmt.date_time(o.called_back_at), "detail_called_back")
        if o.satisfaction:
            row(
                self.tr("Satisfaction"),
                self.tr("{score} points").format(score=o.satisfaction)
                + (f"（{o.callback_note}）" if o.callback_note else ""),
                "detail_satisfaction",
            )
        row(self.tr("Closed"), fmt.date_time(o.closed_at), "detail_closed")
        row(self.tr("Cancel reason"), o.cancel_reason, "detail_cancel_reason")
        row(self.tr("Merged into"), d.merged_into, "detail_merged_into")
        row(self.tr("Taken by"), d.created_by, "detail_created_by")
        layout.addLayout(form)

        if d.merged:
            layout.addWidget(_heading(self.tr("Merged duplicates")))
            for _id, number, caller in d.merged:
                layout.addWidget(_label(f"{number}　{caller}", "detail_merged"))
        if d.callbacks and o.status == OrderStatus.resolved:
            layout.addWidget(_heading(self.tr("To call back")))
            for t in d.callbacks:
                phone = t.phone if unmask else mask_phone(t.phone)
                text = f"{t.name}　{phone}　{t.order_number}"
                layout.addWidget(_label(text, "detail_callback_target"))
        if d.calls:
            layout.addWidget(_heading(self.tr("Calls")))
            for c in d.calls:
                phone = c.phone if unmask else mask_phone(c.phone)
                text = (
                    f"{fmt.date_time(c.started_at)}　{c.direction.label}·{c.channel.label}　"
                    f"{c.caller_name} {phone}"
                )
                entry = _label(text, "detail_call")
                layout.addWidget(entry)
                if c.summary:
                    summary = _label(" ".join(c.summary.split()))
                    summary.setStyleSheet("color: #5f6b7a;")
                    layout.addWidget(summary)

        layout.addWidget(_heading(self.tr("History")))
        self.history.set_rows(d.events)
        table = QTableView()
        table.setObjectName("detail_history")
        table.setModel(self.history)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.verticalHeader().setVisible(False)
        table.setWordWrap(True)
        table.setAlternatingRowColors(True)
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        table.resizeRowsToContents()
        rows_height = sum(table.rowHeight(r) for r in range(self.history.rowCount()))
        table.setMinimumHeight(min(420, header.sizeHint().height() + rows_height + 6))
        layout.addWidget(table)
        layout.addStretch(1)
        return page

    def _action_row(self, d: wo.OrderDetail) -> QGridLayout:
        o = d.order
        status = OrderStatus(o.status)
        actions: list[tuple[str, str]] = []
        if OrderStatus.dispatched in d.allowed:
            actions.append(("dispatch", self.tr("Dispatch…")))
        if OrderStatus.on_site in d.allowed:
            repair = o.type == OrderType.repair
            actions.append(("on_site", self.tr("On site") if repair else self.tr("Start work")))
        if OrderStatus.resolved in d.allowed:
            actions.append(("resolve", self.tr("Resolve…")))
        if OrderStatus.called_back in d.allowed:
            actions.append(("callback", self.tr("Call back…")))
        if OrderStatus.closed in d.allowed:
            actions.append(("close", self.tr("Close")))
        if status in OPEN_STATUSES and o.contact_due is not None and o.contacted_at is None:
            actions.append(("contact", self.tr("Contacted…")))
        if status in (OrderStatus.dispatched, OrderStatus.on_site):
            actions.append(("reassign", self.tr("Reassign…")))
        if d.duplicates and status in OPEN_STATUSES:
            actions.append(("merge", self.tr("Merge duplicate…")))
        if status not in (OrderStatus.closed, OrderStatus.cancelled, OrderStatus.merged):
            actions.append(("edit", self.tr("Edit…")))
        actions.append(("note", self.tr("Note…")))
        if OrderStatus.cancelled in d.allowed:
            actions.append(("cancel", self.tr("Cancel order…")))
        grid = QGridLayout()
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(6)
        per_row = 4
        for i, (key, text) in enumerate(actions):
            button = QPushButton(text)
            button.setObjectName(f"action_{key}")
            if key in ("dispatch", "on_site", "resolve", "callback", "close") and i == 0:
                button.setDefault(True)
                button.setStyleSheet("font-weight: bold;")
            button.clicked.connect(lambda _checked=False, k=key: self.run_action(k))
            self.buttons[key] = button
            grid.addWidget(button, i // per_row, i % per_row)
        return grid

    # ---- actions

    def run_action(self, key: str) -> None:
        """Start step `key` on the order shown (a dialog, or at once)."""
        d = self.detail
        if d is None:
            return
        if key in ("on_site", "close"):
            self._one_click(key, d)
        elif key in ("dispatch", "reassign"):
            db, grid_id = self.ctx.db, d.order.grid_id
            run_in_background(
                self,
                lambda _p: load_staff_choices(db, grid_id),
                on_success=lambda choices: self._open(
                    DispatchDialog(self.ctx, d, choices, reassign=key == "reassign", parent=self)
                ),
            )
        elif key in ("resolve", "cancel", "note", "contact"):
            self._open(TextStepDialog(self.ctx, d, key, parent=self))
        elif key == "callback":
            self._open(CallbackDialog(self.ctx, d, unmask=self.ctx.unmask, parent=self))
        elif key == "merge":
            self._open(MergeDialog(self.ctx, d, parent=self))
        elif key == "edit":
            self._open(EditOrderDialog(self.ctx, d, parent=self))

    def _open(self, dialog: ServiceDialog) -> None:
        self.active_dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(self._on_step_done)
        dialog.finished.connect(self._on_dialog_finished)
        dialog.open()

    def _one_click(self, key: str, d: wo.OrderDetail) -> None:
        order_id, version = d.order.id, d.order.version
        assert order_id is not None
        step: Callable[..., Any] = wo.mark_on_site if key == "on_site" else wo.close
        ctx = self.ctx

        def work(_progress: object) -> int:
            actor: Actor = ctx.acting()
            with ctx.db.write() as session:
                _save(session, actor, step, order_id, version)
            return order_id

        for button in self.buttons.values():
            button.setEnabled(False)
        run_in_background(
            self, work, on_success=lambda _r: self._on_step_done(), on_failure=self._on_step_failed
        )

    def _on_step_done(self) -> None:
        order_id = self.order_id
        self.reload()
        if order_id is not None:
            self.changed.emit(order_id)
        self.ctx.events.changed.emit("work_order")

    def _on_step_failed(self, error: BaseException) -> None:
        show_message(self, error_text(error), self.tr("Not saved"))
        self.reload()

    def _on_dialog_finished(self, result: int) -> None:
        self.active_dialog = None
        if not result:  # cancelled, perhaps after a refusal: show the order as it is now
            self.reload()


def _save(
    session: Session, actor: Actor, step: Callable[..., Any], order_id: int, version: int
) -> None:
    step(session=session, actor=actor, order_id=order_id, expected_version=version)
