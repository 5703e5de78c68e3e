"""The county server (PostgreSQL) beside the station file (SQLite), in one run.

    python bench/bench_postgres.py --server postgresql://USER@HOST:PORT/DB
        [--database /tmp/demo500k/gridsvc.sqlite3] [--work DIR]

`--server` names a database on a PostgreSQL server whose user may create
databases; the script makes its own (bench_pg_*) and drops them afterwards.

1. copies the demo county (`--database`, 500,000 customers) to work/A and
   migrates it to head (not timed); exports its customer ledger (not timed);
2. `first import`: imports that ledger (import_ledger, the real service) into
   database B — the county without customers — once as an SQLite file (the
   program's verified pre-import backup included, as a desk would run it) and
   once on the server (no file backup there: the server's own pg_dump is the
   backup), same file, same run;
3. `migrate-to-server`: copies the whole county A onto the server
   (db/transfer.copy_store: COPY per table, then row counts and a checksum per
   table on both sides);
4. search: the queries bench_foundation draws (200 of each kind, pieces of real
   rows) through services.search on A (SQLite, FTS5) and on the server copy
   (pg_trgm); p50 / p95.
"""

from __future__ import annotations

import argparse
import platform
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_foundation import draw_queries  # noqa: E402
from bench_ledgers import _prepare_b  # noqa: E402
from common import percentile, time_each  # noqa: E402
from sqlalchemy import create_engine, func, select  # noqa: E402

from gridsvc_desktop.db.engine import Database, open_server, server_url  # noqa: E402
from gridsvc_desktop.db.models import Customer  # noqa: E402
from gridsvc_desktop.db.store import open_store  # noqa: E402
from gridsvc_desktop.db.transfer import copy_store  # noqa: E402
from gridsvc_desktop.paths import DataPaths  # noqa: E402
from gridsvc_desktop.services import station  # noqa: E402
from gridsvc_desktop.services.exports import export_ledger  # noqa: E402
from gridsvc_desktop.services.imports import import_ledger  # noqa: E402
from gridsvc_desktop.services.search import search_customers  # noqa: E402


class Server:
    def __init__(self, url: str) -> None:
        self.base = server_url(url)
        self.admin = create_engine(self.base, isolation_level="AUTOCOMMIT")
        self.made: list[str] = []

    def create(self, name: str) -> str:
        with self.admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE template0')
        self.made.append(name)
        return self.base.set(database=name).render_as_string(hide_password=False)

    def size(self, name: str) -> int:
        with self.admin.connect() as conn:
            return int(conn.exec_driver_sql(f"SELECT pg_database_size('{name}')").scalar_one())

    def close(self) -> None:
        with self.admin.connect() as conn:
            for name in self.made:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.admin.dispose()


def copy_file(source: Path, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    src, out = sqlite3.connect(f"file:{source}?mode=ro", uri=True), sqlite3.connect(dest)
    src.backup(out)
    src.close()
    out.close()


def timed_import(db: Database, ledger: Path) -> tuple[float, float, int]:
    with db.read() as s:
        admin = station.actor_for(s, "admin")
    t, c = time.perf_counter(), time.process_time()
    plan = import_ledger(db, admin, ledger)
    seconds, cpu = time.perf_counter() - t, time.process_time() - c
    with db.read() as s:
        n = s.execute(select(func.count()).select_from(Customer)).scalar_one()
    assert plan.counts[0] == n, (plan.counts, n)
    return seconds, cpu, n


def search_times(db: Database, queries: dict[str, list[str]]) -> dict[str, tuple[float, float]]:
    out = {}
    with db.read() as session:
        search_customers(session, "王")  # warm caches, like a desk open a while
        for kind, qs in queries.items():
            ms = time_each(lambda q: search_customers(session, q), qs)
            out[kind] = (percentile(ms, 50), percentile(ms, 95))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", required=True, help="postgresql://user@host:port/db")
    parser.add_argument("--database", default="/tmp/demo500k/gridsvc.sqlite3")
    parser.add_argument("--work", help="work folder (default: a temporary one)")
    args = parser.parse_args()
    work = Path(args.work or tempfile.mkdtemp(prefix="bench-pg-"))
    server = Server(args.server)
    results: dict[str, Any] = {}
    try:
        print("preparing: county A, its customer ledger, database B …", flush=True)
        copy_file(Path(args.database), work / "A" / "gridsvc.sqlite3")
        a = open_store(DataPaths(work / "A"))
        with a.read() as s:
            admin = station.actor_for(s, "admin")
        ledger = work / "客户档案.xlsx"
        export_ledger(a, admin, "customers", ledger)
        _prepare_b(work)
        b_pg = open_server(server.create("bench_pg_b"))
        b_file = open_store(DataPaths(work / "B"))
        copy_store(b_file, b_pg)

        print("first import: SQLite file …", flush=True)
        results["import sqlite"] = timed_import(b_file, ledger)
        print("  ", results["import sqlite"], "\nfirst import: PostgreSQL …", flush=True)
        results["import postgres"] = timed_import(b_pg, ledger)
        print("  ", results["import postgres"], flush=True)
        b_file.dispose()
        b_pg.dispose()

        print("migrate-to-server: the whole county …", flush=True)
        county = open_server(server.create("bench_pg_county"))
        t = time.perf_counter()
        report = copy_store(a, county)
        results["transfer"] = (time.perf_counter() - t, report.rows)
        print("  ", results["transfer"], flush=True)
        vacuum = county.engine.execution_options(isolation_level="AUTOCOMMIT")
        with vacuum.connect() as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")  # what autovacuum does soon after a load
        results["size"] = (
            (work / "A" / "gridsvc.sqlite3").stat().st_size,
            server.size("bench_pg_county"),
        )

        print("search …", flush=True)
        con = sqlite3.connect(work / "A" / "gridsvc.sqlite3")
        queries = draw_queries(con, random.Random(20261127))
        con.close()
        results["search sqlite"] = search_times(a, queries)
        results["search postgres"] = search_times(county, queries)
        county.dispose()
        a.dispose()
    finally:
        server.close()
    print_results(results)


def print_results(r: dict[str, Any]) -> None:
    with sqlite3.connect(":memory:") as con:
        sqlite_version = con.execute("SELECT sqlite_version()").fetchone()[0]
    print(f"\n{platform.machine()}, Python {platform.python_version()}, SQLite {sqlite_version}\n")
    print("| measure | SQLite file | PostgreSQL server | ratio |")
    print("|---|---|---|---|")
    (s_sec, s_cpu, n), (p_sec, p_cpu, _) = r["import sqlite"], r["import postgres"]
    print(
        f"| first import of {n:,} customers | {s_sec:.1f} s (cpu {s_cpu:.1f} s) "
        f"| {p_sec:.1f} s (cpu {p_cpu:.1f} s) | {p_sec / s_sec:.2f}x |"
    )
    for kind, (s50, s95) in r["search sqlite"].items():
        p50, p95 = r["search postgres"][kind]
        print(
            f"| search: {kind} p50 / p95 | {s50:.1f} / {s95:.1f} ms "
            f"| {p50:.1f} / {p95:.1f} ms | {p95 / s95:.1f}x (p95) |"
        )
    seconds, rows = r["transfer"]
    file_size, db_size = r["size"]
    print(f"| migrate-to-server ({rows:,} rows, verified) | | {seconds:.1f} s | |")
    print(f"| size of the county | {file_size / 2**20:.0f} MB | {db_size / 2**20:.0f} MB | |")


if __name__ == "__main__":
    main()
