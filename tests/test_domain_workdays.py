"""The working-day clock against China's official calendar (chinese_calendar)."""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gridsvc_desktop.domain.workdays import END_OF_DAY, WorkCalendar

FAST = settings(max_examples=150, deadline=None, database=None)
D = dt.date
T = dt.datetime


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return WorkCalendar()


def eod(d: dt.date) -> dt.datetime:
    return dt.datetime.combine(d, END_OF_DAY)


# The facts the tests below rely on, checked against the package itself.
SPRING_2025_HOLIDAYS = [D(2025, 1, 28) + dt.timedelta(days=i) for i in range(8)]  # 1-28..2-04
SPRING_2025_MAKEUP = [D(2025, 1, 26), D(2025, 2, 8)]  # Sunday, Saturday
NATIONAL_2024_HOLIDAYS = [D(2024, 10, 1) + dt.timedelta(days=i) for i in range(7)]
NATIONAL_2024_MAKEUP = [D(2024, 9, 29), D(2024, 10, 12)]  # Sunday, Saturday


def test_facts_match_chinese_calendar() -> None:
    for d in SPRING_2025_HOLIDAYS + NATIONAL_2024_HOLIDAYS:
        assert chinese_calendar.is_holiday(d), d
    for d in SPRING_2025_MAKEUP + NATIONAL_2024_MAKEUP:
        assert chinese_calendar.is_workday(d), d
        assert d.weekday() >= 5, d
    assert [d.weekday() for d in SPRING_2025_MAKEUP] == [6, 5]
    assert [d.weekday() for d in NATIONAL_2024_MAKEUP] == [6, 5]
    assert chinese_calendar.is_workday(D(2025, 1, 27))
    assert chinese_calendar.is_workday(D(2025, 2, 5))
    assert chinese_calendar.is_workday(D(2024, 9, 30))
    assert chinese_calendar.is_workday(D(2024, 10, 8))
    # an ordinary weekend: Friday 2024-03-08, Saturday, Sunday, Monday 2024-03-11
    assert [chinese_calendar.is_workday(D(2024, 3, 8 + i)) for i in range(4)] == [
        True,
        False,
        False,
        True,
    ]
    assert D(2024, 3, 8).weekday() == 4
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(D(2030, 1, 2))


@pytest.mark.parametrize("d", SPRING_2025_HOLIDAYS + NATIONAL_2024_HOLIDAYS)
def test_official_holidays_are_not_workdays(cal: WorkCalendar, d: dt.date) -> None:
    assert not cal.is_workday(d)


@pytest.mark.parametrize("d", SPRING_2025_MAKEUP + NATIONAL_2024_MAKEUP)
def test_makeup_weekend_days_are_workdays(cal: WorkCalendar, d: dt.date) -> None:
    assert cal.is_workday(d)


def test_is_workday_accepts_datetime(cal: WorkCalendar) -> None:
    assert cal.is_workday(T(2025, 1, 26, 9, 0))
    assert not cal.is_workday(T(2025, 1, 28, 9, 0))


@pytest.mark.parametrize(
    ("received", "n", "due_day"),
    [
        # Friday 17:00, 1 working day → Monday
        (T(2024, 3, 8, 17, 0), 1, D(2024, 3, 11)),
        (T(2024, 3, 8, 17, 0), 5, D(2024, 3, 15)),
        # received on a Saturday or Sunday: that day does not count either
        (T(2024, 3, 9, 10, 0), 1, D(2024, 3, 11)),
        (T(2024, 3, 10, 23, 59), 1, D(2024, 3, 11)),
        # a Monday: 1 working day → Tuesday
        (T(2024, 3, 11, 0, 0), 1, D(2024, 3, 12)),
        # Spring Festival 2025
        (T(2025, 1, 24, 17, 0), 1, D(2025, 1, 26)),  # Friday → make-up Sunday
        (T(2025, 1, 26, 9, 0), 1, D(2025, 1, 27)),
        (T(2025, 1, 27, 9, 0), 1, D(2025, 2, 5)),  # over the 8-day holiday
        (T(2025, 1, 27, 9, 0), 5, D(2025, 2, 10)),  # 2-5, 2-6, 2-7, 2-8 (Sat), 2-10
        (T(2025, 1, 30, 12, 0), 1, D(2025, 2, 5)),  # received during the holiday
        (T(2025, 2, 7, 17, 0), 1, D(2025, 2, 8)),  # Friday → make-up Saturday
        (T(2025, 2, 8, 17, 0), 1, D(2025, 2, 10)),
        # National Day 2024
        (T(2024, 9, 27, 17, 0), 1, D(2024, 9, 29)),  # Friday → make-up Sunday
        (T(2024, 9, 29, 17, 0), 1, D(2024, 9, 30)),
        (T(2024, 9, 30, 10, 0), 1, D(2024, 10, 8)),
        (T(2024, 10, 3, 10, 0), 1, D(2024, 10, 8)),
        (T(2024, 9, 27, 17, 0), 5, D(2024, 10, 10)),  # 9-29, 9-30, 10-8, 10-9, 10-10
        (T(2024, 10, 11, 17, 0), 1, D(2024, 10, 12)),  # Friday → make-up Saturday
        (T(2024, 10, 12, 17, 0), 1, D(2024, 10, 14)),
        # n = 0: the end of the day of receipt
        (T(2024, 3, 9, 10, 0), 0, D(2024, 3, 9)),
    ],
)
def test_add_workdays(cal: WorkCalendar, received: dt.datetime, n: int, due_day: dt.date) -> None:
    assert cal.add_workdays(received, n) == eod(due_day)


