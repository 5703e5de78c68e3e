"""Work orders (工单): created routed and with the statutory clock running, moved
through the lifecycle, reassigned, merged, called back; the list; the export.

Every change goes through one path (`_change`): the lifecycle check
(`domain.order_states`), the optimistic-lock check against the version the
user's screen was showing, the columns, the version bump, the audit row and a
`WorkOrderEvent` (who, when, from → to, assignee, note), all in the caller's
transaction. A save based on a stale version is refused with `OrderConflict`,
whose message lists what the other person changed (from the audit trail) and
nothing of ours is written.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, and_, func, literal, literal_column, or_, tuple_
from sqlmodel import Session, col, select

from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.db.errors import ConcurrentEdit
from gridsvc_desktop.db.models import (
    AppUser,
    AuditLog,
    Call,
    Customer,
    Grid,
    Staff,
    Station,
    TransformerArea,
    WorkOrder,
    WorkOrderEvent,
    now,
)
from gridsvc_desktop.domain import normalize, order_states
from gridsvc_desktop.domain.enums import (
    CallDirection,
    Channel,
    OrderStatus,
    OrderSubtype,
    OrderType,
    Urgency,
)
from gridsvc_desktop.domain.order_states import (
    OPEN_STATUSES,
    STAMP_COLUMN,
    address_key,
    allowed_targets,
    current_deadline,
    subtypes_for,
)
from gridsvc_desktop.services import audit, routing
from gridsvc_desktop.services.actor import Actor, Permission
from gridsvc_desktop.services.common import InvalidInput, NotFound, apply_update
from gridsvc_desktop.services.progress import NullProgress, Progress, checkpoint
from gridsvc_desktop.services.search import search_customers
from gridsvc_desktop.services.sla_policy import duplicate_window_minutes, load_policy

__all__ = [
    "CallbackTarget",
    "CallerFeedback",
    "Duplicate",
    "ExportColumn",
    "FieldChange",
    "ListPlan",
    "OrderConflict",
    "OrderDetail",
    "OrderEdit",
    "OrderFilter",
    "OrderInput",
    "OrderRow",
    "SortKey",
    "TransitionRefused",
    "add_note",
    "call_back",
    "callback_targets",
    "cancel",
    "close",
    "count_orders",
    "create_order",
    "dispatch",
    "duplicates_for",
    "export_orders",
    "find_duplicates",
    "find_grid",
    "format_orders",
    "iter_orders",
    "list_orders",
    "mark_on_site",
    "merge_orders",
    "order_detail",
    "order_row",
    "plan_orders",
    "reassign",
    "record_contact",
    "resolve",
    "update_order",
]

S = OrderStatus
#: How far ahead of this PC's clock a reported time may lie (clocks differ a little).
CLOCK_SLACK = dt.timedelta(minutes=5)

FIELD_LABELS: dict[str, str] = {
    "status": "状态",
    "assignee_id": "处理人",
    "dispatched_at": "派单时间",
    "contacted_at": "联系客户时间",
    "arrived_at": "到场时间",
    "resolved_at": "办结时间",
    "called_back_at": "回访时间",
    "closed_at": "归档时间",
    "satisfaction": "满意度",
    "callback_note": "回访记录",
    "resolution": "处理结果",
    "cancel_reason": "撤销原因",
    "merged_into_id": "合并到",
    "urgency": "紧急程度",
    "caller_name": "来电人",
    "caller_phone": "联系电话",
    "address": "地址",
    "description": "诉求内容",
    "external_no": "95598工单号",
    "grid_id": "网格",
    "transformer_area_id": "台区",
    "customer_id": "客户",
    "type": "工单类型",
    "subtype": "子类型",
    "channel": "受理渠道",
}
_NOT_SHOWN = {"version", "updated_at", "id"}


# =========================================================================== errors


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    old: str
    new: str


class OrderConflict(ConcurrentEdit):
    """Someone saved the order after the user opened it; nothing was written.

    `changes` lists what they changed (field, old → new), `by` and `at` who and
    when last; the message says all of it for the user.
    """

    def __init__(
        self, message: str, *, changes: Sequence[FieldChange] = (), by: str = "", at: str = ""
    ) -> None:
        super().__init__(message)
        self.changes = list(changes)
        self.by = by
        self.at = at


class TransitionRefused(InvalidInput, order_states.TransitionRefused):
    """A step the lifecycle does not allow now (message for the user)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, "status")


def check_transition(current: OrderStatus | str, target: OrderStatus | str) -> None:
    try:
        order_states.check_transition(current, target)
    except order_states.TransitionRefused as exc:
        raise TransitionRefused(str(exc)) from None


# =========================================================================== input


@dataclass
class OrderInput:
    """A new order as the desk fills it in (prefilled from the customer and the call)."""

    type: OrderType
    subtype: OrderSubtype = OrderSubtype.none
    channel: Channel = Channel.phone
    urgency: Urgency = Urgency.normal
    customer_id: int | None = None
    caller_name: str = ""
    caller_phone: str = ""
    address: str = ""
    description: str = ""
    transformer_area_id: int | None = None
    external_no: str = ""
    #: When the request came in (the call's start); the statutory clock runs from here.
    received_at: dt.datetime | None = None


@dataclass
class OrderEdit:
    """The fields of an open order that can be corrected after it was taken."""

    urgency: Urgency
    caller_name: str
    caller_phone: str
    address: str
    description: str
    external_no: str = ""


