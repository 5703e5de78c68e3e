"""Work orders through the services: taken, routed, moved along the lifecycle
(every step allowed and refused), reassigned, merged, called back; history,
permissions and the stale-version rule."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from sqlmodel import col, select
from test_work_orders_sample import Desk, desk, put_on_leave, station_template

from gridsvc_desktop.db.errors import ConcurrentEdit
from gridsvc_desktop.db.models import AuditLog, Call, WorkOrder, WorkOrderEvent
from gridsvc_desktop.domain.enums import (
    CallDirection,
    Channel,
    OrderStatus,
    OrderSubtype,
    OrderType,
    Role,
)
from gridsvc_desktop.services import audit, station
from gridsvc_desktop.services import work_orders as wo
from gridsvc_desktop.services.actor import Actor, PermissionDenied
from gridsvc_desktop.services.common import InvalidInput

FIXTURES = (
    desk,
    station_template,
)  # the sample station's fixtures, used by pytest

S = OrderStatus
STAFF = Actor(user_id=None, username="营业员甲", role=Role.staff)
LEAD = Actor(user_id=None, username="班长乙", role=Role.lead)


def create(
    d: Desk, customer: str = "王秀英", order_type: OrderType = OrderType.repair, **kw: Any
) -> int:
    data = wo.OrderInput(
        type=order_type,
        customer_id=d.st.customers[customer] if customer else None,
        description=kw.pop("description", "家中停电"),
        **kw,
    )
    with d.db.write() as s:
        order = wo.create_order(session=s, actor=d.admin, data=data)
        assert order.id is not None
        return order.id


def order(d: Desk, order_id: int) -> WorkOrder:
    with d.db.read() as s:
        o = s.get(WorkOrder, order_id)
        assert o is not None
        s.expunge(o)
        return o


def step(
    d: Desk, fn: Callable[..., Any], order_id: int, actor: Actor | None = None, **kw: Any
) -> Any:

    with d.db.write() as s:
        return fn(session=s, actor=actor or d.admin, order_id=order_id, **kw)


def events(d: Desk, order_id: int) -> list[WorkOrderEvent]:
    with d.db.read() as s:
        return list(
            s.execute(
                select(WorkOrderEvent)
                .where(WorkOrderEvent.order_id == order_id)
                .order_by(col(WorkOrderEvent.id))
            ).scalars()
        )


# --------------------------------------------------------------------------- taking


def test_a_new_order_is_numbered_routed_and_timed(desk: Desk) -> None:
    received = dt.datetime.now().replace(microsecond=0) - dt.timedelta(minutes=5)
    oid = create(desk, received_at=received)
    o = order(desk, oid)
    assert o.number == f"GD{received:%Y%m%d}0001"
    assert o.status == S.new and o.version == 1
    assert o.grid_id == desk.st.grids["东关网格"] and o.assignee_id == desk.st.staff["张伟"]
    assert o.transformer_area_id == desk.st.tas["T001"]
    # urban repair: on site within 45 minutes, restored 3 hours after that
    assert o.arrival_due == received + dt.timedelta(minutes=45)
    assert o.resolve_due == received + dt.timedelta(minutes=45, hours=3)
    assert o.next_due == o.arrival_due
    assert (o.caller_name, o.caller_phone) == ("王秀英", "13812345678")  # from the customer
    assert o.address.endswith("101室")
    (created,) = events(desk, oid)
    assert (created.kind, created.to_status, created.at) == ("created", S.new, received)
    assert created.assignee_id == desk.st.staff["张伟"] and "专职网格经理" in created.note
    assert created.user_id == desk.admin.user_id
    assert create(desk) and order(desk, oid + 1).number.endswith("0002")


def test_taking_an_order_checks_its_input(desk: Desk) -> None:
    with pytest.raises(InvalidInput, match="诉求内容"):
        create(desk, description="  ")
    with pytest.raises(InvalidInput, match="子类型"):
        create(desk, order_type=OrderType.repair, subtype=OrderSubtype.reconnection)
    with pytest.raises(InvalidInput, match="联系电话"):
        create(desk, caller_phone="12")
    oid = create(desk, order_type=OrderType.service_request, external_no="2026123456789012")
    with pytest.raises(InvalidInput, match="已登记在工单"):
        create(desk, order_type=OrderType.service_request, external_no="2026123456789012")
    assert order(desk, oid).external_no == "2026123456789012"


def test_dispatch_now_sends_it_to_the_routed_person(desk: Desk) -> None:
    with desk.db.write() as s:
        o = wo.create_order(
            session=s,
            actor=STAFF,
            data=wo.OrderInput(
                type=OrderType.billing,
                subtype=OrderSubtype.reconnection,
                customer_id=desk.st.customers["陈建国"],
                description="已缴清欠费，请求复电",
            ),
            dispatch_now=True,
        )
        oid = o.id
    o = order(desk, oid)
    assert o.status == S.dispatched and o.assignee_id == desk.st.staff["孙丽"]
    assert o.dispatched_at is not None
    assert o.resolve_due - o.received_at == dt.timedelta(hours=24)  # reconnection: 24 h


def test_an_order_nobody_routes_to_cannot_be_dispatched_at_once(desk: Desk) -> None:
    with pytest.raises(InvalidInput, match="无法自动派单"), desk.db.write() as s:
        wo.create_order(
            session=s,
            actor=desk.admin,
            data=wo.OrderInput(
                type=OrderType.repair, customer_id=desk.st.customers["黄玉兰"], description="停电"
            ),
            dispatch_now=True,
        )
    with desk.db.read() as s:  # all or nothing
        assert s.execute(select(WorkOrder)).first() is None


# --------------------------------------------------------------------------- the lifecycle


def full_life(d: Desk, oid: int) -> None:
    step(d, wo.dispatch, oid)
    step(d, wo.mark_on_site, oid)
    step(d, wo.resolve, oid, resolution="更换进户线保险，恢复供电")
    step(d, wo.call_back, oid, satisfaction=5, note="很满意")
    step(d, wo.close, oid)


def test_the_whole_life_of_an_order_records_who_and_when(desk: Desk) -> None:
    oid = create(desk)
    full_life(desk, oid)
    o = order(desk, oid)
    assert o.status == S.closed and o.version == 6
    stamps = [
        o.received_at,
        o.dispatched_at,
        o.arrived_at,
        o.resolved_at,
        o.called_back_at,
        o.closed_at,
    ]
    assert all(t is not None for t in stamps)
    assert stamps == sorted(stamps)  # type: ignore[type-var]
    assert (o.satisfaction, o.callback_note, o.resolution) == (
        5,
        "很满意",
        "更换进户线保险，恢复供电",
    )
    history = events(desk, oid)
    moves = [(e.from_status, e.to_status) for e in history if e.to_status]
    assert moves == [
        (None, S.new), (S.new, S.dispatched), (S.dispatched, S.on_site),
        (S.on_site, S.resolved), (S.resolved, S.called_back), (S.called_back, S.closed),
    ]  # fmt: skip
    assert all(e.user_id == desk.admin.user_id for e in history)
    assert history[1].assignee_id == desk.st.staff["张伟"] and history[1].note == "派单给张伟"
    # every change is in the audit trail, which still verifies
    with desk.db.read() as s:
        rows = (
            s.execute(
                select(AuditLog).where(
                    AuditLog.entity == "work_order", AuditLog.entity_id == str(oid)
                )
            )
            .scalars()
            .all()
        )
        assert len(rows) == 6
        assert audit.verify_chain(s) is None
    # the call-back is in the call log too
    with desk.db.read() as s:
        back = s.execute(select(Call).where(Call.work_order_id == oid)).scalar_one()
    assert back.direction == CallDirection.outbound and "满意度5分" in back.summary


STEPS: dict[S, Callable[[Desk, int], Any]] = {
    S.dispatched: lambda d, i: step(d, wo.dispatch, i),
    S.on_site: lambda d, i: step(d, wo.mark_on_site, i),
    S.resolved: lambda d, i: step(d, wo.resolve, i, resolution="处理完毕"),
    S.called_back: lambda d, i: step(d, wo.call_back, i, satisfaction=4),
    S.closed: lambda d, i: step(d, wo.close, i),
    S.cancelled: lambda d, i: step(d, wo.cancel, i, reason="客户撤回诉求"),
}
PATH = [S.new, S.dispatched, S.on_site, S.resolved, S.called_back, S.closed]


def order_at(d: Desk, status: S) -> int:
    oid = create(d)
    if status in (S.cancelled, S.merged):
        if status is S.cancelled:
            STEPS[S.cancelled](d, oid)
        else:
            other = create(d)
            with d.db.write() as s:
                wo.merge_orders(session=s, actor=d.admin, target_id=other, duplicate_id=oid)
        return oid
    for nxt in PATH[1 : PATH.index(status) + 1]:
        STEPS[nxt](d, oid)
    return oid


@pytest.mark.parametrize("target", list(STEPS))
def test_each_step_through_the_services_is_allowed_or_refused(desk: Desk, target: S) -> None:
    """From every status (a fresh order brought there), the step to `target`
    succeeds exactly when the lifecycle allows it, and a refusal changes nothing."""
    from gridsvc_desktop.domain.order_states import can_transition

    for start in S:
        if start is target:
            continue
        oid = order_at(desk, start)
        before = order(desk, oid)
        assert before.status == start
        if can_transition(start, target):
            STEPS[target](desk, oid)
            assert order(desk, oid).status == target, (start, target)
        else:
            with pytest.raises(wo.TransitionRefused):
                STEPS[target](desk, oid)
            after = order(desk, oid)
            assert (after.status, after.version) == (before.status, before.version)


def test_cancel_needs_a_reason_and_the_lead(desk: Desk) -> None:
    oid = create(desk)
    with pytest.raises(InvalidInput, match="原因"):
        step(desk, wo.cancel, oid, reason=" ")
    with pytest.raises(PermissionDenied):
        step(desk, wo.cancel, oid, actor=STAFF, reason="重复受理")
    step(desk, wo.cancel, oid, actor=LEAD, reason="重复受理")
    o = order(desk, oid)
    assert (o.status, o.cancel_reason) == (S.cancelled, "重复受理")
    assert events(desk, oid)[-1].note == "重复受理"


def test_resolve_needs_what_was_done(desk: Desk) -> None:
    oid = order_at(desk, S.on_site)
    with pytest.raises(InvalidInput, match="处理结果"):
        step(desk, wo.resolve, oid, resolution="")


@pytest.mark.parametrize("score", [0, 6, None, True, 3.5])
def test_call_back_takes_a_satisfaction_of_one_to_five(desk: Desk, score: Any) -> None:
    oid = order_at(desk, S.resolved)
    with pytest.raises(InvalidInput, match="满意度"):
        step(desk, wo.call_back, oid, satisfaction=score)
    assert order(desk, oid).status == S.resolved


def test_a_reported_time_may_not_go_back_or_ahead(desk: Desk) -> None:
    oid = order_at(desk, S.dispatched)
    o = order(desk, oid)
    assert o.dispatched_at is not None
    with pytest.raises(InvalidInput, match="不能早于上一步"):
        step(desk, wo.mark_on_site, oid, at=o.dispatched_at - dt.timedelta(minutes=1))
    with pytest.raises(InvalidInput, match="不能晚于现在"):
        step(desk, wo.mark_on_site, oid, at=dt.datetime.now() + dt.timedelta(hours=1))
    step(desk, wo.mark_on_site, oid, at=o.dispatched_at)
    assert order(desk, oid).arrived_at == o.dispatched_at


# --------------------------------------------------------------------------- dispatch and reassign


def test_staff_may_dispatch_to_the_routed_person_only(desk: Desk) -> None:
    oid = create(desk)
    with pytest.raises(PermissionDenied):
        step(desk, wo.dispatch, oid, actor=STAFF, assignee_id=desk.st.staff["刘洋"])
    step(desk, wo.dispatch, oid, actor=STAFF)
    assert order(desk, oid).assignee_id == desk.st.staff["张伟"]


def test_the_lead_dispatches_elsewhere_and_history_keeps_both(desk: Desk) -> None:
    oid = create(desk)
    step(desk, wo.dispatch, oid, actor=LEAD, assignee_id=desk.st.staff["刘洋"], note="张伟在开会")
    history = events(desk, oid)
    assert history[0].assignee_id == desk.st.staff["张伟"]  # routed
    assert history[1].assignee_id == desk.st.staff["刘洋"]  # chosen
    assert history[1].note == "派单给刘洋（系统建议张伟）。张伟在开会"


def test_reassign_keeps_both_names(desk: Desk) -> None:
    oid = order_at(desk, S.on_site)
    with pytest.raises(PermissionDenied):
        step(desk, wo.reassign, oid, actor=STAFF, assignee_id=desk.st.staff["刘洋"])
    with pytest.raises(InvalidInput, match="已由张伟处理"):
        step(desk, wo.reassign, oid, actor=LEAD, assignee_id=desk.st.staff["张伟"])
    step(desk, wo.reassign, oid, actor=LEAD, assignee_id=desk.st.staff["刘洋"], reason="张伟请假")
    o = order(desk, oid)
    assert (o.status, o.assignee_id) == (S.on_site, desk.st.staff["刘洋"])
    last = events(desk, oid)[-1]
    assert (last.kind, last.assignee_id, last.to_status) == ("assign", desk.st.staff["刘洋"], None)
    assert last.note == "改派：张伟 → 刘洋。张伟请假"
    closed = order_at(desk, S.closed)
    with pytest.raises(wo.TransitionRefused, match="不能改派"):
        step(desk, wo.reassign, closed, assignee_id=desk.st.staff["刘洋"])


def test_dispatch_routes_again_when_nobody_was_routed(desk: Desk) -> None:
    oid = create(desk, customer="黄玉兰")  # no grid: nobody routed
    assert order(desk, oid).assignee_id is None
    with pytest.raises(InvalidInput, match="请选择处理人"):
        step(desk, wo.dispatch, oid)
    step(desk, wo.dispatch, oid, actor=LEAD, assignee_id=desk.st.staff["刘洋"])
    assert order(desk, oid).status == S.dispatched


# --------------------------------------------------------------------------- complaints


def test_a_complaint_must_be_contacted_within_one_working_day(desk: Desk) -> None:
    received = dt.datetime(2026, 4, 30, 16, 0)  # Thursday before the May Day holiday
    oid = create(
        desk, order_type=OrderType.complaint, received_at=received, description="投诉抢修慢"
    )
    o = order(desk, oid)
    # 1-5 May 2026 are holidays: the next working day is Wednesday 6 May
    assert o.contact_due == dt.datetime(2026, 5, 6, 23, 59, 59)
    assert o.next_due == o.contact_due
    step(desk, wo.record_contact, oid, note="已电话致歉并说明原因")
    o = order(desk, oid)
    assert o.contacted_at is not None and o.next_due == o.resolve_due
    with pytest.raises(InvalidInput, match="联系过客户"):
        step(desk, wo.record_contact, oid)


# --------------------------------------------------------------------------- edits and conflicts


def test_edit_keeps_history_and_a_stale_version_is_refused_with_what_changed(desk: Desk) -> None:
    oid = create(desk)
    seen = order(desk, oid).version
    edit = wo.OrderEdit(
        urgency=order(desk, oid).urgency,
        caller_name="王秀英",
        caller_phone="13812345678",
        address="城关镇东关社区幸福小区3号楼2单元101室",
        description="家中停电，闻到焦味",
    )
    step(desk, wo.update_order, oid, data=edit, expected_version=seen)
    step(desk, wo.dispatch, oid)  # another PC, meanwhile
    with pytest.raises(wo.OrderConflict) as refused:
        step(desk, wo.mark_on_site, oid, expected_version=seen)
    message = str(refused.value)
    assert "您打开的是第 1 版，现在是第 3 版" in message
    assert "状态：新建 → 已派单" in message
    assert "诉求内容：家中停电 → 家中停电，闻到焦味" in message
    assert "管理员" in message
    assert isinstance(refused.value, ConcurrentEdit)
    assert {c.field for c in refused.value.changes} >= {"status", "description", "dispatched_at"}
    o = order(desk, oid)
    assert (o.status, o.arrived_at, o.version) == (S.dispatched, None, 3)  # nothing overwritten
    assert events(desk, oid)[-2].kind == "edit"


# --------------------------------------------------------------------------- duplicates and merging


def test_repair_calls_about_one_place_are_offered_for_merging(desk: Desk) -> None:
    t = dt.datetime.now().replace(microsecond=0) - dt.timedelta(minutes=90)
    first = create(desk, received_at=t)
    neighbour = create(desk, customer="李桂兰", received_at=t + dt.timedelta(minutes=20))
    elsewhere = create(desk, customer="陈建国", received_at=t + dt.timedelta(minutes=25))
    with desk.db.read() as s:
        found = wo.duplicates_for(s, first)
        assert [(d.id, d.why) for d in found] == [(neighbour, "同一台区")]
        assert elsewhere not in [d.id for d in wo.duplicates_for(s, neighbour)]
        # by address when no transformer area is known
        same_place = wo.find_duplicates(
            s,
            transformer_area_id=None,
            address="城关镇东关社区幸福小区 3 号楼 2 单元 101",
            at=t + dt.timedelta(minutes=30),
        )
        assert [d.id for d in same_place] == [first]
    with desk.db.write() as s:
        station.set_setting(s, desk.admin, "duplicate_window_minutes", "10")
    with desk.db.read() as s:
        assert wo.duplicates_for(s, first) == []


def test_merge_keeps_the_callers_and_calls_them_all_back(desk: Desk) -> None:
    t = dt.datetime.now().replace(microsecond=0) - dt.timedelta(minutes=60)
    target = create(desk, received_at=t)
    dup = create(
        desk,
        customer="李桂兰",
        received_at=t + dt.timedelta(minutes=10),
        channel=Channel.hotline_95598,
    )
    with desk.db.write() as s:  # a third caller's call linked to the duplicate
        s.add(
            Call(
                started_at=t + dt.timedelta(minutes=12),
                phone="13900000001",
                caller_name="赵师傅",
                work_order_id=dup,
                direction=CallDirection.inbound,
            )
        )
    with pytest.raises(PermissionDenied), desk.db.write() as s:
        wo.merge_orders(session=s, actor=STAFF, target_id=target, duplicate_id=dup)
    with desk.db.write() as s:
        wo.merge_orders(
            session=s,
            actor=LEAD,
            target_id=target,
            duplicate_id=dup,
            expected_version=1,
            note="同一台区停电",
        )
    d = order(desk, dup)
    assert (d.status, d.merged_into_id) == (S.merged, target)
    merge_event = events(desk, dup)[-1]
    assert (merge_event.kind, merge_event.from_status, merge_event.to_status) == (
        "merge",
        S.new,
        S.merged,
    )
    assert events(desk, target)[-1].kind == "merge"
    with desk.db.read() as s:  # the calls stay with the duplicate
        assert (
            s.execute(select(Call.work_order_id).where(Call.caller_name == "赵师傅")).scalar()
            == dup
        )  # type: ignore[call-overload]
        targets = wo.callback_targets(s, target)
    assert [(t.name, t.order_id, t.primary) for t in targets] == [
        ("王秀英", target, True), ("李桂兰", dup, False), ("赵师傅", dup, False),
    ]  # fmt: skip

    for nxt in (wo.dispatch, wo.mark_on_site):
        step(desk, nxt, target)
    step(desk, wo.resolve, target, resolution="更换跌落式熔断器")
    with desk.db.read() as s:
        detail = wo.order_detail(s, target)
    assert [m[1] for m in detail.merged] == [d.number]
    assert len(detail.callbacks) == 3
    others = [
        wo.CallerFeedback(order_id=dup, name="李桂兰", phone=targets[1].phone, satisfaction=4),
        wo.CallerFeedback(order_id=dup, name="赵师傅", phone="13900000001", satisfaction=None),
    ]
    step(desk, wo.call_back, target, satisfaction=5, others=others)
    d = order(desk, dup)
    assert (d.status, d.satisfaction) == (S.merged, 4)  # merged stays merged, rated
    notes = [e.note for e in events(desk, target)]
    assert any("李桂兰" in n and "4分" in n for n in notes)
    assert any("赵师傅" in n and "未接通" in n for n in notes)
    with desk.db.read() as s:
        backs = (
            s.execute(select(Call).where(Call.direction == CallDirection.outbound)).scalars().all()
        )
    assert len(backs) == 3  # every call back is logged


def test_merge_refuses_what_cannot_be_merged(desk: Desk) -> None:
    a, b = create(desk), create(desk)
    with pytest.raises(InvalidInput, match="它自己"), desk.db.write() as s:
        wo.merge_orders(session=s, actor=LEAD, target_id=a, duplicate_id=a)
    closed = order_at(desk, S.closed)
    with pytest.raises(wo.TransitionRefused), desk.db.write() as s:
        wo.merge_orders(session=s, actor=LEAD, target_id=closed, duplicate_id=b)
    with pytest.raises(wo.TransitionRefused), desk.db.write() as s:
        wo.merge_orders(session=s, actor=LEAD, target_id=a, duplicate_id=closed)
    # an order merged before follows its target into the new one
    c = create(desk)
    with desk.db.write() as s:
        wo.merge_orders(session=s, actor=LEAD, target_id=b, duplicate_id=c)
    with desk.db.write() as s:
        wo.merge_orders(session=s, actor=LEAD, target_id=a, duplicate_id=b)
    assert order(desk, c).merged_into_id == a


def test_detail_lists_steps_history_and_duplicates(desk: Desk) -> None:
    oid = create(desk)
    create(desk, customer="李桂兰")
    with desk.db.read() as s:
        d = wo.order_detail(s, oid)
    assert d.grid == "东关网格" and d.assignee == "张伟" and d.account_no == "3700000001"
    assert d.allowed == [S.dispatched, S.cancelled, S.merged]
    assert [e.kind for e in d.events] == ["created"] and d.events[0].who == "管理员"
    assert len(d.duplicates) == 1
    assert d.deadline_kind == "arrival"
    put_on_leave(desk.db, desk.st.staff["张伟"], desk.st.staff["刘洋"])
