"""Calls (来电/去电): logged with channel, direction, category and summary, the
clock stopped when the talk ends; linked to a customer (now or later), and
turned into a work order or attached to an open order or an outage.

A call may be saved while it is still going on (so that an order can be taken
from it at once) and stopped later; `stop_call` records the end and duration.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from gridsvc_desktop.db.models import Call, Customer, Outage, WorkOrder, WorkOrderEvent, now
from gridsvc_desktop.domain import normalize
from gridsvc_desktop.domain.enums import (
    CallDirection,
    Channel,
    CustomerCategory,
    OrderStatus,
    OrderSubtype,
    OrderType,
    OutageKind,
    OutageStatus,
    Urgency,
)
from gridsvc_desktop.domain.order_states import OPEN_STATUSES, subtypes_for
from gridsvc_desktop.domain.outage_rules import is_active
from gridsvc_desktop.services import audit, work_orders
from gridsvc_desktop.services.actor import Actor, Permission
from gridsvc_desktop.services.common import InvalidInput, NotFound, apply_update

__all__ = [
    "CallInOutage",
    "CallInput",
    "CallRow",
    "attach_to_order",
    "attach_to_outage",
    "calls_between",
    "link_customer",
    "log_call",
    "order_from_call",
    "prefill_order",
    "stop_call",
    "unlinked_calls",
    "update_call",
]

#: A call longer than this is taken for a clock left running, not a real talk.
MAX_DURATION = dt.timedelta(hours=4)
ACTIVE_OUTAGES = (OutageStatus.announced, OutageStatus.in_progress)


class CallInOutage(InvalidInput):
    """A repair call from an area that an outage has switched off: the call goes
    with the outage, no new fault order is taken (`order_from_call`)."""

    def __init__(self, message: str, outage_id: int) -> None:
        super().__init__(message, "outage_id")
        self.outage_id = outage_id


def _outage_for(session: Session, customer_id: int | None, at: dt.datetime) -> Outage | None:
    """The active outage (in progress, or announced and due at `at`) over the
    customer's transformer area, if any."""
    from gridsvc_desktop.services import outages  # outages → work_orders → calls

    if customer_id is None:
        return None
    found = outages.active_outages_for_customer(session, customer_id, at)
    return found[0] if found else None


def _link_outage(session: Session, actor: Actor, call: Call) -> None:
    """A repair call from a customer in an active outage is linked to the outage."""
    if call.outage_id is not None or call.category != OrderType.repair:
        return
    outage = _outage_for(session, call.customer_id, call.started_at)
    if outage is not None:
        _set(session, actor, call, {"outage_id": outage.id})


@dataclass
class CallInput:
    """A call as the desk logs it."""

    direction: CallDirection = CallDirection.inbound
    channel: Channel = Channel.phone
    phone: str = ""
    caller_name: str = ""
    customer_id: int | None = None
    category: OrderType | None = None
    summary: str = ""
    #: When the talk began (the clock's start); now when None.
    started_at: dt.datetime | None = None
    #: When the clock stopped; None while the call goes on.
    ended_at: dt.datetime | None = None


def _clean_phone(text: str) -> str:
    """A caller's number as normalised as it can be; kept as typed (digits, +, -)
    when it is no phone we know the shape of (95598, a short extension…)."""
    text = normalize.clean_text(text)
    if not text:
        return ""
    try:
        return normalize.phone(text)
    except normalize.NormalizeError:
        kept = "".join(ch for ch in text if ch.isdigit() or ch in "+-")
        if not kept:
            raise InvalidInput(f"电话号码“{text}”无法识别。", "phone") from None
        return kept[:32]


def _duration(started: dt.datetime, ended: dt.datetime | None) -> int | None:
    if ended is None:
        return None
    if ended < started:
        raise InvalidInput("结束时间不能早于开始时间。", "ended_at")
    if ended - started > MAX_DURATION:
        raise InvalidInput("通话时长超过 4 小时，请检查开始和结束时间。", "ended_at")
    return int((ended - started).total_seconds())


