"""Backups: retention, verification, restore (GUI and CLI share the service), audit verify."""

from __future__ import annotations

import datetime as dt
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlmodel import select

from gridsvc_desktop import cli
from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.db.errors import NotADatabase, StoreError
from gridsvc_desktop.db.models import AuditLog, Setting
from gridsvc_desktop.paths import DataPaths
from gridsvc_desktop.services import audit, backups
from gridsvc_desktop.services.actor import SYSTEM, Actor


def _touch(folder: Path, when: dt.datetime, reason: str, suffix: str = ".sqlite3") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"gridsvc-{when:%Y%m%d-%H%M%S}-{reason}{suffix}"
    path.write_bytes(b"x")
    return path


def test_retention_rule(tmp_path: Path) -> None:
    folder = tmp_path / "bk"
    start = dt.datetime(2025, 1, 1, 8, 0)
    daily = [_touch(folder, start + dt.timedelta(days=d), "daily") for d in range(500)]
    events = [
        _touch(folder, start + dt.timedelta(hours=h, minutes=7), "pre-import") for h in range(25)
    ]
    manual = _touch(folder, start, "manual")
    today = (start + dt.timedelta(days=499)).date()
    backups.prune(folder, today)
    left = {b.path for b in backups.list_backups(folder)}
    assert manual in left
    assert set(daily[-7:]) <= left  # the last 7 days
    assert set(events[-10:]) <= left and not set(events[:-10]) & left
    kept_daily = sorted(p for p in left if p in set(daily))
    # 7 days + up to 4 weeks + 12 months, overlapping: never more than 23
    assert 12 <= len(kept_daily) <= 23
    months = {p.name[8:14] for p in kept_daily}
    assert len(months) >= 12


def test_retention_rule_covers_server_dumps(tmp_path: Path) -> None:
    """A server's pg_dump backups (.dump) are listed and pruned like file backups."""
    folder = tmp_path / "bk"
    start = dt.datetime(2025, 1, 1, 8, 0)
    events = [
        _touch(folder, start + dt.timedelta(hours=h), "pre-import", ".dump") for h in range(12)
    ]
    (folder / "notes.dump").write_bytes(b"x")  # not ours: left alone
    assert len(backups.list_backups(folder)) == 12
    backups.prune(folder, start.date())
    left = {b.path for b in backups.list_backups(folder)}
    assert left == set(events[-10:])
    assert (folder / "notes.dump").exists()


@pytest.mark.sqlite_only(
    "SQLite's backup API and the .sqlite3 backup files (a server is backed up with pg_dump: test_postgres.py)"
)
def test_backup_is_verified_and_listed(db: Database) -> None:
    path = backups.take_backup(db, "manual")
    backups.verify_backup(path)
    listed = backups.list_backups(backups.backup_folder(db))
    assert listed[0].path == path and listed[0].reason == "manual"
    assert backups.daily_backup_if_due(db) is not None
    assert backups.daily_backup_if_due(db) is None  # once a day


def test_verify_refuses_foreign_and_garbage(tmp_path: Path) -> None:
    garbage = tmp_path / "gridsvc-20250101-000000-manual.sqlite3"
    garbage.write_bytes(b"not a database at all" * 100)
    with pytest.raises(StoreError):
        backups.verify_backup(garbage)
    foreign = tmp_path / "foreign.sqlite3"
    con = sqlite3.connect(foreign)
    con.execute("CREATE TABLE t (x)")
    con.close()
    with pytest.raises(NotADatabase):
        backups.verify_backup(foreign)


@pytest.mark.sqlite_only("restores the station file from its backup files")
def test_restore_backs_up_current_first(db: Database) -> None:
    with db.write() as s:
        s.add(Setting(key="probe", value="old"))
    good = backups.take_backup(db, "manual")
    with db.write() as s:
        row = s.get(Setting, "probe")
        assert row is not None
        row.value = "new"
        s.add(row)
    assert db.path is not None
    path = db.path
    db.dispose()
    result = backups.restore(path, good, path.parent / "backups")
    assert result.safety_copy is not None and result.moved_aside is None
    assert "pre-restore" in result.safety_copy.name
    con = sqlite3.connect(path)
    assert con.execute("SELECT value FROM setting WHERE key='probe'").fetchone() == ("old",)
    con.close()
    con = sqlite3.connect(result.safety_copy)
    assert con.execute("SELECT value FROM setting WHERE key='probe'").fetchone() == ("new",)
    con.close()


