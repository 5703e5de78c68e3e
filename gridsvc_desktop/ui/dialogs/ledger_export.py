"""Export a whole ledger (every kind, plus work orders, calls and collection
records), or a blank template, through `services.exports` — the functions
`gridsvc export` calls. The file is written on a worker with a progress bar and
Cancel. Masking follows the signed-in user: phones and ID numbers are masked
unless the role may unmask, and anyone may ask for a masked file to send
outside. (`dialogs/export.py` is the other export: what one page shows.)
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from gridsvc_desktop.ledgers.specs import spec_for
from gridsvc_desktop.services import exports, imports
from gridsvc_desktop.services.actor import Permission
from gridsvc_desktop.services.exports import ExportResult
from gridsvc_desktop.ui.context import UiContext
from gridsvc_desktop.ui.dialogs.import_wizard import message_for, text_label
from gridsvc_desktop.ui.qt import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from gridsvc_desktop.ui.widgets.work_bar import WorkBar


def default_folder() -> Path:
    documents = Path.home() / "Documents"
    return documents if documents.is_dir() else Path.home()


class LedgerExportDialog(QDialog):
    """Choose the kind and the file; `template=True` writes blank templates instead."""

    def __init__(
        self, ctx: UiContext, *, template: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.actor = ctx.acting()
        self.template = template
        if not template:
            self.actor.require(Permission.export)
        self.setObjectName("ledger_template_dialog" if template else "ledger_export_dialog")
        self.setWindowTitle(
            self.tr("Download a blank template") if template else self.tr("Export a ledger")
        )
        self.resize(620, 260)
        self.last_result: ExportResult | Path | None = None
        self._close_when_idle = False

        layout = QVBoxLayout(self)
        intro = text_label(
            self.tr(
                "A blank ledger in the layout the importer reads, with an instructions "
                "sheet (说明) first. Fill it in and import it."
            )
            if template
            else self.tr(
                "The whole ledger, in the layout the importer reads: exported and imported "
                "again, it changes nothing."
            )
        )
        layout.addWidget(intro)
        form = QFormLayout()
        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("export_kind")
        kinds = [k for k, _ in imports.ledger_kinds()] if template else list(exports.EXPORT_KINDS)
        for kind in kinds:
            self.kind_combo.addItem(spec_for(kind).title, kind)
        self.kind_combo.currentIndexChanged.connect(self._on_kind_combo_current_index_changed)
        form.addRow(self.tr("Ledger"), self.kind_combo)
        row = QHBoxLayout()
        self.path_edit = QLineEdit()
        self.path_edit.setObjectName("export_path")
        self.path_edit.setProperty("draft", False)
        self.path_edit.textChanged.connect(self._on_path_edit_text_changed)
        browse = QPushButton(self.tr("Browse…"))
        browse.setObjectName("browse")
        browse.clicked.connect(self._on_browse_button_clicked)
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        form.addRow(self.tr("File"), row)
        self.masked_check = QCheckBox(self.tr("Mask phone and ID numbers (for files sent outside)"))
        self.masked_check.setObjectName("export_masked")
        may_unmask = self.actor.may(Permission.unmask)
        self.masked_check.setChecked(not may_unmask)
        self.masked_check.setEnabled(may_unmask)
        if not may_unmask:
            self.masked_check.setToolTip(
                self.tr("Your role sees masked numbers, so the file is masked too.")
            )
        self.masked_check.setVisible(not template)
        form.addRow("", self.masked_check)
        layout.addLayout(form)

        self.status_label = text_label(name="export_status", selectable=True)
        layout.addWidget(self.status_label)
        layout.addStretch(1)
        self.work_bar = WorkBar()
        self.work_bar.busy_changed.connect(self._on_work_bar_busy_changed)
        layout.addWidget(self.work_bar)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.export_button = QPushButton(self.tr("Save") if template else self.tr("Export"))
        self.export_button.setObjectName("export")
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self._on_export_button_clicked)
        self.close_button = QPushButton(self.tr("Close"))
        self.close_button.setObjectName("close")
        self.close_button.clicked.connect(self.reject)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        self._suggest_path(default_folder())

    # ---- choices

    def kind(self) -> str:
        return str(self.kind_combo.currentData())

    def select_kind(self, kind: str) -> None:
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(spec_for(kind).kind))

    def _suggested_name(self) -> str:
        title = spec_for(self.kind()).title
        if self.template:
            return f"{title}_模板.xlsx"
        return f"{title}_{dt.date.today():%Y%m%d}.xlsx"

    def _suggest_path(self, folder: Path) -> None:
        self.path_edit.setText(str(folder / self._suggested_name()))

    def _on_kind_combo_current_index_changed(self, _index: int) -> None:
        current = self.path_edit.text().strip()
        self._suggest_path(Path(current).parent if current else default_folder())

    def _on_path_edit_text_changed(self, text: str) -> None:
        self.export_button.setEnabled(bool(text.strip()) and not self.work_bar.busy)

    def _on_browse_button_clicked(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self,
            self.windowTitle(),
            self.path_edit.text(),
            self.tr("Excel workbook (*.xlsx)"),
        )
        if name:
            self.path_edit.setText(name)

    def path(self) -> Path:
        path = Path(self.path_edit.text().strip())
        return path if path.suffix.lower() == ".xlsx" else path.with_suffix(".xlsx")

    # ---- writing

    def export(self) -> None:
        """Write the chosen ledger (or template) to the chosen file, on a worker."""
        db, actor, kind, path = self.ctx.db, self.actor, self.kind(), self.path()
        if not path.parent.is_dir():
            self.status_label.setText(
                self.tr("The folder {folder} does not exist.").format(folder=str(path.parent))
            )
            return
        self.status_label.clear()
        if self.template:
            self.work_bar.run(
                self.tr("Writing…"),
                lambda _p: exports.export_template(db, actor, kind, path),
                on_success=self._on_template_done,
                on_failure=self._on_failed,
                on_cancelled=self._on_cancelled,
            )
            return
        masked = True if self.masked_check.isChecked() else None
        self.work_bar.run(
            self.tr("Exporting…"),
            lambda p: exports.export_ledger(db, actor, kind, path, masked=masked, progress=p),
            on_success=self._on_export_done,
            on_failure=self._on_failed,
            on_cancelled=self._on_cancelled,
        )

    def _on_export_done(self, result: ExportResult) -> None:
        self.last_result = result
        text = self.tr("{n} rows exported to {file}").format(n=result.rows, file=str(result.path))
        if result.masked:
            text += self.tr(" (phone and ID numbers masked)")
        self.status_label.setText(text)

    def _on_template_done(self, path: Path) -> None:
        self.last_result = path
        self.status_label.setText(self.tr("Template saved to {file}").format(file=str(path)))

    def _on_failed(self, error: BaseException) -> None:
        self.status_label.setText(message_for(error))

    def _on_cancelled(self) -> None:
        self.status_label.setText(self.tr("Cancelled; no file was written."))

    def _on_export_button_clicked(self) -> None:
        self.export()

    def _on_work_bar_busy_changed(self, busy: bool) -> None:
        self.export_button.setEnabled(not busy and bool(self.path_edit.text().strip()))
        self.kind_combo.setEnabled(not busy)
        if not busy and self._close_when_idle:
            self._close_when_idle = False
            super().reject()

    def reject(self) -> None:
        if self.work_bar.busy:  # stop first; close once the partial file is removed
            self._close_when_idle = True
            self.work_bar.cancel()
            return
        super().reject()
