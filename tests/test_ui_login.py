"""The sign-in dialog, first start, switching user, and the damaged-database offer."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select
from test_ui_sample import IGNORE_OFFSCREEN_SIZE_HINTS, workers_stopped  # noqa: F401

from gridsvc_desktop import app as app_module
from gridsvc_desktop.app import create_main_window, main
from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.db.models import AuditLog
from gridsvc_desktop.db.store import open_existing
from gridsvc_desktop.domain.enums import Role
from gridsvc_desktop.paths import DataPaths
from gridsvc_desktop.services import auth, backups
from gridsvc_desktop.services.actor import Actor
from gridsvc_desktop.ui.dialogs.login import LoginDialog
from gridsvc_desktop.ui.main_window import MainWindow
from gridsvc_desktop.ui.qt import QApplication, QDialog

pytestmark = [pytest.mark.usefixtures("workers_stopped"), IGNORE_OFFSCREEN_SIZE_HINTS]
PASSWORD = "station admin 1"


def _admin(db: Database) -> Actor:
    with db.write() as s:
        return auth.set_first_admin_password(s, PASSWORD)


def test_first_start_sets_the_admin_password(db: Database, qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = LoginDialog(db)
    qtbot.addWidget(dialog)
    assert dialog.first_start and dialog.confirm_edit.isVisibleTo(dialog)
    dialog.password_edit.setText(PASSWORD)
    dialog.confirm_edit.setText("something else")
    dialog.buttons.accepted.emit()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.error_label.isVisibleTo(dialog) and dialog.password_edit.text() == ""
    dialog.password_edit.setText(PASSWORD)
    dialog.confirm_edit.setText(PASSWORD)
    dialog.buttons.accepted.emit()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.actor is not None and dialog.actor.role == Role.admin


def test_wrong_password_then_right(db: Database, qtbot) -> None:  # type: ignore[no-untyped-def]
    _admin(db)
    dialog = LoginDialog(db, username="admin")
    qtbot.addWidget(dialog)
    assert not dialog.first_start
    dialog.password_edit.setText("wrong password")
    dialog.buttons.accepted.emit()
    assert "再错 4 次" in dialog.error_label.text()
    dialog.password_edit.setText(PASSWORD)
    dialog.buttons.accepted.emit()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.actor is not None and dialog.actor.username == "admin"


def test_main_cancelled_sign_in_opens_no_window(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app_module, "sign_in", lambda db: None)
    monkeypatch.setattr(app_module, "run_event_loop", lambda app: pytest.fail("no window"))
    assert main(["--data-dir", str(tmp_path / "data")]) == 0


@pytest.mark.sqlite_only(
    "expects File → Backup and restore, which exists for the station file only"
)
def test_staff_sees_no_audit_page_and_switches_to_admin(
    db: Database, data_paths: DataPaths, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    admin = _admin(db)
    with db.write() as s:
        auth.create_user(s, admin, username="clerk", password="clerk password")
    clerk = auth.sign_in(db, "clerk", "clerk password")
    window = create_main_window(db, data_paths, actor=clerk)
    qtbot.addWidget(window)
    assert "audit" not in window.page_keys()
    assert not window.users_action.isVisible() and not window.backups_action.isVisible()
    assert window.ctx.unmask is False
    successor = window.switch_to(admin)
    qtbot.addWidget(successor)
    assert "audit" in successor.page_keys()
    assert successor.ctx.actor == admin and successor.ctx.unmask is False  # masked at first
    assert successor.users_action.isVisible() and successor.backups_action.isVisible()
    assert successor.unmask_action.isVisible() and not window.unmask_action.isVisible()
    revealed = successor.set_unmask(True)
    qtbot.addWidget(revealed)
    assert revealed.ctx.unmask is True and revealed.unmask_action.isChecked()
    with db.read() as s:
        rows = s.execute(select(AuditLog).where(AuditLog.action == "unmask")).scalars().all()
    assert [r.username for r in rows] == ["admin"]
    revealed.close()


@pytest.mark.sqlite_only("a damaged station file and its backups")
def test_damaged_database_offers_newest_good_backup(
    db: Database, data_paths: DataPaths, monkeypatch: pytest.MonkeyPatch, qtbot
) -> None:  # type: ignore[no-untyped-def]
    good = backups.take_backup(db, "daily")
    db.dispose()
    damaged = b"SQLite format 3\x00" + b"\x13" * 4096
    data_paths.database.write_bytes(damaged)
    offered: list[Path] = []

    def accept(message: str, backup: Path) -> bool:
        assert "不是" in message or "损坏" in message or "无法" in message
        offered.append(backup)
        return True

    monkeypatch.setattr(app_module, "ask_restore_backup", accept)
    monkeypatch.setattr(app_module, "show_startup_error", lambda m: pytest.fail(m))

    def run(app: QApplication) -> int:
        windows = [w for w in app.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        assert len(windows) == 1
        windows[0].close()
        return 0

    monkeypatch.setattr(app_module, "run_event_loop", run)
    assert main(["--data-dir", str(data_paths.root)]) == 0
    assert offered == [good]
    kept = [p for p in data_paths.root.iterdir() if ".damaged-" in p.name]
    assert len(kept) == 1 and kept[0].read_bytes() == damaged  # never overwritten
    reopened = open_existing(data_paths.database)
    reopened.dispose()


@pytest.mark.sqlite_only("a damaged station file and its backups")
def test_damaged_database_declined_leaves_it_alone(
    db: Database, data_paths: DataPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    backups.take_backup(db, "daily")
    db.dispose()
    damaged = b"SQLite format 3\x00" + b"\x13" * 4096
    data_paths.database.write_bytes(damaged)
    messages: list[str] = []
    monkeypatch.setattr(app_module, "ask_restore_backup", lambda m, b: False)
    monkeypatch.setattr(app_module, "show_startup_error", messages.append)
    assert main(["--data-dir", str(data_paths.root)]) == 2
    assert data_paths.database.read_bytes() == damaged and len(messages) == 1
