"""The import's speed paths keep their answers: the rows read while the file loads
(ledgers/kinds/prefetch.py) are used only while nobody else has written, the
bulk load puts back every index it dropped, and the search index rebuilt with a
larger hash is whole and keeps its settings."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from test_ledgers_files import customer_row, customers_file, seed_county

from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.db.search_index import DEFAULT_HASH_BYTES
from gridsvc_desktop.ledgers.kinds import customers as customer_kind
from gridsvc_desktop.ledgers.kinds.base import compute_diff, start_prefetch
from gridsvc_desktop.ledgers.kinds.customers import CustomersKind
from gridsvc_desktop.ledgers.kinds.prefetch import ExistingPrefetch
from gridsvc_desktop.ledgers.pipeline import parse
from gridsvc_desktop.services.actor import Actor
from gridsvc_desktop.services.imports import ImportRefused, import_ledger
from gridsvc_desktop.services.progress import NullProgress

pytestmark = pytest.mark.sqlite_only("SQLite's data_version, FTS5 and sqlite_master")


@pytest.fixture
def county(db: Database, admin: Actor, tmp_path: Path) -> Database:
    seed_county(db, admin, tmp_path)
    return db


def _prefetch(db: Database) -> ExistingPrefetch:
    started = start_prefetch(CustomersKind, db.engine)
    assert started is not None
    return started


def _columns() -> list[str]:
    assert CustomersKind.prefetch is not None
    return list(CustomersKind.prefetch[2])


def _set_phone(db: Database, account_no: str, phone: str) -> None:
    """A desk's edit, committed on another connection."""
    with db.write() as s:
        s.connection().exec_driver_sql(
            "UPDATE customer SET phone = ?, version = version + 1 WHERE account_no = ?",
            (phone, account_no),
        )


def test_prefetched_digests_are_those_of_a_fresh_read(
    county: Database, admin: Actor, tmp_path: Path
) -> None:
    path = customers_file(tmp_path, 300)
    import_ledger(county, admin, path)
    kind = CustomersKind()
    parsed = parse(path)
    fields = kind.fields(parsed)
    assert [f.name for f in fields] == _columns()
    prefetched = _prefetch(county)
    try:
        got = prefetched.digests_for(_columns())
        with county.read() as s:
            fresh = {k: hash(v) for k, _id, v in kind.existing(s.connection(), fields)}
        assert got == fresh and len(got) == 300
        assert prefetched.digests_for(_columns()[:-1]) is None  # other columns: not known
    finally:
        prefetched.close()
    assert county.engine.pool.checkedout() == 0  # type: ignore[attr-defined]


def test_a_commit_by_another_connection_voids_the_prefetch(
    county: Database, admin: Actor, tmp_path: Path
) -> None:
    path = customers_file(tmp_path, 50)
    import_ledger(county, admin, path)
    account = next(iter(parse(path).records))
    prefetched = _prefetch(county)
    try:
        assert prefetched.digests_for(_columns()) is not None
        _set_phone(county, account, "13912345678")
        assert prefetched.digests_for(_columns()) is None
    finally:
        prefetched.close()


def test_the_comparison_sees_an_edit_made_while_the_file_loaded(
    county: Database, admin: Actor, tmp_path: Path
) -> None:
    """The prefetch read the row before a desk changed it: the comparison must not
    take the stale digest, so the ledger's value counts as a change."""
    path = customers_file(tmp_path, 40)
    import_ledger(county, admin, path)
    kind = CustomersKind()
    parsed = parse(path)
    account = next(iter(parsed.records))
    prefetched = _prefetch(county)
    try:
        prefetched.digests_for(_columns())  # read and digested before the edit
        _set_phone(county, account, "13912345678")
        with county.write() as s:
            conn = s.connection()
            fields = kind.fields(parsed)
            kind.link(conn, parsed, fields)
            diff = compute_diff(kind, conn, parsed, fields, NullProgress(), prefetched)
    finally:
        prefetched.close()
    assert [u.key for u in diff.updates] == [account]
    assert diff.unchanged == 39


def test_a_reimport_compares_right_and_leaves_no_connection_or_gc_behind(
    county: Database, admin: Actor, tmp_path: Path
) -> None:
    path = customers_file(tmp_path, 120)
    import_ledger(county, admin, path)
    plan = import_ledger(county, admin, path)
    assert plan.counts == (0, 0, 120, 0)
    rows = [customer_row(i) for i in range(3)]
    rows.append(customer_row(3, 户号=""))  # refused: the import raises
    from test_imports_service import _file

    with pytest.raises(ImportRefused):
        import_ledger(county, admin, _file(tmp_path, rows, "坏.xlsx"))
    assert gc.isenabled()
    assert county.engine.pool.checkedout() == 0  # type: ignore[attr-defined]


def test_a_load_that_doubles_the_table_puts_every_index_back(
    county: Database, admin: Actor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(customer_kind, "BULK_REBUILD_MIN", 1000)
    schema = "SELECT type, name, sql FROM sqlite_master WHERE tbl_name IN ('customer', 'customer_fts') ORDER BY name"
    with county.read() as s:
        before = s.connection().exec_driver_sql(schema).fetchall()
    import_ledger(county, admin, customers_file(tmp_path, 5200))
    with county.read() as s:
        conn = s.connection()
        assert conn.exec_driver_sql(schema).fetchall() == before
        conn.exec_driver_sql("INSERT INTO customer_fts(customer_fts) VALUES ('integrity-check')")
        assert (
            conn.exec_driver_sql(
                "SELECT v FROM customer_fts_config WHERE k = 'hashsize'"
            ).scalar_one()
            == DEFAULT_HASH_BYTES
        )
        hits = conn.exec_driver_sql(
            "SELECT count(*) FROM customer_fts WHERE customer_fts MATCH '\"客 户 5 1 9 9\"'"
        ).scalar()
        assert hits == 1
        plan = conn.exec_driver_sql(
            "EXPLAIN QUERY PLAN SELECT id FROM customer WHERE phone_rev = '1'"
        ).fetchall()
        assert any("ix_customer_phone_rev" in str(r) for r in plan)
