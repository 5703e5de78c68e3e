"""The work-order lifecycle as data: every move allowed or refused, who handles
what, address keys for duplicates, and the clock."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from gridsvc_desktop.domain.enums import OrderStatus, OrderSubtype, OrderType, Specialty
from gridsvc_desktop.domain.order_states import (
    OPEN_STATUSES,
    STAMP_COLUMN,
    TERMINAL_STATUSES,
    TransitionRefused,
    address_key,
    allowed_targets,
    can_transition,
    check_transition,
    clock,
    current_deadline,
    specialty_for,
    subtypes_for,
)

S = OrderStatus
ALLOWED = {
    (S.new, S.dispatched), (S.new, S.cancelled), (S.new, S.merged),
    (S.dispatched, S.on_site), (S.dispatched, S.cancelled), (S.dispatched, S.merged),
    (S.on_site, S.resolved), (S.on_site, S.cancelled),
    (S.resolved, S.called_back),
    (S.called_back, S.closed),
}  # fmt: skip


@pytest.mark.parametrize(("current", "target"), list(itertools.product(S, S)))
def test_every_pair_is_allowed_or_refused_as_designed(current: S, target: S) -> None:
    expected = (current, target) in ALLOWED
    assert can_transition(current, target) is expected
    assert (target in allowed_targets(current)) is expected
    if expected:
        check_transition(current, target)
    else:
        with pytest.raises(TransitionRefused) as refused:
            check_transition(current, target)
        assert target.label in str(refused.value)


def test_refusals_say_why_in_chinese() -> None:
    with pytest.raises(TransitionRefused, match="工单已已归档"):
        check_transition(S.closed, S.dispatched)
    with pytest.raises(TransitionRefused, match="可改为：已派单、已撤销、已合并"):
        check_transition(S.new, S.resolved)


def test_terminal_and_open_statuses() -> None:
    assert set(TERMINAL_STATUSES) == {s for s in S if not allowed_targets(s)}
    assert set(OPEN_STATUSES) == {S.new, S.dispatched, S.on_site}
    assert STAMP_COLUMN[S.on_site] == "arrived_at"
    assert S.cancelled not in STAMP_COLUMN and S.merged not in STAMP_COLUMN
    # the main line reaches "closed" from "new"
    path = [S.new, S.dispatched, S.on_site, S.resolved, S.called_back, S.closed]
    assert all(can_transition(a, b) for a, b in itertools.pairwise(path))


@pytest.mark.parametrize(
    ("order_type", "subtype", "specialty"),
    [
        (OrderType.repair, OrderSubtype.none, Specialty.repair),
        (OrderType.billing, OrderSubtype.reconnection, Specialty.metering_billing),
        (
            OrderType.new_connection,
            OrderSubtype.new_connection_low_voltage,
            Specialty.new_connection,
        ),
        (OrderType.inspection, OrderSubtype.none, Specialty.inspection),
        (OrderType.service_request, OrderSubtype.reconnection, Specialty.metering_billing),
        (OrderType.service_request, OrderSubtype.appliance_damage, Specialty.inspection),
        (
            OrderType.service_request,
            OrderSubtype.new_connection_residential,
            Specialty.new_connection,
        ),
        (OrderType.service_request, OrderSubtype.none, Specialty.general),
        (OrderType.complaint, OrderSubtype.none, Specialty.general),
        (OrderType.inquiry, OrderSubtype.none, Specialty.general),
        (OrderType.praise, OrderSubtype.none, Specialty.general),
    ],
)
def test_specialty_for(order_type: OrderType, subtype: OrderSubtype, specialty: Specialty) -> None:
    assert specialty_for(order_type, subtype) is specialty


def test_subtypes_per_type() -> None:
    assert subtypes_for(OrderType.repair) == (OrderSubtype.none,)
    assert OrderSubtype.reconnection in subtypes_for(OrderType.billing)
    assert subtypes_for(OrderType.new_connection)[0] is OrderSubtype.new_connection_residential
    assert set(subtypes_for(OrderType.service_request)) == set(OrderSubtype)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("幸福小区 3号楼 2单元 101室", "幸福小区3栋2单元101"),
        ("幸福小区３幢２单元１０１", "幸福小区3栋2单元101室"),
        ("解放街166号", "解放街 166"),
    ],
)
def test_address_key_reads_one_place_written_two_ways(a: str, b: str) -> None:
    assert address_key(a) == address_key(b)


def test_address_key_tells_different_places_apart() -> None:
    assert address_key("幸福小区3栋2单元101") != address_key("幸福小区3栋2单元102")


T0 = dt.datetime(2025, 10, 9, 8, 0)


def test_current_deadline_moves_on_as_limits_are_met() -> None:
    contact, arrival, resolve = (
        T0 + dt.timedelta(hours=1),
        T0 + dt.timedelta(hours=2),
        T0 + dt.timedelta(hours=5),
    )
    kw = {"contact_due": None, "contacted_at": None, "arrival_due": arrival, "arrived_at": None}
    assert current_deadline(**kw, resolve_due=resolve) == ("arrival", arrival)
    kw["arrived_at"] = T0
    assert current_deadline(**kw, resolve_due=resolve) == ("resolve", resolve)
    complaint = {
        "contact_due": contact,
        "contacted_at": None,
        "arrival_due": None,
        "arrived_at": None,
    }
    assert current_deadline(**complaint, resolve_due=resolve) == ("contact", contact)
    complaint["contacted_at"] = T0
    assert current_deadline(**complaint, resolve_due=resolve) == ("resolve", resolve)


@pytest.mark.parametrize(
    ("now_offset_min", "state"),
    [(0, "ok"), (60, "ok"), (181, "near"), (239, "near"), (240, "near"), (241, "overdue")],
)
def test_clock_states(now_offset_min: int, state: str) -> None:
    deadline = T0 + dt.timedelta(hours=4)  # a quarter of 4 h is the last hour
    c = clock(
        status=S.dispatched,
        received_at=T0,
        deadline=deadline,
        now=T0 + dt.timedelta(minutes=now_offset_min),
        near_fraction=0.25,
    )
    assert c.state == state
    assert c.left == deadline - (T0 + dt.timedelta(minutes=now_offset_min))


def test_a_finished_order_has_no_clock() -> None:
    for status in (S.resolved, S.called_back, S.closed, S.cancelled, S.merged):
        c = clock(status=status, received_at=T0, deadline=T0, now=T0 + dt.timedelta(days=9))
        assert c.state == "done" and c.left is None
