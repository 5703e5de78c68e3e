"""Chunked bulk inserts through SQLAlchemy Core or, on SQLite, the driver's executemany.

Rows are tuples in the order of the column list given. On SQLite the statement
goes straight to `cursor.executemany` (about twice as fast as Core's
executemany); dates, datetimes and booleans are first passed through the column
type's own bind processor, so the stored text is exactly what the ORM writes
and reads back. Other dialects get a plain Core insert of dicts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Boolean, Connection, Date, DateTime, Table

CHUNK = 10_000

Row = tuple[Any, ...]
_MEMO_MAX = 50_000


class TableSink:
    """Buffers rows of one table and writes them `CHUNK` at a time."""

    def __init__(
        self,
        conn: Connection,
        table: Table,
        columns: Sequence[str],
        after: Sequence[TableSink] = (),
    ) -> None:
        """`after`: sinks whose rows this table's rows refer to; they are flushed first."""
        self.conn = conn
        self.after = list(after)
        self.table = table
        self.columns = list(columns)
        self.count = 0
        self._rows: list[Row] = []
        self._sqlite = conn.dialect.name == "sqlite"
        self._processors: list[tuple[int, Callable[[Any], Any], dict[Any, Any]]] = []
        if self._sqlite:
            cols = ", ".join(f'"{c}"' for c in self.columns)
            marks = ", ".join("?" for _ in self.columns)
            self._sql = f'INSERT INTO "{table.name}" ({cols}) VALUES ({marks})'
            for i, name in enumerate(self.columns):
                col_type = table.c[name].type
                if isinstance(col_type, Date | DateTime | Boolean):
                    proc = col_type.dialect_impl(conn.dialect).bind_processor(conn.dialect)
                    if proc is not None:
                        self._processors.append((i, proc, {}))

    def add(self, row: Row) -> None:
        self._rows.append(row)
        if len(self._rows) >= CHUNK:
            self.flush()

    def extend(self, rows: Sequence[Row]) -> None:
        for row in rows:
            self.add(row)

    def flush(self) -> None:
        rows = self._rows
        if not rows:
            return
        for parent in self.after:
            parent.flush()
        self._rows = []
        self.count += len(rows)
        if self._sqlite:
            if self._processors:
                procs = self._processors
                converted = []
                for row in rows:
                    values = list(row)
                    for i, proc, memo in procs:
                        value = values[i]
                        if value is not None:
                            done = memo.get(value)
                            if done is None:
                                if len(memo) > _MEMO_MAX:
                                    memo.clear()
                                done = memo[value] = proc(value)
                            values[i] = done
                    converted.append(tuple(values))
                rows = converted
            self.conn.exec_driver_sql(self._sql, rows)
        else:
            cols = self.columns
            self.conn.execute(self.table.insert(), [dict(zip(cols, r, strict=True)) for r in rows])


@contextmanager
def deferred_indexes(conn: Connection, table: str) -> Iterator[None]:
    """Bulk-load an empty SQLite table without keeping its indexes and FTS in step row by row.

    Drops the table's secondary indexes and its AFTER INSERT triggers, and on
    leaving the block puts them back exactly as they were (their SQL is read from
    sqlite_master), then rebuilds the external-content FTS tables over it. All of
    it happens in the caller's transaction, so an error rolls the schema back too.
    Building an index once is several times faster than updating it per row, and
    keeping the FTS index in step by trigger makes a bulk load ~3x slower. Does
    nothing on other dialects or when the table already has rows.
    """
    if (
        conn.dialect.name != "sqlite"
        or conn.exec_driver_sql(f'SELECT 1 FROM "{table}" LIMIT 1').first()
    ):
        yield
        return
    rows = conn.exec_driver_sql(
        "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = ? AND sql IS NOT NULL "
        "AND type IN ('index', 'trigger')",
        (table,),
    ).fetchall()
    indexes = [(name, sql) for kind, name, sql in rows if kind == "index"]
    triggers = [
        (name, sql)
        for kind, name, sql in rows
        if kind == "trigger" and re.search(r"\bAFTER\s+INSERT\b", sql, re.IGNORECASE)
    ]
    fts = [
        name
        for (name,) in conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%' "
            "AND sql LIKE ?",
            (f"%content='{table}'%",),
        )
    ]
    for name, _ in triggers:
        conn.exec_driver_sql(f'DROP TRIGGER "{name}"')
    for name, _ in indexes:
        conn.exec_driver_sql(f'DROP INDEX "{name}"')
    yield
    for _, sql in indexes:
        conn.exec_driver_sql(sql)
    for name in fts:
        conn.exec_driver_sql(f'INSERT INTO "{name}"("{name}") VALUES (\'rebuild\')')
    for _, sql in triggers:
        conn.exec_driver_sql(sql)
