"""The customer table model: browse paging, search results, masking."""

from __future__ import annotations

import pytest
from test_ui_sample import account_no, seed_county

from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.services.search import CustomerRow
from gridsvc_desktop.ui.models.customer_table import (
    CUSTOMER_ID_ROLE,
    Column,
    CustomerTableModel,
    Mode,
)
from gridsvc_desktop.ui.pages.customers import fetch_customer_page, find_customers
from gridsvc_desktop.ui.qt import QModelIndex, Qt, QTableView

ROOT = QModelIndex()


def fake_rows(n: int) -> list[CustomerRow]:
    return [
        CustomerRow(
            id=i + 1,
            account_no=f"{i:010d}",
            name=f"客户{i}",
            address=f"幸福小区{i}号",
            phone="13812345678",
            category="居民生活用电",
            transformer_area="东关1号台区",
            grid="东关网格",
        )
        for i in range(n)
    ]


class FakeStore:
    """A keyset pager over a list, counting calls."""

    def __init__(self, n: int) -> None:
        self.rows = fake_rows(n)
        self.calls: list[str] = []

    def fetch(self, after: str, limit: int) -> list[CustomerRow]:
        self.calls.append(after)
        return [r for r in self.rows if r.account_no > after][:limit]


def test_model_without_database_passes_modeltester(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    store = FakeStore(450)
    model = CustomerTableModel(store.fetch)
    model.fetchMore(ROOT)
    qtmodeltester.check(model)
    assert model.columnCount() == len(Column)
    assert model.mode == Mode.BROWSE


def test_browse_mode_passes_modeltester(db: Database, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    seed_county(db, customers=450)
    model = CustomerTableModel(lambda after, limit: fetch_customer_page(db, after, limit))
    assert model.canFetchMore(ROOT)
    model.fetchMore(ROOT)
    assert model.rowCount() == CustomerTableModel.PAGE_SIZE
    qtmodeltester.check(model)
    assert model.data(model.index(0, Column.ACCOUNT_NO)) == account_no(0)
    assert model.data(model.index(0, Column.GRID)) == "东关网格"
    assert model.data(model.index(0, Column.TRANSFORMER_AREA)) == "东关1号台区"
    assert model.data(model.index(0, Column.CATEGORY)) == "居民生活用电"


def test_search_mode_passes_modeltester(db: Database, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    county = seed_county(db, customers=300)
    rows, capped = find_customers(db, "王秀英")
    model = CustomerTableModel(lambda after, limit: fetch_customer_page(db, after, limit))
    model.set_search_results("王秀英", rows, capped)
    qtmodeltester.check(model)
    assert model.mode == Mode.SEARCH
    assert not model.canFetchMore(ROOT)
    assert county.first_customer_id in {
        model.data(model.index(r, 0), CUSTOMER_ID_ROLE) for r in range(model.rowCount())
    }


def test_search_results_are_capped_at_200(db: Database) -> None:
    seed_county(db, customers=400)
    rows, capped = find_customers(db, "城关镇")  # every address
    assert len(rows) == 200 and capped
    rows, capped = find_customers(db, account_no(0))
    assert len(rows) == 1 and not capped


def test_fetch_more_pages_through_a_few_thousand_customers(db: Database) -> None:
    seed_county(db, customers=2500)
    calls: list[str] = []

    def fetch(after: str, limit: int) -> list[CustomerRow]:
        calls.append(after)
        return fetch_customer_page(db, after, limit)

    model = CustomerTableModel(fetch)
    assert model.rowCount() == 0  # nothing until asked
    while model.canFetchMore(ROOT):
        before = model.rowCount()
        model.fetchMore(ROOT)
        assert model.rowCount() - before <= CustomerTableModel.PAGE_SIZE
    assert model.rowCount() == 2500
    assert len(calls) == 13  # 12 full pages and one of 100
    assert calls[0] == "" and calls[1] == account_no(199)  # keyset, not OFFSET
    numbers = [model.data(model.index(r, Column.ACCOUNT_NO)) for r in range(model.rowCount())]
    assert numbers == sorted(set(numbers))


def test_view_fetches_pages_only_as_it_scrolls(db: Database, qtbot) -> None:  # type: ignore[no-untyped-def]
    seed_county(db, customers=1000)
    model = CustomerTableModel(lambda after, limit: fetch_customer_page(db, after, limit))
    view = QTableView()
    qtbot.addWidget(view)
    view.resize(600, 300)
    view.setModel(model)
    view.show()
    qtbot.waitUntil(lambda: model.rowCount() == 200)
    view.scrollToBottom()
    qtbot.waitUntil(lambda: model.rowCount() == 400)
    assert model.rowCount() < 1000


def test_phone_is_masked_unless_unmasked(qtbot) -> None:  # type: ignore[no-untyped-def]
    store = FakeStore(3)
    model = CustomerTableModel(store.fetch)
    model.fetchMore(ROOT)
    index = model.index(0, Column.PHONE)
    assert model.unmask is False
    assert model.data(index) == "138****5678"
    with qtbot.waitSignal(model.dataChanged) as blocker:
        model.unmask = True
    assert blocker.args[0].column() == Column.PHONE
    assert model.data(index) == "13812345678"


def test_browse_after_search_starts_again_from_the_first_page() -> None:
    store = FakeStore(500)
    model = CustomerTableModel(store.fetch)
    model.fetchMore(ROOT)
    model.fetchMore(ROOT)
    model.set_search_results("x", fake_rows(3), capped=False)
    assert model.rowCount() == 3 and model.query == "x"
    model.browse()
    assert model.rowCount() == 0 and model.canFetchMore(ROOT)
    model.fetchMore(ROOT)
    assert model.row_at(0) == store.rows[0]
    assert model.row_of(store.rows[5].id) == 5
    assert model.row_of(99_999) == -1


def test_a_failing_page_is_reported_not_raised(qtbot) -> None:  # type: ignore[no-untyped-def]
    def broken(after: str, limit: int) -> list[CustomerRow]:
        raise OSError("disk gone")

    model = CustomerTableModel(broken)
    with qtbot.waitSignal(model.fetch_failed) as blocker:
        model.fetchMore(ROOT)
    assert "disk gone" in blocker.args[0]
    assert not model.canFetchMore(ROOT)


@pytest.mark.parametrize("column", list(Column))
def test_headers(column: Column) -> None:
    model = CustomerTableModel()
    assert model.headerData(column, Qt.Orientation.Horizontal)
    assert model.headerData(column, Qt.Orientation.Vertical) is None
