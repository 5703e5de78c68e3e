"""Reading what the database holds while the ledger file is still loading.

calamine loads a sheet with the GIL released (about 11 s for 500,000 rows), so
a second thread can meanwhile read, on a connection of its own and in a read
transaction of its own, the rows a big kind compares against (every customer),
and digest them the way `compute_diff` does. The comparison takes them only if
no other connection has committed since: SQLite's `PRAGMA data_version`, asked
again on that same connection once the importer holds its transaction, changes
with every commit by another connection. Otherwise, or if the file turns out to
carry other columns, the comparison reads the database itself, as it would
have without. SQLite only; on a server the comparison reads as before.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Engine

log = logging.getLogger(__name__)

FETCH = 10_000


class ExistingPrefetch:
    """The rows of `table` read on a thread and kept only as digests: key column →
    hash of `columns` in that order (the usual file has them all; for one that
    lacks some, the comparison reads the database itself). The rows themselves
    would double the import's memory."""

    def __init__(self, engine: Engine, table: str, key: str, columns: Sequence[str]) -> None:
        """Starts reading at once; SQLite only (see kinds.base.start_prefetch)."""
        self.table, self.key, self.columns = table, key, tuple(columns)
        self._conn: Connection | None = engine.connect()
        self._digests: dict[Any, int] | None = None
        self._version: int | None = None
        self._error: BaseException | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="import-prefetch", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        conn = self._conn
        assert conn is not None
        try:
            # One read snapshot for the version and the rows: the version is asked
            # first, in the transaction the rows are then read in.
            trans = conn.begin()
            try:
                self._version = conn.exec_driver_sql("PRAGMA data_version").scalar_one()
                cur = conn.connection.cursor()
                try:
                    cur.execute(
                        f'SELECT "{self.key}", {", ".join(self.columns)} FROM "{self.table}"'
                    )
                    found: dict[Any, int] = {}
                    while not self._stop.is_set():
                        batch = cur.fetchmany(FETCH)
                        if not batch:
                            self._digests = found
                            break
                        # row[1:] is the values of `columns`, as compute_diff hashes them
                        found.update({row[0]: hash(row[1:]) for row in batch})
                finally:
                    cur.close()
            finally:
                trans.rollback()  # the connection stays ours for the later check
        except BaseException as exc:  # reported as "not usable"; the caller reads itself
            self._error = exc

    def digests_for(self, columns: Sequence[str]) -> dict[Any, int] | None:
        """key → hash of the row's values in `columns`, as they are in the database
        now; None when the prefetch cannot tell (then read the database)."""
        self._thread.join()
        if self._stop.is_set() or self._error is not None or self._conn is None:
            if self._error is not None:
                log.warning("prefetch failed: %s", self._error)
            return None
        if tuple(columns) != self.columns or self._digests is None:
            return None
        now = self._conn.exec_driver_sql("PRAGMA data_version").scalar_one()
        self._conn.rollback()
        if now != self._version:
            return None  # another connection committed since the rows were read
        return self._digests

    def close(self) -> None:
        """Stop reading (if still at it) and give the connection back."""
        self._stop.set()
        self._thread.join()
        self._digests = None
        if self._conn is not None:
            self._conn.close()
            self._conn = None
