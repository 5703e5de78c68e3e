"""Schema migrations, run from code at start-up.

Before any pending migration touches an existing database, a backup is made
with SQLite's backup API. A database whose revision this program does not know
was written by a newer version and is refused untouched.

Alembic costs a quarter of a second to import, so a database already at
`SCHEMA_HEAD` is recognised from its `alembic_version` row without it.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text

from gridsvc_desktop.db.backup import backup_database
from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.db.errors import DatabaseTooNew

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)
MIGRATIONS_DIR = Path(__file__).with_name("migrations")
# The newest revision under migrations/versions; tests/test_db_store.py keeps them equal.
SCHEMA_HEAD = "0005"


def _config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(db: Database) -> str | None:
    """The database's schema revision, or None for a new (empty) database."""
    with db.engine.connect() as conn:
        if db.dialect == "sqlite":
            has_table = conn.exec_driver_sql(
                "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
            ).first()
        else:
            has_table = conn.execute(text("SELECT to_regclass('alembic_version')")).scalar()
        if not has_table:
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def migrate(db: Database, *, backup_dir: Path | None = None) -> Path | None:
    """Bring the schema to head. Returns the pre-migration backup, if one was made."""
    current = current_revision(db)
    if current == SCHEMA_HEAD:
        return None
    from alembic import command
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_config())
    known = {rev.revision for rev in script.walk_revisions()}
    if current is not None and current not in known:
        raise DatabaseTooNew(
            f"数据库“{db.path or db.engine.url}”由更新版本的程序创建（结构版本 {current}），"
            "本版本无法打开。请升级程序后再打开，数据库未作任何改动。"
        )
    backup = None
    if current is not None and db.path is not None and backup_dir is not None:
        backup = backup_database(db, backup_dir, reason="pre-migrate")
        log.info("backed up %s to %s before migrating", db.path, backup)
    cfg = _config()
    with db.write_connection() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    return backup
