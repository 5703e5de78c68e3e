"""The ledger import wizard: file → what was recognised (editable) → dry-run report
→ apply → summary.

Every step calls the services the CLI calls (`services.imports`): the dry run is
`prepare_import` with the `ImportOptions` the admin set here (kind, sheet,
header row, column mapping), the apply is `apply_import` on that plan, the error
workbook is `write_error_workbook`. Reading, comparing and writing run on a
worker thread (`ui.background`) with a progress bar and Cancel; a cancelled or
refused step changes nothing in the database.

Cancel (`widgets/work_bar.py`) sets a flag the services check at their
checkpoints: a Cancel that comes after the write committed shows the import as
done instead of claiming nothing happened.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from itertools import islice
from pathlib import Path
from typing import Any

from gridsvc_desktop.ledgers.errors import LedgerFileError
from gridsvc_desktop.ledgers.pipeline import Issue
from gridsvc_desktop.ledgers.specs import spec_for
from gridsvc_desktop.services import imports
from gridsvc_desktop.services.actor import Permission, PermissionDenied
from gridsvc_desktop.services.common import InvalidInput, NotFound
from gridsvc_desktop.services.imports import (
    ImportOptions,
    ImportPlan,
    ImportRefused,
    UndoRefused,
)
from gridsvc_desktop.services.progress import Progress
from gridsvc_desktop.ui import background
from gridsvc_desktop.ui.context import UiContext
from gridsvc_desktop.ui.models.orders_history import RowsTableModel
from gridsvc_desktop.ui.qt import (
    QComboBox,
    QCoreApplication,
    QDialog,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QStackedWidget,
    Qt,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    Signal,
)
from gridsvc_desktop.ui.widgets.table_fit import fit_columns
from gridsvc_desktop.ui.widgets.work_bar import WorkBar

#: Errors whose message is written for the admin (Chinese, naming file, row, column).
FILE_ERRORS: tuple[type[BaseException], ...] = (
    LedgerFileError,
    ImportRefused,
    UndoRefused,
    PermissionDenied,
    InvalidInput,
    NotFound,
)
LEDGER_FILTER = "*.xlsx *.xlsm *.xls *.csv *.txt"
#: Lines each report table shows (a 500,000-row ledger may change every row).
REPORT_LIMIT = 5_000
MAX_HEADER_ROW = 1000


def message_for(error: BaseException) -> str:
    """What to tell the admin about a failed step."""
    if isinstance(error, FILE_ERRORS):
        return str(error)
    return background.error_text(error)


def dropped_file(urls: list[Any]) -> Path | None:
    """The one local file among dropped URLs (QUrl objects), if there is exactly one."""
    files = [Path(u.toLocalFile()) for u in urls if u.isLocalFile()]
    return files[0] if len(files) == 1 and files[0].is_file() else None


def text_label(
    text: str = "", name: str = "", *, selectable: bool = False, hint: bool = False
) -> QLabel:
    """A word-wrapped plain-text label (data shown is never markup)."""
    label = QLabel(text)
    if name:
        label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if hint:
        label.setStyleSheet("color: #5a6472;")
    return label


# --------------------------------------------------------------------------- report tables


class ChangesModel(RowsTableModel[tuple[int, str, str, str, str]]):
    """One line per changed field: row, key, field, old, new."""

    def titles(self) -> list[str]:
        return [
            QCoreApplication.translate("ImportWizard", "Row"),
            QCoreApplication.translate("ImportWizard", "Key"),
            QCoreApplication.translate("ImportWizard", "Field"),
            QCoreApplication.translate("ImportWizard", "Old value"),
            QCoreApplication.translate("ImportWizard", "New value"),
        ]

    def cell(self, row: tuple[int, str, str, str, str], column: int) -> str:
        return str(row[column])


class IssuesModel(RowsTableModel[Issue]):
    """Refused rows (one line per reason) or warnings: row, column, message."""

    def titles(self) -> list[str]:
        return [
            QCoreApplication.translate("ImportWizard", "Row"),
            QCoreApplication.translate("ImportWizard", "Column"),
            QCoreApplication.translate("ImportWizard", "Reason"),
        ]

    def cell(self, row: Issue, column: int) -> str:
        if column == 0:
            return str(row.row) if row.row else ""
        return row.column if column == 1 else row.message


class CreatedModel(RowsTableModel[tuple[int, str]]):
    def titles(self) -> list[str]:
        return [
            QCoreApplication.translate("ImportWizard", "Row"),
            QCoreApplication.translate("ImportWizard", "Key"),
        ]

    def cell(self, row: tuple[int, str], column: int) -> str:
        return str(row[column])


def _table(name: str, model: RowsTableModel[Any]) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.verticalHeader().hide()
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.horizontalHeader().setDefaultSectionSize(40)  # widened to the content when filled
    view.horizontalHeader().setStretchLastSection(True)
    view.setWordWrap(False)
    return view


# --------------------------------------------------------------------------- the wizard


class ImportWizard(QDialog):
    """Non-modal by design in tests (`open()`/`show()`); the page opens it with open()."""

    #: After a successful apply: the batch id.
    imported = Signal(int)

    PAGE_FILE, PAGE_LAYOUT, PAGE_REPORT, PAGE_DONE = range(4)

    def __init__(self, ctx: UiContext, path: Path | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.actor = ctx.acting()
        self.actor.require(Permission.import_ledgers)
        self.setObjectName("import_wizard")
        self.setWindowTitle(self.tr("Import a ledger"))
        self.resize(860, 620)
        self.setAcceptDrops(True)

        self.plan: ImportPlan | None = None
        self.options = ImportOptions()
        self.result_plan: ImportPlan | None = None
        self._close_when_idle = False
        self._mapping_combos: list[tuple[str, QComboBox, str]] = []  # header, combo, initial

        layout = QVBoxLayout(self)
        self.steps_label = QLabel()
        self.steps_label.setObjectName("import_steps")
        self.steps_label.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.steps_label)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        layout.addWidget(line)

        self.stack = QStackedWidget()
        self.stack.addWidget(self._build_file_page())
        self.stack.addWidget(self._build_layout_page())
        self.stack.addWidget(self._build_report_page())
        self.stack.addWidget(self._build_done_page())
        layout.addWidget(self.stack, 1)

        self.message_label = text_label(name="import_message", selectable=True)
        layout.addWidget(self.message_label)

        self.work_bar = WorkBar()
        self.work_bar.busy_changed.connect(self._on_work_bar_busy_changed)
        layout.addWidget(self.work_bar)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.back_button = QPushButton(self.tr("< Back"))
        self.back_button.setObjectName("back")
        self.back_button.clicked.connect(self._on_back_button_clicked)
        self.next_button = QPushButton()
        self.next_button.setObjectName("next")
        self.next_button.setDefault(True)
        self.next_button.clicked.connect(self._on_next_button_clicked)
        self.close_button = QPushButton(self.tr("Close"))
        self.close_button.setObjectName("close")
        self.close_button.clicked.connect(self.reject)
        for b in (self.back_button, self.next_button, self.close_button):
            buttons.addWidget(b)
        layout.addLayout(buttons)

        self._show_page(self.PAGE_FILE)
        if path is not None:
            self.file_edit.setText(str(path))

    # ---- pages

    def _build_file_page(self) -> QWidget:
        page = QWidget()
        v = QVBoxLayout(page)
        kinds = "、".join(title for _, title in imports.ledger_kinds())
        intro = text_label(
            self.tr(
                "Choose a ledger file (.xlsx, .xls or .csv), or drop it here. The program "
                "recognises the kind of ledger, the sheet and the header row by itself; you "
                "can correct them on the next page. Kinds: {kinds}."
            ).format(kinds=kinds)
        )
        v.addWidget(intro)
        row = QHBoxLayout()
        self.file_edit = QLineEdit()
        self.file_edit.setObjectName("import_file")
        self.file_edit.setPlaceholderText(self.tr("Path of the ledger file"))
        self.file_edit.setProperty("draft", False)
        self.file_edit.textChanged.connect(self._on_file_edit_text_changed)
        browse = QPushButton(self.tr("Browse…"))
        browse.setObjectName("browse")
        browse.clicked.connect(self._on_browse_button_clicked)
        row.addWidget(self.file_edit, 1)
        row.addWidget(browse)
        v.addLayout(row)
        # When recognising fails (a header below row 30, a kind it mistakes), say it here.
        given = QHBoxLayout()
        self.kind_pick = QComboBox()
        self.kind_pick.setObjectName("kind_pick")
        self.kind_pick.addItem(self.tr("Recognise the kind"), "")
        for value, title in imports.ledger_kinds():
            self.kind_pick.addItem(title, value)
        self.header_pick = QSpinBox()
        self.header_pick.setObjectName("header_pick")
        self.header_pick.setRange(0, MAX_HEADER_ROW)
        self.header_pick.setSpecialValueText(self.tr("find it"))
        given.addWidget(QLabel(self.tr("Ledger kind")))
        given.addWidget(self.kind_pick)
        given.addSpacing(16)
        given.addWidget(QLabel(self.tr("Header row")))
        given.addWidget(self.header_pick)
        given.addStretch(1)
        v.addLayout(given)
        order = text_label(
            self.tr(
                "Order for a new county: staff roster → transformer areas → grid layout → "
                "customers → community contacts → arrears → 95598 orders. A backup is taken "
                "before anything is written, and the last import can be undone."
            ),
            hint=True,
        )
        v.addWidget(order)
        v.addStretch(1)
        return page

    def _build_layout_page(self) -> QWidget:
        page = QWidget()
        v = QVBoxLayout(page)
        self.detected_label = text_label(name="detected")
        v.addWidget(self.detected_label)
        form = QFormLayout()
        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("kind")
        for value, title in imports.ledger_kinds():
            self.kind_combo.addItem(title, value)
        self.sheet_combo = QComboBox()
        self.sheet_combo.setObjectName("sheet")
        self.sheet_combo.setMinimumContentsLength(12)
        self.header_spin = QSpinBox()
        self.header_spin.setObjectName("header_row")
        self.header_spin.setRange(1, MAX_HEADER_ROW)
        form.addRow(self.tr("Ledger kind"), self.kind_combo)
        form.addRow(self.tr("Sheet"), self.sheet_combo)
        form.addRow(self.tr("Header row"), self.header_spin)
        v.addLayout(form)
        head = QHBoxLayout()
        mapping_title = QLabel(self.tr("Columns: the header in the file → read as"))
        head.addWidget(mapping_title, 1)
        self.reread_button = QPushButton(self.tr("Read again with these settings"))
        self.reread_button.setObjectName("reread")
        self.reread_button.clicked.connect(self._on_reread_button_clicked)
        head.addWidget(self.reread_button)
        v.addLayout(head)
        self.mapping_area = QScrollArea()
        self.mapping_area.setObjectName("mapping")
        self.mapping_area.setWidgetResizable(True)
        v.addWidget(self.mapping_area, 1)
        self.missing_label = text_label(name="missing_columns")
        v.addWidget(self.missing_label)
        return page

    def _build_report_page(self) -> QWidget:
        page = QWidget()
        v = QVBoxLayout(page)
        self.report_label = text_label(name="report_summary")
        v.addWidget(self.report_label)
        counts = QHBoxLayout()
        self.count_labels: dict[str, QLabel] = {}
        for key, color in (
            ("created", "#1f7a3f"),
            ("changed", "#1f5fa8"),
            ("unchanged", "#5a6472"),
            ("refused", "#b03a2e"),
        ):
            label = QLabel()
            label.setObjectName(f"count_{key}")
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setStyleSheet(
                f"QLabel {{ color: {color}; font-size: 15px; font-weight: bold;"
                " border: 1px solid #d5dce5; border-radius: 4px; padding: 6px; }"
            )
            counts.addWidget(label, 1)
            self.count_labels[key] = label
        v.addLayout(counts)
        self.report_tabs = QTabWidget()
        self.report_tabs.setObjectName("report_tabs")
        self.changes_model = ChangesModel(self)
        self.refused_model = IssuesModel(self)
        self.warnings_model = IssuesModel(self)
        self.created_model = CreatedModel(self)
        self.changes_view = _table("changes_table", self.changes_model)
        self.refused_view = _table("refused_table", self.refused_model)
        self.warnings_view = _table("warnings_table", self.warnings_model)
        self.created_view = _table("created_table", self.created_model)
        self.other_label = text_label(name="report_other", selectable=True)
        self.other_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        other = QScrollArea()
        other.setWidgetResizable(True)
        other.setWidget(self.other_label)
        for view in (self.changes_view, self.refused_view, self.warnings_view, self.created_view):
            self.report_tabs.addTab(view, "")
        self.report_tabs.addTab(other, self.tr("Columns and side effects"))
        v.addWidget(self.report_tabs, 1)
        bottom = QHBoxLayout()
        self.choice_label = QLabel(self.tr("Refused rows:"))
        self.choice_combo = QComboBox()
        self.choice_combo.setObjectName("refused_choice")
        self.choice_combo.addItem(self.tr("Skip the refused rows, import the rest"), True)
        self.choice_combo.addItem(self.tr("Import nothing"), False)
        self.choice_combo.currentIndexChanged.connect(self._on_choice_combo_current_index_changed)
        self.errors_button = QPushButton(self.tr("Save the refused rows…"))
        self.errors_button.setObjectName("save_errors")
        self.errors_button.setToolTip(
            self.tr(
                "An Excel workbook with the refused rows and the reason for each; "
                "fix it and import it again."
            )
        )
        self.errors_button.clicked.connect(self._on_errors_button_clicked)
        bottom.addWidget(self.choice_label)
        bottom.addWidget(self.choice_combo)
        bottom.addStretch(1)
        bottom.addWidget(self.errors_button)
        v.addLayout(bottom)
        return page

    def _build_done_page(self) -> QWidget:
        page = QWidget()
        v = QVBoxLayout(page)
        self.done_label = text_label(name="import_summary", selectable=True)
        self.done_label.setStyleSheet("font-size: 14px;")
        v.addWidget(self.done_label)
        v.addStretch(1)
        return page

    def _show_page(self, index: int) -> None:
        self.stack.setCurrentIndex(index)
        names = [
            self.tr("1 File"),
            self.tr("2 Recognised layout"),
            self.tr("3 Dry run"),
            self.tr("4 Done"),
        ]
        self.steps_label.setText(
            "   ›   ".join(f"【{n}】" if i == index else n for i, n in enumerate(names))
        )
        self._update_buttons()

    def current_page(self) -> int:
        return self.stack.currentIndex()

    def _update_buttons(self) -> None:
        page = self.current_page()
        idle = not self.work_bar.busy
        self.back_button.setVisible(page in (self.PAGE_LAYOUT, self.PAGE_REPORT))
        self.back_button.setEnabled(idle)
        self.next_button.setVisible(page != self.PAGE_DONE)
        self.close_button.setText(self.tr("Close") if page == self.PAGE_DONE else self.tr("Cancel"))
        if page == self.PAGE_FILE:
            self.next_button.setText(self.tr("Read the file >"))
            self.next_button.setEnabled(idle and bool(self.file_edit.text().strip()))
        elif page == self.PAGE_LAYOUT:
            self.next_button.setText(self.tr("Dry run >"))
            self.next_button.setEnabled(idle)
        elif page == self.PAGE_REPORT:
            self.next_button.setText(self.tr("Import"))
            self.next_button.setEnabled(idle and self.plan is not None)
        self.reread_button.setEnabled(idle)
        self.errors_button.setEnabled(idle and self.plan is not None and bool(self.plan.refused))

    # ---- background work

    def _run(
        self,
        what: str,
        fn: Callable[[Progress], Any],
        on_success: Callable[[Any], None],
        on_failure: Callable[[BaseException], None] | None = None,
    ) -> None:
        self.message_label.clear()

        def failed(error: BaseException) -> None:
            if on_failure is not None:
                on_failure(error)
            else:
                self.show_message(message_for(error), error=True)

        self.work_bar.run(
            what,
            fn,
            on_success=on_success,
            on_failure=failed,
            on_cancelled=lambda: self.show_message(self.tr("Cancelled. Nothing was changed.")),
        )

    def _on_work_bar_busy_changed(self, busy: bool) -> None:
        self._update_buttons()
        if not busy and self._close_when_idle:
            self._close_when_idle = False
            super().reject()

    @property
    def busy(self) -> bool:
        return self.work_bar.busy

    def cancel(self) -> None:
        """Ask the running step to stop at its next checkpoint (rolled back)."""
        self.work_bar.cancel()

    def show_message(self, text: str, *, error: bool = False) -> None:
        self.message_label.setStyleSheet("color: #b03a2e;" if error else "color: #1f5fa8;")
        self.message_label.setText(text)

    def reject(self) -> None:
        if self.busy:  # stop first; close once the work has rolled back
            self._close_when_idle = True
            self.cancel()
            return
        super().reject()

    # ---- drag and drop

    def dragEnterEvent(self, event: Any) -> None:
        if self.current_page() == self.PAGE_FILE and dropped_file(event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: Any) -> None:
        path = dropped_file(event.mimeData().urls())
        if path is not None and not self.busy:
            event.acceptProposedAction()
            self.file_edit.setText(str(path))
            self.read_file()

    # ---- step 1: the file

    def _on_file_edit_text_changed(self, _text: str) -> None:
        self._update_buttons()

    def _on_browse_button_clicked(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Choose a ledger file"),
            str(Path(self.file_edit.text()).parent) if self.file_edit.text() else "",
            self.tr("Ledgers ({patterns})").format(patterns=LEDGER_FILTER),
        )
        if name:
            self.file_edit.setText(name)

    def file_path(self) -> Path:
        return Path(self.file_edit.text().strip())

    def read_file(self) -> None:
        """Recognise and dry-run the chosen file (with the kind and header row given on
        the first page, if any); then show what was recognised."""
        path = self.file_path()
        if not path.is_file():
            self.show_message(
                self.tr("There is no file {file}.").format(file=str(path)), error=True
            )
            return
        options = ImportOptions(
            kind=str(self.kind_pick.currentData() or "") or None,
            header_row=self.header_pick.value() or None,
        )
        self._dry_run(options, self.PAGE_LAYOUT)

    def _dry_run(self, options: ImportOptions, then: int) -> None:
        db, actor, path = self.ctx.db, self.actor, self.file_path()
        given = dataclasses.replace(options)  # the service fills in max_rows

        def done(plan: ImportPlan) -> None:
            self.plan = plan
            self.options = options
            self._fill_layout(plan)
            self._fill_report(plan)
            self._show_page(then)

        self._run(
            self.tr("Reading and checking…"),
            lambda p: imports.prepare_import(db, actor, path, given, progress=p),
            done,
        )

    # ---- step 2: what was recognised

    def _fill_layout(self, plan: ImportPlan) -> None:
        self.detected_label.setText(
            self.tr(
                "{file}: recognised as {kind}, sheet “{sheet}”, header in row {row}, "
                "{rows} data rows. Correct anything wrong below."
            ).format(
                file=plan.file_name,
                kind=plan.title,
                sheet=plan.sheet,
                row=plan.header_row,
                rows=plan.rows,
            )
        )
        self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(plan.kind.value)))
        self.sheet_combo.clear()
        self.sheet_combo.addItems(plan.sheets)
        self.sheet_combo.setCurrentIndex(max(0, self.sheet_combo.findText(plan.sheet)))
        self.header_spin.setValue(plan.header_row)

        spec = spec_for(plan.kind)
        by_header = {c.header: c.name for c in spec.columns}
        grid_widget = QWidget()
        grid = QGridLayout(grid_widget)
        grid.setColumnStretch(2, 1)
        self._mapping_combos = []
        rows = [(h, by_header.get(read_as, "")) for h, read_as in plan.columns]
        rows += [(h, "") for h in plan.ignored]
        for n, (header, name) in enumerate(rows):
            label = QLabel(header)
            label.setTextFormat(Qt.TextFormat.PlainText)
            combo = QComboBox()
            combo.setObjectName(f"map_{n}")
            combo.addItem(self.tr("(not imported)"), "")
            for column in spec.columns:
                combo.addItem(column.header, column.name)
            combo.setCurrentIndex(max(0, combo.findData(name)))
            grid.addWidget(label, n, 0)
            grid.addWidget(QLabel("→"), n, 1)
            grid.addWidget(combo, n, 2)
            self._mapping_combos.append((header, combo, name))
        grid.setRowStretch(len(rows), 1)
        self.mapping_area.setWidget(grid_widget)
        self.missing_label.setText(
            self.tr("Not in the file (left as they are): {columns}").format(
                columns="、".join(plan.missing)
            )
            if plan.missing
            else ""
        )

    def mapping_combo(self, header: str) -> QComboBox:
        """The combo box that says what the file's column `header` is read as."""
        for h, combo, _ in self._mapping_combos:
            if h == header:
                return combo
        raise KeyError(header)

    def chosen_options(self) -> ImportOptions:
        """The settings of the layout page, as ImportOptions for the next dry run."""
        plan = self.plan
        options = dataclasses.replace(self.options)
        if plan is None:
            return options
        kind = str(self.kind_combo.currentData() or "")
        if kind and kind != plan.kind.value:
            # Another kind: its own columns, found afresh.
            return ImportOptions(kind=kind)
        if self.sheet_combo.currentText() and self.sheet_combo.currentText() != plan.sheet:
            options.sheet = self.sheet_combo.currentText()
            options.header_row = None
        if self.header_spin.value() != plan.header_row:
            options.header_row = self.header_spin.value()
        mapping = dict(options.mapping or {})
        for header, combo, initial in self._mapping_combos:
            chosen = str(combo.currentData() or "")
            if chosen != initial:
                mapping[header] = chosen
        options.mapping = mapping or None
        return options

    def _layout_changed(self) -> bool:
        return self.chosen_options() != self.options

    def _on_reread_button_clicked(self) -> None:
        self._dry_run(self.chosen_options(), self.PAGE_LAYOUT)

    # ---- step 3: the dry-run report

    def _fill_report(self, plan: ImportPlan) -> None:
        c, ch, u, r = plan.counts
        self.report_label.setText(
            self.tr(
                "{file} ({kind}, sheet “{sheet}”, header in row {row}, {rows} data rows). "
                "Nothing has been written yet."
            ).format(
                file=plan.file_name,
                kind=plan.title,
                sheet=plan.sheet,
                row=plan.header_row,
                rows=plan.rows,
            )
        )
        for key, text, n in (
            ("created", self.tr("New: {n}"), c),
            ("changed", self.tr("Changed: {n}"), ch),
            ("unchanged", self.tr("Unchanged: {n}"), u),
            ("refused", self.tr("Refused: {n}"), r),
        ):
            self.count_labels[key].setText(text.format(n=n))
        changes = (
            (row.row, row.key, f.label, f.old, f.new) for row in plan.changed for f in row.changes
        )
        self.changes_model.set_rows(list(islice(changes, REPORT_LIMIT)))
        reasons = (i for row in plan.refused for i in row.reasons)
        self.refused_model.set_rows(list(islice(reasons, REPORT_LIMIT)))
        self.warnings_model.set_rows(plan.warnings[:REPORT_LIMIT])
        self.created_model.set_rows(plan.created_rows)
        for view in (self.changes_view, self.refused_view, self.warnings_view, self.created_view):
            fit_columns(view, range(view.model().columnCount() - 1), max_em=24)
        self.report_tabs.setTabText(0, self.tr("Changed ({n})").format(n=ch))
        self.report_tabs.setTabText(1, self.tr("Refused ({n})").format(n=r))
        self.report_tabs.setTabText(2, self.tr("Warnings ({n})").format(n=len(plan.warnings)))
        self.report_tabs.setTabText(3, self.tr("New ({n})").format(n=c))
        other: list[str] = []
        other.append(
            self.tr("Columns read: {columns}").format(
                columns="、".join(
                    h if h == read_as else f"{h}（{read_as}）" for h, read_as in plan.columns
                )
            )
        )
        if plan.ignored:
            other.append(self.tr("Not used: {columns}").format(columns="、".join(plan.ignored)))
        if plan.missing:
            other.append(
                self.tr("Not in the file (left as they are): {columns}").format(
                    columns="、".join(plan.missing)
                )
            )
        other += plan.side_effects
        shown = (self.changes_model, self.refused_model, self.warnings_model)
        if any(m.rowCount() == REPORT_LIMIT for m in shown):
            other.append(
                self.tr(
                    "Each tab shows at most {n} lines; save the refused rows to see them all."
                ).format(n=REPORT_LIMIT)
            )
        if plan.created > len(plan.created_rows):
            other.append(
                self.tr("The New tab lists the first {n} new rows.").format(
                    n=len(plan.created_rows)
                )
            )
        self.other_label.setText("\n".join(other))
        first = 1 if r else 0 if ch else 2 if plan.warnings else 3
        self.report_tabs.setCurrentIndex(first)
        self.choice_label.setVisible(bool(r))
        self.choice_combo.setVisible(bool(r))
        self.choice_combo.setCurrentIndex(0)

    def skip_refused(self) -> bool:
        return bool(self.choice_combo.currentData())

    def _on_choice_combo_current_index_changed(self, _index: int) -> None:
        self._update_buttons()

    def _on_errors_button_clicked(self) -> None:
        plan = self.plan
        if plan is None:
            return
        suggested = str(self.file_path().with_name(f"{Path(plan.file_name).stem}_被拒绝的行.xlsx"))
        name, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Save the refused rows"),
            suggested,
            self.tr("Excel workbook (*.xlsx)"),
        )
        if name:
            self.save_error_workbook(Path(name))

    def save_error_workbook(self, path: Path) -> None:
        """Write the refused rows (with 错误原因 and 原行号) to `path`, on a worker."""
        plan = self.plan
        if plan is None:
            return
        if path.suffix.lower() != ".xlsx":
            path = path.with_suffix(".xlsx")

        def done(n: int) -> None:
            self.show_message(
                self.tr("{n} refused rows saved to {file}. Fix them there and import that file.")
                .format(n=n, file=str(path))
            )  # fmt: skip

        self._run(
            self.tr("Writing the refused rows…"),
            lambda _p: imports.write_error_workbook(plan, path),
            done,
        )

    # ---- step 4: apply

    def apply(self) -> None:
        """Apply the dry-run plan: skipping refused rows or, if so chosen, nothing at all."""
        plan = self.plan
        if plan is None:
            return
        db, actor = self.ctx.db, self.actor
        skip = self.skip_refused()

        def done(result: ImportPlan) -> None:
            self.result_plan = result
            self.plan = None  # applied: a new import starts from a new dry run
            c, ch, u, r = result.counts
            text = self.tr(
                "{file} was imported ({kind}): {new} new, {changed} changed, {unchanged} "
                "unchanged."
            ).format(
                file=result.file_name, kind=result.title, new=c, changed=ch, unchanged=u
            )  # fmt: skip
            if r:
                text += "\n" + self.tr("{n} refused rows were skipped.").format(n=r)
            text += "\n" + self.tr(
                "A backup was taken first. The ledger page can undo this import."
            )
            self.done_label.setText(text)
            self._show_page(self.PAGE_DONE)
            self.ctx.events.changed.emit("import")
            self.imported.emit(result.batch_id or 0)

        def failed(error: BaseException) -> None:
            if isinstance(error, ImportRefused):  # "import nothing": all or nothing
                self.done_label.setText(
                    self.tr("Nothing was imported; the database is unchanged.") + "\n" + str(error)
                )
                self._show_page(self.PAGE_DONE)
            else:
                self.show_message(message_for(error), error=True)

        self._run(
            self.tr("Importing…"),
            lambda p: imports.apply_import(db, actor, plan, skip_refused=skip, progress=p),
            done,
            failed,
        )

    # ---- navigation

    def _on_next_button_clicked(self) -> None:
        page = self.current_page()
        if page == self.PAGE_FILE:
            self.read_file()
        elif page == self.PAGE_LAYOUT:
            if self._layout_changed():
                self._dry_run(self.chosen_options(), self.PAGE_REPORT)
            else:
                self._show_page(self.PAGE_REPORT)
        elif page == self.PAGE_REPORT:
            self.apply()

    def _on_back_button_clicked(self) -> None:
        self.message_label.clear()
        page = self.current_page()
        if page == self.PAGE_REPORT:
            self._show_page(self.PAGE_LAYOUT)
        elif page == self.PAGE_LAYOUT:
            self._show_page(self.PAGE_FILE)
