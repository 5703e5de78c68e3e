"""The customer page: search as you type, the card beside the list, the keyboard."""

from __future__ import annotations

import threading
import time

import pytest
from test_ui_sample import (  # noqa: F401 (fixtures)
    IGNORE_OFFSCREEN_SIZE_HINTS,
    County,
    account_no,
    chinese,
    seed_county,
    workers_stopped,
)

from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.paths import DataPaths
from gridsvc_desktop.services.search import CustomerRow
from gridsvc_desktop.ui.context import UiContext
from gridsvc_desktop.ui.models.customer_table import CUSTOMER_ID_ROLE, Mode
from gridsvc_desktop.ui.pages import customers as customers_page
from gridsvc_desktop.ui.pages.customers import CustomersPage
from gridsvc_desktop.ui.qt import QApplication, QInputMethodEvent, QLabel, QLineEdit, Qt

pytestmark = [
    pytest.mark.usefixtures("workers_stopped"),
    IGNORE_OFFSCREEN_SIZE_HINTS,
]


@pytest.fixture
def county(db: Database) -> County:
    return seed_county(db, customers=300)


@pytest.fixture
def page(db: Database, data_paths: DataPaths, county: County, qtbot) -> CustomersPage:  # type: ignore[no-untyped-def]
    widget = CustomersPage(UiContext(db=db, paths=data_paths, station_name="测试供电所"))
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    widget.activated()
    return widget


