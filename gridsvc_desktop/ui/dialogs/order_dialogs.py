"""Dialogs of the front desk: a new work order (prefilled from the customer and
the call, with where it will go and its time limits shown as you choose the
type), and one per step of the lifecycle that needs input: dispatch or
reassign, resolve, call back, cancel, merge, note, edit.

Each is a ServiceDialog: checked as the user types, saved on a worker through
the service, a refusal shown in the dialog. Every save of an existing order
carries the version the user was looking at, so a change made meanwhile on
another PC is refused with what changed, and nothing is overwritten.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlmodel import Session

from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.domain.enums import Channel, OrderSubtype, OrderType, Urgency
from gridsvc_desktop.domain.order_states import subtypes_for
from gridsvc_desktop.services import calls as call_svc
from gridsvc_desktop.services import routing
from gridsvc_desktop.services import work_orders as wo
from gridsvc_desktop.services.actor import Actor
from gridsvc_desktop.services.sla_policy import load_policy
from gridsvc_desktop.ui import format as fmt
from gridsvc_desktop.ui.background import Task, run_in_background
from gridsvc_desktop.ui.context import UiContext
from gridsvc_desktop.ui.dialogs.service_dialog import Saver, ServiceDialog
from gridsvc_desktop.ui.drafts import keep_draft
from gridsvc_desktop.ui.qt import (
    QCheckBox,
    QComboBox,
    QCoreApplication,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    Qt,
    QVBoxLayout,
    QWidget,
)
from gridsvc_desktop.ui.widgets.order_clock import NEAR_FG, OVERDUE_FG
from gridsvc_desktop.ui.widgets.picker import NONE_ID, Picker


def _combo(name: str, items: list[tuple[str, object]], current: object = None) -> QComboBox:
    box = QComboBox()
    box.setObjectName(name)
    for text, value in items:
        box.addItem(text, value)
    if current is not None:
        index = box.findData(current)
        if index >= 0:
            box.setCurrentIndex(index)
    return box


def _text_edit(name: str, text: str = "", lines: int = 3) -> QPlainTextEdit:
    edit = QPlainTextEdit(text)
    edit.setObjectName(name)
    edit.setTabChangesFocus(True)
    edit.setFixedHeight(edit.fontMetrics().lineSpacing() * lines + 14)
    return edit


def _note(text: str = "", name: str = "", color: str = "") -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    if name:
        label.setObjectName(name)
    if color:
        label.setStyleSheet(f"color: {color};")
    return label


# --------------------------------------------------------------------------- new order


@dataclass
class OrderPreview:
    """Where a new order would go, its time limits, and possible duplicates."""

    route: routing.Route
    deadlines: list[tuple[str, dt.datetime]] = field(default_factory=list)
    duplicates: list[wo.Duplicate] = field(default_factory=list)


def preview_order(db: Database, data: wo.OrderInput) -> OrderPreview:
    """Worker: the route, the time limits from the SLA policy, the duplicates."""
    received = data.received_at or dt.datetime.now().replace(microsecond=0)
    with db.read() as s:
        route = routing.route_order(
            s,
            order_type=data.type,
            subtype=data.subtype,
            customer_id=data.customer_id,
            transformer_area_id=data.transformer_area_id,
        )
        due = load_policy(s).deadlines(data.type, data.subtype, route.area_class, received)
        limits = [
            ("contact", due.contact_due),
            ("arrival", due.arrival_due),
            ("resolve", due.resolve_due),
        ]
        duplicates = []
        if data.type == OrderType.repair:
            duplicates = wo.find_duplicates(
                s,
                transformer_area_id=route.transformer_area_id,
                address=data.address,
                at=received,
            )
    return OrderPreview(route, [(k, v) for k, v in limits if v is not None], duplicates)


class NewOrderDialog(ServiceDialog):
    """A work order from a call (or typed in), prefilled; creates it on OK.

    `result_value` is the new order's id.
    """

    def __init__(
        self,
        ctx: UiContext,
        prefill: wo.OrderInput,
        *,
        call_id: int | None = None,
        customer_text: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("new_order_dialog")
        self.setWindowTitle(self.tr("New work order"))
        self.prefill = prefill
        self.call_id = call_id
        self._preview_task: Task | None = None
        self._preview_generation = 0

        self.type_box = _combo(
            "order_type", [(t.label, t) for t in OrderType], OrderType(prefill.type)
        )
        self.subtype_box = QComboBox()
        self.subtype_box.setObjectName("order_subtype")
        self.channel_box = _combo(
            "order_channel", [(c.label, c) for c in Channel], Channel(prefill.channel)
        )
        self.urgency_box = _combo(
            "order_urgency", [(u.label, u) for u in Urgency], Urgency(prefill.urgency)
        )
        self.caller_name = QLineEdit(prefill.caller_name)
        self.caller_name.setObjectName("order_caller_name")
        self.caller_phone = QLineEdit(prefill.caller_phone)
        self.caller_phone.setObjectName("order_caller_phone")
        self.address = QLineEdit(prefill.address)
        self.address.setObjectName("order_address")
        self.external_no = QLineEdit(prefill.external_no)
        self.external_no.setObjectName("order_external_no")
        self.external_no.setPlaceholderText(self.tr("Only for orders passed on by 95598"))
        self.description = _text_edit("order_description", prefill.description, 4)
        self.dispatch_now = QCheckBox(self.tr("Dispatch at once to the person shown"))
        self.dispatch_now.setObjectName("order_dispatch_now")
        self.dispatch_now.setChecked(True)
        self.route_label = _note(self.tr("Working out where it goes…"), "order_route")
        self.limits_label = _note("", "order_limits")
        self.duplicates_label = _note("", "order_duplicates", NEAR_FG)
        self.duplicates_label.setVisible(False)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        if customer_text:
            form.addRow(self.tr("Customer"), _note(customer_text, "order_customer"))
        form.addRow(self.tr("Type"), self.type_box)
        form.addRow(self.tr("Sub-type"), self.subtype_box)
        form.addRow(self.tr("Channel"), self.channel_box)
        form.addRow(self.tr("Urgency"), self.urgency_box)
        form.addRow(self.tr("Caller"), self.caller_name)
        form.addRow(self.tr("Phone"), self.caller_phone)
        form.addRow(self.tr("Address"), self.address)
        form.addRow(self.tr("95598 no."), self.external_no)
        form.addRow(self.tr("Request"), self.description)
        form.addRow("", self.field_label("description"))
        form.addRow(self.tr("Goes to"), self.route_label)
        form.addRow(self.tr("Time limits"), self.limits_label)
        form.addRow("", self.duplicates_label)
        form.addRow("", self.dispatch_now)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(560, self.sizeHint().height())

        self._fill_subtypes(prefill.subtype)
        self.type_box.currentIndexChanged.connect(self._on_type_box_current_index_changed)
        self.subtype_box.currentIndexChanged.connect(self._on_subtype_box_current_index_changed)
        self.watch(self.description, self.type_box, self.subtype_box, self.caller_phone)
        self.revalidate()
        keep_draft(self, f"work_order/new/customer-{prefill.customer_id}/call-{call_id}")
        self._preview()

    def _fill_subtypes(self, current: OrderSubtype | None = None) -> None:
        order_type = OrderType(self.type_box.currentData())
        self.subtype_box.blockSignals(True)
        self.subtype_box.clear()
        for sub in subtypes_for(order_type):
            self.subtype_box.addItem(sub.label, sub)
        if current is not None and self.subtype_box.findData(current) >= 0:
            self.subtype_box.setCurrentIndex(self.subtype_box.findData(current))
        self.subtype_box.setEnabled(self.subtype_box.count() > 1)
        self.subtype_box.blockSignals(False)

    def data(self) -> wo.OrderInput:
        return wo.OrderInput(
            type=OrderType(self.type_box.currentData()),
            subtype=OrderSubtype(self.subtype_box.currentData() or OrderSubtype.none),
            channel=Channel(self.channel_box.currentData()),
            urgency=Urgency(self.urgency_box.currentData()),
            customer_id=self.prefill.customer_id,
            caller_name=self.caller_name.text(),
            caller_phone=self.caller_phone.text(),
            address=self.address.text(),
            description=self.description.toPlainText(),
            transformer_area_id=self.prefill.transformer_area_id,
            external_no=self.external_no.text(),
            received_at=self.prefill.received_at,
        )

    def problems(self) -> dict[str, str]:
        if not self.description.toPlainText().strip():
            return {"description": self.tr("Say what the customer asks for.")}
        return {}

    def saver(self) -> Saver:
        data, call_id, dispatch = self.data(), self.call_id, self.dispatch_now.isChecked()

        def save(session: Session, actor: Actor) -> int:
            if call_id is not None:
                order = call_svc.order_from_call(
                    session=session, actor=actor, call_id=call_id, data=data, dispatch_now=dispatch
                )
            else:
                order = wo.create_order(
                    session=session, actor=actor, data=data, dispatch_now=dispatch
                )
            assert order.id is not None
            return order.id

        return save

    # ---- preview

    def _preview(self) -> None:
        self._preview_generation += 1
        generation = self._preview_generation
        if self._preview_task is not None:
            self._preview_task.cancel()
        db, data = self.ctx.db, self.data()
        self._preview_task = run_in_background(
            self,
            lambda _p: preview_order(db, data),
            on_success=lambda p: self._on_preview_done(generation, p),
            on_failure=lambda e: self._on_preview_failed(generation, e),
        )

    def _on_preview_done(self, generation: int, preview: OrderPreview) -> None:
        if generation != self._preview_generation:
            return
        self._preview_task = None
        route = preview.route
        if route.assignee_id is not None:
            self.route_label.setText(route.reason)
            self.route_label.setStyleSheet("")
        else:
            self.route_label.setText(route.reason)
            self.route_label.setStyleSheet(f"color: {NEAR_FG};")
        self.dispatch_now.setEnabled(route.assignee_id is not None)
        if route.assignee_id is None:
            self.dispatch_now.setChecked(False)
        names = {
            "contact": self.tr("contact by {time}"),
            "arrival": self.tr("on site by {time}"),
            "resolve": self.tr("resolved by {time}"),
        }
        self.limits_label.setText(
            "；".join(names[k].format(time=fmt.date_time(v)) for k, v in preview.deadlines)
        )
        if preview.duplicates:
            listed = "、".join(f"{d.number}（{d.why}）" for d in preview.duplicates[:3])
            self.duplicates_label.setText(
                self.tr(
                    "Possibly the same fault as {orders}: consider attaching the call to it instead."
                ).format(orders=listed)
            )
        self.duplicates_label.setVisible(bool(preview.duplicates))

    def _on_preview_failed(self, generation: int, error: BaseException) -> None:
        if generation == self._preview_generation:
            self._preview_task = None
            self.route_label.setText(str(error))

    def _on_type_box_current_index_changed(self, _index: int) -> None:
        self._fill_subtypes()
        urgent = self.type_box.currentData() in (OrderType.repair, OrderType.complaint)
        self.urgency_box.setCurrentIndex(
            self.urgency_box.findData(Urgency.urgent if urgent else Urgency.normal)
        )
        self._preview()

    def _on_subtype_box_current_index_changed(self, _index: int) -> None:
        self._preview()


# --------------------------------------------------------------------------- steps


class _OrderStepDialog(ServiceDialog):
    """A dialog about one order the user is looking at (its number and version)."""

    def __init__(
        self, ctx: UiContext, order_id: int, number: str, version: int, parent: QWidget | None
    ) -> None:
        super().__init__(ctx, parent)
        self.order_id = order_id
        self.version = version
        self.heading = _note(number, "step_order")
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

    def finish(self) -> None:
        self.resize(max(460, self.sizeHint().width()), self.sizeHint().height())
        self.revalidate()
        keep_draft(self, f"work_order/{self.order_id}/{self.objectName()}")


def staff_items(choices: list[routing.StaffChoice]) -> list[tuple[int, str]]:
    """Picker entries: name, team, specialties, open orders, on leave."""
    items = []
    for c in choices:
        parts = [c.name]
        if c.team:
            parts.append(c.team)
        if c.specialties:
            parts.append("、".join(c.specialties))
        text = " · ".join(parts)
        text += QCoreApplication.translate("DispatchDialog", "  (open {count})").format(
            count=c.open_orders
        )
        if c.on_leave:
            text += QCoreApplication.translate("DispatchDialog", "  on leave")
        items.append((c.id, text))
    return items


class DispatchDialog(_OrderStepDialog):
    """Dispatch a new order (the routed person preselected) or reassign an open one."""

    def __init__(
        self,
        ctx: UiContext,
        detail: wo.OrderDetail,
        choices: list[routing.StaffChoice],
        *,
        reassign: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        order = detail.order
        assert order.id is not None
        super().__init__(ctx, order.id, order.number, order.version, parent)
        self.reassign = reassign
        self.setObjectName("reassign_dialog" if reassign else "dispatch_dialog")
        self.setWindowTitle(self.tr("Reassign") if reassign else self.tr("Dispatch"))
        self.routed = order.assignee_id
        self.picker = Picker(staff_items(choices))
        self.picker.setObjectName("step_assignee")
        self.picker.setMinimumContentsLength(30)
        self.picker.set_current_id(None if reassign else order.assignee_id)
        self.note_edit = QLineEdit()
        self.note_edit.setObjectName("step_note")
        self.note_edit.setPlaceholderText(
            self.tr("Why (kept in the history)") if reassign else self.tr("Optional")
        )
        if detail.assignee:
            label = self.tr("Now with") if reassign else self.tr("Routed to")
            self.form.addRow(label, _note(detail.assignee, "step_current"))
        self.form.addRow(self.tr("Assignee"), self.picker)
        self.form.addRow("", self.field_label("assignee_id"))
        self.form.addRow(self.tr("Note"), self.note_edit)
        self.watch(self.picker)
        self.picker.editTextChanged.connect(self._on_field_changed)
        self.finish()

    def problems(self) -> dict[str, str]:
        chosen = self.picker.current_id()
        if chosen is None or chosen == NONE_ID:
            return {"assignee_id": self.tr("Choose who takes the order.")}
        if self.reassign and chosen == self.routed:
            return {"assignee_id": self.tr("The order is already with this person.")}
        return {}

    def saver(self) -> Saver:
        order_id, version = self.order_id, self.version
        assignee = self.picker.current_id()
        note, reassign = self.note_edit.text(), self.reassign

        def save(session: Session, actor: Actor) -> int:
            assert assignee is not None
            if reassign:
                wo.reassign(
                    session=session, actor=actor, order_id=order_id, assignee_id=assignee,
                    reason=note, expected_version=version,
                )  # fmt: skip
            else:
                wo.dispatch(
                    session=session, actor=actor, order_id=order_id, assignee_id=assignee,
                    note=note, expected_version=version,
                )  # fmt: skip
            return order_id

        return save


class TextStepDialog(_OrderStepDialog):
    """One text to give: a resolution, a cancel reason, a note, a contact note."""

    def __init__(
        self,
        ctx: UiContext,
        detail: wo.OrderDetail,
        step: str,
        parent: QWidget | None = None,
    ) -> None:
        order = detail.order
        assert order.id is not None
        super().__init__(ctx, order.id, order.number, order.version, parent)
        self.step = step
        self.setObjectName(f"{step}_dialog")
        titles = {
            "resolve": self.tr("Resolve"),
            "cancel": self.tr("Cancel the order"),
            "note": self.tr("Add a note"),
            "contact": self.tr("Customer contacted"),
        }
        labels = {
            "resolve": self.tr("What was done"),
            "cancel": self.tr("Reason"),
            "note": self.tr("Note"),
            "contact": self.tr("What was said"),
        }
        self.setWindowTitle(titles[step])
        self.text = _text_edit("step_text", "", 4)
        self.form.addRow(labels[step], self.text)
        self.form.addRow("", self.field_label("text"))
        if step == "cancel":
            self.form.addRow(
                "", _note(self.tr("A cancelled order cannot be reopened."), color=OVERDUE_FG)
            )
        self.watch(self.text)
        self.finish()

    def problems(self) -> dict[str, str]:
        if self.step in ("resolve", "cancel", "note") and not self.text.toPlainText().strip():
            return {
                "text": {
                    "resolve": self.tr("Say what was done."),
                    "cancel": self.tr("A reason is required."),
                    "note": self.tr("Write the note."),
                }[self.step]
            }
        return {}

    def saver(self) -> Saver:
        order_id, version, step = self.order_id, self.version, self.step
        text = self.text.toPlainText()

        def save(session: Session, actor: Actor) -> int:
            if step == "resolve":
                wo.resolve(
                    session=session, actor=actor, order_id=order_id, resolution=text,
                    expected_version=version,
                )  # fmt: skip
            elif step == "cancel":
                wo.cancel(
                    session=session, actor=actor, order_id=order_id, reason=text,
                    expected_version=version,
                )  # fmt: skip
            elif step == "contact":
                wo.record_contact(
                    session=session, actor=actor, order_id=order_id, note=text,
                    expected_version=version,
                )  # fmt: skip
            else:
                wo.add_note(session=session, actor=actor, order_id=order_id, note=text)
            return order_id

        return save


class CallbackDialog(_OrderStepDialog):
    """Call back everyone about the order (its caller first, then the callers of
    orders merged into it) and record each one's satisfaction."""

    NOT_REACHED = 0

    def __init__(
        self,
        ctx: UiContext,
        detail: wo.OrderDetail,
        *,
        unmask: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        order = detail.order
        assert order.id is not None
        super().__init__(ctx, order.id, order.number, order.version, parent)
        self.setObjectName("callback_dialog")
        self.setWindowTitle(self.tr("Call-back"))
        self.targets = [t for t in detail.callbacks if not t.called_back or t.primary]
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        for column, title in enumerate(
            (self.tr("Caller"), self.tr("Phone"), self.tr("Order"), self.tr("Satisfaction"))
        ):
            head = _note(title)
            head.setStyleSheet("color: #5f6b7a;")
            grid.addWidget(head, 0, column)
        self.scores: list[QComboBox] = []
        from gridsvc_desktop.domain.masking import mask_phone

        for row, target in enumerate(self.targets, start=1):
            grid.addWidget(_note(target.name or "—"), row, 0)
            grid.addWidget(_note(target.phone if unmask else mask_phone(target.phone)), row, 1)
            grid.addWidget(_note(target.order_number), row, 2)
            box = QComboBox()
            box.setObjectName(f"callback_score_{row - 1}")
            box.addItem(self.tr("Choose…"), None)
            for score in (5, 4, 3, 2, 1):
                box.addItem(self.tr("{score} points").format(score=score), score)
            if not target.primary:
                box.addItem(self.tr("Not reached"), self.NOT_REACHED)
            grid.addWidget(box, row, 3)
            self.scores.append(box)
            self.watch(box)
        holder = QWidget()
        holder.setLayout(grid)
        self.form.addRow(holder)
        self.note_edit = _text_edit("callback_note", "", 2)
        self.form.addRow(self.tr("Note"), self.note_edit)
        self.form.addRow("", self.field_label("satisfaction"))
        self.finish()

    def problems(self) -> dict[str, str]:
        if not self.scores or self.scores[0].currentData() is None:
            return {"satisfaction": self.tr("Record the caller's satisfaction (1–5).")}
        if any(box.currentData() is None for box in self.scores[1:]):
            return {"satisfaction": self.tr("Record every caller, or mark them not reached.")}
        return {}

    def saver(self) -> Saver:
        order_id, version = self.order_id, self.version
        note = self.note_edit.toPlainText()
        first = int(self.scores[0].currentData())
        others = [
            wo.CallerFeedback(
                order_id=t.order_id,
                name=t.name,
                phone=t.phone,
                satisfaction=None if box.currentData() == self.NOT_REACHED else box.currentData(),
            )
            for t, box in zip(self.targets[1:], self.scores[1:], strict=True)
        ]

        def save(session: Session, actor: Actor) -> int:
            wo.call_back(
                session=session, actor=actor, order_id=order_id, satisfaction=first, note=note,
                others=others, expected_version=version,
            )  # fmt: skip
            return order_id

        return save


class MergeDialog(_OrderStepDialog):
    """Fold a duplicate into this order: its callers are called back with ours."""

    def __init__(
        self, ctx: UiContext, detail: wo.OrderDetail, parent: QWidget | None = None
    ) -> None:
        order = detail.order
        assert order.id is not None
        super().__init__(ctx, order.id, order.number, order.version, parent)
        self.setObjectName("merge_dialog")
        self.setWindowTitle(self.tr("Merge a duplicate into this order"))
        self.duplicates = {d.id: d for d in detail.duplicates}
        self.choice = QComboBox()
        self.choice.setObjectName("merge_choice")
        for d in detail.duplicates:
            text = f"{d.number}　{d.caller_name}　{d.received_at:%m-%d %H:%M}　{d.why}"
            self.choice.addItem(text, d.id)
        self.note_edit = QLineEdit()
        self.note_edit.setObjectName("merge_note")
        self.form.addRow(self.tr("Duplicate"), self.choice)
        self.form.addRow(self.tr("Note"), self.note_edit)
        self.form.addRow(
            "",
            _note(
                self.tr(
                    "The duplicate becomes “merged”; its calls stay with it and its callers "
                    "are called back with this order's."
                )
            ),
        )
        self.form.addRow("", self.field_label("target_id"))
        self.finish()

    def problems(self) -> dict[str, str]:
        if self.choice.currentData() is None:
            return {"target_id": self.tr("No duplicate to merge.")}
        return {}

    def saver(self) -> Saver:
        target = self.order_id
        dup_id = int(self.choice.currentData())
        dup_version = self.duplicates[dup_id].version
        note = self.note_edit.text()

        def save(session: Session, actor: Actor) -> int:
            wo.merge_orders(
                session=session, actor=actor, target_id=target, duplicate_id=dup_id,
                expected_version=dup_version, note=note,
            )  # fmt: skip
            return target

        return save


class EditOrderDialog(_OrderStepDialog):
    """Correct the caller, phone, address, request, urgency or 95598 number."""

    def __init__(
        self, ctx: UiContext, detail: wo.OrderDetail, parent: QWidget | None = None
    ) -> None:
        order = detail.order
        assert order.id is not None
        super().__init__(ctx, order.id, order.number, order.version, parent)
        self.setObjectName("edit_order_dialog")
        self.setWindowTitle(self.tr("Edit the order"))
        self.urgency_box = _combo(
            "edit_urgency", [(u.label, u) for u in Urgency], Urgency(order.urgency)
        )
        self.caller_name = QLineEdit(order.caller_name)
        self.caller_name.setObjectName("edit_caller_name")
        self.caller_phone = QLineEdit(order.caller_phone)
        self.caller_phone.setObjectName("edit_caller_phone")
        self.address = QLineEdit(order.address)
        self.address.setObjectName("edit_address")
        self.external_no = QLineEdit(order.external_no or "")
        self.external_no.setObjectName("edit_external_no")
        self.description = _text_edit("edit_description", order.description, 4)
        self.form.addRow(self.tr("Urgency"), self.urgency_box)
        self.form.addRow(self.tr("Caller"), self.caller_name)
        self.form.addRow(self.tr("Phone"), self.caller_phone)
        self.form.addRow("", self.field_label("caller_phone"))
        self.form.addRow(self.tr("Address"), self.address)
        self.form.addRow(self.tr("95598 no."), self.external_no)
        self.form.addRow("", self.field_label("external_no"))
        self.form.addRow(self.tr("Request"), self.description)
        self.form.addRow("", self.field_label("description"))
        self.watch(self.description, self.caller_phone, self.external_no)
        self.finish()

    def problems(self) -> dict[str, str]:
        if not self.description.toPlainText().strip():
            return {"description": self.tr("Say what the customer asks for.")}
        return {}

    def saver(self) -> Saver:
        order_id, version = self.order_id, self.version
        data = wo.OrderEdit(
            urgency=Urgency(self.urgency_box.currentData()),
            caller_name=self.caller_name.text(),
            caller_phone=self.caller_phone.text(),
            address=self.address.text(),
            description=self.description.toPlainText(),
            external_no=self.external_no.text(),
        )

        def save(session: Session, actor: Actor) -> int:
            wo.update_order(
                session=session, actor=actor, order_id=order_id, data=data,
                expected_version=version,
            )  # fmt: skip
            return order_id

        return save
