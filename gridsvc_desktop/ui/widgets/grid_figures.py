"""The panel beside the grid tree: what the selected grid (or town, community,
transformer area) is, and its figures.

A read-only view of data the page already loaded (a tree `Node` and the grid
places); buttons only ask the page to act (signals). Plain-text labels only.
"""

from __future__ import annotations

from gridsvc_desktop.domain.enums import CustomerCategory, Metering
from gridsvc_desktop.domain.masking import mask_phone
from gridsvc_desktop.services.grid_figures import Figures
from gridsvc_desktop.services.roster import Placement
from gridsvc_desktop.ui import format as fmt
from gridsvc_desktop.ui.models.grid_tree import Node, NodeKind
from gridsvc_desktop.ui.qt import (
    QFont,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)

WARNING_COLOR = "#c0392b"
SECONDARY_COLOR = "#5f6b7a"
HEADER_COLOR = "#1f5fa8"


def _label(text: str, name: str = "") -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if name:
        label.setObjectName(name)
    return label


class GridFiguresPanel(QScrollArea):
    #: grid id
    edit_grid_requested = Signal(int)
    members_requested = Signal(int)
    #: transformer area ids to move
    move_requested = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("grid_figures")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMinimumWidth(320)
        self._node: Node | None = None
        self.show_placeholder()

    @property
    def node(self) -> Node | None:
        return self._node

    def show_placeholder(self, text: str = "") -> None:
        self._node = None
        page = QWidget()
        layout = QVBoxLayout(page)
        label = _label(text or self.tr("Select a town, community, grid or transformer area."))
        label.setObjectName("figures_message")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setStyleSheet(f"color: {SECONDARY_COLOR};")
        layout.addStretch(1)
        layout.addWidget(label)
        layout.addStretch(2)
        self._replace(page)

    def show_node(
        self, node: Node, places: list[Placement] | None = None, *, unmask: bool = False
    ) -> None:
        self._node = node
        self._replace(self._build(node, places or [], unmask))

    def _replace(self, page: QWidget) -> None:
        old = self.takeWidget()
        self.setWidget(page)
        if old is not None:
            old.deleteLater()

    # ---- building

    def _build(self, node: Node, places: list[Placement], unmask: bool) -> QWidget:
        self._keys: list[QLabel] = []
        page = QWidget()
        page.setObjectName("figures_page")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(16, 12, 16, 16)
        layout.setSpacing(6)
        title = _label(node.name, "figures_title")
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        title.setFont(font)
        layout.addWidget(title)
        subtitle = _label(self._subtitle(node), "figures_subtitle")
        subtitle.setStyleSheet(f"color: {SECONDARY_COLOR};")
        layout.addWidget(subtitle)
        layout.addLayout(self._actions(node))

        if node.kind == NodeKind.grid and node.grid is not None:
            self._grid_section(layout, node, places, unmask)
        if node.kind == NodeKind.ta and node.ta is not None:
            self._ta_section(layout, node)
        elif node.figures is not None:
            self._figures_sections(layout, node.figures, node.kind)
        elif node.kind != NodeKind.ta:
            layout.addWidget(_label(self.tr("Counting…"), "figures_pending"))
        layout.addStretch(1)
        if self._keys:  # one column of labels down the whole panel
            width = max(k.sizeHint().width() for k in self._keys)
            for k in self._keys:
                k.setMinimumWidth(width)
                k.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return page

    def _subtitle(self, node: Node) -> str:
        match node.kind:
            case NodeKind.town:
                return self.tr("Town or street · {cls}").format(cls=node.area_class)
            case NodeKind.community:
                return self.tr("Community or village · {cls}").format(cls=node.area_class)
            case NodeKind.grid if node.grid is not None:
                g = node.grid
                return f"{g.area_class.label} · {g.service_mode.label}"
            case NodeKind.ta if node.ta is not None:
                return self.tr("Transformer area")
            case NodeKind.no_grid:
                return self.tr("Transformer areas that no grid answers for")
        return ""

    def _section(self, layout: QVBoxLayout, title: str) -> QFormLayout:
        header = _label(title)
        font = QFont(header.font())
        font.setBold(True)
        header.setFont(font)
        header.setStyleSheet(f"color: {HEADER_COLOR}; padding-top: 8px;")
        layout.addWidget(header)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setStyleSheet("color: #d5dce5;")
        layout.addWidget(line)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.setHorizontalSpacing(12)
        form.setVerticalSpacing(4)
        layout.addLayout(form)
        return form

    def _row(
        self, form: QFormLayout, label: str, value: str, name: str, *, warn: bool = False
    ) -> None:
        key = _label(label)
        key.setWordWrap(False)
        key.setStyleSheet(f"color: {SECONDARY_COLOR};")
        self._keys.append(key)
        val = _label(value, name)
        if warn:
            val.setStyleSheet(f"color: {WARNING_COLOR};")
        form.addRow(key, val)

    def _grid_section(
        self, layout: QVBoxLayout, node: Node, places: list[Placement], unmask: bool
    ) -> None:
        g = node.grid
        assert g is not None
        form = self._section(layout, self.tr("Who answers for it"))
        if not g.manager:
            self._row(
                form, self.tr("Manager"), self.tr("No manager assigned"), "fig_manager", warn=True
            )
        else:
            phone = g.manager_phone if unmask else mask_phone(g.manager_phone)
            text = f"{g.manager}　{phone}".strip()
            if not g.manager_active:
                text = self.tr("{name} (inactive)").format(name=text)
            self._row(form, self.tr("Manager"), text, "fig_manager", warn=not g.manager_active)
        members = [p for p in places if p.staff_id != g.manager_id]
        if members:
            names = "、".join(
                p.staff if p.active else self.tr("{name} (inactive)").format(name=p.staff)
                for p in members
            )
            self._row(form, self.tr("Team"), names, "fig_members")
        self._row(form, self.tr("Code"), g.code, "fig_code")
        if g.notes:
            self._row(form, self.tr("Notes"), g.notes, "fig_notes")

    def _ta_section(self, layout: QVBoxLayout, node: Node) -> None:
        ta = node.ta
        assert ta is not None
        form = self._section(layout, self.tr("Transformer area"))
        self._row(form, self.tr("Code"), ta.code, "fig_ta_code")
        self._row(form, self.tr("Feeder"), ta.feeder or "—", "fig_feeder")
        capacity = f"{ta.capacity_kva} kVA" if ta.capacity_kva else self.tr("unknown")
        self._row(form, self.tr("Capacity"), capacity, "fig_capacity", warn=not ta.capacity_kva)
        self._row(form, self.tr("Customers"), f"{node.customers:,}", "fig_customers")
        parent = node.parent
        grid = parent.name if parent is not None and parent.kind == NodeKind.grid else ""
        self._row(
            form,
            self.tr("Grid"),
            grid or self.tr("In no grid"),
            "fig_ta_grid",
            warn=not grid,
        )

    def _figures_sections(self, layout: QVBoxLayout, f: Figures, kind: NodeKind) -> None:
        form = self._section(layout, self.tr("Customers by category"))
        self._row(form, self.tr("All"), f"{f.customers:,}", "fig_customers")
        for cat in CustomerCategory:
            self._row(form, cat.label, f"{f.by_category[cat]:,}", f"fig_cat_{cat.value}")
        form = self._section(layout, self.tr("Customers by metering"))
        for m in Metering:
            self._row(form, m.label, f"{f.by_metering[m]:,}", f"fig_met_{m.value}")

        form = self._section(layout, self.tr("Network and people"))
        self._row(form, self.tr("Transformer areas"), f"{f.transformer_areas:,}", "fig_tas")
        self._row(form, self.tr("Feeders"), f"{f.feeders:,}", "fig_feeders")
        if kind != NodeKind.no_grid:
            self._row(form, self.tr("Staff"), f"{f.staff:,}", "fig_staff")
        self._row(form, self.tr("Community contacts"), f"{f.contacts:,}", "fig_contacts")

        form = self._section(layout, self.tr("Work and arrears"))
        self._row(form, self.tr("Open work orders"), f"{f.open_orders:,}", "fig_open")
        self._row(
            form,
            self.tr("Overdue"),
            f"{f.overdue_orders:,}",
            "fig_overdue",
            warn=f.overdue_orders > 0,
        )
        arrears = (
            self.tr("{count} customer(s), {amount}").format(
                count=f"{f.arrears_customers:,}", amount=fmt.money(f.arrears_fen)
            )
            if f.arrears_customers
            else self.tr("None")
        )
        self._row(form, self.tr("Arrears"), arrears, "fig_arrears", warn=f.arrears_fen > 0)

    def _actions(self, node: Node) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setContentsMargins(0, 6, 0, 0)
        if node.kind == NodeKind.grid:
            edit = QPushButton(self.tr("Edit grid…"))
            edit.setObjectName("fig_edit_grid")
            edit.clicked.connect(lambda: self.edit_grid_requested.emit(node.id))
            members = QPushButton(self.tr("People…"))
            members.setObjectName("fig_members_button")
            members.clicked.connect(lambda: self.members_requested.emit(node.id))
            row.addWidget(edit)
            row.addWidget(members)
        elif node.kind == NodeKind.ta:
            move = QPushButton(self.tr("Move to another grid…"))
            move.setObjectName("fig_move")
            move.clicked.connect(lambda: self.move_requested.emit([node.id]))
            row.addWidget(move)
        elif node.kind == NodeKind.no_grid and node.children:
            move = QPushButton(self.tr("Put them in a grid…"))
            move.setObjectName("fig_move_all")
            move.clicked.connect(lambda: self.move_requested.emit([c.id for c in node.children]))
            row.addWidget(move)
        row.addStretch(1)
        return row
