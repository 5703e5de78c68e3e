"""Grid figures and the coverage check at county scale, beside bare sqlite3.

    python bench/bench_grids.py --database /tmp/demo500k/gridsvc.sqlite3

Opens the database read-only (SQLite URI mode=ro; nothing is written, not even
the WAL), with the page cache the program uses, and times, best and median of
--repeat runs after one warm-up:
- all_grid_figures: every grid's customers by category and metering, areas,
  feeders, staff, contacts, open/overdue orders and arrears (what the grid page
  shows), beside the same counts as bare sqlite3 GROUP BY statements with the
  per-grid joins done in SQL (the plain-library floor);
- grid_figures for one grid (the largest), beside its bare equivalent;
- coverage_report (every rule, lines capped at 500 per kind);
- grid_layout (the tree's structure).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, event
from sqlmodel import Session

from bench.common import Row, machine, print_table
from gridsvc_desktop.services.coverage import coverage_report
from gridsvc_desktop.services.grid_figures import all_grid_figures, grid_figures
from gridsvc_desktop.services.grids import grid_layout

CACHE = "PRAGMA cache_size = -65536"  # what db/engine.py sets
OPEN = "('new', 'dispatched', 'on_site')"

BARE_ALL = [
    # customers by category and metering, per grid (join in SQL)
    "SELECT t.grid_id, count(*),"
    " sum(c.category = 'residential'), sum(c.category = 'commercial'),"
    " sum(c.category = 'large_industry'), sum(c.category = 'agriculture'),"
    " sum(c.metering = 'individual'), sum(c.metering = 'shared'), sum(c.metering = 'dedicated')"
    " FROM customer c LEFT JOIN transformer_area t ON t.id = c.transformer_area_id"
    " GROUP BY t.grid_id",
    "SELECT grid_id, count(*), count(DISTINCT feeder_id) FROM transformer_area GROUP BY grid_id",
    "SELECT m.grid_id, count(DISTINCT m.staff_id) FROM grid_member m JOIN staff s"
    " ON s.id = m.staff_id WHERE s.active GROUP BY m.grid_id",
    "SELECT grid_id, count(*) FROM contact GROUP BY grid_id",
    f"SELECT grid_id, count(*), sum(resolve_due < ?) FROM work_order WHERE status IN {OPEN}"
    " GROUP BY grid_id",
    "SELECT t.grid_id, count(DISTINCT a.customer_id), sum(a.amount_fen) FROM arrears a"
    " JOIN customer c ON c.id = a.customer_id"
    " LEFT JOIN transformer_area t ON t.id = c.transformer_area_id"
    " WHERE a.status != 'paid' GROUP BY t.grid_id",
]

BARE_ONE = [
    "SELECT count(*), sum(c.category = 'residential'), sum(c.category = 'commercial'),"
    " sum(c.category = 'large_industry'), sum(c.category = 'agriculture'),"
    " sum(c.metering = 'individual'), sum(c.metering = 'shared'), sum(c.metering = 'dedicated')"
    " FROM customer c WHERE c.transformer_area_id IN"
    " (SELECT id FROM transformer_area WHERE grid_id = :g)",
    "SELECT count(*), count(DISTINCT feeder_id) FROM transformer_area WHERE grid_id = :g",
    "SELECT count(DISTINCT m.staff_id) FROM grid_member m JOIN staff s ON s.id = m.staff_id"
    " WHERE s.active AND m.grid_id = :g",
    "SELECT count(*) FROM contact WHERE grid_id = :g",
    f"SELECT count(*), sum(resolve_due < :now) FROM work_order WHERE grid_id = :g"
    f" AND status IN {OPEN}",
    "SELECT count(DISTINCT a.customer_id), sum(a.amount_fen) FROM arrears a"
    " JOIN customer c ON c.id = a.customer_id WHERE a.status != 'paid'"
    " AND c.transformer_area_id IN (SELECT id FROM transformer_area WHERE grid_id = :g)",
]


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """(best, median) milliseconds over `repeat` runs, after one warm-up."""
    fn()
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - t) * 1000)
    return min(runs), statistics.median(runs)


def ms(v: float) -> str:
    return f"{v:,.1f} ms" if v < 100 else f"{v:,.0f} ms"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--database", default="/tmp/demo500k/gridsvc.sqlite3")
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    path = Path(args.database).resolve()
    uri = f"file:{path}?mode=ro"

    engine = create_engine(f"sqlite:///{uri}&uri=true")

    @event.listens_for(engine, "connect")
    def _pragmas(con: sqlite3.Connection, _rec: object) -> None:
        con.execute(CACHE)
        con.execute("PRAGMA temp_store = MEMORY")

    bare = sqlite3.connect(uri, uri=True)
    bare.execute(CACHE)
    bare.execute("PRAGMA temp_store = MEMORY")
    customers = bare.execute("SELECT count(*) FROM customer").fetchone()[0]
    grids = bare.execute("SELECT count(*) FROM grid").fetchone()[0]
    areas = bare.execute("SELECT count(*) FROM transformer_area").fetchone()[0]
    biggest = bare.execute(
        "SELECT t.grid_id FROM customer c JOIN transformer_area t ON t.id = c.transformer_area_id"
        " WHERE t.grid_id IS NOT NULL GROUP BY t.grid_id ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()[0]
    now = dt.datetime.now()
    now_text = now.strftime("%Y-%m-%d %H:%M:%S.%f")

    def bare_all() -> None:
        for sql in BARE_ALL:
            bare.execute(sql, (now_text,) if "?" in sql else ()).fetchall()

    def bare_one() -> None:
        for sql in BARE_ONE:
            bare.execute(sql, {"g": biggest, "now": now_text}).fetchall()

    with Session(engine) as s:
        ours_all = timed(lambda: all_grid_figures(s, now=now), args.repeat)
        ours_one = timed(lambda: grid_figures(s, biggest, now=now), args.repeat)
        cover = timed(lambda: coverage_report(s, now=now), max(3, args.repeat // 2))
        layout = timed(lambda: grid_layout(s), args.repeat)
        report = all_grid_figures(s, now=now)
        one = grid_figures(s, biggest, now=now)
    floor_all = timed(bare_all, args.repeat)
    floor_one = timed(bare_one, args.repeat)

    # the two ways must count the same
    check = bare.execute(BARE_ALL[0]).fetchall()
    by_grid = {row[0]: row[1] for row in check}
    assert all(report.grid(g).customers == n for g, n in by_grid.items() if g is not None)
    assert report.total.customers == customers
    assert one.customers == by_grid[biggest]

    rows = [
        Row(
            "all grids: figures (median)",
            ms(ours_all[1]),
            "< 2,000 ms",
            ms(floor_all[1]),
            f"{ours_all[1] / floor_all[1]:.2f}x",
            "ok" if ours_all[1] < 2000 else "SLOW",
        ),
        Row(
            "all grids: figures (best)",
            ms(ours_all[0]),
            "",
            ms(floor_all[0]),
            f"{ours_all[0] / floor_all[0]:.2f}x",
        ),
        Row(
            f"one grid ({one.customers:,} customers, median)",
            ms(ours_one[1]),
            "< 100 ms",
            ms(floor_one[1]),
            f"{ours_one[1] / floor_one[1]:.2f}x",
            "ok" if ours_one[1] < 100 else "SLOW",
        ),
        Row("coverage report (median)", ms(cover[1]), "< 2,000 ms", "", "", "ok" if cover[1] < 2000 else "SLOW"),
        Row("grid layout for the tree (median)", ms(layout[1]), "< 500 ms", "", "", "ok" if layout[1] < 500 else "SLOW"),
    ]  # fmt: skip
    print(
        f"{path}: {customers:,} customers, {grids} grids, {areas:,} transformer areas; "
        f"{args.repeat} runs after a warm-up\n{machine()}\n"
    )
    print_table("Grids", rows)


if __name__ == "__main__":
    main()
