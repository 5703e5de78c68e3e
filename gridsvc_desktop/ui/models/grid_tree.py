"""The grid tree: town → community → grid → transformer areas, with figures.

Built in one go from a `GridLayout` (structure) and a `FiguresReport` (counts);
a county has a few hundred grids and a few thousand transformer areas, so the
whole tree fits comfortably in memory. Transformer areas in no grid hang under
a node of their own at the top, so they can be selected and moved. A grid on
no community hangs under "grids without a community".

Each index answers NODE_ROLE with its `Node` (kind + id) and SORT_ROLE with a
number for numeric columns, so a QSortFilterProxyModel sorts siblings
properly and filters recursively by name.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import IntEnum, StrEnum
from typing import Any

from gridsvc_desktop.services.grid_figures import Figures, FiguresReport
from gridsvc_desktop.services.grids import AreaInfo, GridInfo, GridLayout, TAInfo
from gridsvc_desktop.ui import format as fmt
from gridsvc_desktop.ui.qt import (
    QAbstractItemModel,
    QBrush,
    QColor,
    QFont,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

AnyIndex = QModelIndex | QPersistentModelIndex
NODE_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
WARN = QColor("#c0392b")
MUTED = QColor("#7a8591")


class NodeKind(StrEnum):
    town = "town"
    community = "community"
    grid = "grid"
    ta = "ta"
    no_grid = "no_grid"  # transformer areas in no grid
    no_community = "no_community"  # grids on no community


class Column(IntEnum):
    NAME = 0
    MANAGER = 1
    CUSTOMERS = 2
    TAS = 3
    STAFF = 4
    OPEN = 5
    OVERDUE = 6
    ARREARS = 7


@dataclass(eq=False)
class Node:
    kind: NodeKind
    id: int
    name: str
    parent: Node | None = None
    children: list[Node] = field(default_factory=list)
    figures: Figures | None = None
    grid: GridInfo | None = None
    ta: TAInfo | None = None
    customers: int = 0  # for a transformer area
    area_class: str = ""
    row: int = 0

    @property
    def key(self) -> tuple[str, int]:
        return (self.kind.value, self.id)

    def add(self, child: Node) -> Node:
        child.parent = self
        child.row = len(self.children)
        self.children.append(child)
        return child

    def walk(self) -> Iterator[Node]:
        yield self
        for c in self.children:
            yield from c.walk()


class GridTreeModel(QAbstractItemModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._root = Node(NodeKind.town, 0, "")
        self._by_key: dict[tuple[str, int], Node] = {}
        self._bold = QFont()
        self._bold.setBold(True)

    # ---- content

    def set_data(self, layout: GridLayout, report: FiguresReport | None) -> None:
        self.beginResetModel()
        self._root = build_tree(
            layout,
            report,
            no_grid_title=self.tr("Transformer areas in no grid"),
            no_community_title=self.tr("Grids on no community"),
        )
        self._by_key = {n.key: n for n in self._root.walk() if n is not self._root}
        self.endResetModel()

    def node(self, index: AnyIndex) -> Node | None:
        if not index.isValid():
            return None
        node = index.internalPointer()
        return node if isinstance(node, Node) else None

    def find(self, kind: NodeKind, node_id: int) -> QModelIndex:
        node = self._by_key.get((kind.value, node_id))
        if node is None or node.parent is None:
            return QModelIndex()
        return self.createIndex(node.row, 0, node)

    def top_level(self) -> list[Node]:
        return list(self._root.children)

    def nodes(self) -> Iterator[Node]:
        for child in self._root.children:
            yield from child.walk()

    # ---- QAbstractItemModel

    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if column < 0 or column >= len(Column):
            return QModelIndex()
        owner = self.node(parent) if parent.isValid() else self._root
        if owner is None or not 0 <= row < len(owner.children):
            return QModelIndex()
        return self.createIndex(row, column, owner.children[row])

    def parent(self, index: AnyIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        node = self.node(index)
        if node is None or node.parent is None or node.parent is self._root:
            return QModelIndex()
        return self.createIndex(node.parent.row, 0, node.parent)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid():
            if parent.column() != 0:
                return 0
            node = self.node(parent)
            return len(node.children) if node is not None else 0
        return len(self._root.children)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return len(Column)

    def hasChildren(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        return self.rowCount(parent) > 0

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        node = self.node(index)
        if node is not None and not node.children:
            flags |= Qt.ItemFlag.ItemNeverHasChildren
        return flags

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation != Qt.Orientation.Horizontal
            or role != Qt.ItemDataRole.DisplayRole
            or not 0 <= section < len(Column)
        ):
            return None
        return self.column_titles()[section]

    def column_titles(self) -> list[str]:
        return [
            self.tr("Town / community / grid / transformer area"),
            self.tr("Manager"),
            self.tr("Customers"),
            self.tr("Areas"),
            self.tr("Staff"),
            self.tr("Open orders"),
            self.tr("Overdue"),
            self.tr("Arrears"),
        ]

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        node = self.node(index)
        if node is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(node, column)
        if role == SORT_ROLE:
            return self._sort_value(node, column)
        if role == NODE_ROLE:
            return node
        if role == Qt.ItemDataRole.ToolTipRole and column == Column.NAME:
            return self._tooltip(node)
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= Column.CUSTOMERS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and node.kind in (NodeKind.grid, NodeKind.no_grid):
            return self._bold if column == Column.NAME else None
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._colour(node, column)
        return None

    # ---- cells

    def _text(self, node: Node, column: int) -> str:
        if column == Column.NAME:
            return node.name
        if node.kind == NodeKind.ta:
            return f"{node.customers:,}" if column == Column.CUSTOMERS else ""
        if column == Column.MANAGER:
            if node.grid is None:
                return ""
            if not node.grid.manager:
                return self.tr("(none)")
            if not node.grid.manager_active:
                return self.tr("{name} (inactive)").format(name=node.grid.manager)
            return node.grid.manager
        f = node.figures
        if f is None:
            return "…"
        match column:
            case Column.CUSTOMERS:
                return f"{f.customers:,}"
            case Column.TAS:
                return f"{f.transformer_areas:,}"
            case Column.STAFF:
                return f"{f.staff:,}" if node.kind != NodeKind.no_grid else ""
            case Column.OPEN:
                return f"{f.open_orders:,}"
            case Column.OVERDUE:
                return f"{f.overdue_orders:,}"
            case Column.ARREARS:
                return fmt.money(f.arrears_fen) if f.arrears_fen else "—"
        return ""

    def _sort_value(self, node: Node, column: int) -> Any:
        if column == Column.NAME:
            return node.name
        if column == Column.MANAGER:
            return node.grid.manager if node.grid else ""
        if node.kind == NodeKind.ta:
            return node.customers if column == Column.CUSTOMERS else 0
        f = node.figures
        if f is None:
            return 0
        return {
            Column.CUSTOMERS: f.customers,
            Column.TAS: f.transformer_areas,
            Column.STAFF: f.staff,
            Column.OPEN: f.open_orders,
            Column.OVERDUE: f.overdue_orders,
            Column.ARREARS: f.arrears_fen,
        }.get(Column(column), 0)

    def _colour(self, node: Node, column: int) -> QBrush | None:
        grid = node.grid
        if (
            column == Column.MANAGER
            and grid is not None
            and not (grid.manager and grid.manager_active)
        ):
            return QBrush(WARN)
        if column == Column.OVERDUE and node.figures is not None and node.figures.overdue_orders:
            return QBrush(WARN)
        if node.kind == NodeKind.no_grid and column == Column.NAME and node.children:
            return QBrush(WARN)
        if node.kind == NodeKind.ta and node.customers == 0 and column == Column.CUSTOMERS:
            return QBrush(MUTED)
        return None

    def _tooltip(self, node: Node) -> str:
        if node.ta is not None:
            ta = node.ta
            parts = [f"{ta.name}（{ta.code}）"]
            if ta.feeder:
                parts.append(ta.feeder)
            if ta.capacity_kva:
                parts.append(f"{ta.capacity_kva} kVA")
            return " · ".join(parts)
        if node.grid is not None:
            g = node.grid
            return f"{g.name}（{g.code}） · {g.area_class.label} · {g.service_mode.label}"
        return node.name


def build_tree(
    layout: GridLayout,
    report: FiguresReport | None,
    *,
    no_grid_title: str,
    no_community_title: str,
) -> Node:
    """The tree's nodes, with each town's and community's figures summed from its grids."""
    root = Node(NodeKind.town, 0, "")
    tas_of: dict[int | None, list[TAInfo]] = {}
    for ta in layout.transformer_areas:
        tas_of.setdefault(ta.grid_id, []).append(ta)
    grids_of: dict[int | None, list[GridInfo]] = {}
    for g in layout.grids:
        grids_of.setdefault(g.community_id, []).append(g)
    ta_customers = report.ta_customers if report is not None else {}

    def grid_node(g: GridInfo) -> Node:
        node = Node(NodeKind.grid, g.id, f"{g.name}（{g.code}）", grid=g)
        node.area_class = g.area_class.label
        node.figures = report.grid(g.id) if report is not None else None
        for ta in tas_of.get(g.id, []):
            node.add(ta_node(ta))
        return node

    def ta_node(ta: TAInfo) -> Node:
        return Node(
            NodeKind.ta,
            ta.id,
            f"{ta.name}（{ta.code}）",
            ta=ta,
            customers=ta_customers.get(ta.id, 0),
        )

    def summed(children: list[Node]) -> Figures | None:
        if report is None:
            return None
        return Figures.total(c.figures for c in children if c.figures is not None)

    if tas_of.get(None):
        orphans = root.add(Node(NodeKind.no_grid, 0, no_grid_title))
        for ta in tas_of[None]:
            orphans.add(ta_node(ta))
        orphans.figures = report.no_grid if report is not None else None
    known_communities = {c.id for c in layout.communities}
    town_ids = {t.id for t in layout.towns}

    def community_node(community: AreaInfo) -> Node:
        c_node = Node(
            NodeKind.community, community.id, community.name, area_class=community.area_class.label
        )
        for g in grids_of.get(community.id, []):
            c_node.add(grid_node(g))
        c_node.figures = summed(c_node.children)
        return c_node

    for town in layout.towns:
        town_node = Node(NodeKind.town, town.id, town.name, area_class=town.area_class.label)
        for community in layout.communities:
            if community.parent_id == town.id:
                town_node.add(community_node(community))
        town_node.figures = summed(town_node.children)
        root.add(town_node)
    for community in layout.communities:
        if community.parent_id not in town_ids:
            root.add(community_node(community))
    homeless = [
        g for cid, gs in grids_of.items() if cid is None or cid not in known_communities for g in gs
    ]
    if homeless:
        holder = root.add(Node(NodeKind.no_community, 0, no_community_title))
        for g in homeless:
            holder.add(grid_node(g))
        holder.figures = summed(holder.children)
    return root
