"""The lead's desk (工作台): what is open, due today and overdue, by grid and by
person; today's calls; the on-time rate this week and this month.

One read, a handful of indexed queries: the open orders (a few thousand at
most, whatever the size of the history) are counted in Python so that
"near due", which depends on each order's own time span, needs no
store-specific date arithmetic; the on-time rates are counted in SQL over the
orders resolved in the period.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import and_, case, func, or_
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from gridsvc_desktop.db.models import Call, Grid, Staff, WorkOrder, now
from gridsvc_desktop.domain.enums import CallDirection, OrderStatus
from gridsvc_desktop.domain.order_states import OPEN_STATUSES, clock
from gridsvc_desktop.services.arrears import CollectionFigures, collection_figures
from gridsvc_desktop.services.sla_policy import near_due_fraction
from gridsvc_desktop.services.work_orders import OrderFilter, OrderRow, SortKey, list_orders

__all__ = ["DeskFigures", "Load", "Rate", "desk_figures", "period_starts"]


@dataclass
class Load:
    """Open orders of one grid or one person."""

    id: int | None
    name: str
    open: int = 0
    due_today: int = 0
    near: int = 0
    overdue: int = 0


@dataclass(frozen=True)
class Rate:
    """Orders resolved in a period, and how many within every limit."""

    on_time: int
    total: int

    @property
    def percent(self) -> float | None:
        return 100.0 * self.on_time / self.total if self.total else None


@dataclass
class DeskFigures:
    at: dt.datetime
    open: int = 0
    unassigned: int = 0
    due_today: int = 0
    near: int = 0
    overdue: int = 0
    awaiting_callback: int = 0
    received_today: int = 0
    calls_today: int = 0
    calls_inbound_today: int = 0
    calls_unlinked_today: int = 0
    on_time_week: Rate = field(default_factory=lambda: Rate(0, 0))
    on_time_month: Rate = field(default_factory=lambda: Rate(0, 0))
    by_grid: list[Load] = field(default_factory=list)
    by_person: list[Load] = field(default_factory=list)
    #: The most overdue open orders, the longest overdue first.
    overdue_orders: list[OrderRow] = field(default_factory=list)
    #: Arrears collection this month (services.arrears.collection_figures).
    collection: CollectionFigures | None = None


def period_starts(at: dt.datetime) -> tuple[dt.datetime, dt.datetime, dt.datetime]:
    """Start of today, of this week (Monday) and of this month."""
    day = dt.datetime.combine(at.date(), dt.time())
    return day, day - dt.timedelta(days=at.weekday()), day.replace(day=1)


def desk_figures(
    session: Session, *, at: dt.datetime | None = None, overdue_list: int = 12
) -> DeskFigures:
    at = at or now()
    today, week, month = period_starts(at)
    tomorrow = today + dt.timedelta(days=1)
    fraction = near_due_fraction(session)
    fig = DeskFigures(at=at)

    grids: dict[int | None, Load] = {}
    people: dict[int | None, Load] = {}
    rows = session.execute(
        sa_select(
            col(WorkOrder.grid_id),
            col(WorkOrder.assignee_id),
            col(WorkOrder.status),
            col(WorkOrder.received_at),
            col(WorkOrder.next_due),
        ).where(col(WorkOrder.status).in_(OPEN_STATUSES))
    ).all()
    for grid_id, assignee_id, status, received, due in rows:
        state = clock(
            status=status, received_at=received, deadline=due, now=at, near_fraction=fraction
        ).state
        for table, key in ((grids, grid_id), (people, assignee_id)):
            load = table.setdefault(key, Load(key, ""))
            load.open += 1
            load.overdue += state == "overdue"
            load.near += state == "near"
            load.due_today += state != "overdue" and due < tomorrow
        fig.open += 1
        fig.unassigned += assignee_id is None
        fig.overdue += state == "overdue"
        fig.near += state == "near"
        fig.due_today += state != "overdue" and due < tomorrow

    names = dict(
        session.execute(
            select(col(Grid.id), col(Grid.name)).where(
                col(Grid.id).in_([k for k in grids if k is not None])
            )
        ).all()
    )
    for key, load in grids.items():
        load.name = names.get(key, "") if key is not None else ""
    names = dict(
        session.execute(
            select(col(Staff.id), col(Staff.name)).where(
                col(Staff.id).in_([k for k in people if k is not None])
            )
        ).all()
    )
    for key, load in people.items():
        load.name = names.get(key, "") if key is not None else ""
    order = lambda ld: (-ld.overdue, -ld.due_today, -ld.open, ld.name)  # noqa: E731
    fig.by_grid = sorted(grids.values(), key=order)
    fig.by_person = sorted(people.values(), key=order)

    fig.awaiting_callback = int(
        session.execute(
            select(func.count())
            .select_from(WorkOrder)
            .where(col(WorkOrder.status) == OrderStatus.resolved)
        ).scalar_one()
    )
    fig.received_today = int(
        session.execute(
            select(func.count())
            .select_from(WorkOrder)
            .where(col(WorkOrder.received_at) >= today, col(WorkOrder.received_at) < tomorrow)
        ).scalar_one()
    )
    calls = session.execute(
        select(
            func.count(),
            func.sum(case((col(Call.direction) == CallDirection.inbound, 1), else_=0)),
            func.sum(case((col(Call.customer_id).is_(None), 1), else_=0)),
        ).where(col(Call.started_at) >= today, col(Call.started_at) < tomorrow)
    ).one()
    fig.calls_today, fig.calls_inbound_today, fig.calls_unlinked_today = (
        int(v or 0) for v in calls
    )
    fig.on_time_week = on_time_rate(session, week, at)
    fig.on_time_month = on_time_rate(session, month, at)
    fig.collection = collection_figures(session, start=month.date(), end=at.date())
    if overdue_list:
        fig.overdue_orders = list_orders(
            session,
            OrderFilter(overdue=True),
            sort=SortKey.next_due,
            descending=False,
            limit=overdue_list,
            at=at,
        )
    return fig


def on_time_rate(session: Session, start: dt.datetime, end: dt.datetime) -> Rate:
    """Of the orders resolved in [start, end], those that met every limit: the
    complainant contacted (or the order resolved) by the contact limit, the
    repair crew on site by the arrival limit, resolved by the resolve limit."""
    w = WorkOrder
    met = and_(
        col(w.resolved_at) <= col(w.resolve_due),
        or_(
            col(w.arrival_due).is_(None),
            and_(col(w.arrived_at).is_not(None), col(w.arrived_at) <= col(w.arrival_due)),
        ),
        or_(
            col(w.contact_due).is_(None),
            func.coalesce(col(w.contacted_at), col(w.resolved_at)) <= col(w.contact_due),
        ),
    )
    total, on_time = session.execute(
        select(func.count(), func.sum(case((met, 1), else_=0))).where(
            col(w.resolved_at) >= start,
            col(w.resolved_at) <= end,
            col(w.status).not_in([OrderStatus.cancelled, OrderStatus.merged]),
        )
    ).one()
    return Rate(int(on_time or 0), int(total or 0))
