"""工作台 (the lead's desk): open, due today, near due and overdue orders, by
grid and by person; today's calls; the on-time rate this week and month.

The figures are worked out on a worker whenever data changes (any write from
the UI announces itself on `ctx.events`; a burst of them is one refresh) and
every minute (another PC writes too, and the clock moves on), so the window
never waits for them.
"""

from __future__ import annotations

from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.services.arrears import CollectionFigures
from gridsvc_desktop.services.desk import DeskFigures, Rate, desk_figures
from gridsvc_desktop.services.sla_policy import near_due_fraction
from gridsvc_desktop.ui.background import Task, error_text, run_in_background
from gridsvc_desktop.ui.context import UiContext
from gridsvc_desktop.ui.format import money
from gridsvc_desktop.ui.models.orders_history import LoadModel
from gridsvc_desktop.ui.models.orders_table import OrderColumn, OrderTableModel
from gridsvc_desktop.ui.pages.base import Page
from gridsvc_desktop.ui.qt import (
    QAbstractItemView,
    QCoreApplication,
    QFont,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    Qt,
    QTableView,
    QTimer,
    QVBoxLayout,
    QWidget,
)
from gridsvc_desktop.ui.widgets.customer_card import WARNING_COLOR
from gridsvc_desktop.ui.widgets.stat_tile import StatTile


def load_desk(db: Database) -> tuple[DeskFigures, float]:
    """Worker: the desk's figures and the near-due setting."""
    with db.read() as s:
        return desk_figures(s), near_due_fraction(s)


def _table(name: str, model: object) -> QTableView:
    table = QTableView()
    table.setObjectName(name)
    table.setModel(model)  # type: ignore[arg-type]
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    return table


def _caption(text: str) -> QLabel:
    label = QLabel(text)
    font = QFont(label.font())
    font.setBold(True)
    label.setFont(font)
    return label


