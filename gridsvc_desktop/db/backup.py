"""Backups with SQLite's online backup API (never a file copy: a copy taken
while another process writes can be torn), each verified with integrity_check."""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
import threading
from pathlib import Path

from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.db.errors import DatabaseCorrupt, StoreError


def backup_file_name(reason: str, when: dt.datetime | None = None) -> str:
    when = when or dt.datetime.now()
    return f"gridsvc-{when:%Y%m%d-%H%M%S}-{reason}.sqlite3"


class BackupAborted(StoreError):
    """The backup was stopped on request; nothing was left behind."""


def backup_sqlite_file(source: Path, dest: Path, *, abort: threading.Event | None = None) -> Path:
    """Copy `source` to `dest` through the backup API and verify the copy.

    `abort`, when set from another thread, stops the copy between steps and
    removes the unfinished file (BackupAborted).
    """
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_suffix(dest.suffix + ".part")

    def between_steps(_status: int, _remaining: int, _total: int) -> None:
        if abort is not None and abort.is_set():
            raise BackupAborted("备份已中止。")

    try:
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
        try:
            out = sqlite3.connect(tmp)
            try:
                src.backup(out, pages=4096, progress=between_steps)
                result = out.execute("PRAGMA integrity_check").fetchone()
            finally:
                out.close()
        finally:
            src.close()
        if result is None or result[0] != "ok":
            raise DatabaseCorrupt(f"备份“{dest}”校验未通过：{result}")
        tmp.replace(dest)
    except (DatabaseCorrupt, BackupAborted):
        _discard(tmp)
        raise
    except OSError as exc:
        _discard(tmp)
        raise StoreError(f"无法写入备份“{dest}”：{exc.strerror or exc}。数据库未受影响。") from exc
    except sqlite3.Error as exc:
        _discard(tmp)
        raise StoreError(f"备份失败（{exc}）。数据库未受影响。") from exc
    return dest


def _discard(tmp: Path) -> None:
    """Remove an unfinished copy and its rollback journal (left when the disk filled)."""
    for path in (tmp, tmp.with_name(tmp.name + "-journal")):
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)


def backup_database(
    db: Database, folder: Path, *, reason: str = "manual", abort: threading.Event | None = None
) -> Path:
    if db.path is None:
        raise StoreError("服务器数据库请用 pg_dump 备份。")
    n = 0
    while True:
        name = backup_file_name(reason if n == 0 else f"{reason}-{n}")
        if not (folder / name).exists():
            break
        n += 1
    return backup_sqlite_file(db.path, folder / name, abort=abort)
