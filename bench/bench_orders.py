"""Issue 5's figures: the work-order list and the customer card at county scale.

    python bench/bench_orders.py --source /tmp/demo500k --work /tmp/bench-orders

Copies the demo county at `--source` (500,000 customers, ~20,000 orders) into
`--work` with SQLite's backup API (the source is opened read-only and never
changed), migrates the copy, and grows its order history to `--orders`
(200,000) with one bulk insert: closed orders of the demo shifted back in time
by whole 60-day windows, as a station's history would be. Then:

- the work-order list: the first page (200 rows) and a deep keyset page for a
  dozen filter/sort combinations, through `services.work_orders.list_orders`,
  each beside the same SQL run with bare sqlite3 (the plain-library floor);
- the customer card: choosing a caller → `services.customers.customer_card`
  and the card widget built offscreen, beside the same lookups in bare sqlite3.

p50/p95 over `--runs` runs each, varied parameters; appends a "## Front desk"
section to bench/README.md with `--write-readme`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sqlite3
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import Row, machine, percentile, print_table
from gridsvc_desktop.domain.search_text import phrase_query

FTS_SQL = "SELECT rowid FROM customer_fts WHERE customer_fts MATCH ? LIMIT 201"

HERE = Path(__file__).resolve().parent
WINDOW_DAYS = 60
_FMT = "%Y-%m-%d %H:%M:%S.%f"


# --------------------------------------------------------------------------- data


def copy_county(source: Path, work: Path) -> Path:
    """A private copy of the county database (backup API; the source read-only)."""
    work.mkdir(parents=True, exist_ok=True)
    target = work / "gridsvc.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    src = sqlite3.connect(f"file:{source / 'gridsvc.sqlite3'}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return target


TIME_COLUMNS = (
    "received_at", "dispatched_at", "contacted_at", "arrived_at", "resolved_at",
    "called_back_at", "closed_at", "contact_due", "arrival_due", "resolve_due", "updated_at",
)  # fmt: skip


def grow_orders(path: Path, target: int) -> int:
    """Bulk-insert shifted copies of the finished demo orders until the table
    holds `target` orders; returns how many were added."""
    con = sqlite3.connect(path)
    con.row_factory = sqlite3.Row
    have = con.execute("SELECT count(*) FROM work_order").fetchone()[0]
    if have >= target:
        con.close()
        return 0
    cols = [
        r[1]
        for r in con.execute("PRAGMA table_xinfo(work_order)")
        if r[6] == 0  # not a generated column
    ]
    templates = [
        dict(r)
        for r in con.execute(
            "SELECT * FROM work_order WHERE status IN ('closed','cancelled','called_back') "
            "ORDER BY id"
        )
    ]
    next_id = con.execute("SELECT max(id) FROM work_order").fetchone()[0] + 1
    per_day: dict[str, int] = {}
    for (number,) in con.execute("SELECT number FROM work_order"):
        day = number[2:10]
        per_day[day] = max(per_day.get(day, 0), int(number[10:]))
    rows = []
    rng = random.Random(5)
    need = target - have
    k = 0
    while len(rows) < need:
        k += 1
        shift = dt.timedelta(days=WINDOW_DAYS * k)
        for t in templates:
            if len(rows) >= need:
                break
            r = dict(t)
            r["id"] = next_id
            next_id += 1
            for c in TIME_COLUMNS:
                if r.get(c):
                    r[c] = (dt.datetime.strptime(r[c], _FMT) - shift).strftime(_FMT)
            day = r["received_at"][:10].replace("-", "")
            per_day[day] = per_day.get(day, 0) + 1
            r["number"] = f"GD{day}{per_day[day]:04d}"
            r["external_no"] = (
                f"{r['received_at'][:4]}{rng.randrange(10**12):012d}" if r["external_no"] else None
            )
            r["merged_into_id"] = None
            rows.append(r)
    marks = ",".join("?" * len(cols))
    names = ",".join(f'"{c}"' for c in cols)
    with con:
        con.executemany(
            f"INSERT INTO work_order ({names}) VALUES ({marks})",
            ([r.get(c) for c in cols] for r in rows),
        )
    con.close()
    return len(rows)


def ensure_indexes(path: Path) -> list[str]:
    """Indexes the models declare but the copy lacks (a store stamped by an early
    draft of migration 0002 misses the last two); returns what was added."""
    from sqlalchemy import create_engine

    from gridsvc_desktop.db.models import WorkOrder

    engine = create_engine(f"sqlite:///{path}")
    added = []
    with engine.begin() as conn:
        have = {r[1] for r in conn.exec_driver_sql("PRAGMA index_list('work_order')")}
        for index in WorkOrder.__table__.indexes:  # type: ignore[attr-defined]
            if index.name not in have:
                index.create(conn)
                added.append(str(index.name))
    engine.dispose()
    return added


# --------------------------------------------------------------------------- the list


def combos(
    con: sqlite3.Connection, rng: random.Random
) -> dict[str, Callable[[], tuple[Any, Any, bool]]]:
    """name → a function giving (filter, sort, descending) with fresh parameters."""
    from gridsvc_desktop.domain.enums import Channel, OrderStatus, OrderType
    from gridsvc_desktop.domain.order_states import OPEN_STATUSES
    from gridsvc_desktop.services import work_orders as wo

    grids = [r[0] for r in con.execute("SELECT id FROM grid")]
    people = [
        r[0]
        for r in con.execute(
            "SELECT DISTINCT assignee_id FROM work_order WHERE assignee_id IS NOT NULL"
        )
    ]
    names = [
        r[0]
        for r in con.execute(
            "SELECT name FROM customer WHERE id IN (SELECT customer_id FROM work_order ORDER BY random() LIMIT 300)"
        )
    ]
    phones = [
        r[0]
        for r in con.execute(
            "SELECT caller_phone FROM work_order WHERE caller_phone != '' ORDER BY random() LIMIT 300"
        )
    ]
    today = dt.date.today()
    F, K = wo.OrderFilter, wo.SortKey
    return {
        "all, newest first": lambda: (F(), K.received_at, True),
        "open, nearest deadline first": lambda: (F(statuses=OPEN_STATUSES), K.next_due, False),
        "overdue, most overdue first": lambda: (F(overdue=True), K.next_due, False),
        "one grid, newest first": lambda: (F(grid_id=rng.choice(grids)), K.received_at, True),
        "one person's open orders by deadline": lambda: (
            F(assignee_id=rng.choice(people), statuses=OPEN_STATUSES),
            K.next_due,
            False,
        ),
        "a type, last 7 days, newest first": lambda: (
            F(
                types=(rng.choice(list(OrderType)),),
                received_from=today - dt.timedelta(days=7),
                received_to=today,
            ),
            K.received_at,
            True,
        ),
        "a channel, by order no.": lambda: (
            F(channels=(rng.choice(list(Channel)),)),
            K.number,
            False,
        ),
        "closed, by assignee": lambda: (F(statuses=(OrderStatus.closed,)), K.assignee, False),
        "all, by grid": lambda: (F(), K.grid, rng.random() < 0.5),
        "all, by status": lambda: (F(), K.status, True),
        "type + channel, by grid": lambda: (
            F(types=(rng.choice(list(OrderType)),), channels=(rng.choice(list(Channel)),)),
            K.grid,
            False,
        ),
        "search: customer name fragment": lambda: (
            F(text=(n := rng.choice(names))[: rng.randint(2, min(3, len(n)))]),
            K.received_at,
            True,
        ),
        "search: caller phone, 7 digits": lambda: (
            F(text=rng.choice(phones)[:7]),
            K.received_at,
            True,
        ),
    }


def bench_list(db: Any, path: Path, runs: int) -> list[Row]:
    from sqlalchemy.dialects import sqlite as sqlite_dialect

    from gridsvc_desktop.services import work_orders as wo

    rng = random.Random(20261127)
    con = sqlite3.connect(path)
    rows: list[Row] = []
    at = dt.datetime.now().replace(microsecond=0)
    dialect = sqlite_dialect.dialect()

    def sql(stmt: Any) -> str:
        return str(stmt.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))

    with db.read() as s:
        wo.list_orders(s, wo.OrderFilter(), at=at)  # warm the page cache, as a desk open a while
        for name, make in combos(con, rng).items():
            ours, floor, counts = [], [], []
            for _ in range(runs):
                f, key, desc = make()
                # the same rows with bare sqlite3: the page's ids, then their rows (and, for
                # a search, the customer search it rests on); run once first, so that both
                # sides find the same pages in the OS cache
                plan = wo.plan_orders(s, f, sort=key, at=at)
                s.info.clear()
                ids_sql = sql(wo.page_statements(
                    s, f, sort=key, descending=desc, after=None, limit=wo.PAGE, at=at, plan=plan
                ))  # fmt: skip
                match = phrase_query(f.text) if f.text and not f.text.isdigit() else None

                def plain(
                    match: str | None = match, ids_sql: str = ids_sql, plan: Any = plan
                ) -> list[int]:
                    if match is not None:
                        con.execute(FTS_SQL, (match,)).fetchall()
                    ids = [r[0] for r in con.execute(ids_sql)] if plan.possible else []
                    if ids:
                        con.execute(sql(wo.rows_statement(ids))).fetchall()
                    return ids

                plain()
                s.info.clear()
                t = time.perf_counter()
                plan = wo.plan_orders(s, f, sort=key, at=at)
                page = wo.list_orders(s, f, sort=key, descending=desc, at=at, plan=plan)
                ours.append((time.perf_counter() - t) * 1000)
                t = time.perf_counter()
                ids = plain()
                floor.append((time.perf_counter() - t) * 1000)
                assert ids == [r.id for r in page], name
                t = time.perf_counter()
                wo.count_orders(s, f, at=at, plan=plan)
                counts.append((time.perf_counter() - t) * 1000)
            rows.append(_row(f"list: {name}", ours, floor, 100))
            rows.append(
                Row(
                    "  count of the same",
                    f"{percentile(counts, 50):.1f} / {percentile(counts, 95):.1f} ms",
                    "(on a worker, after the rows)",
                )
            )
        # scrolling deep: keyset page 50 of the whole list, newest first
        f, key = wo.OrderFilter(), wo.SortKey.received_at
        plan = wo.plan_orders(s, f, sort=key, at=at)
        after = None
        deep, deep_floor = [], []
        for i in range(50):
            t = time.perf_counter()
            page = wo.list_orders(s, f, sort=key, after=after, at=at, plan=plan)
            took = (time.perf_counter() - t) * 1000
            if i >= 40:
                deep.append(took)
                ids_sql = sql(wo.page_statements(
                    s, f, sort=key, descending=True, after=after, limit=wo.PAGE, at=at, plan=plan
                ))  # fmt: skip
                t = time.perf_counter()
                ids = [r[0] for r in con.execute(ids_sql)]
                con.execute(sql(wo.rows_statement(ids))).fetchall()
                deep_floor.append((time.perf_counter() - t) * 1000)
            after = page[-1].cursor(key)
        rows.append(_row("list: keyset pages 41-50 while scrolling", deep, deep_floor, 100))
    con.close()
    return rows


def _row(what: str, ours: list[float], floor: list[float], target_ms: float) -> Row:
    p95, f95 = percentile(ours, 95), percentile(floor, 95)
    return Row(
        f"{what} p50 / p95",
        f"{percentile(ours, 50):.1f} / {p95:.1f} ms",
        f"p95 < {target_ms:.0f} ms",
        f"{percentile(floor, 50):.1f} / {f95:.1f} ms",
        f"{p95 / f95:.1f}x" if f95 else "",
        "ok" if p95 < target_ms else "MISSED",
    )


# --------------------------------------------------------------------------- the card


CARD_SQL = [
    "SELECT * FROM customer WHERE id = ?",
    "SELECT a.name, c.name, b.name FROM customer u LEFT JOIN admin_area a ON a.id = u.community_id "
    "LEFT JOIN compound c ON c.id = u.compound_id LEFT JOIN building b ON b.id = u.building_id WHERE u.id = ?",
    "SELECT t.name, t.code, f.name, g.name, g.area_class, s.name, s.phone FROM customer u "
    "JOIN transformer_area t ON t.id = u.transformer_area_id LEFT JOIN feeder f ON f.id = t.feeder_id "
    "LEFT JOIN grid g ON g.id = t.grid_id LEFT JOIN staff s ON s.id = g.manager_id WHERE u.id = ?",
    "SELECT k.kind, k.name, k.phone, b.name FROM contact k LEFT JOIN building b ON b.id = k.building_id "
    "WHERE k.compound_id = (SELECT compound_id FROM customer WHERE id = ?)",
    "SELECT DISTINCT o.* FROM outage o JOIN outage_scope sc ON sc.outage_id = o.id "
    "WHERE o.status IN ('announced','in_progress') AND (sc.transformer_area_id = "
    "(SELECT transformer_area_id FROM customer WHERE id = ?1) OR sc.feeder_id = (SELECT t.feeder_id "
    "FROM customer u JOIN transformer_area t ON t.id = u.transformer_area_id WHERE u.id = ?1))",
    "SELECT w.*, s.name FROM work_order w LEFT JOIN staff s ON s.id = w.assignee_id "
    "WHERE w.customer_id = ? AND w.status IN ('new','dispatched','on_site') ORDER BY w.resolve_due",
    "SELECT * FROM arrears WHERE customer_id = ? AND status != 'paid' ORDER BY month",
    "SELECT * FROM call WHERE customer_id = ? ORDER BY started_at DESC LIMIT 5",
]


def bench_card(db: Any, path: Path, runs: int, gui: bool) -> list[Row]:
    """Choosing a caller → the full card: the services' query (as the page's
    worker runs it: its own session), then the card widget built offscreen."""
    from gridsvc_desktop.ui.pages.customers import load_customer_card

    rng = random.Random(5)
    con = sqlite3.connect(path)
    busy = [r[0] for r in con.execute(
        "SELECT customer_id FROM work_order WHERE customer_id IS NOT NULL AND status IN "
        "('new','dispatched','on_site') UNION SELECT customer_id FROM call WHERE customer_id IS NOT NULL "
        "UNION SELECT customer_id FROM arrears"
    )]  # fmt: skip
    top = con.execute("SELECT max(id) FROM customer").fetchone()[0]
    chosen = rng.sample(busy, min(len(busy), runs // 2)) + [
        rng.randint(1, top) for _ in range(runs - runs // 2)
    ]
    view = None
    if gui:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from gridsvc_desktop.ui import fonts
        from gridsvc_desktop.ui.qt import QApplication
        from gridsvc_desktop.ui.widgets.customer_card import CustomerCardView

        app = QApplication.instance() or QApplication([])
        fonts.install_bundled_font(app)  # type: ignore[arg-type]
        view = CustomerCardView()
        view.resize(420, 900)
        view.show()
    load, build, total, floor = [], [], [], []
    load_customer_card(db, chosen[0])  # warm up
    for cid in chosen:
        t = time.perf_counter()
        card = load_customer_card(db, cid)
        took = (time.perf_counter() - t) * 1000
        load.append(took)
        if view is not None:
            t = time.perf_counter()
            view.show_card(card)
            view.widget().adjustSize()
            built = (time.perf_counter() - t) * 1000
            build.append(built)
            took += built
        total.append(took)
        t = time.perf_counter()
        for q in CARD_SQL:
            con.execute(q, (cid,)).fetchall()
        floor.append((time.perf_counter() - t) * 1000)
    con.close()
    rows = [_row(f"card: choosing a caller → card data (n={len(chosen)})", load, floor, 100)]
    if view is not None:
        rows.append(
            Row(
                "card: building the card widget p50 / p95",
                f"{percentile(build, 50):.1f} / {percentile(build, 95):.1f} ms",
            )
        )
        rows.append(_row("card: choosing a caller → full card shown", total, floor, 100))
    return rows


# --------------------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--source", default="/tmp/demo500k", help="folder of the demo county")
    parser.add_argument("--work", default="/tmp/bench-orders", help="folder for the private copy")
    parser.add_argument("--orders", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--reuse", action="store_true", help="keep an existing copy in --work")
    parser.add_argument("--skip-gui", action="store_true")
    parser.add_argument("--write-readme", action="store_true")
    args = parser.parse_args()

    from gridsvc_desktop.db.store import open_store
    from gridsvc_desktop.paths import DataPaths

    work = Path(args.work)
    paths = DataPaths(work)
    prep: list[Row] = []
    if not (args.reuse and paths.database.exists()):
        t = time.perf_counter()
        copy_county(Path(args.source), work)
        prep.append(Row("copy the county (backup API)", f"{time.perf_counter() - t:.1f} s"))
    t = time.perf_counter()
    db = open_store(paths)  # migrates the copy to head
    added = ensure_indexes(paths.database)
    prep.append(Row("migrate the copy" + (f" (+{len(added)} index)" if added else ""),
                    f"{time.perf_counter() - t:.1f} s"))  # fmt: skip
    t = time.perf_counter()
    grown = grow_orders(paths.database, args.orders)
    if grown:
        prep.append(Row(f"bulk insert {grown:,} orders", f"{time.perf_counter() - t:.1f} s"))
    con = sqlite3.connect(paths.database)
    customers = con.execute("SELECT count(*) FROM customer").fetchone()[0]
    orders = con.execute("SELECT count(*) FROM work_order").fetchone()[0]
    open_ = con.execute(
        "SELECT count(*) FROM work_order WHERE status IN ('new','dispatched','on_site')"
    ).fetchone()[0]
    con.close()
    load_before = os.getloadavg()[0]
    rows = prep + bench_list(db, paths.database, args.runs)
    rows += bench_card(db, paths.database, max(args.runs * 5, 200), not args.skip_gui)
    db.dispose()
    # other work on the machine shows in every figure (the baseline's too)
    rows.append(
        Row(
            "machine load average (1 min) before / after",
            f"{load_before:.1f} / {os.getloadavg()[0]:.1f}",
        )
    )
    title = (
        f"Front desk — {customers:,} customers, {orders:,} work orders ({open_:,} open) — "
        f"{dt.date.today()} — {machine()}"
    )
    text = print_table(title, rows)
    if args.write_readme:
        readme = HERE / "README.md"
        with readme.open("a", encoding="utf-8") as fh:
            fh.write(("\n" if readme.exists() and readme.stat().st_size else "") + text + "\n\n"
                     + NOTES + "\n")  # fmt: skip


NOTES = """Measured with `python bench/bench_orders.py --write-readme` (p50 / p95 over 40
runs per row, parameters drawn afresh each run). "list" rows time what the
work-order page does when a filter or sort changes: `plan_orders` (capped
counts of each filter, to choose the driving index) and the first page of 200
rows (`list_orders`: the page's ids from work_order alone, then their rows
with names joined). The plain baseline runs the same two SQL statements with
bare sqlite3 (same plan), so the ratio is what planning and Python add; the
count (for the status line) runs afterwards on a worker. "card" rows: a
customer chosen at random (half of them with open orders, calls or arrears)
→ `customer_card` in its own session, as the page's worker does, then the
card widget built offscreen; the baseline is the card's eight lookups as bare
sqlite3 statements. The county is /tmp/demo500k copied with the backup API
and grown to 200,000 orders by shifting its finished orders back in 60-day
steps (one executemany); no ANALYZE was run, as no station runs it."""


if __name__ == "__main__":
    main()
