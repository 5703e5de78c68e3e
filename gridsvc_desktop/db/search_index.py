"""Keeping the customer search index in step during bulk loads.

Row triggers keep the FTS index current for everyday writes, but they make a
500,000-row load many times slower. `suspended_customer_index` drops the
triggers inside the caller's transaction, and afterwards rebuilds the index
from the customer table once and puts the same triggers back (their SQL is read
from the schema, so this keeps working whatever later migrations define). All of
it is one transaction: a crash leaves the old triggers and index in place.

On PostgreSQL the same context drops the customer search's trigram indexes
and builds them again at the end (the server has no triggers to suspend).

For loading an empty SQLite table, `db.bulk.deferred_indexes` also defers the
table's secondary indexes.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection

FTS_TRIGGER_PREFIX = "customer_fts_"


@contextmanager
def suspended_customer_index(conn: Connection) -> Iterator[None]:
    if conn.dialect.name == "postgresql":
        with _suspended_trigram_indexes(conn):
            yield
        return
    if conn.dialect.name != "sqlite":
        yield
        return
    triggers = conn.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE ?",
        (FTS_TRIGGER_PREFIX + "%",),
    ).fetchall()
    for name, _sql in triggers:
        conn.exec_driver_sql(f'DROP TRIGGER "{name}"')
    yield
    conn.exec_driver_sql("INSERT INTO customer_fts(customer_fts) VALUES('rebuild')")
    for _name, sql in triggers:
        conn.exec_driver_sql(sql)


@contextmanager
def _suspended_trigram_indexes(conn: Connection) -> Iterator[None]:
    """PostgreSQL: drop the customer search's trigram indexes (migration 0001) and
    build them again afterwards from their own definitions: building one over
    500,000 rows takes seconds, keeping it in step row by row much longer."""
    indexes = conn.exec_driver_sql(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
        "AND tablename = 'customer' AND indexdef LIKE %s",
        ("%gin_trgm_ops%",),
    ).fetchall()
    for name, _sql in indexes:
        conn.exec_driver_sql(f'DROP INDEX "{name}"')
    yield
    for _name, sql in indexes:
        conn.exec_driver_sql(sql)
