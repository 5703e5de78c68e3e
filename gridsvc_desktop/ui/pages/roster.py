"""人员 (roster): the station's people, searchable, sortable and filtered by team,
specialty and status; edit, leave with a substitute, grid places, deactivation.

A person is never deleted: deactivating keeps their name on history, and is
refused while they hold open work orders (the page lists them).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.domain.enums import Specialty
from gridsvc_desktop.services import roster
from gridsvc_desktop.services.actor import Actor, Permission
from gridsvc_desktop.services.roster import StaffHasOpenWork, StaffRow
from gridsvc_desktop.ui.background import Task, error_text, run_in_background
from gridsvc_desktop.ui.context import UiContext
from gridsvc_desktop.ui.dialogs.export import (
    ExportSheet,
    ask_export_path,
    export_in_background,
    sheet_of_view,
)
from gridsvc_desktop.ui.dialogs.grid_dialogs import PlacementsDialog
from gridsvc_desktop.ui.dialogs.staff_dialogs import (
    LeaveDialog,
    RosterChoices,
    StaffDialog,
    load_roster_choices,
)
from gridsvc_desktop.ui.models.roster_table import (
    STAFF_ROLE,
    Column,
    RosterFilter,
    RosterTableModel,
    Status,
)
from gridsvc_desktop.ui.pages.base import Page, action_button
from gridsvc_desktop.ui.qt import (
    QAbstractItemView,
    QComboBox,
    QCoreApplication,
    QHBoxLayout,
    QHeaderView,
    QKeySequence,
    QLabel,
    QLineEdit,
    QMessageBox,
    QModelIndex,
    QPushButton,
    QShortcut,
    Qt,
    QTableView,
    QTimer,
    QVBoxLayout,
    QWidget,
)
from gridsvc_desktop.ui.widgets.grid_figures import WARNING_COLOR
from gridsvc_desktop.ui.widgets.table_fit import fit_columns

# ---- work on worker threads


@dataclass
class RosterData:
    rows: list[StaffRow]
    choices: RosterChoices


def load_roster(db: Database, today: dt.date | None = None) -> RosterData:
    with db.read() as s:
        rows = roster.list_staff(s, today=today)
    return RosterData(rows, load_roster_choices(db))


def set_active(db: Database, actor: Actor, staff_id: int, active: bool) -> None:
    with db.write() as s:
        if active:
            roster.reactivate_staff(session=s, actor=actor, staff_id=staff_id)
        else:
            roster.deactivate_staff(session=s, actor=actor, staff_id=staff_id)


class RosterPage(Page):
    key = "roster"
    icon_name = "roster"
    CHANGED_DELAY_MS = 500

    @classmethod
    def title(cls) -> str:
        return QCoreApplication.translate("RosterPage", "Roster")

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.actor: Actor = ctx.acting()
        self.data: RosterData | None = None
        self._generation = 0
        self._task: Task | None = None
        self._want_select: int | None = None
        self.ask_path = ask_export_path
        may_edit = self.actor.may(Permission.manage_grids)

        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("roster_search")
        self.search_edit.setPlaceholderText(self.tr("Employee no., name, phone, team or grid"))
        self.search_edit.setClearButtonEnabled(True)
        self.team_filter = QComboBox()
        self.team_filter.setObjectName("roster_team")
        self.team_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.team_filter.addItem(self.tr("All teams"), "")
        self.specialty_filter = QComboBox()
        self.specialty_filter.setObjectName("roster_specialty")
        self.specialty_filter.addItem(self.tr("All specialties"), "")
        for sp in Specialty:
            self.specialty_filter.addItem(sp.label, sp.value)
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("roster_status_filter")
        for status, text in (
            (Status.ACTIVE, self.tr("Active")),
            (Status.ON_LEAVE, self.tr("On leave today")),
            (Status.INACTIVE, self.tr("Inactive")),
            (Status.ALL, self.tr("Everyone")),
        ):
            self.status_filter.addItem(text, int(status))

        self.new_button = action_button(self.tr("New…"), "roster_new", may_edit)
        self.edit_button = action_button(self.tr("Edit…"), "roster_edit", may_edit)
        self.leave_button = action_button(self.tr("Leave…"), "roster_leave", may_edit)
        self.grids_button = action_button(self.tr("Grids…"), "roster_grids", may_edit)
        self.active_button = action_button(self.tr("Deactivate"), "roster_active", may_edit)
        self.export_button = action_button(
            self.tr("Export…"), "roster_export", self.actor.may(Permission.export)
        )

        self.model = RosterTableModel(self)
        self.model.unmask = ctx.unmask
        self.proxy = RosterFilter(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.set_filters(status=Status.ACTIVE)
        self.table = QTableView()
        self.table.setObjectName("roster_table")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(Column.EMPLOYEE_NO, Qt.SortOrder.AscendingOrder)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        em = self.fontMetrics().horizontalAdvance("客")
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        widths = {
            Column.EMPLOYEE_NO: 5,
            Column.NAME: 4.5,
            Column.PHONE: 7,
            Column.POSITION: 6,
            Column.TEAM: 7,
            Column.SPECIALTIES: 8,
            Column.BASE: 8,
            Column.GRIDS: 11,
        }
        titles = self.model.column_titles()
        for column, width in widths.items():
            title_width = header.fontMetrics().horizontalAdvance(titles[column]) + 24
            self.table.setColumnWidth(column, max(int(width * em), title_width))
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.status_label = QLabel()
        self.status_label.setObjectName("roster_status")
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)

        filters = QHBoxLayout()
        filters.addWidget(self.search_edit, 2)
        filters.addWidget(self.team_filter)
        filters.addWidget(self.specialty_filter)
        filters.addWidget(self.status_filter)
        filters.addSpacing(12)
        for b in (
            self.new_button,
            self.edit_button,
            self.leave_button,
            self.grids_button,
            self.active_button,
            self.export_button,
        ):
            filters.addWidget(b)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status_label)

        self._find_shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        self._find_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

        self.search_edit.textChanged.connect(self._on_search_edit_text_changed)
        self.team_filter.currentIndexChanged.connect(self._on_team_filter_current_index_changed)
        self.specialty_filter.currentIndexChanged.connect(
            self._on_specialty_filter_current_index_changed
        )
        self.status_filter.currentIndexChanged.connect(self._on_status_filter_current_index_changed)
        self.new_button.clicked.connect(self._on_new_button_clicked)
        self.edit_button.clicked.connect(self._on_edit_button_clicked)
        self.leave_button.clicked.connect(self._on_leave_button_clicked)
        self.grids_button.clicked.connect(self._on_grids_button_clicked)
        self.active_button.clicked.connect(self._on_active_button_clicked)
        self.export_button.clicked.connect(self._on_export_button_clicked)
        self.table.activated.connect(self._on_table_activated)
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_row_changed)
        self.proxy.rowsInserted.connect(self._on_proxy_rows_changed)
        self.proxy.rowsRemoved.connect(self._on_proxy_rows_changed)
        self.proxy.modelReset.connect(self._on_proxy_rows_changed)
        self.proxy.layoutChanged.connect(self._on_proxy_rows_changed)
        self._find_shortcut.activated.connect(self._on_find_shortcut_activated)
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
        self.search_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        if self._stale:
            self._stale = False
            self.reload()

    def reload(self) -> None:
        self._generation += 1
        generation = self._generation
        if self._task is not None:
            self._task.cancel()
        db = self.ctx.db
        self._task = run_in_background(
            self,
            lambda _p: load_roster(db),
            on_success=lambda data: self._on_loaded(generation, data),
            on_failure=lambda error: self._on_failed(generation, error),
        )

    @property
    def loading(self) -> bool:
        return self._task is not None

    # ---- selection

    def current_row(self) -> StaffRow | None:
        index = self.table.currentIndex()
        row = self.proxy.data(index.siblingAtColumn(0), STAFF_ROLE) if index.isValid() else None
        return row if isinstance(row, StaffRow) else None

    def select_staff(self, staff_id: int) -> bool:
        source = self.model.row_of(staff_id)
        if source < 0:
            return False
        index = self.proxy.mapFromSource(self.model.index(source, 0))
        if not index.isValid():
            return False
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)
        return True

    # ---- results

    def _on_loaded(self, generation: int, data: RosterData) -> None:
        if generation != self._generation:
            return
        self._task = None
        keep = self._want_select
        current = self.current_row()
        if keep is None and current is not None:
            keep = current.id
        self._want_select = None
        self.data = data
        team = self.team_filter.currentData()
        self.team_filter.blockSignals(True)
        self.team_filter.clear()
        self.team_filter.addItem(self.tr("All teams"), "")
        for t in data.choices.teams:
            self.team_filter.addItem(t, t)
        self.team_filter.setCurrentIndex(max(0, self.team_filter.findData(team)))
        self.team_filter.blockSignals(False)
        self.model.set_rows(data.rows)
        fit_columns(
            self.table,
            [Column.NAME, Column.POSITION, Column.TEAM, Column.SPECIALTIES, Column.BASE],
            max_em=10,
        )
        if keep is not None:
            self.select_staff(keep)
        self._update_status()
        self._update_buttons()

    def _on_failed(self, generation: int, error: BaseException) -> None:
        if generation != self._generation:
            return
        self._task = None
        self._set_status(
            self.tr("Could not load the roster: {error}").format(error=error_text(error)),
            warn=True,
        )

    def _set_status(self, text: str, *, warn: bool = False) -> None:
        self.status_label.setText(text)
        self.status_label.setStyleSheet(f"color: {WARNING_COLOR};" if warn else "color: #5f6b7a;")

    def _update_status(self) -> None:
        rows = self.model.rows()
        active = sum(1 for r in rows if r.active)
        away = sum(1 for r in rows if r.active and r.on_leave_until is not None)
        self._set_status(
            self.tr(
                "Showing {shown} of {total}: {active} active, {inactive} inactive, "
                "{away} on leave today"
            ).format(
                shown=self.proxy.rowCount(),
                total=len(rows),
                active=active,
                inactive=len(rows) - active,
                away=away,
            )
        )

    def _update_buttons(self) -> None:
        row = self.current_row()
        ready = self.data is not None

        def allow(button: QPushButton, condition: bool) -> None:
            button.setEnabled(bool(button.property("allowed")) and ready and condition)

        allow(self.new_button, True)
        allow(self.edit_button, row is not None)
        allow(self.leave_button, row is not None and row.active)
        allow(self.grids_button, row is not None and row.active)
        allow(self.active_button, row is not None)
        allow(self.export_button, True)
        self.active_button.setText(
            self.tr("Reactivate") if row is not None and not row.active else self.tr("Deactivate")
        )

    # ---- actions

    def new_staff(self) -> StaffDialog | None:
        if self.data is None:
            return None
        dialog = StaffDialog(self.ctx, self.data.choices, None, self)
        dialog.accepted.connect(lambda: self._after_write(dialog.result_value))
        dialog.open()
        return dialog

    def edit_staff(self, row: StaffRow | None = None) -> StaffDialog | None:
        row = row or self.current_row()
        if self.data is None or row is None:
            return None
        dialog = StaffDialog(self.ctx, self.data.choices, row, self)
        dialog.accepted.connect(lambda: self._after_write(row.id))
        dialog.open()
        return dialog

    def edit_leave(self) -> LeaveDialog | None:
        row = self.current_row()
        if self.data is None or row is None:
            return None
        dialog = LeaveDialog(self.ctx, row, self.data.choices.staff, self)
        dialog.finished.connect(
            lambda result: self._after_write(row.id) if result or dialog.changed else None
        )
        dialog.open()
        return dialog

    def edit_grids(self) -> PlacementsDialog | None:
        row = self.current_row()
        if self.data is None or row is None:
            return None
        dialog = PlacementsDialog(
            self.ctx,
            title=self.tr("Grids of {name}").format(name=row.name),
            staff_id=row.id,
            options=self.data.choices.grids,
            parent=self,
        )
        dialog.finished.connect(lambda _r: self._after_write(row.id))
        dialog.open()
        return dialog

    def toggle_active(self) -> Task | None:
        row = self.current_row()
        if row is None:
            return None
        db, actor, staff_id, active = self.ctx.db, self.actor, row.id, not row.active
        return run_in_background(
            self,
            lambda _p: set_active(db, actor, staff_id, active),
            on_success=lambda _r: self._after_write(staff_id),
            on_failure=self._on_active_failed,
        )

    def _on_active_failed(self, error: BaseException) -> None:
        box = QMessageBox(self)
        box.setObjectName("deactivate_refused")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("Cannot deactivate"))
        box.setTextFormat(Qt.TextFormat.PlainText)
        if isinstance(error, StaffHasOpenWork):
            box.setText(
                self.tr(
                    "This person still holds {count} open work order(s). Reassign them first "
                    "(on the work orders page), then deactivate."
                ).format(count=len(error.orders))
            )
            box.setDetailedText("\n".join(o.describe() for o in error.orders))
            box.setInformativeText("\n".join(o.describe() for o in error.orders[:8]))
        else:
            box.setText(error_text(error))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.refusal = box

    def _after_write(self, staff_id: object) -> None:
        if isinstance(staff_id, int):
            self._want_select = staff_id
        self.reload()
        self.ctx.events.changed.emit("staff")

    # ---- export

    def export_sheet(self) -> ExportSheet:
        widths = [9, 8, 14, 12, 14, 20, 18, 30, 20]
        return sheet_of_view(self.tr("Roster"), self.model, self.proxy, STAFF_ROLE, widths)

    def export(self) -> Task | None:
        return export_in_background(
            self,
            self.ctx,
            self.actor,
            self.export_sheet(),
            kind="roster",
            ask_path=self.ask_path,
            report=lambda text, warn: self._set_status(text, warn=warn),
        )

    # ---- slots

    def _on_search_edit_text_changed(self, text: str) -> None:
        self.proxy.set_filters(text=text)

    def _on_team_filter_current_index_changed(self, _index: int) -> None:
        self.proxy.set_filters(team=str(self.team_filter.currentData() or ""))

    def _on_specialty_filter_current_index_changed(self, _index: int) -> None:
        value = self.specialty_filter.currentData()
        self.proxy.set_filters(specialty=Specialty(value) if value else None)

    def _on_status_filter_current_index_changed(self, _index: int) -> None:
        self.proxy.set_filters(status=Status(int(self.status_filter.currentData())))

    def _on_new_button_clicked(self) -> None:
        self.new_staff()

    def _on_edit_button_clicked(self) -> None:
        self.edit_staff()

    def _on_leave_button_clicked(self) -> None:
        self.edit_leave()

    def _on_grids_button_clicked(self) -> None:
        self.edit_grids()

    def _on_active_button_clicked(self) -> None:
        self.toggle_active()

    def _on_export_button_clicked(self) -> None:
        self.export()

    def _on_table_activated(self, index: QModelIndex) -> None:
        row = self.proxy.data(index.siblingAtColumn(0), STAFF_ROLE)
        if isinstance(row, StaffRow) and self.edit_button.isEnabled():
            self.edit_staff(row)

    def _on_table_current_row_changed(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        self._update_buttons()

    def _on_proxy_rows_changed(self, *_args: object) -> None:
        if self.data is not None:
            self._update_status()
        self._update_buttons()

    def _on_find_shortcut_activated(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    # ---- other pages' writes (UiContext.events)

    #: What other pages write that this page shows.
    RELEVANT_CHANGES = frozenset({"grid", "import", "work_order"})

    def _on_data_changed(self, what: str) -> None:
        if what not in self.RELEVANT_CHANGES:
            return
        if self.isVisible():
            self._changed_timer.start()
        else:
            self._stale = True  # recount when shown again

    def _on_changed_timer_timeout(self) -> None:
        self.reload()