class DeskPage(Page):
    key = "desk"
    icon_name = "desk"
    REFRESH_MS = 60_000
    DEBOUNCE_MS = 300

    @classmethod
    def title(cls) -> str:
        return QCoreApplication.translate("DeskPage", "Desk")

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._generation = 0
        self._task: Task | None = None
        self.figures: DeskFigures | None = None
        self.refreshes = 0

        tiles = [
            ("open", self.tr("Open")),
            ("unassigned", self.tr("Not yet dispatched")),
            ("due_today", self.tr("Due today")),
            ("near", self.tr("Near due")),
            ("overdue", self.tr("Overdue")),
            ("awaiting_callback", self.tr("Awaiting call-back")),
            ("received_today", self.tr("Taken today")),
            ("calls_today", self.tr("Calls today")),
            ("on_time_week", self.tr("On time this week")),
            ("on_time_month", self.tr("On time this month")),
            ("arrears_owed", self.tr("Arrears owed")),
            ("arrears_collected", self.tr("Arrears collected this month")),
        ]
        self.tiles: dict[str, StatTile] = {}
        tile_grid = QGridLayout()
        tile_grid.setHorizontalSpacing(8)
        tile_grid.setVerticalSpacing(8)
        for i, (key, caption) in enumerate(tiles):
            tile = StatTile(caption, f"tile_{key}")
            self.tiles[key] = tile
            tile_grid.addWidget(tile, i // 5, i % 5)

        self.by_grid = LoadModel(lambda: self.tr("Grid"), self.tr("(no grid)"), self)
        self.by_person = LoadModel(lambda: self.tr("Person"), self.tr("(not dispatched)"), self)
        self.grid_table = _table("desk_by_grid", self.by_grid)
        self.person_table = _table("desk_by_person", self.by_person)
        for table in (self.grid_table, self.person_table):
            header = table.horizontalHeader()
            header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
            for column in range(1, 5):
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.overdue = OrderTableModel(self)
        self.overdue.unmask = ctx.unmask
        self.overdue_table = _table("desk_overdue", self.overdue)
        for column in OrderColumn:
            shown = column in (
                OrderColumn.NUMBER,
                OrderColumn.TYPE,
                OrderColumn.TIME_LEFT,
                OrderColumn.CUSTOMER,
                OrderColumn.ADDRESS,
                OrderColumn.GRID,
                OrderColumn.ASSIGNEE,
                OrderColumn.STATUS,
            )
            self.overdue_table.setColumnHidden(column, not shown)
        header = self.overdue_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(OrderColumn.ADDRESS, QHeaderView.ResizeMode.Stretch)

        self.updated_label = QLabel()
        self.updated_label.setObjectName("desk_updated")
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.setObjectName("desk_refresh")

        def boxed(title: str, table: QTableView) -> QWidget:
            box = QWidget()
            lay = QVBoxLayout(box)
            lay.setContentsMargins(0, 0, 0, 0)
            lay.addWidget(_caption(title))
            lay.addWidget(table, 1)
            return box

        loads = QSplitter(Qt.Orientation.Horizontal)
        loads.addWidget(boxed(self.tr("By grid"), self.grid_table))
        loads.addWidget(boxed(self.tr("By person"), self.person_table))
        loads.setChildrenCollapsible(False)
        lower = QSplitter(Qt.Orientation.Vertical)
        lower.addWidget(loads)
        lower.addWidget(boxed(self.tr("Most overdue"), self.overdue_table))
        lower.setChildrenCollapsible(False)
        lower.setStretchFactor(0, 3)
        lower.setStretchFactor(1, 2)

        bar = QHBoxLayout()
        bar.addWidget(_caption(self.tr("Today at the station")))
        bar.addStretch(1)
        bar.addWidget(self.updated_label)
        bar.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 6)
        layout.addLayout(bar)
        layout.addLayout(tile_grid)
        layout.addWidget(lower, 1)

        self._timer = QTimer(self)
        self._timer.setInterval(self.REFRESH_MS)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(self.DEBOUNCE_MS)
        self._timer.timeout.connect(self.refresh)
        self._debounce.timeout.connect(self.refresh)
        self.refresh_button.clicked.connect(self.refresh)
        ctx.events.changed.connect(self._on_data_changed)
        self._timer.start()
        self.refresh()

    # ---- Page

    def activated(self) -> None:
        self.refresh()

    def reload(self) -> None:
        self.refresh()

    # ---- refreshing

    def refresh(self) -> None:
        """Work the figures out again on a worker; an older answer is dropped."""
        self._generation += 1
        generation = self._generation
        if self._task is not None:
            self._task.cancel()
        db = self.ctx.db
        self.updated_label.setText(self.tr("Updating…"))
        self._task = run_in_background(
            self,
            lambda _p: load_desk(db),
            on_success=lambda result: self._on_loaded(generation, *result),
            on_failure=lambda error: self._on_failed(generation, error),
        )

    def _on_loaded(self, generation: int, fig: DeskFigures, near: float) -> None:
        if generation != self._generation:
            return
        self._task = None
        self.figures = fig
        self.refreshes += 1
        t = self.tiles
        t["open"].set_value(f"{fig.open:,}")
        t["unassigned"].set_value(
            f"{fig.unassigned:,}", style="near" if fig.unassigned else "normal"
        )
        t["due_today"].set_value(f"{fig.due_today:,}")
        t["near"].set_value(f"{fig.near:,}", style="near" if fig.near else "normal")
        t["overdue"].set_value(f"{fig.overdue:,}", style="overdue" if fig.overdue else "good")
        t["awaiting_callback"].set_value(f"{fig.awaiting_callback:,}")
        t["received_today"].set_value(f"{fig.received_today:,}")
        unlinked = (
            self.tr("{count} not linked").format(count=fig.calls_unlinked_today)
            if fig.calls_unlinked_today
            else ""
        )
        t["calls_today"].set_value(
            f"{fig.calls_today:,}",
            detail=self.tr("{count} incoming").format(count=fig.calls_inbound_today)
            + (f" · {unlinked}" if unlinked else ""),
        )
        self._rate(t["on_time_week"], fig.on_time_week)
        self._rate(t["on_time_month"], fig.on_time_month)
        if fig.collection is not None:
            self._collection(fig.collection)
        self.by_grid.set_rows(fig.by_grid)
        self.by_person.set_rows(fig.by_person)
        self.overdue.near_fraction = near
        self.overdue.set_now(fig.at)
        self.overdue.reset(fig.overdue_orders, None, sort_key=self.overdue.sort_key)
        self.updated_label.setStyleSheet("")
        self.updated_label.setText(
            self.tr("Updated at {time}").format(time=fig.at.strftime("%H:%M:%S"))
        )

    def _rate(self, tile: StatTile, rate: Rate) -> None:
        pct = rate.percent
        if pct is None:
            tile.set_value("—", detail=self.tr("nothing resolved yet"))
            return
        style = "good" if pct >= 95 else ("near" if pct >= 85 else "overdue")
        tile.set_value(
            f"{pct:.1f}%",
            style=style,
            detail=self.tr("{on_time} of {total}").format(on_time=rate.on_time, total=rate.total),
        )

    def _collection(self, c: CollectionFigures) -> None:
        owed = sum(b.fen for b in c.ageing)
        old = sum(b.fen for b in c.ageing[2:])
        self.tiles["arrears_owed"].set_value(
            money(owed),
            style="near" if old else "normal",
            detail=self.tr("{amount} over 90 days").format(amount=money(old)),
        )
        rate = c.total.rate
        self.tiles["arrears_collected"].set_value(
            money(c.total.recovered_fen),
            detail=self.tr("collection rate {rate}").format(
                rate="—" if rate is None else f"{rate:.1f}%"
            ),
        )

    def _on_failed(self, generation: int, error: BaseException) -> None:
        if generation != self._generation:
            return
        self._task = None
        self.updated_label.setStyleSheet(f"color: {WARNING_COLOR};")
        self.updated_label.setText(
            self.tr("Could not update: {error}").format(error=error_text(error))
        )

    def _on_data_changed(self, _what: str) -> None:
        self._debounce.start()
