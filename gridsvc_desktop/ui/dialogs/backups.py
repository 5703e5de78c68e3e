"""Backup and restore (admins): list the backups, back up now, restore one.

Restoring replaces the open database, so the program closes afterwards and is
started again (every page would otherwise show data from before).
"""

from __future__ import annotations

from pathlib import Path

from gridsvc_desktop.services import audit, backups
from gridsvc_desktop.services.actor import Permission
from gridsvc_desktop.ui import background
from gridsvc_desktop.ui.context import UiContext
from gridsvc_desktop.ui.qt import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
)

PATH_ROLE = Qt.ItemDataRole.UserRole + 1


class BackupsDialog(QDialog):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.actor = ctx.acting()
        self.actor.require(Permission.view_audit)
        self.folder = backups.backup_folder(ctx.db)
        self.setObjectName("backups_dialog")
        self.setWindowTitle(self.tr("Backup and restore"))
        self.resize(620, 420)
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "Backups are taken every day, when the program closes, and before each "
                "import and upgrade. Kept: one a day for 7 days, one a week for 4 weeks, one a "
                "month for 12 months, the last 10 of each other kind; manual backups are kept."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.list = QListWidget()
        self.list.setObjectName("backup_list")
        layout.addWidget(self.list, 1)
        self.status_label = QLabel()
        self.status_label.setObjectName("backup_status")
        self.status_label.setWordWrap(True)
        layout.addWidget(self.status_label)
        row = QHBoxLayout()
        self.backup_button = QPushButton(self.tr("Back up now"))
        self.backup_button.setObjectName("backup_now")
        self.backup_button.clicked.connect(self._on_backup_button_clicked)
        self.restore_button = QPushButton(self.tr("Restore the selected backup…"))
        self.restore_button.setObjectName("restore")
        self.restore_button.clicked.connect(self._on_restore_button_clicked)
        row.addWidget(self.backup_button)
        row.addWidget(self.restore_button)
        row.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        row.addWidget(close)
        layout.addLayout(row)
        self.refresh()

    def refresh(self) -> None:
        self.list.clear()
        for b in backups.list_backups(self.folder):
            item = QListWidgetItem(
                f"{b.taken_at:%Y-%m-%d %H:%M:%S}   {b.reason}   {b.size / 1_048_576:.1f} MB"
            )
            item.setData(PATH_ROLE, str(b.path))
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)
        self.restore_button.setEnabled(self.list.count() > 0)

    def _on_backup_button_clicked(self) -> None:
        self.backup_button.setEnabled(False)
        self.status_label.setText(self.tr("Backing up…"))

        def done(path: object) -> None:
            self.backup_button.setEnabled(True)
            self.status_label.setText(self.tr("Backed up to {file}").format(file=str(path)))
            self.refresh()

        def failed(error: BaseException) -> None:
            self.backup_button.setEnabled(True)
            self.status_label.setText(background.error_text(error))

        background.run_in_background(
            self,
            lambda _p: backups.take_backup(self.ctx.db, "manual"),
            on_success=done,
            on_failure=failed,
        )

    def selected_backup(self) -> Path | None:
        item = self.list.currentItem()
        return None if item is None else Path(str(item.data(PATH_ROLE)))

    def confirm_restore(self, backup: Path) -> bool:
        answer = QMessageBox.question(
            self,
            self.tr("Restore"),
            self.tr(
                "Replace the current data with the backup {file}? The current database is "
                "backed up first. The program closes afterwards; start it again."
            ).format(file=backup.name),
        )
        return answer == QMessageBox.StandardButton.Yes

    def restore(self, backup: Path) -> backups.RestoreResult:
        """Restore `backup` over the open database, audit it, and close the program."""
        db = self.ctx.db
        assert db.path is not None
        background.shutdown()
        db.dispose()
        result = backups.restore(db.path, backup, self.folder, db.key)
        with db.write() as s:
            audit.record(
                s, self.actor, "restore", "database", "",
                after={"file": backup.name, "safety_copy": str(result.safety_copy or "")},
            )  # fmt: skip
        return result

    def _on_restore_button_clicked(self) -> None:
        backup = self.selected_backup()
        if backup is None or not self.confirm_restore(backup):
            return
        try:
            self.restore(backup)
        except Exception as exc:
            self.status_label.setText(background.error_text(exc))
            return
        QMessageBox.information(
            self,
            self.tr("Restore"),
            self.tr("The backup was restored. The program now closes; please start it again."),
        )
        app = QApplication.instance()
        if app is not None:
            app.quit()