def log_call(*, session: Session, actor: Actor, data: CallInput) -> Call:
    """Log a call. A caller we cannot match is logged without a customer (phone
    and name as given) and linked later with `link_customer`."""
    actor.require(Permission.edit)
    started = (data.started_at or now()).replace(microsecond=0)
    if started > now() + work_orders.CLOCK_SLACK:
        raise InvalidInput("来电时间不能晚于现在。", "started_at")
    ended = data.ended_at.replace(microsecond=0) if data.ended_at else None
    customer = None
    if data.customer_id is not None:
        customer = session.get(Customer, data.customer_id)
        if customer is None:
            raise NotFound(f"找不到客户（{data.customer_id}）。")
    phone = _clean_phone(data.phone) or (customer.phone if customer else "")
    name = normalize.clean_text(data.caller_name) or (customer.name if customer else "")
    if not phone and customer is None and not name:
        raise InvalidInput("请填写来电号码或来电人。", "phone")
    call = Call(
        started_at=started,
        ended_at=ended,
        duration_s=_duration(started, ended),
        direction=CallDirection(data.direction),
        channel=Channel(data.channel),
        phone=phone,
        caller_name=name[:100],
        customer_id=customer.id if customer else None,
        category=OrderType(data.category) if data.category else None,
        summary=data.summary.strip(),
        user_id=actor.user_id,
    )
    if call.category == OrderType.repair:  # the caller's area is off: the call goes with the outage
        outage = _outage_for(session, call.customer_id, started)
        call.outage_id = outage.id if outage is not None else None
    session.add(call)
    session.flush()
    audit.record(session, actor, "create", "call", call.id, after=call)
    return call


def _load(session: Session, call_id: int) -> Call:
    call = session.get(Call, call_id)
    if call is None:
        raise NotFound(f"找不到来电记录（{call_id}）。")
    return call


def _set(session: Session, actor: Actor, call: Call, changes: dict[str, object]) -> Call:
    apply_update(session, actor, call, changes, entity="call")
    return call


def stop_call(
    *, session: Session, actor: Actor, call_id: int, ended_at: dt.datetime | None = None
) -> Call:
    """Stop the clock: the end time and the duration."""
    actor.require(Permission.edit)
    call = _load(session, call_id)
    if call.ended_at is not None:
        raise InvalidInput("这条来电已结束计时。", "ended_at")
    ended = (ended_at or now()).replace(microsecond=0)
    return _set(
        session, actor, call, {"ended_at": ended, "duration_s": _duration(call.started_at, ended)}
    )


def update_call(
    *,
    session: Session,
    actor: Actor,
    call_id: int,
    channel: Channel | None = None,
    direction: CallDirection | None = None,
    category: OrderType | None = None,
    summary: str | None = None,
    caller_name: str | None = None,
    phone: str | None = None,
) -> Call:
    """Correct what was logged (the summary grows as the talk goes on)."""
    actor.require(Permission.edit)
    call = _load(session, call_id)
    changes: dict[str, object] = {}
    if channel is not None:
        changes["channel"] = Channel(channel)
    if direction is not None:
        changes["direction"] = CallDirection(direction)
    if category is not None:
        changes["category"] = OrderType(category)
    if summary is not None:
        changes["summary"] = summary.strip()
    if caller_name is not None:
        changes["caller_name"] = normalize.clean_text(caller_name)[:100]
    if phone is not None:
        changes["phone"] = _clean_phone(phone)
    _set(session, actor, call, changes)
    _link_outage(session, actor, call)
    return call


def link_customer(*, session: Session, actor: Actor, call_id: int, customer_id: int) -> Call:
    """Link a call logged without a customer (an unknown caller) to one, later."""
    actor.require(Permission.edit)
    call = _load(session, call_id)
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise NotFound(f"找不到客户（{customer_id}）。")
    changes: dict[str, object] = {"customer_id": customer_id}
    if not call.caller_name:
        changes["caller_name"] = customer.name
    if call.work_order_id is not None:  # the order taken from it belongs to the customer too
        order = session.get(WorkOrder, call.work_order_id)
        if order is not None and order.customer_id is None:
            apply_update(session, actor, order, {"customer_id": customer_id}, entity="work_order")
    _set(session, actor, call, changes)
    _link_outage(session, actor, call)
    return call


