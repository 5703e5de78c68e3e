"""网格 (grids): the tree town → community → grid → transformer areas with the
figures beside it, and the coverage check whose lines open the thing to fix.

Loading runs on workers: the layout with its figures (a second or so at
500,000 customers) and the coverage report, each under a generation number so
a late answer never overwrites a newer one. While the page is shown it polls a
change stamp (services.grid_figures.change_stamp) and recounts only when
something was written, by this PC or another.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.domain.enums import CustomerCategory, Metering
from gridsvc_desktop.services import grid_figures
from gridsvc_desktop.services import grids as grid_svc
from gridsvc_desktop.services.actor import Actor, Permission
from gridsvc_desktop.services.coverage import (
    CheckKind,
    CoverageLine,
    CoverageReport,
    coverage_report,
    set_customers_threshold,
)
from gridsvc_desktop.services.grid_figures import FiguresReport, all_grid_figures
from gridsvc_desktop.services.grids import GridLayout, MoveResult, grid_layout
from gridsvc_desktop.services.roster import Placement, placements
from gridsvc_desktop.ui.background import Task, error_text, run_in_background, show_message
from gridsvc_desktop.ui.context import UiContext
from gridsvc_desktop.ui.dialogs.export import (
    ExportColumn,
    ExportSheet,
    ask_export_path,
    export_in_background,
)
from gridsvc_desktop.ui.dialogs.grid_dialogs import (
    CustomerAreaDialog,
    GridChoices,
    GridDialog,
    MoveDialog,
    PlacementsDialog,
    load_grid_choices,
)
from gridsvc_desktop.ui.models.coverage_table import LINE_ROLE, CoverageTableModel
from gridsvc_desktop.ui.models.coverage_table import Column as LineColumn
from gridsvc_desktop.ui.models.grid_tree import (
    NODE_ROLE,
    SORT_ROLE,
    Column,
    GridTreeModel,
    Node,
    NodeKind,
)
from gridsvc_desktop.ui.pages.base import Page, action_button
from gridsvc_desktop.ui.qt import (
    QAbstractItemView,
    QColor,
    QCoreApplication,
    QHBoxLayout,
    QHeaderView,
    QItemSelectionModel,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QModelIndex,
    QPushButton,
    QSortFilterProxyModel,
    QSpinBox,
    QSplitter,
    Qt,
    QTableView,
    QTabWidget,
    QTimer,
    QTreeView,
    QVBoxLayout,
    QWidget,
)
from gridsvc_desktop.ui.widgets.grid_figures import WARNING_COLOR, GridFiguresPanel
from gridsvc_desktop.ui.widgets.table_fit import fit_columns

KIND_ROLE = Qt.ItemDataRole.UserRole + 1

# ---- work done on worker threads (no widgets here)


@dataclass
class GridPageData:
    layout: GridLayout
    report: FiguresReport
    places: dict[int, list[Placement]] = field(default_factory=dict)
    choices: GridChoices = field(default_factory=GridChoices)
    stamp: tuple[int, int, int] = (0, 0, 0)


def load_grid_page(db: Database) -> GridPageData:
    """The tree's structure, every grid's figures, who covers what, the pickers' lists."""
    with db.read() as s:
        stamp = grid_figures.change_stamp(s)
        layout = grid_layout(s)
        report = all_grid_figures(s)
        places: dict[int, list[Placement]] = {}
        for p in placements(s):
            places.setdefault(p.grid_id, []).append(p)
    return GridPageData(layout, report, places, load_grid_choices(db), stamp)


def load_coverage(db: Database) -> CoverageReport:
    with db.read() as s:
        return coverage_report(s)


def read_stamp(db: Database) -> tuple[int, int, int]:
    with db.read() as s:
        return grid_figures.change_stamp(s)


@dataclass
class CustomerToFix:
    customer_id: int
    describe: str
    areas: list[tuple[int, str]]


