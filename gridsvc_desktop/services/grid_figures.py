"""Grid figures: customers by category and metering, transformer areas, feeders,
staff, contacts, open and overdue work orders, arrears; for one grid or all.

Everything is counted by the database in a handful of GROUP BY queries over
indexed columns (customer.transformer_area_id, transformer_area.grid_id,
work_order (grid_id, status), contact.grid_id, arrears.customer_id); Python only
folds the per-transformer-area rows (a few thousand at county scale) into grids,
never a row per customer. The customer count per transformer area comes out of
the same query, for the tree.

Which grid a figure belongs to:
- customers and arrears: the grid of the customer's transformer area (customers
  follow their area when it moves);
- work orders: the order's own `grid_id` (an order keeps its grid until it is
  reassigned, see services.grids);
- contacts: `contact.grid_id` (the grid of the contact's community);
- staff: active people with a place in the grid (manager or member), counted
  once however many places they hold; feeders: distinct feeders of the grid's
  areas (so a town's figure is not the sum of its grids' where lines cross).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from gridsvc_desktop.db.models import (
    Arrears,
    Contact,
    Customer,
    Grid,
    GridMember,
    Staff,
    TransformerArea,
    WorkOrder,
)
from gridsvc_desktop.domain.enums import ArrearsStatus, CustomerCategory, Metering
from gridsvc_desktop.services.customers import OPEN_ORDER_STATUSES


@dataclass
class Figures:
    """The figures of one grid, or of any set of grids added together."""

    customers: int = 0
    by_category: dict[CustomerCategory, int] = field(
        default_factory=lambda: dict.fromkeys(CustomerCategory, 0)
    )
    by_metering: dict[Metering, int] = field(default_factory=lambda: dict.fromkeys(Metering, 0))
    transformer_areas: int = 0
    feeder_ids: set[int] = field(default_factory=set)
    staff_ids: set[int] = field(default_factory=set)
    contacts: int = 0
    open_orders: int = 0
    overdue_orders: int = 0
    arrears_customers: int = 0
    arrears_fen: int = 0

    @property
    def feeders(self) -> int:
        return len(self.feeder_ids)

    @property
    def staff(self) -> int:
        return len(self.staff_ids)

    def add(self, other: Figures) -> None:
        self.customers += other.customers
        for cat, n in other.by_category.items():
            self.by_category[cat] += n
        for m, n in other.by_metering.items():
            self.by_metering[m] += n
        self.transformer_areas += other.transformer_areas
        self.feeder_ids |= other.feeder_ids
        self.staff_ids |= other.staff_ids
        self.contacts += other.contacts
        self.open_orders += other.open_orders
        self.overdue_orders += other.overdue_orders
        self.arrears_customers += other.arrears_customers
        self.arrears_fen += other.arrears_fen

    @classmethod
    def total(cls, parts: Iterable[Figures]) -> Figures:
        out = cls()
        for part in parts:
            out.add(part)
        return out


@dataclass
class FiguresReport:
    """Figures of every grid, of what belongs to none, and of the whole station."""

    by_grid: dict[int, Figures]
    no_grid: Figures
    total: Figures
    #: Customers per transformer area (areas without customers are absent).
    ta_customers: dict[int, int]
    at: dt.datetime
    elapsed_ms: float = 0.0

    def grid(self, grid_id: int) -> Figures:
        return self.by_grid.get(grid_id) or Figures()


_CATEGORY_COUNTS = [
    func.count().filter(col(Customer.category) == c).label(f"cat_{c.value}")
    for c in CustomerCategory
]
_METERING_COUNTS = [
    func.count().filter(col(Customer.metering) == m).label(f"met_{m.value}") for m in Metering
]


def _customers_by_ta(
    session: Session, ta_filter: ColumnElement[bool] | None
) -> list[tuple[int | None, int, list[int], list[int]]]:
    """(ta id, customers, counts per category, counts per metering) per area.

    Grouped on the indexed transformer_area_id, so SQLite walks the index in
    order and needs no sort.
    """
    stmt = sa_select(
        col(Customer.transformer_area_id), func.count(), *_CATEGORY_COUNTS, *_METERING_COUNTS
    ).group_by(col(Customer.transformer_area_id))
    if ta_filter is not None:
        stmt = stmt.where(ta_filter)
    n_cat = len(_CATEGORY_COUNTS)
    return [
        (r[0], int(r[1]), [int(v) for v in r[2 : 2 + n_cat]], [int(v) for v in r[2 + n_cat :]])
        for r in session.execute(stmt).all()
    ]


def _fold(
    session: Session,
    *,
    grid_id: int | None,
    only_grid: bool,
    now: dt.datetime,
) -> tuple[dict[int | None, Figures], dict[int, int]]:
    """Figures keyed by grid id (None: in no grid), optionally for one grid only."""
    out: dict[int | None, Figures] = {}

    def fig(key: int | None) -> Figures:
        f = out.get(key)
        if f is None:
            f = out[key] = Figures()
        return f

    # Transformer areas: which grid each is in, and its feeder.
    ta_stmt = sa_select(
        col(TransformerArea.id), col(TransformerArea.grid_id), col(TransformerArea.feeder_id)
    )
    if only_grid:
        ta_stmt = ta_stmt.where(col(TransformerArea.grid_id) == grid_id)
    ta_grid: dict[int, int | None] = {}
    for ta_id, g, feeder in session.execute(ta_stmt).all():
        ta_grid[ta_id] = g
        f = fig(g)
        f.transformer_areas += 1
        if feeder is not None:
            f.feeder_ids.add(feeder)

    # Customers, by area, folded into grids.
    categories, meterings = list(CustomerCategory), list(Metering)
    ta_filter = None
    if only_grid:
        ta_filter = col(Customer.transformer_area_id).in_(
            sa_select(col(TransformerArea.id)).where(col(TransformerArea.grid_id) == grid_id)
        )
    ta_customers: dict[int, int] = {}
    for ta_id, n, cats, mets in _customers_by_ta(session, ta_filter):
        if ta_id is not None:
            ta_customers[ta_id] = n
        f = fig(ta_grid.get(ta_id) if ta_id is not None else None)
        f.customers += n
        for cat, k in zip(categories, cats, strict=True):
            f.by_category[cat] += k
        for m, k in zip(meterings, mets, strict=True):
            f.by_metering[m] += k

    # Arrears still owed, by the customer's area.
    arrears_stmt = (
        sa_select(
            col(Customer.transformer_area_id),
            func.count(func.distinct(col(Arrears.customer_id))),
            func.sum(col(Arrears.amount_fen)),
        )
        .join(Customer, col(Customer.id) == col(Arrears.customer_id))
        .where(col(Arrears.status) != ArrearsStatus.paid)
        .group_by(col(Customer.transformer_area_id))
    )
    if ta_filter is not None:
        arrears_stmt = arrears_stmt.where(ta_filter)
    for ta_id, n, fen in session.execute(arrears_stmt).all():
        f = fig(ta_grid.get(ta_id) if ta_id is not None else None)
        f.arrears_customers += int(n)
        f.arrears_fen += int(fen or 0)

    # Staff: active people holding a place (or the manager's seat) in a grid.
    staff_stmt = (
        sa_select(col(GridMember.grid_id), col(GridMember.staff_id))
        .join(Staff, col(Staff.id) == col(GridMember.staff_id))
        .where(col(Staff.active).is_(True))
    )
    manager_stmt = (
        sa_select(col(Grid.id), col(Grid.manager_id))
        .join(Staff, col(Staff.id) == col(Grid.manager_id))
        .where(col(Staff.active).is_(True))
    )
    if only_grid:
        staff_stmt = staff_stmt.where(col(GridMember.grid_id) == grid_id)
        manager_stmt = manager_stmt.where(col(Grid.id) == grid_id)
    for g, staff_id in [*session.execute(staff_stmt).all(), *session.execute(manager_stmt).all()]:
        fig(g).staff_ids.add(staff_id)

    # Contacts, by their grid link.
    contact_stmt = sa_select(col(Contact.grid_id), func.count()).group_by(col(Contact.grid_id))
    if only_grid:
        contact_stmt = contact_stmt.where(col(Contact.grid_id) == grid_id)
    for g, n in session.execute(contact_stmt).all():
        fig(g).contacts += int(n)

    # Open and overdue work orders, by the order's own grid (index grid_id, status).
    order_stmt = (
        sa_select(
            col(WorkOrder.grid_id),
            func.count(),
            func.count().filter(col(WorkOrder.resolve_due) < now),
        )
        .where(col(WorkOrder.status).in_(OPEN_ORDER_STATUSES))
        .group_by(col(WorkOrder.grid_id))
    )
    if only_grid:
        order_stmt = order_stmt.where(col(WorkOrder.grid_id) == grid_id)
    for g, n, late in session.execute(order_stmt).all():
        f = fig(g)
        f.open_orders += int(n)
        f.overdue_orders += int(late)
    return out, ta_customers


def all_grid_figures(session: Session, *, now: dt.datetime | None = None) -> FiguresReport:
    """Figures of every grid, of what is in no grid, and of the station."""
    started = time.perf_counter()
    at = now or dt.datetime.now()
    folded, ta_customers = _fold(session, grid_id=None, only_grid=False, now=at)
    grid_ids = [int(g) for g in session.execute(sa_select(col(Grid.id))).scalars()]
    by_grid = {g: folded.get(g) or Figures() for g in grid_ids}
    no_grid = folded.get(None) or Figures()
    total = Figures.total([*by_grid.values(), no_grid])
    return FiguresReport(
        by_grid=by_grid,
        no_grid=no_grid,
        total=total,
        ta_customers=ta_customers,
        at=at,
        elapsed_ms=(time.perf_counter() - started) * 1000,
    )


def grid_figures(session: Session, grid_id: int, *, now: dt.datetime | None = None) -> Figures:
    """Figures of one grid, counted over that grid's rows only."""
    folded, _ = _fold(session, grid_id=grid_id, only_grid=True, now=now or dt.datetime.now())
    return folded.get(grid_id) or Figures()


