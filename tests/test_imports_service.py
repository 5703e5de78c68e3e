"""The import service: dry run, the two apply modes, local fields kept, the record
of each import, undo restoring exactly, the error workbook, cancellation."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text
from test_ledgers_files import (
    CUSTOMER_HEADER,
    TA_HEADER,
    TAS,
    customer_row,
    customers_file,
    seed_county,
    titled,
    write_xlsx,
)

from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.db.models import AuditLog, ImportChange
from gridsvc_desktop.ledgers.pipeline import parse
from gridsvc_desktop.services.actor import Actor, PermissionDenied
from gridsvc_desktop.services.audit import verify_chain
from gridsvc_desktop.services.imports import (
    ImportOptions,
    ImportRefused,
    UndoRefused,
    apply_import,
    import_history,
    import_ledger,
    prepare_import,
    undo_last_import,
    write_error_workbook,
)
from gridsvc_desktop.services.progress import Cancelled

CUSTOMER_COLS = (
    "account_no, name, address, category, metering, transformer_area_id, meter_no, phone, phone_digits,"
    " phone_rev, community_id, compound_id, building_id, opened_on, contract_kva, notes, search_name,"
    " search_address"
)


def customers(db: Database) -> dict[str, tuple[Any, ...]]:
    with db.read() as s:
        rows = s.connection().exec_driver_sql(f"SELECT {CUSTOMER_COLS} FROM customer").fetchall()
    return {r[0]: tuple(r) for r in rows}


def _file(tmp_path: Path, rows: list[list[Any]], name: str = "客户档案.xlsx") -> Path:
    return write_xlsx(tmp_path / name, titled("客户档案", CUSTOMER_HEADER, rows), sheet="客户档案")


@pytest.fixture
def county(db: Database, admin: Actor, tmp_path: Path) -> Database:
    seed_county(db, admin, tmp_path)
    return db


def test_dry_run_counts_and_changes_write_nothing(
    county: Database, admin: Actor, tmp_path: Path
) -> None:
    import_ledger(county, admin, customers_file(tmp_path, 10))
    before = customers(county)
    rows = [customer_row(i) for i in range(10)]
    rows[2] = customer_row(2, 联系电话="13900000002", 用电地址="新地址1号")
    rows[5] = customer_row(5, 用电类别="一般工商业", 台区编号=TAS[1][0])
    rows.append(customer_row(10))
    rows.append(customer_row(11, 户号="12345"))
    plan = prepare_import(county, admin, _file(tmp_path, rows, "改.xlsx"))
    assert plan.counts == (1, 2, 8, 1)
    assert plan.summary_line() == "新增 1，修改 2，未变 8，拒绝 1"
    changed = {c.row: {f.label: (f.old, f.new) for f in c.changes} for c in plan.changed}
    assert changed[6]["联系电话"] == (customer_row(2)[9], "13900000002")
    assert changed[6]["用电地址"][1] == "新地址1号"
    assert changed[9] == {
        "用电类别": ("居民生活用电", "一般工商业"),
        "台区编号": (customer_row(5)[5], TAS[1][0]),
    }
    assert plan.refused[0].row == 15 and "位数不足" in plan.refused[0].reason
    assert plan.created_rows == [(14, customer_row(10)[0])]
    assert customers(county) == before
    assert "修改  第 6 行" in plan.describe()


def test_all_or_nothing_and_skip_refused(county: Database, admin: Actor, tmp_path: Path) -> None:
    rows = [customer_row(i) for i in range(5)] + [customer_row(9, 联系电话="abc")]
    path = _file(tmp_path, rows)
    with pytest.raises(ImportRefused) as info:
        import_ledger(county, admin, path)
    assert info.value.plan.counts == (5, 0, 0, 1)
    assert customers(county) == {}
    assert [b.kind.value for b in import_history(county)] == ["transformer_areas"]
    plan = prepare_import(county, admin, path)
    with pytest.raises(ImportRefused):
        apply_import(county, admin, plan)
    assert customers(county) == {}
    plan = apply_import(county, admin, plan, skip_refused=True)
    assert plan.applied and plan.skipped_refused and plan.counts == (5, 0, 0, 1)
    assert len(customers(county)) == 5
    batch = import_history(county)[0]
    assert (batch.created, batch.changed, batch.unchanged, batch.refused) == (5, 0, 0, 1)
    assert (
        batch.file_name == "客户档案.xlsx"
        and len(batch.file_hash) == 64
        and batch.user_id == admin.user_id
    )


@pytest.mark.sqlite_only("the test edits a row with raw SQL in SQLite's ? parameter style")
def test_ledger_owns_only_its_fields_and_absent_columns(
    county: Database, admin: Actor, tmp_path: Path
) -> None:
    import_ledger(county, admin, customers_file(tmp_path, 3))
    acc = customer_row(1)[0]
    with county.write() as s:
        s.connection().exec_driver_sql(
            "UPDATE customer SET notes = '楼下有狗', meter_no = 'X' WHERE account_no = ?", (acc,)
        )
    header = ["户号", "户名", "联系电话"]
    rows = [[acc, "新户名", "13700000000"]]
    plan = import_ledger(
        county, admin, write_xlsx(tmp_path / "部分.xlsx", titled("客户档案", header, rows))
    )
    assert plan.counts == (0, 1, 0, 0)
    row = customers(county)[acc]
    cols = [c.strip() for c in CUSTOMER_COLS.split(",")]
    got = dict(zip(cols, row, strict=True))
    assert (
        got["name"] == "新户名"
        and got["phone"] == "13700000000"
        and got["phone_rev"] == "00000000731"
    )
    assert got["notes"] == "楼下有狗" and got["meter_no"] == "X"  # not in this file: kept
    assert got["search_name"] == "新 户 名"
    assert "用电地址" in plan.missing


@pytest.mark.sqlite_only("checks the FTS5 index directly")
def test_undo_restores_exactly_and_is_audited(
    county: Database, admin: Actor, tmp_path: Path
) -> None:
    import_ledger(county, admin, customers_file(tmp_path, 8))
    before = customers(county)
    rows = [customer_row(i) for i in range(8)]
    rows[0] = customer_row(0, 户名="改了", 所属社区="北街社区")
    rows[3] = customer_row(3, 联系电话="")
    rows += [customer_row(20), customer_row(21)]
    plan = import_ledger(county, admin, _file(tmp_path, rows, "二.xlsx"))
    assert plan.counts == (2, 2, 6, 0)
    assert customers(county) != before
    with county.read() as s:
        ops = [
            c.op
            for c in s.execute(
                select(ImportChange).where(ImportChange.batch_id == plan.batch_id)
            ).scalars()
        ]
    assert sorted(ops) == ["create", "update", "update"]  # two creates share one id range
    result = undo_last_import(county, admin)
    assert result.batch_id == plan.batch_id and result.reverted == 4
    assert customers(county) == before
    with county.read() as s:
        actions = [a.action for a in s.execute(select(AuditLog).order_by(AuditLog.id)).scalars()]  # type: ignore[arg-type]
        assert actions[-3:] == ["import", "import", "undo_import"]
        assert verify_chain(s) is None
        fts = (
            s.connection()
            .exec_driver_sql(
                "SELECT count(*) FROM customer_fts WHERE customer_fts MATCH '\"改 了\"'"
            )
            .scalar()
        )
        assert fts == 0
    undo_last_import(county, admin)  # the first customer import
    assert customers(county) == {}
    undo_last_import(county, admin)  # the transformer areas, their feeders and places
    with county.read() as s:
        for table in ("transformer_area", "feeder", "admin_area"):
            assert s.connection().exec_driver_sql(f"SELECT count(*) FROM {table}").scalar() == 0


def test_undo_refused_when_rows_changed_since(
    county: Database, admin: Actor, tmp_path: Path
) -> None:
    import_ledger(county, admin, customers_file(tmp_path, 3))
    with county.write() as s:
        s.connection().exec_driver_sql("UPDATE customer SET version = version + 1 WHERE id = 1")
    with pytest.raises(UndoRefused):
        undo_last_import(county, admin)
    assert len(customers(county)) == 3


@pytest.mark.sqlite_only(
    "checks the FTS5 index and its triggers in sqlite_master (the server's COPY path: test_postgres.py)"
)
def test_big_import_uses_the_bulk_path_and_undoes(
    county: Database, admin: Actor, tmp_path: Path
) -> None:
    path = customers_file(tmp_path, 5200)
    plan = import_ledger(county, admin, path)
    assert plan.counts == (5200, 0, 0, 0)
    with county.read() as s:
        conn = s.connection()
        assert (
            conn.exec_driver_sql(
                "SELECT count(*) FROM customer_fts WHERE customer_fts MATCH '\"客 户 5 1 9 9\"'"
            ).scalar()
            == 1
        )
        names = {
            r[0]
            for r in conn.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type IN ('index', 'trigger')"
            )
        }
        assert {"ix_customer_building_id", "ix_customer_phone_rev", "customer_fts_ai"} <= names
    plan = import_ledger(county, admin, path)
    assert plan.counts == (0, 0, 5200, 0)
    undo_last_import(county, admin)  # the unchanged one: nothing to revert
    undo_last_import(county, admin)
    assert customers(county) == {}
    with county.read() as s:
        assert s.connection().exec_driver_sql("SELECT count(*) FROM customer_fts").scalar() == 0


def test_quality_warnings(county: Database, admin: Actor, tmp_path: Path) -> None:
    rows = [
        customer_row(1, 联系电话=""),
        customer_row(2, 联系电话="13333333333"),
        customer_row(3, 用电地址=""),
        customer_row(4, 台区编号="9999999999"),
        customer_row(5, **{"合同容量(kVA)": 0}),
        customer_row(6, 联系电话="13800138000"),
    ]
    plan = prepare_import(county, admin, _file(tmp_path, rows))
    text_ = "\n".join(str(w) for w in plan.warnings)
    assert "第 4 行“联系电话”：联系电话为空" in text_
    assert "13333333333”疑似无效" in text_ and "13800138000”疑似无效" in text_
    assert "第 6 行“用电地址”：用电地址为空" in text_
    assert "台区编号“9999999999”不存在" in text_
    assert "合同容量为 0" in text_
    assert plan.counts == (6, 0, 0, 0)
    ta_rows = [*TAS, ["5555555555", "新台区", "10kV新线", 0, "城关镇", "文庙社区", ""]]
    plan = prepare_import(
        county, admin, write_xlsx(tmp_path / "t.xlsx", titled("台区档案", TA_HEADER, ta_rows))
    )
    assert any("变压器容量为 0" in str(w) for w in plan.warnings)
    assert plan.side_effects == ["新建线路 1 条：10kV新线"]


def test_error_workbook_reimports_once_fixed(
    county: Database, admin: Actor, tmp_path: Path
) -> None:
    rows = [customer_row(i) for i in range(4)]
    rows += [
        customer_row(5, 户号="123"),
        customer_row(6),
        customer_row(6, 户名="别名"),
        customer_row(7, 立户日期="明天"),
    ]
    path = _file(tmp_path, rows)
    plan = prepare_import(county, admin, path)
    assert len(plan.refused) == 4
    out = tmp_path / "错误.xlsx"
    assert write_error_workbook(plan, out) == 4
    reread = parse(out)
    assert reread.spec.kind == "customers" and reread.layout.ignored == ["错误原因", "原行号"]
    assert len(reread.refused) == 4  # the same reasons again, the duplicate pair included
    from openpyxl import load_workbook

    wb = load_workbook(out)
    ws = wb.active
    assert ws is not None
    data = [[c.value for c in r] for r in ws.iter_rows(min_row=4)]
    reasons = {r[-1]: r[-2] for r in data}
    assert "位数不足" in reasons[8] and "重复" in reasons[9] and "立户日期" in reasons[11]
    # The admin fixes the workbook: right account no, drops one duplicate, a real date.
    fixed = []
    for r in data:
        if r[-1] == 10:
            continue
        r = r[:-2]
        if r[0] == "123":
            r[0] = "0000000123"
        if r[11] == "明天":
            r[11] = "2024-05-06"
        fixed.append(r)
    import_ledger(county, admin, path, skip_refused=True)
    plan = import_ledger(
        county,
        admin,
        write_xlsx(tmp_path / "改好.xlsx", titled("客户档案", CUSTOMER_HEADER, fixed)),
    )
    assert plan.counts == (3, 0, 0, 0)
    assert len(customers(county)) == 7


@pytest.mark.sqlite_only("checks the FTS5 triggers and indexes in sqlite_master")
def test_cancel_rolls_back(county: Database, admin: Actor, tmp_path: Path) -> None:
    class CancelWhileWriting:
        def report(self, done: int, total: int, message: str = "") -> None:
            self.message = message

        def is_cancelled(self) -> bool:
            return getattr(self, "message", "").startswith("正在重建索引")

    path = customers_file(tmp_path, 5100)
    with pytest.raises(Cancelled):
        import_ledger(county, admin, path, progress=CancelWhileWriting())
    assert customers(county) == {}
    assert len(import_history(county)) == 1
    with county.read() as s:
        names = {r[0] for r in s.connection().exec_driver_sql("SELECT name FROM sqlite_master")}
        assert "customer_fts_ai" in names and "ix_customer_building_id" in names


def test_only_admins_import(
    db: Database, staff_actor: Actor, lead_actor: Actor, tmp_path: Path
) -> None:
    path = customers_file(tmp_path, 1)
    for actor in (staff_actor, lead_actor):
        with pytest.raises(PermissionDenied):
            prepare_import(db, actor, path)
        with pytest.raises(PermissionDenied):
            undo_last_import(db, actor)


def test_explicit_kind_and_audit_payload(county: Database, admin: Actor, tmp_path: Path) -> None:
    plan = import_ledger(
        county, admin, customers_file(tmp_path, 2), ImportOptions(kind="customers")
    )
    with county.read() as s:
        entry = (
            s.execute(
                select(AuditLog).where(AuditLog.action == "import").order_by(AuditLog.id.desc())
            )
            .scalars()
            .first()
        )  # type: ignore[union-attr]
        assert entry is not None and entry.entity_id == str(plan.batch_id)
        payload = json.loads(entry.after_json)
        assert (
            payload["kind"] == "customers"
            and payload["created"] == 2
            and payload["file"] == "客户档案.xlsx"
        )
        assert s.connection().execute(text("SELECT count(*) FROM import_batch")).scalar() == 2


@pytest.mark.sqlite_only("the pre-import backup is the station file's (SQLite's backup API)")
def test_pre_import_backup_holds_the_database_before_the_import(
    county: Database, admin: Actor, tmp_path: Path
) -> None:
    """The backup is taken once the comparison shows changes, before the first
    write: it holds the state before the import. An import that changes nothing,
    or is refused, takes none."""
    import sqlite3

    from gridsvc_desktop.services.backups import backup_folder, list_backups

    import_ledger(county, admin, customers_file(tmp_path, 3))
    folder = backup_folder(county)
    before = {b.path for b in list_backups(folder)}
    import_ledger(county, admin, _file(tmp_path, [customer_row(i) for i in range(6)], "新.xlsx"))
    new = [b for b in list_backups(folder) if b.path not in before]
    assert [b.reason for b in new] == ["pre-import"]
    con = sqlite3.connect(new[0].path)
    try:
        assert con.execute("SELECT count(*) FROM customer").fetchone() == (3,)
    finally:
        con.close()
    assert len(customers(county)) == 6

    # the same file again changes nothing: no backup
    again = {b.path for b in list_backups(folder)}
    plan = import_ledger(county, admin, tmp_path / "新.xlsx")
    assert plan.counts == (0, 0, 6, 0)
    assert {b.path for b in list_backups(folder)} == again

    bad = _file(tmp_path, [customer_row(7), customer_row(8, 联系电话="abc")], "坏.xlsx")
    with pytest.raises(ImportRefused):
        import_ledger(county, admin, bad)
    assert {b.path for b in list_backups(folder)} == again
    assert len(customers(county)) == 6
