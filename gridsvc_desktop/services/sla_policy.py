"""The SLA policy as the database says it: `sla_rule` rows and `calendar_day` overrides.

Admins edit the limits (`sla_rule`) and enter local holidays and make-up
workdays (`calendar_day`); every due time is computed from what the tables say
at that moment, on this PC or another. Both tables are small (a few dozen
rows), so they are read on every call and the built `SlaPolicy` (with its
working-day caches) is reused while the rows stay the same.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict

from sqlmodel import Session, col, select

from gridsvc_desktop.db.models import CalendarDay, SlaRule
from gridsvc_desktop.domain.sla import DEFAULT_LIMITS, SlaLimit, SlaPolicy
from gridsvc_desktop.domain.workdays import WorkCalendar
from gridsvc_desktop.services.station import get_setting

__all__ = ["duplicate_window_minutes", "load_policy", "near_due_fraction"]

_Key = tuple[object, tuple[tuple[str, int, str], ...], tuple[tuple[str, bool], ...]]
_CACHE: OrderedDict[_Key, SlaPolicy] = OrderedDict()
_CACHE_SIZE = 8
_LOCK = threading.Lock()


def load_policy(session: Session) -> SlaPolicy:
    """The policy of the session's database: its rules (defaults for any key the
    table lacks) on the official calendar with its local overrides."""
    rules = tuple(
        (r.key, int(r.amount), str(r.unit))
        for r in session.execute(select(SlaRule).order_by(col(SlaRule.key))).scalars()
    )
    days = tuple(
        (d.day.isoformat(), bool(d.is_workday))
        for d in session.execute(select(CalendarDay).order_by(col(CalendarDay.day))).scalars()
    )
    key: _Key = (session.get_bind().engine.url, rules, days)
    with _LOCK:
        cached = _CACHE.get(key)
        if cached is not None:
            _CACHE.move_to_end(key)
            return cached
    limits = dict(DEFAULT_LIMITS)
    for rule_key, amount, unit in rules:
        label = DEFAULT_LIMITS[rule_key].label if rule_key in DEFAULT_LIMITS else rule_key
        limits[rule_key] = SlaLimit(amount, unit, label)  # type: ignore[arg-type]
    calendar = WorkCalendar(
        holidays=[dt.date.fromisoformat(d) for d, work in days if not work],
        workdays=[dt.date.fromisoformat(d) for d, work in days if work],
    )
    policy = SlaPolicy(limits, calendar)
    with _LOCK:
        _CACHE[key] = policy
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return policy


def near_due_fraction(session: Session) -> float:
    """Setting near_due_fraction: an order is "near due" when less than this share
    of its time is left (0.25 unless set; clamped to 0…1)."""
    try:
        value = float(get_setting(session, "near_due_fraction") or 0.25)
    except ValueError:
        return 0.25
    return min(max(value, 0.0), 1.0)


def duplicate_window_minutes(session: Session) -> int:
    """Setting duplicate_window_minutes: repair calls about one place within this
    many minutes of each other are offered for merging (120 unless set)."""
    try:
        value = int(float(get_setting(session, "duplicate_window_minutes") or 120))
    except ValueError:
        return 120
    return max(value, 0)
