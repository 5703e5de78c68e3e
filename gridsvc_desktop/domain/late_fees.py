"""Late fees (电费违约金) by the supply rules, in integer fen. Pure: no I/O.

The rules (DESIGN.md, 《供电营业规则》): per day of delay, a share of the
amount owed —

- residential customers (居民): 1‰ a day;
- other customers: 2‰ a day for the arrears of the current year (当年欠费),
  3‰ a day for arrears carried across a year end (跨年度欠费).

How this module reads them, stated so that a figure can be checked by hand:

- A bill of month YYYYMM falls due at the end of the following month
  (202606 → 2026-07-31); the fee runs from the next day (2026-08-01) up to
  and including the day it is worked out for (or the day it was paid), one
  day's fee per calendar day.
- "Current year" is the calendar year of the bill month. For non-residential
  customers the days up to 31 December of that year are charged at 2‰, every
  later day at 3‰ (a 202612 bill, due 2027-01-31, is charged at 3‰ from its
  first day late).
- The fee is on the amount owed (not on an earlier late fee). The days'
  fees are added exactly (fen × ‰ × days, in thousandths of a fen) and the
  sum is rounded once, half up, to the fen.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from gridsvc_desktop.domain.enums import CustomerCategory
from gridsvc_desktop.domain.sla import (
    LATE_FEE_OTHER_ACROSS_YEARS,
    LATE_FEE_OTHER_CURRENT_YEAR,
    LATE_FEE_RESIDENTIAL,
)

__all__ = [
    "RULE_ACROSS_YEARS",
    "RULE_CURRENT_YEAR",
    "RULE_RESIDENTIAL",
    "FeePart",
    "LateFee",
    "due_date",
    "late_fee",
    "overdue_days",
]

RULE_RESIDENTIAL = "居民每日1‰"
RULE_CURRENT_YEAR = "非居民当年欠费每日2‰"
RULE_ACROSS_YEARS = "非居民跨年度欠费每日3‰"


def _per_mille(rate: Decimal) -> int:
    return int(rate * 1000)


PER_MILLE = {
    RULE_RESIDENTIAL: _per_mille(LATE_FEE_RESIDENTIAL),
    RULE_CURRENT_YEAR: _per_mille(LATE_FEE_OTHER_CURRENT_YEAR),
    RULE_ACROSS_YEARS: _per_mille(LATE_FEE_OTHER_ACROSS_YEARS),
}


def parse_month(month: str) -> tuple[int, int]:
    """ "202606" → (2026, 6); ValueError for anything else."""
    if len(month) != 6 or not month.isdigit() or not 1 <= int(month[4:]) <= 12:
        raise ValueError(f"欠费月份应为 YYYYMM：{month!r}")
    return int(month[:4]), int(month[4:])


def due_date(month: str) -> dt.date:
    """The last day to pay a bill of `month` (YYYYMM): the end of the next month."""
    year, m = parse_month(month)
    # first day of the month after next, minus one day
    y2, m2 = divmod(year * 12 + (m - 1) + 2, 12)
    return dt.date(y2, m2 + 1, 1) - dt.timedelta(days=1)


def overdue_days(month: str, on: dt.date) -> int:
    """Days late on `on` (0 while not yet due)."""
    return max(0, (on - due_date(month)).days)


@dataclass(frozen=True)
class FeePart:
    """The days charged under one rule."""

    rule: str
    per_mille: int
    first: dt.date
    last: dt.date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def text(self) -> str:
        return f"{self.rule}×{self.days}天"


@dataclass(frozen=True)
class LateFee:
    amount_fen: int
    due: dt.date
    as_of: dt.date
    parts: tuple[FeePart, ...]
    fee_fen: int

    @property
    def days(self) -> int:
        return sum(p.days for p in self.parts)

    @property
    def rule(self) -> str:
        """The rules applied, with their days: "非居民当年欠费每日2‰×30天＋…"."""
        return "＋".join(p.text() for p in self.parts) if self.parts else "未逾期"


def late_fee(
    amount_fen: int, month: str, category: CustomerCategory | str, as_of: dt.date
) -> LateFee:
    """The late fee on `amount_fen` owed for bill `month`, worked out for `as_of`."""
    category = CustomerCategory(category)
    due = due_date(month)
    first = due + dt.timedelta(days=1)
    parts: list[FeePart] = []
    if as_of >= first and amount_fen > 0:
        if category is CustomerCategory.residential:
            parts.append(FeePart(RULE_RESIDENTIAL, PER_MILLE[RULE_RESIDENTIAL], first, as_of))
        else:
            year_end = dt.date(parse_month(month)[0], 12, 31)
            if first <= year_end:
                parts.append(
                    FeePart(
                        RULE_CURRENT_YEAR,
                        PER_MILLE[RULE_CURRENT_YEAR],
                        first,
                        min(as_of, year_end),
                    )
                )
            if as_of > year_end:
                parts.append(
                    FeePart(
                        RULE_ACROSS_YEARS,
                        PER_MILLE[RULE_ACROSS_YEARS],
                        max(first, year_end + dt.timedelta(days=1)),
                        as_of,
                    )
                )
    thousandths = sum(amount_fen * p.per_mille * p.days for p in parts)
    fee = (thousandths + 500) // 1000  # half up, once
    return LateFee(amount_fen, due, as_of, tuple(parts), fee)