def attach_to_order(
    *, session: Session, actor: Actor, call_id: int, order_id: int, note: str = ""
) -> Call:
    """This call is about an order already open (a caller chasing it, a second
    call about the same fault): link it and say so in the order's history."""
    actor.require(Permission.edit)
    call = _load(session, call_id)
    order = session.get(WorkOrder, order_id)
    if order is None:
        raise NotFound(f"找不到工单（{order_id}）。")
    if order.status == OrderStatus.merged and order.merged_into_id is not None:
        order = session.get(WorkOrder, order.merged_into_id) or order
    if call.work_order_id == order.id:
        return call
    if call.work_order_id is not None:
        raise InvalidInput("这条来电已关联到其他工单。", "work_order_id")
    _set(session, actor, call, {"work_order_id": order.id})
    who = call.caller_name or call.phone or "来电人"
    text = f"{call.direction.label}：{who}" + (f"，{call.summary}" if call.summary else "")
    if note.strip():
        text += f"。{note.strip()}"
    assert order.id is not None
    session.add(
        WorkOrderEvent(
            order_id=order.id, at=call.started_at, user_id=actor.user_id, kind="note", note=text
        )
    )
    return call


def attach_to_outage(*, session: Session, actor: Actor, call_id: int, outage_id: int) -> Call:
    """The caller reports (or asks about) an outage already known: link the call
    to it instead of opening a repair order."""
    actor.require(Permission.edit)
    call = _load(session, call_id)
    outage = session.get(Outage, outage_id)
    if outage is None:
        raise NotFound(f"找不到停电事件（{outage_id}）。")
    if outage.status not in ACTIVE_OUTAGES:
        raise InvalidInput(f"该停电已{outage.status.label}。", "outage_id")
    return _set(session, actor, call, {"outage_id": outage_id})


def prefill_order(session: Session, call_id: int) -> work_orders.OrderInput:
    """A new order as the call and its customer fill it: type from the call's
    category (咨询 when none), channel, caller, phone, address, the summary as
    the description, received when the call began."""
    call = _load(session, call_id)
    customer = session.get(Customer, call.customer_id) if call.customer_id else None
    order_type = OrderType(call.category) if call.category else OrderType.inquiry
    subtype = subtypes_for(order_type)[0]
    if order_type is OrderType.new_connection and customer is not None:
        residential = customer.category == CustomerCategory.residential
        subtype = (
            OrderSubtype.new_connection_residential
            if residential
            else OrderSubtype.new_connection_low_voltage
        )
    urgent = order_type in (OrderType.repair, OrderType.complaint)
    return work_orders.OrderInput(
        type=order_type,
        subtype=subtype,
        channel=Channel(call.channel),
        urgency=Urgency.urgent if urgent else Urgency.normal,
        customer_id=customer.id if customer else None,
        caller_name=call.caller_name or (customer.name if customer else ""),
        caller_phone=call.phone or (customer.phone if customer else ""),
        address=customer.address if customer else "",
        description=call.summary,
        received_at=call.started_at,
    )


