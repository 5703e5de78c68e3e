"""Backups with SQLite's online backup API (never a file copy: a copy taken
while another process writes can be torn), each verified with integrity_check.

A server database (PostgreSQL) is backed up with the pg_dump found on PATH
(custom format, `.dump`), verified by reading its table of contents back with
pg_restore; where PostgreSQL's client tools are not installed the user is told
so (`backup_server`). `backup_database` is the one entry for both."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

from gridsvc_desktop.db import encryption
from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.db.errors import DatabaseCorrupt, StoreError


def backup_file_name(
    reason: str, when: dt.datetime | None = None, *, suffix: str = ".sqlite3"
) -> str:
    when = when or dt.datetime.now()
    return f"gridsvc-{when:%Y%m%d-%H%M%S}-{reason}{suffix}"


def backup_sqlite_file(source: Path, dest: Path, *, key: str | None = None) -> Path:
    """Copy `source` to `dest` through the backup API and verify the copy.

    With `key` (an encrypted database) the copy is encrypted with the same key.
    """
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_suffix(dest.suffix + ".part")

    try:
        src = encryption.connect(source, key, readonly=True)
        try:
            out = encryption.connect(tmp, key)
            try:
                src.backup(out, pages=4096)
                result = out.execute("PRAGMA integrity_check").fetchone()
            finally:
                out.close()
        finally:
            src.close()
        if result is None or result[0] != "ok":
            raise DatabaseCorrupt(f"备份“{dest}”校验未通过：{result}")
        tmp.replace(dest)
    except DatabaseCorrupt:
        _discard(tmp)
        raise
    except OSError as exc:
        _discard(tmp)
        raise StoreError(f"无法写入备份“{dest}”：{exc.strerror or exc}。数据库未受影响。") from exc
    except encryption.db_errors() as exc:
        _discard(tmp)
        raise StoreError(f"备份失败（{exc}）。数据库未受影响。") from exc
    return dest


SERVER_BACKUP_SUFFIX = ".dump"
PG_DUMP_TIMEOUT_S = 3600


def backup_server(db: Database, dest: Path) -> Path:
    """pg_dump the server database of `db` to `dest` (custom format) and verify it.

    The password goes to pg_dump in its environment, never on the command line.
    """
    pg_dump, pg_restore = shutil.which("pg_dump"), shutil.which("pg_restore")
    if pg_dump is None:
        raise StoreError(
            "这台电脑没有安装 PostgreSQL 的客户端工具（找不到 pg_dump），无法备份服务器数据库。"
            "请在服务器上用 pg_dump 备份，或在这台电脑上安装 PostgreSQL 客户端工具后重试"
            "（docs/server.md）。数据库未受影响。"
        )
    url = db.engine.url
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    conninfo = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_suffix(dest.suffix + ".part")
    steps = [[pg_dump, "--format=custom", "--no-owner", "--file", str(tmp), "--dbname", conninfo]]
    if pg_restore is not None:
        steps.append([pg_restore, "--list", str(tmp)])
    try:
        for cmd in steps:
            done = subprocess.run(
                cmd, env=env, capture_output=True, text=True, timeout=PG_DUMP_TIMEOUT_S, check=False
            )
            if done.returncode != 0:
                why = (done.stderr.strip().splitlines() or [f"退出码 {done.returncode}"])[-1]
                raise StoreError(
                    f"{Path(cmd[0]).name} 失败（{why}）。服务器数据库未受影响，备份没有保存。"
                )
        tmp.replace(dest)
    except (OSError, subprocess.TimeoutExpired) as exc:
        _discard(tmp)
        raise StoreError(f"无法写入备份“{dest}”：{exc}。服务器数据库未受影响。") from exc
    except StoreError:
        _discard(tmp)
        raise
    return dest


def _discard(tmp: Path) -> None:
    """Remove an unfinished copy and its rollback journal (left when the disk filled)."""
    for path in (tmp, tmp.with_name(tmp.name + "-journal")):
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)


def backup_database(db: Database, folder: Path, *, reason: str = "manual") -> Path:
    suffix = SERVER_BACKUP_SUFFIX if db.path is None else ".sqlite3"
    n = 0
    while True:
        name = backup_file_name(reason if n == 0 else f"{reason}-{n}", suffix=suffix)
        if not (folder / name).exists():
            break
        n += 1
    if db.path is None:
        return backup_server(db, folder / name)
    return backup_sqlite_file(db.path, folder / name, key=db.key)
