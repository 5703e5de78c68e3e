"""The demo county generator: determinism, coverage of every kind, referential sanity."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text

from gridsvc_desktop.db import models as M
from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.db.store import open_store
from gridsvc_desktop.demo import DemoSummary, build_county
from gridsvc_desktop.domain.enums import (
    ContactKind,
    CustomerCategory,
    Metering,
    OrderStatus,
    OrderType,
    OutageKind,
    OutageStatus,
    Specialty,
)
from gridsvc_desktop.domain.order_states import current_deadline
from gridsvc_desktop.paths import DataPaths
from gridsvc_desktop.services import station
from gridsvc_desktop.services.progress import Cancelled

TODAY = dt.date(2026, 11, 20)
NOW = dt.datetime(2026, 11, 20, 8, 0)
N = 1500


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, DemoSummary]]:
    """One county, built once for the read-only checks of this module."""
    db = open_store(DataPaths(tmp_path_factory.mktemp("county")))
    summary = build_county(db, customers=N, seed=7, today=TODAY)
    yield db, summary
    db.dispose()


def rows(db: Database, sql: str, **params: Any) -> list[Any]:
    with db.engine.connect() as conn:
        return list(conn.execute(text(sql), params))


def scalar(db: Database, sql: str, **params: Any) -> Any:
    return rows(db, sql, **params)[0][0]


def _dt(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def values(db: Database, sql: str) -> list[Any]:
    return [r[0] for r in rows(db, sql)]


# --------------------------------------------------------------------------- determinism


@pytest.mark.sqlite_only(
    "compares raw rows of the fixture's store with demo counties it builds in SQLite files (dates as SQLite's text)"
)
def test_same_seed_same_county_other_seed_differs(tmp_path: Path, db: Database) -> None:
    first = build_county(db, customers=1000, seed=3, today=TODAY)
    again = open_store(DataPaths(tmp_path / "again"))
    other = open_store(DataPaths(tmp_path / "other"))
    with again.write() as s:  # the same station as the `db` fixture's
        station.initialize(s, name="测试供电所", county="测试县")
    try:
        second = build_county(again, customers=1000, seed=3, today=TODAY)
        third = build_county(other, customers=1000, seed=4, today=TODAY)
        q = "SELECT account_no, name, address, phone, opened_on FROM customer ORDER BY id"
        assert rows(db, q) == rows(again, q)
        assert scalar(db, "SELECT address FROM customer LIMIT 1").startswith("测试县")
        q2 = "SELECT number, type, status, received_at FROM work_order ORDER BY id"
        assert rows(db, q2) == rows(again, q2)
        assert first.counts == second.counts
        q3 = "SELECT account_no FROM customer ORDER BY id"
        assert values(db, q3) != values(other, q3)
        q4 = "SELECT name FROM customer ORDER BY id"
        assert values(db, q4) != values(other, q4)
        assert third.counts["customer"] == 1000
        assert scalar(other, "SELECT address FROM customer LIMIT 1").startswith("清河县")
    finally:
        again.dispose()
        other.dispose()


# --------------------------------------------------------------------------- summary


def test_summary_matches_tables(county: tuple[Database, DemoSummary]) -> None:
    db, summary = county
    for table, n in summary.counts.items():
        assert scalar(db, f'SELECT count(*) FROM "{table}"') == n, table
    assert summary.count("customer") == N
    assert sum(summary.categories.values()) == N
    text_ = summary.describe()
    assert "清河县" in text_ and "客户" in text_ and "未划入网格" in text_ and "未关联台区" in text_
    assert len(text_.splitlines()) >= 8
    assert summary.tas_without_grid == scalar(
        db, "SELECT count(*) FROM transformer_area WHERE grid_id IS NULL"
    )
    assert summary.customers_without_ta == scalar(
        db, "SELECT count(*) FROM customer WHERE transformer_area_id IS NULL"
    )
    assert summary.overdue_orders > 0
    assert summary.outages_in_progress == 1


def test_audit_row_for_the_build(county: tuple[Database, DemoSummary]) -> None:
    db, _ = county
    after = rows(db, "SELECT after_json FROM audit_log WHERE action = 'demo'")
    assert len(after) == 1
    assert '"customer": 1500' in after[0][0]


def test_database_is_consistent(county: tuple[Database, DemoSummary]) -> None:
    db, _ = county
    assert rows(db, "PRAGMA foreign_key_check") == []
    assert values(db, "PRAGMA integrity_check") == ["ok"]
    with db.engine.connect() as conn:  # FTS index in step with the customer table
        conn.exec_driver_sql(
            "INSERT INTO customer_fts(customer_fts, rank) VALUES('integrity-check', 1)"
        )
    # The bulk load put the indexes and the sync triggers back.
    names = set(values(db, "SELECT name FROM sqlite_master WHERE tbl_name = 'customer'"))
    assert {"ix_customer_building_id", "ix_customer_phone_rev", "customer_fts_ai"} <= names


def test_search_index_finds_two_character_names(county: tuple[Database, DemoSummary]) -> None:
    db, _ = county
    name = scalar(
        db, "SELECT name FROM customer WHERE category = 'residential' AND length(name) = 2"
    )
    hits = values(
        db,
        f"SELECT rowid FROM customer_fts WHERE customer_fts MATCH 'search_name : \"{name[0]} {name[1]}\"'",
    )
    assert set(hits) == set(values(db, f"SELECT id FROM customer WHERE name LIKE '%{name}%'"))


def test_orm_reads_every_row(county: tuple[Database, DemoSummary]) -> None:
    db, _ = county
    with db.read() as s:
        for model in (M.Customer, M.WorkOrder, M.WorkOrderEvent, M.Call, M.Outage, M.Arrears):
            objs = s.execute(select(model)).scalars().all()
            assert objs
        order = s.execute(select(M.WorkOrder).limit(1)).scalar_one()
        assert isinstance(order.received_at, dt.datetime) and isinstance(order.type, OrderType)
        cust = s.execute(select(M.Customer).where(M.Customer.opened_on.is_not(None))).scalars()
        assert isinstance(next(iter(cust)).opened_on, dt.date)


# --------------------------------------------------------------------------- places & network


def test_places(county: tuple[Database, DemoSummary]) -> None:
    db, summary = county
    towns = values(db, "SELECT name FROM admin_area WHERE level = 'town'")
    assert 3 <= len(towns) <= 8 and "城关镇" in towns
    assert any(t.endswith("街道") for t in towns) and any(t.endswith(("乡", "镇")) for t in towns)
    classes = Counter(values(db, "SELECT area_class FROM admin_area WHERE level = 'community'"))
    assert classes["urban"] and classes["rural"] and classes["remote"]
    assert summary.remote_communities == classes["remote"]
    assert scalar(db, "SELECT count(*) FROM admin_area WHERE name LIKE '%村'") > 0
    # Compounds and buildings only under urban-ish communities, buildings named like 11栋.
    assert scalar(db, "SELECT count(*) FROM compound") > 0
    assert all(re.fullmatch(r"\d+栋", n) for n in values(db, "SELECT name FROM building"))


def test_transformer_areas_and_feeders(county: tuple[Database, DemoSummary]) -> None:
    db, _ = county
    codes = values(db, "SELECT code FROM transformer_area")
    assert all(re.fullmatch(r"\d{10}", c) for c in codes)
    assert len(set(codes)) == len(codes)
    assert any(c.startswith("0") for c in codes)
    caps = values(db, "SELECT capacity_kva FROM transformer_area")
    assert all(c == 0 or 200 <= c <= 1250 for c in caps)
    assert 1 <= caps.count(0) <= max(3, len(caps) // 50)
    feeders = values(db, "SELECT name FROM feeder")
    assert all(re.fullmatch(r"10kV.+线", f) for f in feeders)
    per_feeder = Counter(values(db, "SELECT feeder_id FROM transformer_area"))
    assert max(per_feeder.values()) >= 3  # each feeder feeds many areas
    no_grid = scalar(db, "SELECT count(*) FROM transformer_area WHERE grid_id IS NULL")
    assert 1 <= no_grid <= max(2, len(codes) // 50)
    # Those areas still have customers: the coverage report has something to find.
    assert scalar(
        db,
        "SELECT count(*) FROM customer c JOIN transformer_area t ON t.id = c.transformer_area_id "
        "WHERE t.grid_id IS NULL",
    )


# --------------------------------------------------------------------------- people


def test_grids_staff_and_roster(county: tuple[Database, DemoSummary]) -> None:
    db, summary = county
    n_comm = scalar(db, "SELECT count(*) FROM admin_area WHERE level = 'community'")
    assert scalar(db, "SELECT count(*) FROM grid") == n_comm
    codes = values(db, "SELECT code FROM grid ORDER BY id")
    assert codes[0] == "WG001" and all(re.fullmatch(r"WG\d{3}", c) for c in codes)
    modes = Counter(values(db, "SELECT service_mode FROM grid"))
    assert modes["dedicated_manager"] > modes["team"] >= 1
    assert summary.team_grids == modes["team"]
    # Every grid's manager is a manager member of it.
    assert not rows(
        db,
        "SELECT g.id FROM grid g LEFT JOIN grid_member m ON m.grid_id = g.id "
        "AND m.staff_id = g.manager_id AND m.role = 'manager' WHERE m.staff_id IS NULL",
    )
    # A team grid covers every specialty.
    needed = {
        Specialty.repair.value,
        Specialty.metering_billing.value,
        Specialty.new_connection.value,
        Specialty.inspection.value,
    }
    for (grid_id,) in rows(db, "SELECT id FROM grid WHERE service_mode = 'team'"):
        specs = set(
            values(
                db,
                "SELECT s.specialty FROM grid_member m JOIN staff_specialty s "
                f"ON s.staff_id = m.staff_id WHERE m.grid_id = {grid_id}",
            )
        )
        assert needed <= specs
    emp = values(db, "SELECT employee_no FROM staff")
    assert all(re.fullmatch(r"DY\d{4,}", e) for e in emp) and "DY1000" in emp
    positions = set(values(db, "SELECT position FROM staff"))
    assert {"网格客户经理", "抢修班长", "抄表员"} <= positions
    assert scalar(db, "SELECT count(*) FROM staff WHERE active = 0") == 2
    assert set(values(db, "SELECT specialty FROM staff_specialty")) == {s.value for s in Specialty}
    leave = rows(db, 'SELECT staff_id, substitute_id, start, "end" FROM staff_leave')
    assert len(leave) == 1
    staff_id, sub_id, start, end = leave[0]
    assert sub_id and sub_id != staff_id and start <= TODAY.isoformat() <= end


def test_contacts(county: tuple[Database, DemoSummary]) -> None:
    db, _ = county
    kinds = Counter(values(db, "SELECT kind FROM contact"))
    assert set(kinds) == {k.value for k in ContactKind}
    assert kinds["building_leader"] > kinds["service_center"]
    assert scalar(db, "SELECT count(*) FROM contact WHERE phone = ''") == 0
    # Building leaders sit on a building, property offices on a compound.
    assert not scalar(
        db, "SELECT count(*) FROM contact WHERE kind = 'building_leader' AND building_id IS NULL"
    )
    assert not scalar(
        db, "SELECT count(*) FROM contact WHERE kind = 'property_office' AND compound_id IS NULL"
    )


# --------------------------------------------------------------------------- customers


def test_customers(county: tuple[Database, DemoSummary]) -> None:
    db, summary = county
    cats = Counter(values(db, "SELECT category FROM customer"))
    assert set(cats) == {c.value for c in CustomerCategory}
    assert 0.84 <= cats["residential"] / N <= 0.92
    meters = set(values(db, "SELECT metering FROM customer"))
    assert meters == {m.value for m in Metering}
    # Dedicated (专变) metering is for large industry, with a transformer of its own.
    assert set(values(db, "SELECT category FROM customer WHERE metering = 'dedicated'")) == {
        "large_industry"
    }
    accounts = values(db, "SELECT account_no FROM customer")
    assert all(re.fullmatch(r"\d{10}", a) for a in accounts)
    assert len(set(accounts)) == N
    assert any(a.startswith("0") for a in accounts)
    names = values(db, "SELECT name FROM customer WHERE category = 'residential'")
    assert all(2 <= len(n) <= 4 for n in names)
    assert any("䶮" in n or "㛃" in n for n in names)  # characters outside GBK
    shops = values(db, "SELECT name FROM customer WHERE category = 'commercial'")
    assert all(n.startswith("清河县") for n in shops)
    assert any(re.fullmatch(r"清河县.+[路街].{2,4}(店|超市|馆|部|站|所)", n) for n in shops)
    addresses = values(db, "SELECT address FROM customer")
    assert all(a.startswith("清河县") for a in addresses)
    assert any(re.fullmatch(r"清河县.+(街道|镇).+社区.+\d+栋\d单元\d{3,4}", a) for a in addresses)
    assert any(re.fullmatch(r"清河县.+[乡镇].+村.{1,3}组\d+号", a) for a in addresses)
    phones = values(db, "SELECT phone FROM customer")
    mobile = sum(bool(re.fullmatch(r"1[3-9]\d{9}", p)) for p in phones)
    landline = sum(bool(re.fullmatch(r"0838-[2-8]\d{6}", p)) for p in phones)
    empty = phones.count("")
    assert mobile + landline + empty == N
    assert mobile / N > 0.9 and 0.01 <= landline / N <= 0.08 and 1 <= empty <= N * 0.03
    assert empty == summary.customers_without_phone
    shared = [p for p, k in Counter(p for p in phones if p).items() if k > 1]
    assert shared and summary.shared_phone_pairs >= 1
    # Derived search columns and where the customer lives.
    row = rows(db, "SELECT name, search_name, phone, phone_digits, phone_rev FROM customer LIMIT 1")
    name, search_name, phone, digits, rev = row[0]
    assert search_name == " ".join(name) and digits == re.sub(r"\D", "", phone) == rev[::-1]
    assert not scalar(db, "SELECT count(*) FROM customer WHERE community_id IS NULL")
    assert scalar(db, "SELECT count(*) FROM customer WHERE building_id IS NOT NULL") > N / 2
    assert summary.customers_without_ta >= 3


# --------------------------------------------------------------------------- orders


def test_work_orders(county: tuple[Database, DemoSummary]) -> None:
    db, summary = county
    orders = rows(
        db,
        "SELECT id, number, external_no, type, status, channel, received_at, resolve_due, "
        "merged_into_id, cancel_reason, satisfaction, assignee_id, arrival_due FROM work_order",
    )
    assert N / 40 <= len(orders) <= N / 15
    assert {o.type for o in orders} == {t.value for t in OrderType}
    assert {o.status for o in orders} == {s.value for s in OrderStatus}
    by_id = {o.id: o for o in orders}
    for o in orders:
        received = dt.datetime.fromisoformat(o.received_at)
        assert NOW - dt.timedelta(days=61) <= received <= NOW
        assert re.fullmatch(r"GD\d{12}", o.number)
        if o.channel == "hotline_95598":
            assert re.fullmatch(r"\d{16}", o.external_no)
        if o.status == "cancelled":
            assert o.cancel_reason
        if o.status == "merged":
            target = by_id[o.merged_into_id]
            assert target.status != "merged" and target.id < o.id
        else:
            assert o.merged_into_id is None
        if o.status in ("called_back", "closed"):
            assert 1 <= o.satisfaction <= 5
        if o.status not in ("new", "merged"):
            assert o.assignee_id is not None
        if o.type == "repair":
            assert o.arrival_due is not None
    overdue = [
        o
        for o in rows(
            db,
            "SELECT status, contact_due, contacted_at, arrival_due, arrived_at, resolve_due "
            "FROM work_order WHERE status IN ('new', 'dispatched', 'on_site')",
        )
        if current_deadline(
            contact_due=_dt(o.contact_due),
            contacted_at=_dt(o.contacted_at),
            arrival_due=_dt(o.arrival_due),
            arrived_at=_dt(o.arrived_at),
            resolve_due=_dt(o.resolve_due),
        )[1]
        < NOW
    ]
    assert overdue and len(overdue) == summary.overdue_orders
    assert len({o.number for o in orders}) == len(orders)


def test_team_grids_route_orders_by_specialty(county: tuple[Database, DemoSummary]) -> None:
    db, _ = county
    routed = rows(
        db,
        "SELECT o.type, s.specialty FROM work_order o JOIN grid g ON g.id = o.grid_id "
        "JOIN staff_specialty s ON s.staff_id = o.assignee_id "
        "WHERE g.service_mode = 'team' AND o.type IN ('repair', 'inspection')",
    )
    assert routed
    assert all(spec == otype for otype, spec in routed)


def test_order_history_matches_status(county: tuple[Database, DemoSummary]) -> None:
    db, _ = county
    events: dict[int, list[Any]] = {}
    for e in rows(
        db, "SELECT order_id, at, kind, from_status, to_status FROM work_order_event ORDER BY id"
    ):
        events.setdefault(e.order_id, []).append(e)
    for order_id, status, received in rows(db, "SELECT id, status, received_at FROM work_order"):
        history = events[order_id]
        assert history[0].kind == "created" and history[0].at == received
        assert [e.at for e in history] == sorted(e.at for e in history)
        moves = [e for e in history if e.to_status]
        assert moves[-1].to_status == status
        for a, b in itertools.pairwise(moves):
            assert b.from_status == a.to_status
    merged = rows(db, "SELECT id FROM work_order WHERE status = 'merged'")
    for (order_id,) in merged:
        assert any(e.kind == "merge" for e in events[order_id])


# --------------------------------------------------------------------------- outages, calls, fees


def test_outages(county: tuple[Database, DemoSummary]) -> None:
    db, _ = county
    outages = rows(
        db,
        "SELECT id, kind, status, planned_start, actual_start, actual_end, announced_at, "
        "cancel_reason FROM outage",
    )
    assert {o.kind for o in outages} == {k.value for k in OutageKind}
    assert {o.status for o in outages} == {s.value for s in OutageStatus}
    live = [o for o in outages if o.status == "in_progress"]
    assert len(live) == 1 and live[0].actual_start.startswith(TODAY.isoformat())
    assert live[0].actual_end is None
    next_week = [
        o
        for o in outages
        if o.kind == "planned"
        and o.status == "announced"
        and 6 <= (dt.datetime.fromisoformat(o.planned_start).date() - TODAY).days <= 10
    ]
    assert next_week
    for o in next_week:
        gap = dt.datetime.fromisoformat(o.planned_start) - dt.datetime.fromisoformat(o.announced_at)
        assert gap >= dt.timedelta(days=7)
    assert all(o.cancel_reason for o in outages if o.status == "cancelled")
    scopes = rows(db, "SELECT outage_id, feeder_id, transformer_area_id FROM outage_scope")
    assert {o.id for o in outages} == {s.outage_id for s in scopes}
    assert any(s.feeder_id for s in scopes) and any(s.transformer_area_id for s in scopes)
    # Repair calls and orders tied to the fault in progress.
    assert scalar(db, f"SELECT count(*) FROM work_order WHERE outage_id = {live[0].id}")
    assert scalar(db, f"SELECT count(*) FROM call WHERE outage_id = {live[0].id}")
    assert scalar(db, "SELECT count(*) FROM outage_notification")


def test_calls(county: tuple[Database, DemoSummary]) -> None:
    db, _ = county
    calls = rows(
        db, "SELECT started_at, direction, customer_id, work_order_id, phone, summary FROM call"
    )
    assert N / 15 <= len(calls) <= N / 7
    assert {c.direction for c in calls} == {"inbound", "outbound"}
    assert sum(c.customer_id is not None for c in calls) > len(calls) * 0.8
    assert any(c.work_order_id for c in calls)
    assert any(c.customer_id is None for c in calls)
    for c in calls:
        started = dt.datetime.fromisoformat(c.started_at)
        assert NOW - dt.timedelta(days=45) <= started <= NOW
        assert c.summary


def test_arrears(county: tuple[Database, DemoSummary]) -> None:
    db, summary = county
    arrears = rows(
        db, "SELECT id, customer_id, month, amount_fen, ledger_late_fee_fen, status FROM arrears"
    )
    customers = {a.customer_id for a in arrears}
    assert 0.015 * N <= len(customers) <= 0.05 * N
    assert summary.arrears_customers == len(customers)
    base = TODAY.year * 12 + TODAY.month - 1
    months = {f"{(base - k) // 12}{(base - k) % 12 + 1:02d}" for k in range(1, 13)}
    for a in arrears:
        assert re.fullmatch(r"20\d{4}", a.month) and a.month in months
        assert a.amount_fen > 0 and a.ledger_late_fee_fen >= 0
    assert len({a.status for a in arrears}) >= 3
    actions = rows(db, "SELECT arrears_id, kind, at FROM collection_action")
    assert actions
    # A cut-off comes at least 7 days (residential) after the written notice.
    by_arrears: dict[int, dict[str, str]] = {}
    for a in actions:
        by_arrears.setdefault(a.arrears_id, {})[a.kind] = a.at
    for kinds in by_arrears.values():
        if "cut_off" in kinds:
            gap = dt.datetime.fromisoformat(kinds["cut_off"]) - dt.datetime.fromisoformat(
                kinds["written_notice"]
            )
            assert gap >= dt.timedelta(days=3)


# --------------------------------------------------------------------------- refusals, progress


def test_refuses_a_database_with_customers(county: tuple[Database, DemoSummary]) -> None:
    db, _ = county
    with pytest.raises(ValueError, match="已有客户"):
        build_county(db, customers=1000, today=TODAY)


def test_refuses_a_database_with_other_data(db: Database) -> None:
    with db.write() as s:
        s.add(M.Feeder(name="10kV测试线"))
    with pytest.raises(ValueError, match="已有数据"):
        build_county(db, customers=1000, today=TODAY)


def test_fresh_database_gets_a_station(tmp_path: Path) -> None:
    fresh = open_store(DataPaths(tmp_path / "fresh"))
    try:
        summary = build_county(fresh, customers=1000, today=TODAY)
        assert summary.station == "清河县城关供电所" and summary.county == "清河县"
        assert values(fresh, "SELECT county FROM station") == ["清河县"]
        assert values(fresh, "SELECT count(*) FROM sla_rule")[0] > 0
    finally:
        fresh.dispose()


class _Recorder:
    def __init__(self, cancel_after: int | None = None) -> None:
        self.reports: list[tuple[int, int, str]] = []
        self.cancel_after = cancel_after

    def report(self, done: int, total: int, message: str = "") -> None:
        self.reports.append((done, total, message))

    def is_cancelled(self) -> bool:
        return self.cancel_after is not None and len(self.reports) >= self.cancel_after


def test_progress_is_reported(db: Database) -> None:
    rec = _Recorder()
    build_county(db, customers=1000, progress=rec, today=TODAY)
    done = [d for d, _, _ in rec.reports]
    assert done == sorted(done) and done[-1] == rec.reports[-1][1]
    assert {"生成客户", "生成工单"} <= {m for _, _, m in rec.reports}


@pytest.mark.sqlite_only("checks the FTS5 triggers and indexes in sqlite_master")
def test_cancel_rolls_everything_back(db: Database) -> None:
    with pytest.raises(Cancelled):
        build_county(db, customers=1000, progress=_Recorder(cancel_after=2), today=TODAY)
    with db.engine.connect() as conn:
        for table in ("customer", "grid", "staff", "admin_area", "work_order"):
            assert conn.execute(text(f"SELECT count(*) FROM {table}")).scalar() == 0
        names = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master")}
    assert {"customer_fts_ai", "ix_customer_building_id"} <= names
    # …and the database still takes a demo afterwards.
    assert build_county(db, customers=1000, today=TODAY).count("customer") == 1000


@pytest.mark.sqlite_only("reads a timestamp as the text SQLite stores")
def test_default_today_is_used(db: Database) -> None:
    summary = build_county(db, customers=1000)
    assert summary.today == dt.date.today()
    latest = scalar(db, "SELECT max(received_at) FROM work_order")
    assert dt.datetime.fromisoformat(latest).date() <= dt.date.today()
    with db.read() as s:
        assert s.execute(select(func.count()).select_from(M.Customer)).scalar_one() == 1000
