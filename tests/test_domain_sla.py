"""SLA policy: the limit table, key mapping, and due times across weekends and holidays."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gridsvc_desktop.domain.enums import AreaClass, OrderSubtype, OrderType
from gridsvc_desktop.domain.sla import (
    DEFAULT_LIMITS,
    LATE_FEE_OTHER_ACROSS_YEARS,
    LATE_FEE_OTHER_CURRENT_YEAR,
    LATE_FEE_RESIDENTIAL,
    Deadlines,
    LimitUnit,
    SlaLimit,
    SlaPolicy,
    limit_key,
    status_at,
)
from gridsvc_desktop.domain.workdays import END_OF_DAY, WorkCalendar

FAST = settings(max_examples=100, deadline=None, database=None)
T = dt.datetime
D = dt.date
M, H, W, DAYS = LimitUnit.minutes, LimitUnit.hours, LimitUnit.workdays, LimitUnit.days


def eod(year: int, month: int, day: int) -> dt.datetime:
    return dt.datetime.combine(D(year, month, day), END_OF_DAY)


@pytest.fixture(scope="module")
def policy() -> SlaPolicy:
    return SlaPolicy()


# --------------------------------------------------------------------------- the table

EXPECTED_LIMITS = {
    "repair.arrival.urban": (45, M),
    "repair.arrival.rural": (90, M),
    "repair.arrival.remote": (120, M),
    "repair.restore.urban": (3, H),
    "repair.restore.rural": (4, H),
    "repair.restore.remote": (4, H),
    "outage.notice.planned": (7, DAYS),
    "outage.notice.temporary": (24, H),
    "new_connection.residential": (5, W),
    "new_connection.low_voltage": (6, W),
    "meter_calibration": (5, W),
    "reading_anomaly": (5, W),
    "reconnection": (24, H),
    "complaint.contact": (1, W),
    "complaint.resolve": (5, W),
    "inquiry.resolve": (1, W),
    "report.resolve": (5, W),
    "opinion.resolve": (5, W),
    "suggestion.resolve": (5, W),
    "praise.resolve": (1, W),
    "billing.resolve": (5, W),
    "inspection.resolve": (5, W),
    "service_request.resolve": (5, W),
    "appliance_damage.resolve": (5, W),
    "change_of_name.resolve": (5, W),
    "arrears.notice.residential": (7, DAYS),
    "arrears.notice.other": (3, DAYS),
    "callback.after_resolve": (2, W),
}


def test_default_limits_are_exactly_the_statutory_table() -> None:
    assert set(DEFAULT_LIMITS) == set(EXPECTED_LIMITS)
    for key, (amount, unit) in EXPECTED_LIMITS.items():
        limit = DEFAULT_LIMITS[key]
        assert (limit.amount, limit.unit) == (amount, unit), key
        assert isinstance(limit.unit, LimitUnit)
        assert limit.label and any("\u4e00" <= ch <= "\u9fff" for ch in limit.label), key
    assert "默认" in DEFAULT_LIMITS["complaint.resolve"].label


def test_late_fee_rates() -> None:
    assert Decimal("0.001") == LATE_FEE_RESIDENTIAL
    assert Decimal("0.002") == LATE_FEE_OTHER_CURRENT_YEAR
    assert Decimal("0.003") == LATE_FEE_OTHER_ACROSS_YEARS
    assert all(
        isinstance(r, Decimal)
        for r in (LATE_FEE_RESIDENTIAL, LATE_FEE_OTHER_CURRENT_YEAR, LATE_FEE_OTHER_ACROSS_YEARS)
    )


def test_limit_units() -> None:
    assert [u.value for u in LimitUnit] == ["minutes", "hours", "workdays", "days"]


def test_sla_limit_validation() -> None:
    row = SlaLimit(30, "minutes", "自定义")  # type: ignore[arg-type]  # as read from the db
    assert row.unit is LimitUnit.minutes
    with pytest.raises(ValueError):
        SlaLimit(-1, LimitUnit.hours, "负数")
    with pytest.raises(ValueError):
        SlaLimit(1, "weeks", "未知单位")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        SlaLimit(1.5, LimitUnit.hours, "小数")  # type: ignore[arg-type]
    with pytest.raises(AttributeError):
        row.amount = 5  # type: ignore[misc]


def test_policy_copies_its_limits() -> None:
    limits = dict(DEFAULT_LIMITS)
    p = SlaPolicy(limits)
    limits["inquiry.resolve"] = SlaLimit(9, W, "改")
    assert p.limit("inquiry.resolve").amount == 1
    with pytest.raises(TypeError):
        p.limits["inquiry.resolve"] = SlaLimit(9, W, "改")  # type: ignore[index]


# --------------------------------------------------------------------------- due()


def test_facts_used_below() -> None:
    assert D(2024, 9, 27).weekday() == 4 and chinese_calendar.is_workday(D(2024, 9, 29))
    assert not chinese_calendar.is_workday(D(2024, 10, 1))
    assert chinese_calendar.is_workday(D(2024, 10, 8))
    assert D(2025, 1, 24).weekday() == 4 and chinese_calendar.is_workday(D(2025, 1, 26))
    assert chinese_calendar.is_workday(D(2025, 2, 8)) and D(2025, 2, 8).weekday() == 5
    assert not any(chinese_calendar.is_workday(D(2025, 1, 28 + i)) for i in range(4))


def test_due_units(policy: SlaPolicy) -> None:
    start = T(2024, 9, 30, 18, 0)  # Monday before National Day
    assert policy.due("repair.arrival.urban", start) == T(2024, 9, 30, 18, 45)
    assert policy.due("repair.restore.rural", start) == T(2024, 9, 30, 22, 0)
    assert policy.due("reconnection", start) == T(2024, 10, 1, 18, 0)  # elapsed over a holiday
    assert policy.due("arrears.notice.residential", start) == T(2024, 10, 7, 18, 0)
    assert policy.due("arrears.notice.other", start) == T(2024, 10, 3, 18, 0)
    assert policy.due("inquiry.resolve", start) == eod(2024, 10, 8)
    assert policy.due("callback.after_resolve", start) == eod(2024, 10, 9)


def test_notice_ahead(policy: SlaPolicy) -> None:
    outage = T(2024, 10, 8, 8, 0)
    assert policy.ahead("outage.notice.planned", outage) == T(2024, 10, 1, 8, 0)
    assert policy.ahead("outage.notice.temporary", outage) == T(2024, 10, 7, 8, 0)
    with pytest.raises(ValueError):
        policy.ahead("inquiry.resolve", outage)


def test_missing_key_is_named(policy: SlaPolicy) -> None:
    with pytest.raises(KeyError, match=r"nonexistent\.rule"):
        policy.due("nonexistent.rule", T(2024, 3, 8))
    limits = {k: v for k, v in DEFAULT_LIMITS.items() if k != "inquiry.resolve"}
    with pytest.raises(KeyError, match=r"inquiry\.resolve"):
        SlaPolicy(limits).deadlines(
            OrderType.inquiry, OrderSubtype.none, AreaClass.urban, T(2024, 3, 8)
        )
    limits = {k: v for k, v in DEFAULT_LIMITS.items() if k != "repair.restore.rural"}
    with pytest.raises(KeyError, match=r"repair\.restore\.rural"):
        SlaPolicy(limits).deadlines(
            OrderType.repair, OrderSubtype.none, AreaClass.rural, T(2024, 3, 8)
        )


def test_edited_amounts_are_used() -> None:
    limits = dict(DEFAULT_LIMITS)
    limits["repair.arrival.urban"] = SlaLimit(30, M, "城区30分钟")
    limits["complaint.resolve"] = SlaLimit(3, W, "投诉3个工作日")
    p = SlaPolicy(limits)
    d = p.deadlines(OrderType.repair, OrderSubtype.none, AreaClass.urban, T(2024, 3, 8, 9))
    assert d.arrival_due == T(2024, 3, 8, 9, 30)
    assert d.resolve_due == T(2024, 3, 8, 12, 30)
    c = p.deadlines(OrderType.complaint, OrderSubtype.none, AreaClass.urban, T(2024, 3, 8, 9))
    assert c.resolve_due == eod(2024, 3, 13)


def test_policy_uses_its_calendar() -> None:
    cal = WorkCalendar(holidays=[D(2024, 3, 11)])
    p = SlaPolicy(calendar=cal)
    assert p.calendar is cal
    assert p.due("inquiry.resolve", T(2024, 3, 8, 17)) == eod(2024, 3, 12)
    assert SlaPolicy().due("inquiry.resolve", T(2024, 3, 8, 17)) == eod(2024, 3, 11)


# --------------------------------------------------------------------------- deadlines()


@pytest.mark.parametrize(
    ("area", "arrival", "restore"),
    [
        (AreaClass.urban, T(2024, 10, 1, 9, 45), T(2024, 10, 1, 12, 45)),
        (AreaClass.rural, T(2024, 10, 1, 10, 30), T(2024, 10, 1, 14, 30)),
        (AreaClass.remote, T(2024, 10, 1, 11, 0), T(2024, 10, 1, 15, 0)),
    ],
)
def test_repair_runs_around_the_clock(
    policy: SlaPolicy, area: AreaClass, arrival: dt.datetime, restore: dt.datetime
) -> None:
    d = policy.deadlines(OrderType.repair, OrderSubtype.none, area, T(2024, 10, 1, 9, 0))
    assert d == Deadlines(contact_due=None, arrival_due=arrival, resolve_due=restore)


def test_repair_over_midnight_on_a_holiday(policy: SlaPolicy) -> None:
    d = policy.deadlines(
        OrderType.repair, OrderSubtype.none, AreaClass.remote, T(2025, 1, 28, 23, 30)
    )
    assert d.arrival_due == T(2025, 1, 29, 1, 30)
    assert d.resolve_due == T(2025, 1, 29, 5, 30)


@pytest.mark.parametrize("subtype", list(OrderSubtype))
def test_repair_ignores_subtype(policy: SlaPolicy, subtype: OrderSubtype) -> None:
    d = policy.deadlines(OrderType.repair, subtype, AreaClass.urban, T(2024, 3, 8, 9))
    assert d.arrival_due == T(2024, 3, 8, 9, 45)


def test_complaint_over_national_day(policy: SlaPolicy) -> None:
    d = policy.deadlines(
        OrderType.complaint, OrderSubtype.none, AreaClass.urban, T(2024, 9, 27, 16, 0)
    )
    assert d.contact_due == eod(2024, 9, 29)  # make-up Sunday
    assert d.arrival_due is None
    assert d.resolve_due == eod(2024, 10, 10)  # 9-29, 9-30, 10-8, 10-9, 10-10


def test_complaint_over_a_weekend(policy: SlaPolicy) -> None:
    d = policy.deadlines(
        OrderType.complaint, OrderSubtype.none, AreaClass.rural, T(2024, 3, 8, 17, 0)
    )
    assert d.contact_due == eod(2024, 3, 11)
    assert d.resolve_due == eod(2024, 3, 15)


def test_new_connection_over_spring_festival(policy: SlaPolicy) -> None:
    received = T(2025, 1, 24, 10, 0)  # Friday; 1-26 make-up, 1-28..2-04 holiday
    res = policy.deadlines(OrderType.new_connection, OrderSubtype.none, AreaClass.urban, received)
    assert res.resolve_due == eod(2025, 2, 7)  # 1-26, 1-27, 2-5, 2-6, 2-7
    low = policy.deadlines(
        OrderType.new_connection, OrderSubtype.new_connection_low_voltage, AreaClass.urban, received
    )
    assert low.resolve_due == eod(2025, 2, 8)  # the make-up Saturday
    assert res.contact_due is None and res.arrival_due is None


def test_inquiry_over_spring_festival(policy: SlaPolicy) -> None:
    d = policy.deadlines(OrderType.inquiry, OrderSubtype.none, AreaClass.urban, T(2025, 1, 27, 9))
    assert d.resolve_due == eod(2025, 2, 5)


def test_reconnection_is_elapsed_hours(policy: SlaPolicy) -> None:
    d = policy.deadlines(
        OrderType.service_request, OrderSubtype.reconnection, AreaClass.rural, T(2025, 1, 27, 16)
    )
    assert d.resolve_due == T(2025, 1, 28, 16, 0)


def test_plain_strings_are_accepted(policy: SlaPolicy) -> None:
    d = policy.deadlines("repair", "none", "rural", T(2024, 3, 8, 9))  # type: ignore[arg-type]
    assert d.arrival_due == T(2024, 3, 8, 10, 30)


# Which key each order type / subtype uses.
S = OrderSubtype
KEY_CASES: list[tuple[OrderType, OrderSubtype, str]] = [
    (OrderType.service_request, S.none, "service_request.resolve"),
    (OrderType.service_request, S.reconnection, "reconnection"),
    (OrderType.service_request, S.meter_calibration, "meter_calibration"),
    (OrderType.service_request, S.appliance_damage, "appliance_damage.resolve"),
    (OrderType.service_request, S.change_of_name, "change_of_name.resolve"),
    (OrderType.service_request, S.new_connection_residential, "new_connection.residential"),
    (OrderType.service_request, S.new_connection_low_voltage, "new_connection.low_voltage"),
    (OrderType.service_request, S.reading_anomaly, "reading_anomaly"),
    (OrderType.new_connection, S.none, "new_connection.residential"),
    (OrderType.new_connection, S.new_connection_residential, "new_connection.residential"),
    (OrderType.new_connection, S.new_connection_low_voltage, "new_connection.low_voltage"),
    (OrderType.billing, S.none, "billing.resolve"),
    (OrderType.inspection, S.none, "inspection.resolve"),
    (OrderType.inquiry, S.none, "inquiry.resolve"),
    (OrderType.report, S.none, "report.resolve"),
    (OrderType.opinion, S.none, "opinion.resolve"),
    (OrderType.suggestion, S.none, "suggestion.resolve"),
    (OrderType.praise, S.none, "praise.resolve"),
    (OrderType.complaint, S.none, "complaint.resolve"),
    (OrderType.complaint, S.reconnection, "complaint.resolve"),
    # a subtype with a limit of its own wins over the type it was filed under
    (OrderType.billing, S.reconnection, "reconnection"),
    (OrderType.billing, S.reading_anomaly, "reading_anomaly"),
    (OrderType.billing, S.meter_calibration, "meter_calibration"),
]


@pytest.mark.parametrize(("order_type", "subtype", "key"), KEY_CASES)
def test_limit_key(order_type: OrderType, subtype: OrderSubtype, key: str) -> None:
    assert limit_key(order_type, subtype) == key


def test_limit_key_refuses_repair() -> None:
    with pytest.raises(ValueError):
        limit_key(OrderType.repair)


def _fingerprint_policy() -> tuple[SlaPolicy, dict[int, str]]:
    """Every key gets a distinct number of minutes, so a due time names its key."""
    limits = {key: SlaLimit(i + 1, M, key) for i, key in enumerate(sorted(DEFAULT_LIMITS))}
    return SlaPolicy(limits), {i + 1: key for i, key in enumerate(sorted(DEFAULT_LIMITS))}


@pytest.mark.parametrize(("order_type", "subtype", "key"), KEY_CASES)
@pytest.mark.parametrize("area", list(AreaClass))
def test_deadlines_use_the_right_key(
    order_type: OrderType, subtype: OrderSubtype, key: str, area: AreaClass
) -> None:
    p, by_minutes = _fingerprint_policy()
    received = T(2024, 10, 1, 9, 0)
    d = p.deadlines(order_type, subtype, area, received)
    assert by_minutes[round((d.resolve_due - received) / dt.timedelta(minutes=1))] == key
    assert d.arrival_due is None
    if order_type is OrderType.complaint:
        assert d.contact_due is not None
        assert by_minutes[round((d.contact_due - received).total_seconds() / 60)] == (
            "complaint.contact"
        )
    else:
        assert d.contact_due is None


@pytest.mark.parametrize("area", list(AreaClass))
def test_repair_uses_area_keys(area: AreaClass) -> None:
    p, by_minutes = _fingerprint_policy()
    received = T(2024, 10, 1, 9, 0)
    d = p.deadlines(OrderType.repair, OrderSubtype.none, area, received)
    assert d.arrival_due is not None and d.contact_due is None
    arrival = round((d.arrival_due - received).total_seconds() / 60)
    restore = round((d.resolve_due - d.arrival_due).total_seconds() / 60)
    assert by_minutes[arrival] == f"repair.arrival.{area.value}"
    assert by_minutes[restore] == f"repair.restore.{area.value}"


def test_every_order_key_is_in_the_table() -> None:
    used = {limit_key(t, s) for t in OrderType if t is not OrderType.repair for s in OrderSubtype}
    used |= {f"repair.{stage}.{a.value}" for stage in ("arrival", "restore") for a in AreaClass}
    used |= {"complaint.contact"}
    assert used <= set(DEFAULT_LIMITS)
    others = set(DEFAULT_LIMITS) - used
    assert others == {
        "outage.notice.planned",
        "outage.notice.temporary",
        "arrears.notice.residential",
        "arrears.notice.other",
        "callback.after_resolve",
    }


@FAST
@given(
    st.sampled_from(list(OrderType)),
    st.sampled_from(list(OrderSubtype)),
    st.sampled_from(list(AreaClass)),
    st.datetimes(T(2004, 1, 1), T(2026, 11, 30)),
)
def test_deadlines_properties(
    order_type: OrderType, subtype: OrderSubtype, area: AreaClass, received: dt.datetime
) -> None:
    d = SlaPolicy().deadlines(order_type, subtype, area, received)
    assert d.resolve_due > received
    for due in (d.contact_due, d.resolve_due):
        if due is not None and due.time() == END_OF_DAY:
            assert due.date() > received.date()
            assert chinese_calendar.is_workday(due.date())
    if d.contact_due is not None:
        assert d.contact_due <= d.resolve_due
    if d.arrival_due is not None:
        assert received < d.arrival_due < d.resolve_due
        assert d.arrival_due - received <= dt.timedelta(hours=2)


# --------------------------------------------------------------------------- status_at


def test_status_at() -> None:
    deadline = T(2024, 3, 8, 12, 0)
    near = dt.timedelta(hours=1)
    assert status_at(deadline, T(2024, 3, 8, 10, 0), near) == "ok"
    assert status_at(deadline, T(2024, 3, 8, 11, 0), near) == "near"
    assert status_at(deadline, T(2024, 3, 8, 11, 30), near) == "near"
    assert status_at(deadline, deadline, near) == "near"
    assert status_at(deadline, T(2024, 3, 8, 12, 0, 1), near) == "overdue"
    assert status_at(deadline, T(2024, 3, 8, 10, 0), dt.timedelta(hours=4)) == "near"
    assert status_at(deadline, T(2024, 3, 8, 11, 59)) == "near"
    assert status_at(deadline, T(2024, 3, 8, 9, 0)) == "ok"
