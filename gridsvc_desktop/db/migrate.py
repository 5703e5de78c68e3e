"""Schema migrations, run from code at start-up.

Before any pending migration touches an existing database, a backup is made
with SQLite's backup API. A database whose revision this program does not know
was written by a newer version and is refused untouched.
"""

from __future__ import annotations

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from gridsvc_desktop.db.backup import backup_database
from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.db.errors import DatabaseTooNew

log = logging.getLogger(__name__)
MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(db: Database) -> str | None:
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def migrate(db: Database, *, backup_dir: Path | None = None) -> Path | None:
    """Bring the schema to head. Returns the pre-migration backup, if one was made."""
    script = ScriptDirectory.from_config(_config())
    current = current_revision(db)
    known = {rev.revision for rev in script.walk_revisions()}
    if current is not None and current not in known:
        raise DatabaseTooNew(
            f"数据库“{db.path or db.engine.url}”由更新版本的程序创建（结构版本 {current}），"
            "本版本无法打开。请升级程序后再打开，数据库未作任何改动。"
        )
    head = script.get_current_head()
    if current == head:
        return None
    backup = None
    if current is not None and db.path is not None and backup_dir is not None:
        backup = backup_database(db, backup_dir, reason="pre-migrate")
        log.info("backed up %s to %s before migrating", db.path, backup)
    cfg = _config()
    with db.write_connection() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    return backup
