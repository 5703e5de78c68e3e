"""May a cut-off for arrears (欠费停电) be recorded on a given day? Pure rules.

DESIGN.md and the supply rules: a customer's supply may be cut for arrears
only after a written notice (书面停电通知) served at least 7 days ahead for
residential customers; for other customers at least 3 days ahead, and a final
notice (最后通知) given after the written notice and before the cut-off. The
numbers of days come from the SLA policy (`arrears.notice.residential`,
`arrears.notice.other`), passed in.

Days are calendar days between the notice's date and the cut-off's date: a
residential notice served on the 1st allows a cut-off on the 8th, not before.
Without any written notice on record a cut-off is neither allowed nor proposed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from gridsvc_desktop.domain.enums import CollectionKind, CustomerCategory

__all__ = ["CutoffCheck", "Notice", "check_cutoff"]

RESIDENTIAL_DAYS = 7
OTHER_DAYS = 3


@dataclass(frozen=True)
class Notice:
    kind: CollectionKind
    on: dt.date


@dataclass(frozen=True)
class CutoffCheck:
    allowed: bool
    #: Why (not): for the user, naming the rule.
    reason: str
    rule: str
    #: The first day a cut-off may be recorded given the notices on record
    #: (None: a notice is still missing).
    earliest: dt.date | None = None


def check_cutoff(
    category: CustomerCategory | str,
    notices: Iterable[Notice],
    on: dt.date,
    *,
    residential_days: int = RESIDENTIAL_DAYS,
    other_days: int = OTHER_DAYS,
) -> CutoffCheck:
    """Whether a cut-off may be recorded on `on`, given the notices on record."""
    category = CustomerCategory(category)
    residential = category is CustomerCategory.residential
    days = residential_days if residential else other_days
    rule = (
        f"居民欠费停电须提前{days}天送达书面通知"
        if residential
        else f"非居民欠费停电须提前{days}天送达书面通知，并在停电前再发最后通知"
    )
    notices = list(notices)
    written = sorted(
        n.on for n in notices if n.kind == CollectionKind.written_notice and n.on <= on
    )
    if not written:
        return CutoffCheck(False, f"没有书面停电通知的记录，不能停电（{rule}）。", rule)
    first = written[0]
    earliest = first + dt.timedelta(days=days)
    if on < earliest:
        return CutoffCheck(
            False,
            f"书面通知于 {first:%Y-%m-%d} 送达，最早 {earliest:%Y-%m-%d} 才能停电（{rule}）。",
            rule,
            earliest,
        )
    if not residential:
        # The final notice must follow a written notice that itself was in time.
        finals = [
            n.on for n in notices if n.kind == CollectionKind.final_notice and first <= n.on <= on
        ]
        if not finals:
            return CutoffCheck(
                False,
                f"非居民客户停电前须再发最后通知，尚无最后通知的记录（{rule}）。",
                rule,
                None,
            )
    return CutoffCheck(True, f"符合规定：{rule}。", rule, earliest)
