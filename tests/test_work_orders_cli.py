"""`gridsvc orders list [--overdue] [--grid G]`."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import insert
from test_work_orders_sample import Desk, desk, station_template

from gridsvc_desktop.cli import main
from gridsvc_desktop.db.models import WorkOrder
from gridsvc_desktop.domain.enums import OrderStatus, OrderType

FIXTURES = (
    desk,
    station_template,
)  # the sample station's fixtures, used by pytest


def test_orders_list(desk: Desk, capsys: pytest.CaptureFixture[str]) -> None:
    st = desk.st
    now = dt.datetime.now().replace(microsecond=0)  # taken here: the module may load minutes earlier
    rows = [
        ("GD20261101" + "0001", OrderStatus.dispatched, "东关网格", now - dt.timedelta(hours=2)),
        ("GD20261101" + "0002", OrderStatus.new, "南湖网格", now + dt.timedelta(hours=5)),
        ("GD20261101" + "0003", OrderStatus.on_site, "南湖网格", now - dt.timedelta(minutes=10)),
        ("GD20261101" + "0004", OrderStatus.closed, "东关网格", now - dt.timedelta(days=3)),
    ]
    with desk.db.write_connection() as conn:
        conn.execute(
            insert(WorkOrder.__table__),  # type: ignore[arg-type]
            [
                {
                    "number": number,
                    "type": OrderType.inquiry.value,
                    "status": status.value,
                    "grid_id": st.grids[grid],
                    "assignee_id": st.staff["张伟"],
                    "caller_name": "王秀英",
                    "received_at": due - dt.timedelta(days=1),
                    "resolve_due": due,
                    "version": 1,
                }
                for number, status, grid, due in rows
            ],
        )
    data = ["--data-dir", str(desk.paths.root)]

    assert main(["orders", "list", *data]) == 0
    out, err = capsys.readouterr()
    lines = out.strip().splitlines()
    assert [line.split("\t")[0] for line in lines] == [
        "GD202611010001", "GD202611010003", "GD202611010002",
    ]  # open ones, the nearest deadline first  # fmt: skip
    assert "超时2小时00分" in lines[0] and "东关网格" in lines[0] and "张伟" in lines[0]
    assert lines[2].split("\t")[3].startswith("剩")
    assert "共 3 张" in err

    assert main(["orders", "list", "--overdue", *data]) == 0
    out, _ = capsys.readouterr()
    assert [line.split("\t")[0] for line in out.strip().splitlines()] == [
        "GD202611010001", "GD202611010003",
    ]  # fmt: skip

    assert main(["orders", "list", "--overdue", "--grid", "南湖网格", *data]) == 0
    out, _ = capsys.readouterr()
    assert [line.split("\t")[0] for line in out.strip().splitlines()] == ["GD202611010003"]
    assert main(["orders", "list", "--grid", "G02", "--limit", "1", *data]) == 0
    out, err = capsys.readouterr()
    assert len(out.strip().splitlines()) == 1 and "列出前 1 张" in err

    assert main(["orders", "list", "--all", *data]) == 0
    out, _ = capsys.readouterr()
    assert len(out.strip().splitlines()) == 4

    assert main(["orders", "list", "--grid", "没有的网格", *data]) == 2
    _, err = capsys.readouterr()
    assert "找不到网格" in err
