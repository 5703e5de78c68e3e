"""Grid set-up and moving transformer areas between grids (services.grids).

`build_small(db, actor)` makes a small county through the services that the
coverage, figures, roster and contacts tests share: two towns, three grids
(one of them a team), five transformer areas on two feeders (one area in no
grid), customers, open and closed work orders.

Building a store costs about a second (schema) and the county another; tests
therefore get a copy (SQLite backup API, milliseconds) of one built per
module: fixtures `small_db` (this county) and `demo_db` (the demo county of
2,000 customers). Other test modules import these fixtures from here.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlmodel import col, select

from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.db.errors import ConcurrentEdit
from gridsvc_desktop.db.models import (
    AuditLog,
    Contact,
    Customer,
    Grid,
    GridMember,
    TransformerArea,
    WorkOrder,
)
from gridsvc_desktop.db.store import open_store
from gridsvc_desktop.domain.enums import (
    AreaClass,
    AreaLevel,
    ContactKind,
    GridRole,
    OrderStatus,
    OrderType,
    ServiceMode,
    Specialty,
)
from gridsvc_desktop.paths import DataPaths
from gridsvc_desktop.services import contacts, grids, roster, station
from gridsvc_desktop.services.actor import Actor, PermissionDenied
from gridsvc_desktop.services.common import InvalidInput
from gridsvc_desktop.services.customers import CustomerInput, create_customer

NOW = dt.datetime.now().replace(microsecond=0)


@dataclass
class Small:
    towns: dict[str, int] = field(default_factory=dict)
    communities: dict[str, int] = field(default_factory=dict)
    staff: dict[str, int] = field(default_factory=dict)
    grids: dict[str, int] = field(default_factory=dict)
    tas: dict[str, int] = field(default_factory=dict)
    feeders: dict[str, int] = field(default_factory=dict)
    customers: dict[str, int] = field(default_factory=dict)
    orders: dict[str, int] = field(default_factory=dict)


def build_small(db: Database, actor: Actor) -> Small:
    """A small county, every row through the services."""
    k = Small()
    with db.write() as s:
        town = grids.ensure_area(s, actor, "城关镇", AreaLevel.town)
        south = grids.ensure_area(s, actor, "南湖镇", AreaLevel.town, area_class=AreaClass.rural)
        k.towns = {"城关镇": town.id, "南湖镇": south.id}  # type: ignore[dict-item]
        for name, parent, cls in (
            ("东关社区", town.id, AreaClass.urban),
            ("西街社区", town.id, AreaClass.urban),
            ("南湖村", south.id, AreaClass.rural),
            ("北山村", south.id, AreaClass.remote),
        ):
            k.communities[name] = grids.ensure_area(
                s, actor, name, AreaLevel.community, parent, area_class=cls
            ).id  # type: ignore[assignment]

        def person(no: str, name: str, phone: str, base: int | None, *specs: Specialty) -> int:
            staff = roster.create_staff(
                session=s,
                actor=actor,
                data=roster.StaffInput(
                    no, name, phone, "网格客户经理", "服务班", list(specs), base_area_id=base
                ),
            )
            assert staff.id is not None
            k.staff[name] = staff.id
            return staff.id

        zhang = person("E001", "张伟", "13900001111", town.id, Specialty.general)
        wang = person("E002", "王强", "13900002222", town.id, Specialty.general)
        li = person("E003", "李娜", "13900003333", south.id, Specialty.general)
        rep = person("E004", "赵修", "13900004444", south.id, Specialty.repair)
        met = person(
            "E005", "钱抄", "13900005555", k.communities["北山村"], Specialty.metering_billing
        )

        def grid(code: str, name: str, community: str, cls: AreaClass, mode: ServiceMode,
                 manager: int | None) -> int:  # fmt: skip
            g = grids.create_grid(
                session=s,
                actor=actor,
                data=grids.GridInput(code, name, k.communities[community], cls, mode, manager),
            )
            assert g.id is not None
            k.grids[name] = g.id
            return g.id

        grid("G01", "东关网格", "东关社区", AreaClass.urban, ServiceMode.dedicated_manager, zhang)
        grid("G02", "南湖网格", "南湖村", AreaClass.rural, ServiceMode.dedicated_manager, wang)
        g3 = grid("G03", "北山网格", "北山村", AreaClass.remote, ServiceMode.team, li)
        roster.set_grid_member(
            session=s, actor=actor, grid_id=g3, staff_id=rep, role=GridRole.member
        )
        roster.set_grid_member(
            session=s, actor=actor, grid_id=g3, staff_id=met, role=GridRole.member
        )

        for code, name, feeder, g, community in (
            ("T001", "东关1号台区", "10kV城关线", "东关网格", "东关社区"),
            ("T002", "东关2号台区", "10kV城关线", "东关网格", "东关社区"),
            ("T003", "南湖1号台区", "10kV南湖线", "南湖网格", "南湖村"),
            ("T004", "北山1号台区", "10kV南湖线", "北山网格", "北山村"),
            ("T005", "东关3号台区", "10kV城关线", None, "东关社区"),
        ):
            ta = grids.create_transformer_area(
                session=s,
                actor=actor,
                data=grids.TransformerAreaInput(
                    code, name, feeder, 400, k.grids[g] if g else None, k.communities[community]
                ),
            )
            assert ta.id is not None
            k.tas[code] = ta.id
            k.feeders[feeder] = ta.feeder_id  # type: ignore[assignment]

        n = 0
        for code, count in (
            ("T001", 4),
            ("T002", 3),
            ("T003", 2),
            ("T004", 2),
            ("T005", 2),
            ("", 1),
        ):
            for _ in range(count):
                n += 1
                c = create_customer(
                    session=s,
                    actor=actor,
                    data=CustomerInput(
                        f"{3_700_000_000 + n:010d}", f"客户{n}", f"地址{n}",
                        transformer_area_code=code,
                    ),
                )  # fmt: skip
                k.customers[f"{code or 'none'}-{n}"] = c.id  # type: ignore[assignment]

        def order(number: str, ta: str, status: OrderStatus, assignee: int | None) -> None:
            o = WorkOrder(
                number=number,
                type=OrderType.repair,
                status=status,
                grid_id=s.get(TransformerArea, k.tas[ta]).grid_id,  # type: ignore[union-attr]
                transformer_area_id=k.tas[ta],
                assignee_id=assignee,
                received_at=NOW - dt.timedelta(hours=3),
                resolve_due=NOW - dt.timedelta(hours=1),
            )
            s.add(o)
            s.flush()
            k.orders[number] = o.id  # type: ignore[assignment]

        order("GD001", "T001", OrderStatus.dispatched, zhang)
        order("GD002", "T001", OrderStatus.closed, zhang)
        order("GD003", "T003", OrderStatus.new, None)
    return k


def clone_store(template: Path, paths: DataPaths) -> Database:
    """A copy of the store at `template` in `paths`, opened."""
    paths.root.mkdir(parents=True, exist_ok=True)
    src, dst = sqlite3.connect(template), sqlite3.connect(paths.database)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return open_store(paths)


def admin_of(db: Database) -> Actor:
    with db.read() as s:
        return station.actor_for(s, "admin")


#: Templates built once per test session, whichever module asks first.
_TEMPLATES: dict[str, object] = {}


@pytest.fixture(scope="module")
def small_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Small]:
    if "small" not in _TEMPLATES:
        paths = DataPaths(tmp_path_factory.mktemp("small") / "data")
        store = open_store(paths)
        with store.write() as s:
            station.initialize(s, name="测试供电所", county="测试县")
        small = build_small(store, admin_of(store))
        store.dispose()
        _TEMPLATES["small"] = (paths.database, small)
    return _TEMPLATES["small"]  # type: ignore[return-value]


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if "demo" not in _TEMPLATES:
        from gridsvc_desktop.demo import build_county

        paths = DataPaths(tmp_path_factory.mktemp("demo") / "data")
        store = open_store(paths)
        build_county(store, customers=2000, seed=1, today=dt.date.today())
        store.dispose()
        _TEMPLATES["demo"] = paths.database
    return _TEMPLATES["demo"]  # type: ignore[return-value]


@pytest.fixture
def small_db(small_template: tuple[Path, Small], data_paths: DataPaths) -> Iterator[Database]:
    store = clone_store(small_template[0], data_paths)
    yield store
    store.dispose()


@pytest.fixture
def small(small_template: tuple[Path, Small]) -> Small:
    return small_template[1]


@pytest.fixture
def demo_db(demo_template: Path, data_paths: DataPaths) -> Iterator[Database]:
    store = clone_store(demo_template, data_paths)
    yield store
    store.dispose()


@pytest.fixture
def db(small_db: Database) -> Database:
    """In this module every store is the small county."""
    return small_db


@pytest.fixture
def admin(small_db: Database) -> Actor:
    return admin_of(small_db)


def audit_rows(db: Database, action: str) -> list[AuditLog]:
    with db.read() as s:
        return list(
            s.execute(select(AuditLog).where(AuditLog.action == action).order_by(col(AuditLog.id)))
            .scalars()
            .all()
        )


# --------------------------------------------------------------------------- moving


def test_moving_one_area_takes_its_customers_and_leaves_open_orders(
    db: Database, admin: Actor, small: Small
) -> None:
    west = small.grids["南湖网格"]
    with db.write() as s:
        result = grids.move_transformer_areas(
            session=s, actor=admin, grid_id=west, ta_ids=[small.tas["T001"]]
        )
    assert result.moved == [small.tas["T001"]] and result.customers == 4
    assert result.from_grids == {"东关网格": 1}
    # the open order stays on its old grid and is named; the closed one is not
    assert [o.number for o in result.orders_left] == ["GD001"]
    assert result.orders_left[0].grid == "东关网格"
    assert "GD001" in result.lead_notice() and "改派" in result.lead_notice()
    with db.read() as s:
        in_grid = s.execute(
            select(Customer.id)
            .join(TransformerArea, col(TransformerArea.id) == col(Customer.transformer_area_id))
            .where(TransformerArea.grid_id == west)
        ).all()
        assert len(in_grid) == 4 + 2  # followed the area, plus the grid's own
        order = s.get(WorkOrder, small.orders["GD001"])
        assert order is not None and order.grid_id == small.grids["东关网格"]
    [row] = audit_rows(db, "move_transformer_areas")
    after = json.loads(row.after_json)
    assert after["transformer_areas"] == ["T001"] and after["customers"] == 4
    assert after["open_orders_left"] == ["GD001"]
    assert row.username == "admin"


def test_moving_many_and_moving_into_the_same_grid(
    db: Database, admin: Actor, small: Small
) -> None:
    east = small.grids["东关网格"]
    ids = [small.tas["T001"], small.tas["T005"], small.tas["T003"]]
    with db.write() as s:
        result = grids.move_transformer_areas(session=s, actor=admin, grid_id=east, ta_ids=ids)
    assert sorted(result.moved) == sorted([small.tas["T005"], small.tas["T003"]])
    assert result.unchanged == [small.tas["T001"]]
    assert result.customers == 2 + 2
    assert result.from_grids == {"": 1, "南湖网格": 1}
    assert [o.number for o in result.orders_left] == ["GD003"]  # unassigned, still named


def test_moving_all_of_a_feeders_areas(db: Database, admin: Actor, small: Small) -> None:
    target = small.grids["北山网格"]
    with db.write() as s:
        preview = grids.preview_move(
            s,
            grid_id=target,
            ta_ids=grids.feeder_transformer_areas(s, small.feeders["10kV城关线"]),
        )
        result = grids.move_feeder(
            session=s, actor=admin, feeder_id=small.feeders["10kV城关线"], grid_id=target
        )
    assert sorted(result.moved) == sorted(preview.moved)
    assert sorted(result.codes) == ["T001", "T002", "T005"]
    assert result.customers == preview.customers == 4 + 3 + 2
    with db.read() as s:
        on_feeder = s.execute(
            select(TransformerArea.grid_id).where(
                TransformerArea.feeder_id == small.feeders["10kV城关线"]
            )
        ).scalars()
        assert set(on_feeder) == {target}


def test_preview_changes_nothing(db: Database, admin: Actor, small: Small) -> None:
    with db.read() as s:
        result = grids.preview_move(s, grid_id=small.grids["南湖网格"], ta_ids=[small.tas["T001"]])
    assert result.customers == 4 and [o.number for o in result.orders_left] == ["GD001"]
    with db.read() as s:
        ta = s.get(TransformerArea, small.tas["T001"])
        assert ta is not None and ta.grid_id == small.grids["东关网格"]
    assert audit_rows(db, "move_transformer_areas") == []


def test_taking_an_area_out_of_every_grid(db: Database, admin: Actor, small: Small) -> None:
    with db.write() as s:
        result = grids.move_transformer_areas(
            session=s, actor=admin, grid_id=None, ta_ids=[small.tas["T003"]]
        )
    assert result.grid == "" and [o.number for o in result.orders_left] == ["GD003"]
    assert "不属于任何网格" in result.lead_notice()


def test_the_old_assign_function_still_counts(db: Database, admin: Actor, small: Small) -> None:
    with db.write() as s:
        n = grids.assign_transformer_areas(
            session=s, actor=admin, grid_id=small.grids["南湖网格"], ta_ids=[small.tas["T002"]]
        )
    assert n == 1


def test_moving_needs_the_right(db: Database, small: Small, staff_actor: Actor) -> None:
    with pytest.raises(PermissionDenied), db.write() as s:
        grids.move_transformer_areas(
            session=s, actor=staff_actor, grid_id=None, ta_ids=[small.tas["T001"]]
        )


def test_moving_an_unknown_area_is_refused(db: Database, admin: Actor, small: Small) -> None:
    with pytest.raises(InvalidInput, match="找不到台区"), db.write() as s:
        grids.move_transformer_areas(session=s, actor=admin, grid_id=None, ta_ids=[99_999])


# --------------------------------------------------------------------------- grid set-up


def test_the_manager_is_a_member_and_changing_manager_moves_the_place(
    db: Database, admin: Actor, small: Small
) -> None:
    grid_id = small.grids["东关网格"]
    with db.read() as s:
        grid = s.get(Grid, grid_id)
        assert grid is not None
        member = s.get(GridMember, (grid_id, small.staff["张伟"]))
        assert member is not None and member.role == GridRole.manager
        version = grid.version
    with db.write() as s:
        grids.update_grid(
            session=s,
            actor=admin,
            grid_id=grid_id,
            expected_version=version,
            data=grids.GridInput(
                "G01", "东关网格", small.communities["东关社区"], manager_id=small.staff["李娜"]
            ),
        )
    with db.read() as s:
        assert s.get(GridMember, (grid_id, small.staff["张伟"])) is None
        assert s.get(GridMember, (grid_id, small.staff["李娜"])).role == GridRole.manager  # type: ignore[union-attr]
    with pytest.raises(ConcurrentEdit), db.write() as s:
        grids.update_grid(
            session=s, actor=admin, grid_id=grid_id, expected_version=version,
            data=grids.GridInput("G01", "东关网格"),
        )  # fmt: skip


def test_grid_codes_and_names_stay_unique_on_edit(db: Database, admin: Actor, small: Small) -> None:
    with pytest.raises(InvalidInput, match="已存在"), db.write() as s:
        grids.update_grid(
            session=s,
            actor=admin,
            grid_id=small.grids["东关网格"],
            data=grids.GridInput("G02", "东关网格"),
        )


def test_removing_the_manager_leaves_the_grid_without_one(
    db: Database, admin: Actor, small: Small
) -> None:
    grid_id = small.grids["东关网格"]
    with db.write() as s:
        roster.set_grid_member(
            session=s, actor=admin, grid_id=grid_id, staff_id=small.staff["张伟"], role=None
        )
    with db.read() as s:
        assert s.get(Grid, grid_id).manager_id is None  # type: ignore[union-attr]


def test_a_new_grid_links_the_contacts_of_its_community(
    db: Database, admin: Actor, small: Small
) -> None:
    with db.write() as s:
        contact = contacts.create_contact(
            session=s,
            actor=admin,
            data=contacts.ContactInput(
                ContactKind.building_leader, "刘桂兰", small.communities["西街社区"],
                phone="13700000011", compound="幸福小区", building="1栋",
            ),
        )  # fmt: skip
        assert contact.grid_id is None  # the community has no grid yet
        grid = grids.create_grid(
            session=s,
            actor=admin,
            data=grids.GridInput("G04", "西街网格", small.communities["西街社区"]),
        )
    with db.read() as s:
        linked = s.get(Contact, contact.id)
        assert linked is not None and linked.grid_id == grid.id


def test_compounds_and_buildings_are_created_once(db: Database, admin: Actor, small: Small) -> None:
    with db.write() as s:
        a = grids.ensure_compound(s, admin, small.communities["东关社区"], " 幸福小区 ")
        b = grids.ensure_compound(s, admin, small.communities["东关社区"], "幸福小区")
        assert a.id == b.id
        assert a.id is not None
        x = grids.ensure_building(s, admin, a.id, "3栋")
        assert grids.ensure_building(s, admin, a.id, "3栋").id == x.id
        with pytest.raises(InvalidInput):
            grids.ensure_compound(s, admin, small.towns["城关镇"], "不在社区")


def test_fixing_a_customer_without_transformer_area(
    db: Database, admin: Actor, small: Small
) -> None:
    cid = small.customers["none-14"]
    with db.write() as s:
        grids.set_customer_transformer_area(
            session=s, actor=admin, customer_id=cid, ta_id=small.tas["T002"]
        )
    with db.read() as s:
        c = s.get(Customer, cid)
        assert c is not None and c.transformer_area_id == small.tas["T002"] and c.version == 2


def test_layout_shows_every_level(db: Database, admin: Actor, small: Small) -> None:
    with db.read() as s:
        layout = grids.grid_layout(s)
    assert {t.name for t in layout.towns} == {"城关镇", "南湖镇"}
    assert len(layout.communities) == 4 and len(layout.grids) == 3
    orphan = [t for t in layout.transformer_areas if t.grid_id is None]
    assert [t.code for t in orphan] == ["T005"]
    g = layout.grid(small.grids["东关网格"])
    assert g is not None and g.manager == "张伟" and g.manager_active


# --------------------------------------------------------------------------- claimed by two grids


def test_layout_claims_record_and_settle_conflicts(
    db: Database, admin: Actor, small: Small
) -> None:
    claims = [
        ("东关网格", "T001"),
        ("南湖网格", "T001"),
        ("东关网格", "T002"),
        ("东关网格", "T002"),
    ]
    assert grids.find_layout_conflicts(claims) == {"T001": ("东关网格", "南湖网格")}
    with db.write() as s:
        found = grids.record_layout_claims(
            session=s, actor=admin, claims=claims, source="网格划分.xlsx"
        )
    assert [(c.ta_code, c.ta_id) for c in found] == [("T001", small.tas["T001"])]
    with db.read() as s:
        assert [c.ta_code for c in grids.layout_conflicts(s)] == ["T001"]
    # assigning the area on purpose settles it
    with db.write() as s:
        grids.move_transformer_areas(
            session=s, actor=admin, grid_id=small.grids["南湖网格"], ta_ids=[small.tas["T001"]]
        )
    with db.read() as s:
        assert grids.layout_conflicts(s) == []
