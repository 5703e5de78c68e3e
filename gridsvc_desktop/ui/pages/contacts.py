"""联系人 (community contacts): building leaders, property offices, gatekeepers,
community grid workers and service centres, filtered by community, role and
text (in SQL), sorted by any column; add, edit, delete, export."""

from __future__ import annotations

from dataclasses import dataclass

from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.domain.enums import ContactKind
from gridsvc_desktop.services import contacts as contact_svc
from gridsvc_desktop.services.actor import Actor, Permission
from gridsvc_desktop.services.contacts import ContactRow
from gridsvc_desktop.ui.background import Task, error_text, run_in_background
from gridsvc_desktop.ui.context import UiContext
from gridsvc_desktop.ui.dialogs.contact_dialog import (
    ContactChoices,
    ContactDialog,
    load_contact_choices,
)
from gridsvc_desktop.ui.dialogs.export import (
    ExportSheet,
    ask_export_path,
    export_in_background,
    sheet_of_view,
)
from gridsvc_desktop.ui.models.contact_table import (
    CONTACT_ROLE,
    SORT_ROLE,
    Column,
    ContactTableModel,
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
    QSortFilterProxyModel,
    Qt,
    QTableView,
    QTimer,
    QVBoxLayout,
    QWidget,
)
from gridsvc_desktop.ui.widgets.grid_figures import WARNING_COLOR
from gridsvc_desktop.ui.widgets.picker import Picker
from gridsvc_desktop.ui.widgets.table_fit import fit_columns


@dataclass(frozen=True)
class ContactQuery:
    community_id: int | None = None
    kind: ContactKind | None = None
    text: str = ""


def find_contacts(db: Database, query: ContactQuery) -> list[ContactRow]:
    with db.read() as s:
        return contact_svc.list_contacts(
            s, community_id=query.community_id, kind=query.kind, query=query.text
        )


def remove_contact(db: Database, actor: Actor, contact_id: int) -> None:
    with db.write() as s:
        contact_svc.delete_contact(session=s, actor=actor, contact_id=contact_id)


