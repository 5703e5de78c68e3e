"""The roster: details, deactivation with open work, leave and substitutes."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import test_grids_services as shared
from sqlmodel import select
from test_grids_services import Small, audit_rows

from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.db.models import Staff, StaffLeave, WorkOrder
from gridsvc_desktop.domain.enums import GridRole, OrderStatus, Specialty
from gridsvc_desktop.services import roster
from gridsvc_desktop.services.actor import Actor, PermissionDenied
from gridsvc_desktop.services.common import InvalidInput
from gridsvc_desktop.services.roster import KEEP, LeaveInput, StaffHasOpenWork, StaffInput

# Fixtures shared with the other grid tests (a small county, the demo county).
admin = shared.admin
db = shared.db
demo_db = shared.demo_db
demo_template = shared.demo_template
small = shared.small
small_db = shared.small_db
small_template = shared.small_template


TODAY = dt.date(2024, 5, 6)


def staff_row(db: Database, name: str) -> roster.StaffRow:
    with db.read() as s:
        return next(r for r in roster.list_staff(s, today=TODAY) if r.name == name)


# --------------------------------------------------------------------------- details


def test_base_area_is_kept_unless_given(db: Database, admin: Actor, small: Small) -> None:
    zhang = small.staff["张伟"]
    with db.write() as s:
        roster.update_staff(
            session=s, actor=admin, staff_id=zhang,
            data=StaffInput("E001", "张伟", "139 0000 1111", "网格客户经理", "城关服务班",
                            [Specialty.general, Specialty.repair]),
        )  # fmt: skip
    row = staff_row(db, "张伟")
    assert row.base_area == "城关镇" and row.team == "城关服务班"
    assert row.specialties == (Specialty.repair, Specialty.general)
    assert row.phone == "13900001111"
    assert StaffInput("x", "y").base_area_id is KEEP
    with db.write() as s:
        roster.update_staff(
            session=s, actor=admin, staff_id=zhang,
            data=StaffInput("E001", "张伟", specialties=[Specialty.general],
                            base_area_id=small.communities["东关社区"]),
        )  # fmt: skip
    assert staff_row(db, "张伟").base_area == "城关镇·东关社区"


def test_bad_details_name_the_field(db: Database, admin: Actor, small: Small) -> None:
    cases = [
        (StaffInput("", "无号"), "employee_no"),
        (StaffInput("E100", " "), "name"),
        (StaffInput("E100", "甲", phone="12345"), "phone"),
        (StaffInput("e001", "重号"), "employee_no"),  # employee numbers compare upper-cased
    ]
    for data, field in cases:
        with pytest.raises(InvalidInput) as caught, db.write() as s:
            roster.create_staff(session=s, actor=admin, data=data)
        assert caught.value.field == field
    with db.read() as s:
        assert roster.employee_no_taken(s, " e001 ")
        assert not roster.employee_no_taken(s, "E999")


def test_roster_writes_need_the_right(db: Database, small: Small, staff_actor: Actor) -> None:
    with pytest.raises(PermissionDenied), db.write() as s:
        roster.create_staff(session=s, actor=staff_actor, data=StaffInput("E100", "甲"))


def test_list_shows_grids_roles_and_leave(db: Database, admin: Actor, small: Small) -> None:
    with db.write() as s:
        roster.add_leave(
            session=s, actor=admin,
            data=LeaveInput(small.staff["张伟"], TODAY, TODAY + dt.timedelta(days=3),
                            small.staff["王强"], "年休假"),
        )  # fmt: skip
    zhang = staff_row(db, "张伟")
    assert zhang.grids == (("东关网格", GridRole.manager),)
    assert zhang.grid_labels == "东关网格（经理）"
    assert zhang.on_leave_until == TODAY + dt.timedelta(days=3) and zhang.substitute == "王强"
    assert staff_row(db, "赵修").grid_labels == "北山网格"
    with db.read() as s:
        places = roster.placements(s, grid_id=small.grids["北山网格"])
        assert {(p.staff, p.role) for p in places} == {
            ("李娜", GridRole.manager), ("赵修", GridRole.member), ("钱抄", GridRole.member)
        }  # fmt: skip
        assert [p.grid for p in roster.placements(s, staff_id=small.staff["张伟"])] == ["东关网格"]


# --------------------------------------------------------------------------- deactivation


def test_deactivating_someone_with_open_work_is_refused_with_the_list(
    db: Database, admin: Actor, small: Small
) -> None:
    zhang = small.staff["张伟"]
    with pytest.raises(StaffHasOpenWork) as caught, db.write() as s:
        roster.deactivate_staff(session=s, actor=admin, staff_id=zhang)
    assert [o.number for o in caught.value.orders] == ["GD001"]  # the closed GD002 is not listed
    assert "GD001" in str(caught.value) and "改派" in str(caught.value)
    assert caught.value.field == "active"
    with db.read() as s:
        assert s.get(Staff, zhang).active is True  # type: ignore[union-attr]
    # once the order is reassigned, deactivation goes through, and nothing is deleted
    with db.write() as s:
        order = s.get(WorkOrder, small.orders["GD001"])
        assert order is not None
        order.assignee_id = small.staff["王强"]
    with db.write() as s:
        roster.deactivate_staff(session=s, actor=admin, staff_id=zhang)
        assert roster.managed_grids(s, zhang) == ["东关网格"]  # coverage reports it
    row = staff_row(db, "张伟")
    assert row.active is False and row.name == "张伟"
    assert row.grids == (("东关网格", GridRole.manager),)  # history keeps the places
    last = audit_rows(db, "update")[-1]
    assert last.entity == "staff" and json.loads(last.after_json)["active"] is False
    with db.write() as s:
        roster.reactivate_staff(session=s, actor=admin, staff_id=zhang)
    assert staff_row(db, "张伟").active


def test_a_closed_order_does_not_block_deactivation(
    db: Database, admin: Actor, small: Small
) -> None:
    with db.write() as s:
        s.add(
            WorkOrder(
                number="GD009", type="inquiry", status=OrderStatus.resolved,  # type: ignore[arg-type]
                assignee_id=small.staff["赵修"], resolve_due=dt.datetime.now(),
            )
        )  # fmt: skip
    with db.write() as s:
        roster.deactivate_staff(session=s, actor=admin, staff_id=small.staff["赵修"])
    assert not staff_row(db, "赵修").active


def test_an_inactive_person_cannot_join_a_grid(db: Database, admin: Actor, small: Small) -> None:
    with db.write() as s:
        roster.deactivate_staff(session=s, actor=admin, staff_id=small.staff["钱抄"])
    with pytest.raises(InvalidInput, match="已停用"), db.write() as s:
        roster.set_grid_member(
            session=s, actor=admin, grid_id=small.grids["东关网格"],
            staff_id=small.staff["钱抄"], role=GridRole.member,
        )  # fmt: skip


# --------------------------------------------------------------------------- leave


def leave(db: Database, admin: Actor, who: int, start: int, end: int, sub: int | None) -> int:
    with db.write() as s:
        row = roster.add_leave(
            session=s,
            actor=admin,
            data=LeaveInput(
                who, TODAY + dt.timedelta(days=start), TODAY + dt.timedelta(days=end), sub
            ),
        )
        assert row.id is not None
        return row.id


def test_substitute_for(db: Database, admin: Actor, small: Small) -> None:
    zhang, wang, li = small.staff["张伟"], small.staff["王强"], small.staff["李娜"]
    leave(db, admin, zhang, 0, 4, wang)
    with db.read() as s:
        assert roster.substitute_for(s, zhang, on=TODAY - dt.timedelta(days=1)) == zhang
        assert roster.substitute_for(s, zhang, on=TODAY) == wang
        assert roster.substitute_for(s, zhang, on=TODAY + dt.timedelta(days=4)) == wang
        assert roster.substitute_for(s, zhang, on=TODAY + dt.timedelta(days=5)) == zhang
        assert roster.on_leave(s, zhang, TODAY + dt.timedelta(days=2)) is not None
    # the substitute takes leave too after agreeing to stand in: follow the chain
    leave(db, admin, zhang, 5, 6, wang)
    leave(db, admin, wang, 5, 6, li)
    with db.read() as s:
        assert roster.substitute_for(s, zhang, on=TODAY + dt.timedelta(days=5)) == li
    # leave without a substitute, or a substitute who has left: nobody
    leave(db, admin, li, 10, 10, None)
    with db.read() as s:
        assert roster.substitute_for(s, li, on=TODAY + dt.timedelta(days=10)) is None
    with db.write() as s:
        roster.deactivate_staff(session=s, actor=admin, staff_id=small.staff["钱抄"])
    with db.read() as s:
        assert roster.substitute_for(s, small.staff["钱抄"], on=TODAY) is None


def test_substitute_chains_never_loop(db: Database, admin: Actor, small: Small) -> None:
    zhang, wang = small.staff["张伟"], small.staff["王强"]
    # refused through the service (a substitute on leave then), so write the loop directly
    with db.write() as s:
        s.add(StaffLeave(staff_id=zhang, substitute_id=wang, start=TODAY, end=TODAY))
        s.add(StaffLeave(staff_id=wang, substitute_id=zhang, start=TODAY, end=TODAY))
    with db.read() as s:
        assert roster.substitute_for(s, zhang, on=TODAY) is None


def test_leave_rules(db: Database, admin: Actor, small: Small) -> None:
    zhang, wang = small.staff["张伟"], small.staff["王强"]
    leave(db, admin, zhang, 0, 2, wang)
    bad = [
        (LeaveInput(zhang, TODAY, TODAY - dt.timedelta(days=1), wang), "end"),
        (LeaveInput(zhang, TODAY + dt.timedelta(days=2), TODAY + dt.timedelta(days=3), wang), "start"),
        (LeaveInput(wang, TODAY + dt.timedelta(days=9), TODAY + dt.timedelta(days=9), wang), "substitute_id"),
        (LeaveInput(wang, TODAY + dt.timedelta(days=1), TODAY + dt.timedelta(days=1), zhang), "substitute_id"),
    ]  # fmt: skip
    for data, field in bad:
        with pytest.raises(InvalidInput) as caught, db.write() as s:
            roster.add_leave(session=s, actor=admin, data=data)
        assert caught.value.field == field, data


def test_leave_can_be_withdrawn_and_the_trail_keeps_it(
    db: Database, admin: Actor, small: Small
) -> None:

    leave_id = leave(db, admin, small.staff["张伟"], 0, 1, small.staff["王强"])
    with db.read() as s:
        assert [lv.id for lv in roster.leaves_of(s, small.staff["张伟"], since=TODAY)] == [leave_id]
    with db.write() as s:
        roster.cancel_leave(session=s, actor=admin, leave_id=leave_id)
    with db.read() as s:
        assert roster.leaves_of(s, small.staff["张伟"]) == []
    [row] = audit_rows(db, "delete")
    assert row.entity == "staff_leave" and json.loads(row.before_json)["staff_id"]


def test_the_demo_countys_leave_has_a_standing_in_colleague(demo_db: Database) -> None:
    with demo_db.read() as s:
        [lv] = s.exec(select(StaffLeave)).all()  # the demo plants exactly one
        sub = roster.substitute_for(s, lv.staff_id, on=lv.start)
    assert sub == lv.substitute_id
