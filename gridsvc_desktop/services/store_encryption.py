"""Turning encryption at rest on and off for a station's database (admin only).

The mechanics (SQLCipher, keys, encryption.json) are in db/encryption.py; this
module is the procedure, written so that no step can lose data:

1. the change is recorded in the audit trail (so the new file carries it);
2. every connection is closed and the WAL checkpointed into the file;
3. a re-keyed copy is written beside the database (`*.rekey.part`) and checked:
   integrity_check and the row count of every table equal to the original's;
4. encryption.json is written (encrypting) before the copy replaces the
   database in one rename; when decrypting, the rename comes first and
   encryption.json goes after. A crash in between leaves a plain SQLite file
   beside encryption.json, which open_store recognises by its header and opens
   as plain;
5. every backup in the backup folder is re-keyed the same way, so no readable
   copy of the data stays behind (and none becomes unreadable).

Every PC must have closed the program first: another process still holding the
old file would write into a file that no longer has a name.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path

from gridsvc_desktop.db import encryption
from gridsvc_desktop.db.engine import Database, is_plain_sqlite
from gridsvc_desktop.db.errors import StoreError
from gridsvc_desktop.paths import DataPaths
from gridsvc_desktop.services import audit
from gridsvc_desktop.services.actor import Actor, Permission
from gridsvc_desktop.services.backups import list_backups
from gridsvc_desktop.services.common import InvalidInput
from gridsvc_desktop.services.progress import NullProgress, Progress


@dataclass
class RekeyResult:
    database: Path
    backups: list[Path] = field(default_factory=list)
    key_file: Path | None = None


def _table_counts(path: Path, key: str | None) -> dict[str, int]:
    con = encryption.connect(path, key, readonly=True)
    try:
        names = [
            r[0]
            for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
                " AND sql NOT LIKE 'CREATE VIRTUAL TABLE%'"
            )
        ]
        return {n: con.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}
    finally:
        con.close()


def _checkpoint(path: Path, key: str | None) -> None:
    con = encryption.connect(path, key)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    finally:
        con.close()


def rekey_file(path: Path, *, old_key: str | None, new_key: str | None) -> None:
    """Replace the database file at `path` by a checked copy under `new_key`."""
    try:
        _rekey(path, old_key, new_key)
    except encryption.db_errors() as exc:
        raise StoreError(f"无法转换“{path.name}”（{exc}），原文件未改动。") from exc


def _rekey(path: Path, old_key: str | None, new_key: str | None) -> None:
    part = path.with_name(path.name + ".rekey.part")
    part.unlink(missing_ok=True)
    _checkpoint(path, old_key)
    before = _table_counts(path, old_key)
    try:
        encryption.export_copy(path, part, source_key=old_key, dest_key=new_key)
        con = encryption.connect(part, new_key, readonly=True)
        try:
            result = con.execute("PRAGMA integrity_check").fetchone()
        finally:
            con.close()
        if result is None or result[0] != "ok":
            raise StoreError(f"“{path.name}”转换后的副本校验未通过（{result}），原文件未改动。")
        after = _table_counts(part, new_key)
        if after != before:
            raise StoreError(f"“{path.name}”转换后的副本与原文件行数不符，原文件未改动。")
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    for suffix in ("-wal", "-shm"):
        with contextlib.suppress(OSError):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
    part.replace(path)


def _check_admin(db: Database, actor: Actor) -> Path:
    actor.require(Permission.manage_settings)
    if db.path is None:
        raise StoreError(
            "服务器数据库的加密由服务器负责（见 docs/server.md），这里只能加密本机数据库文件。"
        )
    encryption.dbapi()  # EncryptionUnavailable with its message
    return db.path


def encrypt_store(
    paths: DataPaths,
    db: Database,
    actor: Actor,
    *,
    passphrase: str | None = None,
    key_file: Path | None = None,
    progress: Progress | None = None,
) -> RekeyResult:
    """Encrypt the station's database and its backups. Closes `db` (reopen it after).

    Give either a passphrase (at least encryption.MIN_PASSPHRASE characters) or
    the path of a new key file to write (for example on a USB stick).
    """
    path = _check_admin(db, actor)
    progress = progress or NullProgress()
    if db.key is not None or encryption.read_info(path.parent) is not None:
        raise InvalidInput("数据库已经加密。", field="passphrase")
    if (passphrase is None) == (key_file is None):
        raise InvalidInput("请给出数据库密码或密钥文件（二者选一）。", field="passphrase")
    if passphrase is not None and len(passphrase) < encryption.MIN_PASSPHRASE:
        raise InvalidInput(
            f"数据库密码至少 {encryption.MIN_PASSPHRASE} 个字符。", field="passphrase"
        )
    if key_file is not None and key_file.exists():
        raise InvalidInput(f"密钥文件“{key_file}”已存在，不会覆盖它。", field="key_file")
    with db.write() as s:
        audit.record(
            s, actor, "encrypt", "database", "",
            after={"key": "key file" if key_file else "passphrase"},
        )  # fmt: skip
    db.dispose()
    info = encryption.new_info(key_file=key_file.resolve() if key_file else None)
    if key_file is not None:
        key = encryption.new_key_file(key_file)
    else:
        assert passphrase is not None
        key = encryption.derive_key(passphrase, info)
    items = list_backups(paths.backups)
    progress.report(0, len(items) + 1, "加密数据库")
    encryption.write_info(path.parent, info)
    try:
        rekey_file(path, old_key=None, new_key=key)
    except BaseException:
        (path.parent / encryption.INFO_FILE).unlink(missing_ok=True)
        raise
    result = RekeyResult(database=path, key_file=key_file)
    for n, b in enumerate(items, 1):
        progress.report(n, len(items) + 1, f"加密备份 {b.path.name}")
        if is_plain_sqlite(b.path):
            rekey_file(b.path, old_key=None, new_key=key)
            result.backups.append(b.path)
    return result


def decrypt_store(
    paths: DataPaths, db: Database, actor: Actor, *, progress: Progress | None = None
) -> RekeyResult:
    """Turn encryption off: the database and its backups become plain SQLite files."""
    path = _check_admin(db, actor)
    progress = progress or NullProgress()
    key = db.key
    if key is None:
        raise InvalidInput("数据库没有加密。", field="passphrase")
    with db.write() as s:
        audit.record(s, actor, "decrypt", "database", "", after={})
    db.dispose()
    items = list_backups(paths.backups)
    progress.report(0, len(items) + 1, "解密数据库")
    rekey_file(path, old_key=key, new_key=None)
    (path.parent / encryption.INFO_FILE).unlink(missing_ok=True)
    result = RekeyResult(database=path)
    for n, b in enumerate(items, 1):
        progress.report(n, len(items) + 1, f"解密备份 {b.path.name}")
        if not is_plain_sqlite(b.path):
            try:
                rekey_file(b.path, old_key=key, new_key=None)
            except StoreError:
                continue  # a backup under another key stays as it is
            result.backups.append(b.path)
    return result
