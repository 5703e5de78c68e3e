"""The store: pragmas, write locks, refusals of bad files, migrations, backups."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from gridsvc_desktop.db.backup import backup_database
from gridsvc_desktop.db.engine import Database, is_network_path, open_sqlite
from gridsvc_desktop.db.errors import (
    DatabaseCorrupt,
    DatabaseTooNew,
    DataDirNotWritable,
    ForeignDatabase,
    NotADatabase,
)
from gridsvc_desktop.db.migrate import current_revision, head_revision
from gridsvc_desktop.db.store import open_store
from gridsvc_desktop.paths import DataPaths

FIXTURES = Path(__file__).with_name("fixtures")


def _sha(path: Path) -> bytes:
    return path.read_bytes()


@pytest.mark.sqlite_only("SQLite's pragmas and WAL journal")
def test_pragmas_and_journal(db: Database) -> None:
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 10_000
    assert current_revision(db) == head_revision()


@pytest.mark.sqlite_only(
    "SQLite enforces foreign keys only with its pragma; the test matches SQLite's message (the server enforces them always)"
)
def test_foreign_keys_enforced(db: Database) -> None:
    with pytest.raises(Exception, match="FOREIGN KEY"), db.write() as s:
        s.execute(text("INSERT INTO staff_specialty(staff_id, specialty) VALUES (999, 'repair')"))


@pytest.mark.sqlite_only(
    "BEGIN IMMEDIATE on the file (the server's write lock: test_postgres.py::test_writers_take_turns_and_a_long_wait_becomes_a_message)"
)
def test_write_session_takes_lock_up_front(db: Database) -> None:
    """A second writer waits for the first instead of failing half-way."""
    assert db.path is not None
    order: list[str] = []
    started = threading.Event()

    def first() -> None:
        with db.write() as s:
            s.execute(text("SELECT 1"))  # a read only, yet the write lock is held
            started.set()
            time.sleep(0.4)
            order.append("first")

    t = threading.Thread(target=first)
    t.start()
    started.wait()
    other = sqlite3.connect(db.path, timeout=0.05)
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        other.execute("BEGIN IMMEDIATE")
    other.close()
    with db.write() as s:  # waits on busy_timeout, then gets the lock
        s.execute(text("SELECT 1"))
        order.append("second")
    t.join()
    assert order == ["first", "second"]


@pytest.mark.sqlite_only(
    "SQLite's file locks (on the server: test_postgres.py::test_writers_take_turns_and_a_long_wait_becomes_a_message)"
)
def test_read_session_does_not_lock(db: Database) -> None:
    assert db.path is not None
    with db.read() as s:
        s.execute(text("SELECT count(*) FROM customer"))
        other = sqlite3.connect(db.path, timeout=0.05)
        other.execute("BEGIN IMMEDIATE")
        other.rollback()
        other.close()


def test_network_mount_detected() -> None:
    mounts = (
        "/dev/vda / ext4 rw 0 0\n"
        "//server/share /mnt/share cifs rw 0 0\n"
        "server:/export /mnt/nfs nfs4 rw 0 0\n"
    )
    assert is_network_path(Path("/mnt/share/station"), mounts)
    assert is_network_path(Path("/mnt/nfs"), mounts)
    assert not is_network_path(Path("/mnt/sharealike"), mounts)
    assert not is_network_path(Path("/home/user"), mounts)


def test_network_share_uses_rollback_journal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("gridsvc_desktop.db.engine.is_network_path", lambda _p: True)
    db = open_store(DataPaths(tmp_path / "share"))
    try:
        assert db.journal_mode == "delete"
        assert any("网络共享" in w for w in db.warnings)
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "delete"
    finally:
        db.dispose()


@pytest.mark.parametrize(
    "content",
    [b"PK\x03\x04 this is a zip, not a database" * 20, b"hello world\n", os.urandom(4096)],
    ids=["zip", "text", "random"],
)
def test_foreign_file_refused_untouched(tmp_path: Path, content: bytes) -> None:
    paths = DataPaths(tmp_path)
    paths.database.write_bytes(content)
    with pytest.raises(NotADatabase, match="不是"):
        open_store(paths)
    assert paths.database.read_bytes() == content
    assert not paths.backups.exists()


def test_other_programs_sqlite_refused_untouched(tmp_path: Path) -> None:
    paths = DataPaths(tmp_path)
    con = sqlite3.connect(paths.database)
    con.execute("CREATE TABLE photos(id INTEGER PRIMARY KEY, name TEXT)")
    con.execute("INSERT INTO photos(name) VALUES ('a')")
    con.commit()
    con.close()
    before = _sha(paths.database)
    with pytest.raises(ForeignDatabase, match="其他程序"):
        open_store(paths)
    assert _sha(paths.database) == before


def test_corrupt_database_detected(tmp_path: Path) -> None:
    paths = DataPaths(tmp_path)
    db = open_store(paths)
    with db.write() as s:
        for i in range(3000):
            s.execute(
                text("INSERT INTO feeder(name) VALUES (:n)"),
                {"n": f"10kV 线路 {i:05d} " + "x" * 80},
            )
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.dispose()
    raw = bytearray(paths.database.read_bytes())
    page = int.from_bytes(raw[16:18], "big")  # the header's page size
    for offset in range(page * 3, min(len(raw), page * 40), page):  # trash some b-tree pages
        raw[offset : offset + 64] = b"\xff" * 64
    paths.database.write_bytes(bytes(raw))
    snapshot = paths.database.read_bytes()
    with pytest.raises((DatabaseCorrupt, NotADatabase)):
        bad = open_sqlite(paths.database, check=True)
        bad.dispose()
    assert paths.database.read_bytes() == snapshot


def test_newer_database_refused_untouched(tmp_path: Path) -> None:
    paths = DataPaths(tmp_path)
    open_store(paths).dispose()
    con = sqlite3.connect(paths.database)
    con.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    con.commit()
    con.close()
    before = _sha(paths.database)
    with pytest.raises(DatabaseTooNew, match="更新版本"):
        open_store(paths)
    assert _sha(paths.database) == before


@pytest.fixture
def read_only_dir(tmp_path: Path) -> Iterator[Path]:
    """A folder nobody can write: chmod for a normal user, a read-only tmpfs for root."""
    folder = tmp_path / "ro"
    folder.mkdir()
    if os.geteuid() != 0:
        folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
        yield folder
        folder.chmod(stat.S_IRWXU)
        return
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(folder)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip("running as root without mount: a read-only folder cannot be made")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def test_read_only_folder_refused(read_only_dir: Path) -> None:
    with pytest.raises(DataDirNotWritable, match="无法写入"):
        open_store(DataPaths(read_only_dir))


def test_unwritable_folder_refused(tmp_path: Path) -> None:
    """A data folder that cannot be created (a file is in the way) gets a clear message."""
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder")
    with pytest.raises(DataDirNotWritable, match="无法写入"):
        open_store(DataPaths(blocker / "data"))
    assert blocker.read_text() == "not a folder"


def test_first_schema_fixture_upgrades(tmp_path: Path) -> None:
    """A database of the first released schema opens, migrates and keeps its rows."""
    src = FIXTURES / "schema_0001.sqlite3"
    paths = DataPaths(tmp_path)
    paths.root.mkdir(parents=True, exist_ok=True)
    shutil.copy(src, paths.database)
    db = open_store(paths)
    try:
        assert current_revision(db) == head_revision()
        with db.read() as s:
            names = s.execute(text("SELECT name FROM customer ORDER BY account_no")).scalars().all()
            hits = s.execute(
                text("SELECT rowid FROM customer_fts WHERE customer_fts MATCH '\"翰 林\"'")
            ).all()
        assert names == ["张三", "李四丰", "王五"]
        assert len(hits) == 1
    finally:
        db.dispose()
    if head_revision() != "0001":
        assert any(p.name.endswith("pre-migrate.sqlite3") for p in paths.backups.iterdir())


@pytest.mark.sqlite_only("SQLite's backup API")
def test_backup_is_consistent_and_verified(db: Database, tmp_path: Path) -> None:
    with db.write() as s:
        s.execute(text("INSERT INTO feeder(name) VALUES ('10kV 备份线')"))
    target = backup_database(db, tmp_path / "bk")
    con = sqlite3.connect(target)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert con.execute("SELECT name FROM feeder").fetchall() == [("10kV 备份线",)]
    finally:
        con.close()


def test_schema_head_constant_matches_migrations() -> None:
    """migrate() skips Alembic when the database is at SCHEMA_HEAD; keep it true."""
    from gridsvc_desktop.db.migrate import SCHEMA_HEAD

    assert head_revision() == SCHEMA_HEAD


def test_damage_the_check_itself_trips_over_is_reported_as_corrupt(tmp_path: Path) -> None:
    """Trashed bytes inside the first page (the schema) make quick_check raise
    "malformed" rather than list problems: still DatabaseCorrupt, file untouched."""
    paths = DataPaths(tmp_path)
    db = open_store(paths)
    with db.write() as s:
        for i in range(3000):
            s.execute(
                text("INSERT INTO feeder(name) VALUES (:n)"), {"n": f"线路 {i:05d} " + "x" * 80}
            )
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.dispose()
    raw = bytearray(paths.database.read_bytes())
    for offset in range(4096 * 3, 4096 * 40, 4096):
        raw[offset : offset + 64] = b"\xff" * 64
    paths.database.write_bytes(bytes(raw))
    snapshot = paths.database.read_bytes()
    with pytest.raises((DatabaseCorrupt, NotADatabase)):
        open_sqlite(paths.database, check=True).dispose()
    assert paths.database.read_bytes() == snapshot
