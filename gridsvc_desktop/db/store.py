"""Opening the program's store the one way every entry point does it."""

from __future__ import annotations

import logging
from pathlib import Path

from gridsvc_desktop.db.engine import Database, open_sqlite, open_url
from gridsvc_desktop.db.migrate import migrate
from gridsvc_desktop.paths import DataPaths

log = logging.getLogger(__name__)


def open_store(
    paths: DataPaths, *, database_url: str | None = None, check: bool = False
) -> Database:
    """Open the database (file checks, pragmas), then migrate it to head.

    A pending migration of an existing file is preceded by a verified backup in
    `paths.backups`. Raises StoreError subclasses with messages for the user.
    """
    db = open_url(database_url) if database_url else open_sqlite(paths.database, check=check)
    try:
        migrate(db, backup_dir=paths.backups)
    except Exception:
        db.dispose()
        raise
    return db


def open_existing(path: Path) -> Database:
    """Open a database file that must already exist (tools, tests)."""
    return open_sqlite(path, create=False)
