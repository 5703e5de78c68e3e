"""Due times of real orders, from the SLA rules and the calendar as the database
holds them: weekends, holidays and make-up workdays of 2025 and 2026 (checked
against chinese_calendar), local calendar overrides, edited limits."""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest
from test_work_orders_sample import Desk, desk, station_template

from gridsvc_desktop.db.models import CalendarDay, SlaRule, WorkOrder
from gridsvc_desktop.domain.enums import OrderSubtype, OrderType
from gridsvc_desktop.services import sla_policy
from gridsvc_desktop.services import work_orders as wo

FIXTURES = (
    desk,
    station_template,
)  # the sample station's fixtures, used by pytest

T = dt.datetime
D = dt.date


def eod(y: int, m: int, d: int) -> T:
    return T(y, m, d, 23, 59, 59)


def take(
    d: Desk,
    order_type: OrderType,
    received: T,
    *,
    customer: str = "王秀英",
    subtype: OrderSubtype = OrderSubtype.none,
) -> WorkOrder:
    with d.db.write() as s:
        o = wo.create_order(
            session=s,
            actor=d.admin,
            data=wo.OrderInput(
                type=order_type,
                subtype=subtype,
                customer_id=d.st.customers[customer],
                description="测试时限",
                received_at=received,
            ),
        )
        s.flush()
        s.expunge(o)
        return o


def test_the_dates_used_here_are_the_official_calendar() -> None:
    """The facts the cases below rest on, from chinese_calendar itself."""
    work = chinese_calendar.is_workday
    assert not any(work(D(2025, 10, day)) for day in range(1, 9))  # National Day 2025
    assert work(D(2025, 9, 28)) and D(2025, 9, 28).weekday() == 6  # make-up Sunday
    assert work(D(2025, 10, 11)) and D(2025, 10, 11).weekday() == 5  # make-up Saturday
    assert not any(work(D(2026, 2, day)) for day in range(15, 24))  # Spring Festival 2026
    assert work(D(2026, 2, 14)) and work(D(2026, 2, 28))  # make-up Saturdays
    assert not any(work(D(2026, 5, day)) for day in range(1, 6))  # May Day 2026
    assert work(D(2026, 5, 9))  # make-up Saturday


@pytest.mark.parametrize(
    ("received", "contact_due"),
    [
        # Tuesday before National Day: the holiday runs 1-8 October → Thursday 9th
        (T(2025, 9, 30, 10, 0), eod(2025, 10, 9)),
        # Friday 26 September → the make-up Sunday 28th counts
        (T(2025, 9, 26, 17, 30), eod(2025, 9, 28)),
        # on the make-up Saturday 11 October → Sunday off → Monday 13th
        (T(2025, 10, 11, 9, 0), eod(2025, 10, 13)),
        # during the holiday → the first working day after it
        (T(2025, 10, 3, 12, 0), eod(2025, 10, 9)),
        # an ordinary Friday → Monday
        (T(2026, 3, 13, 15, 0), eod(2026, 3, 16)),
        # New Year's Eve 2025 (Wednesday) → 1-3 January off, Sunday 4th is a make-up day
        (T(2025, 12, 31, 16, 0), eod(2026, 1, 4)),
    ],
)
def test_complaint_contact_within_one_working_day(desk: Desk, received: T, contact_due: T) -> None:
    o = take(desk, OrderType.complaint, received)
    assert o.contact_due == contact_due
    assert o.resolve_due > contact_due and o.arrival_due is None


def test_new_connection_counts_working_days_across_spring_festival(desk: Desk) -> None:
    # Friday 13 February 2026: the 14th (make-up Saturday) is the first working day,
    # 15-23 are holidays, then 24, 25, 26, 27 → five working days end on Friday the 27th
    o = take(
        desk,
        OrderType.new_connection,
        T(2026, 2, 13, 9, 0),
        subtype=OrderSubtype.new_connection_residential,
    )
    assert o.resolve_due == eod(2026, 2, 27)
    # a low-voltage business gets six: the make-up Saturday 28th is the sixth
    o = take(
        desk,
        OrderType.new_connection,
        T(2026, 2, 13, 9, 0),
        customer="南湖超市",
        subtype=OrderSubtype.new_connection_low_voltage,
    )
    assert o.resolve_due == eod(2026, 2, 28)


