"""The working-day clock on China's official calendar, make-up workdays (调休) included.

The `chinese_calendar` package carries the State Council's schedule for the
years it knows (2004-2026 in 1.11); for later years an admin enters the
published holidays and make-up workdays as overrides. A year with neither
falls back to Monday-Friday, and `covers()` lets the UI warn about it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import cache

import chinese_calendar

__all__ = ["END_OF_DAY", "WorkCalendar"]

END_OF_DAY = dt.time(23, 59, 59)


@cache
def _package_covers(year: int) -> bool:
    try:
        chinese_calendar.is_workday(dt.date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def _as_date(d: dt.date) -> dt.date:
    return d.date() if isinstance(d, dt.datetime) else d


class WorkCalendar:
    """Working days by the official calendar, with local overrides that win."""

    def __init__(self, holidays: Iterable[dt.date] = (), workdays: Iterable[dt.date] = ()) -> None:
        self._holidays = frozenset(_as_date(d) for d in holidays)
        self._workdays = frozenset(_as_date(d) for d in workdays)
        clash = self._holidays & self._workdays
        if clash:
            raise ValueError(f"dates both holiday and workday: {sorted(clash)}")
        self._override_years = frozenset(d.year for d in self._holidays | self._workdays)
        self._cache: dict[dt.date, bool] = {}
        self._due_cache: dict[tuple[dt.date, int], dt.date] = {}

    @property
    def holidays(self) -> frozenset[dt.date]:
        return self._holidays

    @property
    def workdays(self) -> frozenset[dt.date]:
        return self._workdays

    def covers(self, year: int) -> bool:
        """Whether official data (the package's or local overrides) exists for `year`."""
        return year in self._override_years or _package_covers(year)

    def is_workday(self, d: dt.date) -> bool:
        d = _as_date(d)
        cached = self._cache.get(d)
        if cached is not None:
            return cached
        if d in self._workdays:
            result = True
        elif d in self._holidays:
            result = False
        elif _package_covers(d.year):
            result = bool(chinese_calendar.is_workday(d))
        else:
            result = d.weekday() < 5
        self._cache[d] = result
        return result

    def next_workday(self, d: dt.date) -> dt.date:
        """The first working day strictly after `d`."""
        day = _as_date(d) + dt.timedelta(days=1)
        while not self.is_workday(day):
            day += dt.timedelta(days=1)
        return day

    def nth_workday_after(self, d: dt.date, n: int) -> dt.date:
        """The n-th working day after `d` (`d` itself never counts); n=0 gives `d`."""
        if n < 0:
            raise ValueError("n must be >= 0")
        d = _as_date(d)
        key = (d, n)
        cached = self._due_cache.get(key)
        if cached is not None:
            return cached
        day = d
        for _ in range(n):
            day = self.next_workday(day)
        self._due_cache[key] = day
        return day

    def add_workdays(self, start: dt.datetime, n: int) -> dt.datetime:
        """Due time for "within n working days" of a request received at `start`:
        the end (23:59:59) of the n-th working day after the day of `start`, that
        day itself not counted whether or not it is a working day."""
        return dt.datetime.combine(self.nth_workday_after(start, n), END_OF_DAY)

    @staticmethod
    def add_elapsed(start: dt.datetime, delta: dt.timedelta) -> dt.datetime:
        """Plain elapsed time (repairs run around the clock)."""
        return start + delta

    def workdays_between(self, a: dt.date, b: dt.date) -> int:
        """Working days in (a, b]; negative when b is before a."""
        a, b = _as_date(a), _as_date(b)
        if b < a:
            return -self.workdays_between(b, a)
        count = 0
        day = a + dt.timedelta(days=1)
        while day <= b:
            count += self.is_workday(day)
            day += dt.timedelta(days=1)
        return count
