"""The county server store (PostgreSQL): URLs, opening, the write lock, what differs.

Tests that need the server take the `pg_server` fixture and are skipped
without GRIDSVC_TEST_DATABASE_URL; the URL and settings rules run everywhere.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import PgServer
from sqlalchemy import create_engine, select, text

from gridsvc_desktop.db import engine as engine_module
from gridsvc_desktop.db.backup import backup_database
from gridsvc_desktop.db.bulk import insert_rows
from gridsvc_desktop.db.engine import Database, open_server, server_url
from gridsvc_desktop.db.errors import ForeignDatabase, ServerBusy, ServerUnavailable, StoreError
from gridsvc_desktop.db.models import Feeder
from gridsvc_desktop.db.store import configured_database_url, open_store, save_database_url
from gridsvc_desktop.db.transfer import checksums
from gridsvc_desktop.paths import DataPaths
from gridsvc_desktop.services import audit, station

ROOT = Path(__file__).resolve().parents[1]


# --------------------------------------------------------------------------- everywhere


def test_server_urls_get_our_driver_and_bad_ones_are_refused() -> None:
    url = server_url("postgresql://gridsvc:secret@10.1.2.3:5432/county")
    assert url.drivername == "postgresql+psycopg"
    assert url.host == "10.1.2.3" and url.database == "county" and url.password == "secret"
    assert server_url("postgres://u@h/db").drivername == "postgresql+psycopg"
    with pytest.raises(StoreError, match="不是 PostgreSQL"):
        server_url("mysql://u@h/db")
    with pytest.raises(StoreError, match="缺少数据库名"):
        server_url("postgresql://u@h")
    with pytest.raises(StoreError, match="无法识别"):
        server_url("服务器")


def test_an_unreachable_server_is_named_with_a_message(tmp_path: Path) -> None:
    with pytest.raises(ServerUnavailable, match="无法连接服务器数据库") as err:
        open_server("postgresql://gridsvc:secret@127.0.0.1:1/county")
    assert "secret" not in str(err.value)  # the password is never shown


def test_the_settings_file_names_the_server(tmp_path: Path) -> None:
    paths = DataPaths(tmp_path / "data")
    assert configured_database_url(paths) is None
    save_database_url(paths, 'postgresql://u:p"q@h/db')
    assert configured_database_url(paths) == 'postgresql://u:p"q@h/db'
    save_database_url(paths, None)
    assert configured_database_url(paths) is None
    paths.root.mkdir(exist_ok=True)
    (paths.root / "settings.toml").write_text("[database\nurl=", encoding="utf-8")
    with pytest.raises(StoreError, match="设置文件"):
        open_store(paths)


# --------------------------------------------------------------------------- on the server


@pytest.fixture
def server_db(pg_server: PgServer, db: Database) -> Database:
    """The conftest store, which is on the server whenever pg_server is there."""
    return db


def test_a_database_of_another_program_is_refused(pg_server: PgServer) -> None:
    url = pg_server.create(migrated=False)
    try:
        other = create_engine(server_url(url))
        with other.begin() as conn:
            conn.exec_driver_sql("CREATE TABLE invoices (id int)")
        other.dispose()
        with pytest.raises(ForeignDatabase, match="其他程序"):
            open_server(url)
    finally:
        pg_server.drop(url)


def test_settings_and_the_command_line_open_the_server(pg_server: PgServer, tmp_path: Path) -> None:
    url = pg_server.create()
    try:
        paths = DataPaths(tmp_path / "data")
        save_database_url(paths, url)
        db = open_store(paths)
        assert db.path is None and db.dialect == "postgresql"
        db.dispose()
        assert not paths.database.exists()  # no file was made beside the settings
        out = subprocess.run(
            [sys.executable, "-m", "gridsvc_desktop.cli", "init", "--data-dir", str(tmp_path / "x"),
             "--database-url", url, "--station", "服务器所"],
            cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
        assert out.returncode == 0, out.stderr
        assert not (tmp_path / "x" / "gridsvc.sqlite3").exists()
        db = open_store(paths)
        with db.read() as s:
            found = station.get_station(s)
            assert found is not None and found.name == "服务器所"
        db.dispose()
    finally:
        pg_server.drop(url)


def test_writers_take_turns_and_a_long_wait_becomes_a_message(
    server_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    held = threading.Event()
    release = threading.Event()

    def long_writer() -> None:
        with server_db.write() as s:
            s.execute(text("UPDATE setting SET value = value"))
            held.set()
            release.wait(10)

    t = threading.Thread(target=long_writer)
    t.start()
    assert held.wait(10)
    # A reader is not held up by the writer.
    started = time.monotonic()
    with server_db.read() as s:
        s.execute(select(Feeder)).all()
    assert time.monotonic() - started < 1
    # A second writer waits its turn, and past the busy timeout gets a message.
    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 300)
    with pytest.raises(ServerBusy, match="正忙"), server_db.write() as s:
        s.add(Feeder(name="10kV 等待线"))
    release.set()
    t.join()
    with server_db.write() as s:
        s.add(Feeder(name="10kV 等待线"))
    with server_db.read() as s:
        assert s.execute(select(Feeder.name)).scalars().all() == ["10kV 等待线"]


def test_audit_log_is_append_only_on_the_server(server_db: Database) -> None:
    with pytest.raises(Exception, match="append-only"), server_db.write() as s:
        s.execute(text("UPDATE audit_log SET username = 'mallory' WHERE id = 1"))
    with pytest.raises(Exception, match="append-only"), server_db.write() as s:
        s.execute(text("DELETE FROM audit_log WHERE id = 1"))
    # The server's owner switches the trigger off and edits a row: verify names it.
    with server_db.write() as s:
        first = s.execute(text("SELECT min(id) FROM audit_log")).scalar_one()
        s.execute(text("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only"))
        s.execute(text("UPDATE audit_log SET after_json = '{}' WHERE id = :i"), {"i": first})
    with server_db.read() as s:
        assert audit.verify_chain(s) == first


def test_bulk_rows_with_ids_keep_the_sequence_ahead(server_db: Database) -> None:
    with server_db.write_connection() as conn:
        insert_rows(conn, "feeder", ["id", "name"], [(7, "10kV 一线"), (41, "10kV 二线")])
    with server_db.write() as s:
        feeder = Feeder(name="10kV 三线")
        s.add(feeder)
        s.flush()
        assert feeder.id == 42


def test_pg_dump_backup_restores_to_the_same_rows(
    server_db: Database, pg_server: PgServer, tmp_path: Path
) -> None:
    dump = backup_database(server_db, tmp_path / "backups", reason="manual")
    assert dump.suffix == ".dump" and dump.stat().st_size > 0
    assert not list(dump.parent.glob("*.part"))
    copy = pg_server.create(migrated=False)
    try:
        target = server_url(copy).set(drivername="postgresql")
        subprocess.run(
            ["pg_restore", "--no-owner", "--dbname", target.render_as_string(False), str(dump)],
            check=True, capture_output=True, timeout=300,
        )  # fmt: skip
        restored = open_server(copy)
        assert checksums(restored) == checksums(server_db)
        restored.dispose()
    finally:
        pg_server.drop(copy)


def test_without_pg_dump_the_user_is_told_what_to_do(
    server_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(StoreError, match="找不到 pg_dump"):
        backup_database(server_db, tmp_path / "backups")
    assert not (tmp_path / "backups").exists() or not list((tmp_path / "backups").iterdir())


def test_foreign_keys_are_enforced_on_the_server(server_db: Database) -> None:
    with pytest.raises(Exception, match="foreign key constraint"), server_db.write() as s:
        s.execute(text("INSERT INTO staff_specialty(staff_id, specialty) VALUES (999, 'repair')"))


def test_a_big_import_goes_in_by_copy_is_found_and_undone(
    server_db: Database, tmp_path: Path
) -> None:
    from test_ledgers_files import customers_file, seed_county

    from gridsvc_desktop.db.models import Customer
    from gridsvc_desktop.services.imports import import_ledger, undo_last_import
    from gridsvc_desktop.services.search import search_customers

    with server_db.read() as s:
        admin = station.actor_for(s, "admin")
    seed_county(server_db, admin, tmp_path)
    path = customers_file(tmp_path, 5200)  # above the bulk threshold: insert_rows (COPY)
    assert import_ledger(server_db, admin, path).counts == (5200, 0, 0, 0)
    with server_db.read() as s:
        hits = search_customers(s, "客户5199")
        assert [r.name for r in hits] == ["客户5199"]
        assert len(search_customers(s, "客户519")) == 11  # 519 and 5190-5199
    assert import_ledger(server_db, admin, path).counts == (0, 0, 5200, 0)
    undo_last_import(server_db, admin)
    undo_last_import(server_db, admin)
    with server_db.read() as s:
        assert s.execute(select(Customer.id)).first() is None
