"""A dialog that checks its fields as the user types and saves through a service.

Subclasses build their fields, call `watch(widget)` for each so every change
re-checks, implement `problems()` (field name → message, for what is wrong
now) and `saver()` (a function of session and actor that does the write with
plain values captured on the GUI thread). OK stays disabled while anything is
wrong; pressing it runs the saver on a worker inside `db.write()`, and the
dialog closes only when the service said yes. A refusal (InvalidInput,
PermissionDenied, ConcurrentEdit…) is shown in the dialog, next to the field
the service named when it named one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlmodel import Session

from gridsvc_desktop.services.actor import Actor
from gridsvc_desktop.services.common import InvalidInput
from gridsvc_desktop.ui.background import Task, error_text, run_in_background
from gridsvc_desktop.ui.context import UiContext
from gridsvc_desktop.ui.qt import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    Qt,
    QWidget,
)

ERROR_COLOR = "#c0392b"
Saver = Callable[[Session, Actor], Any]


def error_label(object_name: str = "") -> QLabel:
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {ERROR_COLOR};")
    label.setVisible(False)
    if object_name:
        label.setObjectName(object_name)
    return label


class ServiceDialog(QDialog):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.result_value: Any = None
        self._task: Task | None = None
        self._field_labels: dict[str, QLabel] = {}
        self._server_problem: tuple[str, str] | None = None
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.setObjectName("dialog_buttons")
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        self.message = error_label("dialog_message")

    # ---- for subclasses

    def field_label(self, name: str) -> QLabel:
        """The error label shown under field `name` (create once, put it in the layout)."""
        label = self._field_labels.get(name)
        if label is None:
            label = self._field_labels[name] = error_label(f"error_{name}")
        return label

    def watch(self, *widgets: QWidget) -> None:
        for w in widgets:
            if isinstance(w, QLineEdit):
                w.textChanged.connect(self._on_field_changed)
            elif isinstance(w, QComboBox):
                w.currentIndexChanged.connect(self._on_field_changed)
                if w.isEditable():
                    w.editTextChanged.connect(self._on_field_changed)
            elif isinstance(w, QCheckBox):
                w.toggled.connect(self._on_field_changed)
            elif isinstance(w, QDateEdit):
                w.dateChanged.connect(self._on_field_changed)
            elif isinstance(w, QSpinBox):
                w.valueChanged.connect(self._on_field_changed)
            elif isinstance(w, QPlainTextEdit):
                w.textChanged.connect(self._on_field_changed)

    def problems(self) -> dict[str, str]:
        return {}

    def saver(self) -> Saver:
        raise NotImplementedError

    # ---- checking

    def revalidate(self) -> bool:
        found = self.problems()
        if self._server_problem is not None:
            name, text = self._server_problem
            found.setdefault(name, text)
        for name, label in self._field_labels.items():
            text = found.get(name, "")
            label.setText(text)
            label.setVisible(bool(text))
        ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok_button.setEnabled(not found and self._task is None)
        return not found

    def _on_field_changed(self, *_args: object) -> None:
        self._server_problem = None
        self.message.setVisible(False)
        self.revalidate()

    # ---- saving

    @property
    def saving(self) -> bool:
        return self._task is not None

    def _on_buttons_accepted(self) -> None:
        if self._task is not None or not self.revalidate():
            return
        save = self.saver()
        ctx = self.ctx

        def work(_progress: object) -> Any:
            actor = ctx.acting()
            with ctx.db.write() as session:
                return save(session, actor)

        self.buttons.setEnabled(False)
        self.message.setStyleSheet("color: #555;")
        self.message.setText(self.tr("Saving…"))
        self.message.setVisible(True)
        self._task = run_in_background(
            self, work, on_success=self._on_saved, on_failure=self._on_save_failed
        )

    def _on_saved(self, result: Any) -> None:
        self._task = None
        self.result_value = result
        self.buttons.setEnabled(True)
        self.message.setVisible(False)
        self.accept()

    def _on_save_failed(self, error: BaseException) -> None:
        self._task = None
        self.buttons.setEnabled(True)
        self.message.setStyleSheet(f"color: {ERROR_COLOR};")
        self.message.setText(error_text(error))
        self.message.setVisible(True)
        field = getattr(error, "field", "") if isinstance(error, InvalidInput) else ""
        if field and field in self._field_labels:
            self._server_problem = (field, str(error))
        self.revalidate()
        ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok_button.setEnabled(self._server_problem is None)
