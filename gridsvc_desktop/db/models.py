"""SQLModel tables for the whole domain (see docs/schema.md for the picture).

Conventions:
- enums are stored as their English value in a VARCHAR (no native DB enum, so
  the same migrations run on SQLite and PostgreSQL);
- money is stored as integer fen (分) in `*_fen` columns: exact on both stores;
- times are naive local station time;
- rows that two PCs may edit at once carry `version` for optimistic locking;
- `account_no`, transformer-area `code` and phones are text (leading zeros matter),
  with a digits-only `phone_digits` column and its reverse for suffix search.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Column,
    Computed,
    DateTime,
    Index,
    Text,
    UniqueConstraint,
    event,
    text,
)
from sqlalchemy import Enum as SAEnum
from sqlmodel import Field, SQLModel

from gridsvc_desktop.domain.enums import (
    AreaClass,
    AreaLevel,
    ArrearsStatus,
    CallDirection,
    Channel,
    CollectionKind,
    ContactKind,
    CustomerCategory,
    GridRole,
    LedgerKind,
    Metering,
    NotifyChannel,
    OrderStatus,
    OrderSubtype,
    OrderType,
    OutageKind,
    OutageStatus,
    Role,
    ServiceMode,
    Specialty,
    Urgency,
)
from gridsvc_desktop.domain.search_text import search_chars


def enum_type(enum: type[Enum]) -> SAEnum:
    """A portable VARCHAR enum column type storing the member's value."""
    return SAEnum(
        enum,
        native_enum=False,
        create_constraint=False,
        length=32,
        values_callable=lambda e: [m.value for m in e],
    )


def now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


# --------------------------------------------------------------------------- settings


class Station(SQLModel, table=True):
    """The station this database belongs to (one row)."""

    __tablename__ = "station"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100)
    county: str = Field(default="", max_length=100)
    default_area_class: AreaClass = Field(default=AreaClass.urban, sa_type=enum_type(AreaClass))
    account_no_length: int = Field(default=10)
    hotline: str = Field(default="95598", max_length=20)
    created_at: dt.datetime = Field(sa_type=DateTime, default_factory=now)


class Setting(SQLModel, table=True):
    """Free-form key/value settings (thresholds, windows, templates)."""

    __tablename__ = "setting"
    key: str = Field(primary_key=True, max_length=100)
    value: str = Field(default="", sa_type=Text)


class SlaRule(SQLModel, table=True):
    """One statutory or station time limit; seeded from domain.sla.DEFAULT_LIMITS."""

    __tablename__ = "sla_rule"
    key: str = Field(primary_key=True, max_length=64)
    amount: int
    unit: str = Field(max_length=16)
    label: str = Field(default="", max_length=200)


class CalendarDay(SQLModel, table=True):
    """A local override of the official working-day calendar (admin-entered)."""

    __tablename__ = "calendar_day"
    day: dt.date = Field(primary_key=True)
    is_workday: bool
    note: str = Field(default="", max_length=100)


# --------------------------------------------------------------------------- places


class AdminArea(SQLModel, table=True):
    """Government hierarchy: town/street (乡镇/街道) → community/village (社区/村)."""

    __tablename__ = "admin_area"
    __table_args__ = (UniqueConstraint("parent_id", "name", name="uq_admin_area_parent_name"),)
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100, index=True)
    level: AreaLevel = Field(sa_type=enum_type(AreaLevel))
    parent_id: int | None = Field(default=None, foreign_key="admin_area.id", index=True)
    area_class: AreaClass = Field(default=AreaClass.urban, sa_type=enum_type(AreaClass))


class Compound(SQLModel, table=True):
    """A residential compound (小区) or street block within a community."""

    __tablename__ = "compound"
    __table_args__ = (UniqueConstraint("community_id", "name", name="uq_compound_community_name"),)
    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="admin_area.id", index=True)
    name: str = Field(max_length=100)


class Building(SQLModel, table=True):
    """A building (楼栋) within a compound."""

    __tablename__ = "building"
    __table_args__ = (UniqueConstraint("compound_id", "name", name="uq_building_compound_name"),)
    id: int | None = Field(default=None, primary_key=True)
    compound_id: int = Field(foreign_key="compound.id", index=True)
    name: str = Field(max_length=50)


# --------------------------------------------------------------------------- network


