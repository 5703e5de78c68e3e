"""停电 (outages): the list with filters, and one outage's detail: facts, status
buttons, who is affected (counts, important customers, grids and managers) and
the notification checklist (copy a message, mark it told, export the contacts
for bulk SMS, save the posted notice). Repair calls bunched on one area with no
outage recorded show as a proposal above the list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlmodel import Session

from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.domain.enums import NotifyChannel, OutageKind, OutageStatus
from gridsvc_desktop.domain.masking import mask_phone
from gridsvc_desktop.services import outage_notices as notice_svc
from gridsvc_desktop.services import outages as outage_svc
from gridsvc_desktop.services.actor import Actor, Permission
from gridsvc_desktop.ui.background import Task, error_text, run_in_background, show_message
from gridsvc_desktop.ui.context import UiContext
from gridsvc_desktop.ui.dialogs.export import ask_export_path
from gridsvc_desktop.ui.dialogs.outage_dialogs import AnnounceDialog, ReasonDialog, TemplateDialog
from gridsvc_desktop.ui.models.outage_tables import (
    ROW_ROLE,
    SORT_ROLE,
    NoticeColumn,
    NotificationTableModel,
    OutageColumn,
    OutageTableModel,
)
from gridsvc_desktop.ui.pages.base import Page, action_button
from gridsvc_desktop.ui.qt import (
    QAbstractItemView,
    QComboBox,
    QCoreApplication,
    QFileDialog,
    QFrame,
    QGridLayout,
    QGuiApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QModelIndex,
    QPlainTextEdit,
    QPushButton,
    QSortFilterProxyModel,
    QSplitter,
    Qt,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from gridsvc_desktop.ui.widgets.grid_figures import WARNING_COLOR

OPEN = "open"


@dataclass(frozen=True)
class ListQuery:
    status: str = OPEN  # "open", "" (all) or an OutageStatus value
    kind: str = ""


@dataclass(frozen=True)
class ListResult:
    rows: list[outage_svc.OutageRow]
    proposals: list[outage_svc.FaultProposal]


@dataclass(frozen=True)
class DetailResult:
    detail: outage_svc.OutageDetail
    notifications: list[notice_svc.NotificationRow]


def load_list(db: Database, query: ListQuery) -> ListResult:
    statuses: tuple[OutageStatus, ...] = ()
    if query.status == OPEN:
        statuses = (OutageStatus.announced, OutageStatus.in_progress)
    elif query.status:
        statuses = (OutageStatus(query.status),)
    kinds = (OutageKind(query.kind),) if query.kind else ()
    with db.read() as s:
        return ListResult(
            outage_svc.list_outages(s, statuses=statuses, kinds=kinds),
            outage_svc.propose_fault_outages(s),
        )


def load_detail(db: Database, outage_id: int) -> DetailResult:
    with db.read() as s:
        return DetailResult(
            outage_svc.outage_detail(s, outage_id), notice_svc.notifications(s, outage_id)
        )


def save_notice_pdf(db: Database, actor: Actor, outage_id: int, path: Path) -> Path:
    """The posted notice (reports/outage_notice.py), one page per compound."""
    from gridsvc_desktop.services.reports import ReportParams, build_report, record_output

    result = build_report(db, actor, "outage_notice", ReportParams(outage_id=outage_id))
    path.write_bytes(result.data)
    record_output(db, actor, result, "save", target=path.name)
    return path


class OutagesPage(Page):
    key = "outages"
    icon_name = "outages"

    @classmethod
    def title(cls) -> str:
        return QCoreApplication.translate("OutagesPage", "Outages")

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.actor: Actor = ctx.acting()
        self._list_generation = 0
        self._detail_generation = 0
        self._list_task: Task | None = None
        self._detail_task: Task | None = None
        self._busy = 0
        self._want_select: int | None = None
        self._refresh_detail = False
        self.detail: DetailResult | None = None
        self.proposals: list[outage_svc.FaultProposal] = []
        self.ask_path = ask_export_path
        self.ask_pdf_path = self._ask_pdf_path
        self.ask_reason = self._ask_reason

        # ---- top bar
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("outages_status")
        self.status_filter.addItem(self.tr("Still to come or going on"), OPEN)
        self.status_filter.addItem(self.tr("All"), "")
        for st in OutageStatus:
            self.status_filter.addItem(st.label, st.value)
        self.kind_filter = QComboBox()
        self.kind_filter.setObjectName("outages_kind")
        self.kind_filter.addItem(self.tr("All kinds"), "")
        for k in OutageKind:
            self.kind_filter.addItem(k.label, k.value)
        self.new_button = action_button(
            self.tr("Announce…"), "outages_new", self.actor.may(Permission.edit)
        )
        self.templates_button = action_button(
            self.tr("Templates…"), "outages_templates", self.actor.may(Permission.view)
        )
        self.proposal_label = QLabel()
        self.proposal_label.setObjectName("outages_proposal")
        self.proposal_label.setTextFormat(Qt.TextFormat.PlainText)
        self.proposal_label.setWordWrap(True)
        self.proposal_label.setStyleSheet(f"color: {WARNING_COLOR}; font-weight: bold;")
        self.accept_button = action_button(
            self.tr("Record fault outage"), "outages_accept", self.actor.may(Permission.dispatch)
        )
        self.proposal_bar = QFrame()
        self.proposal_bar.setObjectName("outages_proposal_bar")
        bar = QHBoxLayout(self.proposal_bar)
        bar.setContentsMargins(6, 2, 6, 2)
        bar.addWidget(self.proposal_label, 1)
        bar.addWidget(self.accept_button)
        self.proposal_bar.setVisible(False)

        # ---- list
        self.model = OutageTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = self._table("outages_table", self.proxy)
        header = self.table.horizontalHeader()
        em = self.fontMetrics().horizontalAdvance("客")
        for column, width in {
            OutageColumn.KIND: 5, OutageColumn.STATUS: 4, OutageColumn.START: 8.5,
            OutageColumn.END: 8.5, OutageColumn.SCOPE: 12, OutageColumn.REASON: 10,
        }.items():  # fmt: skip
            self.table.setColumnWidth(column, int(width * em))
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)

        # ---- detail
        self.title_label = self._label("outage_title")
        self.title_label.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.facts_label = self._label("outage_facts")
        self.notice_label = self._label("outage_notice")
        self.start_button = action_button(
            self.tr("Power off"), "outage_start", self.actor.may(Permission.edit)
        )
        self.restore_button = action_button(
            self.tr("Power restored"), "outage_restore", self.actor.may(Permission.edit)
        )
        self.cancel_button = action_button(
            self.tr("Cancel outage…"), "outage_cancel", self.actor.may(Permission.dispatch)
        )
        self.print_button = action_button(
            self.tr("Notice PDF…"), "outage_print", self.actor.may(Permission.print)
        )
        actions = QHBoxLayout()
        for b in (self.start_button, self.restore_button, self.cancel_button, self.print_button):
            actions.addWidget(b)
        actions.addStretch(1)

        self.counts_grid = QGridLayout()
        self.counts_grid.setHorizontalSpacing(18)
        counts_box = QWidget()
        counts_box.setObjectName("outage_counts")
        counts_box.setLayout(self.counts_grid)
        self.important_list = QListWidget()
        self.important_list.setObjectName("outage_important")
        self.grids_list = QListWidget()
        self.grids_list.setObjectName("outage_grids")
        self.places_list = QListWidget()
        self.places_list.setObjectName("outage_places")
        affected_tab = QWidget()
        a_layout = QVBoxLayout(affected_tab)
        a_layout.addWidget(counts_box)
        lists = QGridLayout()
        lists.addWidget(QLabel(self.tr("Important customers")), 0, 0)
        lists.addWidget(QLabel(self.tr("Grids and managers")), 0, 1)
        lists.addWidget(self.important_list, 1, 0)
        lists.addWidget(self.grids_list, 1, 1)
        lists.addWidget(QLabel(self.tr("Compounds and villages")), 2, 0, 1, 2)
        lists.addWidget(self.places_list, 3, 0, 1, 2)
        a_layout.addLayout(lists, 1)

        self.generate_button = action_button(
            self.tr("Prepare messages"), "notify_generate", self.actor.may(Permission.edit)
        )
        self.restoration_button = action_button(
            self.tr("Prepare restoration messages"),
            "notify_restoration",
            self.actor.may(Permission.edit),
        )
        self.copy_button = action_button(self.tr("Copy message"), "notify_copy", True)
        self.channel_box = QComboBox()
        self.channel_box.setObjectName("notify_channel")
        for ch in NotifyChannel:
            self.channel_box.addItem(ch.label, ch.value)
        self.sent_button = action_button(
            self.tr("Mark as told"), "notify_sent", self.actor.may(Permission.edit)
        )
        self.export_button = action_button(
            self.tr("Export contacts…"), "notify_export", self.actor.may(Permission.export)
        )
        self.notify_model = NotificationTableModel(self)
        self.notify_model.unmask = ctx.unmask
        self.notify_proxy = QSortFilterProxyModel(self)
        self.notify_proxy.setSourceModel(self.notify_model)
        self.notify_proxy.setSortRole(SORT_ROLE)
        self.notify_table = self._table("notify_table", self.notify_proxy)
        n_header = self.notify_table.horizontalHeader()
        for n_column, n_width in {
            NoticeColumn.KIND: 4.5, NoticeColumn.WHO: 5.5, NoticeColumn.NAME: 6,
            NoticeColumn.PHONE: 7.5, NoticeColumn.WHERE: 13,
        }.items():  # fmt: skip
            self.notify_table.setColumnWidth(n_column, int(n_width * em))
            n_header.setSectionResizeMode(n_column, QHeaderView.ResizeMode.Interactive)
        n_header.setStretchLastSection(True)
        self.notify_table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.message_view = QPlainTextEdit()
        self.message_view.setObjectName("notify_message")
        self.message_view.setReadOnly(True)
        self.message_view.setMaximumHeight(self.fontMetrics().height() * 5 + 12)
        self.pending_label = self._label("notify_pending")
        notify_tab = QWidget()
        n_layout = QVBoxLayout(notify_tab)
        row1 = QHBoxLayout()
        for w in (self.generate_button, self.restoration_button, self.export_button):
            row1.addWidget(w)
        row1.addStretch(1)
        row2 = QHBoxLayout()
        row2.addWidget(self.copy_button)
        row2.addStretch(1)
        row2.addWidget(QLabel(self.tr("Channel")))
        row2.addWidget(self.channel_box)
        row2.addWidget(self.sent_button)
        n_layout.addLayout(row1)
        n_layout.addWidget(self.pending_label)
        n_layout.addWidget(self.notify_table, 1)
        n_layout.addWidget(self.message_view)
        n_layout.addLayout(row2)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("outage_tabs")
        self.tabs.addTab(affected_tab, self.tr("Affected"))
        self.tabs.addTab(notify_tab, self.tr("Notifications"))

        self.detail_box = QWidget()
        self.detail_box.setObjectName("outage_detail")
        d_layout = QVBoxLayout(self.detail_box)
        d_layout.addWidget(self.title_label)
        d_layout.addWidget(self.facts_label)
        d_layout.addWidget(self.notice_label)
        d_layout.addLayout(actions)
        d_layout.addWidget(self.tabs, 1)
        self.empty_label = QLabel(self.tr("Choose an outage on the left."))
        self.empty_label.setObjectName("outage_empty")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        right = QWidget()
        r_layout = QVBoxLayout(right)
        r_layout.setContentsMargins(0, 0, 0, 0)
        r_layout.addWidget(self.empty_label)
        r_layout.addWidget(self.detail_box, 1)
        self.detail_box.setVisible(False)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        top = QHBoxLayout()
        top.addWidget(self.status_filter)
        top.addWidget(self.kind_filter)
        top.addStretch(1)
        top.addWidget(self.templates_button)
        top.addWidget(self.new_button)
        self.status_label = self._label("outages_status_line")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.addLayout(top)
        layout.addWidget(self.proposal_bar)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status_label)

        self.status_filter.currentIndexChanged.connect(self._on_filter_changed)
        self.kind_filter.currentIndexChanged.connect(self._on_filter_changed)
        self.new_button.clicked.connect(self._on_new_button_clicked)
        self.templates_button.clicked.connect(self._on_templates_button_clicked)
        self.accept_button.clicked.connect(self._on_accept_button_clicked)
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_row_changed)
        self.start_button.clicked.connect(self._on_start_button_clicked)
        self.restore_button.clicked.connect(self._on_restore_button_clicked)
        self.cancel_button.clicked.connect(self._on_cancel_button_clicked)
        self.print_button.clicked.connect(self._on_print_button_clicked)
        self.generate_button.clicked.connect(self._on_generate_button_clicked)
        self.restoration_button.clicked.connect(self._on_restoration_button_clicked)
        self.copy_button.clicked.connect(self._on_copy_button_clicked)
        self.sent_button.clicked.connect(self._on_sent_button_clicked)
        self.export_button.clicked.connect(self._on_export_button_clicked)
        self.notify_table.selectionModel().currentRowChanged.connect(
            self._on_notify_table_current_row_changed
        )
        self.notify_table.selectionModel().selectionChanged.connect(
            self._on_notify_table_selection_changed
        )
        ctx.events.changed.connect(self._on_data_changed)
        self._update_buttons()
        self.reload()

    # ---- building blocks

    def _label(self, name: str) -> QLabel:
        label = QLabel()
        label.setObjectName(name)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setWordWrap(True)
        return label

    def _table(self, name: str, model: QSortFilterProxyModel) -> QTableView:
        table = QTableView()
        table.setObjectName(name)
        table.setModel(model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.setSortingEnabled(True)
        table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        table.horizontalHeader().setHighlightSections(False)
        table.verticalHeader().setVisible(False)
        table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        return table

    # ---- Page

    def activated(self) -> None:
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def reload(self) -> None:
        self._list_generation += 1
        generation = self._list_generation
        if self._list_task is not None:
            self._list_task.cancel()
        db, query = self.ctx.db, self.query()
        self._list_task = run_in_background(
            self,
            lambda _p: load_list(db, query),
            on_success=lambda r: self._on_list_loaded(generation, r),
            on_failure=lambda e: self._on_list_failed(generation, e),
        )

    @property
    def loading(self) -> bool:
        return self._list_task is not None or self._detail_task is not None or self._busy > 0

    def query(self) -> ListQuery:
        return ListQuery(self.status_filter.currentData(), self.kind_filter.currentData())

    # ---- selection

    def current_outage(self) -> outage_svc.OutageRow | None:
        index = self.table.currentIndex()
        row = self.proxy.data(index.siblingAtColumn(0), ROW_ROLE) if index.isValid() else None
        return row if isinstance(row, outage_svc.OutageRow) else None

    def select_outage(self, outage_id: int) -> bool:
        source = self.model.row_of(outage_id)
        if source < 0:
            return False
        index = self.proxy.mapFromSource(self.model.index(source, 0))
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)
        return True

    def selected_notifications(self) -> list[notice_svc.NotificationRow]:
        rows = []
        for index in self.notify_table.selectionModel().selectedRows():
            row = self.notify_proxy.data(index, ROW_ROLE)
            if isinstance(row, notice_svc.NotificationRow):
                rows.append(row)
        return rows

    # ---- results

    def _on_list_loaded(self, generation: int, result: ListResult) -> None:
        if generation != self._list_generation:
            return
        self._list_task = None
        current = self.current_outage()
        keep = self._want_select or (current.id if current is not None else None)
        self._want_select = None
        self.model.set_rows(result.rows)
        if keep is not None and self.select_outage(keep):
            pass
        elif result.rows:
            self.select_outage(result.rows[0].id)
        row = self.current_outage()
        if row is None:
            self._show_detail(None)
        elif self._refresh_detail or self.detail is None or self.detail.detail.row.id != row.id:
            self._load_detail(row.id)
        self._refresh_detail = False
        self.proposals = result.proposals
        if result.proposals:
            p = result.proposals[0]
            self.proposal_label.setText(
                self.tr(
                    "{count} repair reports from {where} since {time} and no outage recorded:"
                    " record a fault outage?"
                ).format(count=p.size, where=p.where, time=f"{p.first_at:%H:%M}")
            )
        self.proposal_bar.setVisible(bool(result.proposals))
        self.status_label.setText(self.tr("{count} outage(s)").format(count=len(result.rows)))
        self._update_buttons()

    def _on_list_failed(self, generation: int, error: BaseException) -> None:
        if generation != self._list_generation:
            return
        self._list_task = None
        self.status_label.setText(
            self.tr("Could not load outages: {error}").format(error=error_text(error))
        )

    def _load_detail(self, outage_id: int) -> None:
        self._detail_generation += 1
        generation = self._detail_generation
        if self._detail_task is not None:
            self._detail_task.cancel()
        db = self.ctx.db
        self._detail_task = run_in_background(
            self,
            lambda _p: load_detail(db, outage_id),
            on_success=lambda r: self._on_detail_loaded(generation, r),
            on_failure=lambda e: self._on_detail_failed(generation, e),
        )

    def _on_detail_loaded(self, generation: int, result: DetailResult) -> None:
        if generation != self._detail_generation:
            return
        self._detail_task = None
        self._show_detail(result)

    def _on_detail_failed(self, generation: int, error: BaseException) -> None:
        if generation != self._detail_generation:
            return
        self._detail_task = None
        self._show_detail(None)
        self.status_label.setText(error_text(error))

    def _show_detail(self, result: DetailResult | None) -> None:
        self.detail = result
        self.detail_box.setVisible(result is not None)
        self.empty_label.setVisible(result is None)
        if result is None:
            self.notify_model.set_rows([])
            self._update_buttons()
            return
        d = result.detail
        r, a = d.row, d.affected
        self.title_label.setText(f"{r.kind.label}　{r.status.label}　{r.reason}")
        lines = [
            self.tr("Planned: {start} to {end}").format(
                start=f"{r.planned_start:%Y-%m-%d %H:%M}", end=f"{r.planned_end:%Y-%m-%d %H:%M}"
            ),
            self.tr("Scope: {scope}").format(scope=r.scope),
            self.tr("Announced {time} by {who}").format(
                time=f"{r.announced_at:%Y-%m-%d %H:%M}", who=r.announced_by or "—"
            ),
        ]
        if r.actual_start is not None:
            end = f"{r.actual_end:%Y-%m-%d %H:%M}" if r.actual_end else self.tr("not yet")
            lines.append(
                self.tr("Actual: {start} to {end}").format(
                    start=f"{r.actual_start:%Y-%m-%d %H:%M}", end=end
                )
            )
        if r.cancel_reason:
            lines.append(self.tr("Cancelled: {reason}").format(reason=r.cancel_reason))
        lines.append(
            self.tr("Linked calls {calls}, work orders {orders}").format(
                calls=d.calls, orders=d.orders
            )
        )
        self.facts_label.setText("\n".join(lines))
        notice = d.notice.describe()
        if r.late_notice_reason:
            notice += self.tr("; reason: {reason}").format(reason=r.late_notice_reason)
        self.notice_label.setText(notice)
        self.notice_label.setStyleSheet(f"color: {WARNING_COLOR};" if d.notice.late else "")

        while self.counts_grid.count():
            item = self.counts_grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        for i, (name, value) in enumerate(a.counts().items()):
            label = QLabel(f"{name}\n{value:,}")
            label.setObjectName(f"count_{i}")
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.counts_grid.addWidget(label, i // 8, i % 8)

        unmask = self.ctx.unmask
        self.important_list.clear()
        for c in a.important:
            phone = c.phone if unmask else mask_phone(c.phone)
            self.important_list.addItem(
                f"{c.name}　{c.contract_kva} kVA　{phone}　{c.transformer_area}"
            )
        if not a.important:
            self.important_list.addItem(self.tr("(none)"))
        self.grids_list.clear()
        for g in a.grids:
            manager = f"{g.manager} {g.manager_phone}".strip() or self.tr("no manager")
            self.grids_list.addItem(f"{g.name}　{g.customers:,}　{manager}")
        self.places_list.clear()
        for p in a.places:
            where = f"{p.name}（{p.community}）" if p.name else p.community
            buildings = "、".join(p.buildings[:12]) + ("…" if len(p.buildings) > 12 else "")
            self.places_list.addItem(f"{where}　{p.customers:,}　{buildings}".rstrip())

        self.notify_model.set_rows(result.notifications)
        pending = sum(1 for n in result.notifications if n.pending)
        self.pending_label.setText(
            self.tr("{told} told, {pending} still to tell").format(
                told=len(result.notifications) - pending, pending=pending
            )
            if result.notifications
            else self.tr("No messages prepared yet: press “Prepare messages”.")
        )
        self.pending_label.setStyleSheet(f"color: {WARNING_COLOR};" if pending else "")
        self.message_view.clear()
        self._update_buttons()

    def _update_buttons(self) -> None:
        row = self.detail.detail.row if self.detail is not None else None
        status = row.status if row is not None else None

        def allow(button: QPushButton, condition: bool) -> None:
            button.setEnabled(bool(button.property("allowed")) and condition)

        allow(self.start_button, status is OutageStatus.announced)
        allow(self.restore_button, status is OutageStatus.in_progress)
        allow(self.cancel_button, status is OutageStatus.announced)
        allow(self.print_button, row is not None)
        allow(
            self.generate_button,
            status in (OutageStatus.announced, OutageStatus.in_progress, OutageStatus.cancelled),
        )
        allow(self.restoration_button, status is OutageStatus.restored)
        allow(self.export_button, row is not None)
        selected = self.selected_notifications() if row is not None else []
        allow(self.copy_button, bool(selected))
        allow(self.sent_button, any(n.pending for n in selected))
        allow(self.accept_button, bool(self.proposals))

    # ---- writes

    def _write(
        self,
        what: str,
        fn: Callable[[Session, Actor], object],
        after: Callable[[Any], None] | None = None,
    ) -> None:
        """Run a service write on a worker; on success tell the other pages and reload."""
        db, actor = self.ctx.db, self.actor
        self._busy += 1

        def work(_p: object) -> object:
            with db.write() as session:
                return fn(session, actor)

        def done(result: object) -> None:
            self._busy -= 1
            self.ctx.events.changed.emit(what)
            if after is not None:
                after(result)
            self._refresh_detail = True
            self.reload()

        def failed(error: BaseException) -> None:
            self._busy -= 1
            show_message(self, error_text(error))

        run_in_background(self, work, on_success=done, on_failure=failed)

    def _current_id(self) -> int | None:
        row = self.detail.detail.row if self.detail is not None else None
        return row.id if row is not None else None

    def _ask_reason(self) -> str | None:
        dialog = ReasonDialog(self.tr("Cancel the outage"), self.tr("Why"), self)
        return dialog.text() if dialog.exec() else None

    def _ask_pdf_path(self, suggested: str) -> Path | None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save the notice"), suggested, self.tr("PDF (*.pdf)")
        )
        return Path(path) if path else None

    # ---- slots

    def _on_filter_changed(self, _index: int) -> None:
        self.reload()

    def _on_table_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = self.current_outage()
        if row is None:
            self._show_detail(None)
        elif self.detail is None or self.detail.detail.row.id != row.id:
            self._load_detail(row.id)

    def _on_notify_table_current_row_changed(
        self, current: QModelIndex, _previous: QModelIndex
    ) -> None:
        row = self.notify_proxy.data(current, ROW_ROLE) if current.isValid() else None
        self.message_view.setPlainText(row.message if row is not None else "")
        self._update_buttons()

    def _on_notify_table_selection_changed(self, *_args: object) -> None:
        self._update_buttons()

    def _on_new_button_clicked(self) -> AnnounceDialog:
        with self.ctx.db.read() as session:
            choices = outage_svc.scope_choices(session)
        dialog = AnnounceDialog(self.ctx, choices, self)
        dialog.accepted.connect(lambda: self._after_announce(dialog.result_id))
        dialog.open()
        return dialog

    def _after_announce(self, outage_id: int | None) -> None:
        self.ctx.events.changed.emit("outage")
        self._want_select = outage_id
        if self.status_filter.currentIndex() != 0:
            self.status_filter.setCurrentIndex(0)  # reloads
        else:
            self.reload()

    def _on_templates_button_clicked(self) -> TemplateDialog:
        dialog = TemplateDialog(self.ctx, self, outage_id=self._current_id())
        dialog.open()
        return dialog

    def _on_accept_button_clicked(self) -> None:
        if not self.proposals:
            return
        proposal = self.proposals[0]
        self._write(
            "outage",
            lambda s, a: outage_svc.accept_fault_proposal(session=s, actor=a, proposal=proposal),
        )

    def _on_start_button_clicked(self) -> None:
        oid, version = self._current_id(), self._version()
        if oid is not None:
            self._write(
                "outage",
                lambda s, a: outage_svc.start(
                    session=s, actor=a, outage_id=oid, expected_version=version
                ),
            )

    def _on_restore_button_clicked(self) -> None:
        oid, version = self._current_id(), self._version()
        if oid is not None:
            self._write(
                "outage",
                lambda s, a: outage_svc.restore(
                    session=s, actor=a, outage_id=oid, expected_version=version
                ),
            )

    def _on_cancel_button_clicked(self) -> None:
        oid, version = self._current_id(), self._version()
        if oid is None:
            return
        reason = self.ask_reason()
        if reason is None:
            return
        self._write(
            "outage",
            lambda s, a: outage_svc.cancel(
                session=s, actor=a, outage_id=oid, reason=reason, expected_version=version
            ),
        )

    def _version(self) -> int | None:
        return self.detail.detail.row.version if self.detail is not None else None

    def _on_print_button_clicked(self) -> None:
        oid = self._current_id()
        if oid is None:
            return
        path = self.ask_pdf_path(f"停电通知_{oid}.pdf")
        if path is None:
            return
        db, actor = self.ctx.db, self.actor
        self._busy += 1

        def done(saved: Path) -> None:
            self._busy -= 1
            self.status_label.setText(self.tr("Notice saved: {path}").format(path=str(saved)))

        def failed(error: BaseException) -> None:
            self._busy -= 1
            show_message(self, error_text(error))

        run_in_background(
            self,
            lambda _p: save_notice_pdf(db, actor, oid, path),
            on_success=done,
            on_failure=failed,
        )

    def _generate(self, kind: str) -> None:
        oid = self._current_id()
        if oid is not None:
            self._write(
                "outage_notification",
                lambda s, a: notice_svc.generate(session=s, actor=a, outage_id=oid, kind=kind),
                after=lambda n: self.status_label.setText(
                    self.tr("{count} message(s) added").format(count=n)
                ),
            )

    def _on_generate_button_clicked(self) -> None:
        row = self.detail.detail.row if self.detail is not None else None
        if row is not None:  # a notice, or the news that it is called off
            self._generate(notice_svc.kind_for(row.status))

    def _on_restoration_button_clicked(self) -> None:
        self._generate(notice_svc.RESTORATION)

    def _on_copy_button_clicked(self) -> None:
        rows = self.selected_notifications()
        if not rows:
            return
        text = "\n\n".join(dict.fromkeys(r.message for r in rows))
        clipboard = QGuiApplication.clipboard()
        if clipboard is not None:
            clipboard.setText(text)
        self.status_label.setText(self.tr("Message copied: paste it into WeChat or SMS."))

    def _on_sent_button_clicked(self) -> None:
        ids = [r.id for r in self.selected_notifications() if r.pending]
        channel = NotifyChannel(self.channel_box.currentData())
        if not ids:
            return

        def mark(s: Session, a: Actor) -> int:
            at = dt.datetime.now().replace(microsecond=0)
            for i in ids:
                notice_svc.mark_sent(
                    session=s,
                    actor=a,
                    notification_id=i,
                    channel=channel,
                    at=at,
                )
            return len(ids)

        self._write("outage_notification", mark)

    def _on_export_button_clicked(self) -> None:
        oid = self._current_id()
        if oid is None:
            return
        asked = self.ask_path(self, f"停电通知联系人_{oid}.xlsx", self.actor.may(Permission.unmask))
        if asked is None:
            return
        path, full = asked
        db, actor = self.ctx.db, self.actor
        kind = (
            notice_svc.kind_for(self.detail.detail.row.status)
            if self.detail is not None
            else notice_svc.NOTICE
        )
        self._busy += 1

        def done(count: int) -> None:
            self._busy -= 1
            self.status_label.setText(
                self.tr("{count} contact(s) exported to {path}").format(count=count, path=path)
            )

        def failed(error: BaseException) -> None:
            self._busy -= 1
            show_message(self, error_text(error))

        run_in_background(
            self,
            lambda _p: notice_svc.export_contacts(
                db, actor, oid, path, kind=kind, full_phones=full
            ),
            on_success=done,
            on_failure=failed,
        )

    def _on_data_changed(self, what: str) -> None:
        if what in ("call", "work_order") and self.isVisible():
            self.reload()
