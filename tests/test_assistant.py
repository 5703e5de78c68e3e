"""The call assistant: answers drawn from the records, the standard-answer
library filled for a customer, masking by role, the leads' edits (validated,
version-checked, audited) and the answers a call records."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlmodel import select
from test_work_orders_sample import Desk, build_station, desk, station_template

from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.db.errors import ConcurrentEdit
from gridsvc_desktop.db.models import (
    AnswerTemplate,
    Arrears,
    AuditLog,
    Building,
    Call,
    Compound,
    Contact,
    Customer,
    Outage,
    OutageScope,
    TransformerArea,
)
from gridsvc_desktop.domain import templates
from gridsvc_desktop.domain.answer_library import (
    LIVE_KEYS,
    PLACEHOLDERS,
    STANDARD_ANSWERS,
)
from gridsvc_desktop.domain.enums import (
    ContactKind,
    OrderType,
    OutageKind,
    OutageStatus,
    Role,
)
from gridsvc_desktop.services import assistant
from gridsvc_desktop.services import calls as call_svc
from gridsvc_desktop.services.actor import SYSTEM, Actor, PermissionDenied
from gridsvc_desktop.services.assistant import Answer, TemplateInput
from gridsvc_desktop.services.common import InvalidInput

FIXTURES = (desk, station_template)  # the sample station's fixtures, used by pytest

NOW = dt.datetime.now().replace(microsecond=0)


def answers(d: Desk, name: str, actor: Actor | None = None) -> dict[str, Answer]:
    with d.db.read() as s:
        found = assistant.answers_for_customer(
            session=s, actor=actor or d.admin, customer_id=d.st.customers[name]
        )
    return {a.key: a for a in found}


def no_raw_none(found: dict[str, Answer]) -> None:
    for a in found.values():
        assert "None" not in a.text and "{" not in a.text, (a.key, a.text)


# --------------------------------------------------------------------------- the library


def test_the_library_is_seeded_once_and_every_answer_is_valid(desk: Desk) -> None:
    with desk.db.read() as s:
        rows = assistant.library(s)
    assert 12 <= len(rows) <= 20
    assert [r.key for r in rows] == [a.key for a in STANDARD_ANSWERS]
    for a in STANDARD_ANSWERS:  # every seeded body passes the lead's validation
        assert templates.unknown_placeholders(a.body, tuple(PLACEHOLDERS)) == []
        assert a.key not in LIVE_KEYS
    titles = {r.title for r in rows}
    assert {
        "居民阶梯电价",
        "峰谷分时电价",
        "缴费方式",
        "过户",
        "新装用电",
        "电费发票",
    } <= titles
    with desk.db.write() as s:
        assert assistant.ensure_library(s) == 0  # idempotent
        s.delete(
            s.execute(select(AnswerTemplate).where(AnswerTemplate.key == "invoice")).scalar_one()
        )
    with desk.db.write() as s:
        assert assistant.ensure_library(s) == 1  # a missing key comes back, only it
    with desk.db.read() as s:
        assert len(assistant.library(s)) == len(STANDARD_ANSWERS)


def test_the_seed_texts_hold_the_statutory_limits() -> None:
    body = {a.key: a.body for a in STANDARD_ANSWERS}
    assert "5个工作日" in body["new_connection"] and "6个工作日" in body["new_connection"]
    assert "24小时" in body["arrears_cutoff"] and "7天" in body["arrears_cutoff"]
    assert "千分之一" in body["arrears_cutoff"]
    assert "7天" in body["outage_query"] and "24小时" in body["outage_query"]
    assert "5个工作日" in body["meter_check"]
    assert "1个工作日" in body["complaint"]
    assert {"网上国网", "支付宝", "微信", "营业厅", "代扣"} <= {
        w for w in ("网上国网", "支付宝", "微信", "营业厅", "代扣") if w in body["pay_methods"]
    }


# --------------------------------------------------------------------------- filling


def test_every_placeholder_is_filled_for_a_customer_with_full_records(
    desk: Desk,
) -> None:
    cid = desk.st.customers["王秀英"]
    day = NOW.date()
    with desk.db.write() as s:
        s.add(
            Arrears(
                customer_id=cid,
                month="202609",
                amount_fen=12_345,
                first_seen=day,
                last_seen=day,
            )
        )
        s.add(
            Arrears(
                customer_id=cid,
                month="202610",
                amount_fen=6_655,
                first_seen=day,
                last_seen=day,
            )
        )
        customer = s.get(Customer, cid)
        assert customer is not None and customer.transformer_area_id is not None
        ta = s.get(TransformerArea, customer.transformer_area_id)
        assert ta is not None and ta.community_id is not None
        compound = Compound(community_id=ta.community_id, name="幸福小区")
        s.add(compound)
        s.flush()
        assert compound.id is not None
        building = Building(compound_id=compound.id, name="3号楼")
        s.add(building)
        s.flush()
        s.add(
            Contact(
                kind=ContactKind.building_leader,
                name="刘楼长",
                phone="13911112222",
                compound_id=compound.id,
                building_id=building.id,
            )
        )
        customer.compound_id, customer.building_id = compound.id, building.id
        customer.meter_no = "3300001234567"
        s.add(customer)  # fmt: skip
    body = "".join(f"[{name}]{{{name}}}" for name in PLACEHOLDERS)
    with desk.db.read() as s:
        text = assistant.preview(s, body, cid, unmask=True)
    assert "【" not in text and "None" not in text
    for expected in ("[户名]王秀英", "[户号]3700000001", "[台区]东关1号台区", "[网格]东关网格",
                     "[网格经理]张伟", "[经理电话]13900001111", "[欠费金额]190.00元",
                     "[欠费月份]2026年9月、2026年10月", "[到场时限]45分钟", "[复电时限]3小时",
                     "[热线]95598", "[供电所]测试供电所", "[用电类别]居民", "[楼长]刘楼长",
                     "[楼长电话]13911112222", "[电表号]3300001234567", "[线路]10kV城关线"):  # fmt: skip
        assert expected in text, expected
    with desk.db.read() as s:  # the building leader is a resident: masked without the right
        masked = assistant.preview(s, "[楼长电话]{楼长电话}[经理电话]{经理电话}", cid, unmask=False)
    assert masked == "[楼长电话]139****2222[经理电话]13900001111"


def test_missing_data_is_a_visible_gap_never_none(desk: Desk) -> None:
    found = answers(desk, "周明")  # no transformer area, so no grid and no manager
    no_raw_none(found)
    manager = found["live_manager"]
    assert "【未登记：网格经理】" in manager.text and "【未登记：经理电话】" in manager.text
    assert set(manager.gaps) >= {"网格", "网格经理", "经理电话", "台区"}
    assert "【未登记：网格经理】" in found["repair_limits"].text
    assert found["price_tiered"].gaps == ()  # needs nothing the records lack
    # the filler itself: None, blank and absent values all give the gap
    assert templates.fill(
        "{户名}/{地址}/{户号}", {"户名": None, "地址": "  "}, ("户名", "地址", "户号")
    ) == ("【未登记：户名】/【未登记：地址】/【未登记：户号】")


def test_unknown_placeholders_and_stray_braces_are_refused_on_save(desk: Desk) -> None:
    lead = Actor(user_id=None, username="班长乙", role=Role.lead)
    with desk.db.write() as s:
        with pytest.raises(InvalidInput, match=r"\{户主电话\}") as err:
            assistant.create_template(
                session=s,
                actor=lead,
                data=TemplateInput(title="试", body="请拨{户主电话}"),
            )
        assert err.value.field == "body"
        with pytest.raises(InvalidInput, match="花括号") as err:
            assistant.create_template(
                session=s,
                actor=lead,
                data=TemplateInput(title="试", body="您好 {户 名}"),
            )
        with pytest.raises(InvalidInput, match="标题") as err:
            assistant.create_template(
                session=s, actor=lead, data=TemplateInput(title=" ", body="您好")
            )
        with pytest.raises(InvalidInput, match="已存在"):
            assistant.create_template(
                session=s,
                actor=lead,
                data=TemplateInput(title="试", body="您好", key="invoice"),
            )
        with pytest.raises(InvalidInput, match="不可用"):
            assistant.create_template(
                session=s,
                actor=lead,
                data=TemplateInput(title="试", body="您好", key="live_orders"),
            )


# --------------------------------------------------------------------------- answers from the records


def test_a_customer_with_nothing_open_is_told_so(desk: Desk) -> None:
    found = answers(desk, "陈建国")
    no_raw_none(found)
    assert [k for k in found if found[k].live] == list(LIVE_KEYS)
    assert "没有停电记录" in found["live_outage"].text
    assert "90分钟" in found["live_outage"].text  # 南湖网格 is rural
    assert "没有欠费" in found["live_arrears"].text
    assert "没有在办的工单" in found["live_orders"].text
    assert "李娜" in found["live_manager"].text


def test_arrears_total_months_and_how_to_pay(desk: Desk) -> None:
    cid = desk.st.customers["陈建国"]
    day = dt.date(2026, 11, 20)
    with desk.db.write() as s:
        s.add(
            Arrears(
                customer_id=cid,
                month="202608",
                amount_fen=10_050,
                first_seen=day,
                last_seen=day,
            )
        )
        s.add(
            Arrears(
                customer_id=cid,
                month="202609",
                amount_fen=200_000,
                first_seen=day,
                last_seen=day,
            )
        )
        s.add(Arrears(customer_id=cid, month="202605", amount_fen=999, first_seen=day, last_seen=day,
                      status="paid"))  # fmt: skip
    text = answers(desk, "陈建国")["live_arrears"].text
    assert "2,100.50元" in text
    assert "2026年8月、2026年9月" in text and "5月" not in text
    assert "11月20日" in text  # the ledger it is read from
    assert "网上国网" in text and "支付宝" in text
    pay = answers(desk, "陈建国")["arrears_cutoff"].text
    assert "2,100.50元" in pay


def _outage(d: Desk, *, status: OutageStatus, start: dt.datetime, end: dt.datetime, ta: str) -> int:
    with d.db.write() as s:
        outage = Outage(kind=OutageKind.fault, status=status, reason="10kV线路故障",
                        planned_start=start, planned_end=end,
                        actual_start=start if status == OutageStatus.in_progress else None)  # fmt: skip
        s.add(outage)
        s.flush()
        assert outage.id is not None
        s.add(OutageScope(outage_id=outage.id, transformer_area_id=d.st.tas[ta]))
        return outage.id


def test_an_active_outage_gives_status_and_expected_restoration(desk: Desk) -> None:
    end = NOW + dt.timedelta(hours=2)
    _outage(
        desk,
        status=OutageStatus.in_progress,
        start=NOW - dt.timedelta(hours=1),
        end=end,
        ta="T001",
    )
    text = answers(desk, "王秀英")["live_outage"].text
    assert "东关1号台区" in text and "故障停电" in text and "10kV线路故障" in text
    assert f"预计{assistant.spoken_time(end, NOW)}恢复供电" in text
    # the neighbour on another transformer area has no outage
    assert "没有停电记录" in answers(desk, "陈建国")["live_outage"].text


def test_an_outage_past_its_planned_end_says_restoration_may_be_late(
    desk: Desk,
) -> None:
    _outage(desk, status=OutageStatus.in_progress, start=NOW - dt.timedelta(hours=5),
            end=NOW - dt.timedelta(hours=1), ta="T001")  # fmt: skip
    text = answers(desk, "王秀英")["live_outage"].text
    assert "推迟" in text and "张伟" in text


def test_an_upcoming_planned_outage_is_mentioned(desk: Desk) -> None:
    start = NOW + dt.timedelta(days=3)
    _outage(
        desk,
        status=OutageStatus.announced,
        start=start,
        end=start + dt.timedelta(hours=6),
        ta="T002",
    )
    text = answers(desk, "陈建国")["live_outage"].text
    assert "目前没有停电" in text and f"{start.month}月{start.day}日" in text  # 3 days ahead


def test_open_orders_with_their_progress_and_due_times(desk: Desk) -> None:
    with desk.db.write() as s:
        call = call_svc.log_call(
            session=s, actor=desk.admin,
            data=call_svc.CallInput(customer_id=desk.st.customers["王秀英"], category=OrderType.repair,
                                    summary="停电"),
        )  # fmt: skip
        assert call.id is not None
        order = call_svc.order_from_call(
            session=s, actor=desk.admin, call_id=call.id, dispatch_now=True
        )
        number, due = order.number, order.arrival_due
    assert due is not None
    text = answers(desk, "王秀英")["live_orders"].text
    assert number in text and "故障报修" in text and "已派单" in text and "张伟" in text
    assert f"{assistant.spoken_time(due, NOW)}前到达现场" in text


# --------------------------------------------------------------------------- roles


def test_residents_phones_are_masked_unless_the_actor_may_unmask(desk: Desk) -> None:
    """The building leader is a resident: masked for staff. The grid manager's
    work phone is on the grid's notice board for customers to call: in full."""
    staff = Actor(user_id=None, username="营业员甲", role=Role.staff)
    lead = Actor(user_id=None, username="班长乙", role=Role.lead)
    masked = answers(desk, "王秀英", staff)
    assert "13900001111" in masked["live_manager"].text
    assert "13900001111" in answers(desk, "王秀英", lead)["live_manager"].text


