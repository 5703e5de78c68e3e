"""Outages: scope arithmetic, who is affected, notice periods, the status flow,
calls during an outage (linking, clustering), message templates, the
notification checklist, the bulk-SMS export and `gridsvc outages`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import func, insert, select
from test_ui_sample import seed_county

from gridsvc_desktop.cli import main
from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.db.errors import ConcurrentEdit
from gridsvc_desktop.db.models import (
    AuditLog,
    Call,
    Customer,
    Feeder,
    Outage,
    OutageNotification,
    TransformerArea,
    WorkOrder,
    customer_derived,
)
from gridsvc_desktop.domain import templates
from gridsvc_desktop.domain.enums import (
    ContactKind,
    CustomerCategory,
    Metering,
    NotifyChannel,
    OrderStatus,
    OrderType,
    OutageKind,
    OutageStatus,
)
from gridsvc_desktop.domain.outage_rules import check_notice, is_active
from gridsvc_desktop.domain.sla import SlaPolicy
from gridsvc_desktop.paths import DataPaths
from gridsvc_desktop.services import calls, outage_notices, outages
from gridsvc_desktop.services.actor import Actor, PermissionDenied
from gridsvc_desktop.services.common import InvalidInput

NOW = dt.datetime.now().replace(second=0, microsecond=0)


@dataclass
class Town:
    db: Database
    feeders: dict[str, int]
    areas: dict[str, int]
    first_customer: int


@pytest.fixture
def town(db: Database) -> Town:
    county = seed_county(db, customers=300)
    with db.read() as s:
        feeders = {n: i for i, n in s.execute(select(Feeder.id, Feeder.name)).all()}  # type: ignore[call-overload]
        areas = {
            c: i
            for i, c in s.execute(select(TransformerArea.id, TransformerArea.code)).all()  # type: ignore[call-overload]
        }
    return Town(db, feeders, areas, county.first_customer_id)


def announce(t: Town, actor: Actor, **kw: object) -> int:
    data = {
        "kind": OutageKind.planned,
        "planned_start": NOW + dt.timedelta(days=8),
        "planned_end": NOW + dt.timedelta(days=8, hours=8),
        "reason": "10kV线路检修",
        **kw,
    }
    with t.db.write() as s:
        o = outages.announce(session=s, actor=actor, data=outages.OutageInput(**data))  # type: ignore[arg-type]
        assert o.id is not None
        return o.id


# =========================================================================== scope


def test_scope_is_a_set_feeder_plus_areas_overlaps_count_once(town: Town, admin: Actor) -> None:
    city, lake = town.feeders["10kV城关线"], town.feeders["10kV南湖线"]
    feeder_only = announce(town, admin, feeder_ids=[city])
    areas_only = announce(town, admin, transformer_area_ids=[town.areas["T001"]])
    overlap = announce(
        town,
        admin,
        feeder_ids=[city],
        transformer_area_ids=[town.areas["T001"], town.areas["T003"]],
    )
    both_feeders = announce(town, admin, feeder_ids=[city, lake])
    with town.db.read() as s:
        assert outages.area_ids(s, feeder_only) == sorted([town.areas["T001"], town.areas["T002"]])
        assert outages.area_ids(s, areas_only) == [town.areas["T001"]]
        assert outages.area_ids(s, overlap) == sorted(town.areas.values())
        a_feeder = outages.affected(s, feeder_only)
        a_area = outages.affected(s, areas_only)
        a_overlap = outages.affected(s, overlap)
        a_all = outages.affected(s, both_feeders)
    assert a_feeder.customers == 200
    assert a_area.customers == 100
    assert a_overlap.customers == 300 == a_all.customers  # T001 named twice, counted once
    assert a_overlap.feeders == ["10kV城关线"]
    assert [a.code for a in a_overlap.areas] == ["T001", "T002", "T003"]
    assert sum(a.customers for a in a_overlap.areas) == 300


def test_affected_lists_categories_places_grids_managers_and_contacts(
    town: Town, admin: Actor
) -> None:
    with town.db.write_connection() as conn:
        conn.execute(
            insert(Customer.__table__),  # type: ignore[attr-defined]
            [
                {
                    "account_no": "9900000001", "name": "清河县钢铁有限公司", "address": "工业园",
                    "category": CustomerCategory.large_industry, "metering": Metering.dedicated,
                    "transformer_area_id": town.areas["T001"], "contract_kva": 1250,
                    "phone": "0838-1234567", "notes": "", "updated_at": NOW, "version": 1,
                    **customer_derived("清河县钢铁有限公司", "工业园", "0838-1234567"),
                }
            ],
        )  # fmt: skip
    oid = announce(town, admin, transformer_area_ids=[town.areas["T001"]])
    with town.db.read() as s:
        a = outages.affected(s, oid)
    assert a.customers == 101
    assert a.by_category[CustomerCategory.large_industry] == 1
    assert (
        a.by_category[CustomerCategory.residential]
        + a.by_category.get(CustomerCategory.commercial, 0)
        == 100
    )
    assert [c.name for c in a.important] == ["清河县钢铁有限公司"]
    assert [(g.name, g.manager, g.manager_phone) for g in a.grids] == [
        ("东关网格", "张伟", "13900001111")
    ]
    assert [c.name for c in a.communities] == ["东关社区"]
    compounds = a.compounds
    assert [p.name for p in compounds] == ["幸福小区"]
    assert compounds[0].buildings == [f"{n}号楼" for n in range(1, 7)]
    assert a.buildings == 6
    # The one customer outside any compound is gathered under its (unknown) community.
    assert sum(p.customers for p in a.places) == 101
    kinds = {c.kind for c in a.contacts}
    assert kinds == {
        ContactKind.building_leader,
        ContactKind.property_office,
        ContactKind.community_worker,
    }
    counts = a.counts()
    assert counts["客户"] == 101 and counts["重要客户"] == 1 and counts["楼长"] == 1
    # An area with no contacts and another grid: none of 幸福小区's people.
    other = announce(town, admin, transformer_area_ids=[town.areas["T002"]])
    with town.db.read() as s:
        b = outages.affected(s, other)
    assert b.contacts == [] and [g.manager for g in b.grids] == ["李娜"]


def test_affected_uses_a_fixed_number_of_queries(town: Town, admin: Actor) -> None:
    from sqlalchemy import event

    oid = announce(town, admin, feeder_ids=list(town.feeders.values()))
    statements: list[str] = []

    def count(*_args: object) -> None:
        statements.append("x")

    event.listen(town.db.engine, "before_cursor_execute", count)
    try:
        with town.db.read() as s:
            outages.affected(s, oid)
    finally:
        event.remove(town.db.engine, "before_cursor_execute", count)
    assert len(statements) <= 9


# =========================================================================== notice periods


def test_notice_rule_in_the_domain() -> None:
    policy = SlaPolicy()
    start = dt.datetime(2026, 12, 10, 8, 0)
    ok = check_notice(OutageKind.planned, start, start - dt.timedelta(days=7), policy)
    late = check_notice(OutageKind.planned, start, start - dt.timedelta(days=6, hours=23), policy)
    assert not ok.late and late.late and "不足" in late.describe()
    assert (
        check_notice(OutageKind.temporary, start, start - dt.timedelta(hours=24), policy).late
        is False
    )
    assert check_notice(OutageKind.temporary, start, start - dt.timedelta(hours=23), policy).late
    fault = check_notice(OutageKind.fault, start, start, policy)
    assert not fault.late and fault.describe() == "故障停电，随即发布"


def test_a_late_notice_is_refused_unless_a_lead_records_why(
    town: Town, admin: Actor, staff_actor: Actor, lead_actor: Actor
) -> None:
    area = [town.areas["T001"]]
    soon = {
        "planned_start": NOW + dt.timedelta(days=3),
        "planned_end": NOW + dt.timedelta(days=3, hours=4),
    }
    with pytest.raises(InvalidInput, match="提前7天") as refused:
        announce(town, staff_actor, transformer_area_ids=area, **soon)
    assert refused.value.field == "late_notice_reason"
    with pytest.raises(PermissionDenied):
        announce(
            town, staff_actor, transformer_area_ids=area, late_notice_reason="抢修需要", **soon
        )
    oid = announce(
        town, lead_actor, transformer_area_ids=area, late_notice_reason="配合市政施工", **soon
    )
    with town.db.read() as s:
        o = s.get(Outage, oid)
        assert o is not None and o.late_notice_reason == "配合市政施工"
        assert outages.notice_check(s, o).late
    # In time: any desk user, and a reason given anyway is not kept.
    oid = announce(town, staff_actor, transformer_area_ids=area, late_notice_reason="多余")
    temp = {"kind": OutageKind.temporary, "planned_start": NOW + dt.timedelta(hours=25),
            "planned_end": NOW + dt.timedelta(hours=28)}  # fmt: skip
    announce(town, staff_actor, transformer_area_ids=area, **temp)
    with pytest.raises(InvalidInput, match="24小时"):
        announce(
            town, staff_actor, transformer_area_ids=area, kind=OutageKind.temporary,
            planned_start=NOW + dt.timedelta(hours=20), planned_end=NOW + dt.timedelta(hours=22),
        )  # fmt: skip
    with town.db.read() as s:
        assert s.get(Outage, oid).late_notice_reason == ""  # type: ignore[union-attr]


def test_announce_checks_window_reason_and_scope(town: Town, admin: Actor) -> None:
    area = [town.areas["T001"]]
    with pytest.raises(InvalidInput, match="晚于计划开始"):
        announce(town, admin, transformer_area_ids=area, planned_end=NOW + dt.timedelta(days=7))
    with pytest.raises(InvalidInput, match="停电原因"):
        announce(town, admin, transformer_area_ids=area, reason="  ")
    with pytest.raises(InvalidInput, match="停电范围"):
        announce(town, admin)


def test_a_fault_outage_is_in_progress_at_once(town: Town, staff_actor: Actor) -> None:
    oid = announce(
        town, staff_actor, kind=OutageKind.fault, transformer_area_ids=[town.areas["T003"]],
        planned_start=NOW - dt.timedelta(minutes=20), planned_end=NOW + dt.timedelta(hours=3),
    )  # fmt: skip
    with town.db.read() as s:
        o = s.get(Outage, oid)
        assert o is not None
        assert o.status is OutageStatus.in_progress and o.actual_start == o.planned_start


# =========================================================================== status flow


def test_start_restore_cancel_audited_and_version_checked(
    town: Town, admin: Actor, staff_actor: Actor
) -> None:
    area = [town.areas["T001"]]
    oid = announce(town, admin, transformer_area_ids=area)
    with pytest.raises(InvalidInput, match="不能改为"), town.db.write() as s:
        outages.restore(session=s, actor=admin, outage_id=oid)
    with pytest.raises(ConcurrentEdit), town.db.write() as s:
        outages.start(session=s, actor=admin, outage_id=oid, expected_version=7)
    with town.db.write() as s:
        outages.start(session=s, actor=staff_actor, outage_id=oid, expected_version=1)
    with town.db.write() as s:
        o = outages.restore(session=s, actor=staff_actor, outage_id=oid, expected_version=2)
        assert o.status is OutageStatus.restored and o.actual_end is not None
    with pytest.raises(InvalidInput, match="已送电"), town.db.write() as s:
        outages.cancel(session=s, actor=admin, outage_id=oid, reason="天气")
    other = announce(town, admin, transformer_area_ids=area)
    with pytest.raises(PermissionDenied), town.db.write() as s:
        outages.cancel(session=s, actor=staff_actor, outage_id=other, reason="天气")
    with pytest.raises(InvalidInput, match="取消原因"), town.db.write() as s:
        outages.cancel(session=s, actor=admin, outage_id=other, reason=" ")
    with town.db.write() as s:
        outages.cancel(session=s, actor=admin, outage_id=other, reason="大风天气")
    with town.db.read() as s:
        cancelled = s.get(Outage, other)
        assert (
            cancelled is not None
            and cancelled.status is OutageStatus.cancelled
            and cancelled.cancel_reason == "大风天气"
        )
        audited = s.execute(
            select(func.count()).select_from(AuditLog).where(AuditLog.entity == "outage")  # type: ignore[arg-type]
        ).scalar_one()
    assert audited == 2 + 3  # two created, start, restore, cancel


def test_active_outages_for_area(town: Town, admin: Actor) -> None:
    t1, t2, t3 = town.areas["T001"], town.areas["T002"], town.areas["T003"]
    feeder = announce(town, admin, feeder_ids=[town.feeders["10kV城关线"]])
    late_ok = {"late_notice_reason": "测试"}
    now_window = announce(
        town, admin, transformer_area_ids=[t3], planned_start=NOW - dt.timedelta(hours=1),
        planned_end=NOW + dt.timedelta(hours=1), **late_ok,
    )  # fmt: skip
    with town.db.read() as s:
        assert outages.active_outages_for_area(s, t1) == []  # planned for next week
        at = NOW + dt.timedelta(days=8, hours=1)
        # ours and seed_county's own planned outage of the same feeder (their order
        # depends on today's date: seed_county plans relative to it)
        found = [o.id for o in outages.active_outages_for_area(s, t2, at)]
        assert feeder in found and len(found) == 2
        assert [o.id for o in outages.active_outages_for_area(s, t3)] == [now_window]
    with town.db.write() as s:
        outages.start(session=s, actor=admin, outage_id=feeder)
    with town.db.read() as s:
        assert [o.id for o in outages.active_outages_for_area(s, t1)] == [feeder]  # early start
    with town.db.write() as s:
        outages.restore(session=s, actor=admin, outage_id=feeder)
    with town.db.read() as s:
        assert outages.active_outages_for_area(s, t1) == []
    assert is_active(OutageStatus.announced, NOW, NOW + dt.timedelta(hours=1), NOW)
    assert not is_active(OutageStatus.cancelled, NOW, NOW + dt.timedelta(hours=1), NOW)


# =========================================================================== calls


def _fault_now(town: Town, admin: Actor, area: str) -> int:
    return announce(
        town, admin, kind=OutageKind.fault, transformer_area_ids=[town.areas[area]],
        planned_start=NOW - dt.timedelta(minutes=30), planned_end=NOW + dt.timedelta(hours=3),
    )  # fmt: skip


def test_a_repair_call_in_an_outage_is_linked_not_ordered(town: Town, admin: Actor) -> None:
    oid = _fault_now(town, admin, "T001")
    with town.db.write() as s:
        call = calls.log_call(
            session=s, actor=admin,
            data=calls.CallInput(customer_id=town.first_customer, category=OrderType.repair,
                                 summary="家里没电了"),
        )  # fmt: skip
        call_id = call.id
        assert call.outage_id == oid
    with town.db.read() as s:
        orders_before = s.execute(select(func.count()).select_from(WorkOrder)).scalar_one()
    with (
        pytest.raises(calls.CallInOutage, match="不再新建故障报修工单") as refused,
        town.db.write() as s,
    ):
        calls.order_from_call(session=s, actor=admin, call_id=call_id)  # type: ignore[arg-type]
    assert refused.value.outage_id == oid
    with town.db.read() as s:
        assert s.execute(select(func.count()).select_from(WorkOrder)).scalar_one() == orders_before
        assert s.get(Call, call_id).outage_id == oid  # type: ignore[union-attr]
    # A fault inside the home is still an order when the desk says so.
    with town.db.write() as s:
        order = calls.order_from_call(
            session=s,
            actor=admin,
            call_id=call_id,  # type: ignore[arg-type]
            despite_outage=True,
        )
        assert order.type is OrderType.repair
    # An inquiry is not a repair: no link.
    with town.db.write() as s:
        inquiry = calls.log_call(
            session=s, actor=admin,
            data=calls.CallInput(customer_id=town.first_customer, category=OrderType.inquiry),
        )  # fmt: skip
        assert inquiry.outage_id is None
        # A call logged first and classified as repair later is linked then.
        calls.update_call(session=s, actor=admin, call_id=inquiry.id, category=OrderType.repair)  # type: ignore[arg-type]
        assert inquiry.outage_id == oid


def _customer_in(town: Town, area: str, n: int) -> list[int]:
    with town.db.read() as s:
        return list(
            s.execute(
                select(Customer.id)  # type: ignore[call-overload]
                .where(Customer.transformer_area_id == town.areas[area])
                .order_by(Customer.id)
                .limit(n)
            ).scalars()
        )


def _repair_call(town: Town, admin: Actor, customer_id: int, minutes_ago: int) -> int:
    with town.db.write() as s:
        call = calls.log_call(
            session=s, actor=admin,
            data=calls.CallInput(customer_id=customer_id, category=OrderType.repair,
                                 summary="停电", started_at=NOW - dt.timedelta(minutes=minutes_ago)),
        )  # fmt: skip
        assert call.id is not None
        return call.id


def test_bunched_repair_calls_propose_a_fault_outage_and_merge_into_it(
    town: Town, admin: Actor, staff_actor: Actor
) -> None:
    lake = _customer_in(town, "T003", 3)
    call_ids = [_repair_call(town, admin, c, m) for c, m in zip(lake, (40, 25, 10), strict=True)]
    # Two of them already became orders.
    order_ids = []
    for cid in call_ids[:2]:
        with town.db.write() as s:
            order_ids.append(calls.order_from_call(session=s, actor=admin, call_id=cid).id)
    # Two calls on another area within the window do not make a proposal of their own.
    for c in _customer_in(town, "T001", 2):
        _repair_call(town, admin, c, 5)
    with town.db.read() as s:
        found = outages.propose_fault_outages(s, window=dt.timedelta(minutes=60), min_calls=3)
        assert outages.propose_fault_outages(s, window=dt.timedelta(minutes=20), min_calls=3) == []
    assert len(found) == 1
    p = found[0]
    assert p.feeder_id is None and p.transformer_area_ids == (town.areas["T003"],)
    assert set(p.order_ids) == set(order_ids) and p.call_ids == (call_ids[2],)
    with pytest.raises(PermissionDenied), town.db.write() as s:
        outages.accept_fault_proposal(session=s, actor=staff_actor, proposal=p)
    with town.db.write() as s:
        outage = outages.accept_fault_proposal(session=s, actor=admin, proposal=p)
        oid = outage.id
        assert outage.kind is OutageKind.fault and outage.status is OutageStatus.in_progress
    with town.db.read() as s:
        first, second = (s.get(WorkOrder, i) for i in order_ids)
        assert first is not None and second is not None
        assert first.outage_id == oid and second.outage_id == oid
        assert second.status is OrderStatus.merged and second.merged_into_id == first.id
        assert s.get(Call, call_ids[2]).outage_id == oid  # type: ignore[union-attr]
        assert outages.propose_fault_outages(s, window=dt.timedelta(minutes=60), min_calls=3) == []
    # A third T001 call now: the feeder's two areas give a feeder-wide proposal.
    city = _customer_in(town, "T002", 1)
    _repair_call(town, admin, city[0], 2)
    with town.db.read() as s:
        found = outages.propose_fault_outages(s, window=dt.timedelta(minutes=60), min_calls=3)
    assert [f.feeder_id for f in found] == [town.feeders["10kV城关线"]]
    assert found[0].where == "10kV城关线（全线）"


def test_cluster_settings_have_defaults_and_can_be_set(town: Town, admin: Actor) -> None:
    from gridsvc_desktop.services.station import set_setting

    with town.db.read() as s:
        assert outages.cluster_window(s) == dt.timedelta(minutes=60)
        assert outages.cluster_min_calls(s) == 3
    with town.db.write() as s:
        set_setting(s, admin, outages.CLUSTER_WINDOW_KEY, "30")
        set_setting(s, admin, outages.CLUSTER_MIN_KEY, "garbage")
    with town.db.read() as s:
        assert outages.cluster_window(s) == dt.timedelta(minutes=30)
        assert outages.cluster_min_calls(s) == 3


# =========================================================================== templates


def test_template_filling_leaves_visible_gaps_never_none() -> None:
    text = "{开始时间}至{结束时间}，{范围}停电，经理{网格经理}（{经理电话}），{热线}；{不存在}"
    filled = templates.fill(
        text, {"开始时间": "12月5日08:00", "结束时间": None, "范围": "  ", "网格经理": "张伟",
               "热线": 95598},
    )  # fmt: skip
    assert filled == (
        "12月5日08:00至【未登记：结束时间】，【未登记：范围】停电，经理张伟（【未登记：经理电话】），"
        "95598；【未知项：不存在】"
    )
    assert "None" not in filled
    assert templates.gaps_in(filled) == ["结束时间", "范围", "经理电话"]
    assert templates.unknown_placeholders(text) == ["不存在"]
    assert templates.fill("无占位符 {not a field}", {}) == "无占位符 {not a field}"


def test_templates_are_stored_and_refuse_unknown_placeholders(
    town: Town, admin: Actor, staff_actor: Actor
) -> None:
    with town.db.read() as s:
        assert "{原因}" in outage_notices.get_template(s, "planned")
    with pytest.raises(InvalidInput, match="不认识的占位符"), town.db.write() as s:
        outage_notices.set_template(session=s, actor=admin, name="planned", text="{原因}{错字}")
    with pytest.raises(PermissionDenied), town.db.write() as s:
        outage_notices.set_template(session=s, actor=staff_actor, name="planned", text="x")
    with town.db.write() as s:
        outage_notices.set_template(
            session=s, actor=admin, name="planned", text="{范围}停电：{原因}。经理{网格经理}"
        )
    oid = announce(town, admin, transformer_area_ids=[town.areas["T001"]])
    with town.db.read() as s:
        targets = outage_notices.targets(s, oid)
    assert {t.message for t in targets} >= {"幸福小区1号楼停电：10kV线路检修。经理张伟"}
    with town.db.write() as s:
        outage_notices.set_template(session=s, actor=admin, name="planned", text="")
        assert "{原因}" in outage_notices.get_template(s, "planned")  # back to the default


# =========================================================================== notifications


def test_messages_for_contacts_and_managers_checklist_and_restoration(
    town: Town, admin: Actor, staff_actor: Actor
) -> None:
    oid = announce(town, admin, transformer_area_ids=[town.areas["T001"], town.areas["T003"]])
    with town.db.read() as s:
        targets = outage_notices.targets(s, oid)
    who = sorted((t.who, t.name) for t in targets)
    assert who == sorted(
        [("楼长", "刘桂兰"), ("物业", "幸福小区物业"), ("社区网格员", "赵敏"),
         ("网格经理", "张伟"), ("网格经理", "王强")]
    )  # fmt: skip
    leader = next(t for t in targets if t.name == "刘桂兰")
    assert "幸福小区1号楼" in leader.message and "张伟" in leader.message
    assert "10kV线路检修" in leader.message and "95598" in leader.message
    manager = next(t for t in targets if t.name == "王强")
    assert manager.message.count("南湖网格") == 1 and "None" not in manager.message
    with town.db.write() as s:
        assert outage_notices.generate(session=s, actor=staff_actor, outage_id=oid) == 5
    with town.db.write() as s:
        assert outage_notices.generate(session=s, actor=staff_actor, outage_id=oid) == 0
    with town.db.read() as s:
        rows = outage_notices.notifications(s, oid)
    assert len(rows) == 5 and all(r.pending for r in rows)
    with town.db.write() as s:
        outage_notices.mark_sent(
            session=s, actor=staff_actor, notification_id=rows[0].id, channel=NotifyChannel.sms
        )
    with pytest.raises(InvalidInput, match="已于"), town.db.write() as s:
        outage_notices.mark_sent(
            session=s, actor=staff_actor, notification_id=rows[0].id, channel=NotifyChannel.sms
        )
    with town.db.read() as s:
        rows = outage_notices.notifications(s, oid)
    assert [r.pending for r in rows] == [True, True, True, True, False]
    assert rows[-1].channel is NotifyChannel.sms and rows[-1].sent_at is not None
    with pytest.raises(InvalidInput, match="尚未恢复供电"), town.db.write() as s:
        outage_notices.generate(
            session=s, actor=staff_actor, outage_id=oid, kind=outage_notices.RESTORATION
        )
    with town.db.write() as s:
        outages.start(session=s, actor=admin, outage_id=oid)
    with town.db.write() as s:
        outages.restore(session=s, actor=admin, outage_id=oid)
    with town.db.write() as s:
        added = outage_notices.generate(
            session=s, actor=staff_actor, outage_id=oid, kind=outage_notices.RESTORATION
        )
        assert added == 5
    with town.db.read() as s:
        restored = outage_notices.notifications(s, oid, outage_notices.RESTORATION)
        sent_count = s.execute(
            select(func.count())
            .select_from(OutageNotification)
            .where(
                OutageNotification.sent_at.is_not(None)  # type: ignore[union-attr]
            )
        ).scalar_one()
    assert all("恢复供电" in r.message for r in restored) and sent_count == 1


def test_contact_export_for_bulk_sms_masks_by_role(
    town: Town, admin: Actor, lead_actor: Actor, staff_actor: Actor, tmp_path: object
) -> None:
    from pathlib import Path

    from python_calamine import CalamineWorkbook

    oid = announce(town, admin, transformer_area_ids=[town.areas["T001"]])
    full = Path(str(tmp_path)) / "full.xlsx"
    masked = Path(str(tmp_path)) / "masked.xlsx"
    assert outage_notices.export_contacts(town.db, lead_actor, oid, full) == 4
    outage_notices.export_contacts(town.db, lead_actor, oid, masked, full_phones=False)
    with pytest.raises(PermissionDenied):
        outage_notices.export_contacts(town.db, staff_actor, oid, Path(str(tmp_path)) / "x.xlsx")

    def rows(path: Path) -> list[list[Any]]:
        sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
        return sheet[3:]

    full_rows = rows(full)
    assert [r[2] for r in full_rows if r[1] == "刘桂兰"] == ["13700000011"]
    assert [r[2] for r in rows(masked) if r[1] == "刘桂兰"] == ["137****0011"]
    assert all("停电" in str(r[5]) for r in full_rows)


# =========================================================================== CLI


def test_cli_outages_list_and_affected(
    town: Town, admin: Actor, data_paths: DataPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    oid = announce(
        town, admin, feeder_ids=[town.feeders["10kV城关线"]],
        transformer_area_ids=[town.areas["T001"]],
    )  # fmt: skip
    assert main(["outages", "list", "--data-dir", str(data_paths.root)]) == 0
    out, _ = capsys.readouterr()
    assert "10kV城关线（全线）、东关1号台区" in out
    assert (
        main(["outages", "affected", str(oid), "--contacts", "--data-dir", str(data_paths.root)])
        == 0
    )
    out, _ = capsys.readouterr()
    assert "客户 200" in out and "东关网格　100 户　张伟" in out
    assert "幸福小区（东关社区）" in out and "楼长　刘桂兰" in out
    assert main(["outages", "affected", "999", "--data-dir", str(data_paths.root)]) == 2
    assert "找不到停电事件" in capsys.readouterr().err


# =========================================================================== demo


def test_demo_county_has_outages_of_every_kind_and_status(db: Database) -> None:
    from gridsvc_desktop.demo.county import build_county
    from gridsvc_desktop.demo.outages import CANCEL_REASON, LATE_REASON

    build_county(db, customers=1000, today=dt.date(2026, 11, 27))
    with db.read() as s:
        rows = outages.list_outages(s)
        kinds = {(r.kind, r.status) for r in rows}
        assert {k for k, _ in kinds} == set(OutageKind)
        assert {st for _, st in kinds} == set(OutageStatus)
        late = [r for r in rows if r.late_notice_reason == LATE_REASON]
        assert len(late) == 1 and late[0].kind is OutageKind.temporary
        assert any(
            r.cancel_reason == CANCEL_REASON and r.kind is OutageKind.temporary for r in rows
        )
        overlap = next(r for r in rows if r.reason == "线路改造及台区增容")
        a = outages.affected(s, overlap.id)
        named = outages.area_ids(s, overlap.id)
        assert len(named) == len(a.areas) and a.customers == sum(x.customers for x in a.areas)
        assert a.feeders and a.customers > 0


def test_a_cancelled_outage_gets_cancellation_messages(
    town: Town, admin: Actor, staff_actor: Actor
) -> None:
    oid = announce(town, admin, transformer_area_ids=[town.areas["T001"]])
    with town.db.write() as s:
        assert outage_notices.generate(session=s, actor=staff_actor, outage_id=oid) == 4
    with town.db.write() as s:
        outages.cancel(session=s, actor=admin, outage_id=oid, reason="大风天气")
    with pytest.raises(InvalidInput, match="已取消"), town.db.write() as s:
        outage_notices.generate(session=s, actor=staff_actor, outage_id=oid)
    with town.db.write() as s:
        kind = outage_notices.kind_for(OutageStatus.cancelled)
        assert outage_notices.generate(session=s, actor=staff_actor, outage_id=oid, kind=kind) == 4
    with town.db.read() as s:
        told = outage_notices.notifications(s, oid, outage_notices.CANCELLATION)
    assert len(told) == 4 and all("已取消（大风天气）" in n.message for n in told)
    assert told[0].where  # the contact's place, from the contact itself


def test_cli_outages_proposals(
    town: Town, admin: Actor, data_paths: DataPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["outages", "proposals", "--data-dir", str(data_paths.root)]) == 0
    assert "没有需要登记的故障停电" in capsys.readouterr().err
    for n, c in enumerate(_customer_in(town, "T003", 3)):
        _repair_call(town, admin, c, 10 * n)
    assert main(["outages", "proposals", "--data-dir", str(data_paths.root)]) == 0
    assert "南湖3号台区：3 起报修" in capsys.readouterr().out


def test_a_call_attached_to_a_future_outage_may_still_become_a_repair_order(
    town: Town, admin: Actor
) -> None:
    oid = announce(town, admin, transformer_area_ids=[town.areas["T001"]])  # next week
    call_id = _repair_call(town, admin, town.first_customer, 1)
    with town.db.write() as s:
        assert s.get(Call, call_id).outage_id is None  # type: ignore[union-attr]
        calls.attach_to_outage(session=s, actor=admin, call_id=call_id, outage_id=oid)
    with town.db.write() as s:
        order = calls.order_from_call(session=s, actor=admin, call_id=call_id)
        assert order.type is OrderType.repair
