"""The customer card widget, fed hand-made cards (no database), and value formats."""

from __future__ import annotations

import datetime as dt

import pytest
from test_ui_sample import chinese  # noqa: F401 (fixture)

from gridsvc_desktop.db.models import Customer
from gridsvc_desktop.services.customers import (
    ArrearsBrief,
    CallBrief,
    ContactBrief,
    CustomerCard,
    OrderBrief,
    OutageBrief,
)
from gridsvc_desktop.ui import format as fmt
from gridsvc_desktop.ui.qt import QLabel
from gridsvc_desktop.ui.widgets.customer_card import CustomerCardView

NOW = dt.datetime(2024, 5, 3, 12, 0)


def make_card(**extra: object) -> CustomerCard:
    customer = Customer(
        id=7,
        account_no="0100000007",
        name="<b>李桂兰</b>",
        address="城关镇东关社区幸福小区1号楼1单元101室",
        phone="13812345678",
        meter_no="M123",
    )
    card = CustomerCard(customer=customer, category_label="居民生活用电", metering_label="一户一表")
    for key, value in extra.items():
        setattr(card, key, value)
    return card


def text(view: CustomerCardView, name: str) -> str:
    found = view.findChild(QLabel, name)
    assert found is not None, name
    return found.text()


def texts(view: CustomerCardView, container: str) -> list[str]:
    widget = view.findChild(object, container)  # type: ignore[arg-type]
    assert widget is not None, container
    return [lbl.text() for lbl in widget.findChildren(QLabel)]


@pytest.fixture
def view(qtbot) -> CustomerCardView:  # type: ignore[no-untyped-def]
    widget = CustomerCardView()
    qtbot.addWidget(widget)
    return widget


@pytest.mark.usefixtures("chinese")
def test_placeholder_until_a_customer_is_shown(view: CustomerCardView) -> None:
    view.show_placeholder()
    assert view.customer_id is None
    assert text(view, "card_message") == "选择一位客户，查看客户档案。"


@pytest.mark.usefixtures("chinese")
def test_empty_card_says_what_is_missing(view: CustomerCardView) -> None:
    view.show_card(make_card(), now=NOW)
    assert view.customer_id == 7
    assert text(view, "grid_empty") == "尚未划入网格"
    assert text(view, "supply_empty") == "未关联台区"
    assert text(view, "contacts_empty") == "无楼长或联系人"
    assert text(view, "outages_empty") == "无停电计划"
    assert text(view, "orders_empty") == "无未办结工单"
    assert text(view, "arrears_empty") == "无欠费"
    assert text(view, "calls_empty") == "无来电记录"


@pytest.mark.usefixtures("chinese")
def test_full_card(view: CustomerCardView) -> None:
    card = make_card(
        grid="东关网格",
        grid_area_class="城区",
        manager_name="张伟",
        manager_phone="13900001111",
        transformer_area="东关1号台区",
        transformer_area_code="T001",
        feeder="10kV城关线",
        contacts=[ContactBrief("楼长", "刘桂兰", "13700000011", "1号楼")],
        outages=[
            OutageBrief(
                1,
                "计划停电",
                "已发布",
                NOW + dt.timedelta(days=8),
                NOW + dt.timedelta(days=8, hours=8),
                "线路检修",
            )
        ],
        open_orders=[
            OrderBrief(1, "GD1", "故障报修", "已派单", NOW, NOW - dt.timedelta(hours=1), "张伟"),
            OrderBrief(2, "GD2", "咨询", "新建", NOW, NOW + dt.timedelta(days=1), ""),
        ],
        arrears=[ArrearsBrief("202403", 12_345, "未缴"), ArrearsBrief("202404", 111_105, "未缴")],
        recent_calls=[CallBrief(NOW - dt.timedelta(hours=2), "供电所电话", "报修：家中停电")],
    )
    view.show_card(card, now=NOW)
    assert text(view, "card_name") == "<b>李桂兰</b>"  # plain text, not markup
    assert text(view, "card_phone") == "138****5678"
    assert text(view, "card_grid") == "东关网格"
    assert text(view, "card_manager") == "张伟"
    assert text(view, "card_transformer_area") == "东关1号台区（T001）"
    assert "楼长　刘桂兰　13700000011（1号楼）" in texts(view, "card_contacts")
    assert "05-11 12:00 至 05-11 20:00" in texts(view, "card_outages")[0]
    orders = texts(view, "card_orders")
    assert "时限 05-03 11:00（已超时） · 张伟" in orders
    assert "时限 05-04 12:00 · 未派单" in orders
    assert text(view, "card_arrears_total") == "合计 ¥1,234.50（2 个月）"
    assert "2024-04　¥1,111.05　未缴" in texts(view, "card_arrears")
    assert texts(view, "card_calls") == ["05-03 10:00　供电所电话", "报修：家中停电"]
    for empty in ("grid_empty", "orders_empty", "arrears_empty", "calls_empty"):
        assert view.findChild(QLabel, empty) is None


def test_unmask_shows_the_full_phone(view: CustomerCardView) -> None:
    view.show_card(make_card(), unmask=True, now=NOW)
    assert text(view, "card_phone") == "13812345678"


def test_a_new_card_replaces_the_old_one(view: CustomerCardView, qtbot) -> None:  # type: ignore[no-untyped-def]
    view.show_card(make_card(arrears=[ArrearsBrief("202403", 100, "未缴")]), now=NOW)
    view.show_card(make_card(), now=NOW)
    qtbot.wait(10)  # deferred delete of the old page
    assert len(view.findChildren(QLabel, "card_name")) == 1
    assert view.findChild(QLabel, "card_arrears_total") is None


@pytest.mark.parametrize(
    ("fen", "shown"),
    [
        (0, "¥0.00"),
        (5, "¥0.05"),
        (123_450, "¥1,234.50"),
        (100_000_000, "¥1,000,000.00"),
        (-250, "-¥2.50"),
    ],
)
def test_money(fen: int, shown: str) -> None:
    assert fmt.money(fen) == shown


def test_times_and_months() -> None:
    assert fmt.date_time(dt.datetime(2024, 5, 3, 9, 5)) == "2024-05-03 09:05"
    assert fmt.date_time(None) == ""
    assert fmt.short_date_time(dt.datetime(2024, 5, 3, 9, 5), dt.date(2024, 1, 1)) == "05-03 09:05"
    assert (
        fmt.short_date_time(dt.datetime(2023, 5, 3, 9, 5), dt.date(2024, 1, 1))
        == "2023-05-03 09:05"
    )
    assert fmt.month("202403") == "2024-03"
    assert fmt.month("2024年3月") == "2024年3月"