def type_text(qtbot, edit: QLineEdit, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type `text` as a user would: ASCII as key presses, Chinese as input-method
    commits (QTest cannot press keys for characters outside Latin-1)."""
    for ch in text:
        if ch.isascii():
            qtbot.keyClicks(edit, ch)
        else:
            event = QInputMethodEvent()
            event.setCommitString(ch)
            QApplication.sendEvent(edit, event)


def label(page: CustomersPage, name: str) -> str:
    found = page.card.findChild(QLabel, name)
    assert found is not None, f"no label {name!r} on the card"
    return found.text()


def shown_ids(page: CustomersPage) -> list[int]:
    m = page.model
    return [m.data(m.index(r, 0), CUSTOMER_ID_ROLE) for r in range(m.rowCount())]


def test_page_opens_in_browse_mode_with_the_first_page(page: CustomersPage) -> None:
    assert page.model.mode == Mode.BROWSE
    assert page.model.rowCount() == 200
    assert page.model.row_at(0).account_no == account_no(0)  # type: ignore[union-attr]
    assert page.search_edit.hasFocus()


def test_typing_shows_matching_customers(page: CustomersPage, county: County, qtbot) -> None:  # type: ignore[no-untyped-def]
    type_text(qtbot, page.search_edit, "王秀英")
    qtbot.waitUntil(lambda: page.model.mode == Mode.SEARCH and page.model.query == "王秀英")
    names = {page.model.row_at(r).name for r in range(page.model.rowCount())}  # type: ignore[union-attr]
    assert names == {"王秀英"}
    assert county.first_customer_id in shown_ids(page)


def test_typing_an_account_number_finds_one_customer_and_opens_the_card(
    page: CustomersPage, county: County, qtbot
) -> None:  # type: ignore[no-untyped-def]
    type_text(qtbot, page.search_edit, account_no(0))
    qtbot.waitUntil(lambda: page.card.customer_id == county.first_customer_id)
    assert shown_ids(page) == [county.first_customer_id]
    assert label(page, "card_grid") == "东关网格"


def test_phone_suffix_search(page: CustomersPage, county: County, qtbot) -> None:  # type: ignore[no-untyped-def]
    type_text(qtbot, page.search_edit, "5678")
    qtbot.waitUntil(lambda: page.model.mode == Mode.SEARCH)
    assert county.first_customer_id in shown_ids(page)


@pytest.mark.usefixtures("chinese")
def test_a_capped_search_says_so(page: CustomersPage, qtbot) -> None:  # type: ignore[no-untyped-def]
    type_text(qtbot, page.search_edit, "城关")  # every address
    qtbot.waitUntil(lambda: page.model.mode == Mode.SEARCH)
    assert page.model.rowCount() == 200 and page.model.capped
    assert page.status_label.text() == "显示前 200 条，请输入更多字符缩小范围"


@pytest.mark.usefixtures("chinese")
def test_no_match_says_so(page: CustomersPage, qtbot) -> None:  # type: ignore[no-untyped-def]
    type_text(qtbot, page.search_edit, "不存在的客户")
    qtbot.waitUntil(lambda: page.model.mode == Mode.SEARCH)
    assert page.model.rowCount() == 0
    assert page.status_label.text() == "没有与“不存在的客户”匹配的客户"


def test_an_older_query_never_overwrites_a_newer_one(
    page: CustomersPage, monkeypatch: pytest.MonkeyPatch, qtbot
) -> None:  # type: ignore[no-untyped-def]
    real = customers_page.find_customers
    slow_started = threading.Event()
    finished: list[str] = []

    def find(db: Database, query: str) -> tuple[list[CustomerRow], bool]:
        if query == "王":
            slow_started.set()
            time.sleep(0.6)  # the first query answers last
        result = real(db, query)
        finished.append(query)
        return result

    monkeypatch.setattr(customers_page, "find_customers", find)
    page.search_edit.setText("王")
    page._run_query()  # no debounce: start it now
    assert slow_started.wait(5)
    page.search_edit.setText("王秀英")
    page._run_query()
    qtbot.waitUntil(lambda: finished == ["王秀英", "王"], timeout=5000)
    qtbot.wait(50)  # let the late result's (cancelled) delivery pass
    assert page.model.query == "王秀英"
    assert {page.model.row_at(r).name for r in range(page.model.rowCount())} == {"王秀英"}  # type: ignore[union-attr]


def test_debounce_runs_one_query_for_a_burst_of_keys(
    page: CustomersPage, monkeypatch: pytest.MonkeyPatch, qtbot
) -> None:  # type: ignore[no-untyped-def]
    real = customers_page.find_customers
    queries: list[str] = []

    def find(db: Database, query: str) -> tuple[list[CustomerRow], bool]:
        queries.append(query)
        return real(db, query)

    monkeypatch.setattr(customers_page, "find_customers", find)
    type_text(qtbot, page.search_edit, "幸福小区")
    qtbot.waitUntil(lambda: page.model.query == "幸福小区")
    assert queries == ["幸福小区"]


@pytest.mark.usefixtures("chinese")
def test_selecting_a_row_opens_the_card_with_grid_and_manager(
    page: CustomersPage, county: County, qtbot
) -> None:  # type: ignore[no-untyped-def]
    row = page.model.row_of(county.first_customer_id)
    page.table.setCurrentIndex(page.model.index(row, 0))
    qtbot.waitUntil(lambda: page.card.customer_id == county.first_customer_id)
    assert label(page, "card_name") == "王秀英"
    assert label(page, "card_grid") == "东关网格"
    assert label(page, "card_manager") == "张伟"
    assert label(page, "card_manager_phone") == "13900001111"
    assert label(page, "card_transformer_area") == "东关1号台区（T001）"
    assert label(page, "card_feeder") == "10kV城关线"
    assert label(page, "card_phone") == "138****5678"  # masked: the role may not unmask yet
    assert label(page, "card_arrears_total") == "合计 ¥1,234.50（2 个月）"
    assert page.card.findChild(QLabel, "arrears_empty") is None


@pytest.mark.usefixtures("chinese")
def test_another_customer_shows_empty_states(page: CustomersPage, qtbot) -> None:  # type: ignore[no-untyped-def]
    page.table.setCurrentIndex(page.model.index(4, 0))  # a customer without orders or arrears
    qtbot.waitUntil(lambda: page.card.customer_id == page.model.row_at(4).id)  # type: ignore[union-attr]
    assert label(page, "arrears_empty") == "无欠费"
    assert label(page, "orders_empty") == "无未办结工单"
    assert label(page, "calls_empty") == "无来电记录"


def test_enter_in_the_table_opens_the_card(page: CustomersPage, qtbot) -> None:  # type: ignore[no-untyped-def]
    page.table.setFocus()
    page.table.selectionModel().blockSignals(True)
    page.table.setCurrentIndex(page.model.index(2, 0))
    page.table.selectionModel().blockSignals(False)
    assert page.card.customer_id is None
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.card.customer_id == page.model.row_at(2).id)  # type: ignore[union-attr]


def test_keyboard_ctrl_f_down_and_escape(page: CustomersPage, county: County, qtbot) -> None:  # type: ignore[no-untyped-def]
    page.table.setFocus()
    assert not page.search_edit.hasFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(page.search_edit.hasFocus)

    type_text(qtbot, page.search_edit, "王秀英")
    qtbot.waitUntil(lambda: page.model.query == "王秀英")
    qtbot.keyClick(page.search_edit, Qt.Key.Key_Down)
    assert page.table.hasFocus()
    assert page.table.currentIndex().row() == 0
    qtbot.waitUntil(lambda: page.card.customer_id == page.model.row_at(0).id)  # type: ignore[union-attr]

    qtbot.keyClick(page.table, Qt.Key.Key_Escape)
    assert page.search_edit.text() == ""
    assert page.search_edit.hasFocus()
    assert page.model.mode == Mode.BROWSE and page.model.rowCount() == 200


def test_a_missing_customer_shows_a_message(page: CustomersPage, qtbot) -> None:  # type: ignore[no-untyped-def]
    page.open_customer(987_654)
    qtbot.waitUntil(lambda: page.card.findChild(QLabel, "card_message").text() != "")
    qtbot.waitUntil(lambda: "987654" in page.card.findChild(QLabel, "card_message").text())
    assert page.card.customer_id is None


def test_reload_keeps_the_query_and_the_card(page: CustomersPage, county: County, qtbot) -> None:  # type: ignore[no-untyped-def]
    type_text(qtbot, page.search_edit, account_no(0))
    qtbot.waitUntil(lambda: page.card.customer_id == county.first_customer_id)
    page.reload()
    qtbot.waitUntil(lambda: page.model.mode == Mode.SEARCH and page.model.rowCount() == 1)
    assert page.card.customer_id == county.first_customer_id