@pytest.mark.sqlite_only("a damaged station file is moved aside")
def test_restore_over_damaged_file_moves_it_aside(db: Database) -> None:
    good = backups.take_backup(db, "manual")
    assert db.path is not None
    path = db.path
    db.dispose()
    damaged = b"SQLite format 3\x00" + b"\xff" * 8192
    path.write_bytes(damaged)
    result = backups.restore(path, good, path.parent / "backups")
    assert result.moved_aside is not None
    assert result.moved_aside.read_bytes() == damaged  # kept, never overwritten
    backups.verify_backup(path)


@pytest.mark.sqlite_only("gridsvc backup list / restore work on the station file's backups")
def test_cli_backup_list_restore_and_audit_verify(
    db: Database, data_paths: DataPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    data = str(data_paths.root)
    assert cli.main(["backup", "--data-dir", data]) == 0
    assert cli.main(["backup", "list", "--data-dir", data]) == 0
    out = capsys.readouterr().out
    assert "manual" in out
    first = backups.list_backups(data_paths.backups)[0].path
    assert cli.main(["audit", "verify", "--data-dir", data]) == 0
    assert "完整" in capsys.readouterr().out
    db.dispose()
    assert cli.main(["backup", "restore", str(first), "--data-dir", data]) == 0
    assert "pre-restore" in capsys.readouterr().out
    assert cli.main(["audit", "verify", "--data-dir", data]) == 0


@pytest.mark.sqlite_only(
    "tampers with the file through sqlite3 (on a server: test_postgres.py::test_audit_log_is_append_only_on_the_server)"
)
def test_audit_verify_names_first_tampered_row(
    db: Database, data_paths: DataPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    with db.write() as s:
        for n in range(5):
            audit.record(s, SYSTEM, "update", "setting", n, after={"n": n})
    with db.read() as s:
        ids = [r.id for r in s.execute(select(AuditLog).order_by(AuditLog.id)).scalars()]  # type: ignore[arg-type]
    target = ids[3]
    db.dispose()
    con = sqlite3.connect(data_paths.database)
    with pytest.raises(sqlite3.DatabaseError):  # the program's way in is refused
        con.execute("UPDATE audit_log SET after_json='{}' WHERE id=?", (target,))
    # someone with a hex editor: drop the triggers and edit the row
    for (name,) in con.execute(
        "SELECT name FROM sqlite_master WHERE type='trigger' AND tbl_name='audit_log'"
    ).fetchall():
        con.execute(f"DROP TRIGGER {name}")
    con.execute("UPDATE audit_log SET after_json='{\"n\": 99}' WHERE id=?", (target,))
    con.commit()
    con.close()
    assert cli.main(["audit", "verify", "--data-dir", str(data_paths.root)]) == 1
    assert f"第 {target} 行" in capsys.readouterr().err


def test_audit_verify_needs_the_permission(
    db: Database, data_paths: DataPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    from gridsvc_desktop.domain.enums import Role
    from gridsvc_desktop.services import auth

    with db.write() as s:
        admin = Actor(user_id=None, username="admin", role=Role.admin)
        auth.create_user(s, admin, username="clerk", password="clerk password")
    assert cli.main(["audit", "verify", "--data-dir", str(data_paths.root), "--user", "clerk"]) == 2
    assert "权限" in capsys.readouterr().err


WRITER = textwrap.dedent(
    """
    import sqlite3, sys, time
    con = sqlite3.connect(sys.argv[1], timeout=30, isolation_level=None)
    con.execute("CREATE TABLE IF NOT EXISTS probe (n INTEGER, pad TEXT)")
    print("ready", flush=True)
    n = 0
    while True:
        con.execute("BEGIN IMMEDIATE")
        con.executemany("INSERT INTO probe VALUES (?, ?)", [(n, "x" * 200)] * 50)
        con.execute("COMMIT")
        n += 1
    """
)


@pytest.mark.sqlite_only("SQLite's backup API while another process writes the file")
def test_backup_while_another_process_writes(db: Database) -> None:
    """Backups taken during a stream of writes are consistent: each passes
    integrity_check and holds whole transactions (a multiple of 50 rows)."""
    assert db.path is not None
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db.path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        seen = []
        for _ in range(5):
            path = backups.take_backup(db, "manual")
            con = sqlite3.connect(path)
            assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            count = con.execute("SELECT count(*) FROM probe").fetchone()[0]
            con.close()
            assert count % 50 == 0
            seen.append(count)
        assert seen[-1] > 0
    finally:
        proc.kill()
        proc.wait()
