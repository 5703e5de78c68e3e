"""The audit page (admins), the users dialog and the backup dialog."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from test_ui_sample import IGNORE_OFFSCREEN_SIZE_HINTS, workers_stopped  # noqa: F401

from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.domain.enums import Role
from gridsvc_desktop.paths import DataPaths
from gridsvc_desktop.services import audit, auth, backups
from gridsvc_desktop.services.actor import Actor, PermissionDenied
from gridsvc_desktop.ui.context import UiContext
from gridsvc_desktop.ui.dialogs.backups import BackupsDialog
from gridsvc_desktop.ui.dialogs.users import UsersDialog
from gridsvc_desktop.ui.pages.audit import AuditPage

pytestmark = [pytest.mark.usefixtures("workers_stopped"), IGNORE_OFFSCREEN_SIZE_HINTS]


def _ctx(db: Database, paths: DataPaths, actor: Actor) -> UiContext:
    return UiContext(db=db, paths=paths, station_name="测试供电所", actor=actor)


def test_audit_page_filters_exports_and_verifies(
    db: Database, data_paths: DataPaths, admin: Actor, qtbot, qtmodeltester, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    with db.write() as s:
        for n in range(3):
            audit.record(
                s, admin, "update", "customer", f"=9{n}", before={"v": "1"}, after={"v": n}
            )
    page = AuditPage(_ctx(db, data_paths, admin))
    qtbot.addWidget(page)
    qtmodeltester.check(page.model)
    assert page.model.rowCount() >= 4  # the station's init row and ours
    page.entity_combo.setCurrentIndex(page.entity_combo.findData("customer"))
    page.search_button.click()
    assert page.model.rowCount() == 3
    assert "3" in page.count_label.text()
    page.text_edit.setText("=91")
    page.search_button.click()
    assert page.model.rowCount() == 1
    out = tmp_path / "audit.csv"
    assert page.export_to(out) == 1
    rows = list(csv.reader(out.open(encoding="utf-8-sig")))
    assert rows[0][0] == "序号" and rows[1][5] == "'=91"  # formula neutralised
    page.text_edit.clear()
    page.entity_combo.setCurrentIndex(0)
    page.reload()  # the new action appears among the choices
    page.action_combo.setCurrentIndex(page.action_combo.findData("export"))
    page.search_button.click()
    assert page.model.rowCount() == 1  # the export itself was audited
    assert "intact" in page.verify_text() or "完整" in page.verify_text()


def test_audit_page_refuses_non_admins(
    db: Database, data_paths: DataPaths, lead_actor: Actor, qtbot
) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        AuditPage(_ctx(db, data_paths, lead_actor))


def test_users_dialog_adds_and_unlocks(db: Database, data_paths: DataPaths, qtbot) -> None:  # type: ignore[no-untyped-def]
    with db.write() as s:
        admin = auth.set_first_admin_password(s, "admin password")
    dialog = UsersDialog(_ctx(db, data_paths, admin))
    qtbot.addWidget(dialog)
    dialog.username_edit.setText("clerk")
    dialog.role_combo.setCurrentIndex(dialog.role_combo.findData(Role.lead.value))
    dialog.password_edit.setText("short")
    dialog.add_button.click()
    assert "至少" in dialog.error_label.text()
    dialog.password_edit.setText("clerk password")
    dialog.add_button.click()
    assert dialog.error_label.text() == "" and dialog.password_edit.text() == ""
    assert auth.sign_in(db, "clerk", "clerk password").role == Role.lead
    for _ in range(5):
        with pytest.raises(auth.SignInFailed):
            auth.sign_in(db, "clerk", "wrong password")
    dialog.refresh(dialog.selected_id())
    dialog.unlock_button.click()
    assert auth.sign_in(db, "clerk", "clerk password")


@pytest.mark.sqlite_only(
    "File → Backup and restore is for the station file (SQLite's backup API)"
)
def test_backups_dialog_backs_up_and_restores(
    db: Database, data_paths: DataPaths, admin: Actor, qtbot
) -> None:  # type: ignore[no-untyped-def]
    dialog = BackupsDialog(_ctx(db, data_paths, admin))
    qtbot.addWidget(dialog)
    assert dialog.list.count() == 0
    dialog.backup_button.click()
    qtbot.waitUntil(lambda: dialog.list.count() == 1, timeout=10_000)
    chosen = dialog.selected_backup()
    assert chosen is not None
    result = dialog.restore(chosen)
    assert result.safety_copy is not None
    reasons = [b.reason for b in backups.list_backups(data_paths.backups)]
    assert sorted(reasons) == ["manual", "pre-restore"]
    with db.read() as s:
        assert audit.verify_chain(s) is None


def test_backups_dialog_refuses_non_admins(
    db: Database, data_paths: DataPaths, lead_actor: Actor, qtbot
) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        BackupsDialog(_ctx(db, data_paths, lead_actor))
