"""报表 (reports): pick a report and its parameters, preview it, print it or save the PDF.

The report is built on a worker thread (services.reports.build_report, with
progress and a cancel button); its pages are shown by `ReportPreview`; printing
goes through Qt's print dialog (ui/dialogs/report_print.py) and, like saving,
is audited. reportlab and pypdfium2 are imported only when a report is built.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.services.actor import Actor, Permission
from gridsvc_desktop.services.progress import Cancelled
from gridsvc_desktop.services.reports import (
    CATALOGUE,
    Choice,
    Param,
    ReportParams,
    ReportResult,
    ReportSpec,
    build_report,
    choices,
    record_output,
)
from gridsvc_desktop.ui.background import Task, error_text, run_in_background, show_message
from gridsvc_desktop.ui.context import UiContext
from gridsvc_desktop.ui.pages.base import Page
from gridsvc_desktop.ui.qt import (
    QComboBox,
    QCoreApplication,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QSplitter,
    Qt,
    QVBoxLayout,
    QWidget,
)
from gridsvc_desktop.ui.widgets.report_params import ReportParamsForm
from gridsvc_desktop.ui.widgets.report_preview import ReportPreview, weak_call

if TYPE_CHECKING:
    from gridsvc_desktop.reports.raster import PdfPages
    from gridsvc_desktop.ui.qt import QPrinter

SPEC_ROLE = Qt.ItemDataRole.UserRole + 1
ZOOMS: tuple[float | None, ...] = (None, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0)


# ---- work done on worker threads (no widgets here)


def load_choices(db: Database) -> dict[Param, list[Choice]]:
    with db.read() as session:
        return {p: choices(session, p) for p in (Param.grid, Param.staff, Param.outage)}


def load_compounds(db: Database, outage_id: int) -> list[Choice]:
    with db.read() as session:
        return choices(session, Param.compound, ReportParams(outage_id=outage_id))


def build_and_open(
    db: Database, actor: Actor, name: str, params: ReportParams, progress: Any
) -> tuple[ReportResult, PdfPages]:
    from gridsvc_desktop.reports.raster import PdfPages

    result = build_report(db, actor, name, params, progress=progress)
    return result, PdfPages(result.data)


def save_pdf(db: Database, actor: Actor, result: ReportResult, path: Path) -> Path:
    path.write_bytes(result.data)
    record_output(db, actor, result, "save", target=path.name)
    return path


# ---- the page


class ReportsPage(Page):
    key = "reports"
    icon_name = "reports"

    @classmethod
    def title(cls) -> str:
        return QCoreApplication.translate("ReportsPage", "Reports")

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._actor: Actor | None = None
        self._result: ReportResult | None = None
        self._pages: PdfPages | None = None
        self._build_task: Task | None = None
        self._build_generation = 0
        self._compound_generation = 0
        self._print_task: Task | None = None
        self._printer: QPrinter | None = None

        actor = self.actor()
        may_unmask = ctx.unmask and actor.may(Permission.unmask)

        self.report_list = QListWidget()
        self.report_list.setObjectName("report_list")
        for spec in CATALOGUE:
            item = QListWidgetItem(spec.title)
            item.setData(SPEC_ROLE, spec.name)
            item.setToolTip(spec.description)
            self.report_list.addItem(item)
        self.report_list.setMaximumHeight(
            self.report_list.sizeHintForRow(0) * (len(CATALOGUE) + 1) + 8
        )
        self.description_label = QLabel()
        self.description_label.setObjectName("report_description")
        self.description_label.setWordWrap(True)
        self.description_label.setTextFormat(Qt.TextFormat.PlainText)
        self.description_label.setStyleSheet("color: #5b6675;")

        self.form = ReportParamsForm(may_unmask=may_unmask)

        self.build_button = QPushButton(self.tr("&Build preview"))
        self.build_button.setObjectName("report_build")
        self.build_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setObjectName("report_cancel")
        self.cancel_button.setVisible(False)
        self.progress_bar = QProgressBar()
        self.progress_bar.setObjectName("report_progress")
        self.progress_bar.setRange(0, 100)
        self.progress_bar.setVisible(False)
        self.status_label = QLabel()
        self.status_label.setObjectName("report_status")
        self.status_label.setWordWrap(True)
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        self.print_button = QPushButton(self.tr("&Print…"))
        self.print_button.setObjectName("report_print")
        self.save_button = QPushButton(self.tr("&Save PDF…"))
        self.save_button.setObjectName("report_save")
        for button in (self.print_button, self.save_button):
            button.setEnabled(False)
        if not actor.may(Permission.print):
            self.build_button.setEnabled(False)
            self.status_label.setText(self.tr("Your role may not print reports."))

        build_row = QHBoxLayout()
        build_row.addWidget(self.build_button, 1)
        build_row.addWidget(self.cancel_button)
        output_row = QHBoxLayout()
        output_row.addWidget(self.print_button)
        output_row.addWidget(self.save_button)

        left = QWidget()
        left.setObjectName("report_left")
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 8, 0)
        left_layout.addWidget(QLabel(self.tr("Report")))
        left_layout.addWidget(self.report_list)
        left_layout.addWidget(self.description_label)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        left_layout.addWidget(line)
        left_layout.addWidget(self.form)
        left_layout.addLayout(build_row)
        left_layout.addWidget(self.progress_bar)
        left_layout.addWidget(self.status_label)
        left_layout.addStretch(1)
        left_layout.addLayout(output_row)
        left.setMinimumWidth(300)
        left.setMaximumWidth(420)

        self.preview = ReportPreview()
        self.preview_title = QLabel(self.tr("No report built yet."))
        self.preview_title.setObjectName("report_preview_title")
        self.preview_title.setTextFormat(Qt.TextFormat.PlainText)
        self.page_label = QLabel()
        self.page_label.setObjectName("report_page_label")
        self.zoom_combo = QComboBox()
        self.zoom_combo.setObjectName("report_zoom")
        self.zoom_combo.addItem(self.tr("Fit width"), None)
        for zoom in ZOOMS[1:]:
            assert zoom is not None
            self.zoom_combo.addItem(f"{zoom:.0%}", zoom)
        bar = QHBoxLayout()
        bar.addWidget(self.preview_title, 1)
        bar.addWidget(self.page_label)
        bar.addSpacing(12)
        bar.addWidget(QLabel(self.tr("Zoom:")))
        bar.addWidget(self.zoom_combo)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(8, 0, 0, 0)
        right_layout.addLayout(bar)
        right_layout.addWidget(self.preview, 1)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("report_splitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.addWidget(self.splitter)

        self.report_list.currentRowChanged.connect(self._on_report_list_current_row_changed)
        self.report_list.itemActivated.connect(self._on_report_list_item_activated)
        self.form.outage_changed.connect(self._on_form_outage_changed)
        self.form.changed.connect(self._on_form_changed)
        self.build_button.clicked.connect(self._on_build_button_clicked)
        self.cancel_button.clicked.connect(self._on_cancel_button_clicked)
        self.print_button.clicked.connect(self._on_print_button_clicked)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.zoom_combo.currentIndexChanged.connect(self._on_zoom_combo_current_index_changed)
        self.preview.page_changed.connect(self._on_preview_page_changed)
        self.preview.render_failed.connect(self._on_preview_render_failed)

        self.report_list.setCurrentRow(0)
        self._load_choices()

    # ---- Page

    def activated(self) -> None:
        self.report_list.setFocus(Qt.FocusReason.OtherFocusReason)

    def reload(self) -> None:
        self._load_choices()

    # ---- state

    def actor(self) -> Actor:
        if self._actor is None:
            self._actor = self.ctx.acting()
        return self._actor

    def current_spec(self) -> ReportSpec | None:
        item = self.report_list.currentItem()
        if item is None:
            return None
        name = item.data(SPEC_ROLE)
        return next((s for s in CATALOGUE if s.name == name), None)

    @property
    def result(self) -> ReportResult | None:
        return self._result

    def select_report(self, name: str) -> None:
        for row in range(self.report_list.count()):
            if self.report_list.item(row).data(SPEC_ROLE) == name:
                self.report_list.setCurrentRow(row)
                return
        raise KeyError(name)

    # ---- choices

    def _load_choices(self) -> None:
        db = self.ctx.db
        run_in_background(
            self,
            lambda _progress: load_choices(db),
            on_success=weak_call(self._on_choices_loaded),
        )

    def _on_choices_loaded(self, loaded: dict[Param, list[Choice]]) -> None:
        self.form.set_grids(loaded[Param.grid])
        self.form.set_staff(loaded[Param.staff])
        self.form.set_outages(loaded[Param.outage])
        spec = self.current_spec()
        if spec is not None:
            self.form.set_spec(spec)
        self._update_buttons()

    def _on_form_outage_changed(self) -> None:
        outage_id = self.form.outage_combo.currentData()
        self._compound_generation += 1
        generation = self._compound_generation
        if outage_id is None:
            self.form.set_compounds([])
            return
        db = self.ctx.db
        run_in_background(
            self,
            lambda _progress: load_compounds(db, outage_id),
            on_success=weak_call(self._on_compounds_loaded, generation),
        )

    def _on_compounds_loaded(self, generation: int, found: list[Choice]) -> None:
        if generation == self._compound_generation:
            self.form.set_compounds(found)

    # ---- building

    def build(self) -> None:
        """Build the chosen report on a worker; the preview shows it when done."""
        spec = self.current_spec()
        missing = self.form.missing()
        if spec is None or missing:
            self._set_status(missing, warn=True)
            return
        self._build_generation += 1
        generation = self._build_generation
        if self._build_task is not None:
            self._build_task.cancel()
        db, actor, params, name = self.ctx.db, self.actor(), self.form.params(), spec.name
        self.progress_bar.setValue(0)
        self.progress_bar.setVisible(True)
        self.cancel_button.setVisible(True)
        self._set_status(self.tr("Building “{title}”…").format(title=spec.title))
        self._build_task = run_in_background(
            self,
            lambda progress: build_and_open(db, actor, name, params, progress),
            on_success=weak_call(self._on_built, generation),
            on_failure=weak_call(self._on_build_failed, generation),
            progress=weak_call(self._on_build_progress, generation),
        )

    def cancel_build(self) -> None:
        if self._build_task is not None:
            self._build_task.cancel()
            self._build_task = None
        self._build_generation += 1
        self._end_busy()
        self._set_status(self.tr("Cancelled."))

    def _on_build_progress(self, generation: int, done: int, total: int, message: str) -> None:
        if generation != self._build_generation:
            return
        self.progress_bar.setValue(int(100 * done / total) if total else 0)
        if message:
            self.progress_bar.setFormat(f"{message} %p%")

    def _on_built(self, generation: int, built: tuple[ReportResult, PdfPages]) -> None:
        result, pages = built
        if generation != self._build_generation:
            pages.close()
            return
        self._build_task = None
        self._end_busy()
        old = self._pages
        self._result, self._pages = result, pages
        self.preview.set_document(pages)
        if old is not None:
            old.close()
        masked = self.tr("numbers masked") if result.masked else self.tr("full numbers")
        self.preview_title.setText(f"{result.title}（{masked}）")
        self._set_status(
            self.tr("{pages} page(s) built in {seconds:.1f} s.").format(
                pages=result.pages, seconds=result.elapsed_s
            )
        )
        self._update_buttons()

    def _on_build_failed(self, generation: int, error: BaseException) -> None:
        if generation != self._build_generation:
            return
        self._build_task = None
        self._end_busy()
        if isinstance(error, Cancelled):
            self._set_status(self.tr("Cancelled."))
            return
        self._set_status(error_text(error), warn=True)

    def _end_busy(self) -> None:
        self.progress_bar.setVisible(False)
        self.cancel_button.setVisible(False)

    # ---- output

    def save_to(self, path: Path) -> None:
        """Write the built PDF to `path` (on a worker) and audit it."""
        result = self._result
        if result is None:
            return
        db, actor = self.ctx.db, self.actor()
        run_in_background(
            self,
            lambda _progress: save_pdf(db, actor, result, path),
            on_success=weak_call(self._on_saved),
            on_failure=weak_call(self._on_save_failed),
        )

    def _on_saved(self, saved: Path) -> None:
        self._set_status(self.tr("Saved to {path}").format(path=str(saved)))

    def _on_save_failed(self, error: BaseException) -> None:
        self._set_status(error_text(error), warn=True)

    def print_to(self, printer: QPrinter) -> Task | None:
        """Print the pages the printer's settings ask for (on a worker) and audit it."""
        from gridsvc_desktop.ui.dialogs.report_print import chosen_pages, print_pages

        result, pages = self._result, self._pages
        if result is None or pages is None or self._print_task is not None:
            return None
        indexes = chosen_pages(printer, len(pages))
        db, actor = self.ctx.db, self.actor()
        self._printer = printer
        target = printer.outputFileName() or printer.printerName()

        def work(progress: Any) -> int:
            sheets = print_pages(printer, pages, indexes, progress)
            record_output(db, actor, result, "print", target=target, pages=sheets)
            return sheets

        self.print_button.setEnabled(False)
        self._set_status(self.tr("Printing…"))
        self._print_task = run_in_background(
            self,
            work,
            on_success=weak_call(self._on_printed),
            on_failure=weak_call(self._on_print_failed),
        )
        return self._print_task

    def _on_printed(self, sheets: int) -> None:
        self._print_task = None
        self._printer = None
        self._set_status(self.tr("Sent {count} page(s) to the printer.").format(count=sheets))
        self._update_buttons()

    def _on_print_failed(self, error: BaseException) -> None:
        self._print_task = None
        self._printer = None
        self._update_buttons()
        if isinstance(error, Cancelled):
            self._set_status(self.tr("Printing cancelled."))
            return
        self._set_status(error_text(error), warn=True)
        show_message(self, error_text(error), self.tr("Printing failed"))

    # ---- slots

    def _on_report_list_current_row_changed(self, _row: int) -> None:
        spec = self.current_spec()
        if spec is None:
            return
        self.description_label.setText(spec.description)
        self.form.set_spec(spec)
        self._update_buttons()

    def _on_report_list_item_activated(self, _item: QListWidgetItem) -> None:
        self.build()

    def _on_form_changed(self) -> None:
        self._update_buttons()

    def _on_build_button_clicked(self) -> None:
        self.build()

    def _on_cancel_button_clicked(self) -> None:
        self.cancel_build()

    def _on_save_button_clicked(self) -> None:
        result = self._result
        if result is None:
            return
        start = Path.home() / result.file_name
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save PDF"), str(start), self.tr("PDF files (*.pdf)")
        )
        if path:
            target = Path(path)
            if target.suffix.lower() != ".pdf":
                target = target.with_suffix(".pdf")
            self.save_to(target)

    def _on_print_button_clicked(self) -> None:
        from gridsvc_desktop.ui.dialogs.report_print import ask_printer, new_printer

        result = self._result
        if result is None:
            return
        printer = new_printer(result.landscape)
        printer.setDocName(result.title)
        if ask_printer(
            self, printer, result.pages, self.tr("Print {title}").format(title=result.title)
        ):
            self.print_to(printer)

    def _on_zoom_combo_current_index_changed(self, _index: int) -> None:
        self.preview.set_zoom(self.zoom_combo.currentData())

    def _on_preview_page_changed(self, page: int, total: int) -> None:
        self.page_label.setText(
            self.tr("Page {page} of {total}").format(page=page, total=total) if total else ""
        )

    def _on_preview_render_failed(self, message: str) -> None:
        self._set_status(message, warn=True)

    # ---- helpers

    def _update_buttons(self) -> None:
        has = self._result is not None
        self.print_button.setEnabled(has and self._print_task is None)
        self.save_button.setEnabled(has)
        if self.actor().may(Permission.print):
            self.build_button.setEnabled(True)

    def _set_status(self, text: str, *, warn: bool = False) -> None:
        self.status_label.setText(text)
        self.status_label.setStyleSheet("color: #c0392b;" if warn else "")
