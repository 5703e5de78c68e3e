"""Grid figures: the GROUP BY answers equal a row-by-row count, for all grids and one."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

import test_grids_services as shared
from sqlmodel import select
from test_grids_services import Small

from gridsvc_desktop.db.engine import Database
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
from gridsvc_desktop.services import grids
from gridsvc_desktop.services.actor import Actor
from gridsvc_desktop.services.customers import OPEN_ORDER_STATUSES
from gridsvc_desktop.services.grid_figures import (
    Figures,
    all_grid_figures,
    change_stamp,
    format_figures,
    grid_figures,
    ta_customer_counts,
)

# Fixtures shared with the other grid tests (a small county, the demo county).
admin = shared.admin
db = shared.db
demo_db = shared.demo_db
demo_template = shared.demo_template
small = shared.small
small_db = shared.small_db
small_template = shared.small_template


def reference(db: Database, now: dt.datetime) -> dict[int | None, Figures]:
    """The same figures, counted one row at a time (the slow, obvious way)."""
    out: dict[int | None, Figures] = defaultdict(Figures)
    with db.read() as s:
        tas = {t.id: t for t in s.exec(select(TransformerArea)).all()}
        staff = {p.id: p for p in s.exec(select(Staff)).all()}
        for t in tas.values():
            out[t.grid_id].transformer_areas += 1
            if t.feeder_id is not None:
                out[t.grid_id].feeder_ids.add(t.feeder_id)
        grid_of_customer = {}
        for c in s.exec(select(Customer)).all():
            g = tas[c.transformer_area_id].grid_id if c.transformer_area_id else None
            grid_of_customer[c.id] = g
            f = out[g]
            f.customers += 1
            f.by_category[c.category] += 1
            f.by_metering[c.metering] += 1
        owed: dict[int | None, set[int]] = defaultdict(set)
        for a in s.exec(select(Arrears)).all():
            if a.status != ArrearsStatus.paid:
                g = grid_of_customer[a.customer_id]
                owed[g].add(a.customer_id)
                out[g].arrears_fen += a.amount_fen
        for g, who in owed.items():
            out[g].arrears_customers = len(who)
        for m in s.exec(select(GridMember)).all():
            if staff[m.staff_id].active:
                out[m.grid_id].staff_ids.add(m.staff_id)
        for grid in s.exec(select(Grid)).all():
            if grid.manager_id and staff[grid.manager_id].active:
                out[grid.id].staff_ids.add(grid.manager_id)
        for contact in s.exec(select(Contact)).all():
            out[contact.grid_id].contacts += 1
        for o in s.exec(select(WorkOrder)).all():
            if o.status in OPEN_ORDER_STATUSES:
                out[o.grid_id].open_orders += 1
                if o.resolve_due < now:
                    out[o.grid_id].overdue_orders += 1
    return out


def same(a: Figures, b: Figures) -> None:
    assert a.customers == b.customers
    assert a.by_category == b.by_category and a.by_metering == b.by_metering
    assert a.transformer_areas == b.transformer_areas and a.feeder_ids == b.feeder_ids
    assert a.staff_ids == b.staff_ids and a.contacts == b.contacts
    assert (a.open_orders, a.overdue_orders) == (b.open_orders, b.overdue_orders)
    assert (a.arrears_customers, a.arrears_fen) == (b.arrears_customers, b.arrears_fen)


def test_all_grids_match_a_row_by_row_count_on_the_demo_county(demo_db: Database) -> None:
    now = dt.datetime.now()
    with demo_db.read() as s:
        report = all_grid_figures(s, now=now)
    expected = reference(demo_db, now)
    assert report.by_grid and set(report.by_grid) == {g for g in expected if g is not None}
    for grid_id, figures in report.by_grid.items():
        same(figures, expected[grid_id])
    same(report.no_grid, expected[None])
    assert report.total.customers == 2000
    assert sum(report.ta_customers.values()) + report.no_grid.customers >= 2000 - 10
    # something of everything, so the comparison above means something
    t = report.total
    assert t.by_category[CustomerCategory.commercial] and t.by_metering[Metering.shared]
    assert t.open_orders and t.arrears_fen and t.contacts and t.staff
    assert report.no_grid.transformer_areas >= 1 and report.no_grid.customers >= 1


def test_one_grid_equals_its_entry_in_the_whole_report(demo_db: Database) -> None:
    now = dt.datetime.now()
    with demo_db.read() as s:
        report = all_grid_figures(s, now=now)
        for grid_id in report.by_grid:
            same(grid_figures(s, grid_id, now=now), report.grid(grid_id))


def test_town_totals_do_not_count_a_feeder_or_person_twice() -> None:
    a, b = Figures(), Figures()
    a.feeder_ids, b.feeder_ids = {1, 2}, {2, 3}
    a.staff_ids, b.staff_ids = {7}, {7, 8}
    a.customers, b.customers = 5, 6
    total = Figures.total([a, b])
    assert total.feeders == 3 and total.staff == 2 and total.customers == 11


def test_customers_follow_their_area_into_the_new_grids_figures(
    db: Database, admin: Actor, small: Small
) -> None:

    east, south = small.grids["东关网格"], small.grids["南湖网格"]
    with db.read() as s:
        before = all_grid_figures(s)
        stamp = change_stamp(s)
    assert before.grid(east).customers == 7 and before.grid(south).customers == 2
    with db.write() as s:
        grids.move_transformer_areas(
            session=s, actor=admin, grid_id=south, ta_ids=[small.tas["T001"]]
        )
    with db.read() as s:
        after = all_grid_figures(s)
        assert change_stamp(s) != stamp  # the page's poll sees the write
    assert after.grid(east).customers == 3 and after.grid(south).customers == 6
    # the open order keeps its grid, so it is still counted where it was routed
    assert after.grid(east).open_orders == before.grid(east).open_orders == 1
    assert after.total.customers == before.total.customers


def test_area_counts_and_the_text_table(db: Database, small: Small) -> None:
    with db.read() as s:
        counts = ta_customer_counts(s, [small.tas["T001"], small.tas["T004"]])
        assert counts == {small.tas["T001"]: 4, small.tas["T004"]: 2}
        assert ta_customer_counts(s, []) == {}
        text = format_figures(s, all_grid_figures(s))
    lines = text.splitlines()
    assert lines[0].split()[:3] == ["编号", "网格", "客户"]
    assert any(line.startswith("G01") and "东关网格" in line for line in lines)
    assert "全所合计" in text and "（不属于任何网格）" in text


def test_categories_are_counted_per_grid(demo_db: Database) -> None:
    with demo_db.read() as s:
        report = all_grid_figures(s)
        cats: Counter[CustomerCategory] = Counter(
            c for c in s.exec(select(Customer.category)).all()
        )
    assert dict(report.total.by_category) == {k: cats.get(k, 0) for k in CustomerCategory}
