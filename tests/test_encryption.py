"""Encryption at rest (SQLCipher): the file and its backups unreadable without the
key, opened with it, backups and restore under the key, turned off again, the
half-done switch, permissions, and the CLI."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import select

from gridsvc_desktop.db import encryption
from gridsvc_desktop.db.encryption import KeyRequired, WrongKey
from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.db.models import AuditLog, Customer, Station
from gridsvc_desktop.db.store import open_store
from gridsvc_desktop.paths import DataPaths
from gridsvc_desktop.services import backups
from gridsvc_desktop.services.actor import Actor, PermissionDenied
from gridsvc_desktop.services.audit import verify_chain
from gridsvc_desktop.services.common import InvalidInput
from gridsvc_desktop.services.store_encryption import decrypt_store, encrypt_store

pytestmark = pytest.mark.skipif(not encryption.available(), reason="SQLCipher not installed")
pytestmark = [
    pytestmark,
    pytest.mark.sqlite_only("SQLCipher encrypts the station file; a server's data is the server's"),
]

PASSPHRASE = "清河县城关所-2026"
SECRET_NAME = "欧阳秘密户"


def _add_customer(db: Database) -> None:
    with db.write() as s:
        s.add(
            Customer(
                account_no="3101000001", name=SECRET_NAME, address="保密路1号", phone="13912345678"
            )
        )


def _names(db: Database) -> list[str]:
    with db.read() as s:
        return list(s.exec(select(Customer.name)))


@pytest.fixture
def station_db(data_paths: DataPaths, db: Database, admin: Actor) -> Database:
    _add_customer(db)
    backups.take_backup(db, "manual")
    return db


def test_encrypt_hides_everything_and_the_key_opens_it(
    data_paths: DataPaths, station_db: Database, admin: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(encryption.PASSPHRASE_ENV, raising=False)
    result = encrypt_store(data_paths, station_db, admin, passphrase=PASSPHRASE)
    assert len(result.backups) == 1
    for path in (data_paths.database, *result.backups):
        raw = path.read_bytes()
        assert not raw.startswith(b"SQLite format 3")
        assert SECRET_NAME.encode() not in raw and b"13912345678" not in raw
        with pytest.raises(sqlite3.DatabaseError):
            sqlite3.connect(path).execute("SELECT count(*) FROM sqlite_master").fetchone()
    info = (data_paths.root / encryption.INFO_FILE).read_text(encoding="utf-8")
    assert PASSPHRASE not in info and "salt" in info

    with pytest.raises(KeyRequired, match="数据库已加密"):
        open_store(data_paths)
    with pytest.raises(WrongKey, match="密码或密钥不对"):
        open_store(data_paths, passphrase="not the passphrase")
    assert not data_paths.database.read_bytes().startswith(b"SQLite format 3")

    db = open_store(data_paths, passphrase=PASSPHRASE)
    try:
        assert _names(db) == [SECRET_NAME]
        with db.read() as s:
            assert s.exec(select(Station.name)).one() == "测试供电所"
            actions = [a.action for a in s.exec(select(AuditLog).order_by(AuditLog.id))]
            assert actions[-1] == "encrypt"
            assert verify_chain(s) is None
        new_backup = backups.take_backup(db, "manual")  # encrypted under the same key
        assert SECRET_NAME.encode() not in new_backup.read_bytes()
        backups.verify_backup(new_backup, db.key)
        with pytest.raises(Exception, match="不是有效的备份"):
            backups.verify_backup(new_backup)
        key = db.key
    finally:
        db.dispose()

    # restore from an encrypted backup: the current file is backed up (encrypted) first
    restored = backups.restore(data_paths.database, new_backup, data_paths.backups, key)
    assert restored.safety_copy is not None
    assert SECRET_NAME.encode() not in restored.safety_copy.read_bytes()
    monkeypatch.setenv(encryption.PASSPHRASE_ENV, PASSPHRASE)  # unattended start
    db = open_store(data_paths)
    try:
        assert _names(db) == [SECRET_NAME]
        result = decrypt_store(data_paths, db, admin)
    finally:
        db.dispose()
    assert data_paths.database.read_bytes().startswith(b"SQLite format 3")
    assert not (data_paths.root / encryption.INFO_FILE).exists()
    assert all(p.read_bytes().startswith(b"SQLite format 3") for p in result.backups)
    monkeypatch.delenv(encryption.PASSPHRASE_ENV)
    db = open_store(data_paths)
    try:
        assert _names(db) == [SECRET_NAME]
        with db.read() as s:
            assert [a.action for a in s.exec(select(AuditLog))][-1] == "decrypt"
    finally:
        db.dispose()


def test_key_file_is_read_at_start_and_missing_one_is_named(
    data_paths: DataPaths, station_db: Database, admin: Actor, tmp_path: Path
) -> None:
    key_file = tmp_path / "usb" / "gridsvc.key"
    encrypt_store(data_paths, station_db, admin, key_file=key_file)
    assert len(key_file.read_text().strip()) == 64
    db = open_store(data_paths)
    try:
        assert _names(db) == [SECRET_NAME]
    finally:
        db.dispose()
    moved = key_file.rename(tmp_path / "elsewhere.key")
    with pytest.raises(KeyRequired, match=r"gridsvc\.key"):
        open_store(data_paths)
    moved.rename(key_file)


def test_only_admins_encrypt_and_bad_requests_change_nothing(
    data_paths: DataPaths, station_db: Database, admin: Actor, lead_actor: Actor
) -> None:
    before = data_paths.database.read_bytes()[:100]
    with pytest.raises(PermissionDenied):
        encrypt_store(data_paths, station_db, lead_actor, passphrase=PASSPHRASE)
    with pytest.raises(InvalidInput, match="至少"):
        encrypt_store(data_paths, station_db, admin, passphrase="short")
    with pytest.raises(InvalidInput, match="二者选一"):
        encrypt_store(data_paths, station_db, admin)
    assert data_paths.database.read_bytes()[:100] == before
    assert not (data_paths.root / encryption.INFO_FILE).exists()
    assert _names(station_db) == [SECRET_NAME]
    with pytest.raises(InvalidInput, match="没有加密"):
        decrypt_store(data_paths, station_db, admin)


def test_a_switch_stopped_half_way_still_opens(data_paths: DataPaths, station_db: Database) -> None:
    """encryption.json written, the file not yet replaced (a power cut between the
    two steps): the plain file opens as plain, nothing is lost."""
    station_db.dispose()
    encryption.write_info(data_paths.root, encryption.new_info())
    db = open_store(data_paths)
    try:
        assert db.key is None and _names(db) == [SECRET_NAME]
    finally:
        db.dispose()


def test_cli_encrypt_and_open_with_passphrase_from_environment(
    data_paths: DataPaths, station_db: Database
) -> None:
    station_db.dispose()
    env = {k: v for k, v in os.environ.items() if k != encryption.PASSPHRASE_ENV}
    run = [sys.executable, "-m", "gridsvc_desktop.cli"]
    done = subprocess.run(
        [*run, "encrypt", "--data-dir", str(data_paths.root)],
        input=PASSPHRASE + "\n", capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "数据库已加密" in done.stdout and "1 个备份" in done.stdout
    locked = subprocess.run(
        [*run, "info", "--data-dir", str(data_paths.root)],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert locked.returncode == 2 and encryption.PASSPHRASE_ENV in locked.stderr
    opened = subprocess.run(
        [*run, "info", "--data-dir", str(data_paths.root)],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120,
        env={**env, encryption.PASSPHRASE_ENV: PASSPHRASE},
    )  # fmt: skip
    assert opened.returncode == 0, opened.stderr
    assert "customer" in opened.stdout


# --------------------------------------------------------------------------- GUI


def _encrypted_folder(tmp_path: Path) -> DataPaths:
    paths = DataPaths(tmp_path / "gui-data")
    db = open_store(paths)
    try:
        from gridsvc_desktop.services import station

        with db.write() as s:
            station.initialize(s, name="测试供电所", county="测试县")
        _add_customer(db)
        with db.read() as s:
            admin = station.actor_for(s, "admin")
        encrypt_store(paths, db, admin, passphrase=PASSPHRASE)
    finally:
        db.dispose()
    return paths


def test_passphrase_dialog_hides_what_is_typed(qtbot) -> None:  # type: ignore[no-untyped-def]
    from gridsvc_desktop.ui.dialogs.passphrase import PassphraseDialog
    from gridsvc_desktop.ui.qt import QLineEdit

    dialog = PassphraseDialog("数据库已加密，请输入数据库密码。")
    qtbot.addWidget(dialog)
    assert dialog.edit.echoMode() == QLineEdit.EchoMode.Password
    assert dialog.edit.property("draft") is False
    qtbot.keyClicks(dialog.edit, "typed-Secret-42")  # QTest types ASCII only
    assert dialog.passphrase() == "typed-Secret-42"


def test_start_asks_for_the_passphrase_until_it_is_right(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot
) -> None:  # type: ignore[no-untyped-def]
    from test_ui_app import fake_event_loop

    from gridsvc_desktop import app as app_module

    monkeypatch.delenv(encryption.PASSPHRASE_ENV, raising=False)
    paths = _encrypted_folder(tmp_path)
    asked: list[str] = []
    answers = iter(["wrong passphrase!", PASSPHRASE])

    def ask(message: str) -> str | None:
        asked.append(message)
        return next(answers)

    monkeypatch.setattr(app_module, "ask_passphrase", ask)
    seen: dict[str, object] = {}
    monkeypatch.setattr(app_module, "run_event_loop", fake_event_loop(qtbot, seen=seen))
    assert app_module.main(["--data-dir", str(paths.root), "--lang", "zh_CN"]) == 0
    assert "数据库已加密" in asked[0] and "密码或密钥不对" in asked[1]
    assert seen["rows"] == 1
    assert not paths.database.read_bytes().startswith(b"SQLite format 3")


def test_start_cancelled_at_the_passphrase_stays_closed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gridsvc_desktop import app as app_module

    monkeypatch.delenv(encryption.PASSPHRASE_ENV, raising=False)
    paths = _encrypted_folder(tmp_path)
    before = paths.database.read_bytes()
    monkeypatch.setattr(app_module, "ask_passphrase", lambda message: None)
    monkeypatch.setattr(app_module, "run_event_loop", lambda app: pytest.fail("no window expected"))
    assert app_module.main(["--data-dir", str(paths.root)]) != 0
    assert paths.database.read_bytes() == before


def test_cli_restores_an_encrypted_backup(
    data_paths: DataPaths, station_db: Database, admin: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gridsvc_desktop import cli

    encrypt_store(data_paths, station_db, admin, passphrase=PASSPHRASE)
    monkeypatch.setenv(encryption.PASSPHRASE_ENV, PASSPHRASE)
    db = open_store(data_paths)
    try:
        backup = backups.take_backup(db, "manual")
        with db.write() as s:
            s.add(Customer(account_no="3101000002", name="备份后新增", address="", phone=""))
    finally:
        db.dispose()
    root = str(data_paths.root)
    assert cli.main(["backup", "restore", str(backup), "--data-dir", root]) == 0
    db = open_store(data_paths)
    try:
        assert _names(db) == [SECRET_NAME]
    finally:
        db.dispose()
    assert not data_paths.database.read_bytes().startswith(b"SQLite format 3")