def free_text(value: str) -> str:
    """What someone wrote (a request, a resolution, a reason): trimmed, line
    ends unified, kept as typed otherwise. Unlike clean_text it does not fold
    full-width punctuation (，。：) to ASCII, which Chinese text is made of."""
    lines = [line.rstrip() for line in value.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return "\n".join(lines).strip()


def _phone(text: str, field_name: str) -> str:
    text = normalize.clean_text(text)
    if not text:
        return ""
    try:
        return normalize.phone(text)
    except normalize.NormalizeError as exc:
        raise InvalidInput(f"联系电话：{exc}", field_name) from exc


def _external_no(session: Session, text: str, own_id: int | None = None) -> str | None:
    value = normalize.clean_text(text).replace(" ", "")
    if not value:
        return None
    other = session.execute(
        select(col(WorkOrder.id), col(WorkOrder.number)).where(WorkOrder.external_no == value)
    ).first()
    if other is not None and other[0] != own_id:
        raise InvalidInput(f"95598工单号“{value}”已登记在工单 {other[1]}。", "external_no")
    return value


def _next_number(session: Session, day: dt.date) -> str:
    """GD + date + a four-digit running number of that day (the demo's scheme)."""
    prefix = f"GD{day:%Y%m%d}"
    last = session.execute(
        select(func.max(col(WorkOrder.number))).where(
            col(WorkOrder.number) >= prefix, col(WorkOrder.number) < prefix + "\x7f"
        )
    ).scalar()
    seq = int(last[len(prefix) :]) + 1 if last and last[len(prefix) :].isdigit() else 1
    return f"{prefix}{seq:04d}"


# =========================================================================== create


def create_order(
    *,
    session: Session,
    actor: Actor,
    data: OrderInput,
    call_id: int | None = None,
    dispatch_now: bool = False,
    at: dt.datetime | None = None,
) -> WorkOrder:
    """Take a new order: routed to a grid and a person, its time limits set from
    the SLA policy, linked to the call it came from; dispatched at once to the
    routed person with `dispatch_now`."""
    actor.require(Permission.edit)
    moment = at or now()
    order_type, subtype = OrderType(data.type), OrderSubtype(data.subtype)
    if subtype not in subtypes_for(order_type):
        raise InvalidInput(f"“{order_type.label}”工单没有“{subtype.label}”子类型。", "subtype")
    description = free_text(data.description)
    if not description:
        raise InvalidInput("请填写诉求内容。", "description")
    customer = None
    if data.customer_id is not None:
        customer = session.get(Customer, data.customer_id)
        if customer is None:
            raise NotFound(f"找不到客户（{data.customer_id}）。")
    call = None
    if call_id is not None:
        call = session.get(Call, call_id)
        if call is None:
            raise NotFound(f"找不到来电记录（{call_id}）。")
        if call.work_order_id is not None:
            raise InvalidInput("这条来电已关联到其他工单。", "call_id")
    received = data.received_at or (call.started_at if call is not None else moment)
    if received > moment + CLOCK_SLACK:
        raise InvalidInput("受理时间不能晚于现在。", "received_at")
    caller_name = normalize.clean_text(data.caller_name) or (customer.name if customer else "")
    caller_phone = _phone(data.caller_phone, "caller_phone") or (customer.phone if customer else "")
    address = normalize.clean_text(data.address) or (customer.address if customer else "")

    route = routing.route_order(
        session,
        order_type=order_type,
        subtype=subtype,
        customer_id=customer.id if customer else None,
        transformer_area_id=data.transformer_area_id,
        on=moment.date(),
    )
    due = load_policy(session).deadlines(order_type, subtype, route.area_class, received)
    order = WorkOrder(
        number=_next_number(session, received.date()),
        external_no=_external_no(session, data.external_no),
        type=order_type,
        subtype=subtype,
        status=S.new,
        urgency=Urgency(data.urgency),
        channel=Channel(data.channel),
        customer_id=customer.id if customer else None,
        caller_name=caller_name,
        caller_phone=caller_phone,
        address=address,
        description=description,
        grid_id=route.grid_id,
        transformer_area_id=route.transformer_area_id,
        assignee_id=route.assignee_id,
        received_at=received,
        contact_due=due.contact_due,
        arrival_due=due.arrival_due,
        resolve_due=due.resolve_due,
        created_by=actor.user_id,
        updated_at=moment,
    )
    session.add(order)
    session.flush()
    assert order.id is not None
    audit.record(session, actor, "create", "work_order", order.id, after=order)
    _event(
        session, actor, order.id, "created", None, S.new, at=received,
        assignee_id=route.assignee_id, note=f"受理（{order.channel.label}）。{route.reason}",
    )  # fmt: skip
    if call is not None:
        before = {"work_order_id": None}
        call.work_order_id = order.id
        session.add(call)
        audit.record(
            session, actor, "update", "call", call.id, before=before,
            after={"work_order_id": order.id},
        )  # fmt: skip
    if dispatch_now:
        if order.assignee_id is None:
            raise InvalidInput(f"无法自动派单：{route.reason}", "assignee_id")
        dispatch(session=session, actor=actor, order_id=order.id, at=moment)
    return order


# =========================================================================== the lifecycle


def _load(session: Session, order_id: int) -> WorkOrder:
    order = session.get(WorkOrder, order_id)
    if order is None:
        raise NotFound(f"找不到工单（{order_id}）。")
    return order


def _event(
    session: Session,
    actor: Actor,
    order_id: int,
    kind: str,
    from_status: OrderStatus | None,
    to_status: OrderStatus | None,
    *,
    at: dt.datetime,
    assignee_id: int | None = None,
    note: str = "",
) -> WorkOrderEvent:
    event = WorkOrderEvent(
        order_id=order_id,
        at=at,
        user_id=actor.user_id,
        kind=kind,
        from_status=from_status,
        to_status=to_status,
        assignee_id=assignee_id,
        note=note,
    )
    session.add(event)
    return event


def _check_version(session: Session, order: WorkOrder, expected: int | None) -> None:
    if expected is None or order.version == expected:
        return
    changes, by, at = _changes_since(session, order, expected)
    lines = [f"· {c.label}：{c.old} → {c.new}" for c in changes]
    who = f"“{by}”" if by else "其他人"
    when = f"于 {at} " if at else ""
    message = (
        f"工单 {order.number} 已被{who}{when}修改（您打开的是第 {expected} 版，现在是第 "
        f"{order.version} 版），您的这次操作没有保存。"
    )
    if lines:
        message += "\n对方的改动：\n" + "\n".join(lines)
    message += "\n请查看最新内容后再操作。"
    raise OrderConflict(message, changes=changes, by=by, at=at)


def _changes_since(
    session: Session, order: WorkOrder, version: int
) -> tuple[list[FieldChange], str, str]:
    """Fields changed since `version` (first old value → current value), from the
    audit trail; who changed it last and when."""
    rows = session.execute(
        select(AuditLog)
        .where(AuditLog.entity == "work_order", AuditLog.entity_id == str(order.id))
        .order_by(col(AuditLog.id))
    ).scalars()
    first_old: dict[str, Any] = {}
    by = at = ""
    for row in rows:
        try:
            after = json.loads(row.after_json or "{}")
            before = json.loads(row.before_json or "{}")
        except ValueError:
            continue
        if not isinstance(after.get("version"), int) or after["version"] <= version:
            continue
        for key in after:
            if key not in _NOT_SHOWN and key not in first_old:
                first_old[key] = before.get(key)
        by, at = row.username, row.at.strftime("%m-%d %H:%M") if row.at else ""
    if by:
        display = session.execute(
            select(col(AppUser.display_name)).where(AppUser.username == by)
        ).scalar()
        by = display or by
    current = order.model_dump()
    rank = {key: i for i, key in enumerate(FIELD_LABELS)}
    changes = [
        FieldChange(
            key,
            FIELD_LABELS.get(key, key),
            _show(session, key, old),
            _show(session, key, current.get(key)),
        )
        for key, old in sorted(first_old.items(), key=lambda kv: rank.get(kv[0], len(rank)))
        if _show(session, key, old) != _show(session, key, current.get(key))
    ]
    return changes, by, at


def _show(session: Session, key: str, value: Any) -> str:
    """A value as the user knows it: labels for codes, names for ids, short times."""
    if value is None or value == "":
        return "—"
    enums: dict[str, type[Any]] = {
        "status": OrderStatus,
        "type": OrderType,
        "subtype": OrderSubtype,
        "urgency": Urgency,
        "channel": Channel,
    }
    if key in enums:
        try:
            return str(enums[key](value).label)
        except ValueError:
            return str(value)
    if key == "assignee_id":
        staff = session.get(Staff, value)
        return staff.name if staff else str(value)
    if key == "grid_id":
        grid = session.get(Grid, value)
        return grid.name if grid else str(value)
    if key == "merged_into_id":
        target = session.get(WorkOrder, value)
        return target.number if target else str(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%m-%d %H:%M")
    if isinstance(value, str) and key.endswith(("_at", "_due")):
        try:
            return dt.datetime.fromisoformat(value).strftime("%m-%d %H:%M")
        except ValueError:
            return value
    return str(value)


def _moment(order: WorkOrder, at: dt.datetime | None, floor: dt.datetime | None) -> dt.datetime:
    """The time a step happened: now, or a time the user reports (not before
    the order's previous step, not in the future)."""
    moment = now()
    if at is None:
        return max(moment, floor or moment)
    at = at.replace(microsecond=0)
    if at > moment + CLOCK_SLACK:
        raise InvalidInput("时间不能晚于现在。", "at")
    if floor is not None and at < floor:
        raise InvalidInput(f"时间不能早于上一步（{floor:%m-%d %H:%M}）。", "at")
    return at


def _last_step(order: WorkOrder) -> dt.datetime:
    stamps = [
        order.received_at, order.dispatched_at, order.arrived_at, order.resolved_at,
        order.called_back_at, order.closed_at,
    ]  # fmt: skip
    return max(t for t in stamps if t is not None)


def _change(
    session: Session,
    actor: Actor,
    order: WorkOrder,
    changes: dict[str, Any],
    *,
    expected_version: int | None,
    kind: str,
    at: dt.datetime,
    to_status: OrderStatus | None = None,
    assignee_id: int | None = None,
    note: str = "",
) -> WorkOrder:
    """The one way an order changes: lifecycle, version, columns, audit, event."""
    before = OrderStatus(order.status)
    if to_status is not None:
        check_transition(before, to_status)
    _check_version(session, order, expected_version)
    values = dict(changes)
    if to_status is not None:
        values["status"] = to_status
        stamp = STAMP_COLUMN.get(to_status)
        if stamp is not None:
            values[stamp] = at
    values["updated_at"] = now()
    apply_update(session, actor, order, values, entity="work_order")
    assert order.id is not None
    _event(
        session, actor, order.id, kind, before if to_status else None, to_status,
        at=at, assignee_id=assignee_id, note=note,
    )  # fmt: skip
    return order


def _active_staff(session: Session, staff_id: int) -> Staff:
    staff = session.get(Staff, staff_id)
    if staff is None:
        raise NotFound(f"找不到人员（{staff_id}）。")
    if not staff.active:
        raise InvalidInput(f"{staff.name} 已停用，不能接单。", "assignee_id")
    return staff


def dispatch(
    *,
    session: Session,
    actor: Actor,
    order_id: int,
    assignee_id: int | None = None,
    expected_version: int | None = None,
    note: str = "",
    at: dt.datetime | None = None,
) -> WorkOrder:
    """new → dispatched, to the routed person (desk staff may) or to anyone the
    lead chooses (needs the dispatch right). The created event keeps the routed
    person, this one the chosen."""
    actor.require(Permission.edit)
    order = _load(session, order_id)
    _check_version(session, order, expected_version)
    check_transition(order.status, S.dispatched)
    routed = order.assignee_id
    if assignee_id is None:
        assignee_id = routed
    if assignee_id is None:
        route = routing.route_order(
            session, order_type=order.type, subtype=order.subtype,
            customer_id=order.customer_id, transformer_area_id=order.transformer_area_id,
        )  # fmt: skip
        assignee_id = route.assignee_id
        if assignee_id is None:
            raise InvalidInput(f"请选择处理人：{route.reason}", "assignee_id")
        routed = assignee_id
    if assignee_id != routed:
        actor.require(Permission.dispatch)
    staff = _active_staff(session, assignee_id)
    text = f"派单给{staff.name}"
    if routed is not None and routed != assignee_id:
        suggested = session.get(Staff, routed)
        text += f"（系统建议{suggested.name if suggested else routed}）"
    if note.strip():
        text += f"。{note.strip()}"
    moment = _moment(order, at, order.received_at)
    return _change(
        session, actor, order, {"assignee_id": assignee_id},
        expected_version=expected_version, kind="transition", at=moment,
        to_status=S.dispatched, assignee_id=assignee_id, note=text,
    )  # fmt: skip


def mark_on_site(
    *,
    session: Session,
    actor: Actor,
    order_id: int,
    expected_version: int | None = None,
    note: str = "",
    at: dt.datetime | None = None,
) -> WorkOrder:
    """dispatched → on site (a repair's arrival stops its arrival clock)."""
    actor.require(Permission.edit)
    order = _load(session, order_id)
    _check_version(session, order, expected_version)
    check_transition(order.status, S.on_site)
    moment = _moment(order, at, order.dispatched_at or order.received_at)
    text = note.strip() or ("到达现场" if order.type == OrderType.repair else "开始处理")
    return _change(
        session, actor, order, {}, expected_version=expected_version, kind="transition",
        at=moment, to_status=S.on_site, note=text,
    )  # fmt: skip


def resolve(
    *,
    session: Session,
    actor: Actor,
    order_id: int,
    resolution: str,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> WorkOrder:
    """on site → resolved, with what was done."""
    actor.require(Permission.edit)
    order = _load(session, order_id)
    _check_version(session, order, expected_version)
    check_transition(order.status, S.resolved)
    text = free_text(resolution)
    if not text:
        raise InvalidInput("请填写处理结果。", "resolution")
    moment = _moment(order, at, order.arrived_at or order.received_at)
    return _change(
        session, actor, order, {"resolution": text}, expected_version=expected_version,
        kind="transition", at=moment, to_status=S.resolved, note=text,
    )  # fmt: skip


def close(
    *,
    session: Session,
    actor: Actor,
    order_id: int,
    expected_version: int | None = None,
    note: str = "",
    at: dt.datetime | None = None,
) -> WorkOrder:
    """called back → closed (归档)."""
    actor.require(Permission.edit)
    order = _load(session, order_id)
    _check_version(session, order, expected_version)
    check_transition(order.status, S.closed)
    moment = _moment(order, at, order.called_back_at or order.received_at)
    return _change(
        session, actor, order, {}, expected_version=expected_version, kind="transition",
        at=moment, to_status=S.closed, note=note.strip() or "归档",
    )  # fmt: skip


def cancel(
    *,
    session: Session,
    actor: Actor,
    order_id: int,
    reason: str,
    expected_version: int | None = None,
) -> WorkOrder:
    """An open order → cancelled; the lead's decision, and a reason is required."""
    actor.require(Permission.dispatch)
    order = _load(session, order_id)
    _check_version(session, order, expected_version)
    check_transition(order.status, S.cancelled)
    text = free_text(reason)
    if not text:
        raise InvalidInput("撤销工单须填写原因。", "reason")
    if len(text) > 200:
        raise InvalidInput("撤销原因不能超过 200 字。", "reason")
    return _change(
        session, actor, order, {"cancel_reason": text}, expected_version=expected_version,
        kind="transition", at=_moment(order, None, None), to_status=S.cancelled, note=text,
    )  # fmt: skip


def reassign(
    *,
    session: Session,
    actor: Actor,
    order_id: int,
    assignee_id: int,
    reason: str = "",
    expected_version: int | None = None,
) -> WorkOrder:
    """The lead gives an open order to someone else; both names stay in the history."""
    actor.require(Permission.dispatch)
    order = _load(session, order_id)
    _check_version(session, order, expected_version)
    if order.status not in OPEN_STATUSES:
        raise TransitionRefused(f"工单已{OrderStatus(order.status).label}，不能改派。")
    staff = _active_staff(session, assignee_id)
    if order.assignee_id == assignee_id:
        raise InvalidInput(f"工单已由{staff.name}处理。", "assignee_id")
    old = session.get(Staff, order.assignee_id) if order.assignee_id else None
    text = f"改派：{old.name if old else '未指定'} → {staff.name}"
    if reason.strip():
        text += f"。{free_text(reason)}"
    return _change(
        session, actor, order, {"assignee_id": assignee_id}, expected_version=expected_version,
        kind="assign", at=_moment(order, None, None), assignee_id=assignee_id, note=text,
    )  # fmt: skip


def record_contact(
    *,
    session: Session,
    actor: Actor,
    order_id: int,
    note: str = "",
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> WorkOrder:
    """The customer has been contacted (stops a complaint's one-working-day clock)."""
    actor.require(Permission.edit)
    order = _load(session, order_id)
    _check_version(session, order, expected_version)
    if order.status not in OPEN_STATUSES:
        raise TransitionRefused(f"工单已{OrderStatus(order.status).label}。")
    if order.contacted_at is not None:
        raise InvalidInput(f"已于 {order.contacted_at:%m-%d %H:%M} 联系过客户。", "contacted_at")
    moment = _moment(order, at, order.received_at)
    return _change(
        session, actor, order, {"contacted_at": moment}, expected_version=expected_version,
        kind="note", at=moment, note=free_text(note) or "已联系客户",
    )  # fmt: skip


def add_note(
    *,
    session: Session,
    actor: Actor,
    order_id: int,
    note: str,
) -> WorkOrderEvent:
    """A line in the order's history (no change to the order itself)."""
    actor.require(Permission.edit)
    order = _load(session, order_id)
    text = free_text(note)
    if not text:
        raise InvalidInput("备注不能为空。", "note")
    assert order.id is not None
    audit.record(session, actor, "note", "work_order", order.id, after={"note": text})
    return _event(session, actor, order.id, "note", None, None, at=now(), note=text)


def update_order(
    *,
    session: Session,
    actor: Actor,
    order_id: int,
    data: OrderEdit,
    expected_version: int | None = None,
) -> WorkOrder:
    """Correct the caller, address, description, urgency or 95598 number."""
    actor.require(Permission.edit)
    order = _load(session, order_id)
    _check_version(session, order, expected_version)
    if order.status in (S.closed, S.cancelled, S.merged):
        raise TransitionRefused(f"工单已{OrderStatus(order.status).label}，不能修改。")
    description = free_text(data.description)
    if not description:
        raise InvalidInput("请填写诉求内容。", "description")
    values: dict[str, Any] = {
        "urgency": Urgency(data.urgency),
        "caller_name": normalize.clean_text(data.caller_name),
        "caller_phone": _phone(data.caller_phone, "caller_phone"),
        "address": normalize.clean_text(data.address),
        "description": description,
        "external_no": _external_no(session, data.external_no, order.id),
    }
    changed = [k for k, v in values.items() if getattr(order, k) != v]
    _check_version(session, order, expected_version)
    if not changed:
        return order
    text = "修改" + "、".join(FIELD_LABELS[k] for k in changed)
    return _change(
        session, actor, order, {k: values[k] for k in changed}, expected_version=None,
        kind="edit", at=now(), note=text,
    )  # fmt: skip


# =========================================================================== duplicates


@dataclass(frozen=True)
class Duplicate:
    """An open order that may be about the same fault."""

    id: int
    number: str
    status: OrderStatus
    received_at: dt.datetime
    caller_name: str
    address: str
    description: str
    why: str  # "同一台区" / "同一地址"
    version: int


def find_duplicates(
    session: Session,
    *,
    transformer_area_id: int | None,
    address: str,
    at: dt.datetime,
    order_type: OrderType = OrderType.repair,
    exclude_id: int | None = None,
    window_minutes: int | None = None,
) -> list[Duplicate]:
    """Open orders of `order_type` received within the duplicate window of `at`
    (setting duplicate_window_minutes) on the same transformer area or at the
    same normalised address; the oldest first."""
    window = dt.timedelta(
        minutes=duplicate_window_minutes(session) if window_minutes is None else window_minutes
    )
    key = address_key(address) if address.strip() else ""
    if transformer_area_id is None and not key:
        return []
    stmt = select(WorkOrder).where(
        col(WorkOrder.received_at) >= at - window,
        col(WorkOrder.received_at) <= at + window,
        col(WorkOrder.type) == OrderType(order_type),
        col(WorkOrder.status).in_(OPEN_STATUSES),
    )
    if exclude_id is not None:
        stmt = stmt.where(col(WorkOrder.id) != exclude_id)
    out = []
    for o in session.execute(stmt.order_by(col(WorkOrder.received_at))).scalars():
        if transformer_area_id is not None and o.transformer_area_id == transformer_area_id:
            why = "同一台区"
        elif key and address_key(o.address) == key:
            why = "同一地址"
        else:
            continue
        assert o.id is not None
        out.append(
            Duplicate(
                o.id, o.number, OrderStatus(o.status), o.received_at, o.caller_name,
                o.address, o.description, why, o.version,
            )
        )  # fmt: skip
    return out


def duplicates_for(session: Session, order_id: int) -> list[Duplicate]:
    """Other open orders that may be about the same fault as this one."""
    order = _load(session, order_id)
    if order.status not in OPEN_STATUSES:
        return []
    return find_duplicates(
        session,
        transformer_area_id=order.transformer_area_id,
        address=order.address,
        at=order.received_at,
        order_type=order.type,
        exclude_id=order.id,
    )


def merge_orders(
    *,
    session: Session,
    actor: Actor,
    target_id: int,
    duplicate_id: int,
    expected_version: int | None = None,
    note: str = "",
) -> WorkOrder:
    """Fold `duplicate_id` into `target_id`: the duplicate becomes "merged" (its
    calls stay linked to it), and its callers are called back with the target's.
    Orders merged into the duplicate before follow it to the target."""
    actor.require(Permission.dispatch)
    if target_id == duplicate_id:
        raise InvalidInput("不能把工单合并到它自己。", "target_id")
    target = _load(session, target_id)
    dup = _load(session, duplicate_id)
    _check_version(session, dup, expected_version)
    if target.status not in OPEN_STATUSES:
        raise TransitionRefused(
            f"工单 {target.number} 已{OrderStatus(target.status).label}，不能再并入其他工单。"
        )
    check_transition(dup.status, S.merged)
    moment = now()
    text = f"与工单{target.number}重复，已合并"
    if note.strip():
        text += f"。{free_text(note)}"
    _change(
        session, actor, dup, {"merged_into_id": target.id}, expected_version=expected_version,
        kind="merge", at=moment, to_status=S.merged, note=text,
    )  # fmt: skip
    for child in session.execute(
        select(WorkOrder).where(WorkOrder.merged_into_id == dup.id)
    ).scalars():
        apply_update(session, actor, child, {"merged_into_id": target.id}, entity="work_order")
    caller = dup.caller_name or "来电人"
    assert target.id is not None
    _event(
        session, actor, target.id, "merge", None, None, at=moment,
        note=f"并入重复工单 {dup.number}（{caller} {dup.caller_phone}）".replace(" ）", "）"),
    )  # fmt: skip
    audit.record(session, actor, "merge", "work_order", target.id, after={"merged": dup.id})
    return target


# =========================================================================== call-back


@dataclass(frozen=True)
class CallbackTarget:
    """One person to call back about an order (its own caller, or one of a
    merged duplicate's, or someone whose call was linked to either)."""

    order_id: int
    order_number: str
    name: str
    phone: str
    customer_id: int | None
    primary: bool
    called_back: bool


@dataclass(frozen=True)
class CallerFeedback:
    """What one of the other callers said when called back (None: not reached)."""

    order_id: int
    name: str
    phone: str
    satisfaction: int | None
    note: str = ""


def _merged_ids(session: Session, order_id: int) -> list[WorkOrder]:
    return list(
        session.execute(
            select(WorkOrder)
            .where(WorkOrder.merged_into_id == order_id)
            .order_by(col(WorkOrder.id))
        ).scalars()
    )


def callback_targets(session: Session, order_id: int) -> list[CallbackTarget]:
    """Everyone to call back: the order's caller first, then the callers of the
    orders merged into it, then anyone else whose call was linked to these
    orders; one entry per phone number."""
    order = _load(session, order_id)
    orders = [order, *_merged_ids(session, order_id)]
    numbers = {o.id: o.number for o in orders}
    out: list[CallbackTarget] = []
    seen: set[str] = set()

    def add(o_id: int, name: str, phone: str, customer_id: int | None, done: bool) -> None:
        key = normalize.phone_digits(phone) or f"{o_id}:{name}"
        if key in seen:
            return
        seen.add(key)
        out.append(CallbackTarget(o_id, numbers[o_id], name, phone, customer_id, not out, done))

    for o in orders:
        assert o.id is not None
        add(o.id, o.caller_name, o.caller_phone, o.customer_id, o.called_back_at is not None)
    calls = session.execute(
        select(Call)
        .where(
            col(Call.work_order_id).in_(list(numbers)),
            Call.direction == CallDirection.inbound,
        )
        .order_by(col(Call.started_at))
    ).scalars()
    for c in calls:
        assert c.work_order_id is not None
        add(c.work_order_id, c.caller_name, c.phone, c.customer_id, False)
    return out


def _check_score(value: int | None, required: bool) -> None:
    if value is None:
        if required:
            raise InvalidInput("请选择客户满意度（1–5 分）。", "satisfaction")
        return
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise InvalidInput("满意度须为 1 至 5 分。", "satisfaction")


def call_back(
    *,
    session: Session,
    actor: Actor,
    order_id: int,
    satisfaction: int,
    note: str = "",
    others: Sequence[CallerFeedback] = (),
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> WorkOrder:
    """resolved → called back: the order's caller rated it `satisfaction` (1–5).

    `others` are the rest of `callback_targets`: a merged order's caller who was
    reached gets the score on that order (status stays merged) and every call
    back made is logged as an outbound call linked to its order.
    """
    actor.require(Permission.edit)
    _check_score(satisfaction, True)
    for fb in others:
        _check_score(fb.satisfaction, False)
    order = _load(session, order_id)
    _check_version(session, order, expected_version)
    check_transition(order.status, S.called_back)
    moment = _moment(order, at, order.resolved_at or order.received_at)
    text = free_text(note)
    summary = f"回访：满意度{satisfaction}分" + (f"，{text}" if text else "")
    _change(
        session, actor, order,
        {"satisfaction": satisfaction, "callback_note": text},
        expected_version=expected_version, kind="callback", at=moment,
        to_status=S.called_back, note=summary,
    )  # fmt: skip
    _log_callback(session, actor, order, order.caller_name, order.caller_phone, summary, moment)
    merged = {o.id: o for o in _merged_ids(session, order_id)}
    for fb in others:
        target = merged.get(fb.order_id) if fb.order_id != order_id else order
        if target is None:
            raise InvalidInput(f"工单（{fb.order_id}）不是并入本工单的重复工单。", "others")
        who = f"{fb.name} {fb.phone}".strip()
        if fb.satisfaction is None:
            line = f"回访{who}：未接通" + (f"，{fb.note}" if fb.note else "")
        else:
            line = f"回访{who}：满意度{fb.satisfaction}分" + (f"，{fb.note}" if fb.note else "")
        assert target.id is not None
        if target is not order and fb.satisfaction is not None and target.called_back_at is None:
            apply_update(
                session, actor, target,
                {"satisfaction": fb.satisfaction, "callback_note": fb.note,
                 "called_back_at": moment, "updated_at": now()},
                entity="work_order",
            )  # fmt: skip
        if target is not order:
            _event(session, actor, target.id, "callback", None, None, at=moment, note=line)
        assert order.id is not None
        _event(session, actor, order.id, "note", None, None, at=moment, note=line)
        _log_callback(session, actor, target, fb.name, fb.phone, line, moment)
    return order


def _log_callback(
    session: Session,
    actor: Actor,
    order: WorkOrder,
    name: str,
    phone: str,
    summary: str,
    at: dt.datetime,
) -> None:
    """A call back is a call: it goes into the call log, linked to its order."""
    customer_id = order.customer_id if phone == order.caller_phone else None
    call = Call(
        started_at=at,
        direction=CallDirection.outbound,
        channel=Channel.phone,
        phone=phone,
        caller_name=name,
        customer_id=customer_id,
        category=order.type,
        summary=summary,
        user_id=actor.user_id,
        work_order_id=order.id,
    )
    session.add(call)
    session.flush()
    audit.record(session, actor, "create", "call", call.id, after=call)


# =========================================================================== detail


@dataclass(frozen=True)
class EventRow:
    at: dt.datetime
    kind: str
    who: str
    from_status: OrderStatus | None
    to_status: OrderStatus | None
    assignee: str
    note: str


@dataclass(frozen=True)
class LinkedCall:
    id: int
    started_at: dt.datetime
    direction: CallDirection
    channel: Channel
    caller_name: str
    phone: str
    summary: str
    order_number: str


@dataclass
class OrderDetail:
    """One order with everything the detail panel shows."""

    order: WorkOrder
    customer_name: str = ""
    account_no: str = ""
    grid: str = ""
    transformer_area: str = ""
    assignee: str = ""
    created_by: str = ""
    merged_into: str = ""
    merged: list[tuple[int, str, str]] = field(default_factory=list)
    calls: list[LinkedCall] = field(default_factory=list)
    events: list[EventRow] = field(default_factory=list)
    allowed: list[OrderStatus] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    callbacks: list[CallbackTarget] = field(default_factory=list)
    deadline_kind: str = "resolve"
    deadline: dt.datetime | None = None


def order_detail(session: Session, order_id: int) -> OrderDetail:
    """The order, its history (oldest first), calls, merged orders and duplicates.

    The returned order is detached from the session (safe to read afterwards).
    """
    order = _load(session, order_id)
    d = OrderDetail(order=order)
    if order.customer_id:
        customer = session.get(Customer, order.customer_id)
        if customer is not None:
            d.customer_name, d.account_no = customer.name, customer.account_no
    if order.grid_id:
        grid = session.get(Grid, order.grid_id)
        d.grid = grid.name if grid else ""
    if order.transformer_area_id:
        ta = session.get(TransformerArea, order.transformer_area_id)
        d.transformer_area = f"{ta.name}（{ta.code}）" if ta else ""
    if order.assignee_id:
        staff = session.get(Staff, order.assignee_id)
        d.assignee = staff.name if staff else ""
    if order.created_by:
        user = session.get(AppUser, order.created_by)
        d.created_by = (user.display_name or user.username) if user else ""
    if order.merged_into_id:
        target = session.get(WorkOrder, order.merged_into_id)
        d.merged_into = target.number if target else ""
    merged = _merged_ids(session, order_id)
    d.merged = [(o.id or 0, o.number, o.caller_name) for o in merged]
    numbers = {order.id: order.number, **{o.id: o.number for o in merged}}
    for c in session.execute(
        select(Call)
        .where(col(Call.work_order_id).in_(list(numbers)))
        .order_by(col(Call.started_at))
    ).scalars():
        assert c.id is not None
        d.calls.append(
            LinkedCall(
                c.id, c.started_at, CallDirection(c.direction), Channel(c.channel),
                c.caller_name, c.phone, c.summary, numbers.get(c.work_order_id, ""),
            )
        )  # fmt: skip
    staff_alias = Staff.__table__.alias("assignee")  # type: ignore[attr-defined]
    rows = session.execute(
        select(WorkOrderEvent, AppUser.display_name, AppUser.username, staff_alias.c.name)
        .outerjoin(AppUser, col(AppUser.id) == col(WorkOrderEvent.user_id))
        .outerjoin(staff_alias, staff_alias.c.id == col(WorkOrderEvent.assignee_id))
        .where(WorkOrderEvent.order_id == order_id)
        .order_by(col(WorkOrderEvent.at), col(WorkOrderEvent.id))
    ).all()
    d.events = [
        EventRow(
            e.at, e.kind, display or username or "",
            OrderStatus(e.from_status) if e.from_status else None,
            OrderStatus(e.to_status) if e.to_status else None,
            assignee or "", e.note,
        )
        for e, display, username, assignee in rows
    ]  # fmt: skip
    d.allowed = sorted(allowed_targets(order.status), key=list(OrderStatus).index)
    d.duplicates = duplicates_for(session, order_id)
    if order.status == S.resolved or merged:
        d.callbacks = callback_targets(session, order_id)
    d.deadline_kind, d.deadline = current_deadline(
        contact_due=order.contact_due,
        contacted_at=order.contacted_at,
        arrival_due=order.arrival_due,
        arrived_at=order.arrived_at,
        resolve_due=order.resolve_due,
    )
    session.expunge(order)
    return d


# =========================================================================== the list
#
# The list filters and sorts in SQL and fetches keyset pages. SQLite has no
# statistics here (nobody runs ANALYZE), so it takes any equality filter for
# selective and sorts what it finds: 60,000 rows for "95598 orders by number".
# `plan_orders` therefore chooses the index that drives the query itself, from
# capped counts of each filter: a small filter drives (its rows are sorted),
# otherwise the sort order's own index is walked and filtered until the page
# is full. The other filters are written
# `+column`, SQLite's way of keeping an index out of a plan. On PostgreSQL the
# server plans.


class SortKey(StrEnum):
    received_at = "received_at"
    next_due = "next_due"
    number = "number"
    status = "status"
    type = "type"
    channel = "channel"
    grid = "grid"
    assignee = "assignee"


#: The columns each sort orders by (the order id always breaks ties); the first
#: is the one shown. Categories sort by their code and then by due time, so a
#: group's most urgent rows come first. grid_id and assignee_id may be NULL.
SORT_COLUMNS: dict[SortKey, tuple[str, ...]] = {
    SortKey.received_at: ("received_at",),
    SortKey.next_due: ("next_due",),
    SortKey.number: ("number",),
    SortKey.status: ("status", "next_due"),
    SortKey.type: ("type",),
    SortKey.channel: ("channel",),
    SortKey.grid: ("grid_id", "status"),
    SortKey.assignee: ("assignee_id", "status"),
}
_NULLABLE = {"grid_id", "assignee_id"}
#: Filters are counted up to this many rows when planning (a few milliseconds).
COUNT_CAP = 20_000
#: The latest orders on which the share matching a filter is measured.
SAMPLE = 4_000
PAGE = 200


@dataclass(frozen=True)
class OrderFilter:
    """What the list shows. Empty tuples and None mean "any"."""

    statuses: tuple[OrderStatus, ...] = ()
    types: tuple[OrderType, ...] = ()
    #: A grid id; 0 for orders in no grid.
    grid_id: int | None = None
    #: A staff id; 0 for orders nobody has yet.
    assignee_id: int | None = None
    channels: tuple[Channel, ...] = ()
    #: Open and past the limit that runs now.
    overdue: bool = False
    #: Received on or after / on or before these days.
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    #: Order no., 95598 no., caller phone, or a customer (account no., name, phone, address).
    text: str = ""
    customer_id: int | None = None


@dataclass(frozen=True)
class OrderRow:
    """One line of the work-order list."""

    id: int
    number: str
    external_no: str
    type: OrderType
    subtype: OrderSubtype
    status: OrderStatus
    urgency: Urgency
    channel: Channel
    customer_id: int | None
    account_no: str
    customer_name: str
    caller_name: str
    caller_phone: str
    address: str
    description: str
    grid_id: int | None
    grid: str
    assignee_id: int | None
    assignee: str
    received_at: dt.datetime
    next_due: dt.datetime
    resolve_due: dt.datetime
    contact_due: dt.datetime | None
    contacted_at: dt.datetime | None
    arrival_due: dt.datetime | None
    arrived_at: dt.datetime | None
    resolved_at: dt.datetime | None
    satisfaction: int | None
    version: int

    def cursor(self, key: SortKey) -> tuple[Any, ...]:
        """Where the next keyset page starts after this row, in `key` order."""
        values = []
        for name in SORT_COLUMNS[SortKey(key)]:
            value = getattr(self, name)
            values.append(value.value if isinstance(value, StrEnum) else value)
        return (*values, self.id)

    @property
    def deadline_kind(self) -> str:
        return current_deadline(
            contact_due=self.contact_due,
            contacted_at=self.contacted_at,
            arrival_due=self.arrival_due,
            arrived_at=self.arrived_at,
            resolve_due=self.resolve_due,
        )[0]


@dataclass(frozen=True)
class ListPlan:
    """How to run one filter + sort on SQLite: the columns whose indexes may serve
    the filters (none: walk the sort order's index); None lets the server plan."""

    indexed: tuple[str, ...] | None = None
    #: False when a filter is known to match nothing.
    possible: bool = True
    #: The columns of the smallest filter: what a count of the matches reads.
    count_indexed: tuple[str, ...] | None = None


_TABLE: Any = WorkOrder.__table__  # type: ignore[attr-defined]
_GRID = Grid.__table__.alias("g")  # type: ignore[attr-defined]
_STAFF = Staff.__table__.alias("s")  # type: ignore[attr-defined]
_CUST = Customer.__table__.alias("c")  # type: ignore[attr-defined]


def _columns() -> list[Any]:
    w = _TABLE.c
    return [
        w.id, w.number, w.external_no, w.type, w.subtype, w.status, w.urgency, w.channel,
        w.customer_id, _CUST.c.account_no, _CUST.c.name, w.caller_name, w.caller_phone,
        w.address, func.substr(w.description, 1, 120), w.grid_id, _GRID.c.name,
        w.assignee_id, _STAFF.c.name, w.received_at, w.next_due, w.resolve_due,
        w.contact_due, w.contacted_at, w.arrival_due, w.arrived_at, w.resolved_at,
        w.satisfaction, w.version,
    ]  # fmt: skip


def _row(r: Any) -> OrderRow:
    return OrderRow(
        id=r[0], number=r[1], external_no=r[2] or "", type=OrderType(r[3]),
        subtype=OrderSubtype(r[4]), status=OrderStatus(r[5]), urgency=Urgency(r[6]),
        channel=Channel(r[7]), customer_id=r[8], account_no=r[9] or "",
        customer_name=r[10] or "", caller_name=r[11], caller_phone=r[12], address=r[13],
        description=r[14] or "", grid_id=r[15], grid=r[16] or "", assignee_id=r[17],
        assignee=r[18] or "", received_at=r[19], next_due=r[20], resolve_due=r[21],
        contact_due=r[22], contacted_at=r[23], arrival_due=r[24], arrived_at=r[25],
        resolved_at=r[26], satisfaction=r[27], version=r[28],
    )  # fmt: skip


class _Cols:
    """work_order's columns for filters: `+column` (no index) unless allowed."""

    def __init__(self, indexed: tuple[str, ...] | None) -> None:
        self.indexed = indexed

    def __getattr__(self, name: str) -> Any:
        column = _TABLE.c[name]
        if self.indexed is None or name in self.indexed:
            return column
        return literal_column(f"+work_order.{name}", type_=column.type)


@dataclass
class _Part:
    """One filter: its conditions and the columns an index serves it by."""

    columns: tuple[str, ...]
    conds: list[ColumnElement[bool]]


def _parts(
    session: Session, f: OrderFilter, at: dt.datetime, indexed: tuple[str, ...] | None = None
) -> list[_Part]:
    w = _Cols(indexed)
    parts: list[_Part] = []
    if f.statuses:
        statuses = [OrderStatus(s).value for s in f.statuses]
        parts.append(_Part(("status",), [w.status.in_(statuses)]))
    if f.overdue:
        open_ = [s.value for s in OPEN_STATUSES]
        parts.append(_Part(("status", "next_due"), [w.status.in_(open_), w.next_due < at]))
    if f.types:
        parts.append(_Part(("type",), [w.type.in_([OrderType(t).value for t in f.types])]))
    if f.channels:
        channels = [Channel(c).value for c in f.channels]
        parts.append(_Part(("channel",), [w.channel.in_(channels)]))
    if f.grid_id is not None:
        cond = w.grid_id.is_(None) if f.grid_id == 0 else w.grid_id == f.grid_id
        parts.append(_Part(("grid_id",), [cond]))
    if f.assignee_id is not None:
        cond = w.assignee_id.is_(None) if f.assignee_id == 0 else w.assignee_id == f.assignee_id
        parts.append(_Part(("assignee_id",), [cond]))
    received: list[ColumnElement[bool]] = []
    if f.received_from is not None:
        received.append(w.received_at >= dt.datetime.combine(f.received_from, dt.time()))
    if f.received_to is not None:
        end = dt.datetime.combine(f.received_to + dt.timedelta(days=1), dt.time())
        received.append(w.received_at < end)
    if received:
        parts.append(_Part(("received_at",), received))
    if f.customer_id is not None:
        parts.append(_Part(("customer_id",), [w.customer_id == f.customer_id]))
    text = normalize.clean_text(f.text)
    if text:
        parts.append(_Part(_TEXT_COLUMNS, [_text_condition(session, text, w)]))
    return parts


_TEXT_COLUMNS = ("number", "external_no", "caller_phone", "customer_id")


def _digits_prefix(column: Any, value: str) -> ColumnElement[bool]:
    return and_(column >= value, column < value + "\x7f")


def _text_condition(session: Session, text: str, w: _Cols) -> ColumnElement[bool]:
    """Order no. (GD… or its digits), 95598 no. and caller phone by prefix (index
    ranges), or any order of a customer the customer search finds."""
    q = text.replace(" ", "")
    options: list[ColumnElement[bool]] = []
    upper = q.upper()
    if upper.startswith("GD"):
        options.append(_digits_prefix(w.number, upper))
    digits = "".join(ch for ch in q if ch.isdigit())
    if len(digits) >= 4 and len(digits) == len(q.replace("-", "")):
        options.append(_digits_prefix(w.number, "GD" + digits))
        options.append(_digits_prefix(w.external_no, digits))
        options.append(_digits_prefix(w.caller_phone, digits))
    # one customer search per session and text (planning, the page and the count share it)
    found: dict[str, list[int]] = session.info.setdefault("order_text_customers", {})
    if text not in found:
        found[text] = [r.id for r in search_customers(session, text, limit=PAGE)]
    customer_ids = found[text]
    if customer_ids:
        options.append(w.customer_id.in_(customer_ids))
    if not options:
        return literal(False)
    return or_(*options)


def _capped_count(session: Session, conds: list[ColumnElement[bool]]) -> int:
    inner = select(literal(1)).select_from(_TABLE).where(*conds).limit(COUNT_CAP)
    return int(session.execute(select(func.count()).select_from(inner.subquery())).scalar_one())


def plan_orders(
    session: Session,
    f: OrderFilter = OrderFilter(),
    *,
    sort: SortKey = SortKey.received_at,
    at: dt.datetime | None = None,
) -> ListPlan:
    """Choose how to run the list for `f` (see above).

    Each filter is counted (up to COUNT_CAP index entries): driving with the
    smallest reads its n rows. Walking the sort order's index reads about
    PAGE × total / matches rows before a page is full; the share of orders
    matching every filter at once is measured on the latest SAMPLE orders (a
    rowid range, read without any index), so filters that go together (closed
    and praise) or exclude each other are judged as they are. The cheaper wins.
    """
    if session.get_bind().dialect.name != "sqlite":
        return ListPlan(None)
    at = at or now()
    parts = _parts(session, f, at)
    if not parts:
        return ListPlan(())
    counted = []
    for part in parts:
        n = _capped_count(session, part.conds)
        if n == 0:
            return ListPlan((), possible=False)
        counted.append((n, part.columns))
    n, columns = min(counted)
    top = int(session.execute(select(func.max(_TABLE.c.id))).scalar() or 0)
    unindexed = [c for part in _parts(session, f, at, ()) for c in part.conds]
    sampled = int(
        session.execute(
            select(func.count()).select_from(_TABLE).where(_TABLE.c.id > top - SAMPLE, *unindexed)
        ).scalar_one()
    )
    share = max(sampled, 0.5) / min(SAMPLE, max(top, 1))  # none seen: fewer than one in SAMPLE
    walk = PAGE / share
    return ListPlan(columns if n < walk else (), count_indexed=columns)


def _where(
    session: Session, f: OrderFilter, at: dt.datetime, plan: ListPlan | None
) -> list[ColumnElement[bool]]:
    indexed = plan.indexed if plan is not None else None
    return [c for part in _parts(session, f, at, indexed) for c in part.conds]


def _after(key: SortKey, cursor: tuple[Any, ...], descending: bool) -> ColumnElement[bool]:
    """Rows after `cursor` in (sort columns…, id) order; NULL sorts first going up."""
    names = (*SORT_COLUMNS[key], "id")
    cols = [_TABLE.c[n] for n in names]
    values = list(cursor)

    def beyond(cs: list[Any], vs: list[Any]) -> ColumnElement[bool]:
        bound = tuple_(*[literal(v, type_=c.type) for c, v in zip(cs, vs, strict=True)])
        return tuple_(*cs) < bound if descending else tuple_(*cs) > bound

    if names[0] not in _NULLABLE:
        return beyond(cols, values)
    if values[0] is None:  # still among the NULLs
        in_nulls = and_(cols[0].is_(None), beyond(cols[1:], values[1:]))
        return in_nulls if descending else or_(in_nulls, cols[0].is_not(None))
    past = beyond(cols, values)
    return or_(past, cols[0].is_(None)) if descending else past


def _ordered(column: Any, descending: bool) -> Any:
    """NULLs first going up, last going down (SQLite's own order, said for PostgreSQL)."""
    if column.name not in _NULLABLE:
        return column.desc() if descending else column.asc()
    return column.desc().nulls_last() if descending else column.asc().nulls_first()


def page_statements(
    session: Session,
    f: OrderFilter,
    *,
    sort: SortKey,
    descending: bool,
    after: tuple[Any, ...] | None,
    limit: int,
    at: dt.datetime,
    plan: ListPlan,
) -> Any:
    """The ids query of one page (work_order alone, driven as planned)."""
    key = SortKey(sort)
    order_cols = [_TABLE.c[n] for n in (*SORT_COLUMNS[key], "id")]
    stmt = select(_TABLE.c.id).select_from(_TABLE)
    conds = _where(session, f, at, plan)
    if after is not None:
        conds.append(_after(key, after, descending))
    if conds:
        stmt = stmt.where(*conds)
    return stmt.order_by(*[_ordered(c, descending) for c in order_cols]).limit(limit)


def rows_statement(ids: Sequence[int]) -> Any:
    """The list rows of `ids`, names joined in."""
    return (
        select(*_columns())
        .select_from(_TABLE)
        .outerjoin(_CUST, _CUST.c.id == _TABLE.c.customer_id)
        .outerjoin(_GRID, _GRID.c.id == _TABLE.c.grid_id)
        .outerjoin(_STAFF, _STAFF.c.id == _TABLE.c.assignee_id)
        .where(_TABLE.c.id.in_(list(ids)))
    )


def list_orders(
    session: Session,
    f: OrderFilter = OrderFilter(),
    *,
    sort: SortKey = SortKey.received_at,
    descending: bool = True,
    after: tuple[Any, ...] | None = None,
    limit: int = PAGE,
    at: dt.datetime | None = None,
    plan: ListPlan | None = None,
) -> list[OrderRow]:
    """One keyset page: the rows after `after` (`OrderRow.cursor` of the last row
    shown) in `sort` order. Filtering and sorting happen in SQL; the page's ids
    are found first (work_order alone, through the planned index), then their
    rows with names joined in. Pass the `plan_orders` result to skip planning."""
    at = at or now()
    key = SortKey(sort)
    plan = plan if plan is not None else plan_orders(session, f, sort=key, at=at)
    if not plan.possible:
        return []
    stmt = page_statements(
        session, f, sort=key, descending=descending, after=after, limit=limit, at=at, plan=plan
    )
    ids = list(session.execute(stmt).scalars())
    if not ids:
        return []
    by_id = {r[0]: _row(r) for r in session.execute(rows_statement(ids)).all()}
    return [by_id[i] for i in ids if i in by_id]


def order_row(session: Session, order_id: int) -> OrderRow:
    """One order as a list row (to refresh a line after an action)."""
    found = session.execute(rows_statement([order_id])).first()
    if found is None:
        raise NotFound(f"找不到工单（{order_id}）。")
    return _row(found)


def count_orders(
    session: Session,
    f: OrderFilter = OrderFilter(),
    *,
    at: dt.datetime | None = None,
    plan: ListPlan | None = None,
) -> int:
    """How many orders the filter matches (read through its smallest filter's index)."""
    if plan is not None and not plan.possible:
        return 0
    counting = ListPlan(plan.count_indexed) if plan is not None else None
    conds = _where(session, f, at or now(), counting)
    stmt = select(func.count()).select_from(_TABLE)
    if conds:
        stmt = stmt.where(*conds)
    return int(session.execute(stmt).scalar_one())


def iter_orders(
    session: Session,
    f: OrderFilter = OrderFilter(),
    *,
    sort: SortKey = SortKey.received_at,
    descending: bool = True,
    chunk: int = 2000,
    at: dt.datetime | None = None,
) -> Iterator[OrderRow]:
    """Every row of the view, in order, fetched a keyset chunk at a time."""
    at = at or now()
    plan = plan_orders(session, f, sort=sort, at=at)
    after: tuple[Any, ...] | None = None
    while True:
        page = list_orders(
            session, f, sort=sort, descending=descending, after=after, limit=chunk, at=at,
            plan=plan,
        )  # fmt: skip
        yield from page
        if len(page) < chunk:
            return
        after = page[-1].cursor(SortKey(sort))


# =========================================================================== text (CLI)


def find_grid(session: Session, text: str) -> int:
    """A grid by code (WG001), name (东关网格) or id; NotFound otherwise."""
    key = normalize.clean_text(text)
    row = session.execute(
        select(col(Grid.id)).where((col(Grid.code) == key) | (col(Grid.name) == key))
    ).scalar()
    if row is None and key.isdigit():
        row = session.execute(select(col(Grid.id)).where(col(Grid.id) == int(key))).scalar()
    if row is None:
        raise NotFound(f"找不到网格“{key}”（可写网格编号、名称或序号）。")
    return int(row)


def format_orders(rows: Sequence[OrderRow], at: dt.datetime, near_fraction: float = 0.25) -> str:
    """The list as plain text lines (for `gridsvc orders list`)."""
    from gridsvc_desktop.domain.order_states import clock

    lines = []
    for r in rows:
        c = clock(
            status=r.status, received_at=r.received_at, deadline=r.next_due,
            kind=r.deadline_kind, now=at, near_fraction=near_fraction,
        )  # fmt: skip
        if c.left is None:
            left = ""
        else:
            minutes = abs(int(c.left.total_seconds())) // 60
            days, rest = divmod(minutes, 1440)
            span = f"{days}天{rest // 60}小时" if days else f"{rest // 60}小时{rest % 60:02d}分"
            left = f"超时{span}" if c.state == "overdue" else f"剩{span}"
            if c.state == "near":
                left += "（将超时）"
        kind = r.type.label + (f"·{r.subtype.label}" if r.subtype != OrderSubtype.none else "")
        who = r.customer_name or r.caller_name
        lines.append(
            "\t".join(
                [
                    r.number, r.status.label, kind, left, f"{r.next_due:%m-%d %H:%M}",
                    r.grid or "（无网格）", r.assignee or "（未派）", who,
                ]
            )
        )  # fmt: skip
    return "\n".join(lines)


# =========================================================================== export


@dataclass(frozen=True)
class ExportColumn:
    """One column of an exported view: its header, how a row gives its cell, width."""

    header: str
    value: Callable[[OrderRow], Any]
    width: float = 12
    #: "phone": masked unless the actor may see full numbers.
    sensitive: str = ""


def export_orders(
    db: Database,
    actor: Actor,
    path: Path,
    f: OrderFilter,
    *,
    columns: Sequence[ExportColumn],
    sort: SortKey = SortKey.received_at,
    descending: bool = True,
    full_phones: bool = False,
    progress: Progress | None = None,
) -> int:
    """Write the list as the user sees it (filter, sort, columns) to an .xlsx file;
    returns the number of rows. Needs the export right; audited.

    Rows stream from keyset pages into the ledger exporter's writer
    (`ledgers.writer.LedgerWriter`, xlsxwriter in constant-memory mode): text
    always goes in as text, so a cell starting with = + - @ never becomes a
    formula and phones like +86… keep their plus. Phones are masked unless
    `full_phones` is asked for and the actor may unmask.
    """
    from gridsvc_desktop.ledgers.spec import Column, LedgerSpec  # lazy: xlsxwriter follows
    from gridsvc_desktop.ledgers.writer import LedgerWriter

    actor.require(Permission.export)
    progress = progress or NullProgress()
    path = Path(path)
    masked = not (full_phones and actor.may(Permission.unmask))
    spec = LedgerSpec(
        kind="work_orders",
        title="工单",
        importable=False,
        columns=tuple(
            Column(name=f"c{i}", header=c.header, sensitive=c.sensitive, width=c.width)
            for i, c in enumerate(columns)
        ),
    )
    at = now()
    written = 0
    with db.read() as session:
        total = count_orders(session, f, at=at)
        station = session.execute(select(col(Station.name)).limit(1)).scalar() or ""
        writer = LedgerWriter(
            path, spec, station=station, exported_by=actor.username, masked=masked,
            title=f"{station} 工单列表".strip(),
        )  # fmt: skip
        try:
            for row in iter_orders(session, f, sort=sort, descending=descending, at=at):
                writer.write_row([c.value(row) for c in columns])
                written += 1
                if written % 1000 == 0:
                    checkpoint(progress, written, max(total, written), "导出工单")
        except BaseException:
            writer.close()
            path.unlink(missing_ok=True)
            raise
        writer.close()
    progress.report(written, max(total, written), "导出完毕")
    with db.write() as session:
        audit.record(
            session, actor, "export", "work_orders", "",
            after={"file": path.name, "rows": written, "masked": masked},
        )  # fmt: skip
    return written