def test_meter_calibration_over_may_day(desk: Desk) -> None:
    # Thursday 30 April 2026; 1-5 May off; 6, 7, 8, 9 (make-up Saturday), 11
    o = take(desk, OrderType.billing, T(2026, 4, 30, 11, 0), subtype=OrderSubtype.meter_calibration)
    assert o.resolve_due == eod(2026, 5, 11)


def test_repairs_run_on_elapsed_time_by_area_class(desk: Desk) -> None:
    holiday_night = T(2026, 1, 1, 22, 0)  # a holiday: repairs do not wait for workdays
    urban = take(desk, OrderType.repair, holiday_night, customer="王秀英")
    rural = take(desk, OrderType.repair, holiday_night, customer="陈建国")
    remote = take(desk, OrderType.repair, holiday_night, customer="杨海燕")
    assert urban.arrival_due == T(2026, 1, 1, 22, 45)
    assert urban.resolve_due == T(2026, 1, 2, 1, 45)  # restore 3 h from the arrival limit
    assert rural.arrival_due == T(2026, 1, 1, 23, 30)
    assert rural.resolve_due == T(2026, 1, 2, 3, 30)
    assert remote.arrival_due == T(2026, 1, 2, 0, 0)
    assert remote.resolve_due == T(2026, 1, 2, 4, 0)


def test_reconnection_after_payment_is_24_hours_even_on_a_weekend(desk: Desk) -> None:
    o = take(
        desk, OrderType.service_request, T(2025, 10, 4, 9, 15), subtype=OrderSubtype.reconnection
    )
    assert o.resolve_due == T(2025, 10, 5, 9, 15)


def test_limits_edited_in_the_database_apply_to_the_next_order(desk: Desk) -> None:
    received = T(2026, 6, 1, 10, 0)
    assert take(desk, OrderType.repair, received).arrival_due == T(2026, 6, 1, 10, 45)
    with desk.db.write() as s:
        rule = s.get(SlaRule, "repair.arrival.urban")
        assert rule is not None
        rule.amount = 30
        s.add(rule)
    assert take(desk, OrderType.repair, received).arrival_due == T(2026, 6, 1, 10, 30)


def test_calendar_overrides_in_the_database_win(desk: Desk) -> None:
    received = T(2025, 9, 30, 10, 0)
    with desk.db.write() as s:  # a local holiday on the 9th, a make-up day on the 8th
        s.add(CalendarDay(day=D(2025, 10, 9), is_workday=False, note="本地停工"))
        s.add(CalendarDay(day=D(2025, 10, 8), is_workday=True, note="调休上班"))
    assert take(desk, OrderType.complaint, received).contact_due == eod(2025, 10, 8)
    with desk.db.write() as s:
        day = s.get(CalendarDay, D(2025, 10, 8))
        assert day is not None
        s.delete(day)
    assert take(desk, OrderType.complaint, received).contact_due == eod(2025, 10, 10)


def test_the_policy_is_reused_while_the_tables_stay_the_same(desk: Desk) -> None:
    with desk.db.read() as s:
        first = sla_policy.load_policy(s)
        assert sla_policy.load_policy(s) is first
        assert sla_policy.near_due_fraction(s) == 0.25
        assert sla_policy.duplicate_window_minutes(s) == 120
    with desk.db.write() as s:
        s.add(CalendarDay(day=D(2027, 1, 4), is_workday=False))
    with desk.db.read() as s:
        second = sla_policy.load_policy(s)
    assert second is not first and not second.calendar.is_workday(D(2027, 1, 4))
