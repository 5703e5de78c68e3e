"""A small station for the front-desk tests, built with the services.

`build_station(db)` makes three grids over one town:
- 东关网格 (urban, dedicated manager 张伟), transformer area T001;
- 南湖网格 (rural, a team: manager 李娜 (general), repair 赵强 and 钱敏,
  metering and billing 孙丽, new connection 周杰, inspection 吴芳), T002;
- 青山网格 (remote, dedicated manager 王强), T003;
plus T004 in no grid, a stand-in 刘洋 outside every grid, and customers on
each transformer area (and one on none). Other modules import it.
"""

from __future__ import annotations

import datetime as dt
import itertools
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.db.models import StaffLeave, WorkOrder
from gridsvc_desktop.db.store import open_store
from gridsvc_desktop.domain.enums import (
    AreaClass,
    AreaLevel,
    CustomerCategory,
    GridRole,
    OrderStatus,
    OrderType,
    ServiceMode,
    Specialty,
)
from gridsvc_desktop.paths import DataPaths
from gridsvc_desktop.services import customers, grids, roster, station
from gridsvc_desktop.services.actor import SYSTEM, Actor


@dataclass
class Station:
    staff: dict[str, int] = field(default_factory=dict)
    grids: dict[str, int] = field(default_factory=dict)
    tas: dict[str, int] = field(default_factory=dict)
    customers: dict[str, int] = field(default_factory=dict)


PEOPLE = [
    ("张伟", "13900001111", [Specialty.general, Specialty.repair]),
    ("李娜", "13900002222", [Specialty.general]),
    ("赵强", "13900003333", [Specialty.repair]),
    ("钱敏", "13900004444", [Specialty.repair]),
    ("孙丽", "13900005555", [Specialty.metering_billing]),
    ("周杰", "13900006666", [Specialty.new_connection]),
    ("吴芳", "13900007777", [Specialty.inspection]),
    ("王强", "13900008888", [Specialty.general]),
    ("刘洋", "13900009999", [Specialty.general, Specialty.repair]),
]


def build_station(db: Database) -> Station:
    st = Station()
    with db.write() as s:
        town = grids.ensure_area(s, SYSTEM, "城关镇", AreaLevel.town)
        east = grids.ensure_area(s, SYSTEM, "东关社区", AreaLevel.community, town.id)
        lake = grids.ensure_area(
            s, SYSTEM, "南湖村", AreaLevel.community, town.id, area_class=AreaClass.rural
        )
        hill = grids.ensure_area(
            s, SYSTEM, "青山村", AreaLevel.community, town.id, area_class=AreaClass.remote
        )
        for n, (name, phone, specs) in enumerate(PEOPLE, start=1):
            person = roster.create_staff(
                session=s,
                actor=SYSTEM,
                data=roster.StaffInput(
                    employee_no=f"E{n:03d}", name=name, phone=phone, specialties=specs
                ),
            )
            assert person.id is not None
            st.staff[name] = person.id
        for code, name, area, mode, manager in [
            ("G01", "东关网格", east, ServiceMode.dedicated_manager, "张伟"),
            ("G02", "南湖网格", lake, ServiceMode.team, "李娜"),
            ("G03", "青山网格", hill, ServiceMode.dedicated_manager, "王强"),
        ]:
            grid = grids.create_grid(
                session=s,
                actor=SYSTEM,
                data=grids.GridInput(
                    code=code,
                    name=name,
                    community_id=area.id,
                    area_class=area.area_class,
                    service_mode=mode,
                    manager_id=st.staff[manager],
                ),
            )
            assert grid.id is not None
            st.grids[name] = grid.id
            roster.set_grid_member(
                session=s,
                actor=SYSTEM,
                grid_id=grid.id,
                staff_id=st.staff[manager],
                role=GridRole.manager,
            )
        for member in ("赵强", "钱敏", "孙丽", "周杰", "吴芳"):
            roster.set_grid_member(
                session=s,
                actor=SYSTEM,
                grid_id=st.grids["南湖网格"],
                staff_id=st.staff[member],
                role=GridRole.member,
            )
        for code, name, grid_name, area in [
            ("T001", "东关1号台区", "东关网格", east),
            ("T002", "南湖2号台区", "南湖网格", lake),
            ("T003", "青山3号台区", "青山网格", hill),
            ("T004", "孤立4号台区", None, lake),
        ]:
            ta = grids.create_transformer_area(
                session=s,
                actor=SYSTEM,
                data=grids.TransformerAreaInput(
                    code=code,
                    name=name,
                    feeder="10kV城关线",
                    grid_id=st.grids[grid_name] if grid_name else None,
                    community_id=area.id,
                ),
            )
            assert ta.id is not None
            st.tas[code] = ta.id
        for account, name, address, ta_code, category, phone in [
            ("3700000001", "王秀英", "城关镇东关社区幸福小区3号楼2单元101室", "T001", None, "13812345678"),
            ("3700000002", "李桂兰", "城关镇东关社区幸福小区5号楼1单元202室", "T001", None, "13812340002"),
            ("3700000003", "陈建国", "城关镇南湖村三组12号", "T002", None, "13812340003"),
            ("3700000004", "南湖超市", "城关镇南湖村集镇路8号", "T002", CustomerCategory.commercial, "13812340004"),
            ("3700000005", "杨海燕", "城关镇青山村二组5号", "T003", None, "13812340005"),
            ("3700000006", "黄玉兰", "城关镇南湖村五组1号", "T004", None, "13812340006"),
            ("3700000007", "周明", "城关镇东关社区老街9号", "", None, "13812340007"),
        ]:  # fmt: skip
            c = customers.create_customer(
                session=s,
                actor=SYSTEM,
                data=customers.CustomerInput(
                    account_no=account,
                    name=name,
                    address=address,
                    transformer_area_code=ta_code,
                    category=category or CustomerCategory.residential,
                    phone=phone,
                ),
            )
            assert c.id is not None
            st.customers[name] = c.id
    return st