class Feeder(SQLModel, table=True):
    """A 10 kV line (线路/馈线)."""

    __tablename__ = "feeder"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100, unique=True)


class Grid(SQLModel, table=True):
    """A service grid (服务网格) laid over a community."""

    __tablename__ = "grid"
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True)
    name: str = Field(max_length=100, unique=True)
    community_id: int | None = Field(default=None, foreign_key="admin_area.id", index=True)
    area_class: AreaClass = Field(default=AreaClass.urban, sa_type=enum_type(AreaClass))
    service_mode: ServiceMode = Field(
        default=ServiceMode.dedicated_manager, sa_type=enum_type(ServiceMode)
    )
    manager_id: int | None = Field(default=None, foreign_key="staff.id", index=True)
    notes: str = Field(default="", sa_type=Text)
    version: int = Field(default=1)


class TransformerArea(SQLModel, table=True):
    """A transformer area (台区): each belongs to exactly one grid."""

    __tablename__ = "transformer_area"
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True)
    name: str = Field(max_length=100, index=True)
    feeder_id: int | None = Field(default=None, foreign_key="feeder.id", index=True)
    capacity_kva: int = Field(default=0)
    grid_id: int | None = Field(default=None, foreign_key="grid.id", index=True)
    community_id: int | None = Field(default=None, foreign_key="admin_area.id", index=True)
    manager_id: int | None = Field(default=None, foreign_key="staff.id")
    notes: str = Field(default="", sa_type=Text)
    version: int = Field(default=1)


# --------------------------------------------------------------------------- people


class Staff(SQLModel, table=True):
    """A person on the roster (花名册). Deactivated, never deleted."""

    __tablename__ = "staff"
    id: int | None = Field(default=None, primary_key=True)
    employee_no: str = Field(max_length=32, unique=True)
    name: str = Field(max_length=50, index=True)
    phone: str = Field(default="", max_length=32)
    position: str = Field(default="", max_length=50)
    team: str = Field(default="", max_length=100)
    base_area_id: int | None = Field(default=None, foreign_key="admin_area.id")
    active: bool = Field(default=True)
    notes: str = Field(default="", sa_type=Text)
    version: int = Field(default=1)


class StaffSpecialty(SQLModel, table=True):
    __tablename__ = "staff_specialty"
    staff_id: int = Field(foreign_key="staff.id", primary_key=True)
    specialty: Specialty = Field(sa_type=enum_type(Specialty), primary_key=True)


class GridMember(SQLModel, table=True):
    """Who covers which grid, and in what role."""

    __tablename__ = "grid_member"
    grid_id: int = Field(foreign_key="grid.id", primary_key=True)
    staff_id: int = Field(foreign_key="staff.id", primary_key=True, index=True)
    role: GridRole = Field(default=GridRole.member, sa_type=enum_type(GridRole))


class StaffLeave(SQLModel, table=True):
    """Leave with a substitute; routing sends work to the substitute meanwhile."""

    __tablename__ = "staff_leave"
    id: int | None = Field(default=None, primary_key=True)
    staff_id: int = Field(foreign_key="staff.id", index=True)
    substitute_id: int | None = Field(default=None, foreign_key="staff.id")
    start: dt.date
    end: dt.date
    reason: str = Field(default="", max_length=200)


class Contact(SQLModel, table=True):
    """Community contact: 楼长, 物业, 门卫, 社区网格员, 社区服务中心."""

    __tablename__ = "contact"
    id: int | None = Field(default=None, primary_key=True)
    kind: ContactKind = Field(sa_type=enum_type(ContactKind))
    name: str = Field(max_length=50)
    phone: str = Field(default="", max_length=32)
    wechat_group: str = Field(default="", max_length=100)
    community_id: int | None = Field(default=None, foreign_key="admin_area.id", index=True)
    compound_id: int | None = Field(default=None, foreign_key="compound.id", index=True)
    building_id: int | None = Field(default=None, foreign_key="building.id", index=True)
    grid_id: int | None = Field(default=None, foreign_key="grid.id", index=True)
    notes: str = Field(default="", sa_type=Text)


