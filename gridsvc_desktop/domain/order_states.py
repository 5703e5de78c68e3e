"""The work-order lifecycle as data: which status may follow which, and the clock.

    new → dispatched → on_site → resolved → called_back → closed
      ╰──────┴─────────┴→ cancelled (with a reason)
      ╰──────┴→ merged (into another open order of the same fault)

Pure rules, no I/O: the services (`services/work_orders.py`) ask this module
whether a move is allowed, which timestamp column it stamps and what it needs
(a reason, a satisfaction score, an assignee…); the UI asks it which actions to
offer. The time-left arithmetic for lists and the desk lives here too.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

from gridsvc_desktop.domain.enums import OrderStatus, OrderSubtype, OrderType, Specialty

__all__ = [
    "CLOSED_STATUSES",
    "OPEN_STATUSES",
    "STAMP_COLUMN",
    "SUBTYPES",
    "TERMINAL_STATUSES",
    "TRANSITIONS",
    "Clock",
    "ClockState",
    "TransitionRefused",
    "address_key",
    "allowed_targets",
    "can_transition",
    "check_transition",
    "clock",
    "current_deadline",
    "is_open",
    "specialty_for",
    "subtypes_for",
]

S = OrderStatus

#: Work is still owed: these count as "open" on the desk and in the overdue filter.
OPEN_STATUSES: tuple[OrderStatus, ...] = (S.new, S.dispatched, S.on_site)
#: Done with the customer's request (call-back and archive may still follow).
CLOSED_STATUSES: tuple[OrderStatus, ...] = (S.resolved, S.called_back, S.closed)
#: Nothing may follow.
TERMINAL_STATUSES: tuple[OrderStatus, ...] = (S.closed, S.cancelled, S.merged)

TRANSITIONS: Mapping[OrderStatus, frozenset[OrderStatus]] = MappingProxyType(
    {
        S.new: frozenset({S.dispatched, S.cancelled, S.merged}),
        S.dispatched: frozenset({S.on_site, S.cancelled, S.merged}),
        S.on_site: frozenset({S.resolved, S.cancelled}),
        S.resolved: frozenset({S.called_back}),
        S.called_back: frozenset({S.closed}),
        S.closed: frozenset(),
        S.cancelled: frozenset(),
        S.merged: frozenset(),
    }
)

#: The WorkOrder column each move stamps with its time (cancel and merge have
#: none: their time is the history event's).
STAMP_COLUMN: Mapping[OrderStatus, str] = MappingProxyType(
    {
        S.dispatched: "dispatched_at",
        S.on_site: "arrived_at",
        S.resolved: "resolved_at",
        S.called_back: "called_back_at",
        S.closed: "closed_at",
    }
)


class TransitionRefused(ValueError):
    """A move the lifecycle does not allow (message for the user, in Chinese)."""


def is_open(status: OrderStatus | str) -> bool:
    return OrderStatus(status) in OPEN_STATUSES


def allowed_targets(status: OrderStatus | str) -> frozenset[OrderStatus]:
    return TRANSITIONS[OrderStatus(status)]


def can_transition(current: OrderStatus | str, target: OrderStatus | str) -> bool:
    return OrderStatus(target) in TRANSITIONS[OrderStatus(current)]


def check_transition(current: OrderStatus | str, target: OrderStatus | str) -> None:
    """Raise TransitionRefused unless `current → target` is allowed."""
    current, target = OrderStatus(current), OrderStatus(target)
    if target in TRANSITIONS[current]:
        return
    if current in TERMINAL_STATUSES:
        raise TransitionRefused(f"工单已{current.label}，不能再改为“{target.label}”。")
    allowed = "、".join(s.label for s in _ordered(TRANSITIONS[current]))
    raise TransitionRefused(
        f"工单当前为“{current.label}”，不能直接改为“{target.label}”（可改为：{allowed}）。"
    )


def _ordered(statuses: frozenset[OrderStatus]) -> list[OrderStatus]:
    order = list(OrderStatus)
    return sorted(statuses, key=order.index)


# --------------------------------------------------------------------------- who does it

#: Specialty a team grid routes an order type to; types not listed go to a
#: generalist (the grid manager in practice).
_TYPE_SPECIALTY: Mapping[OrderType, Specialty] = MappingProxyType(
    {
        OrderType.repair: Specialty.repair,
        OrderType.new_connection: Specialty.new_connection,
        OrderType.billing: Specialty.metering_billing,
        OrderType.inspection: Specialty.inspection,
    }
)
_SUBTYPE_SPECIALTY: Mapping[OrderSubtype, Specialty] = MappingProxyType(
    {
        OrderSubtype.reconnection: Specialty.metering_billing,
        OrderSubtype.meter_calibration: Specialty.metering_billing,
        OrderSubtype.reading_anomaly: Specialty.metering_billing,
        OrderSubtype.change_of_name: Specialty.metering_billing,
        OrderSubtype.appliance_damage: Specialty.inspection,
        OrderSubtype.new_connection_residential: Specialty.new_connection,
        OrderSubtype.new_connection_low_voltage: Specialty.new_connection,
    }
)


def specialty_for(
    order_type: OrderType | str, subtype: OrderSubtype | str = OrderSubtype.none
) -> Specialty:
    """The specialty that handles an order; `general` for the rest (咨询, 投诉…).

    A service request is routed by its sub-type (a reconnection after payment
    goes to metering and billing, appliance damage to inspection).
    """
    order_type, subtype = OrderType(order_type), OrderSubtype(subtype)
    if order_type in _TYPE_SPECIALTY:
        return _TYPE_SPECIALTY[order_type]
    if order_type is OrderType.service_request and subtype in _SUBTYPE_SPECIALTY:
        return _SUBTYPE_SPECIALTY[subtype]
    return Specialty.general


# --------------------------------------------------------------------------- sub-types

_T, _ST = OrderType, OrderSubtype
#: The sub-types an order type may carry (the first is the default). 服务申请 takes
#: every sub-type: reconnection after payment, meter calibration, appliance damage,
#: new connection, change of name…
SUBTYPES: Mapping[OrderType, tuple[OrderSubtype, ...]] = MappingProxyType(
    {
        _T.billing: (_ST.none, _ST.reconnection, _ST.reading_anomaly, _ST.meter_calibration),
        _T.new_connection: (_ST.new_connection_residential, _ST.new_connection_low_voltage),
        _T.service_request: tuple(OrderSubtype),
    }
)


def subtypes_for(order_type: OrderType | str) -> tuple[OrderSubtype, ...]:
    return SUBTYPES.get(OrderType(order_type), (OrderSubtype.none,))


# --------------------------------------------------------------------------- duplicates

_ADDRESS_NOISE = re.compile(r"[\s,，.。;；:：、/\\|()（）\[\]【】\"'“”‘’\-—_#·]+")


def address_key(address: str) -> str:
    """An address reduced for "same place?" comparisons: full-width folded, lower
    case, punctuation and spaces dropped, 号楼/幢 read as 栋, 室 and a final 号 dropped.

    "幸福小区 3号楼 2单元 101室" and "幸福小区3栋2单元101" give the same key.
    """
    text = unicodedata.normalize("NFKC", address).lower()
    text = _ADDRESS_NOISE.sub("", text)
    text = text.replace("号楼", "栋").replace("幢", "栋").replace("室", "")
    return text.removesuffix("号")


# --------------------------------------------------------------------------- the clock

ClockState = Literal["ok", "near", "overdue", "done"]


@dataclass(frozen=True)
class Clock:
    """Where an order stands against its current deadline."""

    state: ClockState
    deadline: dt.datetime | None
    #: Time left (negative once overdue); None when the order is no longer open.
    left: dt.timedelta | None
    #: Which limit: "contact", "arrival" or "resolve" ("" when not open).
    kind: str


def current_deadline(
    *,
    contact_due: dt.datetime | None,
    contacted_at: dt.datetime | None,
    arrival_due: dt.datetime | None,
    arrived_at: dt.datetime | None,
    resolve_due: dt.datetime,
) -> tuple[str, dt.datetime]:
    """The limit that runs now: contacting a complainant, arriving at a fault,
    otherwise resolving. Each earlier limit stops once it is met.

    The same rule is the database's `work_order.next_due` generated column.
    """
    if contact_due is not None and contacted_at is None:
        return "contact", contact_due
    if arrival_due is not None and arrived_at is None:
        return "arrival", arrival_due
    return "resolve", resolve_due


def clock(
    *,
    status: OrderStatus | str,
    received_at: dt.datetime,
    deadline: dt.datetime,
    kind: str = "resolve",
    now: dt.datetime,
    near_fraction: float = 0.25,
) -> Clock:
    """ "overdue" past the deadline; "near" when less than `near_fraction` of the
    time between receipt and deadline is left; "ok" otherwise; "done" for an
    order that is no longer open (resolved, cancelled…)."""
    if not is_open(status):
        return Clock("done", None, None, "")
    left = deadline - now
    if left < dt.timedelta(0):
        return Clock("overdue", deadline, left, kind)
    span = deadline - received_at
    if span > dt.timedelta(0) and left <= span * near_fraction:
        return Clock("near", deadline, left, kind)
    return Clock("ok", deadline, left, kind)
