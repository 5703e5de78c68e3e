"""Opening the program's store the one way every entry point does it.

The store is the SQLite file in the data folder, unless a database URL is
given: `--database-url` on either command, else `database_url` in the data
folder's settings file (`settings.toml`, section `[database]`, written by
`gridsvc migrate-to-server`). A URL selects the county server's PostgreSQL
database (docs/server.md).
"""

from __future__ import annotations

import logging
import tomllib
from pathlib import Path

from gridsvc_desktop.db import encryption
from gridsvc_desktop.db.engine import Database, is_plain_sqlite, open_sqlite, open_url
from gridsvc_desktop.db.errors import StoreError
from gridsvc_desktop.db.migrate import migrate
from gridsvc_desktop.paths import DataPaths

log = logging.getLogger(__name__)

SETTINGS_FILE = "settings.toml"


def settings_file(paths: DataPaths) -> Path:
    return paths.root / SETTINGS_FILE


def configured_database_url(paths: DataPaths) -> str | None:
    """The `[database] url` of the data folder's settings file, if any."""
    path = settings_file(paths)
    if not path.is_file():
        return None
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise StoreError(f"设置文件“{path}”读不出来（{exc}）。请改正或删除它。") from exc
    section = data.get("database")
    url = section.get("url") if isinstance(section, dict) else None
    if url is not None and not isinstance(url, str):
        raise StoreError(f"设置文件“{path}”中 [database] url 应为文字。")
    if not url or not url.strip():
        return None
    return url.strip()


def save_database_url(paths: DataPaths, url: str | None) -> Path:
    """Point the data folder at a server database (`url`) or back at its file (None)."""
    path = settings_file(paths)
    path.parent.mkdir(parents=True, exist_ok=True)
    if url is None:
        path.unlink(missing_ok=True)
        return path
    quoted = url.replace("\\", "\\\\").replace('"', '\\"')
    path.write_text(
        "# gridsvc: this station's data is on the county server (docs/server.md).\n"
        f'[database]\nurl = "{quoted}"\n',
        encoding="utf-8",
    )
    return path


def local_key(paths: DataPaths, passphrase: str | None = None) -> str | None:
    """The SQLCipher key of an encrypted data folder (db/encryption.py), else None.

    A plain SQLite file beside encryption.json is a switch of encryption that
    stopped between its two steps (services/store_encryption.py): it opens plain.
    """
    if encryption.read_info(paths.root) is None:
        return None
    if is_plain_sqlite(paths.database):
        log.warning("%s is a plain SQLite file beside %s", paths.database, encryption.INFO_FILE)
        return None
    return encryption.resolve_key(paths.root, passphrase)


def open_store(
    paths: DataPaths,
    *,
    database_url: str | None = None,
    check: bool = False,
    passphrase: str | None = None,
    key: str | None = None,
) -> Database:
    """Open the database (file checks, pragmas), then migrate it to head.

    A pending migration of an existing file is preceded by a verified backup in
    `paths.backups`. Raises StoreError subclasses with messages for the user;
    an encrypted file without a key found raises encryption.KeyRequired (ask
    for the passphrase and call again with it).
    """
    url = database_url or configured_database_url(paths)
    db = (
        open_url(url)
        if url
        else open_sqlite(paths.database, check=check, key=key or local_key(paths, passphrase))
    )
    try:
        migrate(db, backup_dir=paths.backups)
    except Exception:
        db.dispose()
        raise
    return db


def open_existing(path: Path) -> Database:
    """Open a database file that must already exist (tools, tests)."""
    return open_sqlite(path, create=False)
