"""Opening the store: file checks, pragmas, write-lock discipline, sessions.

Every write transaction takes SQLite's write lock up front (`BEGIN IMMEDIATE`):
a deferred transaction that reads first and writes later can fail with "database
is locked" half way through when another PC wrote in between, which the busy
timeout cannot fix. Read sessions use plain deferred transactions.

On a PostgreSQL server (`open_server`, a county's stations sharing one
database) the same discipline is one transaction-scoped advisory lock taken
as the write transaction's first statement (`take_write_lock`), at READ
COMMITTED: writers queue on it one at a time as they do on SQLite's lock, each
statement after it sees every earlier writer's commit, so the services'
read-then-write steps (the audit hash chain, order numbers, version checks)
cannot interleave, and no serialization failure or deadlock between writers
can arise. Readers never wait for it (MVCC). Should the server still report
one of those transient errors, or a dropped connection, while the write
transaction starts (before the caller's block has run), `Database.write`
tries again (LOCK_ATTEMPTS); anything the user sees is a StoreError with a
message (`server_error`), never a driver error.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Connection, Engine, create_engine, event, make_url, text
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlmodel import Session

from gridsvc_desktop.db import encryption
from gridsvc_desktop.db.errors import (
    DatabaseCorrupt,
    DataDirNotWritable,
    DiskFull,
    ForeignDatabase,
    NotADatabase,
    ServerBusy,
    ServerUnavailable,
    StoreError,
)

log = logging.getLogger(__name__)

SQLITE_HEADER = b"SQLite format 3\x00"


def is_plain_sqlite(path: Path) -> bool:
    """True when `path` starts with SQLite's plain-text header (not encrypted)."""
    try:
        with path.open("rb") as fh:
            return fh.read(16) == SQLITE_HEADER
    except OSError:
        return False


BUSY_TIMEOUT_MS = 15_000
NETWORK_FS = {
    "nfs", "nfs4", "cifs", "smb3", "smbfs", "fuse.sshfs", "sshfs", "9p",
    "afs", "davfs", "fuse.davfs2", "ncpfs", "glusterfs", "ceph", "fuse.glusterfs",
}  # fmt: skip
DB_FILE_NAME = "gridsvc.sqlite3"
#: pg_advisory_xact_lock key of the one write lock (per database): "gridsvc" in ASCII.
WRITE_LOCK_KEY = 0x67726964737663
SERVER_SCHEMES = ("postgresql", "postgres")
CONNECT_TIMEOUT_S = 10


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
    #: SQLCipher raw key (64 hex digits) when the file is encrypted (db/encryption.py).
    key: str | None = field(default=None, repr=False)

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
                if self.dialect != "sqlite":
                    self._retry_transient(session.connection, session.rollback)
                yield session
                session.commit()
            except BaseException as exc:
                session.rollback()
                _raise_disk_full(exc, self.path)
                _raise_server_error(exc, self)
                raise

    @contextmanager
    def write_connection(self) -> Iterator[Connection]:
        """A Core connection in a write transaction (bulk work); commits at the end."""
        try:
            with self._write_engine.connect() as conn:
                self._retry_transient(conn.begin, conn.rollback)
                yield conn
                conn.commit()
        except Exception as exc:
            _raise_disk_full(exc, self.path)
            _raise_server_error(exc, self)
            raise

    def _retry_transient(self, begin: Callable[[], object], rollback: Callable[[], None]) -> None:
        """Begin the write transaction (the "begin" hook takes the write lock), retrying
        a transient server failure of that first step: nothing of the caller's has
        run yet, so trying again is always safe."""
        for attempt in range(LOCK_ATTEMPTS):
            try:
                begin()
                return
            except Exception as exc:
                if attempt + 1 == LOCK_ATTEMPTS or not _transient(exc):
                    raise
                log.warning("write lock: %s; retrying", exc)
                rollback()

    @property
    def _write_engine(self) -> Engine:
        return self.engine.execution_options(gridsvc_write=True)

    def quick_check(self) -> None:
        """Raise DatabaseCorrupt if SQLite's quick_check finds damage."""
        if self.dialect != "sqlite":
            return
        try:
            with self.engine.connect() as conn:
                rows = [r[0] for r in conn.exec_driver_sql("PRAGMA quick_check").fetchall()]
        except DBAPIError as exc:  # damage the check itself trips over ("malformed")
            rows = [str(exc.orig)]
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