def test_staff_may_not_edit_the_library_and_leads_edits_are_audited(desk: Desk) -> None:
    staff = Actor(user_id=None, username="营业员甲", role=Role.staff)
    lead = Actor(user_id=None, username="班长乙", role=Role.lead)
    with desk.db.read() as s:
        row = s.execute(select(AnswerTemplate).where(AnswerTemplate.key == "invoice")).scalar_one()
        template_id, version = row.id, row.version
    assert template_id is not None
    edit = TemplateInput(
        title="电费发票（电子）",
        category="缴费",
        body="{户名}您好，发票请在网上国网下载。",
    )
    with pytest.raises(PermissionDenied), desk.db.write() as s:
        assistant.update_template(session=s, actor=staff, template_id=template_id, data=edit)
    with pytest.raises(PermissionDenied), desk.db.write() as s:
        assistant.create_template(session=s, actor=staff, data=edit)
    with desk.db.write() as s:
        saved = assistant.update_template(
            session=s,
            actor=lead,
            template_id=template_id,
            data=edit,
            expected_version=version,
        )
        assert saved.version == version + 1 and saved.updated_by == "班长乙"
    # a second PC still holding the old version is refused
    with pytest.raises(ConcurrentEdit), desk.db.write() as s:
        assistant.update_template(
            session=s, actor=lead, template_id=template_id,
            data=TemplateInput(title="别的", body="别的"), expected_version=version,
        )  # fmt: skip
    with desk.db.write() as s:
        new = assistant.create_template(
            session=s, actor=lead, data=TemplateInput(title="营业时间", category="服务",
                                                      body="{供电所}营业厅周一至周日8:30—17:30营业。")
        )  # fmt: skip
        new_key = new.key
    assert new_key.startswith("custom_")
    with desk.db.read() as s:
        trail = (
            s.execute(
                select(AuditLog).where(
                    AuditLog.entity == "answer_template", AuditLog.username == "班长乙"
                )
            )
            .scalars()
            .all()
        )
    assert [t.action for t in trail] == ["update", "create"]
    assert "网上国网下载" in json.loads(trail[0].after_json)["body"]
    found = answers(desk, "王秀英")
    assert found["invoice"].text == "王秀英您好，发票请在网上国网下载。"
    assert found[new_key].text == "测试供电所营业厅周一至周日8:30—17:30营业。"
    # a retired answer is no longer offered
    with desk.db.write() as s:
        assistant.update_template(
            session=s, actor=lead, template_id=template_id, data=TemplateInput(
                title="电费发票（电子）", category="缴费", body="{户名}您好。", active=False)
        )  # fmt: skip
    assert "invoice" not in answers(desk, "王秀英")


