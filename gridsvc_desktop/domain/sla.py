"""The service-level policy as data: every time limit is a row, not code.

`DEFAULT_LIMITS` holds State Grid's published service commitments and the
supply rules (see DESIGN.md, "Statutory limits"); the database seeds its
`sla_rule` table from it and admins edit the amounts there. `SlaPolicy` turns
a limit into a due time with the working-day clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType
from typing import Literal

from gridsvc_desktop.domain.enums import AreaClass, OrderSubtype, OrderType
from gridsvc_desktop.domain.workdays import WorkCalendar

__all__ = [
    "DEFAULT_LIMITS",
    "LATE_FEE_OTHER_ACROSS_YEARS",
    "LATE_FEE_OTHER_CURRENT_YEAR",
    "LATE_FEE_RESIDENTIAL",
    "Deadlines",
    "LimitUnit",
    "SlaLimit",
    "SlaPolicy",
    "SlaStatus",
    "limit_key",
    "status_at",
]


class LimitUnit(StrEnum):
    minutes = "minutes"
    hours = "hours"
    workdays = "workdays"
    days = "days"  # calendar days, elapsed (24 h each)


@dataclass(frozen=True)
class SlaLimit:
    amount: int
    unit: LimitUnit
    label: str

    def __post_init__(self) -> None:
        # Rows read back from the database carry the unit as plain text.
        object.__setattr__(self, "unit", LimitUnit(self.unit))
        if isinstance(self.amount, bool) or not isinstance(self.amount, int):
            raise TypeError("SlaLimit.amount must be an int")
        if self.amount < 0:
            raise ValueError("SlaLimit.amount must be >= 0")


_M, _H, _W, _D = LimitUnit.minutes, LimitUnit.hours, LimitUnit.workdays, LimitUnit.days

DEFAULT_LIMITS: dict[str, SlaLimit] = {
    "repair.arrival.urban": SlaLimit(45, _M, "故障报修到达现场（城区）45分钟"),
    "repair.arrival.rural": SlaLimit(90, _M, "故障报修到达现场（农村）90分钟"),
    "repair.arrival.remote": SlaLimit(120, _M, "故障报修到达现场（边远）120分钟"),
    "repair.restore.urban": SlaLimit(3, _H, "故障抢修恢复供电（城区）3小时，自到达时限起算"),
    "repair.restore.rural": SlaLimit(4, _H, "故障抢修恢复供电（农村）4小时，自到达时限起算"),
    "repair.restore.remote": SlaLimit(4, _H, "故障抢修恢复供电（边远）4小时，自到达时限起算"),
    "outage.notice.planned": SlaLimit(7, _D, "计划停电提前7天公告"),
    "outage.notice.temporary": SlaLimit(24, _H, "临时检修停电提前24小时公告"),
    "new_connection.residential": SlaLimit(5, _W, "居民客户业扩报装全流程5个工作日"),
    "new_connection.low_voltage": SlaLimit(6, _W, "低压非居民客户业扩报装全流程6个工作日"),
    "meter_calibration": SlaLimit(5, _W, "电能表校验5个工作日内答复"),
    "reading_anomaly": SlaLimit(5, _W, "抄表电量异常5个工作日内答复"),
    "reconnection": SlaLimit(24, _H, "缴清欠费后24小时内复电"),
    "complaint.contact": SlaLimit(1, _W, "投诉1个工作日内联系客户"),
    "complaint.resolve": SlaLimit(5, _W, "投诉5个工作日内办结（供电所默认值，可调整）"),
    "inquiry.resolve": SlaLimit(1, _W, "咨询1个工作日内答复（供电所默认值）"),
    "report.resolve": SlaLimit(5, _W, "举报5个工作日内办结（供电所默认值）"),
    "opinion.resolve": SlaLimit(5, _W, "意见5个工作日内办结（供电所默认值）"),
    "suggestion.resolve": SlaLimit(5, _W, "建议5个工作日内办结（供电所默认值）"),
    "praise.resolve": SlaLimit(1, _W, "表扬1个工作日内办结（供电所默认值）"),
    "billing.resolve": SlaLimit(5, _W, "抄表收费5个工作日内办结（供电所默认值）"),
    "inspection.resolve": SlaLimit(5, _W, "用电检查5个工作日内办结（供电所默认值）"),
    "service_request.resolve": SlaLimit(5, _W, "服务申请5个工作日内办结（供电所默认值）"),
    "appliance_damage.resolve": SlaLimit(5, _W, "家电损坏5个工作日内办结（供电所默认值）"),
    "change_of_name.resolve": SlaLimit(5, _W, "过户更名5个工作日内办结（供电所默认值）"),
    "arrears.notice.residential": SlaLimit(7, _D, "居民欠费停电须提前7天送达书面通知"),
    "arrears.notice.other": SlaLimit(3, _D, "非居民欠费停电须提前3天送达书面通知"),
    "callback.after_resolve": SlaLimit(2, _W, "办结后2个工作日内回访（供电所默认值）"),
}

# Late fee (违约金) per day of arrears, as a fraction of the amount owed.
LATE_FEE_RESIDENTIAL = Decimal("0.001")
LATE_FEE_OTHER_CURRENT_YEAR = Decimal("0.002")
LATE_FEE_OTHER_ACROSS_YEARS = Decimal("0.003")

# Subtypes with a time limit of their own, whatever order type they were filed under.
_SUBTYPE_KEYS: Mapping[OrderSubtype, str] = MappingProxyType(
    {
        OrderSubtype.reconnection: "reconnection",
        OrderSubtype.meter_calibration: "meter_calibration",
        OrderSubtype.reading_anomaly: "reading_anomaly",
        OrderSubtype.appliance_damage: "appliance_damage.resolve",
        OrderSubtype.change_of_name: "change_of_name.resolve",
        OrderSubtype.new_connection_residential: "new_connection.residential",
        OrderSubtype.new_connection_low_voltage: "new_connection.low_voltage",
    }
)

SlaStatus = Literal["ok", "near", "overdue"]


def limit_key(order_type: OrderType, subtype: OrderSubtype = OrderSubtype.none) -> str:
    """The policy key of the resolve limit of a non-repair order.

    Repair (arrival + restore by area class) and complaint (contact + resolve)
    are handled by `SlaPolicy.deadlines`; for them this returns the resolve key
    of the type. A subtype with a limit of its own wins over the type, so a
    reconnection filed under 抄表收费 still gets its 24 hours.
    """
    order_type, subtype = OrderType(order_type), OrderSubtype(subtype)
    if order_type is OrderType.repair:
        raise ValueError("repair limits depend on the area class; use SlaPolicy.deadlines")
    if order_type is OrderType.complaint:
        return "complaint.resolve"
    if subtype in _SUBTYPE_KEYS:
        return _SUBTYPE_KEYS[subtype]
    if order_type is OrderType.new_connection:
        return "new_connection.residential"
    return f"{order_type.value}.resolve"


@dataclass(frozen=True)
class Deadlines:
    contact_due: dt.datetime | None
    arrival_due: dt.datetime | None
    resolve_due: dt.datetime


def status_at(
    deadline: dt.datetime, now: dt.datetime, near: dt.timedelta = dt.timedelta(hours=1)
) -> SlaStatus:
    """ "overdue" once `now` is past `deadline`, "near" within `near` of it, else "ok"."""
    if now > deadline:
        return "overdue"
    if deadline - now <= near:
        return "near"
    return "ok"


class SlaPolicy:
    """Due times from a table of limits and a working-day calendar."""

    def __init__(
        self,
        limits: Mapping[str, SlaLimit] = DEFAULT_LIMITS,
        calendar: WorkCalendar | None = None,
    ) -> None:
        self.limits: Mapping[str, SlaLimit] = MappingProxyType(dict(limits))
        self.calendar = calendar if calendar is not None else WorkCalendar()

    def limit(self, key: str) -> SlaLimit:
        try:
            return self.limits[key]
        except KeyError:
            raise KeyError(f"no SLA rule for {key!r}") from None

    def due(self, key: str, start: dt.datetime) -> dt.datetime:
        """`start` plus the limit `key`: elapsed minutes/hours/days, or working
        days on the calendar (end of the n-th working day after start's day)."""
        limit = self.limit(key)
        if limit.unit is LimitUnit.workdays:
            return self.calendar.add_workdays(start, limit.amount)
        return start + _elapsed(limit)

    def ahead(self, key: str, event_at: dt.datetime) -> dt.datetime:
        """Latest time a notice may go out for an event at `event_at`, for the
        "at least N ahead" limits (outage.notice.*)."""
        limit = self.limit(key)
        if limit.unit is LimitUnit.workdays:
            raise ValueError(f"{key!r}: a notice period in working days is not supported")
        return event_at - _elapsed(limit)

    def deadlines(
        self,
        order_type: OrderType,
        subtype: OrderSubtype,
        area_class: AreaClass,
        received_at: dt.datetime,
    ) -> Deadlines:
        order_type = OrderType(order_type)
        if order_type is OrderType.repair:
            area = AreaClass(area_class).value
            arrival = self.due(f"repair.arrival.{area}", received_at)
            restore = self.due(f"repair.restore.{area}", arrival)
            return Deadlines(contact_due=None, arrival_due=arrival, resolve_due=restore)
        if order_type is OrderType.complaint:
            return Deadlines(
                contact_due=self.due("complaint.contact", received_at),
                arrival_due=None,
                resolve_due=self.due("complaint.resolve", received_at),
            )
        key = limit_key(order_type, subtype)
        return Deadlines(contact_due=None, arrival_due=None, resolve_due=self.due(key, received_at))


def _elapsed(limit: SlaLimit) -> dt.timedelta:
    if limit.unit is LimitUnit.minutes:
        return dt.timedelta(minutes=limit.amount)
    if limit.unit is LimitUnit.hours:
        return dt.timedelta(hours=limit.amount)
    if limit.unit is LimitUnit.days:
        return dt.timedelta(days=limit.amount)
    raise ValueError(f"{limit.unit} is not elapsed time")