LOCK_ATTEMPTS = 3
#: SQLSTATEs worth retrying: serialization_failure, deadlock_detected, connection failures.
_TRANSIENT_SQLSTATES = {"40001", "40P01", "08000", "08003", "08006", "57P01"}


def _sqlstate(exc: BaseException) -> str | None:
    orig = getattr(exc, "orig", exc)
    return getattr(orig, "sqlstate", None)


def _transient(exc: BaseException) -> bool:
    return _sqlstate(exc) in _TRANSIENT_SQLSTATES


def _raise_server_error(exc: BaseException, db: Database) -> None:
    """Turn the server's errors into messages for the user (server stores only)."""
    if db.dialect == "sqlite" or not isinstance(exc, Exception):
        return
    message = server_error(exc, db)
    if message is not None:
        lost = _connection_lost(_sqlstate(exc) or "")
        raise (ServerUnavailable if lost else ServerBusy)(message) from exc


def _connection_lost(state: str) -> bool:
    return state.startswith("08") or state == "57P01"  # connection failures, admin shutdown


def server_error(exc: BaseException, db: Database) -> str | None:
    """A message for the user for a server error a user may meet, else None."""
    state = _sqlstate(exc) or ""
    where = db.engine.url.render_as_string(hide_password=True)
    if state == "55P03":  # lock_not_available: the write lock did not come in time
        return (
            f"服务器数据库（{where}）正忙：另一台电脑的写入（例如大批量导入）"
            f"超过 {BUSY_TIMEOUT_MS // 1000} 秒仍未结束。这次的改动没有保存，请稍后重试。"
        )
    if state in ("40001", "40P01"):
        return f"服务器数据库（{where}）这次写入与其他电脑冲突，没有保存；请重试。"
    if _connection_lost(state):
        return f"与服务器数据库（{where}）的连接中断，这次的改动没有保存。请检查网络后重试。"
    return None


def take_write_lock(conn: Any) -> None:
    """The store's write lock, as the write transaction's first statement.

    SQLite: BEGIN IMMEDIATE. PostgreSQL: the transaction-scoped advisory lock
    WRITE_LOCK_KEY, waiting at most the busy timeout (then lock_not_available,
    which `server_error` explains). Released at commit or rollback.
    """
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")
        return
    conn.exec_driver_sql(f"SET LOCAL lock_timeout = {BUSY_TIMEOUT_MS}")
    conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")


#: Page size of a new (unencrypted) database file. 16 KB pages make a 500,000-
#: customer import's SQLite work (insert, seven indexes, search index, commit)
#: about a fifth faster than SQLite's 4 KB (bench/README.md), and cost a desk's
#: point lookups nothing measurable. Files made before keep their page size; an
#: encrypted file keeps SQLCipher's own.
PAGE_SIZE = 16384


def _install_sqlite_hooks(engine: Engine, journal_mode: str, *, encrypted: bool = False) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _rec: Any) -> None:
        # Let SQLAlchemy's "begin" event below issue BEGIN itself.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        if not encrypted:  # takes effect only on a new, empty file: before WAL below
            cur.execute(f"PRAGMA page_size = {PAGE_SIZE}")
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
            take_write_lock(conn)
        else:
            conn.exec_driver_sql("BEGIN")


def open_sqlite(
    path: Path, *, create: bool = True, check: bool = False, key: str | None = None
) -> Database:
    """Open (or create) the SQLite store at `path`.

    Raises a StoreError subclass, with a message for the user, for a file that is
    not ours, a folder we cannot write, or (with `check`) a damaged database. The
    file is never modified before it has been checked. With `key` the file is
    an SQLCipher database (db/encryption.py); a wrong key raises WrongKey.
    """
    path = path.expanduser()
    if key is None:
        check_sqlite_file(path)
    elif path.exists() and path.stat().st_size > 0:
        encryption.check_key(path, key)
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
    _refuse_foreign(path, key)
    if key is None:
        engine = create_engine(f"sqlite:///{path}", pool_pre_ping=False)
    else:
        engine = create_engine(
            f"sqlite:///{path}",
            creator=lambda: encryption.connect(path, key),
            module=encryption.dbapi(),
            pool_pre_ping=False,
        )
    _install_sqlite_hooks(engine, journal_mode, encrypted=key is not None)
    db = Database(engine=engine, path=path, journal_mode=journal_mode, warnings=warnings, key=key)
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


