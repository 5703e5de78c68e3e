"""Twenty front desks on one server at once (issue #11, item 4).

20 real processes (GRIDSVC_LOAD_CLIENTS) open the same PostgreSQL database the
way the program does and, for a bounded time (GRIDSVC_LOAD_SECONDS, 10 s by
default; set e.g. 120 for the heavy run), work the front desk: log a call, take
a new order from it, then move a recent order (often another desk's) one step
on — dispatch, on site, resolved, called back — with the version that desk saw,
as a person who opened it a moment ago would. Afterwards:

- every write a desk was told succeeded is in the database (calls, orders, steps);
- no update was lost: for every order, each successful step started from a
  different version, and the order's version is the one the last step made;
- the only refusal a desk met was the version check (OrderConflict, the
  front-desk rule), never a deadlock, a serialization failure or a lock error;
- the audit log's hash chain is one unbroken chain (writers did not interleave).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import pytest
from conftest import PgServer
from sqlalchemy import func, select

from gridsvc_desktop.db.engine import open_server
from gridsvc_desktop.db.models import Call, WorkOrder
from gridsvc_desktop.demo import build_county
from gridsvc_desktop.services import audit

ROOT = Path(__file__).resolve().parents[1]
CLIENTS = int(os.environ.get("GRIDSVC_LOAD_CLIENTS", "20"))
SECONDS = float(os.environ.get("GRIDSVC_LOAD_SECONDS", "10"))

WORKER = r"""
import json, random, sys, time
from pathlib import Path
from sqlalchemy import select
from gridsvc_desktop.db.engine import open_url
from gridsvc_desktop.db.models import Customer, Staff, WorkOrder
from gridsvc_desktop.domain.enums import OrderStatus as S, OrderType
from gridsvc_desktop.services import calls, station, work_orders as wo

url, me, seconds, folder = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), Path(sys.argv[4])
rng = random.Random(me)
db = open_url(url)
with db.read() as s:
    actor = station.actor_for(s, "admin")
    staff = list(s.execute(select(Staff.id).where(Staff.active)).scalars())
    customers = list(s.execute(select(Customer.id).limit(300)).scalars())
(folder / f"ready-{me}").touch()
while not (folder / "go").exists():
    time.sleep(0.01)
log = {"calls": [], "created": [], "steps": [], "conflicts": 0, "errors": []}
deadline = time.monotonic() + seconds
while time.monotonic() < deadline:
    try:
        customer = rng.choice(customers)
        with db.write() as s:
            call = calls.log_call(session=s, actor=actor, data=calls.CallInput(
                phone=f"1390000{me:02d}{rng.randrange(100):02d}", customer_id=customer,
                category=OrderType.repair, summary=f"第{me}台：家里停电"))
            call_id = call.id
        log["calls"].append(call_id)
        with db.write() as s:
            order = wo.create_order(session=s, actor=actor, call_id=call_id, data=wo.OrderInput(
                type=OrderType.repair, customer_id=customer, description=f"第{me}台受理：停电"))
            log["created"].append([order.id, order.version])
        # Open one of the newest orders (on any desk), then save a step on it.
        with db.read() as s:
            recent = s.execute(select(WorkOrder.id, WorkOrder.status, WorkOrder.version)
                .where(WorkOrder.status.in_([S.new, S.dispatched, S.on_site, S.resolved]))
                .order_by(WorkOrder.id.desc()).limit(15)).all()
        if not recent:
            continue
        oid, status, seen = rng.choice(recent)
        try:
            with db.write() as s:
                common = dict(session=s, actor=actor, order_id=oid, expected_version=seen)
                if status == S.new:
                    done = wo.dispatch(assignee_id=rng.choice(staff), **common)
                elif status == S.dispatched:
                    done = wo.mark_on_site(**common)
                elif status == S.on_site:
                    done = wo.resolve(resolution="已修复，恢复供电", **common)
                else:
                    done = wo.call_back(satisfaction=5, note="客户满意", **common)
                step = [oid, seen, done.version, str(status)]
            log["steps"].append(step)
        except wo.OrderConflict:
            log["conflicts"] += 1
    except Exception as exc:  # anything else would have reached the user
        log["errors"].append(f"{type(exc).__name__}: {exc}")
(folder / f"log-{me}.json").write_text(json.dumps(log), encoding="utf-8")
db.dispose()
"""


@pytest.mark.slow
def test_twenty_desks_at_once_lose_nothing(pg_server: PgServer, tmp_path: Path) -> None:
    url = pg_server.create()
    try:
        db = open_server(url)
        build_county(db, customers=1000, seed=5, today=dt.date.today())
        with db.read() as s:
            calls_before = s.execute(select(func.count()).select_from(Call)).scalar_one()
            orders_before = s.execute(select(func.count()).select_from(WorkOrder)).scalar_one()
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", WORKER, url, str(i), str(SECONDS), str(tmp_path)],
                cwd=ROOT,
                env=env,
                stderr=subprocess.PIPE,
                text=True,
            )
            for i in range(CLIENTS)
        ]
        limit = time.monotonic() + 120
        while len(list(tmp_path.glob("ready-*"))) < CLIENTS:
            assert time.monotonic() < limit, "the desks did not start"
            assert all(p.poll() is None for p in procs), [
                p.stderr.read() for p in procs if p.stderr
            ]
            time.sleep(0.05)
        (tmp_path / "go").touch()
        for p in procs:
            _, err = p.communicate(timeout=SECONDS + 120)
            assert p.returncode == 0, err
        logs = [json.loads((tmp_path / f"log-{i}.json").read_text()) for i in range(CLIENTS)]

        errors = [e for log in logs for e in log["errors"]]
        assert errors == []
        call_ids = [c for log in logs for c in log["calls"]]
        created = {oid: v for log in logs for oid, v in log["created"]}
        steps = [tuple(s) for log in logs for s in log["steps"]]
        conflicts = sum(log["conflicts"] for log in logs)
        print(
            f"\n{CLIENTS} desks × {SECONDS:g} s: {len(call_ids)} calls, {len(created)} new orders, "
            f"{len(steps)} steps saved, {conflicts} refused by the version check"
        )
        assert len(created) >= CLIENTS  # every desk got work done
        assert len(set(call_ids)) == len(call_ids)

        by_order: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for oid, seen, new, _status in steps:
            by_order[oid].append((seen, new))
        with db.read() as s:
            # Every write a desk was told about is there.
            found_calls = s.execute(
                select(Call.id, Call.work_order_id).where(Call.id.in_(call_ids))
            )
            linked = dict(found_calls.all())
            assert set(linked) == set(call_ids)
            assert set(created) <= {v for v in linked.values() if v is not None}
            total_orders = s.execute(select(func.count()).select_from(WorkOrder)).scalar_one()
            assert total_orders == orders_before + len(created)
            all_calls = s.execute(select(func.count()).select_from(Call)).scalar_one()
            assert all_calls >= calls_before + len(call_ids)  # and the call-backs' own calls
            versions = {
                oid: v
                for oid, v in s.execute(
                    select(WorkOrder.id, WorkOrder.version).where(WorkOrder.id.in_(by_order))
                )
            }
            # No lost update: each step began from a different version, one after another.
            for oid, chain in by_order.items():
                seens = sorted(seen for seen, _ in chain)
                assert len(set(seens)) == len(seens), f"order {oid}: two saves from one version"
                assert all(new == seen + 1 for seen, new in chain)
                assert versions[oid] == max(new for _, new in chain)
            assert audit.verify_chain(s) is None
        db.dispose()
    finally:
        pg_server.drop(url)