def order_from_call(
    *,
    session: Session,
    actor: Actor,
    call_id: int,
    data: work_orders.OrderInput | None = None,
    dispatch_now: bool = False,
    despite_outage: bool = False,
) -> WorkOrder:
    """One action: a work order from the call (prefilled unless `data` is
    given), routed, its clock running from the call's start, the call linked.

    A repair order is refused (CallInOutage) when the customer's area is in an
    active outage: the call is linked to the outage (`log_call` does it for a
    repair call) and no fault order is opened, unless `despite_outage` (a fault
    inside the customer's own installation, say)."""
    data = data or prefill_order(session, call_id)
    if OrderType(data.type) is OrderType.repair and not despite_outage:
        call = _load(session, call_id)
        outage = (
            session.get(Outage, call.outage_id)
            if call.outage_id is not None
            else _outage_for(session, data.customer_id or call.customer_id, call.started_at)
        )
        if outage is not None and is_active(
            outage.status, outage.planned_start, outage.planned_end, call.started_at
        ):
            raise CallInOutage(
                f"客户所在台区正在{OutageKind(outage.kind).label}（{outage.reason}，"
                f"预计 {outage.planned_end:%m-%d %H:%M} 恢复），来电"
                f"{'已' if call.outage_id == outage.id else '请'}关联到该停电，不再新建故障报修工单。",
                outage.id,  # type: ignore[arg-type]
            )
    order = work_orders.create_order(
        session=session, actor=actor, data=data, call_id=call_id, dispatch_now=dispatch_now
    )
    call = _load(session, call_id)
    if call.customer_id is None and order.customer_id is not None:
        _set(session, actor, call, {"customer_id": order.customer_id})
    return order


# --------------------------------------------------------------------------- lists


@dataclass(frozen=True)
class CallRow:
    """One line of a call list."""

    id: int
    started_at: dt.datetime
    ended_at: dt.datetime | None
    duration_s: int | None
    direction: CallDirection
    channel: Channel
    phone: str
    caller_name: str
    customer_id: int | None
    account_no: str
    customer_name: str
    category: OrderType | None
    summary: str
    order_id: int | None
    order_number: str
    outage_id: int | None


def _rows(session: Session, *conds: object, limit: int) -> list[CallRow]:
    customer = Customer.__table__.alias("c")  # type: ignore[attr-defined]
    order = WorkOrder.__table__.alias("o")  # type: ignore[attr-defined]
    stmt = (
        select(
            Call,
            customer.c.account_no,
            customer.c.name,
            order.c.number,
        )
        .outerjoin(customer, customer.c.id == col(Call.customer_id))
        .outerjoin(order, order.c.id == col(Call.work_order_id))
        .where(*conds)  # type: ignore[arg-type]
        .order_by(col(Call.started_at).desc(), col(Call.id).desc())
        .limit(limit)
    )
    out = []
    for call, account_no, customer_name, number in session.execute(stmt).all():
        assert call.id is not None
        out.append(
            CallRow(
                call.id, call.started_at, call.ended_at, call.duration_s,
                CallDirection(call.direction), Channel(call.channel), call.phone,
                call.caller_name, call.customer_id, account_no or "", customer_name or "",
                OrderType(call.category) if call.category else None, call.summary,
                call.work_order_id, number or "", call.outage_id,
            )
        )  # fmt: skip
    return out


def calls_between(
    session: Session, start: dt.datetime, end: dt.datetime, *, limit: int = 500
) -> list[CallRow]:
    """Calls that began in [start, end), the latest first."""
    return _rows(session, col(Call.started_at) >= start, col(Call.started_at) < end, limit=limit)


def unlinked_calls(session: Session, *, since: dt.datetime, limit: int = 200) -> list[CallRow]:
    """Calls logged without a customer since `since`, to be linked later."""
    return _rows(
        session, col(Call.customer_id).is_(None), col(Call.started_at) >= since, limit=limit
    )


def open_orders_of_customer(session: Session, customer_id: int) -> list[WorkOrder]:
    """Open orders of a customer (to attach a call to), the nearest deadline first."""
    return list(
        session.execute(
            select(WorkOrder)
            .where(
                WorkOrder.customer_id == customer_id,
                col(WorkOrder.status).in_(OPEN_STATUSES),
            )
            .order_by(col(WorkOrder.next_due))
        ).scalars()
    )


def count_calls(session: Session, start: dt.datetime, end: dt.datetime) -> int:
    return int(
        session.execute(
            select(func.count())
            .select_from(Call)
            .where(col(Call.started_at) >= start, col(Call.started_at) < end)
        ).scalar_one()
    )
