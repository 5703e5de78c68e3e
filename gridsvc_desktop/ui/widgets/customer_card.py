"""The customer card: everything the desk needs about one customer, at a glance.

A read-only view of a `services.customers.CustomerCard`; loading it is the
page's business (on a worker thread). Every section has a clear empty state,
so "no arrears" is said rather than left blank. Data goes into labels as plain
text (never rich text), so a name like "<b>" shows as typed.
"""

from __future__ import annotations

import datetime as dt

from gridsvc_desktop.domain.enums import OutageStatus
from gridsvc_desktop.domain.masking import mask_phone
from gridsvc_desktop.domain.outage_rules import is_active
from gridsvc_desktop.services.customers import CustomerCard
from gridsvc_desktop.ui import format as fmt
from gridsvc_desktop.ui.qt import (
    QColor,
    QFont,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPalette,
    QScrollArea,
    Qt,
    QVBoxLayout,
    QWidget,
)

WARNING_COLOR = "#c0392b"
ACCENT_COLOR = "#1f5fa8"


class CustomerCardView(QScrollArea):
    """Shows one customer card, a placeholder, or a message."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("customer_card")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMinimumWidth(340)
        self._customer_id: int | None = None
        self.show_placeholder()

    @property
    def customer_id(self) -> int | None:
        """The customer shown, or None."""
        return self._customer_id

    def show_placeholder(self) -> None:
        self._customer_id = None
        self._show_text(self.tr("Select a customer to see their card."))

    def show_message(self, text: str) -> None:
        self._customer_id = None
        self._show_text(text)

    def _show_text(self, text: str) -> None:
        page = QWidget()
        layout = QVBoxLayout(page)
        label = _plain_label(text)
        label.setObjectName("card_message")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        _set_secondary(label)
        layout.addStretch(1)
        layout.addWidget(label)
        layout.addStretch(2)
        self._replace(page)

    def show_card(
        self, card: CustomerCard, *, unmask: bool = False, now: dt.datetime | None = None
    ) -> None:
        self._customer_id = card.customer.id
        self._replace(self._build(card, unmask=unmask, now=now or dt.datetime.now()))

    def _replace(self, page: QWidget) -> None:
        old = self.takeWidget()
        self.setWidget(page)
        if old is not None:
            old.deleteLater()

    # ---- building the card

    def _build(self, card: CustomerCard, *, unmask: bool, now: dt.datetime) -> QWidget:
        c = card.customer
        page = QWidget()
        page.setObjectName("card_page")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(16, 12, 16, 16)
        layout.setSpacing(6)

        name = _plain_label(c.name, "card_name")
        font = QFont(name.font())
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        name.setFont(font)
        layout.addWidget(name)
        subtitle = _plain_label(
            " · ".join(p for p in (c.account_no, card.category_label, card.metering_label) if p),
            "card_subtitle",
        )
        _set_secondary(subtitle)
        layout.addWidget(subtitle)
        # The power is off where the customer lives: say so first (a repair call
        # from here goes with the outage, not into a new fault order).
        off_now = [
            o for o in card.outages
            if is_active(OutageStatus.from_label(o.status_label), o.planned_start, o.planned_end, now)
        ]  # fmt: skip
        if off_now:
            o = off_now[0]
            banner = _plain_label(
                self.tr("Power off now: {kind}, {reason}; expected back {end}").format(
                    kind=o.kind_label, reason=o.reason or "—",
                    end=fmt.short_date_time(o.planned_end, now.date()),
                ),
                "card_outage_banner",
            )  # fmt: skip
            banner.setWordWrap(True)
            banner.setStyleSheet(
                f"background: {WARNING_COLOR}; color: white; font-weight: bold; padding: 4px;"
            )
            layout.addWidget(banner)

        phone = c.phone if unmask else mask_phone(c.phone)
        location = " · ".join(p for p in (card.community, card.compound, card.building) if p)
        basics = _Form()
        basics.add(self.tr("Account no."), c.account_no, "card_account_no")
        basics.add(self.tr("Address"), c.address or "—", "card_address")
        basics.add(self.tr("Phone"), phone or "—", "card_phone")
        if location:
            basics.add(self.tr("Location"), location, "card_location")
        if c.meter_no:
            basics.add(self.tr("Meter no."), c.meter_no, "card_meter_no")
        self._section(layout, self.tr("Customer"), basics)

        grid = _Form()
        if card.grid:
            grid.add(self.tr("Grid"), card.grid, "card_grid")
            grid.add(self.tr("Area class"), card.grid_area_class, "card_area_class")
            grid.add(
                self.tr("Grid manager"),
                card.manager_name or self.tr("No manager assigned"),
                "card_manager",
            )
            if card.manager_phone:
                grid.add(self.tr("Manager's phone"), card.manager_phone, "card_manager_phone")
        else:
            grid.add_note(self.tr("Not in any grid yet"), "grid_empty")
        self._section(layout, self.tr("Grid and manager"), grid)

        supply = _Form()
        if card.transformer_area:
            area = card.transformer_area
            if card.transformer_area_code:
                area = f"{area}（{card.transformer_area_code}）"
            supply.add(self.tr("Transformer area"), area, "card_transformer_area")
            supply.add(self.tr("Feeder"), card.feeder or "—", "card_feeder")
        else:
            supply.add_note(self.tr("Not linked to a transformer area"), "supply_empty")
        self._section(layout, self.tr("Transformer area and feeder"), supply)
        _align_labels([basics, grid, supply])

        contacts = _List("card_contacts")
        for ct in card.contacts:
            where = f"（{ct.where}）" if ct.where else ""
            contacts.add(f"{ct.kind_label}　{ct.name}　{ct.phone}".rstrip() + where)
        contacts.empty(self.tr("No building leader or contacts on file"), "contacts_empty")
        self._section(layout, self.tr("Building leader and contacts"), contacts)

        outages = _List("card_outages")
        for o in card.outages:
            when = self.tr("{start} to {end}").format(
                start=fmt.short_date_time(o.planned_start, now.date()),
                end=fmt.short_date_time(o.planned_end, now.date()),
            )
            outages.add(f"{o.kind_label} · {o.status_label}　{when}", o.reason, warn=True)
        outages.empty(self.tr("No outage planned or in progress"), "outages_empty")
        self._section(layout, self.tr("Outages"), outages)

        orders = _List("card_orders")
        for order in card.open_orders:
            due = self.tr("Due {time}").format(
                time=fmt.short_date_time(order.resolve_due, now.date())
            )
            overdue = order.resolve_due < now
            if overdue:
                due = self.tr("{due} (overdue)").format(due=due)
            who = order.assignee or self.tr("not assigned")
            orders.add(
                f"{order.number}　{order.type_label} · {order.status_label}",
                f"{due} · {who}",
                warn=overdue,
            )
        orders.empty(self.tr("No open work orders"), "orders_empty")
        self._section(layout, self.tr("Open work orders"), orders)

        arrears = _List("card_arrears")
        if card.arrears:
            total = _plain_label(
                self.tr("Total {amount} over {months} month(s)").format(
                    amount=fmt.money(card.arrears_total_fen), months=len(card.arrears)
                ),
                "card_arrears_total",
            )
            total.setStyleSheet(f"color: {WARNING_COLOR}; font-weight: bold;")
            arrears.layout_.addWidget(total)
        for a in card.arrears:
            arrears.add(f"{fmt.month(a.month)}　{fmt.money(a.amount_fen)}　{a.status_label}")
        arrears.empty(self.tr("No arrears"), "arrears_empty")
        self._section(layout, self.tr("Arrears"), arrears)

        calls = _List("card_calls")
        for call in card.recent_calls:
            calls.add(
                f"{fmt.short_date_time(call.started_at, now.date())}　{call.channel_label}",
                call.summary,
            )
        calls.empty(self.tr("No calls on record"), "calls_empty")
        self._section(layout, self.tr("Recent calls"), calls)

        layout.addStretch(1)
        return page

    def _section(self, layout: QVBoxLayout, title: str, body: QWidget) -> None:
        heading = QLabel(title)
        heading.setObjectName("card_heading")
        font = QFont(heading.font())
        font.setBold(True)
        heading.setFont(font)
        heading.setStyleSheet(
            f"color: {ACCENT_COLOR}; border-bottom: 1px solid #c8d3e0; padding: 8px 0 3px 0;"
        )
        layout.addWidget(heading)
        layout.addWidget(body)


class _Form(QWidget):
    """Label: value rows."""

    def __init__(self) -> None:
        super().__init__()
        self.keys: list[QLabel] = []
        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 2, 0, 2)
        self.form.setHorizontalSpacing(14)
        self.form.setVerticalSpacing(4)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

    def add(self, label: str, value: str, name: str) -> None:
        key = QLabel(label)
        key.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        _set_secondary(key)
        self.keys.append(key)
        self.form.addRow(key, _plain_label(value, name))

    def add_note(self, text: str, name: str) -> None:
        note = _plain_label(text, name)
        _set_secondary(note)
        self.form.addRow(note)


class _List(QWidget):
    """Entries of two lines (main text, detail), or an empty-state note."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.setObjectName(name)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 2, 0, 2)
        self.layout_.setSpacing(6)
        self.count = 0

    def add(self, text: str, detail: str = "", *, warn: bool = False) -> None:
        self.count += 1
        entry = QWidget()
        entry.setObjectName("card_entry")
        box = QVBoxLayout(entry)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(1)
        main = _plain_label(text, "card_entry_text")
        if warn:
            main.setStyleSheet(f"color: {WARNING_COLOR};")
        box.addWidget(main)
        if detail:
            sub = _plain_label(detail, "card_entry_detail")
            _set_secondary(sub)
            box.addWidget(sub)
        self.layout_.addWidget(entry)

    def empty(self, text: str, name: str) -> None:
        """Say `text` if nothing was added."""
        if self.count:
            return
        row = QHBoxLayout()
        note = _plain_label(text, name)
        _set_secondary(note)
        row.addWidget(note)
        self.layout_.addLayout(row)


def _align_labels(forms: list[_Form]) -> None:
    """One label column width for several forms, so their values line up."""
    keys = [key for form in forms for key in form.keys]
    if keys:
        width = max(key.sizeHint().width() for key in keys)
        for key in keys:
            key.setMinimumWidth(width)


def _plain_label(text: str, name: str = "") -> QLabel:
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if name:
        label.setObjectName(name)
    return label


def _set_secondary(label: QLabel) -> None:
    """Greyed text for field names, details and empty states."""
    palette = label.palette()
    color = QColor(palette.color(QPalette.ColorRole.WindowText))
    color.setAlpha(150)
    palette.setColor(QPalette.ColorRole.WindowText, color)
    label.setPalette(palette)