# --------------------------------------------------------------------------- the call


def test_the_call_records_the_answers_given(desk: Desk) -> None:
    staff = Actor(user_id=None, username="营业员甲", role=Role.staff)
    with desk.db.write() as s:
        call = call_svc.log_call(
            session=s,
            actor=staff,
            data=call_svc.CallInput(customer_id=desk.st.customers["王秀英"]),
        )
        call_id = call.id
    assert call_id is not None
    for key in ("pay_methods", "live_arrears", "pay_methods"):
        with desk.db.write() as s:
            assistant.record_answer_given(session=s, actor=staff, call_id=call_id, key=key)
    with pytest.raises(InvalidInput, match="no_such"), desk.db.write() as s:
        assistant.record_answer_given(session=s, actor=staff, call_id=call_id, key="no_such")
    with desk.db.read() as s:
        call = s.get(Call, call_id)
        assert call is not None and call.answer_key == "pay_methods,live_arrears"
        given = (
            s.execute(
                select(AuditLog.after_json).where(
                    AuditLog.action == "answer", AuditLog.entity_id == str(call_id)
                )
            )
            .scalars()
            .all()
        )
    assert [json.loads(g)["given"] for g in given] == [
        "pay_methods",
        "live_arrears",
        "pay_methods",
    ]


