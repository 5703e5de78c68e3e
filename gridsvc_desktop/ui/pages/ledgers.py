"""台账: the import history, and the ways in and out — the import wizard, the
ledger export, blank templates, undo of the last import.

Admins import; whoever may export (admins, team leads) sees the page for the
export and the history. A ledger file dropped on the page opens the wizard.
The ledger engine (`gridsvc_desktop.ledgers`) is imported when the page is
built, not when the program starts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from gridsvc_desktop.services.actor import Permission
from gridsvc_desktop.ui import format as fmt
from gridsvc_desktop.ui.context import UiContext
from gridsvc_desktop.ui.models.orders_history import RowsTableModel
from gridsvc_desktop.ui.pages.base import Page
from gridsvc_desktop.ui.qt import (
    QColor,
    QCoreApplication,
    QHBoxLayout,
    QHeaderView,
    QMessageBox,
    QPushButton,
    Qt,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from gridsvc_desktop.ui.widgets.work_bar import WorkBar

if TYPE_CHECKING:
    from gridsvc_desktop.services.imports import ImportRecord, UndoResult
    from gridsvc_desktop.ui.dialogs.import_wizard import ImportWizard
    from gridsvc_desktop.ui.dialogs.ledger_export import LedgerExportDialog

HISTORY_LIMIT = 200
UNDONE_COLOR = QColor("#8a939e")


class ImportHistoryModel(RowsTableModel["ImportRecord"]):
    def titles(self) -> list[str]:
        return [
            QCoreApplication.translate("ImportHistoryModel", "Time"),
            QCoreApplication.translate("ImportHistoryModel", "Ledger"),
            QCoreApplication.translate("ImportHistoryModel", "File"),
            QCoreApplication.translate("ImportHistoryModel", "By"),
            QCoreApplication.translate("ImportHistoryModel", "New"),
            QCoreApplication.translate("ImportHistoryModel", "Changed"),
            QCoreApplication.translate("ImportHistoryModel", "Unchanged"),
            QCoreApplication.translate("ImportHistoryModel", "Refused"),
            QCoreApplication.translate("ImportHistoryModel", "Undone"),
        ]

    def cell(self, row: ImportRecord, column: int) -> str:
        values: list[Any] = [
            fmt.date_time(row.started_at),
            row.title,
            row.file_name,
            row.username,
            row.created,
            row.changed,
            row.unchanged,
            row.refused,
            fmt.date_time(row.undone_at) if row.undone_at else "",
        ]
        return str(values[column])

    def foreground(self, row: ImportRecord, column: int) -> QColor | None:
        return UNDONE_COLOR if row.undone_at else None

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.TextAlignmentRole and 4 <= index.column() <= 7:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return super().data(index, role)


class LedgersPage(Page):
    key = "ledgers"
    icon_name = "ledgers"
    #: Team leads export; only admins (Permission.import_ledgers) import and undo.
    permission: ClassVar[Permission] = Permission.export

    @classmethod
    def title(cls) -> str:
        return QCoreApplication.translate("LedgersPage", "Ledgers")

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        from gridsvc_desktop.ui.dialogs.import_wizard import text_label

        super().__init__(ctx, parent)
        self.actor = ctx.acting()
        self.may_import = self.actor.may(Permission.import_ledgers)
        self.may_export = self.actor.may(Permission.export)
        self.wizard: ImportWizard | None = None
        self.export_dialog: LedgerExportDialog | None = None
        self.setAcceptDrops(self.may_import)

        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.import_button = QPushButton(self.tr("Import a ledger…"))
        self.import_button.setObjectName("import_ledger")
        self.import_button.clicked.connect(self._on_import_button_clicked)
        self.export_button = QPushButton(self.tr("Export a ledger…"))
        self.export_button.setObjectName("export_ledger")
        self.export_button.clicked.connect(self._on_export_button_clicked)
        self.template_button = QPushButton(self.tr("Download a blank template…"))
        self.template_button.setObjectName("download_template")
        self.template_button.clicked.connect(self._on_template_button_clicked)
        self.undo_button = QPushButton(self.tr("Undo the last import"))
        self.undo_button.setObjectName("undo_import")
        self.undo_button.clicked.connect(self._on_undo_button_clicked)
        self.import_button.setVisible(self.may_import)
        self.undo_button.setVisible(self.may_import)
        self.export_button.setVisible(self.may_export)
        for b in (self.import_button, self.export_button, self.template_button):
            bar.addWidget(b)
        bar.addStretch(1)
        bar.addWidget(self.undo_button)
        layout.addLayout(bar)

        hint = text_label(
            self.tr(
                "Import history, newest first. Each import is checked in a dry run before "
                "anything is written, a backup is taken first, and the last import can be "
                "undone exactly. You can also drop a ledger file on this page."
            )
            if self.may_import
            else self.tr("Import history, newest first."),
            hint=True,
        )
        layout.addWidget(hint)

        self.model = ImportHistoryModel(self)
        self.view = QTableView()
        self.view.setObjectName("import_history")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.view, 1)

        self.status_label = text_label(name="ledgers_status", selectable=True)
        layout.addWidget(self.status_label)
        self.work_bar = WorkBar()
        self.work_bar.busy_changed.connect(self._on_work_bar_busy_changed)
        layout.addWidget(self.work_bar)
        self.reload()

    # ---- history

    def reload(self) -> None:
        from gridsvc_desktop.services import imports

        self.model.set_rows(imports.import_records(self.ctx.db, HISTORY_LIMIT))
        self._update_undo()

    def last_import(self) -> ImportRecord | None:
        """The import that undo would revert: the newest not yet undone."""
        for i in range(self.model.rowCount()):
            record = self.model.row_at(i)
            if record is not None and record.undone_at is None:
                return record
        return None

    def _update_undo(self) -> None:
        self.undo_button.setEnabled(self.last_import() is not None and not self.work_bar.busy)

    def _on_work_bar_busy_changed(self, _busy: bool) -> None:
        self._update_undo()

    # ---- import

    def open_wizard(self, path: Any = None) -> ImportWizard:
        """The import wizard, opened window-modal (never exec())."""
        from gridsvc_desktop.ui.dialogs.import_wizard import ImportWizard

        wizard = ImportWizard(self.ctx, path, parent=self)
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wizard.imported.connect(self._on_wizard_imported)
        wizard.destroyed.connect(self._on_wizard_destroyed)
        self.wizard = wizard
        wizard.open()
        if path is not None:
            wizard.read_file()
        return wizard

    def _on_wizard_destroyed(self, _obj: object = None) -> None:
        self.wizard = None

    def _on_wizard_imported(self, _batch_id: int) -> None:
        self.status_label.clear()
        self.reload()

    def _on_import_button_clicked(self) -> None:
        self.open_wizard()

    def dragEnterEvent(self, event: Any) -> None:
        from gridsvc_desktop.ui.dialogs.import_wizard import dropped_file

        if self.may_import and dropped_file(event.mimeData().urls()) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: Any) -> None:
        from gridsvc_desktop.ui.dialogs.import_wizard import dropped_file

        path = dropped_file(event.mimeData().urls())
        if self.may_import and path is not None:
            event.acceptProposedAction()
            self.open_wizard(path)

    # ---- export and templates

    def open_export(self, *, template: bool = False) -> LedgerExportDialog:
        from gridsvc_desktop.ui.dialogs.ledger_export import LedgerExportDialog

        dialog = LedgerExportDialog(self.ctx, template=template, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(self._on_export_dialog_destroyed)
        self.export_dialog = dialog
        dialog.open()
        return dialog

    def _on_export_dialog_destroyed(self, _obj: object = None) -> None:
        self.export_dialog = None

    def _on_export_button_clicked(self) -> None:
        self.open_export()

    def _on_template_button_clicked(self) -> None:
        self.open_export(template=True)

    # ---- undo

    def confirm_text(self, record: ImportRecord) -> str:
        return self.tr(
            "Undo the import of {file} ({kind}, {when}, by {who}): {new} new rows are "
            "deleted and {changed} changed rows get their old values back. Continue?"
        ).format(
            file=record.file_name,
            kind=record.title,
            when=fmt.date_time(record.started_at),
            who=record.username or "—",
            new=record.created,
            changed=record.changed,
        )

    def _on_undo_button_clicked(self) -> None:
        record = self.last_import()
        if record is None:
            return
        box = QMessageBox(self)
        box.setObjectName("confirm_undo")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Undo the last import"))
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(self.confirm_text(record))
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        yes = box.button(QMessageBox.StandardButton.Yes)

        def answered(_result: int) -> None:
            if box.clickedButton() is yes:
                self.undo_last()

        box.finished.connect(answered)
        box.open()

    def undo_last(self) -> None:
        """Undo the most recent import on a worker; a refusal shows its reason."""
        from gridsvc_desktop.services import imports

        db, actor = self.ctx.db, self.actor
        self.status_label.clear()
        self.work_bar.run(
            self.tr("Undoing the last import…"),
            lambda p: imports.undo_last_import(db, actor, progress=p),
            on_success=self._on_undo_done,
            on_failure=self._on_undo_failed,
            on_cancelled=lambda: self.status_label.setText(
                self.tr("Cancelled. Nothing was changed.")
            ),
        )

    def _on_undo_done(self, result: UndoResult) -> None:
        self.status_label.setStyleSheet("")
        self.status_label.setText(
            self.tr("The import of {file} was undone ({n} records restored).").format(
                file=result.file_name, n=result.reverted
            )
        )
        self.reload()
        self.ctx.events.changed.emit("import")

    def _on_undo_failed(self, error: BaseException) -> None:
        from gridsvc_desktop.ui.dialogs.import_wizard import message_for

        self.status_label.setStyleSheet("color: #b03a2e;")
        self.status_label.setText(message_for(error))
