"""The database passphrase, asked before sign-in when the file is encrypted
(db/encryption.py) and no key file or environment variable gives the key."""

from __future__ import annotations

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


class PassphraseDialog(QDialog):
    """`exec()` → Accepted with `passphrase()`, or Rejected (the program stays closed)."""

    def __init__(self, message: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("passphrase_dialog")
        self.setWindowTitle(self.tr("Encrypted database"))
        layout = QVBoxLayout(self)
        self.message = QLabel(message)
        self.message.setObjectName("passphrase_message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {WARNING_COLOR};" if "不对" in message else "")
        layout.addWidget(self.message)
        hint = QLabel(
            self.tr(
                "The administrator set this password when encrypting the database. "
                "Without it neither the database nor its backups can be read."
            )
        )
        hint.setWordWrap(True)
        layout.addWidget(hint)
        form = QFormLayout()
        self.edit = QLineEdit()
        self.edit.setObjectName("passphrase")
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.edit.setProperty("draft", False)  # never kept as a draft
        form.addRow(self.tr("Database password"), self.edit)
        layout.addLayout(form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)

    def passphrase(self) -> str:
        return self.edit.text()


def ask_passphrase(message: str) -> str | None:
    """Blocking: the passphrase typed, or None when the user cancels."""
    dialog = PassphraseDialog(message)
    if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.passphrase():
        return None
    return dialog.passphrase()
