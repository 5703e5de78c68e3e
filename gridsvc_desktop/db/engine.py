"""Opening the store: file checks, pragmas, write-lock discipline, sessions.

Every write transaction takes SQLite's write lock up front (`BEGIN IMMEDIATE`):
a deferred transaction that reads first and writes later can fail with "database
is locked" half way through when another PC wrote in between, which the busy
timeout cannot fix. Read sessions use plain deferred transactions.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlmodel import Session

from gridsvc_desktop.db.errors import (
    DatabaseCorrupt,
    DataDirNotWritable,
    DiskFull,
    ForeignDatabase,
    NotADatabase,
)

log = logging.getLogger(__name__)

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 15_000
NETWORK_FS = {
    "nfs", "nfs4", "cifs", "smb3", "smbfs", "fuse.sshfs", "sshfs", "9p",
    "afs", "davfs", "fuse.davfs2", "ncpfs", "glusterfs", "ceph", "fuse.glusterfs",
}  # fmt: skip
DB_FILE_NAME = "gridsvc.sqlite3"


def is_network_path(path: Path, mounts: str | None = None) -> bool:
    """True when `path` lies on a network file system (SMB share, NFS, …).

    SQLite's locking is unreliable over network file systems, so WAL (which needs
    shared memory) must not be used there. `mounts` is /proc/mounts text, for tests.
    """
    resolved = str(path.resolve())
    if sys.platform == "win32":
        if resolved.startswith("\\\\"):
            return True
        import ctypes

        drive = os.path.splitdrive(resolved)[0] + "\\"
        return bool(ctypes.windll.kernel32.GetDriveTypeW(drive) == 4)  # type: ignore[attr-defined]
    if mounts is None:
        try:
            mounts = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return False
    best, best_type = "", ""
    for line in mounts.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        point = parts[1].replace("\\040", " ")
        if (resolved == point or resolved.startswith(point.rstrip("/") + "/")) and len(point) > len(
            best
        ):
            best, best_type = point, parts[2]
    return best_type in NETWORK_FS


def check_sqlite_file(path: Path) -> None:
    """Refuse a file that is not an SQLite database, without writing to it."""
    if not path.exists() or path.stat().st_size == 0:
        return
    with path.open("rb") as fh:
        header = fh.read(16)
    if header != SQLITE_HEADER:
        raise NotADatabase(f"文件“{path}”不是本程序的数据库（不是 SQLite 数据库文件，或已损坏）。")


def ensure_writable_dir(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / ".write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise DataDirNotWritable(
            f"数据文件夹“{folder}”无法写入（{exc.strerror or exc}）。"
            "请换一个可写的文件夹（--data-dir），或请管理员调整权限。"
        ) from exc


@dataclass
class Database:
    """An open store: the engine plus what we learnt while opening it."""

    engine: Engine
    path: Path | None
    journal_mode: str = "wal"
    warnings: list[str] = field(default_factory=list)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading; nothing it does is committed.

        Closing (not rolling back) leaves the loaded objects readable afterwards.
        """
        with Session(self.engine) as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A session whose transaction holds the write lock from its first statement.

        Commits when the block ends, rolls back on any exception.
        """
        with Session(self._write_engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except BaseException as exc:
                session.rollback()
                _raise_disk_full(exc, self.path)
                raise

    @contextmanager
    def write_connection(self) -> Iterator[Connection]:
        """A Core connection in a write transaction (bulk work); commits at the end."""
        try:
            with self._write_engine.begin() as conn:
                yield conn
        except Exception as exc:
            _raise_disk_full(exc, self.path)
            raise

    @property
    def _write_engine(self) -> Engine:
        return self.engine.execution_options(gridsvc_write=True)

    def quick_check(self) -> None:
        """Raise DatabaseCorrupt if SQLite's quick_check finds damage."""
        if self.dialect != "sqlite":
            return
        with self.engine.connect() as conn:
            rows = [r[0] for r in conn.exec_driver_sql("PRAGMA quick_check").fetchall()]
        if rows != ["ok"]:
            raise DatabaseCorrupt(
                f"数据库“{self.path}”已损坏：{'; '.join(rows[:3])}。请从备份恢复。"
            )

    def dispose(self) -> None:
        self.engine.dispose()


def _raise_disk_full(exc: BaseException, path: Path | None) -> None:
    """Turn SQLite's "database or disk is full" into a message for the user."""
    text_ = str(exc)
    if "disk is full" in text_ or "SQLITE_FULL" in text_:
        raise DiskFull(
            f"磁盘空间不足，无法写入数据库“{path}”。这次的改动没有保存，数据库未受影响；"
            "请清理磁盘空间后重试。"
        ) from exc


def _install_sqlite_hooks(engine: Engine, journal_mode: str) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _rec: Any) -> None:
        # Let SQLAlchemy's "begin" event below issue BEGIN itself.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute(f"PRAGMA journal_mode = {journal_mode}")
        cur.execute("PRAGMA synchronous = " + ("NORMAL" if journal_mode == "wal" else "FULL"))
        cur.execute("PRAGMA cache_size = -65536")  # 64 MB page cache per connection
        cur.execute("PRAGMA temp_store = MEMORY")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        if conn.get_execution_options().get("gridsvc_write"):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")


def open_sqlite(path: Path, *, create: bool = True, check: bool = False) -> Database:
    """Open (or create) the SQLite store at `path`.

    Raises a StoreError subclass, with a message for the user, for a file that is
    not ours, a folder we cannot write, or (with `check`) a damaged database. The
    file is never modified before it has been checked.
    """
    path = path.expanduser()
    check_sqlite_file(path)
    if create:
        ensure_writable_dir(path.parent)
    elif not path.exists():
        raise NotADatabase(f"找不到数据库文件“{path}”。")
    warnings: list[str] = []
    journal_mode = "wal"
    if is_network_path(path.parent):
        journal_mode = "delete"
        warnings.append(
            f"数据库位于网络共享文件夹（{path.parent}）。已改用回滚日志模式；"
            "多台电脑共用时请改用县公司服务器数据库。"
        )
    _refuse_foreign(path)
    engine = create_engine(f"sqlite:///{path}", pool_pre_ping=False)
    _install_sqlite_hooks(engine, journal_mode)
    db = Database(engine=engine, path=path, journal_mode=journal_mode, warnings=warnings)
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").fetchone()
    except Exception as exc:  # sqlite3.DatabaseError: file is not a database
        engine.dispose()
        raise NotADatabase(f"无法打开数据库“{path}”：{exc}") from exc
    if check:
        db.quick_check()
    for w in warnings:
        log.warning(w)
    return db


def _refuse_foreign(path: Path) -> None:
    """Refuse an SQLite file that has tables but none of ours, read-only."""
    if not path.exists() or path.stat().st_size == 0:
        return
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            names = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise NotADatabase(f"文件“{path}”不是有效的数据库（{exc}）。") from exc
    if names and "alembic_version" not in names:
        raise ForeignDatabase(f"文件“{path}”是其他程序的数据库，本程序不会打开或修改它。")


def open_url(url: str) -> Database:
    """Open a store given as a database URL (sqlite:///… or postgresql://…)."""
    if url.startswith("sqlite:///"):
        return open_sqlite(Path(url.removeprefix("sqlite:///")))
    engine = create_engine(url, pool_pre_ping=True)
    return Database(engine=engine, path=None, journal_mode="server")


def table_counts(db: Database, tables: list[str]) -> dict[str, int]:
    with db.engine.connect() as conn:
        return {
            t: int(conn.execute(text(f'SELECT count(*) FROM "{t}"')).scalar_one()) for t in tables
        }