def _refuse_foreign(path: Path, key: str | None = None) -> None:
    """Refuse an SQLite file that has tables but none of ours, read-only."""
    if not path.exists() or path.stat().st_size == 0:
        return
    try:
        con = encryption.connect(path, key, readonly=True)
        try:
            names = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        finally:
            con.close()
    except (sqlite3.DatabaseError, encryption.WrongKey) as exc:
        raise NotADatabase(f"文件“{path}”不是有效的数据库（{exc}）。") from exc
    if names and "alembic_version" not in names:
        raise ForeignDatabase(f"文件“{path}”是其他程序的数据库，本程序不会打开或修改它。")


def server_url(url: str) -> URL:
    """`url` checked and given our driver: postgresql://user:pw@host:port/db → psycopg 3.

    Raises StoreError (message for the user) for anything that is not a
    PostgreSQL URL with a database name.
    """
    try:
        parsed = make_url(url.strip())
    except ArgumentError as exc:
        raise StoreError(
            f"数据库地址“{url}”无法识别。格式：postgresql://用户名:密码@服务器:端口/数据库名"
        ) from exc
    backend, _, driver = parsed.drivername.partition("+")
    if backend not in SERVER_SCHEMES or driver not in ("", "psycopg"):
        raise StoreError(
            f"数据库地址“{parsed.render_as_string(hide_password=True)}”不是 PostgreSQL 地址。"
            "格式：postgresql://用户名:密码@服务器:端口/数据库名"
        )
    if not parsed.database:
        raise StoreError(
            f"数据库地址“{parsed.render_as_string(hide_password=True)}”缺少数据库名（…/数据库名）。"
        )
    return parsed.set(drivername="postgresql+psycopg")


def open_server(url: str | URL) -> Database:
    """Open the county server's PostgreSQL database at `url` (not yet migrated).

    Raises StoreError subclasses with a message for the user: the server cannot
    be reached or refuses the login, or the database holds another program's tables.
    """
    target = url if isinstance(url, URL) else server_url(url)
    engine = create_engine(
        target,
        pool_pre_ping=True,
        connect_args={"connect_timeout": CONNECT_TIMEOUT_S, "application_name": "gridsvc"},
    )
    _install_server_hooks(engine)
    where = target.render_as_string(hide_password=True)
    try:
        with engine.connect() as conn:
            names = set(
                conn.execute(
                    text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
                ).scalars()
            )
    except Exception as exc:
        engine.dispose()
        reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0:1]
        raise ServerUnavailable(
            f"无法连接服务器数据库（{where}）：{reason[0] if reason else exc}。"
            "请检查网络、服务器地址、用户名和密码。"
        ) from exc
    if names and "alembic_version" not in names:
        engine.dispose()
        raise ForeignDatabase(f"服务器数据库（{where}）里是其他程序的表，本程序不会打开或修改它。")
    return Database(engine=engine, path=None, journal_mode="server")


def _install_server_hooks(engine: Engine) -> None:
    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        if conn.get_execution_options().get("gridsvc_write"):
            take_write_lock(conn)


def open_url(url: str) -> Database:
    """Open a store given as a database URL (sqlite:///… or postgresql://…)."""
    if url.startswith("sqlite:///"):
        return open_sqlite(Path(url.removeprefix("sqlite:///")))
    return open_server(url)


def table_counts(db: Database, tables: list[str]) -> dict[str, int]:
    with db.engine.connect() as conn:
        return {
            t: int(conn.execute(text(f'SELECT count(*) FROM "{t}"')).scalar_one()) for t in tables
        }
