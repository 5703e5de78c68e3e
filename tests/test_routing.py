"""Routing: customer → transformer area → grid → who; leave and substitutes; load."""

from __future__ import annotations

import datetime as dt

import pytest
from test_work_orders_sample import (
    Desk,
    Station,
    desk,
    give_open_orders,
    put_on_leave,
    station_template,
)

from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.db.models import Staff
from gridsvc_desktop.domain.enums import (
    AreaClass,
    OrderStatus,
    OrderSubtype,
    OrderType,
    Specialty,
)
from gridsvc_desktop.services import routing

FIXTURES = (
    desk,
    station_template,
)  # the sample station's fixtures, used by pytest

TODAY = dt.date.today()


@pytest.fixture
def db(desk: Desk) -> Database:
    return desk.db


@pytest.fixture
def st(desk: Desk) -> Station:
    return desk.st


def route(
    db: Database, st: Station, customer: str, order_type: OrderType, **kw: object
) -> routing.Route:
    with db.read() as s:
        return routing.route_order(
            s,
            order_type=order_type,
            customer_id=st.customers[customer],
            **kw,  # type: ignore[arg-type]
        )


def test_dedicated_manager_grid_sends_everything_to_its_manager(db: Database, st: Station) -> None:
    for order_type in OrderType:
        r = route(db, st, "王秀英", order_type)
        assert (r.grid_name, r.assignee_name) == ("东关网格", "张伟")
        assert r.area_class is AreaClass.urban
        assert r.reason == "专职网格经理：张伟"


@pytest.mark.parametrize(
    ("order_type", "subtype", "who"),
    [
        (OrderType.billing, OrderSubtype.none, "孙丽"),
        (OrderType.billing, OrderSubtype.reconnection, "孙丽"),
        (OrderType.new_connection, OrderSubtype.new_connection_residential, "周杰"),
        (OrderType.inspection, OrderSubtype.none, "吴芳"),
        (OrderType.service_request, OrderSubtype.appliance_damage, "吴芳"),
        (OrderType.service_request, OrderSubtype.change_of_name, "孙丽"),
        (OrderType.complaint, OrderSubtype.none, "李娜"),
        (OrderType.inquiry, OrderSubtype.none, "李娜"),
    ],
)
def test_team_grid_sends_to_the_matching_specialty(
    db: Database, st: Station, order_type: OrderType, subtype: OrderSubtype, who: str
) -> None:

    r = route(db, st, "陈建国", order_type, subtype=subtype)
    assert r.grid_name == "南湖网格" and r.area_class is AreaClass.rural
    assert r.assignee_name == who
    assert r.reason.startswith("网格服务团队")


def test_team_repair_goes_to_the_least_loaded_repairer(db: Database, st: Station) -> None:
    r = route(db, st, "陈建国", OrderType.repair)
    assert r.assignee_name == "赵强"  # tie: the lower id
    assert r.specialty is Specialty.repair
    give_open_orders(db, st.staff["赵强"], 2)
    give_open_orders(db, st.staff["钱敏"], 1)
    r = route(db, st, "陈建国", OrderType.repair)
    assert r.assignee_name == "钱敏" and "未办结 1 张" in r.reason
    # finished orders do not count as load
    give_open_orders(db, st.staff["钱敏"], 5, OrderStatus.closed)
    assert route(db, st, "陈建国", OrderType.repair).assignee_name == "钱敏"


def test_someone_on_leave_is_skipped_for_a_present_colleague(db: Database, st: Station) -> None:
    put_on_leave(db, st.staff["赵强"], st.staff["刘洋"])
    r = route(db, st, "陈建国", OrderType.repair)
    assert r.assignee_name == "钱敏"


def test_everyone_fitting_on_leave_goes_to_the_substitute(db: Database, st: Station) -> None:
    put_on_leave(db, st.staff["赵强"], st.staff["刘洋"])
    put_on_leave(db, st.staff["钱敏"], st.staff["刘洋"])
    r = route(db, st, "陈建国", OrderType.repair)
    assert r.assignee_name == "刘洋"
    assert r.instead_of_name in ("赵强", "钱敏")
    assert "休假，由刘洋代班" in r.reason