def put_on_leave(
    db: Database,
    who: int,
    substitute: int | None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> None:
    today = dt.date.today()
    with db.write() as s:
        s.add(
            StaffLeave(
                staff_id=who,
                substitute_id=substitute,
                start=start or today - dt.timedelta(days=1),
                end=end or today + dt.timedelta(days=2),
                reason="年休假",
            )
        )


_numbers = itertools.count(1)


def give_open_orders(
    db: Database, staff_id: int, n: int, status: OrderStatus = OrderStatus.dispatched
) -> None:
    """`n` orders held by `staff_id` (load for the routing tests)."""
    now = dt.datetime.now().replace(microsecond=0)
    with db.write() as s:
        for _ in range(n):
            s.add(
                WorkOrder(
                    number=f"GD20990101{next(_numbers):04d}",
                    type=OrderType.repair,
                    status=status,
                    assignee_id=staff_id,
                    received_at=now,
                    resolve_due=now + dt.timedelta(hours=3),
                )
            )


# --------------------------------------------------------------------------- fixtures
# Migrating and seeding a store takes about a second; the station is built once
# per session into a template file and each test gets a copy (SQLite backup API).


@dataclass
class Desk:
    db: Database
    st: Station
    admin: Actor
    paths: DataPaths


@pytest.fixture(scope="session")
def station_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Station]:
    paths = DataPaths(tmp_path_factory.mktemp("station_template"))
    db = open_store(paths)
    with db.write() as s:
        station.initialize(s, name="测试供电所", county="测试县")
    st = build_station(db)
    db.dispose()
    return paths.database, st


def copy_station(template: tuple[Path, Station], folder: Path) -> Desk:
    """A fresh copy of the sample station in `folder`, with the admin actor."""
    source, st = template
    paths = DataPaths(folder / "data")
    paths.root.mkdir(parents=True, exist_ok=True)
    src, dst = sqlite3.connect(source), sqlite3.connect(paths.database)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    db = open_store(paths)
    with db.read() as s:
        admin = station.actor_for(s, "admin")
    return Desk(db, st, admin, paths)


@pytest.fixture
def desk(station_template: tuple[Path, Station], tmp_path: Path) -> Iterator[Desk]:
    d = copy_station(station_template, tmp_path)
    yield d
    d.db.dispose()


def test_build_station(desk: Desk) -> None:
    st = desk.st
    assert len(st.staff) == len(PEOPLE)
    assert set(st.grids) == {"东关网格", "南湖网格", "青山网格"}
    assert len(st.customers) == 7
