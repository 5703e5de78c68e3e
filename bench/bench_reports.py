"""Issue 8's figures: a 20,000-order work-order report, beside plain reportlab tables.

    python bench/bench_reports.py [--work /tmp/bench-reports] [--orders 20000] [--write-readme]

Builds a demo county (5,000 customers) in `--work`, grows its orders to
`--orders` received in one month (copies of the demo's orders, each moved in
time as a whole), then, in the same run and with the same font:

- the report: `services.reports.build_report("work_orders", detail=True)`,
  end to end (query, figures, charts, the overdue list, every order listed,
  page x of y, audit row): time, pages, pages per second;
- the same 20,000 detail rows (the very strings the report printed) laid out
  by our `PagedTable` alone, on the same template;
- plain reportlab: the same rows and columns as one platypus `Table` with
  `repeatRows=1` (the way the library's documentation writes a long table),
  in a SimpleDocTemplate, landscape A4, the bundled font;
- and as 40-row `Table`s in a loop (DESIGN.md's faster plain variant).

The ratio is the report's time to the plain table's (target ≤ 1.5x).
With --write-readme a "## Reports" section is appended to bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
import time
from io import BytesIO
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import Row, machine, print_table
from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.db.store import open_store
from gridsvc_desktop.demo import build_county
from gridsvc_desktop.paths import DataPaths

HERE = Path(__file__).resolve().parent
TODAY = dt.date(2026, 11, 20)
NOW = dt.datetime(2026, 11, 20, 8, 0)
START, END = dt.date(2026, 10, 21), dt.date(2026, 11, 20)
TIMES = (
    "received_at", "dispatched_at", "contacted_at", "arrived_at", "resolved_at",
    "called_back_at", "closed_at", "contact_due", "arrival_due", "resolve_due",
)  # fmt: skip


def clone_orders(db: Database, count: int, start: dt.date, end: dt.date) -> None:
    """Add `count` copies of the county's orders, received evenly over [start, end],
    each moved in time as a whole (its deadlines and steps keep their distances)."""
    from sqlalchemy import insert, select

    from gridsvc_desktop.db.models import WorkOrder

    table = WorkOrder.__table__  # type: ignore[attr-defined]
    columns = [c for c in table.c if c.name not in ("id", "next_due")]
    with db.write_connection() as conn:
        sources = [dict(r._mapping) for r in conn.execute(select(*columns))]
        span = (end - start).days + 1
        rows = []
        for n in range(count):
            row = dict(sources[n % len(sources)])
            day = start + dt.timedelta(days=n * span // count)
            shift = dt.datetime.combine(day, row["received_at"].time()) - row["received_at"]
            for key in TIMES:
                if row[key] is not None:
                    row[key] = row[key] + shift
            row["number"] = f"GD9{n:011d}"
            row["external_no"] = None
            row["merged_into_id"] = None
            rows.append(row)
        conn.execute(insert(table), rows)


def county(work: Path, orders: int) -> Database:
    shutil.rmtree(work, ignore_errors=True)
    db = open_store(DataPaths(work))
    build_county(db, customers=5000, seed=1, today=TODAY)
    from sqlalchemy import text

    with db.engine.connect() as conn:
        have = conn.execute(
            text("SELECT count(*) FROM work_order WHERE received_at >= :s AND received_at < :e"),
            {"s": f"{START} 00:00:00", "e": f"{END + dt.timedelta(days=1)} 00:00:00"},
        ).scalar_one()
    clone_orders(db, orders - have, START, END)
    return db


def report_rows(db: Database) -> tuple[list[Any], list[Any]]:
    """The detail rows as the report prints them, and its columns."""
    from sqlmodel import select

    from gridsvc_desktop.db.models import Station
    from gridsvc_desktop.reports import work_orders as wo
    from gridsvc_desktop.services.reports import ReportContext, ReportParams, get_spec
    from gridsvc_desktop.services.sla_policy import load_policy

    with db.read() as s:
        station = s.execute(select(Station)).scalar_one()
        ctx = ReportContext(
            spec=get_spec("work_orders"), params=ReportParams(start=START, end=END),
            station=station.name, county=station.county, hotline=station.hotline,
            generated_at=NOW, generated_by="bench", unmask=False, policy=load_policy(s),
        )  # fmt: skip
        stats = wo.collect(s, ctx)
    rows = [r.cells if hasattr(r, "cells") else r for r in wo.detail_rows(stats, ctx)]
    return rows, wo.DETAIL_COLUMNS


def plain_table(rows: list[Any], columns: list[Any], chunk: int | None) -> tuple[float, int]:
    """reportlab as the documentation writes it: Table(repeatRows=1), same font."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.platypus import LongTable, SimpleDocTemplate, Table, TableStyle

    from gridsvc_desktop.reports.fonts import FONT, register_fonts

    register_fonts()
    started = time.perf_counter()
    width = landscape(A4)[0] - 30 * mm
    total = sum(c.width for c in columns)
    widths = [width * c.width / total for c in columns]
    header = [c.title.replace("\n", "") for c in columns]
    style = TableStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), FONT),
            ("FONTSIZE", (0, 0), (-1, -1), 8),
            ("LINEBELOW", (0, 0), (-1, -1), 0.35, colors.HexColor("#c9d3de")),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e3eaf3")),
            ("ALIGN", (0, 0), (0, -1), "RIGHT"),
        ]
    )
    buf = BytesIO()
    doc = SimpleDocTemplate(
        buf, pagesize=landscape(A4), leftMargin=15 * mm, rightMargin=15 * mm,
        topMargin=20 * mm, bottomMargin=16 * mm,
    )  # fmt: skip
    if chunk is None:
        story = [LongTable([header, *rows], colWidths=widths, repeatRows=1, style=style)]
    else:
        story = [
            Table([header, *rows[i : i + chunk]], colWidths=widths, repeatRows=1, style=style)
            for i in range(0, len(rows), chunk)
        ]
    doc.build(story)
    return time.perf_counter() - started, doc.page


