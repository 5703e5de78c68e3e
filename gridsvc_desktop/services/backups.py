"""Automatic backups, the retention rule, listing and restore.

Every backup goes through SQLite's online backup API and is verified with
`PRAGMA integrity_check` before it gets its final name (db.backup). Reasons:

- ``daily``  the first start of a day (run on a worker after the window shows)
- ``exit``   when the program closes
- ``pre-migrate`` / ``pre-import`` / ``pre-restore``  before those operations
- ``manual`` asked for in the GUI or with ``gridsvc backup``

Retention (`prune`): of the ``daily`` and ``exit`` backups, keep the newest of
each of the last 7 days that have one, of each of the last 4 ISO weeks and of
each of the last 12 months; of the event backups (``pre-*``) keep the newest 10
of each reason; ``manual`` backups are never deleted by the program.

Restore first backs up the current database (``pre-restore``). A current file
that cannot be backed up because it is damaged is moved aside, never
overwritten: ``gridsvc.sqlite3.damaged-YYYYmmdd-HHMMSS``.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from gridsvc_desktop.db import encryption
from gridsvc_desktop.db.backup import backup_database, backup_sqlite_file
from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.db.errors import DatabaseCorrupt, NotADatabase, StoreError

log = logging.getLogger(__name__)

KEEP_DAILY = 7
KEEP_WEEKLY = 4
KEEP_MONTHLY = 12
KEEP_EVENTS = 10
SCHEDULED = ("daily", "exit")
NEVER_PRUNED = ("manual",)
#: A database file's backups (.sqlite3) and a server's (pg_dump, .dump): the
#: retention rule covers both.
_NAME = re.compile(r"^gridsvc-(\d{8})-(\d{6})-([a-z-]+?)(?:-\d+)?\.(?:sqlite3|dump)$")


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: dt.datetime
    reason: str
    size: int


def backup_folder(db: Database) -> Path:
    """Backups live in `backups/` beside the database file (DataPaths.backups)."""
    if db.path is None:
        raise StoreError("服务器数据库请用 pg_dump 备份。")
    return db.path.parent / "backups"


def list_backups(folder: Path) -> list[BackupInfo]:
    """The program's backups in `folder`, newest first (unfinished .part files ignored)."""
    found: list[BackupInfo] = []
    if not folder.is_dir():
        return found
    for path in folder.iterdir():
        m = _NAME.match(path.name)
        if not m or not path.is_file():
            continue
        taken = dt.datetime.strptime(m.group(1) + m.group(2), "%Y%m%d%H%M%S")
        found.append(BackupInfo(path, taken, m.group(3), path.stat().st_size))
    found.sort(key=lambda b: (b.taken_at, b.path.name), reverse=True)
    return found


def take_backup(db: Database, reason: str, folder: Path | None = None) -> Path:
    """A verified backup now, then the retention rule. Raises StoreError (message for the user)."""
    folder = folder or backup_folder(db)
    path = backup_database(db, folder, reason=reason)
    try:
        prune(folder)
    except OSError as exc:  # pruning must never make a good backup fail
        log.warning("could not prune old backups in %s: %s", folder, exc)
    return path


def daily_backup_if_due(
    db: Database, folder: Path | None = None, *, today: dt.date | None = None
) -> Path | None:
    """The day's backup, unless a daily or exit backup was taken today already."""
    folder = folder or backup_folder(db)
    today = today or dt.date.today()
    for b in list_backups(folder):
        if b.reason in SCHEDULED and b.taken_at.date() == today:
            return None
    return take_backup(db, "daily", folder)


def backup_before_import(db: Database) -> Path | None:
    """The backup taken before an import writes (SQLite files only)."""
    if db.path is None:
        return None
    return take_backup(db, "pre-import")


