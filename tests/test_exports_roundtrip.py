"""Exports: every kind in the layout the importer reads (export → import changes
nothing), formula neutralisation, masking by role, templates, audit."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook
from sqlalchemy import select
from test_imports_kinds import (
    ARREARS_HEADER,
    CONTACT_HEADER,
    GRID_HEADER,
    ORDER_HEADER,
    STAFF_HEADER,
)
from test_ledgers_files import TAS, customer_row, customers_file, seed_county, titled, write_xlsx

from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.db.models import AuditLog
from gridsvc_desktop.domain.enums import Role
from gridsvc_desktop.ledgers.specs import SPECS
from gridsvc_desktop.ledgers.writer import LedgerWriter, risky
from gridsvc_desktop.services import actor as actor_module
from gridsvc_desktop.services.actor import Actor, Permission, PermissionDenied
from gridsvc_desktop.services.exports import export_ledger, export_template
from gridsvc_desktop.services.imports import ImportOptions, import_ledger, prepare_import

KINDS = ["customers", "transformer_areas", "grids", "staff", "contacts", "arrears", "orders_95598"]


@pytest.fixture
def county(db: Database, admin: Actor, tmp_path: Path) -> Database:
    """A small county with every kind of record, loaded through the importer."""
    src = tmp_path / "src"
    src.mkdir()
    staff = [
        ["DY1", "甲经理", "网格客户经理", "综合", "13811110001", "", "一班"],
        ["DY2", "乙经理", "网格客户经理", "综合", "0838-2345678", "", "二班"],
        ["DY3", "丙专员", "网格服务专员", "故障报修、用电检查", "13811110003", "甲网格", "一班"],
    ]
    grids = [
        ["甲网格", "城关镇", "文庙社区", "甲经理", "13811110001", f"{TAS[0][0]}、{TAS[1][0]}"],
        ["乙网格", "东城街道", "杨柳村", "乙经理", "0838-2345678", TAS[2][0]],
    ]
    contacts = [
        ["文庙社区", "翰林苑", "3栋", "张楼长", "楼长", "13900000001"],
        ["文庙社区", "翰林苑", "全部", "李物业", "物业", "0838-2345670"],
        ["杨柳村", "", "", "王网格员", "社区网格员", ""],
    ]
    at = dt.datetime(2026, 11, 13, 9, 30)
    orders = [
        [
            "O1",
            at,
            "故障报修",
            customer_row(1)[0],
            "甲",
            "13800000001",
            "地址",
            "停电",
            "95598电话",
            "紧急",
        ],
        ["O2", at, "咨询", "", "乙", "", "", "电价", "微信", "一般"],
    ]
    arrears = [
        [customer_row(1)[0], "", "202606", "1,234.56", 1.5],
        [customer_row(2)[0], "", "202607", 99, 0],
    ]
    import_ledger(
        db,
        admin,
        write_xlsx(src / "s.xlsx", titled("人员花名册", STAFF_HEADER, staff)),
        ImportOptions(kind="staff"),
    )
    seed_county(db, admin, src)
    for kind, header, rows in (
        ("grids", GRID_HEADER, grids),
        ("staff", STAFF_HEADER, staff),
        ("contacts", CONTACT_HEADER, contacts),
    ):
        import_ledger(
            db,
            admin,
            write_xlsx(src / f"{kind}.xlsx", titled(kind, header, rows)),
            ImportOptions(kind=kind),
        )
    import_ledger(db, admin, customers_file(src, 30))
    for kind, header, rows in (
        ("arrears", ARREARS_HEADER, arrears),
        ("orders_95598", ORDER_HEADER, orders),
    ):
        import_ledger(
            db,
            admin,
            write_xlsx(src / f"{kind}.xlsx", titled(kind, header, rows)),
            ImportOptions(kind=kind),
        )
    return db


@pytest.mark.parametrize("kind", KINDS)
def test_export_then_import_changes_nothing(
    county: Database, admin: Actor, tmp_path: Path, kind: str
) -> None:
    result = export_ledger(county, admin, kind, tmp_path / f"{kind}.xlsx")
    assert result.rows > 0 and not result.masked
    plan = prepare_import(county, admin, result.path)
    assert plan.kind.value == kind and plan.header_row == 3
    assert plan.counts == (0, 0, result.rows, 0), plan.describe()
    assert not plan.ignored and not plan.missing


def test_export_layout_title_info_header(county: Database, admin: Actor, tmp_path: Path) -> None:
    path = export_ledger(county, admin, "customers", tmp_path / "c.xlsx").path
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    assert rows[0][0] == "测试供电所 客户档案"
    assert rows[1][0].startswith("导出时间：") and "导出人：admin" in rows[1][0]
    assert rows[2] == SPECS["customers"].headers
    assert rows[3][0] == customer_row(0)[0] and rows[3][3] == "居民生活用电"
    assert isinstance(rows[3][11], dt.date) and rows[3][12] == 8


@pytest.mark.parametrize("kind", ["work_orders", "calls", "collections"])
def test_export_only_lists(county: Database, admin: Actor, tmp_path: Path, kind: str) -> None:
    result = export_ledger(county, admin, kind, tmp_path / f"{kind}.xlsx")
    rows = CalamineWorkbook.from_path(str(result.path)).get_sheet_by_index(0).to_python()
    assert rows[2] == SPECS[kind].headers
    assert len(rows) - 3 == result.rows
    if kind == "work_orders":
        assert result.rows == 2 and rows[3][4] == "新建" and rows[3][1] in ("O1", "O2")


DANGEROUS = [
    "=1+1",
    '=HYPERLINK("http://x","点我")',
    "+86 138 0013 8000",
    "-2+3",
    "@SUM(A1)",
    "\tTAB",
    "\rCR",
    "\x00NUL",
]


def test_formulas_are_written_as_text(tmp_path: Path) -> None:
    spec = SPECS["work_orders"]
    path = tmp_path / "f.xlsx"
    w = LedgerWriter(path, spec, station="所", exported_by="me")
    for text_ in DANGEROUS:
        w.write_row([text_] + [None] * (len(spec.columns) - 1))
    w.close()
    ws = load_workbook(path).active
    assert ws is not None
    cells = [ws.cell(row=r, column=1) for r in range(4, 4 + len(DANGEROUS))]
    assert all(c.data_type == "s" for c in cells)
    got = [
        r[0] for r in CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()[3:]
    ]
    assert got == DANGEROUS
    assert all(risky(t) for t in DANGEROUS) and not risky("138")


@pytest.mark.sqlite_only("the test edits a row with raw SQL in SQLite's ? parameter style")
def test_exported_customer_with_formula_like_text(
    county: Database, admin: Actor, tmp_path: Path
) -> None:
    acc = customer_row(3)[0]
    with county.write() as s:
        s.connection().exec_driver_sql(
            "UPDATE customer SET name = '=cmd|''/c calc''!A1', address = '+86 138 0013 8000 号' WHERE account_no = ?",
            (acc,),
        )
    path = export_ledger(county, admin, "customers", tmp_path / "c.xlsx").path
    ws = load_workbook(path).active
    assert ws is not None
    row = next(r for r in ws.iter_rows(min_row=4) if r[0].value == acc)
    assert row[1].data_type == "s" and row[1].value == "=cmd|'/c calc'!A1"
    assert row[2].data_type == "s" and row[2].value.startswith("+86")
    assert prepare_import(county, admin, path).counts[1] == 0


def test_masking_by_role(
    county: Database,
    admin: Actor,
    staff_actor: Actor,
    lead_actor: Actor,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with pytest.raises(PermissionDenied):
        export_ledger(county, staff_actor, "customers", tmp_path / "x.xlsx")
    phone = customer_row(0)[9]
    masked_phone = phone[:3] + "****" + phone[-4:]

    def first_phone(path: Path) -> str:
        return str(CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()[3][9])

    lead = export_ledger(county, lead_actor, "customers", tmp_path / "lead.xlsx")
    assert not lead.masked and first_phone(lead.path) == phone
    forced = export_ledger(county, admin, "customers", tmp_path / "masked.xlsx", masked=True)
    assert forced.masked and first_phone(forced.path) == masked_phone
    monkeypatch.setitem(
        actor_module.PERMISSIONS,
        Role.lead,
        actor_module.PERMISSIONS[Role.lead] - {Permission.unmask},
    )
    limited = export_ledger(county, lead_actor, "customers", tmp_path / "limited.xlsx")
    assert limited.masked and first_phone(limited.path) == masked_phone
    info = CalamineWorkbook.from_path(str(limited.path)).get_sheet_by_index(0).to_python()[1][0]
    assert "打码" in info
    staff_file = export_ledger(county, lead_actor, "staff", tmp_path / "staff.xlsx").path
    rows = CalamineWorkbook.from_path(str(staff_file)).get_sheet_by_index(0).to_python()[3:]
    assert {r[4] for r in rows} == {"138****0001", "0838-***5678", "138****0003"}
    # a masked file cannot overwrite real phones
    plan = prepare_import(county, admin, limited.path)
    assert plan.counts[1] == 0 and len(plan.refused) == 30
    assert "打码" in plan.refused[0].reason


def test_templates_have_instructions_and_import_empty(
    db: Database, admin: Actor, staff_actor: Actor, tmp_path: Path
) -> None:
    for kind in KINDS:
        path = export_template(db, staff_actor, kind, tmp_path / f"{kind}_模板.xlsx")
        wb = CalamineWorkbook.from_path(str(path))
        assert wb.sheet_names == ["说明", SPECS[kind].title]
        notes = wb.get_sheet_by_name("说明").to_python()
        assert any(r[0] == SPECS[kind].columns[0].header for r in notes)
        plan = prepare_import(db, admin, path)
        assert (
            plan.kind.value == kind
            and plan.sheet == SPECS[kind].title
            and plan.counts == (0, 0, 0, 0)
        )


def test_each_export_is_audited(county: Database, admin: Actor, tmp_path: Path) -> None:
    export_ledger(county, admin, "arrears", tmp_path / "a.xlsx", masked=True)
    with county.read() as s:
        entry: Any = s.execute(select(AuditLog).where(AuditLog.action == "export")).scalars().one()
    assert (
        entry.entity == "arrears"
        and '"rows": 2' in entry.after_json
        and '"masked": true' in entry.after_json
    )
