"""Calls: logged with channel, direction, category and duration; unknown callers
linked later; one action makes an order, or attaches the call instead."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import select
from test_work_orders_sample import Desk, desk, station_template

from gridsvc_desktop.db.models import Call, Outage, OutageScope, WorkOrder, WorkOrderEvent
from gridsvc_desktop.domain.enums import (
    CallDirection,
    Channel,
    OrderStatus,
    OrderSubtype,
    OrderType,
    OutageKind,
    OutageStatus,
    Urgency,
)
from gridsvc_desktop.services import calls
from gridsvc_desktop.services import work_orders as wo
from gridsvc_desktop.services.common import InvalidInput

FIXTURES = (
    desk,
    station_template,
)  # the sample station's fixtures, used by pytest


NOW = dt.datetime.now().replace(microsecond=0)


def log(d: Desk, **kw: object) -> int:
    with d.db.write() as s:
        call = calls.log_call(session=s, actor=d.admin, data=calls.CallInput(**kw))  # type: ignore[arg-type]
        assert call.id is not None
        return call.id


def get(d: Desk, call_id: int) -> Call:
    with d.db.read() as s:
        c = s.get(Call, call_id)
        assert c is not None
        s.expunge(c)
        return c


def test_a_call_is_logged_and_its_clock_stopped(desk: Desk) -> None:
    start = NOW - dt.timedelta(minutes=4)
    cid = log(
        desk,
        customer_id=desk.st.customers["王秀英"],
        channel=Channel.wechat,
        category=OrderType.inquiry,
        summary="咨询电价",
        started_at=start,
    )
    c = get(desk, cid)
    assert (c.phone, c.caller_name) == ("13812345678", "王秀英")  # from the customer
    assert c.direction == CallDirection.inbound and c.ended_at is None and c.duration_s is None
    assert c.user_id == desk.admin.user_id
    with desk.db.write() as s:
        calls.stop_call(
            session=s, actor=desk.admin, call_id=cid, ended_at=start + dt.timedelta(seconds=95)
        )
    c = get(desk, cid)
    assert c.duration_s == 95
    with pytest.raises(InvalidInput, match="已结束计时"), desk.db.write() as s:
        calls.stop_call(session=s, actor=desk.admin, call_id=cid)


def test_duration_is_checked(desk: Desk) -> None:
    with pytest.raises(InvalidInput, match="早于"):
        log(desk, phone="13900001234", started_at=NOW, ended_at=NOW - dt.timedelta(minutes=1))
    with pytest.raises(InvalidInput, match="4 小时"):
        log(desk, phone="13900001234", started_at=NOW - dt.timedelta(hours=5), ended_at=NOW)
    with pytest.raises(InvalidInput, match="来电号码或来电人"):
        log(desk)


def test_an_unknown_caller_is_logged_without_a_customer_and_linked_later(desk: Desk) -> None:
    cid = log(
        desk,
        phone="139 0000 5678",
        caller_name="张先生",
        category=OrderType.repair,
        summary="路灯不亮",
    )
    c = get(desk, cid)
    assert c.customer_id is None and c.phone == "13900005678"
    with desk.db.read() as s:
        assert [r.id for r in calls.unlinked_calls(s, since=NOW - dt.timedelta(hours=1))] == [cid]
    with desk.db.write() as s:
        order = calls.order_from_call(session=s, actor=desk.admin, call_id=cid)
        oid = order.id
    assert get(desk, cid).work_order_id == oid
    with desk.db.write() as s:
        calls.link_customer(
            session=s, actor=desk.admin, call_id=cid, customer_id=desk.st.customers["李桂兰"]
        )
    assert get(desk, cid).customer_id == desk.st.customers["李桂兰"]
    with desk.db.read() as s:  # the order taken from it follows
        assert s.get(WorkOrder, oid).customer_id == desk.st.customers["李桂兰"]  # type: ignore[union-attr]
        assert calls.unlinked_calls(s, since=NOW - dt.timedelta(hours=1)) == []


def test_one_action_makes_an_order_prefilled_from_the_customer_and_the_call(desk: Desk) -> None:
    start = NOW - dt.timedelta(minutes=3)
    cid = log(
        desk,
        customer_id=desk.st.customers["陈建国"],
        category=OrderType.repair,
        summary="整组停电",
        started_at=start,
        channel=Channel.phone,
    )
    with desk.db.read() as s:
        prefill = calls.prefill_order(s, cid)
    assert prefill.type == OrderType.repair and prefill.urgency == Urgency.urgent
    assert prefill.address == "城关镇南湖村三组12号" and prefill.description == "整组停电"
    assert prefill.received_at == start
    with desk.db.write() as s:
        order = calls.order_from_call(session=s, actor=desk.admin, call_id=cid, dispatch_now=True)
        s.flush()
        o_id, status, received, assignee = (
            order.id,
            order.status,
            order.received_at,
            order.assignee_id,
        )
    assert status == OrderStatus.dispatched and received == start  # the clock runs from the call
    assert assignee == desk.st.staff["赵强"]  # the team's repairer
    assert get(desk, cid).work_order_id == o_id
    with pytest.raises(InvalidInput, match="已关联"), desk.db.write() as s:
        calls.order_from_call(session=s, actor=desk.admin, call_id=cid)


def test_prefill_picks_the_new_connection_subtype_by_customer(desk: Desk) -> None:
    shop = log(desk, customer_id=desk.st.customers["南湖超市"], category=OrderType.new_connection)
    home = log(desk, customer_id=desk.st.customers["陈建国"], category=OrderType.new_connection)
    unknown = log(desk, phone="13900001111")
    with desk.db.read() as s:
        assert calls.prefill_order(s, shop).subtype == OrderSubtype.new_connection_low_voltage
        assert calls.prefill_order(s, home).subtype == OrderSubtype.new_connection_residential
        assert calls.prefill_order(s, unknown).type == OrderType.inquiry


def test_a_call_about_an_open_order_is_attached_to_it(desk: Desk) -> None:
    first = log(
        desk, customer_id=desk.st.customers["王秀英"], category=OrderType.repair, summary="停电"
    )
    with desk.db.write() as s:
        oid = calls.order_from_call(session=s, actor=desk.admin, call_id=first).id
    again = log(desk, customer_id=desk.st.customers["王秀英"], summary="催问什么时候来电")
    with desk.db.write() as s:
        calls.attach_to_order(session=s, actor=desk.admin, call_id=again, order_id=oid)
        calls.attach_to_order(
            session=s, actor=desk.admin, call_id=again, order_id=oid
        )  # idempotent
    assert get(desk, again).work_order_id == oid
    with desk.db.read() as s:
        notes = (
            s.execute(
                select(WorkOrderEvent.note).where(
                    WorkOrderEvent.order_id == oid, WorkOrderEvent.kind == "note"
                )  # type: ignore[call-overload]
            )
            .scalars()
            .all()
        )
        open_ = calls.open_orders_of_customer(s, desk.st.customers["王秀英"])
    assert notes == ["来电：王秀英，催问什么时候来电"]
    assert [o.id for o in open_] == [oid]


def test_a_call_to_a_merged_order_goes_to_the_one_it_was_merged_into(desk: Desk) -> None:
    with desk.db.write() as s:
        a = wo.create_order(
            session=s,
            actor=desk.admin,
            data=wo.OrderInput(
                type=OrderType.repair, customer_id=desk.st.customers["王秀英"], description="停电"
            ),
        ).id
        b = wo.create_order(
            session=s,
            actor=desk.admin,
            data=wo.OrderInput(
                type=OrderType.repair, customer_id=desk.st.customers["李桂兰"], description="停电"
            ),
        ).id
        assert a is not None and b is not None
        wo.merge_orders(session=s, actor=desk.admin, target_id=a, duplicate_id=b)
    cid = log(desk, customer_id=desk.st.customers["李桂兰"], summary="还没来电")
    with desk.db.write() as s:
        calls.attach_to_order(session=s, actor=desk.admin, call_id=cid, order_id=b)
    assert get(desk, cid).work_order_id == a


def test_a_call_about_a_known_outage_is_attached_to_it(desk: Desk) -> None:
    with desk.db.write() as s:
        outage = Outage(
            kind=OutageKind.fault,
            status=OutageStatus.in_progress,
            reason="10kV城关线故障",
            planned_start=NOW - dt.timedelta(hours=1),
            planned_end=NOW + dt.timedelta(hours=2),
        )
        s.add(outage)
        s.flush()
        s.add(OutageScope(outage_id=outage.id, transformer_area_id=desk.st.tas["T001"]))  # type: ignore[arg-type]
        done = Outage(
            kind=OutageKind.planned,
            status=OutageStatus.restored,
            reason="检修",
            planned_start=NOW - dt.timedelta(days=2),
            planned_end=NOW - dt.timedelta(days=2),
        )
        s.add(done)
        s.flush()
        outage_id, done_id = outage.id, done.id
    cid = log(
        desk, customer_id=desk.st.customers["王秀英"], category=OrderType.repair, summary="停电了"
    )
    with desk.db.write() as s:
        calls.attach_to_outage(session=s, actor=desk.admin, call_id=cid, outage_id=outage_id)  # type: ignore[arg-type]
    assert get(desk, cid).outage_id == outage_id
    with pytest.raises(InvalidInput, match="已送电"), desk.db.write() as s:
        calls.attach_to_outage(session=s, actor=desk.admin, call_id=cid, outage_id=done_id)  # type: ignore[arg-type]


def test_calls_of_a_day_and_their_links(desk: Desk) -> None:
    log(desk, phone="13900001111", started_at=NOW - dt.timedelta(days=1))
    today = log(desk, customer_id=desk.st.customers["王秀英"], direction=CallDirection.outbound)
    start = dt.datetime.combine(NOW.date(), dt.time())
    with desk.db.read() as s:
        rows = calls.calls_between(s, start, start + dt.timedelta(days=1))
        assert calls.count_calls(s, start, start + dt.timedelta(days=1)) == len(rows)
    assert today in [r.id for r in rows]
    row = next(r for r in rows if r.id == today)
    assert (row.customer_name, row.account_no, row.direction) == (
        "王秀英",
        "3700000001",
        CallDirection.outbound,
    )


def test_update_call_corrects_what_was_logged(desk: Desk) -> None:
    cid = log(desk, phone="13900001111", summary="停")
    with desk.db.write() as s:
        calls.update_call(
            session=s,
            actor=desk.admin,
            call_id=cid,
            summary="停电两小时",
            category=OrderType.repair,
            channel=Channel.walk_in,
            phone="0838-2345678",
        )
    c = get(desk, cid)
    assert (c.summary, c.category, c.channel, c.phone) == (
        "停电两小时",
        OrderType.repair,
        Channel.walk_in,
        "0838-2345678",
    )
    with desk.db.read() as s:
        assert s.execute(select(Call)).scalars().all()
