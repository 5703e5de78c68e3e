"""Services own the writes: permission checks, audit rows, optimistic locking."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select, text

from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.db.errors import ConcurrentEdit
from gridsvc_desktop.db.models import AuditLog, Customer, Grid, GridMember, Staff
from gridsvc_desktop.domain.enums import AreaClass, AreaLevel, GridRole, ServiceMode, Specialty
from gridsvc_desktop.services import audit
from gridsvc_desktop.services.actor import Actor, PermissionDenied
from gridsvc_desktop.services.common import InvalidInput
from gridsvc_desktop.services.customers import (
    CustomerInput,
    create_customer,
    customer_card,
    update_customer,
)
from gridsvc_desktop.services.grids import (
    GridInput,
    TransformerAreaInput,
    assign_transformer_areas,
    create_grid,
    create_transformer_area,
    ensure_area,
)
from gridsvc_desktop.services.roster import (
    StaffInput,
    create_staff,
    deactivate_staff,
    set_grid_member,
)


def _audit(db: Database) -> list[AuditLog]:
    with db.read() as s:
        return list(s.execute(select(AuditLog).order_by(AuditLog.id)).scalars())  # type: ignore[arg-type]


def _setup_grid(db: Database, admin: Actor) -> tuple[int, int, int]:
    with db.write() as s:
        town = ensure_area(s, admin, "城关镇", AreaLevel.town)
        community = ensure_area(s, admin, "文庙社区", AreaLevel.community, town.id)
        manager = create_staff(
            session=s, actor=admin,
            data=StaffInput("dy1000", "管芳静", "191 6146 1003", "网格客户经理", "城关镇服务班",
                            [Specialty.general]),
        )  # fmt: skip
        grid = create_grid(
            session=s, actor=admin,
            data=GridInput("WG001", "文庙社区网格", community.id, AreaClass.urban,
                           ServiceMode.dedicated_manager, manager.id),
        )  # fmt: skip
        ta = create_transformer_area(
            session=s, actor=admin,
            data=TransformerAreaInput("0294919105", "文庙社区1号公变", "10kV城东线", 630, grid.id),
        )  # fmt: skip
        assert grid.id and ta.id and manager.id
        return grid.id, ta.id, manager.id


def test_create_customer_normalises_and_audits(db: Database, admin: Actor) -> None:
    _setup_grid(db, admin)
    with db.write() as s:
        c = create_customer(
            session=s,
            actor=admin,
            data=CustomerInput(
                account_no=" 0567685639 ", name="庞\u00a0国", address="清河县文庙社区翰林苑2栋",
                transformer_area_code="0294919105", phone="+86 172-5856-2632",
            ),
        )  # fmt: skip
        cid = c.id
    with db.read() as s:
        stored = s.get(Customer, cid)
        assert stored is not None
        assert stored.account_no == "0567685639"
        assert stored.name == "庞 国"
        assert stored.phone == "17258562632"
        assert stored.phone_rev == "23626585271"
        assert stored.search_address.startswith("清 河 县")
    rows = _audit(db)
    assert rows[-1].action == "create" and rows[-1].entity == "customer"
    assert json.loads(rows[-1].after_json)["account_no"] == "0567685639"
    assert rows[-1].username == "admin"


def test_bad_input_names_the_field_and_changes_nothing(db: Database, admin: Actor) -> None:
    before = len(_audit(db))
    for data, field in [
        (CustomerInput(account_no="12ab", name="甲"), "account_no"),
        (CustomerInput(account_no="1234567890", name="  "), "name"),
        (CustomerInput(account_no="1234567890", name="甲", phone="12"), "phone"),
        (
            CustomerInput(account_no="1234567890", name="甲", transformer_area_code="404"),
            "transformer_area_code",
        ),
    ]:
        with pytest.raises(InvalidInput) as err, db.write() as s:
            create_customer(session=s, actor=admin, data=data)
        assert err.value.field == field
    assert len(_audit(db)) == before
    with db.read() as s:
        assert s.execute(select(Customer)).first() is None


def test_staff_role_cannot_manage_grids(db: Database, staff_actor: Actor) -> None:
    with pytest.raises(PermissionDenied, match="网格与人员管理"), db.write() as s:
        create_staff(session=s, actor=staff_actor, data=StaffInput("DY9", "甲"))
    with pytest.raises(PermissionDenied), db.write() as s:
        create_grid(session=s, actor=staff_actor, data=GridInput("WG9", "九号网格"))


def test_lead_manages_grids_but_not_settings(db: Database, lead_actor: Actor) -> None:
    from gridsvc_desktop.services.station import set_setting

    with db.write() as s:
        create_staff(session=s, actor=lead_actor, data=StaffInput("DY9", "甲"))
    with pytest.raises(PermissionDenied), db.write() as s:
        set_setting(s, lead_actor, "duplicate_window_minutes", "30")


def test_update_with_stale_version_refused(db: Database, admin: Actor) -> None:
    _setup_grid(db, admin)
    with db.write() as s:
        c = create_customer(
            session=s, actor=admin,
            data=CustomerInput(account_no="1000000001", name="甲", transformer_area_code="0294919105"),
        )  # fmt: skip
        cid, version = c.id, c.version
    assert cid is not None
    with db.write() as s:  # PC one saves first
        update_customer(
            session=s, actor=admin, customer_id=cid, expected_version=version,
            data=CustomerInput(account_no="1000000001", name="甲乙", transformer_area_code="0294919105"),
        )  # fmt: skip
    with pytest.raises(ConcurrentEdit, match="已被他人修改"), db.write() as s:  # PC two read v1
        update_customer(
            session=s, actor=admin, customer_id=cid, expected_version=version,
            data=CustomerInput(account_no="1000000001", name="甲丙", transformer_area_code="0294919105"),
        )  # fmt: skip
    with db.read() as s:
        stored = s.get(Customer, cid)
        assert stored is not None and stored.name == "甲乙" and stored.version == 2
    last = _audit(db)[-1]
    assert json.loads(last.before_json) == {"name": "甲", "version": 1}
    assert json.loads(last.after_json) == {"name": "甲乙", "version": 2}


def test_grid_membership_and_deactivation(db: Database, admin: Actor) -> None:
    grid_id, _ta_id, manager_id = _setup_grid(db, admin)
    with db.write() as s:
        member = create_staff(
            session=s,
            actor=admin,
            data=StaffInput("DY2000", "钟辉", specialties=[Specialty.repair]),
        )
        assert member.id is not None
        set_grid_member(
            session=s, actor=admin, grid_id=grid_id, staff_id=member.id, role=GridRole.manager
        )
        member_id = member.id
    with db.read() as s:
        assert s.get(Grid, grid_id).manager_id == member_id  # type: ignore[union-attr]
        assert s.get(GridMember, (grid_id, member_id)).role == GridRole.manager  # type: ignore[union-attr]
    with db.write() as s:
        deactivate_staff(session=s, actor=admin, staff_id=manager_id)
    with db.read() as s:
        gone = s.get(Staff, manager_id)
        assert gone is not None and gone.active is False and gone.name == "管芳静"
    with pytest.raises(InvalidInput, match="已停用"), db.write() as s:
        set_grid_member(
            session=s, actor=admin, grid_id=grid_id, staff_id=manager_id, role=GridRole.member
        )


def test_assign_transformer_areas_moves_and_audits(db: Database, admin: Actor) -> None:
    grid_id, ta_id, _ = _setup_grid(db, admin)
    with db.write() as s:
        other = create_grid(session=s, actor=admin, data=GridInput("WG002", "北街社区网格"))
        assert other.id is not None
        assert (
            assign_transformer_areas(session=s, actor=admin, grid_id=other.id, ta_ids=[ta_id]) == 1
        )
        assert (
            assign_transformer_areas(session=s, actor=admin, grid_id=other.id, ta_ids=[ta_id]) == 0
        )
    last = _audit(db)[-1]
    assert last.entity == "transformer_area"
    assert json.loads(last.before_json)["grid_id"] == grid_id


def test_customer_card_shows_grid_and_manager(db: Database, admin: Actor) -> None:
    _setup_grid(db, admin)
    with db.write() as s:
        c = create_customer(
            session=s, actor=admin,
            data=CustomerInput(account_no="1000000001", name="甲", transformer_area_code="0294919105"),
        )  # fmt: skip
        cid = c.id
    assert cid is not None
    with db.read() as s:
        card = customer_card(s, cid)
    assert card.grid == "文庙社区网格"
    assert card.manager_name == "管芳静" and card.manager_phone == "19161461003"
    assert card.feeder == "10kV城东线"
    assert card.transformer_area_code == "0294919105"
    assert card.open_orders == [] and card.arrears == []


@pytest.mark.sqlite_only(
    "drops SQLite's audit triggers by name (on a server: test_postgres.py::test_audit_log_is_append_only_on_the_server)"
)
def test_audit_log_is_append_only_and_chained(db: Database, admin: Actor) -> None:
    _setup_grid(db, admin)
    with db.read() as s:
        assert audit.verify_chain(s) is None
    with pytest.raises(Exception, match="append-only"), db.write() as s:
        s.execute(text("UPDATE audit_log SET username = 'mallory' WHERE id = 2"))
    with pytest.raises(Exception, match="append-only"), db.write() as s:
        s.execute(text("DELETE FROM audit_log WHERE id = 2"))
    # Someone with a raw SQLite tool drops the trigger and edits a row: verify names it.
    with db.write() as s:
        s.execute(text("DROP TRIGGER audit_log_no_update"))
        s.execute(text("UPDATE audit_log SET after_json = '{}' WHERE id = 3"))
    with db.read() as s:
        assert audit.verify_chain(s) == 3