def test_a_fresh_store_has_the_library(db: Database) -> None:
    with db.read() as s:
        assert not assistant.library_is_empty(s)
        assert assistant.sample_customer(s) is None
        assert assistant.preview(s, "{户名}您好", None, unmask=False) == "【未登记：户名】您好"


def test_the_assistant_on_the_store_in_use(db: Database) -> None:
    """The same queries on whichever store the suite runs on (SQLite, or the
    PostgreSQL server of the CI's second run): outage, arrears, orders, a
    library edit and the answers a call records."""
    st = build_station(db)
    cid = st.customers["王秀英"]
    day = NOW.date()
    lead = Actor(user_id=None, username="班长乙", role=Role.lead)
    with db.write() as s:
        s.add(
            Arrears(
                customer_id=cid, month="202610", amount_fen=5_000, first_seen=day, last_seen=day
            )
        )
        outage = Outage(kind=OutageKind.planned, status=OutageStatus.in_progress, reason="检修",
                        planned_start=NOW - dt.timedelta(hours=1), planned_end=NOW + dt.timedelta(hours=3))  # fmt: skip
        s.add(outage)
        s.flush()
        assert outage.id is not None
        s.add(OutageScope(outage_id=outage.id, transformer_area_id=st.tas["T001"]))
        call = call_svc.log_call(
            session=s,
            actor=SYSTEM,
            data=call_svc.CallInput(
                customer_id=cid, category=OrderType.complaint, summary="抢修太慢"
            ),
        )
        assert call.id is not None
        call_id = call.id
        call_svc.order_from_call(session=s, actor=SYSTEM, call_id=call_id)
        row = s.execute(
            select(AnswerTemplate).where(AnswerTemplate.key == "price_tou")
        ).scalar_one()
        assert row.id is not None
        assistant.update_template(
            session=s, actor=lead, template_id=row.id,
            data=TemplateInput(title="峰谷电价", body="{户名}：谷段电价便宜。", category="电价"),
            expected_version=row.version,
        )  # fmt: skip
    with db.read() as s:
        found = {
            a.key: a
            for a in assistant.answers_for_customer(session=s, actor=SYSTEM, customer_id=cid)
        }
        assert assistant.sample_customer(s) == cid
    assert "计划停电" in found["live_outage"].text and "50.00元" in found["live_arrears"].text
    assert (
        "投诉" in found["live_orders"].text
        and "联系您" in found["live_orders"].text
        and "张伟" in found["live_manager"].text
    )
    assert found["price_tou"].text == "王秀英：谷段电价便宜。"
    with db.write() as s:
        assistant.record_answer_given(session=s, actor=SYSTEM, call_id=call_id, key="live_outage")
    with db.read() as s:
        saved = s.get(Call, call_id)
        assert saved is not None and saved.answer_key == "live_outage"


def test_times_are_said_the_way_the_desk_says_them() -> None:
    at = dt.datetime(2026, 11, 27, 10, 0)
    assert assistant.spoken_time(dt.datetime(2026, 11, 27, 16, 5), at) == "今天16:05"
    assert assistant.spoken_time(dt.datetime(2026, 11, 28, 8, 0), at) == "明天8:00"
    assert assistant.spoken_time(dt.datetime(2026, 11, 26, 23, 30), at) == "昨天23:30"
    assert assistant.spoken_time(dt.datetime(2026, 12, 1, 9, 0), at) == "12月1日9:00"
