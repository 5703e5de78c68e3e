"""Moving a station's data between its SQLite file and the county server.

`copy_store` copies every table of the program's schema from one open store to
another whose tables are all empty (the target is migrated to head first), in
the order foreign keys need, then checks each table: the row count and a
SHA-256 over its rows in primary-key order, values in one canonical text form,
on both sides. The source is read in one transaction (a snapshot: other PCs may
keep working on a server source) and only read: the local file is left as it was.

On PostgreSQL the rows go in with COPY (db.bulk.insert_rows, which also moves
each id sequence past the highest id copied); on SQLite the customer search
index is rebuilt once at the end instead of row by row.

`gridsvc migrate-to-server URL` / `gridsvc migrate-from-server` (server_cli.py)
wrap this for the station's data folder.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Table, func, select
from sqlmodel import SQLModel

import gridsvc_desktop.db.models  # noqa: F401  (registers the tables)
from gridsvc_desktop.db.bulk import CHUNK, TableSink
from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.db.errors import StoreError
from gridsvc_desktop.db.migrate import SCHEMA_HEAD, current_revision, migrate
from gridsvc_desktop.db.search_index import suspended_customer_index

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]  # table, rows done, rows in table


class TransferError(StoreError):
    """The copy was refused (target not empty) or did not verify; nothing was switched."""


@dataclass(frozen=True)
class TableCheck:
    table: str
    source_rows: int
    target_rows: int
    source_sum: str
    target_sum: str

    @property
    def ok(self) -> bool:
        return self.source_rows == self.target_rows and self.source_sum == self.target_sum


@dataclass
class TransferReport:
    tables: list[TableCheck] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(t.ok for t in self.tables)

    @property
    def rows(self) -> int:
        return sum(t.target_rows for t in self.tables)

    def failures(self) -> list[TableCheck]:
        return [t for t in self.tables if not t.ok]

    def describe(self) -> str:
        lines = [f"{'表':24} {'行数':>10}  校验和（SHA-256 前 16 位）"]
        for t in self.tables:
            mark = "一致" if t.ok else f"不一致：源 {t.source_rows} 行 {t.source_sum[:16]}"
            lines.append(f"{t.table:24} {t.target_rows:>10}  {t.target_sum[:16]}  {mark}")
        return "\n".join(lines)


def tables() -> list[Table]:
    """The program's tables, parents before the tables that refer to them."""
    return list(SQLModel.metadata.sorted_tables)


def _canonical(value: Any) -> str:
    """One text form per value, the same whichever store it was read from."""
    if value is None:
        return "\x00"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="microseconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _ordered(table: Table) -> Any:
    return select(table).order_by(*table.primary_key.columns)


def _stream(conn: Connection, table: Table) -> Iterator[tuple[Any, ...]]:
    result = conn.execution_options(stream_results=True, yield_per=CHUNK).execute(_ordered(table))
    for row in result:
        yield tuple(row)


def table_checksum(conn: Connection, table: Table) -> tuple[int, str]:
    """(rows, SHA-256 hex) of `table` read through `conn`, in primary-key order."""
    digest = hashlib.sha256()
    n = 0
    for row in _stream(conn, table):
        _digest_row(digest, row)
        n += 1
    return n, digest.hexdigest()


def _digest_row(digest: Any, row: tuple[Any, ...]) -> None:
    digest.update("\x1f".join(_canonical(v) for v in row).encode("utf-8"))
    digest.update(b"\x1e")


@contextmanager
def _snapshot(db: Database) -> Iterator[Connection]:
    """A read-only connection that sees one moment of `db` throughout."""
    options: dict[str, Any] = {}
    if db.dialect == "postgresql":
        options = {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
    with db.engine.connect().execution_options(**options) as conn, conn.begin():
        yield conn


def checksums(db: Database) -> dict[str, tuple[int, str]]:
    """Every table's (rows, checksum), from one snapshot of `db`."""
    with _snapshot(db) as conn:
        return {t.name: table_checksum(conn, t) for t in tables()}


def _refuse_non_empty(target: Database, where: str) -> None:
    with target.engine.connect() as conn:
        for t in tables():
            n = conn.execute(select(func.count()).select_from(t)).scalar_one()
            if n:
                raise TransferError(
                    f"{where}不是空的（表 {t.name} 已有 {n} 行），不会覆盖。"
                    "请换一个新建的空数据库。"
                )


def copy_store(
    source: Database,
    target: Database,
    *,
    where: str = "目标数据库",
    progress: Progress | None = None,
) -> TransferReport:
    """Copy all rows of `source` into the empty `target`, then verify every table.

    The source must be at this program's schema head (opened once by it); the
    target is migrated to head. Raises TransferError when the target already
    holds rows or a table does not verify afterwards; `source` is only read.
    """
    revision = current_revision(source)
    if revision != SCHEMA_HEAD:
        raise TransferError(
            f"要复制的数据库结构版本是 {revision or '（空）'}，本程序是 {SCHEMA_HEAD}："
            "请先用本版本的程序正常打开它一次（会先自动备份再升级），然后再复制。"
        )
    migrate(target)
    _refuse_non_empty(target, where)
    report = TransferReport()
    before: dict[str, tuple[int, str]] = {}
    with (
        _snapshot(source) as src,
        target.write_connection() as dst,
        suspended_customer_index(dst),
    ):
        for t in tables():
            pick = [i for i, c in enumerate(t.columns) if c.computed is None]
            sink = TableSink(dst, t, [t.columns[i].name for i in pick])
            digest = hashlib.sha256()
            total = 0  # for the progress shown, counted only when someone watches
            if progress is not None:
                total = src.execute(select(func.count()).select_from(t)).scalar_one()
            n = 0
            for row in _stream(src, t):
                _digest_row(digest, row)
                sink.add(tuple(row[i] for i in pick))
                n += 1
                if progress is not None and n % CHUNK == 0:
                    progress(t.name, n, total)
            sink.flush()
            before[t.name] = (n, digest.hexdigest())
            if progress is not None:
                progress(t.name, n, total)
    after = checksums(target)
    for t in tables():
        (n_src, sum_src), (n_dst, sum_dst) = before[t.name], after[t.name]
        report.tables.append(TableCheck(t.name, n_src, n_dst, sum_src, sum_dst))
    if not report.ok:
        bad = "、".join(t.table for t in report.failures())
        raise TransferError(f"复制后核对不一致（{bad}），{where}的内容不可用。原数据库未改动。")
    log.info("copied %d rows in %d tables", report.rows, len(report.tables))
    return report
