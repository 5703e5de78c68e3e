"""Who an outage reaches, at county scale, beside bare sqlite3.

    python bench/bench_outages.py --data-dir /tmp/demo500k

Uses the demo county in --data-dir (built there first if it has none:
`gridsvc demo --customers 500000`, about a minute), copied with SQLite's backup
API into --work (the shared demo is left untouched; the copy is migrated and
kept for the next run). An outage over the whole of the feeder with the most
customers is announced in the copy, then timed, best and median of --repeat
runs after one warm-up:
- `services.outages.affected` (customers by category, important customers by
  name, areas, grids and managers, communities, compounds, buildings and the
  contacts who reach them), the 200 ms target of issue #6;
- the same statements in bare sqlite3 (the plain-library floor: same joins,
  same grouping, the same id lists passed on, rows fetched, nothing assembled);
- `active_outages_for_area` (what the desk asks for each caller) and the
  message targets of every contact and manager (`outage_notices.targets`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sqlite3
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import delete, select

from bench.bench_grids import ms, timed
from bench.common import Row, machine, print_table
from gridsvc_desktop.db.models import Outage, OutageScope, TransformerArea
from gridsvc_desktop.db.store import open_store
from gridsvc_desktop.domain.enums import OutageKind
from gridsvc_desktop.paths import DataPaths
from gridsvc_desktop.services import outage_notices, outages
from gridsvc_desktop.services.station import actor_for

AREAS = (
    "SELECT transformer_area_id FROM outage_scope WHERE outage_id = :o"
    " AND transformer_area_id IS NOT NULL"
    " UNION SELECT id FROM transformer_area WHERE feeder_id IN"
    " (SELECT feeder_id FROM outage_scope WHERE outage_id = :o AND feeder_id IS NOT NULL)"
)
BARE_AREAS = (
    "SELECT t.id, t.code, t.name, f.name, g.id, g.name, s.id, s.name, s.phone"
    " FROM transformer_area t LEFT JOIN feeder f ON f.id = t.feeder_id"
    " LEFT JOIN grid g ON g.id = t.grid_id LEFT JOIN staff s ON s.id = g.manager_id"
    f" WHERE t.id IN ({AREAS}) ORDER BY t.code"
)
BARE_GROUPS = (
    "SELECT transformer_area_id, category, community_id, compound_id, building_id, count(*)"
    f" FROM customer WHERE transformer_area_id IN ({AREAS})"
    " GROUP BY transformer_area_id, category, community_id, compound_id, building_id"
)
BARE_IMPORTANT = (
    "SELECT c.id, c.account_no, c.name, c.category, c.metering, c.contract_kva, c.phone,"
    " c.address, t.name FROM customer c LEFT JOIN transformer_area t"
    f" ON t.id = c.transformer_area_id WHERE c.transformer_area_id IN ({AREAS})"
    " AND c.category = 'large_industry' ORDER BY c.contract_kva DESC, c.account_no"
)


def bare_affected(con: sqlite3.Connection, oid: int) -> int:
    """The service's statements in bare sqlite3, the id lists passed the same way
    (communities, compounds and grids found in the first two)."""
    areas = con.execute(BARE_AREAS, {"o": oid}).fetchall()
    groups = con.execute(BARE_GROUPS, {"o": oid}).fetchall()
    communities = sorted({g[2] for g in groups if g[2] is not None})
    compounds = sorted({g[3] for g in groups if g[3] is not None})
    grids = sorted({a[4] for a in areas if a[4] is not None})

    def marks(ids: list[int]) -> str:
        return ",".join("?" * len(ids)) or "NULL"

    con.execute(
        "SELECT id, name FROM admin_area WHERE id IN (" + marks(communities) + ")", communities
    ).fetchall()
    con.execute(
        "SELECT c.id, c.name, b.id, b.name FROM compound c LEFT JOIN building b"
        " ON b.compound_id = c.id WHERE c.id IN (" + marks(compounds) + ")",
        compounds,
    ).fetchall()
    con.execute(BARE_IMPORTANT, {"o": oid}).fetchall()
    contacts = con.execute(
        "SELECT k.*, a.name, p.name, b.name FROM contact k LEFT JOIN admin_area a"
        " ON a.id = k.community_id LEFT JOIN compound p ON p.id = k.compound_id"
        " LEFT JOIN building b ON b.id = k.building_id WHERE k.compound_id IN ("
        + marks(compounds)
        + ") OR k.community_id IN ("
        + marks(communities)
        + ") OR k.grid_id IN ("
        + marks(grids)
        + ") ORDER BY k.compound_id, k.kind, k.id",
        [*compounds, *communities, *grids],
    ).fetchall()
    return sum(g[5] for g in groups) + 0 * len(contacts)


def prepare(source: Path, work: Path, customers: int) -> Path:
    """The demo database copied into `work` (built in `source` first if missing)."""
    db_file = source / "gridsvc.sqlite3"
    if not db_file.exists():
        print(f"building the demo county in {source} …", flush=True)
        subprocess.run(
            [sys.executable, "-m", "gridsvc_desktop.cli", "demo", "--customers", str(customers),
             "--data-dir", str(source)],
            check=True,
        )  # fmt: skip
    copy = work / "gridsvc.sqlite3"
    if not copy.exists():
        work.mkdir(parents=True, exist_ok=True)
        src = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True)
        dst = sqlite3.connect(copy)
        src.backup(dst)
        dst.close()
        src.close()
    return work


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data-dir", default="/tmp/demo500k")
    ap.add_argument("--work", default="/tmp/bench_outages")
    ap.add_argument("--customers", type=int, default=500_000)
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    work = prepare(Path(args.data_dir), Path(args.work), args.customers)
    db = open_store(DataPaths(work))

    bare = sqlite3.connect(work / "gridsvc.sqlite3")
    bare.execute("PRAGMA cache_size = -65536")
    customers = bare.execute("SELECT count(*) FROM customer").fetchone()[0]
    feeder, feeder_customers = bare.execute(
        "SELECT t.feeder_id, count(*) FROM customer c JOIN transformer_area t"
        " ON t.id = c.transformer_area_id GROUP BY t.feeder_id ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()
    now = dt.datetime.now().replace(second=0, microsecond=0)
    with db.write() as s:
        admin = actor_for(s, "admin")
        o = outages.announce(
            session=s, actor=admin,
            data=outages.OutageInput(
                kind=OutageKind.planned, planned_start=now + dt.timedelta(days=8),
                planned_end=now + dt.timedelta(days=8, hours=8), reason="基准测试：全线检修",
                feeder_ids=[feeder],
            ),
        )  # fmt: skip
        oid = o.id
        area = s.execute(
            select(TransformerArea.id).where(TransformerArea.feeder_id == feeder)  # type: ignore[call-overload]
        ).scalar()
    assert oid is not None

    def floor() -> int:
        return bare_affected(bare, oid)

    with db.read() as s:
        ours = timed(lambda: outages.affected(s, oid), args.repeat)
        active = timed(lambda: outages.active_outages_for_area(s, area, now), args.repeat)
        msgs = timed(lambda: outage_notices.targets(s, oid), max(3, args.repeat // 2))
        result = outages.affected(s, oid)
        n_targets = len(outage_notices.targets(s, oid))
    base = timed(floor, args.repeat)
    assert result.customers == feeder_customers == floor(), (result.customers, feeder_customers)
    with db.write() as s:  # leave the copy as it was
        s.execute(delete(OutageScope).where(OutageScope.outage_id == oid))  # type: ignore[arg-type]
        s.execute(delete(Outage).where(Outage.id == oid))  # type: ignore[arg-type]

    rows = [
        Row(
            f"affected(): whole feeder, {result.customers:,} customers (median)",
            ms(ours[1]), "< 200 ms", ms(base[1]), f"{ours[1] / base[1]:.2f}x",
            "ok" if ours[1] < 200 else "SLOW",
        ),
        Row("affected(): best", ms(ours[0]), "", ms(base[0]), f"{ours[0] / base[0]:.2f}x"),
        Row("active_outages_for_area (one caller, median)", ms(active[1]), "< 10 ms", "", "",
            "ok" if active[1] < 10 else "SLOW"),
        Row(f"messages for {n_targets} contacts and managers (median)", ms(msgs[1]), "< 1,000 ms",
            "", "", "ok" if msgs[1] < 1000 else "SLOW"),
    ]  # fmt: skip
    print(
        f"{work}: {customers:,} customers; feeder {feeder}: {len(result.areas)} areas, "
        f"{len(result.grids)} grids, {len(result.compounds)} compounds, {result.buildings} "
        f"buildings, {len(result.contacts)} contacts, {len(result.important)} important "
        f"customers; {args.repeat} runs after a warm-up\n{machine()}\n"
    )
    print_table("Outages", rows)


if __name__ == "__main__":
    main()