def test_dedicated_manager_on_leave_goes_to_the_substitute(db: Database, st: Station) -> None:
    put_on_leave(db, st.staff["张伟"], st.staff["刘洋"])
    r = route(db, st, "王秀英", OrderType.inquiry)
    assert (r.assignee_name, r.instead_of_name) == ("刘洋", "张伟")
    assert r.reason == "专职网格经理：张伟休假，由刘洋代班"


def test_leave_outside_today_does_not_count(db: Database, st: Station) -> None:
    put_on_leave(
        db,
        st.staff["张伟"],
        st.staff["刘洋"],
        start=TODAY + dt.timedelta(days=3),
        end=TODAY + dt.timedelta(days=5),
    )
    assert route(db, st, "王秀英", OrderType.repair).assignee_name == "张伟"
    with db.read() as s:
        later = routing.route_order(
            s,
            order_type=OrderType.repair,
            customer_id=st.customers["王秀英"],
            on=TODAY + dt.timedelta(days=4),
        )
    assert later.assignee_name == "刘洋"


def test_a_chain_of_leaves_is_followed(db: Database, st: Station) -> None:
    put_on_leave(db, st.staff["张伟"], st.staff["刘洋"])
    put_on_leave(db, st.staff["刘洋"], st.staff["王强"])
    assert route(db, st, "王秀英", OrderType.repair).assignee_name == "王强"


def test_leave_without_a_substitute_is_left_to_the_lead(db: Database, st: Station) -> None:
    put_on_leave(db, st.staff["王强"], None)
    r = route(db, st, "杨海燕", OrderType.repair)
    assert r.assignee_id is None and r.grid_name == "青山网格"
    assert "请班长派单" in r.reason
    assert r.area_class is AreaClass.remote


def test_a_circle_of_substitutes_ends_with_the_lead(db: Database, st: Station) -> None:
    put_on_leave(db, st.staff["张伟"], st.staff["刘洋"])
    put_on_leave(db, st.staff["刘洋"], st.staff["张伟"])
    assert route(db, st, "王秀英", OrderType.repair).assignee_id is None


def test_an_inactive_manager_is_not_routed_to(db: Database, st: Station) -> None:
    with db.write() as s:
        staff = s.get(Staff, st.staff["张伟"])
        assert staff is not None
        staff.active = False
        s.add(staff)
    r = route(db, st, "王秀英", OrderType.repair)
    assert r.assignee_id is None and "请班长派单" in r.reason


def test_customers_outside_any_grid_are_left_to_the_lead(db: Database, st: Station) -> None:
    r = route(db, st, "黄玉兰", OrderType.repair)  # T004: no grid
    assert r.grid_id is None and r.assignee_id is None
    assert r.transformer_area_id == st.tas["T004"]
    assert r.area_class is AreaClass.rural  # from the transformer area's community
    assert "不属于任何网格" in r.reason
    r = route(db, st, "周明", OrderType.repair)  # no transformer area at all
    assert r.transformer_area_id is None and "未关联台区" in r.reason
    assert r.area_class is AreaClass.urban  # the station's default


def test_transformer_area_given_wins_over_the_customers(db: Database, st: Station) -> None:
    r = route(db, st, "王秀英", OrderType.repair, transformer_area_id=st.tas["T003"])
    assert (r.grid_name, r.assignee_name) == ("青山网格", "王强")


def test_staff_choices_put_the_grids_people_first(db: Database, st: Station) -> None:
    put_on_leave(db, st.staff["赵强"], st.staff["刘洋"])
    give_open_orders(db, st.staff["钱敏"], 3)
    with db.read() as s:
        choices = routing.staff_choices(s, grid_id=st.grids["南湖网格"])
    names = [c.name for c in choices]
    in_grid = {"李娜", "赵强", "钱敏", "孙丽", "周杰", "吴芳"}
    assert set(names[: len(in_grid)]) == in_grid
    by_name = {c.name: c for c in choices}
    assert by_name["赵强"].on_leave and not by_name["钱敏"].on_leave
    assert by_name["钱敏"].open_orders == 3
    assert by_name["孙丽"].specialties == ["抄表收费"]
