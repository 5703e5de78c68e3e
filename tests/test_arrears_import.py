"""The arrears ledger as a snapshot: paid, new and changed arrears across three
imports, undone exactly; what the station recorded survives every import."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from test_ledgers_files import customer_row, customers_file, seed_county, titled, write_xlsx

from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.domain.enums import CollectionKind, OrderSubtype
from gridsvc_desktop.services import arrears as ar
from gridsvc_desktop.services import roster
from gridsvc_desktop.services.actor import Actor
from gridsvc_desktop.services.imports import ImportOptions, import_ledger, undo_last_import

HEADER = ["户号", "户名", "欠费月份", "欠费金额(元)", "违约金(元)"]


def q(db: Database, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    with db.read() as s:
        return [tuple(r) for r in s.connection().execute(text(sql), params).fetchall()]


def arrear_id(db: Database, account: str, month: str) -> int:
    return int(
        q(
            db,
            "SELECT a.id FROM arrears a JOIN customer c ON c.id = a.customer_id"
            " WHERE c.account_no = :a AND a.month = :m",
            a=account,
            m=month,
        )[0][0]
    )


def state(db: Database) -> dict[tuple[str, str], tuple[Any, ...]]:
    rows = q(
        db,
        "SELECT c.account_no, a.month, a.amount_fen, a.status, a.paid_on, a.promised_on,"
        " a.collector_id, a.version FROM arrears a JOIN customer c ON c.id = a.customer_id",
    )
    return {(r[0], r[1]): r[2:] for r in rows}


def ledger(tmp_path: Path, name: str, rows: list[list[Any]]) -> Path:
    return write_xlsx(tmp_path / name, titled("欠费明细", HEADER, rows))


def imp(db: Database, actor: Actor, path: Path, **kw: Any) -> Any:
    return import_ledger(db, actor, path, ImportOptions(kind="arrears"), **kw)


@pytest.fixture
def accounts(db: Database, admin: Actor, tmp_path: Path) -> list[str]:
    seed_county(db, admin, tmp_path)
    import_ledger(db, admin, customers_file(tmp_path, 3))
    return [customer_row(i)[0] for i in range(3)]


def test_three_imports_paid_new_changed_and_exact_undo(
    db: Database, admin: Actor, tmp_path: Path, accounts: list[str]
) -> None:
    a, b, c = accounts
    today = dt.date.today().isoformat()
    p1 = imp(db, admin, ledger(tmp_path, "1.xlsx", [
        [a, "甲", "202606", 100, 0], [a, "甲", "202607", 50, 0], [b, "乙", "202606", 30, 0],
    ]))  # fmt: skip
    assert p1.counts == (3, 0, 0, 0)
    # The station works on a/202607: a promise and a collector.
    aid = arrear_id(db, a, "202607")
    with db.write() as s:
        collector = roster.create_staff(
            session=s, actor=admin,
            data=roster.StaffInput(employee_no="C01", name="催收员", phone="13900000001"),
        )  # fmt: skip
        ar.record_action(
            session=s, actor=admin, arrears_id=aid, kind=CollectionKind.phone,
            result="答应月底缴", promised_on=dt.date.today() + dt.timedelta(days=5),
        )  # fmt: skip
        ar.assign_collector(session=s, actor=admin, arrears_ids=[aid], collector_id=collector.id)
    before_2 = state(db)
    assert before_2[(a, "202607")][1] == "promised"

    # Import 2: a/202606 changed, a/202607 gone (paid), b unchanged, c new.
    p2 = imp(db, admin, ledger(tmp_path, "2.xlsx", [
        [a, "甲", "202606", 120, 0], [b, "乙", "202606", 30, 0], [c, "丙", "202608", 10, 0],
    ]))  # fmt: skip
    assert p2.counts == (1, 2, 1, 0)
    assert any("1 笔未缴欠费" in line for line in p2.side_effects)
    s2 = state(db)
    assert s2[(a, "202606")][:2] == (12000, "open")
    paid = s2[(a, "202607")]
    assert (paid[1], str(paid[2])) == ("paid", today)
    # what the collector recorded is still there
    assert paid[3] == before_2[(a, "202607")][3]  # promised_on
    assert paid[4] == before_2[(a, "202607")][4] is not None  # collector
    assert q(db, "SELECT count(*) FROM collection_action WHERE arrears_id = :a", a=aid) == [(1,)]
    assert s2[(c, "202608")][:2] == (1000, "open")
    assert sorted(r[0] for r in q(db, "SELECT kind FROM arrears_change")) == ["amount", "paid"]

    # Import 3: a/202607 is back (reopened), b gone (paid), a/202606 and c unchanged.
    p3 = imp(db, admin, ledger(tmp_path, "3.xlsx", [
        [a, "甲", "202606", 120, 0], [a, "甲", "202607", 55, 0], [c, "丙", "202608", 10, 0],
    ]))  # fmt: skip
    assert p3.counts == (0, 2, 2, 0)
    s3 = state(db)
    assert s3[(a, "202607")][:3] == (5500, "open", None)
    assert s3[(a, "202607")][3] == before_2[(a, "202607")][3]  # the promise is kept
    assert (s3[(b, "202606")][1], str(s3[(b, "202606")][2])) == ("paid", today)
    kinds = [r[0] for r in q(db, "SELECT kind FROM arrears_change ORDER BY id")]
    assert sorted(kinds[2:]) == ["amount", "paid", "reopened"]
    with db.read() as s:
        history = ar.arrears_detail(s, aid).history
    assert [h.what for h in history if h.what != "电话催费"] == [
        "出现在欠费台账", "台账中已没有", "台账金额变化", "重新出现在台账",
    ]  # fmt: skip

    # Undo 3, then 2: each state comes back exactly, versions included.
    undo_last_import(db, admin)
    assert state(db) == s2
    undo_last_import(db, admin)
    assert state(db) == before_2
    assert q(db, "SELECT count(*) FROM arrears_change") == [(0,)]


def test_refused_rows_mark_nothing_paid(
    db: Database, admin: Actor, tmp_path: Path, accounts: list[str]
) -> None:
    a, b, _ = accounts
    imp(
        db,
        admin,
        ledger(tmp_path, "1.xlsx", [[a, "甲", "202606", 100, 0], [b, "乙", "202606", 5, 0]]),
    )
    # b's row is refused while reading (no amount): it must not count as paid.
    plan = imp(
        db, admin, ledger(tmp_path, "2.xlsx", [[a, "甲", "202606", 100, 0], [b, "乙", "202606", "", 0]]),
        skip_refused=True,
    )  # fmt: skip
    assert len(plan.refused) == 1
    assert any("不把台账中没有的欠费记为已缴清" in str(w) for w in plan.warnings)
    assert {k: v[1] for k, v in state(db).items()} == {(a, "202606"): "open", (b, "202606"): "open"}


def test_cut_off_customer_paid_by_ledger_gets_reconnection_undone_with_import(
    db: Database, admin: Actor, tmp_path: Path, accounts: list[str]
) -> None:
    a, b, _ = accounts
    imp(
        db,
        admin,
        ledger(tmp_path, "1.xlsx", [[a, "甲", "202606", 100, 0], [b, "乙", "202606", 5, 0]]),
    )
    now = dt.datetime.now().replace(microsecond=0)
    aid = arrear_id(db, a, "202606")
    with db.write() as s:
        ar.record_action(
            session=s, actor=admin, arrears_id=aid, kind=CollectionKind.written_notice,
            at=now - dt.timedelta(days=8),
        )  # fmt: skip
        ar.record_cutoff(session=s, actor=admin, arrears_id=aid, at=now - dt.timedelta(hours=1))
    plan = imp(db, admin, ledger(tmp_path, "2.xlsx", [[b, "乙", "202606", 5, 0]]))
    assert plan.counts == (0, 1, 1, 0)
    orders = q(db, "SELECT subtype, customer_id, resolve_due, received_at FROM work_order")
    assert len(orders) == 1 and orders[0][0] == OrderSubtype.reconnection.value
    due = dt.datetime.fromisoformat(str(orders[0][2]))
    received = dt.datetime.fromisoformat(str(orders[0][3]))
    assert due - received == dt.timedelta(hours=24)
    undo_last_import(db, admin)
    assert q(db, "SELECT count(*) FROM work_order") == [(0,)]
    assert state(db)[(a, "202606")][1] == "cut_off"


def test_migration_0004_matches_the_model(db: Database) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    with db.engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    mine = [d for d in diffs if "arrears" in repr(d) or "collection_action" in repr(d)]
    assert mine == []
    cols = {
        c["name"]: c
        for c in __import__("sqlalchemy").inspect(db.engine).get_columns("arrears_change")
    }
    assert not cols["kind"]["nullable"] and "amount" in str(cols["kind"]["default"])
