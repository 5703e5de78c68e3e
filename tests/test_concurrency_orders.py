"""Two PCs on one database file: two real processes edit the same work order.

Each process opens the file the way the program does, reads the order (its
version), waits at a barrier of files, then saves. The save based on a version
someone else has moved on is refused with what changed; nothing is overwritten.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_work_orders_sample import Desk, desk, station_template

from gridsvc_desktop.db.models import WorkOrder
from gridsvc_desktop.domain.enums import OrderStatus, OrderType
from gridsvc_desktop.services import work_orders as wo

FIXTURES = (
    desk,
    station_template,
)  # the sample station's fixtures, used by pytest

ROOT = Path(__file__).resolve().parents[1]

WORKER = r"""
import json, sys, time
from pathlib import Path
from gridsvc_desktop.db.engine import open_sqlite
from gridsvc_desktop.services import station, work_orders as wo
from gridsvc_desktop.db.models import WorkOrder

db_path, order_id, action, folder, wait_for = sys.argv[1:6]
folder = Path(folder)
db = open_sqlite(Path(db_path), create=False)
with db.read() as s:
    actor = station.actor_for(s, "admin")
    seen = s.get(WorkOrder, int(order_id)).version      # what this PC's screen shows
(folder / f"ready-{action}").touch()
def wait(name):
    for _ in range(600):
        if (folder / name).exists():
            return
        time.sleep(0.02)
    raise SystemExit(f"timed out waiting for {name}")
wait("go")
if wait_for != "-":
    wait(wait_for)
result = {"action": action, "seen": seen}
try:
    with db.write() as s:
        if action == "on_site":
            wo.mark_on_site(session=s, actor=actor, order_id=int(order_id), expected_version=seen)
        else:
            o = s.get(WorkOrder, int(order_id))
            wo.update_order(session=s, actor=actor, order_id=int(order_id), expected_version=seen,
                data=wo.OrderEdit(urgency=o.urgency, caller_name=o.caller_name,
                                  caller_phone=o.caller_phone, address=o.address,
                                  description="客户补充：电表箱冒烟"))
    result["ok"] = True
except wo.OrderConflict as exc:
    result.update(ok=False, message=str(exc), fields=[c.field for c in exc.changes])
(folder / f"done-{action}").touch()
print(json.dumps(result, ensure_ascii=False))
db.dispose()
"""


def start(
    d: Desk, order_id: int, action: str, folder: Path, wait_for: str = "-"
) -> subprocess.Popen[str]:

    return subprocess.Popen(
        [
            sys.executable,
            "-c",
            WORKER,
            str(d.paths.database),
            str(order_id),
            action,
            str(folder),
            wait_for,
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def dispatched_order(d: Desk) -> int:
    with d.db.write() as s:
        o = wo.create_order(
            session=s,
            actor=d.admin,
            data=wo.OrderInput(
                type=OrderType.repair, customer_id=d.st.customers["王秀英"], description="家中停电"
            ),
            dispatch_now=True,
        )
        assert o.id is not None
        return o.id


class Pair:
    """Two processes about one order: "on_site" and "edit" (which may wait for the other)."""

    def __init__(self, d: Desk, order_id: int, folder: Path, *, b_waits: bool) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.procs = [
            start(d, order_id, "on_site", folder),
            start(d, order_id, "edit", folder, "done-on_site" if b_waits else "-"),
        ]

    def ready(self) -> bool:
        for proc in self.procs:
            if proc.poll() is not None:
                raise AssertionError(proc.stderr.read() if proc.stderr else "worker died")
        return all((self.folder / f"ready-{x}").exists() for x in ("on_site", "edit"))

    def go(self) -> None:
        (self.folder / "go").touch()

    def results(self) -> dict[str, dict[str, object]]:
        out = {}
        for proc in self.procs:
            stdout, stderr = proc.communicate(timeout=60)
            assert proc.returncode == 0, stderr
            result = json.loads(stdout.strip().splitlines()[-1])
            out[result["action"]] = result
        return out


@pytest.mark.slow
def test_two_processes_editing_one_order(desk: Desk, tmp_path: Path) -> None:
    """Ordered: the second save, based on version 2, is refused with what the
    first changed. At once: BEGIN IMMEDIATE serialises them, one wins, the
    other is refused. Both scenarios run side by side (four processes)."""
    ordered_id, race_id = dispatched_order(desk), dispatched_order(desk)
    ordered = Pair(desk, ordered_id, tmp_path / "ordered", b_waits=True)
    race = Pair(desk, race_id, tmp_path / "race", b_waits=False)
    deadline = time.monotonic() + 90
    while not (ordered.ready() and race.ready()):
        assert time.monotonic() < deadline, "workers did not start"
        time.sleep(0.02)
    ordered.go()  # both of each pair have read version 2; now they save
    race.go()

    out = ordered.results()
    assert out["on_site"]["seen"] == out["edit"]["seen"] == 2
    assert out["on_site"]["ok"] is True
    refused = out["edit"]
    assert refused["ok"] is False
    message = str(refused["message"])
    assert "您打开的是第 2 版，现在是第 3 版" in message
    assert "状态：已派单 → 已到场" in message
    assert "status" in refused["fields"] and "arrived_at" in refused["fields"]  # type: ignore[operator]
    with desk.db.read() as s:
        o = s.get(WorkOrder, ordered_id)
        assert o is not None
        assert (o.status, o.version, o.description) == (OrderStatus.on_site, 3, "家中停电")

    out = race.results()
    winners = [r for r in out.values() if r["ok"]]
    losers = [r for r in out.values() if not r["ok"]]
    assert len(winners) == 1 and len(losers) == 1
    assert "现在是第 3 版" in str(losers[0]["message"])
    with desk.db.read() as s:
        o = s.get(WorkOrder, race_id)
        assert o is not None and o.version == 3
        if winners[0]["action"] == "on_site":
            assert (o.status, o.description) == (OrderStatus.on_site, "家中停电")
        else:
            assert (o.status, o.description) == (OrderStatus.dispatched, "客户补充：电表箱冒烟")
