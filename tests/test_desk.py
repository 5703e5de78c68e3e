"""The lead's desk figures: open, due today, near due, overdue by grid and person,
today's calls, the on-time rate of the week and the month."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import insert
from test_work_orders_sample import Desk, desk, station_template

from gridsvc_desktop.db.models import Call, WorkOrder
from gridsvc_desktop.domain.enums import CallDirection, OrderStatus, OrderType
from gridsvc_desktop.services.desk import desk_figures, on_time_rate, period_starts

FIXTURES = (
    desk,
    station_template,
)  # the sample station's fixtures, used by pytest

AT = dt.datetime(2026, 11, 25, 10, 0)  # a Wednesday
_n = iter(range(1, 10_000))


def order(
    d: Desk,
    *,
    status: OrderStatus,
    received: dt.datetime,
    due: dt.datetime,
    grid: str | None = "东关网格",
    who: str | None = "张伟",
    **extra: object,
) -> dict[str, object]:

    return {
        "number": f"GD{received:%Y%m%d}{next(_n):04d}",
        "type": OrderType.inquiry.value,
        "status": status.value,
        "grid_id": d.st.grids[grid] if grid else None,
        "assignee_id": d.st.staff[who] if who else None,
        "received_at": received,
        "resolve_due": due,
        "version": 1,
        # every row names every column (an executemany takes the first row's keys)
        **dict.fromkeys(
            ("arrival_due", "arrived_at", "resolved_at", "contact_due", "contacted_at")
        ),
        **extra,
    }


def test_desk_figures(desk: Desk) -> None:
    d = desk
    h = dt.timedelta(hours=1)
    rows = [
        # overdue (东关, 张伟)
        order(d, status=OrderStatus.dispatched, received=AT - 10 * h, due=AT - h),
        # near due: 1 h of 8 left (东关, 张伟)
        order(d, status=OrderStatus.on_site, received=AT - 7 * h, due=AT + h),
        # due later today, not near (南湖, 孙丽)
        order(
            d, status=OrderStatus.new, received=AT - h, due=AT + 6 * h, grid="南湖网格", who="孙丽"
        ),
        # open, not dispatched, due tomorrow, no grid
        order(d, status=OrderStatus.new, received=AT - h, due=AT + 30 * h, grid=None, who=None),
        # a repair not yet on site past its arrival limit: overdue although resolve is hours away
        order(
            d,
            status=OrderStatus.dispatched,
            received=AT - h,
            due=AT + 3 * h,
            arrival_due=AT - dt.timedelta(minutes=15),
            type=OrderType.repair.value,
        ),
        # resolved this week: on time / late / late arrival
        order(d, status=OrderStatus.resolved, received=AT - 30 * h, due=AT, resolved_at=AT - 2 * h),
        order(
            d,
            status=OrderStatus.closed,
            received=AT - 30 * h,
            due=AT - 5 * h,
            resolved_at=AT - 2 * h,
        ),
        order(
            d,
            status=OrderStatus.called_back,
            received=AT - 30 * h,
            due=AT,
            resolved_at=AT - 20 * h,
            arrival_due=AT - 29 * h,
            arrived_at=AT - 28 * h,
        ),
        # resolved earlier this month, on time; and last month (not counted)
        order(
            d,
            status=OrderStatus.closed,
            received=AT - 200 * h,
            due=AT - 100 * h,
            resolved_at=AT - 150 * h,
        ),
        order(
            d,
            status=OrderStatus.closed,
            received=AT - 900 * h,
            due=AT - 800 * h,
            resolved_at=AT - 850 * h,
        ),
        # a complaint contacted late: not on time although resolved in time
        order(
            d,
            status=OrderStatus.closed,
            received=AT - 40 * h,
            due=AT,
            resolved_at=AT - 3 * h,
            contact_due=AT - 30 * h,
            contacted_at=AT - 10 * h,
            type=OrderType.complaint.value,
        ),
        # cancelled and merged orders are not counted
        order(d, status=OrderStatus.cancelled, received=AT - 5 * h, due=AT - h),
        order(
            d, status=OrderStatus.merged, received=AT - 5 * h, due=AT - h, resolved_at=AT - 2 * h
        ),
    ]
    with d.db.write_connection() as conn:
        conn.execute(insert(WorkOrder.__table__), rows)  # type: ignore[arg-type]
        conn.execute(
            insert(Call.__table__),  # type: ignore[arg-type]
            [
                {
                    "started_at": AT - h,
                    "direction": "inbound",
                    "channel": "phone",
                    "phone": "1",
                    "customer_id": d.st.customers["王秀英"],
                    "caller_name": "",
                    "summary": "",
                    "answer_key": "",
                },
                {
                    "started_at": AT - 2 * h,
                    "direction": "inbound",
                    "channel": "phone",
                    "phone": "2",
                    "customer_id": None,
                    "caller_name": "",
                    "summary": "",
                    "answer_key": "",
                },
                {
                    "started_at": AT - 3 * h,
                    "direction": "outbound",
                    "channel": "phone",
                    "phone": "3",
                    "customer_id": None,
                    "caller_name": "",
                    "summary": "",
                    "answer_key": "",
                },
                {
                    "started_at": AT - 30 * h,
                    "direction": "inbound",
                    "channel": "phone",
                    "phone": "4",
                    "customer_id": None,
                    "caller_name": "",
                    "summary": "",
                    "answer_key": "",
                },
            ],
        )
    with d.db.read() as s:
        fig = desk_figures(s, at=AT)
    assert (fig.open, fig.unassigned, fig.overdue, fig.near, fig.due_today) == (5, 1, 2, 1, 2)
    assert fig.awaiting_callback == 1
    assert fig.received_today == 7  # received since midnight, whatever became of them
    assert (fig.calls_today, fig.calls_inbound_today, fig.calls_unlinked_today) == (3, 2, 2)
    assert (fig.on_time_week.on_time, fig.on_time_week.total) == (1, 4)
    assert (fig.on_time_month.on_time, fig.on_time_month.total) == (2, 5)
    assert fig.on_time_month.percent == 40.0
    grids = {g.name: g for g in fig.by_grid}
    assert (grids["东关网格"].open, grids["东关网格"].overdue, grids["东关网格"].near) == (3, 2, 1)
    assert grids[""].open == 1
    assert fig.by_grid[0].overdue >= 1  # the worst first
    people = {p.name: p for p in fig.by_person}
    assert people["张伟"].open == 3 and people["张伟"].overdue == 2
    assert people[""].open == 1 and people["孙丽"].due_today == 1
    assert [o.status for o in fig.overdue_orders] and fig.overdue_orders[
        0
    ].next_due <= fig.overdue_orders[-1].next_due


def test_period_starts_and_an_empty_desk(desk: Desk) -> None:
    today, week, month = period_starts(AT)
    assert (today, week, month) == (
        dt.datetime(2026, 11, 25),
        dt.datetime(2026, 11, 23),
        dt.datetime(2026, 11, 1),
    )
    with desk.db.read() as s:
        fig = desk_figures(s, at=AT)
        assert on_time_rate(s, week, AT).percent is None
    assert fig.open == 0 and fig.by_grid == [] and fig.overdue_orders == []
    assert fig.calls_today == 0 and CallDirection.inbound