def to_keep(backups: list[BackupInfo], today: dt.date | None = None) -> set[Path]:
    """Which backups the retention rule keeps (see the module docstring)."""
    today = today or dt.date.today()
    keep: set[Path] = set()
    scheduled = [b for b in backups if b.reason in SCHEDULED]  # newest first
    days: dict[dt.date, Path] = {}
    weeks: dict[tuple[int, int], Path] = {}
    months: dict[tuple[int, int], Path] = {}
    for b in scheduled:
        d = b.taken_at.date()
        days.setdefault(d, b.path)
        iso = d.isocalendar()
        weeks.setdefault((iso[0], iso[1]), b.path)
        months.setdefault((d.year, d.month), b.path)
    keep.update(list(days.values())[:KEEP_DAILY])
    keep.update(list(weeks.values())[:KEEP_WEEKLY])
    keep.update(list(months.values())[:KEEP_MONTHLY])
    by_reason: dict[str, int] = {}
    for b in backups:
        if b.reason in NEVER_PRUNED:
            keep.add(b.path)
        elif b.reason not in SCHEDULED:
            n = by_reason.get(b.reason, 0)
            if n < KEEP_EVENTS:
                keep.add(b.path)
            by_reason[b.reason] = n + 1
    return keep


def prune(folder: Path, today: dt.date | None = None) -> list[Path]:
    """Delete backups the retention rule does not keep; returns what was deleted."""
    backups = list_backups(folder)
    keep = to_keep(backups, today)
    removed = []
    for b in backups:
        if b.path not in keep:
            b.path.unlink(missing_ok=True)
            removed.append(b.path)
    return removed


def verify_backup(path: Path, key: str | None = None) -> None:
    """Raise StoreError unless `path` is one of our databases and passes integrity_check.

    `key`: the database's SQLCipher key when it is encrypted (its backups are too).
    """
    try:
        con = encryption.connect(path, key, readonly=True)
        try:
            tables = {
                r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            result = con.execute("PRAGMA integrity_check").fetchone()
        finally:
            con.close()
    except encryption.db_errors() as exc:
        raise NotADatabase(f"文件“{path}”不是有效的备份（{exc}）。") from exc
    if "alembic_version" not in tables:
        raise NotADatabase(f"文件“{path}”不是本程序的备份。")
    if result is None or result[0] != "ok":
        raise DatabaseCorrupt(f"备份“{path}”校验未通过：{result}")


def newest_good_backup(folder: Path, key: str | None = None) -> BackupInfo | None:
    """The newest backup in `folder` that passes verification."""
    for b in list_backups(folder):
        try:
            verify_backup(b.path, key)
        except StoreError:
            continue
        return b
    return None


@dataclass(frozen=True)
class RestoreResult:
    restored_from: Path
    safety_copy: Path | None  # backup of the database as it was, if it could be read
    moved_aside: Path | None  # the damaged file, renamed, if it could not


def restore(database: Path, backup: Path, folder: Path, key: str | None = None) -> RestoreResult:
    """Replace the database at `database` with `backup`.

    The caller must have closed every connection of this process to it. The
    current database is backed up first; if it is too damaged for that, it is
    renamed aside (never overwritten) together with its -wal/-shm files.
    """
    verify_backup(backup, key)
    restore_errors: tuple[type[Exception], ...] = (*encryption.db_errors(), OSError)
    safety: Path | None = None
    moved: Path | None = None
    if database.exists() and database.stat().st_size > 0:
        try:
            from gridsvc_desktop.db.backup import backup_file_name

            safety = backup_sqlite_file(database, folder / backup_file_name("pre-restore"), key=key)
        except DatabaseCorrupt:
            moved = move_aside(database)
        except StoreError as exc:
            if "file is not a database" in str(exc) or "malformed" in str(exc):
                moved = move_aside(database)
            else:
                raise
    try:
        src = encryption.connect(backup, key, readonly=True)
        try:
            dest = encryption.connect(database, key)
            try:
                src.backup(dest)
                result = dest.execute("PRAGMA integrity_check").fetchone()
            finally:
                dest.close()
        finally:
            src.close()
    except restore_errors as exc:
        raise StoreError(f"恢复失败（{exc}）。恢复前的数据库备份在“{safety or moved}”。") from exc
    if result is None or result[0] != "ok":
        raise DatabaseCorrupt(f"恢复后的数据库校验未通过：{result}")
    return RestoreResult(backup, safety, moved)


def move_aside(database: Path, label: str = "damaged") -> Path:
    """Rename `database` and its -wal/-shm files to `<name>.<label>-<time>`, kept."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = database.with_name(f"{database.name}.{label}-{stamp}")
    database.rename(target)
    for suffix in ("-wal", "-shm"):
        side = database.with_name(database.name + suffix)
        if side.exists():
            side.rename(target.with_name(target.name + suffix))
    return target
