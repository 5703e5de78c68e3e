"""The work-order list query: every filter and sort in SQL, keyset pages that
add up to exactly the sorted view, whichever index the planner lets drive."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import insert
from test_work_orders_sample import Desk, Station, copy_station, station_template

from gridsvc_desktop.db.models import WorkOrder
from gridsvc_desktop.domain.enums import Channel, OrderStatus, OrderType, Role
from gridsvc_desktop.domain.order_states import OPEN_STATUSES
from gridsvc_desktop.services import work_orders as wo
from gridsvc_desktop.services.actor import Actor, PermissionDenied

FIXTURES = (station_template,)  # the sample station's fixtures, used by pytest

NOW = dt.datetime(2026, 11, 27, 8, 0)
N = 500


@pytest.fixture(scope="module")
def many(
    station_template: tuple[Path, Station], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Desk]:
    """N orders with every status, type, channel, some without grid or assignee
    (built once for the module: the tests only read)."""
    desk = copy_station(station_template, tmp_path_factory.mktemp("many"))
    rng = random.Random(7)
    st = desk.st
    grids = [*st.grids.values(), None]
    people = [*st.staff.values(), None]
    customers = list(st.customers.values())
    rows = []
    for i in range(N):
        received = NOW - dt.timedelta(minutes=rng.randint(1, 60 * 24 * 40))
        order_type = rng.choice(list(OrderType))
        resolve_due = received + dt.timedelta(hours=rng.choice([3, 24, 72, 200]))
        arrival = received + dt.timedelta(minutes=45) if order_type == OrderType.repair else None
        status = rng.choice(list(OrderStatus))
        rows.append(
            {
                "number": f"GD{received:%Y%m%d}{i:04d}",
                "external_no": f"2026{i:012d}" if i % 3 == 0 else None,
                "type": order_type.value,
                "status": status.value,
                "channel": rng.choice(list(Channel)).value,
                "customer_id": rng.choice(customers) if i % 5 else None,
                "caller_phone": f"139{i:08d}",
                "grid_id": rng.choice(grids),
                "assignee_id": rng.choice(people),
                "received_at": received,
                "arrival_due": arrival,
                "arrived_at": received + dt.timedelta(minutes=30) if arrival and i % 2 else None,
                "resolve_due": resolve_due,
                "version": 1,
            }
        )
    with desk.db.write_connection() as conn:
        conn.execute(insert(WorkOrder.__table__), rows)  # type: ignore[arg-type]
    yield desk
    desk.db.dispose()


def everything(d: Desk) -> list[wo.OrderRow]:
    with d.db.read() as s:
        rows = wo.list_orders(s, wo.OrderFilter(), limit=10 * N, plan=wo.ListPlan(None), at=NOW)
        one = wo.order_row(s, rows[0].id)
    assert one == rows[0] and len(rows) == N
    return rows


def expected(rows: list[wo.OrderRow], key: wo.SortKey, descending: bool) -> list[int]:
    def sort_key(r: wo.OrderRow) -> tuple[object, ...]:
        values = []
        for name in wo.SORT_COLUMNS[key]:
            v = getattr(r, name)
            v = v.value if hasattr(v, "value") else v
            values.append((v is not None, v if v is not None else 0))  # NULL first going up
        return (*values, r.id)

    return [r.id for r in sorted(rows, key=sort_key, reverse=descending)]


def walk(
    d: Desk, f: wo.OrderFilter, key: wo.SortKey, descending: bool, plan: wo.ListPlan | None = None
) -> list[int]:
    out: list[int] = []
    after = None
    with d.db.read() as s:
        while True:
            page = wo.list_orders(
                s, f, sort=key, descending=descending, after=after, limit=37, at=NOW, plan=plan
            )
            out += [r.id for r in page]
            if len(page) < 37:
                return out
            after = page[-1].cursor(key)


@pytest.mark.parametrize("key", list(wo.SortKey))
@pytest.mark.parametrize("descending", [False, True])
def test_keyset_pages_add_up_to_the_sorted_view(
    many: Desk, key: wo.SortKey, descending: bool
) -> None:

    rows = everything(many)
    assert walk(many, wo.OrderFilter(), key, descending) == expected(rows, key, descending)


FILTERS = {
    "open": (wo.OrderFilter(statuses=OPEN_STATUSES), lambda r: r.status in OPEN_STATUSES),
    "overdue": (
        wo.OrderFilter(overdue=True),
        lambda r: r.status in OPEN_STATUSES and r.next_due < NOW,
    ),
    "repair in the last week": (
        wo.OrderFilter(
            types=(OrderType.repair,),
            received_from=(NOW - dt.timedelta(days=7)).date(),
            received_to=NOW.date(),
        ),
        lambda r: (
            r.type == OrderType.repair
            and r.received_at.date() >= (NOW - dt.timedelta(days=7)).date()
        ),
    ),
    "95598": (
        wo.OrderFilter(channels=(Channel.hotline_95598,)),
        lambda r: r.channel == Channel.hotline_95598,
    ),
    "no grid": (wo.OrderFilter(grid_id=0), lambda r: r.grid_id is None),
    "unassigned and open": (
        wo.OrderFilter(assignee_id=0, statuses=OPEN_STATUSES),
        lambda r: r.assignee_id is None and r.status in OPEN_STATUSES,
    ),
    "phone prefix": (
        wo.OrderFilter(text="1390000012"),
        lambda r: r.caller_phone.startswith("1390000012"),
    ),
    "order number": (wo.OrderFilter(text="GD2026110"), lambda r: r.number.startswith("GD2026110")),
}


@pytest.mark.parametrize("name", list(FILTERS))
def test_filters_match_what_python_finds(many: Desk, name: str) -> None:
    f, keep = FILTERS[name]
    rows = [r for r in everything(many) if keep(r)]
    for key in (wo.SortKey.received_at, wo.SortKey.grid, wo.SortKey.next_due):
        want = expected(rows, key, True)
        assert walk(many, f, key, True) == want, key
        # the same rows whichever index drives (the planner's choice, the sort's, each filter's)
        for forced in (wo.ListPlan(()), wo.ListPlan(None), wo.ListPlan(("type", "channel"))):
            assert walk(many, f, key, True, forced) == want, (key, forced)
    with many.db.read() as s:
        assert wo.count_orders(s, f, at=NOW) == len(rows)


def test_grid_and_assignee_filters(many: Desk) -> None:
    rows = everything(many)
    grid = many.st.grids["南湖网格"]
    person = many.st.staff["张伟"]
    f = wo.OrderFilter(grid_id=grid, assignee_id=person)
    want = [r for r in rows if r.grid_id == grid and r.assignee_id == person]
    assert walk(many, f, wo.SortKey.number, False) == expected(want, wo.SortKey.number, False)


def test_text_search_finds_a_customers_orders(many: Desk) -> None:
    cid = many.st.customers["陈建国"]
    want = [r.id for r in everything(many) if r.customer_id == cid]
    got = walk(many, wo.OrderFilter(text="陈建国"), wo.SortKey.received_at, True)
    assert sorted(got) == sorted(want) and want


def test_the_planner_drives_with_a_small_filter_or_walks_the_sort(many: Desk) -> None:
    with many.db.read() as s:
        assert wo.plan_orders(s, wo.OrderFilter(), sort=wo.SortKey.received_at).indexed == ()
        small = wo.plan_orders(s, wo.OrderFilter(overdue=True), at=NOW)
        assert small.indexed == ("status", "next_due")
        nothing = wo.plan_orders(s, wo.OrderFilter(text="GD1999"), at=NOW)
        assert not nothing.possible
        assert wo.list_orders(s, wo.OrderFilter(text="GD1999"), plan=nothing) == []


def test_iter_orders_and_export_write_the_whole_view(many: Desk, tmp_path: Path) -> None:
    f = wo.OrderFilter(statuses=(OrderStatus.closed,))
    with many.db.read() as s:
        rows = list(wo.iter_orders(s, f, chunk=50, at=NOW))
    assert (
        len(rows)
        == len({r.id for r in rows})
        == sum(1 for r in everything(many) if r.status == OrderStatus.closed)
    )
    columns = [
        wo.ExportColumn("工单号", lambda r: r.number, 16),
        wo.ExportColumn("联系电话", lambda r: r.caller_phone, 14, "phone"),
        wo.ExportColumn(
            "诉求", lambda r: '=HYPERLINK("x")' if r.id == rows[0].id else "+86 138", 20
        ),
        wo.ExportColumn("受理时间", lambda r: r.received_at, 17),
    ]
    path = tmp_path / "工单.xlsx"
    with pytest.raises(PermissionDenied):
        wo.export_orders(many.db, Actor(None, "x", Role.staff), path, f, columns=columns)
    lead = Actor(None, "班长", Role.lead)
    n = wo.export_orders(many.db, lead, path, f, columns=columns, full_phones=True)
    assert n == len(rows)
    import openpyxl

    sheet = openpyxl.load_workbook(path).active
    assert sheet is not None
    header = [c.value for c in sheet[3]]
    assert header == ["工单号", "联系电话", "诉求", "受理时间"]
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]
    assert len(values) == n
    assert values[0][0] == rows[0].number
    assert values[0][1] == rows[0].caller_phone  # the lead may see full numbers
    assert values[0][2] == '=HYPERLINK("x")'  # text, never a formula
    assert sheet.cell(4, 3).data_type == "s"
    assert values[1][2] == "+86 138"
    assert isinstance(values[0][3], dt.datetime)
    masked = wo.export_orders(many.db, lead, tmp_path / "m.xlsx", f, columns=columns)
    sheet = openpyxl.load_workbook(tmp_path / "m.xlsx").active
    assert masked == n and sheet is not None and "****" in str(sheet.cell(4, 2).value)
