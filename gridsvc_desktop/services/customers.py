"""Customers: create and edit (with audit), and the customer card."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import func
from sqlmodel import Session, select

from gridsvc_desktop.db.models import (
    AdminArea,
    Arrears,
    Building,
    Call,
    Compound,
    Contact,
    Customer,
    Feeder,
    Grid,
    Staff,
    Station,
    TransformerArea,
    WorkOrder,
    now,
)
from gridsvc_desktop.domain import normalize
from gridsvc_desktop.domain.enums import (
    ArrearsStatus,
    ContactKind,
    CustomerCategory,
    Metering,
    OrderStatus,
)
from gridsvc_desktop.services import audit
from gridsvc_desktop.services.actor import Actor, Permission
from gridsvc_desktop.services.common import InvalidInput, NotFound, apply_update, get_or_raise

OPEN_ORDER_STATUSES = (OrderStatus.new, OrderStatus.dispatched, OrderStatus.on_site)


@dataclass
class CustomerInput:
    """What a user or a ledger row says about a customer, before normalising."""

    account_no: str
    name: str
    address: str = ""
    category: CustomerCategory = CustomerCategory.residential
    metering: Metering = Metering.individual
    transformer_area_code: str = ""
    meter_no: str = ""
    phone: str = ""
    opened_on: dt.date | None = None
    contract_kva: int = 0
    notes: str = ""


def _account_length(session: Session) -> int:
    length = session.execute(select(Station.account_no_length).limit(1)).scalar()
    return int(length or 10)


def _normalised(session: Session, data: CustomerInput) -> dict[str, object]:
    try:
        account_no = normalize.account_no(data.account_no, _account_length(session))
    except normalize.NormalizeError as exc:
        raise InvalidInput(f"户号：{exc}", "account_no") from exc
    name = normalize.clean_text(data.name)
    if not name:
        raise InvalidInput("户名不能为空。", "name")
    phone = ""
    if normalize.clean_text(data.phone):
        try:
            phone = normalize.phone(data.phone)
        except normalize.NormalizeError as exc:
            raise InvalidInput(f"联系电话：{exc}", "phone") from exc
    ta_id = None
    if data.transformer_area_code.strip():
        code = data.transformer_area_code.strip()
        ta_id = session.execute(
            select(TransformerArea.id).where(TransformerArea.code == code)
        ).scalar_one_or_none()
        if ta_id is None:
            raise InvalidInput(f"台区编号“{code}”不存在。", "transformer_area_code")
    if data.contract_kva < 0:
        raise InvalidInput("合同容量不能为负数。", "contract_kva")
    return {
        "account_no": account_no,
        "name": name,
        "address": normalize.clean_text(data.address),
        "category": data.category,
        "metering": data.metering,
        "transformer_area_id": ta_id,
        "meter_no": normalize.clean_text(data.meter_no),
        "phone": phone,
        "opened_on": data.opened_on,
        "contract_kva": data.contract_kva,
        "notes": data.notes,
    }


def create_customer(*, session: Session, actor: Actor, data: CustomerInput) -> Customer:
    actor.require(Permission.edit)
    values = _normalised(session, data)
    exists = session.execute(
        select(Customer.id).where(Customer.account_no == values["account_no"])
    ).scalar_one_or_none()
    if exists is not None:
        raise InvalidInput(f"户号“{values['account_no']}”已存在。", "account_no")
    customer = Customer(**values)  # type: ignore[arg-type]
    session.add(customer)
    session.flush()
    audit.record(session, actor, "create", "customer", customer.id, after=customer)
    return customer


def update_customer(
    *,
    session: Session,
    actor: Actor,
    customer_id: int,
    data: CustomerInput,
    expected_version: int | None = None,
) -> Customer:
    actor.require(Permission.edit)
    customer = get_or_raise(session, Customer, customer_id, "客户")
    values = _normalised(session, data)
    if values["account_no"] != customer.account_no:
        raise InvalidInput("户号不能修改。", "account_no")
    values["updated_at"] = now()
    if not apply_update(
        session,
        actor,
        customer,
        {k: v for k, v in values.items() if k != "updated_at"},
        entity="customer",
        expected_version=expected_version,
    ):
        return customer
    customer.updated_at = now()
    return customer


# --------------------------------------------------------------------------- card


@dataclass
class OrderBrief:
    id: int
    number: str
    type_label: str
    status_label: str
    received_at: dt.datetime
    resolve_due: dt.datetime
    assignee: str


@dataclass
class ArrearsBrief:
    month: str
    amount_fen: int
    status_label: str


@dataclass
class CallBrief:
    started_at: dt.datetime
    channel_label: str
    summary: str


@dataclass
class OutageBrief:
    id: int
    kind_label: str
    status_label: str
    planned_start: dt.datetime
    planned_end: dt.datetime
    reason: str


@dataclass
class ContactBrief:
    kind_label: str
    name: str
    phone: str
    where: str


@dataclass
class CustomerCard:
    """Everything the desk needs to know about one customer, in one object."""

    customer: Customer
    category_label: str
    metering_label: str
    community: str = ""
    compound: str = ""
    building: str = ""
    transformer_area: str = ""
    transformer_area_code: str = ""
    feeder: str = ""
    grid: str = ""
    grid_area_class: str = ""
    manager_name: str = ""
    manager_phone: str = ""
    contacts: list[ContactBrief] = field(default_factory=list)
    outages: list[OutageBrief] = field(default_factory=list)
    open_orders: list[OrderBrief] = field(default_factory=list)
    arrears: list[ArrearsBrief] = field(default_factory=list)
    recent_calls: list[CallBrief] = field(default_factory=list)

    @property
    def arrears_total_fen(self) -> int:
        return sum(a.amount_fen for a in self.arrears)


def customer_card(session: Session, customer_id: int, *, recent_calls: int = 5) -> CustomerCard:
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise NotFound(f"找不到客户（{customer_id}）。")
    card = CustomerCard(
        customer=customer,
        category_label=CustomerCategory(customer.category).label,
        metering_label=Metering(customer.metering).label,
    )
    if customer.community_id:
        card.community = session.get(AdminArea, customer.community_id).name  # type: ignore[union-attr]
    if customer.compound_id:
        card.compound = session.get(Compound, customer.compound_id).name  # type: ignore[union-attr]
    if customer.building_id:
        card.building = session.get(Building, customer.building_id).name  # type: ignore[union-attr]
    ta = (
        session.get(TransformerArea, customer.transformer_area_id)
        if customer.transformer_area_id
        else None
    )
    grid = None
    if ta is not None:
        card.transformer_area, card.transformer_area_code = ta.name, ta.code
        if ta.feeder_id:
            card.feeder = session.get(Feeder, ta.feeder_id).name  # type: ignore[union-attr]
        grid = session.get(Grid, ta.grid_id) if ta.grid_id else None
    if grid is not None:
        card.grid = grid.name
        card.grid_area_class = grid.area_class.label
        manager = session.get(Staff, grid.manager_id) if grid.manager_id else None
        if manager is not None:
            card.manager_name, card.manager_phone = manager.name, manager.phone
    card.contacts = _contacts_for(session, customer)
    if ta is not None:
        card.outages = _outages_for(session, ta)
    card.open_orders = [
        OrderBrief(
            id=o.id,
            number=o.number,
            type_label=o.type.label,
            status_label=o.status.label,
            received_at=o.received_at,
            resolve_due=o.resolve_due,
            assignee=name or "",
        )
        for o, name in session.execute(
            select(WorkOrder, Staff.name)
            .outerjoin(Staff, Staff.id == WorkOrder.assignee_id)  # type: ignore[arg-type]
            .where(WorkOrder.customer_id == customer_id, WorkOrder.status.in_(OPEN_ORDER_STATUSES))  # type: ignore[attr-defined]
            .order_by(WorkOrder.resolve_due)  # type: ignore[arg-type]
        ).all()
    ]
    card.arrears = [
        ArrearsBrief(month=a.month, amount_fen=a.amount_fen, status_label=a.status.label)
        for a in session.execute(
            select(Arrears)
            .where(Arrears.customer_id == customer_id, Arrears.status != ArrearsStatus.paid)
            .order_by(Arrears.month)
        ).scalars()
    ]
    card.recent_calls = [
        CallBrief(started_at=c.started_at, channel_label=c.channel.label, summary=c.summary)
        for c in session.execute(
            select(Call)
            .where(Call.customer_id == customer_id)
            .order_by(Call.started_at.desc())  # type: ignore[attr-defined]
            .limit(recent_calls)
        ).scalars()
    ]
    return card


def _contacts_for(session: Session, customer: Customer) -> list[ContactBrief]:
    """Building leader of the customer's building first, then the compound's people."""
    if not customer.compound_id:
        return []
    rows = session.execute(
        select(Contact, Building.name)
        .outerjoin(Building, Building.id == Contact.building_id)  # type: ignore[arg-type]
        .where(Contact.compound_id == customer.compound_id)
    ).all()
    order = {
        ContactKind.building_leader: 0,
        ContactKind.property_office: 1,
        ContactKind.gatekeeper: 2,
        ContactKind.community_worker: 3,
        ContactKind.service_center: 4,
    }
    briefs: list[tuple[int, ContactBrief]] = []
    for contact, building in rows:
        if contact.building_id and contact.building_id != customer.building_id:
            continue  # a leader of another building
        where = building or "全小区"
        briefs.append(
            (
                order[contact.kind],
                ContactBrief(contact.kind.label, contact.name, contact.phone, where),
            )
        )
    return [b for _, b in sorted(briefs, key=lambda t: t[0])]


def _outages_for(session: Session, ta: TransformerArea) -> list[OutageBrief]:
    from gridsvc_desktop.services.outages import open_outages_for_area

    assert ta.id is not None
    rows = open_outages_for_area(session, ta.id)
    return [
        OutageBrief(
            id=o.id,
            kind_label=o.kind.label,
            status_label=o.status.label,
            planned_start=o.planned_start,
            planned_end=o.planned_end,
            reason=o.reason,
        )
        for o in rows
        if o.id is not None
    ]


def count_customers(session: Session) -> int:
    return int(session.execute(select(func.count()).select_from(Customer)).scalar_one())