def load_customer_to_fix(db: Database, customer_id: int) -> CustomerToFix:
    from gridsvc_desktop.db.models import Customer
    from gridsvc_desktop.services.common import get_or_raise

    with db.read() as s:
        c = get_or_raise(s, Customer, customer_id, "客户")
        areas = grid_svc.transformer_area_choices(s, c.community_id)
        describe = f"{c.name}（户号 {c.account_no}）\n{c.address}".strip()
    return CustomerToFix(customer_id, describe, [(a.id, a.label) for a in areas])


# ---- the page


class GridsPage(Page):
    key = "grids"
    icon_name = "grids"
    POLL_MS = 20_000
    CHANGED_DELAY_MS = 500

    @classmethod
    def title(cls) -> str:
        return QCoreApplication.translate("GridsPage", "Grids")

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.actor: Actor = ctx.acting()
        self.data: GridPageData | None = None
        self.coverage: CoverageReport | None = None
        self._load_generation = 0
        self._load_task: Task | None = None
        self._coverage_generation = 0
        self._coverage_task: Task | None = None
        self._stamp_task: Task | None = None
        self._expanded: set[tuple[str, int]] | None = None
        self._want_select: tuple[NodeKind, int] | None = None
        #: Replaced in tests: (parent, suggested file name, may unmask) → (path, full phones).
        self.ask_path = ask_export_path
        may_edit = self.actor.may(Permission.manage_grids)

        # toolbar
        self.new_button = action_button(self.tr("New grid…"), "grids_new", may_edit)
        self.edit_button = action_button(self.tr("Edit grid…"), "grids_edit", may_edit)
        self.people_button = action_button(self.tr("People…"), "grids_people", may_edit)
        self.move_button = action_button(self.tr("Move areas…"), "grids_move", may_edit)
        self.feeder_button = action_button(self.tr("Move a feeder…"), "grids_feeder", may_edit)
        self.export_button = action_button(
            self.tr("Export…"), "grids_export", self.actor.may(Permission.export)
        )
        self.refresh_button = action_button(self.tr("Refresh"), "grids_refresh", True)
        self.filter_edit = QLineEdit()
        self.filter_edit.setObjectName("grids_filter")
        self.filter_edit.setPlaceholderText(self.tr("Find a grid, community or transformer area"))
        self.filter_edit.setClearButtonEnabled(True)
        self.status_label = QLabel()
        self.status_label.setObjectName("grids_status")
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)

        # the tree and the figures
        self.model = GridTreeModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setRecursiveFilteringEnabled(True)
        self.proxy.setAutoAcceptChildRows(True)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(Column.NAME)
        self.proxy.setSortRole(SORT_ROLE)
        self.tree = QTreeView()
        self.tree.setObjectName("grids_tree")
        self.tree.setModel(self.proxy)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        header = self.tree.header()
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.tree.setSortingEnabled(True)
        header.setStretchLastSection(False)
        em = self.fontMetrics().horizontalAdvance("客")
        widths = {
            Column.NAME: 17,
            Column.MANAGER: 5.5,
            Column.CUSTOMERS: 5,
            Column.TAS: 3.5,
            Column.STAFF: 3.5,
            Column.OPEN: 5,
            Column.OVERDUE: 3.5,
            Column.ARREARS: 7,
        }
        titles = self.model.column_titles()
        for column, width in widths.items():
            title_width = header.fontMetrics().horizontalAdvance(titles[column]) + 24
            self.tree.setColumnWidth(column, max(int(width * em), title_width))
        header.setSectionResizeMode(Column.NAME, QHeaderView.ResizeMode.Stretch)
        self.panel = GridFiguresPanel()
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("grids_splitter")
        self.splitter.addWidget(self.tree)
        self.splitter.addWidget(self.panel)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)

        # the coverage check
        self.kind_list = QListWidget()
        self.kind_list.setObjectName("coverage_kinds")
        self.kind_list.setFixedWidth(int(15 * em))
        self.kind_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.kind_list.setStyleSheet(
            "QListWidget#coverage_kinds::item { padding: 5px 6px; }"
            "QListWidget#coverage_kinds::item:selected { background: #d6e4f5; color: #1f5fa8; }"
        )
        self.lines_model = CoverageTableModel(self)
        self.lines = QTableView()
        self.lines.setObjectName("coverage_lines")
        self.lines.setModel(self.lines_model)
        self.lines.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.lines.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.lines.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.lines.setAlternatingRowColors(True)
        self.lines.setWordWrap(False)
        self.lines.verticalHeader().setVisible(False)
        self.lines.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        lines_header = self.lines.horizontalHeader()
        lines_header.setStretchLastSection(True)
        self.lines.setColumnWidth(LineColumn.KIND, int(8 * em))
        self.lines.setColumnWidth(LineColumn.SUBJECT, int(16 * em))
        self.open_line_button = action_button(self.tr("Open to fix"), "coverage_open", True)
        self.threshold = QSpinBox()
        self.threshold.setObjectName("coverage_threshold")
        self.threshold.setRange(100, 100_000)
        self.threshold.setSingleStep(100)
        self.threshold.setSuffix(self.tr(" customers"))
        self.threshold_button = action_button(
            self.tr("Save"), "coverage_threshold_save", self.actor.may(Permission.manage_settings)
        )
        self.threshold.setEnabled(self.actor.may(Permission.manage_settings))
        hint = QLabel(self.tr("Double-click a line (or press Enter) to open what needs fixing."))
        hint.setStyleSheet("color: #5f6b7a;")
        below = QHBoxLayout()
        below.addWidget(hint, 1)
        below.addWidget(QLabel(self.tr("Customers per grid person, at most")))
        below.addWidget(self.threshold)
        below.addWidget(self.threshold_button)
        below.addWidget(self.open_line_button)
        right = QVBoxLayout()
        right.setContentsMargins(0, 0, 0, 0)
        right.addWidget(self.lines, 1)
        right.addLayout(below)
        coverage = QWidget()
        coverage_layout = QHBoxLayout(coverage)
        coverage_layout.setContentsMargins(0, 6, 0, 0)
        coverage_layout.addWidget(self.kind_list)
        coverage_layout.addLayout(right, 1)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("grids_tabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.splitter, self.tr("Grids and figures"))
        self.tabs.addTab(coverage, self.tr("Coverage check"))

        top = QHBoxLayout()
        for b in (
            self.new_button,
            self.edit_button,
            self.people_button,
            self.move_button,
            self.feeder_button,
        ):
            top.addWidget(b)
        top.addSpacing(12)
        top.addWidget(self.filter_edit, 1)
        top.addWidget(self.export_button)
        top.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status_label)

        self._poll = QTimer(self)
        self._poll.setInterval(self.POLL_MS)

        self.new_button.clicked.connect(self._on_new_button_clicked)
        self.edit_button.clicked.connect(self._on_edit_button_clicked)
        self.people_button.clicked.connect(self._on_people_button_clicked)
        self.move_button.clicked.connect(self._on_move_button_clicked)
        self.feeder_button.clicked.connect(self._on_feeder_button_clicked)
        self.export_button.clicked.connect(self._on_export_button_clicked)
        self.refresh_button.clicked.connect(self._on_refresh_button_clicked)
        self.filter_edit.textChanged.connect(self._on_filter_edit_text_changed)
        self.tree.selectionModel().selectionChanged.connect(self._on_tree_selection_changed)
        self.tree.activated.connect(self._on_tree_activated)
        self.panel.edit_grid_requested.connect(self.edit_grid)
        self.panel.members_requested.connect(self.edit_people)
        self.panel.move_requested.connect(self.move_areas)
        self.kind_list.currentRowChanged.connect(self._on_kind_list_current_row_changed)
        self.lines.activated.connect(self._on_lines_activated)
        self.lines.selectionModel().currentRowChanged.connect(self._on_lines_current_row_changed)
        self.lines.doubleClicked.connect(self._on_lines_activated)
        self.open_line_button.clicked.connect(self._on_open_line_button_clicked)
        self.threshold_button.clicked.connect(self._on_threshold_button_clicked)
        self._poll.timeout.connect(self._on_poll_timeout)
        self._update_buttons()
        self._stale = False
        self._changed_timer = QTimer(self)
        self._changed_timer.setSingleShot(True)
        self._changed_timer.setInterval(self.CHANGED_DELAY_MS)
        self._changed_timer.timeout.connect(self._on_changed_timer_timeout)
        ctx.events.changed.connect(self._on_data_changed)
        self.reload()

    # ---- Page

    def activated(self) -> None:
        self.tree.setFocus(Qt.FocusReason.OtherFocusReason)
        self._poll.start()
        if self._stale:
            self._stale = False
            self.reload()

    def hideEvent(self, event: Any) -> None:
        self._poll.stop()
        super().hideEvent(event)

    def reload(self) -> None:
        """Recount everything (tree, figures, coverage) on workers."""
        self._load_generation += 1
        generation = self._load_generation
        if self._load_task is not None:
            self._load_task.cancel()
        db = self.ctx.db
        self._set_status(self.tr("Counting…"))
        self._load_task = run_in_background(
            self,
            lambda _p: load_grid_page(db),
            on_success=lambda data: self._on_loaded(generation, data),
            on_failure=lambda error: self._on_load_failed(generation, error),
        )
        self.reload_coverage()

    def reload_coverage(self) -> None:
        self._coverage_generation += 1
        generation = self._coverage_generation
        if self._coverage_task is not None:
            self._coverage_task.cancel()
        db = self.ctx.db
        self._coverage_task = run_in_background(
            self,
            lambda _p: load_coverage(db),
            on_success=lambda report: self._on_coverage_loaded(generation, report),
            on_failure=lambda error: self._on_load_failed(generation, error, coverage=True),
        )

    @property
    def loading(self) -> bool:
        return self._load_task is not None or self._coverage_task is not None

    # ---- selection

    def selected_nodes(self) -> list[Node]:
        rows = self.tree.selectionModel().selectedRows(Column.NAME)
        nodes = [self.proxy.data(i, NODE_ROLE) for i in rows]
        return [n for n in nodes if isinstance(n, Node)]

    def current_node(self) -> Node | None:
        node = self.proxy.data(self.tree.currentIndex().siblingAtColumn(0), NODE_ROLE)
        return node if isinstance(node, Node) else None

    def current_grid_id(self) -> int | None:
        node = self.current_node()
        if node is None:
            return None
        if node.kind == NodeKind.grid:
            return node.id
        if (
            node.kind == NodeKind.ta
            and node.parent is not None
            and node.parent.kind == NodeKind.grid
        ):
            return node.parent.id
        return None

    def select(self, kind: NodeKind, node_id: int) -> bool:
        """Show the tree tab and select one node (a grid, area, community…)."""
        source = self.model.find(kind, node_id)
        if not source.isValid():
            self._want_select = (kind, node_id)
            return False
        if self.filter_edit.text():
            self.filter_edit.clear()
        index = self.proxy.mapFromSource(source)
        self.tabs.setCurrentIndex(0)
        parent = index.parent()
        while parent.isValid():
            self.tree.expand(parent)
            parent = parent.parent()
        self.tree.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.tree.scrollTo(index)
        return True

    # ---- loading results (GUI thread)

    def _on_loaded(self, generation: int, data: GridPageData) -> None:
        if generation != self._load_generation:
            return
        self._load_task = None
        current = self.current_node()
        keep = (current.kind, current.id) if current is not None else None
        expanded = self._expanded_keys() if self.data is not None else None
        self.data = data
        self.model.set_data(data.layout, data.report)
        self._restore_expanded(expanded)
        target = self._want_select or keep
        self._want_select = None
        if target is None:
            town = next((n for n in self.model.top_level() if n.kind == NodeKind.town), None)
            target = (town.kind, town.id) if town is not None else None
        if target is None or not self.select(*target):
            self._show_current()
        r = data.report
        self._set_status(
            self.tr(
                "{grids} grids, {areas} transformer areas, {customers} customers; "
                "counted in {ms} ms at {time}"
            ).format(
                grids=len(data.layout.grids),
                areas=f"{r.total.transformer_areas:,}",
                customers=f"{r.total.customers:,}",
                ms=f"{r.elapsed_ms:.0f}",
                time=r.at.strftime("%H:%M:%S"),
            )
        )
        self._update_buttons()

    def _on_coverage_loaded(self, generation: int, report: CoverageReport) -> None:
        if generation != self._coverage_generation:
            return
        self._coverage_task = None
        self.coverage = report
        previous = self.lines_model.kind
        self.lines_model.set_report(report)
        self.threshold.setValue(report.threshold)
        self.kind_list.blockSignals(True)
        self.kind_list.clear()
        everything = QListWidgetItem(self.tr("All problems ({count})").format(count=report.total))
        everything.setData(KIND_ROLE, "")
        self.kind_list.addItem(everything)
        selected_row = 0
        for kind in CheckKind:
            count = report.counts[kind]
            item = QListWidgetItem(f"{kind.label}（{count}）")
            item.setData(KIND_ROLE, kind.value)
            item.setForeground(QColor(WARNING_COLOR) if count else QColor("#8a949e"))
            self.kind_list.addItem(item)
            if kind == previous:
                selected_row = self.kind_list.count() - 1
        self.kind_list.setCurrentRow(selected_row)
        self.kind_list.blockSignals(False)
        self.lines_model.set_kind(previous)
        fit_columns(self.lines, [LineColumn.SUBJECT], max_em=20)
        title = self.tr("Coverage check ({count})").format(count=report.total)
        self.tabs.setTabText(1, title)
        self._update_buttons()

    def _on_load_failed(
        self, generation: int, error: BaseException, *, coverage: bool = False
    ) -> None:
        if coverage:
            if generation != self._coverage_generation:
                return
            self._coverage_task = None
        else:
            if generation != self._load_generation:
                return
            self._load_task = None
        self._set_status(
            self.tr("Could not count: {error}").format(error=error_text(error)), warn=True
        )

    def _expanded_keys(self) -> set[tuple[str, int]]:
        keys: set[tuple[str, int]] = set()
        for node in self.model.nodes():
            if node.children:
                index = self.proxy.mapFromSource(self.model.find(node.kind, node.id))
                if index.isValid() and self.tree.isExpanded(index):
                    keys.add(node.key)
        return keys

    def _restore_expanded(self, keys: set[tuple[str, int]] | None) -> None:
        for node in self.model.nodes():
            if not node.children:
                continue
            expand = node.kind == NodeKind.town if keys is None else node.key in keys
            if expand:
                index = self.proxy.mapFromSource(self.model.find(node.kind, node.id))
                self.tree.expand(index)

    def _show_current(self) -> None:
        node = self.current_node()
        if node is None:
            self.panel.show_placeholder()
            return
        places = []
        if node.kind == NodeKind.grid and self.data is not None:
            places = self.data.places.get(node.id, [])
        self.panel.show_node(node, places, unmask=self.ctx.unmask)

    def _set_status(self, text: str, *, warn: bool = False) -> None:
        self.status_label.setText(text)
        self.status_label.setStyleSheet(f"color: {WARNING_COLOR};" if warn else "color: #5f6b7a;")

    def _update_buttons(self) -> None:
        ready = self.data is not None

        def allow(button: QPushButton, condition: bool) -> None:
            button.setEnabled(bool(button.property("allowed")) and ready and condition)

        allow(self.new_button, True)
        allow(self.edit_button, self.current_grid_id() is not None)
        allow(self.people_button, self.current_grid_id() is not None)
        allow(self.move_button, bool(self._selected_area_ids()))
        allow(self.feeder_button, True)
        allow(self.export_button, True)
        self.open_line_button.setEnabled(self._current_line() is not None)

    def _selected_area_ids(self) -> list[int]:
        ids: list[int] = []
        for node in self.selected_nodes():
            if node.kind == NodeKind.ta:
                ids.append(node.id)
            elif node.kind == NodeKind.no_grid:
                ids += [c.id for c in node.children]
        return list(dict.fromkeys(ids))

    # ---- actions

    def new_grid(self, community_id: int | None = None) -> GridDialog | None:
        if self.data is None:
            return None
        node = self.current_node()
        if community_id is None and node is not None and node.kind == NodeKind.community:
            community_id = node.id
        dialog = GridDialog(self.ctx, self.data.choices, None, self, community_id=community_id)
        dialog.accepted.connect(lambda: self._after_write((NodeKind.grid, dialog.result_value)))
        dialog.open()
        return dialog

    def edit_grid(self, grid_id: int | None = None) -> GridDialog | None:
        grid_id = grid_id if grid_id is not None else self.current_grid_id()
        if self.data is None or grid_id is None:
            return None
        grid = self.data.layout.grid(grid_id)
        if grid is None:
            return None
        dialog = GridDialog(self.ctx, self.data.choices, grid, self)
        dialog.accepted.connect(lambda: self._after_write((NodeKind.grid, grid_id)))
        dialog.open()
        return dialog

    def edit_people(self, grid_id: int | None = None) -> PlacementsDialog | None:
        grid_id = grid_id if grid_id is not None else self.current_grid_id()
        if self.data is None or grid_id is None:
            return None
        grid = self.data.layout.grid(grid_id)
        dialog = PlacementsDialog(
            self.ctx,
            title=self.tr("People of {grid}").format(grid=grid.name if grid else grid_id),
            grid_id=grid_id,
            options=self.data.choices.staff,
            parent=self,
        )
        dialog.finished.connect(lambda _r: self._after_write((NodeKind.grid, grid_id)))
        dialog.open()
        return dialog

    def move_areas(
        self, ta_ids: list[int] | None = None, target_grid_id: int | None = None
    ) -> MoveDialog | None:
        ids = list(ta_ids) if ta_ids is not None else self._selected_area_ids()
        if self.data is None or not ids:
            return None
        names = {t.id: f"{t.name}（{t.code}）" for t in self.data.layout.transformer_areas}
        dialog = MoveDialog(
            self.ctx,
            self.data.choices,
            ta_ids=ids,
            ta_names=[names.get(i, str(i)) for i in ids],
            target_grid_id=target_grid_id,
            parent=self,
        )
        dialog.accepted.connect(lambda: self._after_move(dialog.result_value))
        dialog.open()
        return dialog

    def move_feeder(self) -> MoveDialog | None:
        if self.data is None:
            return None
        dialog = MoveDialog(
            self.ctx,
            self.data.choices,
            by_feeder=True,
            target_grid_id=self.current_grid_id(),
            parent=self,
        )
        dialog.accepted.connect(lambda: self._after_move(dialog.result_value))
        dialog.open()
        return dialog

    def _after_write(self, select: tuple[NodeKind, object] | None = None) -> None:
        if select is not None and isinstance(select[1], int):
            self._want_select = (select[0], select[1])
        self.reload()
        self.ctx.events.changed.emit("grid")

    def _after_move(self, result: MoveResult | None) -> None:
        self.reload()
        self.ctx.events.changed.emit("grid")
        if result is None:
            return
        box = QMessageBox(self)
        box.setObjectName("move_notice")
        box.setIcon(
            QMessageBox.Icon.Warning if result.orders_left else QMessageBox.Icon.Information
        )
        box.setWindowTitle(self.tr("Transformer areas moved"))
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(result.lead_notice())
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.move_notice = box

    # ---- coverage lines

    def _current_line(self) -> CoverageLine | None:
        index = self.lines.currentIndex()
        line = self.lines_model.data(index, LINE_ROLE) if index.isValid() else None
        return line if isinstance(line, CoverageLine) else None

    def open_line(self, line: CoverageLine) -> QWidget | None:
        """Open the thing a coverage line points at, ready to fix."""
        match line.entity:
            case "transformer_area":
                self.select(NodeKind.ta, line.entity_id)
                return self.move_areas([line.entity_id], target_grid_id=line.grid_id)
            case "grid":
                self.select(NodeKind.grid, line.entity_id)
                if line.kind == CheckKind.grid_no_manager:
                    return self.edit_grid(line.entity_id)
                return self.edit_people(line.entity_id)
            case "customer":
                self._open_customer(line.entity_id)
                return None
            case "work_order":
                return self._open_order(line)
        return None

    def _open_customer(self, customer_id: int) -> None:
        db = self.ctx.db
        run_in_background(
            self,
            lambda _p: load_customer_to_fix(db, customer_id),
            on_success=self._on_customer_to_fix_loaded,
        )

    def _on_customer_to_fix_loaded(self, info: CustomerToFix) -> None:
        dialog = CustomerAreaDialog(
            self.ctx,
            customer_id=info.customer_id,
            describe=info.describe,
            areas=info.areas,
            parent=self,
        )
        dialog.accepted.connect(lambda: self._after_write(None))
        dialog.open()
        self.customer_dialog = dialog

    def _open_order(self, line: CoverageLine) -> QWidget | None:
        """The work-order page, showing this order (by number), if the window has one."""
        window = self.window()
        keys = window.page_keys() if hasattr(window, "page_keys") else []
        for key in ("orders", "work_orders"):
            if key in keys and hasattr(window, "show_page"):
                page = window.show_page(key)
                opener = getattr(page, "open_order", None)
                search = getattr(page, "search_edit", None)
                if callable(opener):
                    opener(line.entity_id)
                elif isinstance(search, QLineEdit) and line.code:
                    search.setText(line.code)
                return page
        return show_message(self, line.text, self.tr("Work order to reassign"))

    # ---- export

    def export_sheet(self) -> ExportSheet:
        """What the current tab shows, as rows (grids with figures, or coverage lines)."""
        if self.tabs.currentIndex() == 1:
            return self._coverage_sheet()
        return self._figures_sheet()

    def _figures_sheet(self) -> ExportSheet:
        cols = [
            ExportColumn(self.tr("Town"), 12),
            ExportColumn(self.tr("Community"), 12),
            ExportColumn(self.tr("Grid code"), 10),
            ExportColumn(self.tr("Grid"), 18),
            ExportColumn(self.tr("Area class"), 8),
            ExportColumn(self.tr("Service mode"), 12),
            ExportColumn(self.tr("Manager"), 10),
            ExportColumn(self.tr("Manager's mobile"), 14, phone=True),
            ExportColumn(self.tr("Customers"), 9),
            *[ExportColumn(c.label, 9) for c in CustomerCategory],
            *[ExportColumn(m.label, 9) for m in Metering],
            ExportColumn(self.tr("Transformer areas"), 8),
            ExportColumn(self.tr("Feeders"), 8),
            ExportColumn(self.tr("Staff"), 8),
            ExportColumn(self.tr("Community contacts"), 8),
            ExportColumn(self.tr("Open work orders"), 8),
            ExportColumn(self.tr("Overdue"), 8),
            ExportColumn(self.tr("Customers in arrears"), 9),
            ExportColumn(self.tr("Arrears (yuan)"), 12),
        ]
        sheet = ExportSheet(self.tr("Grid figures"), cols)
        if self.data is None:
            return sheet
        layout, report = self.data.layout, self.data.report
        towns = {t.id: t.name for t in layout.towns}
        communities = {c.id: (c.name, towns.get(c.parent_id or 0, "")) for c in layout.communities}

        def figures_cells(f: grid_figures.Figures) -> list[object]:
            return [
                f.customers,
                *[f.by_category[c] for c in CustomerCategory],
                *[f.by_metering[m] for m in Metering],
                f.transformer_areas,
                f.feeders,
                f.staff,
                f.contacts,
                f.open_orders,
                f.overdue_orders,
                f.arrears_customers,
                f.arrears_fen / 100,
            ]

        for g in layout.grids:
            community, town = communities.get(g.community_id or 0, ("", ""))
            sheet.rows.append(
                [
                    town,
                    community,
                    g.code,
                    g.name,
                    g.area_class.label,
                    g.service_mode.label,
                    g.manager,
                    g.manager_phone,
                    *figures_cells(report.grid(g.id)),
                ]
            )
        no_grid = self.tr("In no grid")
        sheet.rows.append(["", "", "", no_grid, "", "", "", "", *figures_cells(report.no_grid)])
        total = self.tr("Whole station")
        sheet.rows.append(["", "", "", total, "", "", "", "", *figures_cells(report.total)])
        return sheet

    def _coverage_sheet(self) -> ExportSheet:
        cols = [
            ExportColumn(self.tr("Check"), 16),
            ExportColumn(self.tr("Kind of record"), 12),
            ExportColumn(self.tr("Record id"), 9),
            ExportColumn(self.tr("What"), 28),
            ExportColumn(self.tr("Problem and how to fix it"), 70),
        ]
        sheet = ExportSheet(self.tr("Coverage check"), cols)
        if self.coverage is not None:
            for line in self.coverage.lines:
                sheet.rows.append(
                    [line.kind.label, line.entity, line.entity_id, line.subject, line.problem]
                )
        return sheet

    def export(self) -> Task | None:
        kind = "coverage" if self.tabs.currentIndex() == 1 else "grid_figures"
        return export_in_background(
            self,
            self.ctx,
            self.actor,
            self.export_sheet(),
            kind=kind,
            ask_path=self.ask_path,
            report=lambda text, warn: self._set_status(text, warn=warn),
        )

    # ---- slots

    def _on_new_button_clicked(self) -> None:
        self.new_grid()

    def _on_edit_button_clicked(self) -> None:
        self.edit_grid()

    def _on_people_button_clicked(self) -> None:
        self.edit_people()

    def _on_move_button_clicked(self) -> None:
        self.move_areas(target_grid_id=None)

    def _on_feeder_button_clicked(self) -> None:
        self.move_feeder()

    def _on_export_button_clicked(self) -> None:
        self.export()

    def _on_refresh_button_clicked(self) -> None:
        self.reload()

    def _on_filter_edit_text_changed(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        if text.strip():
            self.tree.expandAll()

    def _on_tree_selection_changed(self, *_args: object) -> None:
        self._show_current()
        self._update_buttons()

    def _on_tree_activated(self, index: QModelIndex) -> None:
        node = self.proxy.data(index.siblingAtColumn(0), NODE_ROLE)
        if isinstance(node, Node) and node.kind == NodeKind.grid and self.edit_button.isEnabled():
            self.edit_grid(node.id)

    def _on_kind_list_current_row_changed(self, row: int) -> None:
        item = self.kind_list.item(row)
        value = item.data(KIND_ROLE) if item is not None else ""
        self.lines_model.set_kind(CheckKind(value) if value else None)
        self._update_buttons()

    def _on_lines_activated(self, index: QModelIndex) -> None:
        line = self.lines_model.data(index, LINE_ROLE)
        if isinstance(line, CoverageLine):
            self.open_line(line)

    def _on_lines_current_row_changed(self, *_args: object) -> None:
        self._update_buttons()

    def _on_open_line_button_clicked(self) -> None:
        line = self._current_line()
        if line is not None:
            self.open_line(line)

    def _on_threshold_button_clicked(self) -> None:
        db, actor, value = self.ctx.db, self.actor, self.threshold.value()

        def work(_p: object) -> None:
            with db.write() as s:
                set_customers_threshold(session=s, actor=actor, value=value)

        run_in_background(self, work, on_success=lambda _r: self.reload_coverage())

    def _on_poll_timeout(self) -> None:
        if self.data is None or self.loading or self._stamp_task is not None:
            return
        db = self.ctx.db
        self._stamp_task = run_in_background(
            self,
            lambda _p: read_stamp(db),
            on_success=self._on_stamp_read,
            on_failure=lambda _e: setattr(self, "_stamp_task", None),
        )

    def _on_stamp_read(self, stamp: tuple[int, int, int]) -> None:
        self._stamp_task = None
        if self.data is not None and stamp != self.data.stamp and not self.loading:
            self.reload()

    # ---- other pages' writes (UiContext.events)

    #: What other pages write that this page shows.
    RELEVANT_CHANGES = frozenset(
        {"customer", "import", "staff", "contact", "call", "work_order", "arrears"}
    )

    def _on_data_changed(self, what: str) -> None:
        if what not in self.RELEVANT_CHANGES:
            return
        if self.isVisible():
            self._changed_timer.start()
        else:
            self._stale = True  # recount when shown again

    def _on_changed_timer_timeout(self) -> None:
        self.reload()
