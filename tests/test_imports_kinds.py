"""How each ledger kind links to what is in the database: the samples end to end,
then the grid layout, roster, contacts, arrears and 95598 orders one by one."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import SAMPLES
from sqlalchemy import select
from test_ledgers_files import TAS, seed_county, titled, write_xlsx

from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.db.models import ArrearsChange, WorkOrder, WorkOrderEvent
from gridsvc_desktop.services.actor import Actor
from gridsvc_desktop.services.imports import (
    ImportOptions,
    ImportRefused,
    import_ledger,
    undo_last_import,
)


def q(db: Database, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    with db.read() as s:
        return [tuple(r) for r in s.connection().exec_driver_sql(sql, params).fetchall()]


def one(db: Database, sql: str, *params: Any) -> Any:
    return q(db, sql, *params)[0][0]


@pytest.mark.skipif(not SAMPLES.exists(), reason="shared samples not present")
def test_sample_ledgers_end_to_end(db: Database, admin: Actor) -> None:
    order = [
        "人员花名册",
        "台区档案",
        "网格划分",
        "客户档案",
        "楼长联络表",
        "欠费明细",
        "95598工单",
    ]
    plans = {name: import_ledger(db, admin, SAMPLES / f"{name}.xlsx") for name in order}
    assert {n: p.counts for n, p in plans.items()} == {
        "人员花名册": (40, 0, 0, 0), "台区档案": (16, 0, 0, 0), "网格划分": (16, 0, 0, 0),
        "客户档案": (3000, 0, 0, 0), "楼长联络表": (224, 0, 0, 0), "欠费明细": (150, 0, 0, 0),
        "95598工单": (50, 0, 0, 0),
    }  # fmt: skip
    # TA → feeder, community under its town, manager from the roster
    assert one(db, "SELECT count(*) FROM feeder") == 8
    ta = q(db, "SELECT f.name, c.name, t.name, s.name FROM transformer_area ta JOIN feeder f ON f.id = ta.feeder_id"
               " JOIN admin_area c ON c.id = ta.community_id JOIN admin_area t ON t.id = c.parent_id"
               " JOIN staff s ON s.id = ta.manager_id WHERE ta.code = '7294919105'")  # fmt: skip
    assert ta == [("10kV城东线", "文庙社区", "城关镇", "管芳静")]
    # grid → manager by phone, its transformer areas, a manager membership
    grid = q(db, "SELECT g.code, s.name, c.name FROM grid g JOIN staff s ON s.id = g.manager_id"
                 " JOIN admin_area c ON c.id = g.community_id WHERE g.name = '文庙社区网格'")  # fmt: skip
    assert grid == [("WG001", "管芳静", "文庙社区")]
    assert one(db, "SELECT count(*) FROM transformer_area WHERE grid_id IS NULL") == 0
    assert one(db, "SELECT count(*) FROM grid_member WHERE role = 'manager'") == 16
    # customers → TA and community; contacts → compound, whole-compound building, grid
    assert (
        one(
            db,
            "SELECT count(*) FROM customer WHERE transformer_area_id IS NULL OR community_id IS NULL",
        )
        == 0
    )
    assert (
        one(db, "SELECT count(*) FROM contact WHERE compound_id IS NULL OR building_id IS NOT NULL")
        == 0
    )
    assert one(db, "SELECT count(*) FROM contact WHERE grid_id IS NULL") == 0
    # arrears in fen
    assert one(db, "SELECT a.amount_fen FROM arrears a JOIN customer c ON c.id = a.customer_id"
                   " WHERE c.account_no = '0783905539' AND a.month = '202606'") == 143760  # fmt: skip
    # 95598 orders
    with db.read() as s:
        orders = list(s.execute(select(WorkOrder)).scalars())
        events = list(s.execute(select(WorkOrderEvent)).scalars())
    assert len(orders) == 50 and len(events) == 50 and {e.kind for e in events} == {"created"}
    assert all(o.number == f"GD{o.received_at:%Y%m%d}" + o.number[-4:] for o in orders)
    assert all(re.fullmatch(r"GD\d{12}", o.number) for o in orders)
    assert len({o.number for o in orders}) == 50
    by_ext = {o.external_no: o for o in orders}
    first = by_ext["2026539306434398"]
    assert first.type.value == "opinion" and first.channel.value == "hotline_95598"
    assert by_ext["2026455266744738"].channel.value == "wechat"
    assert first.status.value == "new" and first.received_at == dt.datetime(2026, 11, 13, 2, 49)
    assert first.resolve_due > first.received_at
    repairs = [o for o in orders if o.type.value == "repair"]
    assert repairs and all(
        o.arrival_due == o.received_at + dt.timedelta(minutes=45) for o in repairs
    )
    assert sum(o.customer_id is not None for o in orders) > 0
    # everything again: nothing changes (orders are idempotent on 工单编号)
    for name in [*order, "人员花名册"]:
        plan = import_ledger(db, admin, SAMPLES / f"{name}.xlsx")
        assert plan.created == 0 and not plan.changed, (name, plan.describe())
    # undo the (empty) re-imports, then the orders
    for _ in range(len(order) + 1):
        undo_last_import(db, admin)
    undo_last_import(db, admin)
    assert one(db, "SELECT count(*) FROM work_order") == 0


GRID_HEADER = ["网格名称", "乡镇(街道)", "社区(村)", "网格客户经理", "经理手机", "台区编号"]
STAFF_HEADER = ["工号", "姓名", "岗位", "专业", "手机", "所属网格", "班组"]


def _import(db: Database, actor: Actor, path: Path, kind: str, **kw: Any) -> Any:
    return import_ledger(db, actor, path, ImportOptions(kind=kind), **kw)


def test_grid_layout_moves_and_releases_transformer_areas(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    seed_county(db, admin, tmp_path)
    staff = [["DY1", "甲经理", "网格客户经理", "综合", "13811110001", "", "一班"],
             ["DY2", "乙经理", "网格客户经理", "综合、故障报修", "13811110002", "", "二班"]]  # fmt: skip
    _import(
        db,
        admin,
        write_xlsx(tmp_path / "s.xlsx", titled("人员花名册", STAFF_HEADER, staff)),
        "staff",
    )
    a, b, c = (t[0] for t in TAS)
    rows = [["甲网格", "城关镇", "文庙社区", "甲经理", "138 1111 0001", f"{a}、{b}"],
            ["乙网格", "东城街道", "杨柳村", "谁", "13811110002", c]]  # fmt: skip
    plan = _import(
        db, admin, write_xlsx(tmp_path / "g1.xlsx", titled("网格划分", GRID_HEADER, rows)), "grids"
    )
    assert plan.counts == (2, 0, 0, 0)
    tas = dict(
        q(db, "SELECT ta.code, g.name FROM transformer_area ta JOIN grid g ON g.id = ta.grid_id")
    )
    assert tas == {a: "甲网格", b: "甲网格", c: "乙网格"}
    managers = dict(
        q(db, "SELECT g.name, s.employee_no FROM grid g JOIN staff s ON s.id = g.manager_id")
    )
    assert managers == {"甲网格": "DY1", "乙网格": "DY2"}  # 乙 by phone although the name is wrong
    rows = [["甲网格", "城关镇", "文庙社区", "甲经理", "13811110001", a],
            ["乙网格", "东城街道", "杨柳村", "乙经理", "13811110002", f"{b}、{c}、0000000001"]]  # fmt: skip
    plan = _import(
        db, admin, write_xlsx(tmp_path / "g2.xlsx", titled("网格划分", GRID_HEADER, rows)), "grids"
    )
    assert plan.counts == (0, 2, 0, 0)
    assert any("0000000001" in str(w) and "不存在" in str(w) for w in plan.warnings)
    assert dict(q(db, "SELECT ta.code, g.name FROM transformer_area ta JOIN grid g ON g.id = ta.grid_id")) == {
        a: "甲网格", b: "乙网格", c: "乙网格",
    }  # fmt: skip
    rows = [
        ["甲网格", "城关镇", "文庙社区", "甲经理", "13811110001", a],
        ["乙网格", "东城街道", "杨柳村", "", "", a],
    ]
    with pytest.raises(ImportRefused) as info:
        _import(
            db,
            admin,
            write_xlsx(tmp_path / "g3.xlsx", titled("网格划分", GRID_HEADER, rows)),
            "grids",
        )
    assert "已在第 4 行的网格中" in info.value.plan.refused[0].reason
    undo_last_import(db, admin)
    assert (
        dict(
            q(
                db,
                "SELECT ta.code, g.name FROM transformer_area ta JOIN grid g ON g.id = ta.grid_id",
            )
        )
        == tas
    )


def test_roster_specialties_and_grid_membership(db: Database, admin: Actor, tmp_path: Path) -> None:
    seed_county(db, admin, tmp_path)
    _import(db, admin, write_xlsx(tmp_path / "g.xlsx", titled("网格划分", GRID_HEADER, [
        ["甲网格", "城关镇", "文庙社区", "", "", TAS[0][0]], ["乙网格", "城关镇", "北街社区", "", "", TAS[1][0]],
    ])), "grids")  # fmt: skip
    rows = [["dy7", "丙", "专员", "抢修、业扩", "13900000007", "甲网格、乙网格", "一班"]]
    plan = _import(
        db,
        admin,
        write_xlsx(tmp_path / "s1.xlsx", titled("人员花名册", STAFF_HEADER, rows)),
        "staff",
    )
    assert plan.counts == (1, 0, 0, 0)
    assert sorted(r[0] for r in q(db, "SELECT specialty FROM staff_specialty")) == [
        "new_connection",
        "repair",
    ]
    assert sorted(q(db, "SELECT g.name, m.role FROM grid_member m JOIN grid g ON g.id = m.grid_id")) == [
        ("乙网格", "member"), ("甲网格", "member"),
    ]  # fmt: skip
    rows = [["DY7", "丙", "专员", "综合、未知专业", "13900000007", "乙网格、没有的网格", "一班"]]
    plan = _import(
        db,
        admin,
        write_xlsx(tmp_path / "s2.xlsx", titled("人员花名册", STAFF_HEADER, rows)),
        "staff",
    )
    assert plan.counts == (0, 1, 0, 0)
    change = {c.label: (c.old, c.new) for c in plan.changed[0].changes}
    assert change == {
        "专业": ("业扩报装、故障报修", "综合"),
        "所属网格": ("乙网格、甲网格", "乙网格"),
    }
    assert {str(w).split("：", 1)[1] for w in plan.warnings} == {
        "无法识别的专业“未知专业”，已忽略",
        "网格“没有的网格”不存在，未加入",
    }
    assert q(db, "SELECT specialty FROM staff_specialty") == [("general",)]
    undo_last_import(db, admin)
    assert sorted(r[0] for r in q(db, "SELECT specialty FROM staff_specialty")) == [
        "new_connection",
        "repair",
    ]
    assert one(db, "SELECT count(*) FROM grid_member") == 2


CONTACT_HEADER = ["社区", "小区", "楼栋", "姓名", "身份", "电话"]


def test_contacts_create_places_and_join_the_grid(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    seed_county(db, admin, tmp_path)
    _import(db, admin, write_xlsx(tmp_path / "g.xlsx", titled("网格划分", GRID_HEADER, [
        ["甲网格", "城关镇", "文庙社区", "", "", TAS[0][0]],
    ])), "grids")  # fmt: skip
    rows = [
        ["文庙社区", "翰林苑", "3栋", "张楼长", "楼长", "13900000001"],
        ["文庙社区", "翰林苑", "全部", "李物业", "物业", "0838-2345678"],
        ["新河村", "", "", "王网格员", "网格员", ""],
    ]
    plan = _import(
        db,
        admin,
        write_xlsx(tmp_path / "c.xlsx", titled("楼长联络表", CONTACT_HEADER, rows)),
        "contacts",
    )
    assert plan.counts == (3, 0, 0, 0)
    got = q(db, "SELECT c.name, c.kind, a.name, cp.name, b.name, g.name FROM contact c"
                " JOIN admin_area a ON a.id = c.community_id LEFT JOIN compound cp ON cp.id = c.compound_id"
                " LEFT JOIN building b ON b.id = c.building_id LEFT JOIN grid g ON g.id = c.grid_id ORDER BY c.id")  # fmt: skip
    assert got == [
        ("张楼长", "building_leader", "文庙社区", "翰林苑", "3栋", "甲网格"),
        ("李物业", "property_office", "文庙社区", "翰林苑", None, "甲网格"),
        ("王网格员", "community_worker", "新河村", None, None, None),
    ]
    assert any("电话为空" in str(w) for w in plan.warnings)
    undo_last_import(db, admin)
    assert one(db, "SELECT count(*) FROM contact") == 0
    assert one(db, "SELECT count(*) FROM compound") == 0
    assert q(db, "SELECT name FROM admin_area WHERE name = '新河村'") == []


ARREARS_HEADER = ["户号", "户名", "欠费月份", "欠费金额(元)", "违约金(元)"]


def test_arrears_amounts_changes_and_unknown_customers(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    from test_ledgers_files import customer_row, customers_file

    seed_county(db, admin, tmp_path)
    import_ledger(db, admin, customers_file(tmp_path, 3))
    acc = customer_row(1)[0]
    rows = [
        [acc, "甲", "202606", "1,437.60", "8.37"],
        [acc, "甲", "2026-07", 10, 0],
        ["9999999999", "无", "202606", 1, 0],
    ]
    path = write_xlsx(tmp_path / "a1.xlsx", titled("欠费明细", ARREARS_HEADER, rows))
    with pytest.raises(ImportRefused) as info:
        _import(db, admin, path, "arrears")
    assert "不在客户档案中" in info.value.plan.refused[0].reason
    _import(db, admin, path, "arrears", skip_refused=True)
    assert q(db, "SELECT month, amount_fen, ledger_late_fee_fen, status FROM arrears ORDER BY month") == [
        ("202606", 143760, 837, "open"), ("202607", 1000, 0, "open"),
    ]  # fmt: skip
    rows = [[acc, "甲", "202606", 1500, "8.37"], [acc, "甲", "202607", 10, 0]]
    plan = _import(
        db,
        admin,
        write_xlsx(tmp_path / "a2.xlsx", titled("欠费明细", ARREARS_HEADER, rows)),
        "arrears",
    )
    assert plan.counts == (0, 1, 1, 0)
    assert [(c.label, c.old, c.new) for c in plan.changed[0].changes] == [
        ("欠费金额(元)", "1437.60", "1500.00")
    ]
    with db.read() as s:
        change = s.execute(select(ArrearsChange)).scalar_one()
    assert (change.old_amount_fen, change.new_amount_fen, change.import_batch_id) == (
        143760,
        150000,
        plan.batch_id,
    )
    undo_last_import(db, admin)
    assert one(db, "SELECT amount_fen FROM arrears WHERE month = '202606'") == 143760
    assert one(db, "SELECT count(*) FROM arrears_change") == 0


ORDER_HEADER = [
    "工单编号",
    "受理时间",
    "业务类型",
    "户号",
    "户名",
    "联系电话",
    "用电地址",
    "诉求内容",
    "受理渠道",
    "紧急程度",
]


def test_95598_orders_numbers_sla_and_idempotence(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    from test_ledgers_files import customer_row, customers_file

    seed_county(db, admin, tmp_path)
    import_ledger(db, admin, customers_file(tmp_path, 3))
    at = dt.datetime(2026, 11, 13, 9, 0)
    rows = [
        [
            "A1",
            at,
            "故障报修",
            customer_row(1)[0],
            "甲",
            "138-0000-0001",
            "地址",
            "停电了",
            "95598电话",
            "紧急",
        ],
        ["A2", at, "投诉", "", "乙", "12", "", "服务差", "", ""],
        ["A3", at, "咨询", "0000000009", "丙", "", "", "电价", "网站", "一般"],
    ]
    path = write_xlsx(tmp_path / "o.xlsx", titled("95598工单", ORDER_HEADER, rows))
    plan = _import(db, admin, path, "orders_95598")
    assert plan.counts == (3, 0, 0, 0)
    assert any("不在客户档案中" in str(w) for w in plan.warnings)
    assert any("12" in str(w) and "按原样保存" in str(w) for w in plan.warnings)
    assert any("网站" in str(w) and "按默认值处理" in str(w) for w in plan.warnings)
    with db.read() as s:
        orders = {o.external_no: o for o in s.execute(select(WorkOrder)).scalars()}
    assert sorted(o.number for o in orders.values()) == [f"GD20261113000{i}" for i in (1, 2, 3)]
    repair = orders["A1"]
    assert (
        repair.customer_id is not None
        and repair.urgency.value == "urgent"
        and repair.caller_phone == "13800000001"
    )
    assert repair.arrival_due == at + dt.timedelta(minutes=45)
    assert repair.resolve_due == at + dt.timedelta(minutes=45, hours=3)
    complaint = orders["A2"]
    assert complaint.channel.value == "hotline_95598" and complaint.caller_phone == "12"
    assert complaint.contact_due is not None and complaint.contact_due > at
    assert orders["A3"].channel.value == "hotline_95598" and orders["A3"].customer_id is None
    rows.append(["A4", at, "表扬", "", "丁", "", "", "好", "微信", "一般"])
    rows[0][7] = "内容改了"
    plan = _import(
        db,
        admin,
        write_xlsx(tmp_path / "o2.xlsx", titled("95598工单", ORDER_HEADER, rows)),
        "orders_95598",
    )
    assert plan.counts == (1, 0, 3, 0)
    assert one(db, "SELECT number FROM work_order WHERE external_no = 'A4'") == "GD202611130004"
    assert one(db, "SELECT description FROM work_order WHERE external_no = 'A1'") == "停电了"


def test_contacts_without_the_optional_key_column(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    rows = [
        ["文庙社区", "张网格员", "社区网格员", "13900000001"],
        ["文庙社区", "李主任", "社区服务中心", ""],
    ]
    path = write_xlsx(
        tmp_path / "c.xlsx", titled("楼长联络表", ["社区", "姓名", "身份", "电话"], rows)
    )
    plan = _import(db, admin, path, "contacts")
    assert plan.counts == (2, 0, 0, 0)
    assert _import(db, admin, path, "contacts").counts == (0, 0, 2, 0)
    assert q(db, "SELECT count(*) FROM contact WHERE compound_id IS NULL") == [(2,)]
