"""Chunked bulk inserts: the driver's executemany on SQLite, COPY on PostgreSQL.

Rows are tuples in the order of the column list given. `insert_rows` is the
one place the two stores differ. On SQLite the statement goes straight to
`cursor.executemany` (about twice as fast as Core's executemany); dates,
datetimes and booleans are first passed through the column type's own bind
processor (`TableSink`), so the stored text is exactly what the ORM writes and
reads back. On PostgreSQL the rows stream through `COPY … FROM STDIN` (psycopg
adapts dates, datetimes, booleans and enum members itself; an enum is stored
by name, as SQLAlchemy's Enum type does).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Boolean, Connection, Date, DateTime, Table

from gridsvc_desktop.db.search_index import rebuild_fts

CHUNK = 10_000

Row = tuple[Any, ...]
_MEMO_MAX = 50_000


def insert_rows(
    conn: Connection, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """Insert `rows` (values in the order of `columns`, ready for the driver) into `table`.

    SQLite: one executemany. PostgreSQL: COPY FROM STDIN, several times faster
    than any INSERT there; when the rows carry their ids, the table's id
    sequence is moved past them. Both run in the caller's transaction.
    """
    cols = ", ".join(f'"{c}"' for c in columns)
    cur: Any = conn.connection.cursor()
    try:
        if conn.dialect.name == "postgresql":
            with cur.copy(f'COPY "{table}" ({cols}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
            if "id" in columns:  # ids given: the serial must continue after them
                cur.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'), max(id)) FROM "
                    f'"{table}" HAVING max(id) IS NOT NULL',
                    (f'"{table}"',),
                )
        else:
            marks = ", ".join("?" if conn.dialect.paramstyle == "qmark" else "%s" for _ in columns)
            cur.executemany(f'INSERT INTO "{table}" ({cols}) VALUES ({marks})', rows)
    finally:
        cur.close()


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
        self._processors: list[tuple[int, Callable[[Any], Any], dict[Any, Any]]] = []
        if conn.dialect.name == "sqlite":
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
        if self._processors:  # SQLite only: its dates as the ORM writes them
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
        insert_rows(self.conn, self.table.name, self.columns, rows)


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
        rebuild_fts(conn, name)
    for _, sql in triggers:
        conn.exec_driver_sql(sql)
