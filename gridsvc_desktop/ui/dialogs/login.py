"""Sign-in, and on the first start, the administrator's password.

The password fields are never kept as drafts (ui/drafts.py skips password
echo modes) and are cleared after each attempt.
"""

from __future__ import annotations

from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.services import auth
from gridsvc_desktop.services.actor import Actor
from gridsvc_desktop.services.common import InvalidInput
from gridsvc_desktop.ui.qt import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)
from gridsvc_desktop.ui.widgets.customer_card import WARNING_COLOR


class LoginDialog(QDialog):
    """`exec()` → Accepted with `actor` set, or Rejected."""

    def __init__(self, db: Database, parent: QWidget | None = None, *, username: str = "") -> None:
        super().__init__(parent)
        self.db = db
        self.actor: Actor | None = None
        self.setObjectName("login_dialog")
        with db.read() as s:
            self.first_start = auth.needs_admin_password(s)
        self.setWindowTitle(
            self.tr("Set the administrator password") if self.first_start else self.tr("Sign in")
        )
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "First start: choose the password of the administrator account “admin” "
                "(at least {n} characters). Keep it safe: it manages users and backups."
            ).format(n=auth.MIN_PASSWORD_LENGTH)
            if self.first_start
            else self.tr("Sign in with your user name and password.")
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.username_edit = QLineEdit(auth.ADMIN_USERNAME if self.first_start else username)
        self.username_edit.setObjectName("username")
        self.username_edit.setReadOnly(self.first_start)
        self.username_edit.setProperty("draft", False)
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("password")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setProperty("draft", False)
        form.addRow(self.tr("User name"), self.username_edit)
        form.addRow(self.tr("Password"), self.password_edit)
        self.confirm_edit = QLineEdit()
        self.confirm_edit.setObjectName("confirm_password")
        self.confirm_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm_edit.setProperty("draft", False)
        if self.first_start:
            form.addRow(self.tr("Repeat password"), self.confirm_edit)
        else:
            self.confirm_edit.hide()
        layout.addLayout(form)
        self.error_label = QLabel()
        self.error_label.setObjectName("login_error")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(f"color: {WARNING_COLOR};")
        self.error_label.hide()
        layout.addWidget(self.error_label)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        (self.password_edit if self.username_edit.text() else self.username_edit).setFocus()

    def _show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()

    def _on_buttons_accepted(self) -> None:
        password = self.password_edit.text()
        confirm = self.confirm_edit.text()
        self.password_edit.clear()
        self.confirm_edit.clear()
        try:
            if self.first_start:
                if password != confirm:
                    self._show_error(self.tr("The two passwords differ."))
                    return
                with self.db.write() as s:
                    self.actor = auth.set_first_admin_password(s, password)
            else:
                self.actor = auth.sign_in(self.db, self.username_edit.text(), password)
        except (auth.SignInFailed, InvalidInput) as exc:
            self._show_error(str(exc))
            self.password_edit.setFocus()
            return
        self.accept()


def ask_sign_in(db: Database, parent: QWidget | None = None, username: str = "") -> Actor | None:
    """The signed-in actor, or None when the user cancelled."""
    dialog = LoginDialog(db, parent, username=username)
    try:
        return dialog.actor if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()
