"""How values look on screen: money, times, months. Pure functions, no Qt."""

from __future__ import annotations

import datetime as dt


def money(fen: int) -> str:
    """Integer fen as yuan: 123450 → "¥1,234.50", -5 → "-¥0.05"."""
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(int(fen)), 100)
    return f"{sign}¥{yuan:,}.{cents:02d}"


def date_time(value: dt.datetime | None) -> str:
    """ "2024-05-03 14:30"; empty for None."""
    return value.strftime("%Y-%m-%d %H:%M") if value is not None else ""


def short_date_time(value: dt.datetime | None, today: dt.date | None = None) -> str:
    """ "05-03 14:30" within the current year, else the full date and time."""
    if value is None:
        return ""
    today = today or dt.date.today()
    if value.year == today.year:
        return value.strftime("%m-%d %H:%M")
    return date_time(value)


def month(yyyymm: str) -> str:
    """ "202403" → "2024-03"; anything else unchanged."""
    if len(yyyymm) == 6 and yyyymm.isdigit():
        return f"{yyyymm[:4]}-{yyyymm[4:]}"
    return yyyymm
