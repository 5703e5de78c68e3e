"""Community contacts: create, edit, delete (with audit), validation, grid link, lists."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import test_grids_services as shared
from test_grids_services import Small, audit_rows

from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.db.models import Building, Compound, Outage, OutageNotification
from gridsvc_desktop.domain.enums import ContactKind, OutageKind
from gridsvc_desktop.services import contacts, grids
from gridsvc_desktop.services.actor import Actor, PermissionDenied
from gridsvc_desktop.services.common import InvalidInput, NotFound
from gridsvc_desktop.services.contacts import ContactInput

# Fixtures shared with the other grid tests (a small county, the demo county).
admin = shared.admin
db = shared.db
demo_db = shared.demo_db
demo_template = shared.demo_template
small = shared.small
small_db = shared.small_db
small_template = shared.small_template


def leader(small: Small, **kw: object) -> ContactInput:
    values: dict[str, object] = {
        "kind": ContactKind.building_leader,
        "name": "刘桂兰",
        "community_id": small.communities["东关社区"],
        "phone": "137 0000 0011",
        "wechat_group": "幸福小区1栋住户群",
        "compound": "幸福小区",
        "building": "1栋",
    }
    values.update(kw)
    return ContactInput(**values)  # type: ignore[arg-type]


def test_create_links_the_grid_creates_places_and_audits(
    db: Database, admin: Actor, small: Small
) -> None:
    with db.write() as s:
        contact = contacts.create_contact(session=s, actor=admin, data=leader(small))
        cid = contact.id
        assert cid is not None
    with db.read() as s:
        row = contacts.get_contact(s, cid)
        assert s.get(Compound, 1) is not None and s.get(Building, 1) is not None
    assert row.grid == "东关网格" and row.grid_id == small.grids["东关网格"]
    assert (row.community, row.compound, row.building) == ("东关社区", "幸福小区", "1栋")
    assert row.phone == "13700000011" and row.kind_label == "楼长"
    created = [r for r in audit_rows(db, "create") if r.entity == "contact"]
    assert created and json.loads(created[-1].after_json)["name"] == "刘桂兰"


def test_edit_and_delete(db: Database, admin: Actor, small: Small) -> None:
    with db.write() as s:
        cid = contacts.create_contact(session=s, actor=admin, data=leader(small)).id
        assert cid is not None
    with db.write() as s:
        contacts.update_contact(
            session=s, actor=admin, contact_id=cid,
            data=leader(small, name="刘秀英", building="2栋"),
        )  # fmt: skip
    with db.read() as s:
        row = contacts.get_contact(s, cid)
    assert (row.name, row.building) == ("刘秀英", "2栋")
    update = [r for r in audit_rows(db, "update") if r.entity == "contact"][-1]
    assert json.loads(update.before_json)["name"] == "刘桂兰"
    with db.write() as s:
        contacts.delete_contact(session=s, actor=admin, contact_id=cid)
    with pytest.raises(NotFound), db.read() as s:
        contacts.get_contact(s, cid)
    [deleted] = [r for r in audit_rows(db, "delete") if r.entity == "contact"]
    assert json.loads(deleted.before_json)["name"] == "刘秀英"


def test_a_contact_named_in_an_outage_notice_is_not_deleted(
    db: Database, admin: Actor, small: Small
) -> None:
    with db.write() as s:
        cid = contacts.create_contact(session=s, actor=admin, data=leader(small)).id
        outage = Outage(
            kind=OutageKind.planned,
            planned_start=dt.datetime(2024, 5, 8, 8),
            planned_end=dt.datetime(2024, 5, 8, 18),
        )
        s.add(outage)
        s.flush()
        s.add(OutageNotification(outage_id=outage.id, contact_id=cid))  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="停电通知"), db.write() as s:
        contacts.delete_contact(session=s, actor=admin, contact_id=cid)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": "  "}, "name"),
        ({"community_id": None}, "community_id"),
        ({"phone": "abc"}, "phone"),
        ({"phone": "", "wechat_group": ""}, "phone"),
        ({"compound": "", "building": "3栋"}, "compound"),
        ({"grid_id": 99_999}, "grid_id"),
    ],
)
def test_bad_input_names_the_field(
    db: Database, admin: Actor, small: Small, change: dict[str, object], field: str
) -> None:
    with pytest.raises(InvalidInput) as caught, db.write() as s:
        contacts.create_contact(session=s, actor=admin, data=leader(small, **change))
    assert caught.value.field == field


def test_a_wechat_group_alone_is_enough(db: Database, admin: Actor, small: Small) -> None:
    with db.write() as s:
        c = contacts.create_contact(
            session=s, actor=admin,
            data=leader(small, phone="", kind=ContactKind.community_worker, compound="",
                        building=""),
        )  # fmt: skip
    assert c.phone == "" and c.compound_id is None


def test_a_community_with_two_grids_takes_the_users_choice(
    db: Database, admin: Actor, small: Small
) -> None:

    community = small.communities["东关社区"]
    with db.write() as s:
        second = grids.create_grid(
            session=s, actor=admin, data=grids.GridInput("G09", "东关二网格", community)
        )
        unlinked = contacts.create_contact(session=s, actor=admin, data=leader(small))
        chosen = contacts.create_contact(
            session=s, actor=admin, data=leader(small, name="甲", grid_id=second.id)
        )
    assert unlinked.grid_id is None  # two grids there: no guessing
    assert chosen.grid_id == second.id


def test_contacts_need_the_right(db: Database, small: Small, staff_actor: Actor) -> None:
    with pytest.raises(PermissionDenied), db.write() as s:
        contacts.create_contact(session=s, actor=staff_actor, data=leader(small))


def test_list_filters_in_sql(demo_db: Database) -> None:
    with demo_db.read() as s:
        everyone = contacts.list_contacts(s)
        assert len(everyone) >= 50
        community = everyone[0].community_id
        assert community is not None
        here = contacts.list_contacts(s, community_id=community)
        assert here and all(r.community_id == community for r in here)
        leaders = contacts.list_contacts(s, kind=ContactKind.building_leader)
        assert leaders and all(r.kind == ContactKind.building_leader for r in leaders)
        target = leaders[0]
        by_phone = contacts.list_contacts(s, query=target.phone[-4:])
        assert target.id in {r.id for r in by_phone}
        by_group = contacts.list_contacts(s, query=target.wechat_group)
        assert target.id in {r.id for r in by_group}
        assert contacts.list_contacts(s, query="不存在的名字") == []
        assert contacts.list_contacts(s, query="%") == everyone  # no wildcard injection
        grid_id = target.grid_id
        assert grid_id is not None
        assert all(r.grid_id == grid_id for r in contacts.list_contacts(s, grid_id=grid_id))
        compounds = contacts.compound_names(s, community)
        if compounds:
            contacts.building_names(s, community, compounds[0])
