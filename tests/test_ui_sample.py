"""A small county for the UI tests (and screenshots), built with the services.

`seed_county(db, customers=N)` makes three grids with managers, feeders,
transformer areas, a compound with building leaders, N customers (bulk insert
through Core, as the real importer does) and, for the first customer, an open
and an overdue work order, two months of arrears, a planned outage and calls.
Other UI test modules import it (`from test_ui_sample import seed_county`).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import insert, select

from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.db.models import (
    Arrears,
    Building,
    Call,
    Compound,
    Contact,
    Customer,
    Outage,
    OutageScope,
    WorkOrder,
    customer_derived,
)
from gridsvc_desktop.domain.enums import (
    AreaClass,
    AreaLevel,
    Channel,
    ContactKind,
    CustomerCategory,
    Metering,
    OrderStatus,
    OrderType,
    OutageKind,
    Specialty,
)
from gridsvc_desktop.services import grids, roster
from gridsvc_desktop.services.actor import SYSTEM
from gridsvc_desktop.ui import background, i18n
from gridsvc_desktop.ui.qt import QApplication, QCoreApplication, QEvent

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = [
    "秀英",
    "桂兰",
    "建国",
    "志强",
    "丽娟",
    "海燕",
    "国华",
    "玉兰",
    "明",
    "伟",
    "芳",
    "强",
    "静",
]
FIRST_ACCOUNT = 3_700_000_001


@dataclass
class County:
    first_customer_id: int
    first_account_no: str
    grid_names: list[str]
    manager_names: list[str]


#: The offscreen platform cannot resize windows to their layout's minimum and says
#: so on every shown top-level window with a layout; harmless, so ignored.
IGNORE_OFFSCREEN_SIZE_HINTS = pytest.mark.qt_log_ignore(
    "This plugin does not support propagateSizeHints"
)


@pytest.fixture
def workers_stopped(qapp: QApplication) -> Iterator[None]:
    """After the test: cancel and wait for background tasks, flush deferred deletes."""
    yield
    assert background.shutdown(10_000), "background work still running"
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    qapp.processEvents()


@pytest.fixture
def chinese(qapp: QApplication) -> Iterator[None]:
    """The Chinese translation installed for the test."""
    translators = i18n.install_translators(qapp, i18n.CHINESE)
    yield
    i18n.remove_translators(qapp, translators)


def account_no(i: int) -> str:
    return f"{FIRST_ACCOUNT + i:010d}"


def seed_county(db: Database, customers: int = 300, seed: int = 1) -> County:
    rnd = random.Random(seed)
    now = dt.datetime.now().replace(second=0, microsecond=0)
    with db.write() as s:
        town = grids.ensure_area(s, SYSTEM, "城关镇", AreaLevel.town)
        communities = [
            grids.ensure_area(s, SYSTEM, "东关社区", AreaLevel.community, town.id),
            grids.ensure_area(s, SYSTEM, "西街社区", AreaLevel.community, town.id),
            grids.ensure_area(
                s, SYSTEM, "南湖村", AreaLevel.community, town.id, area_class=AreaClass.rural
            ),
        ]
        managers = [
            roster.create_staff(
                session=s,
                actor=SYSTEM,
                data=roster.StaffInput(
                    employee_no=f"E{n:03d}",
                    name=name,
                    phone=phone,
                    team="城关网格服务班",
                    specialties=[Specialty.general, Specialty.repair],
                ),
            )
            for n, (name, phone) in enumerate(
                [("张伟", "13900001111"), ("李娜", "13900002222"), ("王强", "13900003333")],
                start=1,
            )
        ]
        grid_rows = [
            grids.create_grid(
                session=s,
                actor=SYSTEM,
                data=grids.GridInput(
                    code=f"G0{n}",
                    name=name,
                    community_id=communities[n - 1].id,
                    area_class=AreaClass.rural if n == 3 else AreaClass.urban,
                    manager_id=managers[n - 1].id,
                ),
            )
            for n, name in enumerate(["东关网格", "西街网格", "南湖网格"], start=1)
        ]
        tas = [
            grids.create_transformer_area(
                session=s,
                actor=SYSTEM,
                data=grids.TransformerAreaInput(
                    code=f"T00{n}",
                    name=name,
                    feeder=feeder,
                    capacity_kva=400,
                    grid_id=grid_rows[n - 1].id,
                    community_id=communities[n - 1].id,
                ),
            )
            for n, (name, feeder) in enumerate(
                [
                    ("东关1号台区", "10kV城关线"),
                    ("西街2号台区", "10kV城关线"),
                    ("南湖3号台区", "10kV南湖线"),
                ],
                start=1,
            )
        ]
        compounds = []
        buildings: list[list[Building]] = []
        for community, name in zip(communities, ["幸福小区", "电力小区", "南湖新村"], strict=True):
            compound = Compound(community_id=community.id, name=name)  # type: ignore[arg-type]
            s.add(compound)
            s.flush()
            compounds.append(compound)
            row = [Building(compound_id=compound.id, name=f"{b}号楼") for b in range(1, 7)]  # type: ignore[arg-type]
            s.add_all(row)
            s.flush()
            buildings.append(row)
        s.add_all(
            [
                Contact(
                    kind=ContactKind.building_leader,
                    name="刘桂兰",
                    phone="13700000011",
                    compound_id=compounds[0].id,
                    building_id=buildings[0][0].id,
                ),
                Contact(
                    kind=ContactKind.property_office,
                    name="幸福小区物业",
                    phone="0838-2345678",
                    compound_id=compounds[0].id,
                ),
                Contact(
                    kind=ContactKind.community_worker,
                    name="赵敏",
                    phone="13700000022",
                    compound_id=compounds[0].id,
                ),
            ]
        )
        feeder_id = tas[0].feeder_id
        grid_names = [g.name for g in grid_rows]
        manager_names = [m.name for m in managers]
        ta_ids = [t.id for t in tas]
        community_ids = [c.id for c in communities]
        compound_ids = [c.id for c in compounds]
        building_ids = [[b.id for b in row] for row in buildings]

    rows = []
    for i in range(customers):
        k = i % 3
        name = rnd.choice(SURNAMES) + rnd.choice(GIVEN)
        if i == 0:
            name = "王秀英"
        b = (i // 3) % 6
        address = (
            f"城关镇{['东关社区', '西街社区', '南湖村'][k]}"
            f"{['幸福小区', '电力小区', '南湖新村'][k]}{b + 1}号楼{i % 4 + 1}单元{100 + i % 30}室"
        )
        phone = f"13{rnd.randint(0, 9)}{rnd.randint(10_000_000, 99_999_999)}"
        if i == 0:
            phone = "13812345678"
        rows.append(
            {
                "account_no": account_no(i),
                "name": name,
                "address": address,
                "category": CustomerCategory.commercial
                if i % 17 == 5
                else CustomerCategory.residential,
                "metering": Metering.individual,
                "transformer_area_id": ta_ids[k],
                "meter_no": f"M{880000 + i}",
                "phone": phone,
                "community_id": community_ids[k],
                "compound_id": compound_ids[k],
                "building_id": building_ids[k][b],
                "contract_kva": 0,
                "notes": "",
                "updated_at": now,
                "version": 1,
                **customer_derived(name, address, phone),
            }
        )
    with db.write_connection() as conn:
        for start in range(0, len(rows), 5000):
            conn.execute(insert(Customer.__table__), rows[start : start + 5000])  # type: ignore[arg-type]

    with db.write() as s:
        first_id = s.execute(
            select(Customer.id).where(Customer.account_no == account_no(0))  # type: ignore[call-overload]
        ).scalar_one()
        s.add_all(
            [
                WorkOrder(
                    number="GD202405010001",
                    type=OrderType.repair,
                    status=OrderStatus.dispatched,
                    customer_id=first_id,
                    description="家中停电，邻居有电",
                    received_at=now - dt.timedelta(hours=5),
                    resolve_due=now - dt.timedelta(hours=1),
                    assignee_id=managers[0].id,
                ),
                WorkOrder(
                    number="GD202405010002",
                    type=OrderType.inquiry,
                    status=OrderStatus.new,
                    customer_id=first_id,
                    description="咨询阶梯电价",
                    received_at=now - dt.timedelta(hours=1),
                    resolve_due=now + dt.timedelta(days=1),
                ),
                Arrears(
                    customer_id=first_id,
                    month="202403",
                    amount_fen=12_345,
                    first_seen=now.date(),
                    last_seen=now.date(),
                ),
                Arrears(
                    customer_id=first_id,
                    month="202404",
                    amount_fen=111_105,
                    first_seen=now.date(),
                    last_seen=now.date(),
                ),
                Call(
                    started_at=now - dt.timedelta(hours=5),
                    channel=Channel.phone,
                    phone="13812345678",
                    customer_id=first_id,
                    summary="报修：家中停电",
                ),
            ]
        )
        outage = Outage(
            kind=OutageKind.planned,
            reason="10kV城关线检修",
            planned_start=now + dt.timedelta(days=8),
            planned_end=now + dt.timedelta(days=8, hours=8),
        )
        s.add(outage)
        s.flush()
        s.add(OutageScope(outage_id=outage.id, feeder_id=feeder_id))  # type: ignore[arg-type]
    return County(first_id, account_no(0), grid_names, manager_names)


def test_seed_county_gives_a_full_card(db: Database) -> None:
    from gridsvc_desktop.services.customers import customer_card

    county = seed_county(db, customers=30)
    with db.read() as s:
        card = customer_card(s, county.first_customer_id)
    assert card.grid == "东关网格"
    assert card.manager_name == "张伟"
    assert card.feeder == "10kV城关线"
    assert card.contacts[0].name == "刘桂兰"
    assert len(card.open_orders) == 2
    assert card.arrears_total_fen == 123_450
    assert len(card.outages) == 1
    assert len(card.recent_calls) == 1