def test_add_workdays_refuses_negative(cal: WorkCalendar) -> None:
    with pytest.raises(ValueError):
        cal.add_workdays(T(2024, 3, 8), -1)


def test_add_workdays_is_cached_and_stable(cal: WorkCalendar) -> None:
    first = cal.add_workdays(T(2025, 1, 27, 9), 5)
    assert cal.add_workdays(T(2025, 1, 27, 18), 5) == first
    assert cal.nth_workday_after(D(2025, 1, 27), 5) == D(2025, 2, 10)


def test_add_elapsed(cal: WorkCalendar) -> None:
    start = T(2025, 1, 28, 23, 30)  # a holiday: elapsed time ignores the calendar
    assert cal.add_elapsed(start, dt.timedelta(minutes=45)) == T(2025, 1, 29, 0, 15)
    assert WorkCalendar.add_elapsed(start, dt.timedelta(hours=4)) == T(2025, 1, 29, 3, 30)


def test_next_workday(cal: WorkCalendar) -> None:
    assert cal.next_workday(D(2024, 3, 8)) == D(2024, 3, 11)
    assert cal.next_workday(D(2024, 3, 11)) == D(2024, 3, 12)
    assert cal.next_workday(D(2025, 1, 25)) == D(2025, 1, 26)
    assert cal.next_workday(D(2025, 1, 27)) == D(2025, 2, 5)
    assert cal.next_workday(D(2024, 9, 30)) == D(2024, 10, 8)
    assert cal.next_workday(T(2024, 10, 11, 8)) == D(2024, 10, 12)


def test_workdays_between(cal: WorkCalendar) -> None:
    assert cal.workdays_between(D(2024, 3, 8), D(2024, 3, 11)) == 1
    assert cal.workdays_between(D(2024, 3, 8), D(2024, 3, 8)) == 0
    assert cal.workdays_between(D(2024, 3, 11), D(2024, 3, 8)) == -1
    # Spring Festival 2025: 1-26 (Sun), 1-27, then 2-5, 2-6, 2-7, 2-8 (Sat), 2-10
    assert cal.workdays_between(D(2025, 1, 24), D(2025, 2, 10)) == 7
    assert cal.workdays_between(D(2025, 1, 27), D(2025, 2, 4)) == 0
    # National Day 2024: 9-29 (Sun), 9-30, 10-8..10-12 (Sat)
    assert cal.workdays_between(D(2024, 9, 27), D(2024, 10, 12)) == 7


def test_covers(cal: WorkCalendar) -> None:
    for year in (2004, 2024, 2025, 2026):
        assert cal.covers(year)
    for year in (2003, 2030, 2099):
        assert not cal.covers(year)
    # 2027 depends on the installed package (1.11 stops at 2026)
    try:
        chinese_calendar.is_workday(D(2027, 6, 1))
        packaged = True
    except NotImplementedError:
        packaged = False
    assert cal.covers(2027) == packaged