class ContactsPage(Page):
    key = "contacts"
    icon_name = "contacts"
    SEARCH_DELAY_MS = 200
    CHANGED_DELAY_MS = 500

    @classmethod
    def title(cls) -> str:
        return QCoreApplication.translate("ContactsPage", "Contacts")

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.actor: Actor = ctx.acting()
        self.choices: ContactChoices | None = None
        self._generation = 0
        self._task: Task | None = None
        self._choices_task: Task | None = None
        self._want_select: int | None = None
        self.ask_path = ask_export_path
        may_edit = self.actor.may(Permission.manage_grids)

        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("contacts_search")
        self.search_edit.setPlaceholderText(self.tr("Name, phone, WeChat group, compound"))
        self.search_edit.setClearButtonEnabled(True)
        self.community_filter = Picker([], none_text=self.tr("All communities"))
        self.community_filter.setObjectName("contacts_community")
        self.kind_filter = QComboBox()
        self.kind_filter.setObjectName("contacts_kind")
        self.kind_filter.addItem(self.tr("All roles"), "")
        for k in ContactKind:
            self.kind_filter.addItem(k.label, k.value)
        self.new_button = action_button(self.tr("New…"), "contacts_new", may_edit)
        self.edit_button = action_button(self.tr("Edit…"), "contacts_edit", may_edit)
        self.delete_button = action_button(self.tr("Delete"), "contacts_delete", may_edit)
        self.export_button = action_button(
            self.tr("Export…"), "contacts_export", self.actor.may(Permission.export)
        )

        self.model = ContactTableModel(self)
        self.model.unmask = ctx.unmask
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = QTableView()
        self.table.setObjectName("contacts_table")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        em = self.fontMetrics().horizontalAdvance("客")
        widths = {
            Column.KIND: 5.5,
            Column.NAME: 8,
            Column.PHONE: 7.5,
            Column.WECHAT: 10,
            Column.COMMUNITY: 6,
            Column.COMPOUND: 7,
            Column.BUILDING: 4,
            Column.GRID: 10,
        }
        titles = self.model.column_titles()
        for column, width in widths.items():
            title_width = header.fontMetrics().horizontalAdvance(titles[column]) + 24
            self.table.setColumnWidth(column, max(int(width * em), title_width))
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.status_label = QLabel()
        self.status_label.setObjectName("contacts_status")
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)

        top = QHBoxLayout()
        top.addWidget(self.search_edit, 2)
        top.addWidget(self.community_filter, 1)
        top.addWidget(self.kind_filter)
        top.addSpacing(12)
        for b in (self.new_button, self.edit_button, self.delete_button, self.export_button):
            top.addWidget(b)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status_label)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(self.SEARCH_DELAY_MS)
        self._find_shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        self._find_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

        self.search_edit.textChanged.connect(self._on_search_edit_text_changed)
        self._search_timer.timeout.connect(self._on_search_timer_timeout)
        self.community_filter.currentIndexChanged.connect(self._on_filter_changed)
        self.kind_filter.currentIndexChanged.connect(self._on_filter_changed)
        self.new_button.clicked.connect(self._on_new_button_clicked)
        self.edit_button.clicked.connect(self._on_edit_button_clicked)
        self.delete_button.clicked.connect(self._on_delete_button_clicked)
        self.export_button.clicked.connect(self._on_export_button_clicked)
        self.table.activated.connect(self._on_table_activated)
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_row_changed)
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
        db = self.ctx.db
        if self._choices_task is not None:
            self._choices_task.cancel()
        self._choices_task = run_in_background(
            self, lambda _p: load_contact_choices(db), on_success=self._on_choices_loaded
        )
        self._run_query()

    @property
    def loading(self) -> bool:
        return self._task is not None or self._choices_task is not None

    def query(self) -> ContactQuery:
        kind = self.kind_filter.currentData()
        return ContactQuery(
            community_id=self.community_filter.current_id(),
            kind=ContactKind(kind) if kind else None,
            text=self.search_edit.text().strip(),
        )

    def _run_query(self) -> None:
        self._search_timer.stop()
        self._generation += 1
        generation = self._generation
        if self._task is not None:
            self._task.cancel()
        db, query = self.ctx.db, self.query()
        self._task = run_in_background(
            self,
            lambda _p: find_contacts(db, query),
            on_success=lambda rows: self._on_rows(generation, rows),
            on_failure=lambda e: self._on_failed(generation, e),
        )

    # ---- selection

    def current_row(self) -> ContactRow | None:
        index = self.table.currentIndex()
        row = self.proxy.data(index.siblingAtColumn(0), CONTACT_ROLE) if index.isValid() else None
        return row if isinstance(row, ContactRow) else None

    def select_contact(self, contact_id: int) -> bool:
        source = self.model.row_of(contact_id)
        if source < 0:
            return False
        index = self.proxy.mapFromSource(self.model.index(source, 0))
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)
        return True

    # ---- results

    def _on_choices_loaded(self, choices: ContactChoices) -> None:
        self._choices_task = None
        self.choices = choices
        self.community_filter.blockSignals(True)
        self.community_filter.set_items(choices.communities)
        self.community_filter.blockSignals(False)
        self._update_buttons()

    def _on_rows(self, generation: int, rows: list[ContactRow]) -> None:
        if generation != self._generation:
            return
        self._task = None
        keep = self._want_select
        current = self.current_row()
        if keep is None and current is not None:
            keep = current.id
        self._want_select = None
        self.model.set_rows(rows)
        fit_columns(self.table, [Column.KIND, Column.NAME, Column.COMPOUND], max_em=10)
        if keep is not None:
            self.select_contact(keep)
        without_grid = sum(1 for r in rows if r.grid_id is None)
        text = self.tr("{count} contact(s)").format(count=f"{len(rows):,}")
        if without_grid:
            text += self.tr("; {count} not linked to a grid (their community has none)").format(
                count=without_grid
            )
        self._set_status(text)
        self._update_buttons()

    def _on_failed(self, generation: int, error: BaseException) -> None:
        if generation != self._generation:
            return
        self._task = None
        self._set_status(
            self.tr("Could not load contacts: {error}").format(error=error_text(error)), warn=True
        )

    def _set_status(self, text: str, *, warn: bool = False) -> None:
        self.status_label.setText(text)
        self.status_label.setStyleSheet(f"color: {WARNING_COLOR};" if warn else "color: #5f6b7a;")

    def _update_buttons(self) -> None:
        row = self.current_row()
        ready = self.choices is not None

        def allow(button: QPushButton, condition: bool) -> None:
            button.setEnabled(bool(button.property("allowed")) and condition)

        allow(self.new_button, ready)
        allow(self.edit_button, ready and row is not None)
        allow(self.delete_button, row is not None)
        allow(self.export_button, True)

    # ---- actions

    def new_contact(self) -> ContactDialog | None:
        if self.choices is None:
            return None
        dialog = ContactDialog(
            self.ctx, self.choices, None, self, community_id=self.community_filter.current_id()
        )
        dialog.accepted.connect(lambda: self._after_write(dialog.result_value))
        dialog.open()
        return dialog

    def edit_contact(self, row: ContactRow | None = None) -> ContactDialog | None:
        row = row or self.current_row()
        if self.choices is None or row is None:
            return None
        dialog = ContactDialog(self.ctx, self.choices, row, self)
        dialog.accepted.connect(lambda: self._after_write(row.id))
        dialog.open()
        return dialog

    def delete_contact(self, *, confirmed: bool = False) -> QMessageBox | Task | None:
        row = self.current_row()
        if row is None:
            return None
        if not confirmed:
            box = QMessageBox(self)
            box.setObjectName("contact_delete_confirm")
            box.setIcon(QMessageBox.Icon.Question)
            box.setWindowTitle(self.tr("Delete contact"))
            box.setTextFormat(Qt.TextFormat.PlainText)
            box.setText(self.tr("Delete {kind} {name}?").format(kind=row.kind_label, name=row.name))
            box.setStandardButtons(
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel
            )
            box.accepted.connect(lambda: self.delete_contact(confirmed=True))
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()
            return box
        db, actor, contact_id = self.ctx.db, self.actor, row.id
        return run_in_background(
            self,
            lambda _p: remove_contact(db, actor, contact_id),
            on_success=lambda _r: self._after_write(None),
            on_failure=lambda e: self._set_status(error_text(e), warn=True),
        )

    def _after_write(self, contact_id: object) -> None:
        if isinstance(contact_id, int):
            self._want_select = contact_id
        self.reload()
        self.ctx.events.changed.emit("contact")

    # ---- export

    def export_sheet(self) -> ExportSheet:
        widths = [10, 14, 14, 24, 12, 14, 8, 18, 24]
        return sheet_of_view(
            self.tr("Community contacts"), self.model, self.proxy, CONTACT_ROLE, widths
        )

    def export(self) -> Task | None:
        return export_in_background(
            self,
            self.ctx,
            self.actor,
            self.export_sheet(),
            kind="contacts",
            ask_path=self.ask_path,
            report=lambda text, warn: self._set_status(text, warn=warn),
        )

    # ---- slots

    def _on_search_edit_text_changed(self, _text: str) -> None:
        self._search_timer.start()

    def _on_search_timer_timeout(self) -> None:
        self._run_query()

    def _on_filter_changed(self, *_args: object) -> None:
        if self.community_filter.is_valid():
            self._run_query()

    def _on_new_button_clicked(self) -> None:
        self.new_contact()

    def _on_edit_button_clicked(self) -> None:
        self.edit_contact()

    def _on_delete_button_clicked(self) -> None:
        self.delete_contact()

    def _on_export_button_clicked(self) -> None:
        self.export()

    def _on_table_activated(self, index: QModelIndex) -> None:
        row = self.proxy.data(index.siblingAtColumn(0), CONTACT_ROLE)
        if isinstance(row, ContactRow) and self.edit_button.isEnabled():
            self.edit_contact(row)

    def _on_table_current_row_changed(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        self._update_buttons()

    def _on_find_shortcut_activated(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    # ---- other pages' writes (UiContext.events)

    #: What other pages write that this page shows.
    RELEVANT_CHANGES = frozenset({"grid", "import"})

    def _on_data_changed(self, what: str) -> None:
        if what not in self.RELEVANT_CHANGES:
            return
        if self.isVisible():
            self._changed_timer.start()
        else:
            self._stale = True  # recount when shown again

    def _on_changed_timer_timeout(self) -> None:
        self.reload()
