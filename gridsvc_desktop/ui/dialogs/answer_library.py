"""标准答复库: the team lead edits the assistant's standard answers.

A list of the answers (retired ones greyed, last), and for the one chosen its
title, category, whether the desk is offered it, and its text with
placeholders; a live preview fills the text for a sample customer (the caller
on the call screen, else one with the most data) as the lead types. Saving
goes through services/assistant (unknown placeholders refused, the version
the lead opened checked, audited). Staff may look but not save.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gridsvc_desktop.domain import templates
from gridsvc_desktop.domain.answer_library import CATEGORIES, PLACEHOLDERS
from gridsvc_desktop.services import assistant
from gridsvc_desktop.services.actor import Permission
from gridsvc_desktop.services.assistant import TemplateInput
from gridsvc_desktop.services.customers import customer_card
from gridsvc_desktop.ui.background import error_text
from gridsvc_desktop.ui.context import UiContext
from gridsvc_desktop.ui.models.orders_history import RowsTableModel
from gridsvc_desktop.ui.qt import (
    QAbstractItemView,
    QCheckBox,
    QColor,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QModelIndex,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    Qt,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from gridsvc_desktop.ui.widgets.customer_card import WARNING_COLOR

RETIRED_COLOR = "#8a939e"


@dataclass(frozen=True)
class LibraryRow:
    id: int
    key: str
    title: str
    category: str
    body: str
    active: bool
    version: int
    updated_by: str
    updated_at: dt.datetime


class LibraryModel(RowsTableModel[LibraryRow]):
    """The library: category, title; retired answers greyed."""

    CATEGORY, TITLE = range(2)

    def row_of(self, template_id: int) -> int:
        return next((i for i, r in enumerate(self._rows) if r.id == template_id), -1)

    def titles(self) -> list[str]:
        return [self.tr("Category"), self.tr("Title")]

    def cell(self, row: LibraryRow, column: int) -> str:
        if column == self.CATEGORY:
            return row.category
        return row.title if row.active else self.tr("{title} (retired)").format(title=row.title)

    def foreground(self, row: LibraryRow, column: int) -> QColor | None:
        return None if row.active else QColor(RETIRED_COLOR)


def load_library(ctx: UiContext) -> list[LibraryRow]:
    with ctx.db.read() as session:
        return [
            LibraryRow(
                r.id,
                r.key,
                r.title,
                r.category,
                r.body,
                r.active,
                r.version,
                r.updated_by,
                r.updated_at,
            )
            for r in assistant.library(session)
            if r.id is not None
        ]


class AnswerLibraryDialog(QDialog):
    """List, edit and add the standard answers, with a live preview."""

    def __init__(
        self,
        ctx: UiContext,
        *,
        sample_customer_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("answer_library_dialog")
        self.setWindowTitle(self.tr("Standard answers"))
        self.ctx = ctx
        self.actor = ctx.acting()
        self.may_edit = self.actor.may(Permission.dispatch)
        #: The answer being edited (None: a new one) and the version it was read at.
        self.editing: LibraryRow | None = None

        self.model = LibraryModel(self)
        self.table = QTableView()
        self.table.setObjectName("library_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setShowGrid(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(LibraryModel.CATEGORY, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.new_button = QPushButton(self.tr("New answer"))
        self.new_button.setObjectName("library_new")
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.new_button)

        self.key_label = QLabel()
        self.key_label.setObjectName("library_key")
        self.key_label.setTextFormat(Qt.TextFormat.PlainText)
        self.title_edit = QLineEdit()
        self.title_edit.setObjectName("library_title")
        self.title_edit.setMaxLength(100)
        self.category_box = QComboBox()
        self.category_box.setObjectName("library_category")
        self.category_box.setEditable(True)
        self.category_box.addItems(list(CATEGORIES))
        self.active_box = QCheckBox(self.tr("Offered at the desk"))
        self.active_box.setObjectName("library_active")
        self.insert_box = QComboBox()
        self.insert_box.setObjectName("library_insert")
        self.insert_box.addItem(self.tr("Insert a placeholder…"), None)
        for name, meaning in PLACEHOLDERS.items():
            self.insert_box.addItem(f"{{{name}}}　{meaning}", name)
        self.body_edit = QPlainTextEdit()
        self.body_edit.setObjectName("library_body")
        self.body_edit.setMinimumHeight(self.fontMetrics().lineSpacing() * 7)
        self.preview_label = QLabel()
        self.preview_label.setObjectName("library_preview_label")
        self.preview_label.setTextFormat(Qt.TextFormat.PlainText)
        self.preview_label.setStyleSheet("color: #5f6b7a;")
        self.preview_view = QPlainTextEdit()
        self.preview_view.setObjectName("library_preview")
        self.preview_view.setReadOnly(True)
        self.preview_view.setStyleSheet("background: #f6f8fa;")
        self.error_label = QLabel()
        self.error_label.setObjectName("library_error")
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setWordWrap(True)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.tr("Key"), self.key_label)
        form.addRow(self.tr("Title"), self.title_edit)
        form.addRow(self.tr("Category"), self.category_box)
        form.addRow("", self.active_box)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addLayout(form)
        text_row = QHBoxLayout()
        text_row.addWidget(QLabel(self.tr("Text")))
        text_row.addStretch(1)
        text_row.addWidget(self.insert_box)
        right_layout.addLayout(text_row)
        right_layout.addWidget(self.body_edit, 3)
        right_layout.addWidget(self.preview_label)
        right_layout.addWidget(self.preview_view, 2)
        right_layout.addWidget(self.error_label)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setChildrenCollapsible(False)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("library_save")
        layout = QVBoxLayout(self)
        if not self.may_edit:
            note = QLabel(self.tr("Only team leads can change the standard answers."))
            note.setStyleSheet(f"color: {WARNING_COLOR};")
            layout.addWidget(note)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.buttons)
        self.resize(960, 620)
        for widget in (self.title_edit, self.category_box, self.active_box, self.insert_box,
                       self.body_edit, self.new_button, self.save_button):  # fmt: skip
            widget.setEnabled(self.may_edit)
        self.body_edit.setReadOnly(not self.may_edit)
        self.body_edit.setEnabled(True)

        self._sample_values, sample_name = self._load_sample(sample_customer_id)
        self._sample_text = (
            self.tr("Preview for {name}").format(name=sample_name)
            if sample_name
            else self.tr("Preview (no customer in the store: every placeholder shows as a gap)")
        )
        self.preview_label.setText(self._sample_text)

        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_row_changed)
        self.body_edit.textChanged.connect(self._on_body_edit_text_changed)
        self.insert_box.activated.connect(self._on_insert_box_activated)
        self.new_button.clicked.connect(self._on_new_button_clicked)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.buttons.rejected.connect(self.reject)
        self.reload()

    # ---- data

    def _load_sample(self, customer_id: int | None) -> tuple[dict[str, str], str]:
        unmask = self.ctx.unmask and self.actor.may(Permission.unmask)
        with self.ctx.db.read() as session:
            if customer_id is None:
                customer_id = assistant.sample_customer(session)
            if customer_id is None:
                return {}, ""
            values = assistant.preview_values(session, customer_id, unmask=unmask)
            c = customer_card(session, customer_id, recent_calls=0).customer
            return values, f"{c.name}（{c.account_no}）"

    def reload(self, select_id: int | None = None) -> None:
        current = self.editing.id if self.editing else None
        self.model.set_rows(load_library(self.ctx))
        row = self.model.row_of(select_id or current or -1)
        self.table.setCurrentIndex(self.model.index(max(row, 0), LibraryModel.TITLE))
        if not self.model.rowCount():
            self._edit(None)

    def current_input(self) -> TemplateInput:
        return TemplateInput(
            title=self.title_edit.text(),
            category=self.category_box.currentText(),
            body=self.body_edit.toPlainText(),
            active=self.active_box.isChecked(),
        )

    def _edit(self, row: LibraryRow | None) -> None:
        self.editing = row
        self.key_label.setText(row.key if row else self.tr("(new: given on saving)"))
        self.title_edit.setText(row.title if row else "")
        self.category_box.setCurrentText(row.category if row else CATEGORIES[0])
        self.active_box.setChecked(row.active if row else True)
        self.body_edit.setPlainText(row.body if row else "")
        if row is not None:
            self.key_label.setToolTip(
                self.tr("Version {version}, last saved by {who} at {when}").format(
                    version=row.version,
                    who=row.updated_by or "—",
                    when=f"{row.updated_at:%Y-%m-%d %H:%M}",
                )
            )
        self.error_label.clear()

    def _refresh_preview(self) -> None:
        self.preview_view.setPlainText(
            templates.fill(self.body_edit.toPlainText(), self._sample_values, tuple(PLACEHOLDERS))
        )

    # ---- slots

    def _on_table_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self._edit(self.model.row_at(current.row()))

    def _on_body_edit_text_changed(self) -> None:
        self._refresh_preview()

    def _on_insert_box_activated(self, index: int) -> None:
        name = self.insert_box.itemData(index)
        self.insert_box.setCurrentIndex(0)
        if name:
            self.body_edit.insertPlainText(f"{{{name}}}")
            self.body_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_new_button_clicked(self) -> None:
        self.table.clearSelection()
        self._edit(None)
        self.title_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_save_button_clicked(self) -> None:
        self.save()

    def save(self) -> bool:
        """Save what is in the form (new or the answer chosen); False if refused."""
        data, editing = self.current_input(), self.editing
        try:
            with self.ctx.db.write() as session:
                if editing is None:
                    row = assistant.create_template(session=session, actor=self.actor, data=data)
                else:
                    row = assistant.update_template(
                        session=session, actor=self.actor, template_id=editing.id, data=data,
                        expected_version=editing.version,
                    )  # fmt: skip
                saved_id = row.id
        except Exception as error:  # refusals are for the lead to read and fix
            self.error_label.setStyleSheet(f"color: {WARNING_COLOR};")
            self.error_label.setText(error_text(error))
            return False
        self.editing = None
        self.reload(select_id=saved_id)
        self.error_label.setStyleSheet("color: #2e7d32;")
        self.error_label.setText(self.tr("Saved."))
        self.ctx.events.changed.emit("answer_template")
        return True