class Customer(SQLModel, table=True):
    """A customer account (户). `account_no` is text; leading zeros matter."""

    __tablename__ = "customer"
    __table_args__ = (
        Index("ix_customer_phone_digits", "phone_digits"),
        Index("ix_customer_phone_rev", "phone_rev"),
        # The station's own links, empty for most customers: partial (migration 0005).
        *(
            Index(
                f"ix_customer_{c}",
                c,
                sqlite_where=text(f"{c} IS NOT NULL"),
                postgresql_where=text(f"{c} IS NOT NULL"),
            )
            for c in ("compound_id", "building_id")
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    account_no: str = Field(max_length=32, unique=True)
    name: str = Field(max_length=200)  # searched through the search index, not an index
    address: str = Field(default="", max_length=300)
    category: CustomerCategory = Field(
        default=CustomerCategory.residential, sa_type=enum_type(CustomerCategory)
    )
    metering: Metering = Field(default=Metering.individual, sa_type=enum_type(Metering))
    transformer_area_id: int | None = Field(
        default=None, foreign_key="transformer_area.id", index=True
    )
    meter_no: str = Field(default="", max_length=40)
    phone: str = Field(default="", max_length=32)
    phone_digits: str = Field(default="", max_length=32)
    phone_rev: str = Field(default="", max_length=32)
    community_id: int | None = Field(default=None, foreign_key="admin_area.id", index=True)
    compound_id: int | None = Field(default=None, foreign_key="compound.id")
    building_id: int | None = Field(default=None, foreign_key="building.id")
    opened_on: dt.date | None = None
    contract_kva: int = Field(default=0)
    notes: str = Field(default="", sa_type=Text)
    # Derived: name and address one character a token, for the FTS index (see
    # domain/search_text.py). Kept in step by db.search_index, never edited.
    search_name: str = Field(default="", sa_type=Text)
    search_address: str = Field(default="", sa_type=Text)
    updated_at: dt.datetime = Field(sa_type=DateTime, default_factory=now)
    version: int = Field(default=1)


# --------------------------------------------------------------------------- calls & orders

#: work_order.next_due: the deadline that runs now (see domain.order_states.current_deadline).
NEXT_DUE_SQL = (
    "CASE WHEN contact_due IS NOT NULL AND contacted_at IS NULL THEN contact_due"
    " WHEN arrival_due IS NOT NULL AND arrived_at IS NULL THEN arrival_due"
    " ELSE resolve_due END"
)


class Call(SQLModel, table=True):
    """A phone call, WeChat message or visit (来电/去电)."""

    __tablename__ = "call"
    id: int | None = Field(default=None, primary_key=True)
    started_at: dt.datetime = Field(sa_type=DateTime, default_factory=now, index=True)
    ended_at: dt.datetime | None = Field(default=None, sa_type=DateTime)
    duration_s: int | None = None
    direction: CallDirection = Field(
        default=CallDirection.inbound, sa_type=enum_type(CallDirection)
    )
    channel: Channel = Field(default=Channel.phone, sa_type=enum_type(Channel))
    phone: str = Field(default="", max_length=32)
    caller_name: str = Field(default="", max_length=100)
    customer_id: int | None = Field(default=None, foreign_key="customer.id", index=True)
    category: OrderType | None = Field(default=None, sa_type=enum_type(OrderType))
    summary: str = Field(default="", sa_type=Text)
    user_id: int | None = Field(default=None, foreign_key="app_user.id")
    work_order_id: int | None = Field(default=None, foreign_key="work_order.id", index=True)
    outage_id: int | None = Field(default=None, foreign_key="outage.id", index=True)
    # The assistant's answers given on this call: keys, comma-separated, in the order
    # first given (services/assistant.record_answer_given; the audit trail has them all).
    answer_key: str = Field(default="", max_length=64)


class WorkOrder(SQLModel, table=True):
    """A work order (工单) with its statutory clock."""

    __tablename__ = "work_order"
    __table_args__ = (
        Index("ix_work_order_status_due", "status", "resolve_due"),
        Index("ix_work_order_grid_status", "grid_id", "status"),
        Index("ix_work_order_assignee_status", "assignee_id", "status"),
        # 0002: the work-order list sorts and filters in SQL (services/work_orders.py).
        Index("ix_work_order_next_due", "next_due"),
        Index("ix_work_order_status_next_due", "status", "next_due"),
        Index("ix_work_order_caller_phone", "caller_phone"),
        Index("ix_work_order_resolved_at", "resolved_at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=32, unique=True)
    external_no: str | None = Field(default=None, max_length=40, unique=True)
    type: OrderType = Field(sa_type=enum_type(OrderType), index=True)
    subtype: OrderSubtype = Field(default=OrderSubtype.none, sa_type=enum_type(OrderSubtype))
    status: OrderStatus = Field(default=OrderStatus.new, sa_type=enum_type(OrderStatus))
    urgency: Urgency = Field(default=Urgency.normal, sa_type=enum_type(Urgency))
    channel: Channel = Field(default=Channel.phone, sa_type=enum_type(Channel), index=True)
    customer_id: int | None = Field(default=None, foreign_key="customer.id", index=True)
    caller_name: str = Field(default="", max_length=100)
    caller_phone: str = Field(default="", max_length=32)
    address: str = Field(default="", max_length=300)
    description: str = Field(default="", sa_type=Text)
    grid_id: int | None = Field(default=None, foreign_key="grid.id")
    transformer_area_id: int | None = Field(
        default=None, foreign_key="transformer_area.id", index=True
    )
    assignee_id: int | None = Field(default=None, foreign_key="staff.id")
    outage_id: int | None = Field(default=None, foreign_key="outage.id", index=True)
    merged_into_id: int | None = Field(default=None, foreign_key="work_order.id")
    received_at: dt.datetime = Field(sa_type=DateTime, default_factory=now, index=True)
    dispatched_at: dt.datetime | None = Field(default=None, sa_type=DateTime)
    contacted_at: dt.datetime | None = Field(default=None, sa_type=DateTime)
    arrived_at: dt.datetime | None = Field(default=None, sa_type=DateTime)
    resolved_at: dt.datetime | None = Field(default=None, sa_type=DateTime)
    called_back_at: dt.datetime | None = Field(default=None, sa_type=DateTime)
    closed_at: dt.datetime | None = Field(default=None, sa_type=DateTime)
    contact_due: dt.datetime | None = Field(default=None, sa_type=DateTime)
    arrival_due: dt.datetime | None = Field(default=None, sa_type=DateTime)
    resolve_due: dt.datetime = Field(sa_type=DateTime)
    satisfaction: int | None = Field(default=None, ge=1, le=5)
    callback_note: str = Field(default="", sa_type=Text)
    resolution: str = Field(default="", sa_type=Text)
    cancel_reason: str = Field(default="", max_length=200)
    created_by: int | None = Field(default=None, foreign_key="app_user.id")
    updated_at: dt.datetime = Field(sa_type=DateTime, default_factory=now)
    version: int = Field(default=1)
    # The limit running now (contact → arrival → resolve), computed by the
    # database so that lists sort and filter on it through an index; the rule
    # is domain.order_states.current_deadline. Never written.
    next_due: dt.datetime | None = Field(
        default=None, sa_column=Column(DateTime, Computed(NEXT_DUE_SQL))
    )


class WorkOrderEvent(SQLModel, table=True):
    """One step in a work order's history: who did what, when."""

    __tablename__ = "work_order_event"
    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="work_order.id", index=True)
    at: dt.datetime = Field(sa_type=DateTime, default_factory=now)
    user_id: int | None = Field(default=None, foreign_key="app_user.id")
    kind: str = Field(max_length=32)  # created, transition, assign, note, merge, callback
    from_status: OrderStatus | None = Field(default=None, sa_type=enum_type(OrderStatus))
    to_status: OrderStatus | None = Field(default=None, sa_type=enum_type(OrderStatus))
    assignee_id: int | None = Field(default=None, foreign_key="staff.id")
    note: str = Field(default="", sa_type=Text)


# --------------------------------------------------------------------------- outages


class Outage(SQLModel, table=True):
    """An outage event (停电): planned, temporary maintenance or fault."""

    __tablename__ = "outage"
    id: int | None = Field(default=None, primary_key=True)
    kind: OutageKind = Field(sa_type=enum_type(OutageKind))
    status: OutageStatus = Field(default=OutageStatus.announced, sa_type=enum_type(OutageStatus))
    reason: str = Field(default="", max_length=300)
    planned_start: dt.datetime = Field(sa_type=DateTime, index=True)
    planned_end: dt.datetime = Field(sa_type=DateTime)
    actual_start: dt.datetime | None = Field(default=None, sa_type=DateTime)
    actual_end: dt.datetime | None = Field(default=None, sa_type=DateTime)
    announced_at: dt.datetime = Field(sa_type=DateTime, default_factory=now)
    announced_by: int | None = Field(default=None, foreign_key="app_user.id")
    late_notice_reason: str = Field(default="", max_length=300)
    cancel_reason: str = Field(default="", max_length=300)
    version: int = Field(default=1)


class OutageScope(SQLModel, table=True):
    """One piece of an outage's scope: a whole feeder or a single transformer area."""

    __tablename__ = "outage_scope"
    __table_args__ = (
        CheckConstraint(
            "(feeder_id IS NULL) <> (transformer_area_id IS NULL)", name="ck_outage_scope_one"
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    outage_id: int = Field(foreign_key="outage.id", index=True)
    feeder_id: int | None = Field(default=None, foreign_key="feeder.id", index=True)
    transformer_area_id: int | None = Field(
        default=None, foreign_key="transformer_area.id", index=True
    )


class OutageNotification(SQLModel, table=True):
    """Who was (or is still to be) told about an outage, how and when."""

    __tablename__ = "outage_notification"
    id: int | None = Field(default=None, primary_key=True)
    outage_id: int = Field(foreign_key="outage.id", index=True)
    kind: str = Field(default="notice", max_length=16)  # notice | restoration
    contact_id: int | None = Field(default=None, foreign_key="contact.id")
    staff_id: int | None = Field(default=None, foreign_key="staff.id")
    channel: NotifyChannel = Field(default=NotifyChannel.wechat, sa_type=enum_type(NotifyChannel))
    message: str = Field(default="", sa_type=Text)
    sent_at: dt.datetime | None = Field(default=None, sa_type=DateTime)
    user_id: int | None = Field(default=None, foreign_key="app_user.id")


# --------------------------------------------------------------------------- fees


class Arrears(SQLModel, table=True):
    """One month's unpaid bill (欠费) of one customer, as the arrears ledger last said."""

    __tablename__ = "arrears"
    __table_args__ = (UniqueConstraint("customer_id", "month", name="uq_arrears_customer_month"),)
    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    month: str = Field(max_length=6)  # YYYYMM
    amount_fen: int
    ledger_late_fee_fen: int = Field(default=0)
    status: ArrearsStatus = Field(default=ArrearsStatus.open, sa_type=enum_type(ArrearsStatus))
    first_seen: dt.date
    last_seen: dt.date
    paid_on: dt.date | None = None
    promised_on: dt.date | None = None
    collector_id: int | None = Field(default=None, foreign_key="staff.id")
    version: int = Field(default=1)


class ArrearsChange(SQLModel, table=True):
    """What an arrears ledger changed: kind "amount" (the amount changed), "paid"
    (the arrear was no longer in the ledger: paid on `at`) or "reopened" (a paid
    arrear is back in the ledger). Amounts are the ones before and after."""

    __tablename__ = "arrears_change"
    id: int | None = Field(default=None, primary_key=True)
    arrears_id: int = Field(foreign_key="arrears.id", index=True)
    kind: str = Field(
        default="amount", max_length=16, sa_column_kwargs={"server_default": "amount"}
    )
    at: dt.date
    old_amount_fen: int
    new_amount_fen: int
    import_batch_id: int | None = Field(default=None, foreign_key="import_batch.id")


class CollectionAction(SQLModel, table=True):
    """A reminder, notice, cut-off or payment recorded by a collector."""

    __tablename__ = "collection_action"
    id: int | None = Field(default=None, primary_key=True)
    arrears_id: int = Field(foreign_key="arrears.id", index=True)
    kind: CollectionKind = Field(sa_type=enum_type(CollectionKind))
    at: dt.datetime = Field(sa_type=DateTime, default_factory=now)
    user_id: int | None = Field(default=None, foreign_key="app_user.id")
    result: str = Field(default="", max_length=300)
    promised_on: dt.date | None = None
    note: str = Field(default="", sa_type=Text)


# --------------------------------------------------------------------------- trust


class AppUser(SQLModel, table=True):
    """A local sign-in account, linked to a roster entry."""

    __tablename__ = "app_user"
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=50, unique=True)
    display_name: str = Field(default="", max_length=50)
    staff_id: int | None = Field(default=None, foreign_key="staff.id")
    role: Role = Field(default=Role.staff, sa_type=enum_type(Role))
    password_hash: str = Field(default="", max_length=200)
    active: bool = Field(default=True)
    failed_logins: int = Field(default=0)
    locked_until: dt.datetime | None = Field(default=None, sa_type=DateTime)
    created_at: dt.datetime = Field(sa_type=DateTime, default_factory=now)
    last_login: dt.datetime | None = Field(default=None, sa_type=DateTime)


class AuditLog(SQLModel, table=True):
    """Append-only trail; each row carries the hash of the one before."""

    __tablename__ = "audit_log"
    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime = Field(sa_type=DateTime, default_factory=now, index=True)
    user_id: int | None = Field(default=None)
    username: str = Field(default="", max_length=50)
    action: str = Field(max_length=32, index=True)
    entity: str = Field(default="", max_length=50)
    entity_id: str = Field(default="", max_length=64)
    before_json: str = Field(default="", sa_type=Text)
    after_json: str = Field(default="", sa_type=Text)
    prev_hash: str = Field(default="", max_length=64)
    hash: str = Field(default="", max_length=64)


class ImportBatch(SQLModel, table=True):
    """One ledger import: file, who, when, counts; undoable."""

    __tablename__ = "import_batch"
    id: int | None = Field(default=None, primary_key=True)
    kind: LedgerKind = Field(sa_type=enum_type(LedgerKind))
    file_name: str = Field(max_length=300)
    file_hash: str = Field(max_length=64)
    user_id: int | None = Field(default=None, foreign_key="app_user.id")
    started_at: dt.datetime = Field(sa_type=DateTime, default_factory=now)
    finished_at: dt.datetime | None = Field(default=None, sa_type=DateTime)
    created: int = Field(default=0)
    changed: int = Field(default=0)
    unchanged: int = Field(default=0)
    refused: int = Field(default=0)
    undone_at: dt.datetime | None = Field(default=None, sa_type=DateTime)


class ImportChange(SQLModel, table=True):
    """What one import did to one row, so that the import can be undone exactly."""

    __tablename__ = "import_change"
    id: int | None = Field(default=None, primary_key=True)
    batch_id: int = Field(foreign_key="import_batch.id", index=True)
    entity: str = Field(max_length=50)
    entity_id: int
    op: str = Field(max_length=8)  # create | update
    before_json: str = Field(default="", sa_type=Text)


# --------------------------------------------------------------------------- assistant


class AnswerTemplate(SQLModel, table=True):
    """One standard answer of the call assistant's library (标准答复), with
    placeholders such as {户名} filled from the customer's data
    (domain/templates.py). Seeded from domain/answer_library.py; leads edit it.
    Retired answers are kept (active = False): calls name them by key."""

    __tablename__ = "answer_template"
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=32, unique=True)
    title: str = Field(max_length=100)
    category: str = Field(default="", max_length=32)
    body: str = Field(default="", sa_type=Text)
    sort_order: int = Field(default=0)
    active: bool = Field(default=True)
    updated_by: str = Field(default="", max_length=50)
    updated_at: dt.datetime = Field(sa_type=DateTime, default_factory=now)
    version: int = Field(default=1)


def table_names() -> list[str]:
    return sorted(SQLModel.metadata.tables)


# Columns computed from others; never audited or exported.
DERIVED_COLUMNS = frozenset(
    {"search_name", "search_address", "phone_digits", "phone_rev", "next_due"}
)


def row_dict(obj: SQLModel) -> dict[str, Any]:
    """Plain JSON-ready dict of a row (derived columns left out), for the audit trail."""
    out: dict[str, Any] = {}
    for key, value in obj.model_dump().items():
        if key in DERIVED_COLUMNS:
            continue
        if isinstance(value, dt.datetime | dt.date):
            out[key] = value.isoformat()
        elif isinstance(value, Enum):
            out[key] = value.value
        else:
            out[key] = value
    return out


def customer_derived(name: str, address: str, phone: str) -> dict[str, str]:
    """The derived search columns of a customer, for bulk (Core) writes."""
    digits = "".join(c for c in phone if c.isdigit())
    return {
        "search_name": search_chars(name),
        "search_address": search_chars(address),
        "phone_digits": digits,
        "phone_rev": digits[::-1],
    }


@event.listens_for(Customer, "before_insert")
@event.listens_for(Customer, "before_update")
def _customer_fill_derived(_mapper: Any, _conn: Any, target: Customer) -> None:
    for key, value in customer_derived(target.name, target.address, target.phone).items():
        setattr(target, key, value)