def test_uncovered_years_fall_back_to_monday_to_friday(cal: WorkCalendar) -> None:
    # 2030-01-01 is a Tuesday: New Year, but the package has no data for 2030.
    assert D(2030, 1, 1).weekday() == 1
    assert cal.is_workday(D(2030, 1, 1))
    assert not cal.is_workday(D(2030, 1, 5))
    assert cal.add_workdays(T(2030, 1, 4, 17), 1) == eod(D(2030, 1, 7))
    assert cal.workdays_between(D(2030, 1, 1), D(2030, 1, 31)) == 22
    assert cal.is_workday(D(2003, 1, 6))  # before 2004, Monday


def test_overrides_for_2027() -> None:
    # An admin enters the 2027 schedule once it is published (dates illustrative).
    holidays = [D(2027, 1, 1)] + [D(2027, 2, 6) + dt.timedelta(days=i) for i in range(8)]
    makeup = [D(2027, 2, 14), D(2027, 2, 20)]  # Sunday, Saturday
    cal = WorkCalendar(holidays=holidays, workdays=makeup)
    assert cal.covers(2027)
    assert not cal.covers(2030)
    assert not cal.is_workday(D(2027, 1, 1))  # a Friday
    assert cal.is_workday(D(2027, 1, 4))  # Monday, no override: Mon-Fri fallback
    assert not cal.is_workday(D(2027, 1, 9))  # Saturday, no override
    assert cal.is_workday(D(2027, 2, 14))  # make-up Sunday
    assert not cal.is_workday(D(2027, 2, 8))  # holiday Monday
    # 2026-12-31 (Thu) + 1 → 2027-01-01 is a holiday, the weekend follows → Monday
    assert cal.add_workdays(T(2026, 12, 31, 17), 1) == eod(D(2027, 1, 4))
    # Friday 2027-02-05 + 1 → the holiday runs 2-6..2-13, 2-14 is a make-up Sunday
    assert cal.add_workdays(T(2027, 2, 5, 17), 1) == eod(D(2027, 2, 14))
    assert cal.next_workday(D(2027, 2, 19)) == D(2027, 2, 20)


def test_overrides_win_over_the_package() -> None:
    cal = WorkCalendar(holidays=[D(2025, 3, 3)], workdays=[D(2025, 3, 8)])
    assert not cal.is_workday(D(2025, 3, 3))
    assert cal.is_workday(D(2025, 3, 8))
    assert cal.holidays == frozenset({D(2025, 3, 3)})
    assert cal.workdays == frozenset({D(2025, 3, 8)})
    assert WorkCalendar().is_workday(D(2025, 3, 3))


def test_conflicting_overrides_are_refused() -> None:
    with pytest.raises(ValueError):
        WorkCalendar(holidays=[D(2027, 1, 1)], workdays=[D(2027, 1, 1)])


_COVERED = st.dates(D(2004, 1, 1), D(2026, 12, 15))


@FAST
@given(_COVERED)
def test_is_workday_matches_the_package(d: dt.date) -> None:
    assert WorkCalendar().is_workday(d) == chinese_calendar.is_workday(d)


@FAST
@given(
    st.datetimes(T(2004, 1, 1), T(2026, 12, 1)),
    st.integers(0, 10),
)
def test_add_workdays_properties(start: dt.datetime, n: int) -> None:
    cal = WorkCalendar()
    due = cal.add_workdays(start, n)
    assert due.time() == END_OF_DAY
    assert cal.workdays_between(start.date(), due.date()) == n
    if n:
        assert due.date() > start.date()
        assert chinese_calendar.is_workday(due.date())
        assert cal.add_workdays(due, 0) == due
        # one more working day lands strictly later
        assert cal.add_workdays(start, n + 1) > due


@FAST
@given(st.dates(D(2004, 1, 1), D(2026, 10, 31)), st.integers(0, 60))
def test_workdays_between_counts_like_the_package(a: dt.date, span: int) -> None:
    b = a + dt.timedelta(days=span)
    expected = sum(
        chinese_calendar.is_workday(a + dt.timedelta(days=i)) for i in range(1, span + 1)
    )
    cal = WorkCalendar()
    assert cal.workdays_between(a, b) == expected
    assert cal.workdays_between(b, a) == -expected


@FAST
@given(st.dates(D(2030, 1, 1), D(2099, 12, 31)))
def test_uncovered_years_are_weekdays(d: dt.date) -> None:
    assert WorkCalendar().is_workday(d) == (d.weekday() < 5)