def ours_table(rows: list[Any], columns: list[Any]) -> tuple[float, int]:
    from gridsvc_desktop.reports.tables import PagedTable
    from gridsvc_desktop.reports.template import PageInfo, render

    started = time.perf_counter()
    info = PageInfo(
        station="bench", title="工单明细", generated_at=NOW, generated_by="bench", landscape=True
    )
    pdf = render(info, [PagedTable(columns, rows, size=8)])
    return time.perf_counter() - started, pdf.pages


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--work", default="/tmp/bench-reports")
    ap.add_argument("--orders", type=int, default=20_000)
    ap.add_argument("--write-readme", action="store_true")
    args = ap.parse_args()
    load0 = os.getloadavg()[0]

    t = time.perf_counter()
    db = county(Path(args.work), args.orders)
    print(
        f"county with {args.orders:,} orders in the month: {time.perf_counter() - t:.1f} s",
        flush=True,
    )

    from gridsvc_desktop.reports.fonts import register_fonts
    from gridsvc_desktop.services.reports import ReportParams, build_report
    from gridsvc_desktop.services.station import actor_for

    register_fonts()
    with db.read() as s:
        actor = actor_for(s, "admin")
    t = time.perf_counter()
    result = build_report(db, actor, "work_orders", ReportParams(start=START, end=END), now=NOW)
    report_s = time.perf_counter() - t
    print(f"report: {report_s:.1f} s, {result.pages} pages", flush=True)

    rows, columns = report_rows(db)
    ours_s, ours_pages = ours_table(rows, columns)
    print(f"PagedTable alone: {ours_s:.1f} s, {ours_pages} pages", flush=True)
    chunked_s, chunked_pages = plain_table(rows, columns, 40)
    print(f"plain 40-row Tables: {chunked_s:.1f} s, {chunked_pages} pages", flush=True)
    plain_s, plain_pages = plain_table(rows, columns, None)
    print(f"plain LongTable: {plain_s:.1f} s, {plain_pages} pages", flush=True)
    load1 = os.getloadavg()[0]

    ratio = report_s / plain_s
    table_rows = [
        Row(
            f"work-order report, {len(rows):,} orders listed (end to end)",
            f"{report_s:.1f} s, {result.pages} pages, {result.pages / report_s:.0f} pages/s",
            "≤ 1.5x plain",
            f"{plain_s:.1f} s, {plain_pages} pages",
            f"{ratio:.2f}x",
            "ok" if ratio <= 1.5 else "MISSED",
        ),
        Row(
            "  the same rows, PagedTable alone",
            f"{ours_s:.1f} s, {ours_pages} pages, {ours_pages / ours_s:.0f} pages/s",
            "",
            f"{plain_s:.1f} s",
            f"{ours_s / plain_s:.2f}x",
        ),
        Row(
            "  plain reportlab, 40-row Tables in a loop",
            f"{chunked_s:.1f} s, {chunked_pages} pages, {chunked_pages / chunked_s:.0f} pages/s",
            "",
            f"{plain_s:.1f} s",
            f"{chunked_s / plain_s:.2f}x",
        ),
        Row("machine load average (1 min) before / after", f"{load0:.1f} / {load1:.1f}"),
    ]
    text = print_table("Reports", table_rows)
    if args.write_readme:
        note = (
            f"\nMeasured {dt.date.today():%Y-%m-%d} on {machine()} with "
            f"`python bench/bench_reports.py --write-readme`: one run each, in one process, "
            "the same font (WenQuanYi Micro Hei, embedded). The county has 5,000 customers "
            f"and {len(rows):,} orders received 2026-10-21…2026-11-20 (the demo's orders "
            'copied and moved in time). "Plain" is the same detail rows and column widths as '
            "one reportlab `LongTable(repeatRows=1)` in a SimpleDocTemplate, the way the "
            "library's guide writes a long table; it does not wrap the address column, so it "
            "has fewer pages. The report's time is everything the program does: query, "
            "figures, three charts, the overdue list, all orders listed with wrapped "
            "addresses, page x of y, the audit row.\n"
        )
        with (HERE / "README.md").open("a", encoding="utf-8") as f:
            f.write("\n" + text + "\n" + note)
    db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