def ta_customer_counts(session: Session, ta_ids: Iterable[int]) -> dict[int, int]:
    """Customers per transformer area (index only), for the given areas."""
    ids = list(ta_ids)
    if not ids:
        return {}
    stmt = (
        sa_select(col(Customer.transformer_area_id), func.count())
        .where(col(Customer.transformer_area_id).in_(ids))
        .group_by(col(Customer.transformer_area_id))
    )
    return {int(t): int(n) for t, n in session.execute(stmt).all()}


def change_stamp(session: Session) -> tuple[int, int, int]:
    """A cheap fingerprint of "has anything changed?": the last audit row, the last
    ledger import and the number of customers (each one index lookup).

    Every service write appends an audit row, an import leaves a batch row, and a
    bulk load (demo county) changes the customer count; a view polls this and
    recounts only when it moves.
    """
    from gridsvc_desktop.db.models import AuditLog, ImportBatch

    last_audit = session.execute(sa_select(func.max(col(AuditLog.id)))).scalar()
    last_import = session.execute(sa_select(func.max(col(ImportBatch.id)))).scalar()
    customers = session.execute(sa_select(func.count()).select_from(Customer)).scalar()
    return (int(last_audit or 0), int(last_import or 0), int(customers or 0))


def format_figures(session: Session, report: FiguresReport) -> str:
    """Every grid's figures as a plain-text table (for `gridsvc grids figures`)."""
    names = {
        int(gid): (code, name)
        for gid, code, name in session.execute(
            sa_select(col(Grid.id), col(Grid.code), col(Grid.name)).order_by(col(Grid.code))
        ).all()
    }
    head = ("编号", "网格", "客户", "居民", "非居民", "台区", "线路", "人员", "联系人",
            "未办结", "超期", "欠费户", "欠费(元)")  # fmt: skip

    def cells(code: str, name: str, f: Figures) -> list[str]:
        residents = f.by_category[CustomerCategory.residential]
        return [
            code, name, f"{f.customers:,}", f"{residents:,}", f"{f.customers - residents:,}",
            f"{f.transformer_areas:,}", str(f.feeders), str(f.staff), f"{f.contacts:,}",
            str(f.open_orders), str(f.overdue_orders), f"{f.arrears_customers:,}",
            f"{f.arrears_fen / 100:,.2f}",
        ]  # fmt: skip

    rows = [cells(code, name, report.grid(gid)) for gid, (code, name) in names.items()]
    rows.append(cells("", "（不属于任何网格）", report.no_grid))
    rows.append(cells("", "全所合计", report.total))

    def width(text: str) -> int:  # CJK characters take two columns in a terminal
        return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)

    table = [list(head), *rows]
    widths = [max(width(r[i]) for r in table) for i in range(len(head))]
    lines = []
    for r in table:
        parts = []
        for i, text in enumerate(r):
            pad = " " * (widths[i] - width(text))
            parts.append(text + pad if i < 2 else pad + text)
        lines.append("  ".join(parts).rstrip())
    lines.append(f"（统计于 {report.at:%Y-%m-%d %H:%M}，用时 {report.elapsed_ms:.0f} 毫秒）")
    return "\n".join(lines)
