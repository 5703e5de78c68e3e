"""Late fees by the supply rules (across a year boundary) and the cut-off rules."""

from __future__ import annotations

import datetime as dt

import pytest

from gridsvc_desktop.domain.cutoff import Notice, check_cutoff
from gridsvc_desktop.domain.enums import CollectionKind, CustomerCategory
from gridsvc_desktop.domain.late_fees import (
    RULE_ACROSS_YEARS,
    RULE_CURRENT_YEAR,
    RULE_RESIDENTIAL,
    due_date,
    late_fee,
    overdue_days,
)

D = dt.date
RES = CustomerCategory.residential
COM = CustomerCategory.commercial


def test_due_date_is_the_end_of_the_next_month() -> None:
    assert due_date("202606") == D(2026, 7, 31)
    assert due_date("202601") == D(2026, 2, 28)
    assert due_date("202412") == D(2025, 1, 31)
    assert due_date("202411") == D(2024, 12, 31)
    with pytest.raises(ValueError):
        due_date("202613")
    assert overdue_days("202606", D(2026, 7, 31)) == 0
    assert overdue_days("202606", D(2026, 8, 1)) == 1


def test_not_late_yet_costs_nothing() -> None:
    fee = late_fee(10_000, "202606", RES, D(2026, 7, 31))
    assert (fee.fee_fen, fee.days, fee.rule) == (0, 0, "未逾期")


def test_residential_one_per_mille_a_day_across_the_year_end() -> None:
    # 100.00 yuan, due 2026-11-30; 2026-12-01 … 2027-01-09 = 40 days at 1‰
    fee = late_fee(10_000, "202610", RES, D(2027, 1, 9))
    assert fee.days == 40
    assert fee.fee_fen == 400
    assert [p.rule for p in fee.parts] == [RULE_RESIDENTIAL]
    assert fee.rule == "居民每日1‰×40天"


def test_other_customers_two_per_mille_then_three_after_the_year_end() -> None:
    # 1,234.56 yuan of bill 202610, due 2026-11-30:
    # 2026-12-01 … 12-31 = 31 days at 2‰, 2027-01-01 … 01-10 = 10 days at 3‰
    fee = late_fee(123_456, "202610", COM, D(2027, 1, 10))
    assert [(p.rule, p.days) for p in fee.parts] == [
        (RULE_CURRENT_YEAR, 31),
        (RULE_ACROSS_YEARS, 10),
    ]
    exact = 123_456 * (2 * 31 + 3 * 10)  # thousandths of a fen = 11,357,952
    assert fee.fee_fen == 11_358 == (exact + 500) // 1000
    assert "2‰×31天" in fee.rule and "3‰×10天" in fee.rule
    # Within the bill's year: only 2‰.
    inside = late_fee(123_456, "202610", COM, D(2026, 12, 31))
    assert [(p.rule, p.days) for p in inside.parts] == [(RULE_CURRENT_YEAR, 31)]
    # A December bill falls due in the next year: 3‰ from its first day late.
    dec = late_fee(10_000, "202612", COM, D(2027, 2, 10))
    assert [(p.rule, p.days) for p in dec.parts] == [(RULE_ACROSS_YEARS, 10)]
    assert dec.fee_fen == 300


def test_rounding_is_half_up_once() -> None:
    # 1 fen a day at 1‰: 0.001 fen a day; 499 days → 0.499 → 0, 500 days → 0.5 → 1
    assert late_fee(1, "202001", RES, due_date("202001") + dt.timedelta(days=499)).fee_fen == 0
    assert late_fee(1, "202001", RES, due_date("202001") + dt.timedelta(days=500)).fee_fen == 1


def N(kind: str, day: dt.date) -> Notice:
    return Notice(CollectionKind(kind), day)


def test_no_cut_off_without_a_written_notice() -> None:
    check = check_cutoff(
        RES, [N("phone", D(2026, 1, 1)), N("final_notice", D(2026, 1, 1))], D(2026, 3, 1)
    )
    assert not check.allowed and "没有书面停电通知" in check.reason
    assert check.earliest is None


def test_residential_needs_seven_days() -> None:
    notices = [N("written_notice", D(2026, 11, 1))]
    early = check_cutoff(RES, notices, D(2026, 11, 7))
    assert not early.allowed and early.earliest == D(2026, 11, 8)
    assert "7天" in early.reason
    assert check_cutoff(RES, notices, D(2026, 11, 8)).allowed
    # a notice dated after the day asked does not count
    assert not check_cutoff(RES, [N("written_notice", D(2026, 11, 20))], D(2026, 11, 8)).allowed
    # the policy may say otherwise
    assert check_cutoff(RES, notices, D(2026, 11, 4), residential_days=3).allowed


def test_others_need_three_days_and_a_final_notice() -> None:
    written = [N("written_notice", D(2026, 11, 1))]
    assert not check_cutoff(COM, written, D(2026, 11, 3)).allowed
    no_final = check_cutoff(COM, written, D(2026, 11, 4))
    assert not no_final.allowed and "最后通知" in no_final.reason
    # a final notice before the written one does not count
    stale = check_cutoff(COM, [*written, N("final_notice", D(2026, 10, 30))], D(2026, 11, 4))
    assert not stale.allowed
    ok = check_cutoff(COM, [*written, N("final_notice", D(2026, 11, 4))], D(2026, 11, 4))
    assert ok.allowed and ok.earliest == D(2026, 11, 4)
