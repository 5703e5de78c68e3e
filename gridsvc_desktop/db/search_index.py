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
#: FTS5 holds the terms it has yet to write in a hash it flushes at 1 MB (its
#: default "hashsize"): a 500,000-row rebuild then writes and merges hundreds of
#: small segments. Room for 64 MB while rebuilding makes it about twice as fast.
REBUILD_HASH_BYTES = 64 * 2**20
DEFAULT_HASH_BYTES = 2**20


def rebuild_fts(conn: Connection, table: str) -> None:
    """Rebuild the SQLite FTS5 table `table` from its content table, in the caller's
    transaction, with a larger pending-terms hash; the setting is put back after."""
    hashsize = f'INSERT INTO "{table}"("{table}", rank) VALUES (\'hashsize\', ?)'
    conn.exec_driver_sql(hashsize, (REBUILD_HASH_BYTES,))
    conn.exec_driver_sql(f'INSERT INTO "{table}"("{table}") VALUES (\'rebuild\')')
    conn.exec_driver_sql(hashsize, (DEFAULT_HASH_BYTES,))


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
    rebuild_fts(conn, "customer_fts")
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
