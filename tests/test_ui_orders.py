"""The work-order page: filters, SQL sort, search, columns, copy, export, the
detail panel, near-due and overdue rows, and a refused stale save."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import insert
from test_ui_sample import IGNORE_OFFSCREEN_SIZE_HINTS, chinese, workers_stopped  # noqa: F401
from test_work_orders_sample import Desk, desk, station_template

from gridsvc_desktop.db.models import WorkOrder
from gridsvc_desktop.domain.enums import Channel, OrderStatus, OrderType
from gridsvc_desktop.services import work_orders as wo
from gridsvc_desktop.ui.context import UiContext
from gridsvc_desktop.ui.models.orders_history import HistoryModel, LoadModel
from gridsvc_desktop.ui.models.orders_table import (
    CLOCK_STATE_ROLE,
    OrderColumn,
    OrderTableModel,
)
from gridsvc_desktop.ui.pages.orders import OrdersPage
from gridsvc_desktop.ui.qt import QGuiApplication, QMessageBox, Qt
from gridsvc_desktop.ui.widgets import order_clock

FIXTURES = (
    desk,
    station_template,
)  # the sample station's fixtures, used by pytest

pytestmark = [pytest.mark.usefixtures("workers_stopped"), IGNORE_OFFSCREEN_SIZE_HINTS]
NOW = dt.datetime.now().replace(microsecond=0)
H = dt.timedelta(hours=1)


def seed(d: Desk, n: int = 260) -> None:
    """`n` open orders, due from 5 h ago to later; the rest of the statuses too."""
    rows = []
    for i in range(n):
        received = NOW - dt.timedelta(hours=8) + dt.timedelta(minutes=i)
        rows.append(
            {
                "number": f"GD{received:%Y%m%d}{i + 1:04d}",
                "type": (OrderType.repair if i % 3 == 0 else OrderType.inquiry).value,
                "status": (OrderStatus.dispatched if i % 4 else OrderStatus.new).value,
                "channel": (Channel.hotline_95598 if i % 5 == 0 else Channel.phone).value,
                "customer_id": d.st.customers["王秀英"] if i % 2 else d.st.customers["陈建国"],
                "caller_name": "王秀英" if i % 2 else "陈建国",
                "caller_phone": "13812345678",
                "address": f"城关镇东关社区幸福小区{i}号",
                "description": f"第{i}号诉求",
                "grid_id": d.st.grids["东关网格"] if i % 2 else d.st.grids["南湖网格"],
                "assignee_id": d.st.staff["张伟"] if i % 4 else None,
                "received_at": received,
                "arrival_due": None,
                "arrived_at": None,
                "resolve_due": received + dt.timedelta(hours=3 + i // 40),
                "version": 1,
            }
        )
    with d.db.write_connection() as conn:
        conn.execute(insert(WorkOrder.__table__), rows)  # type: ignore[arg-type]


@pytest.fixture
def page(desk: Desk, qtbot) -> OrdersPage:  # type: ignore[no-untyped-def]
    seed(desk)
    widget = OrdersPage(UiContext(db=desk.db, paths=desk.paths, station_name="测试供电所"))
    qtbot.addWidget(widget)
    widget.resize(1400, 800)
    widget.show()
    qtbot.waitExposed(widget)
    qtbot.waitUntil(lambda: widget.model.rowCount() > 0 and widget._count is not None)
    return widget


def ids(page: OrdersPage) -> list[int]:
    return [page.model.row_at(r).id for r in range(page.model.rowCount())]  # type: ignore[union-attr]


def test_opens_on_open_orders_nearest_deadline_first_and_fetches_more(
    page: OrdersPage, qtbot, qtmodeltester
) -> None:  # type: ignore[no-untyped-def]
    m = page.model
    assert m.rowCount() == OrderTableModel.PAGE_SIZE and m.canFetchMore(m.index(-1, -1).parent())
    dues = [m.row_at(r).next_due for r in range(m.rowCount())]  # type: ignore[union-attr]
    assert dues == sorted(dues)
    assert page._count == 260
    qtmodeltester.check(m)
    page.table.scrollToBottom()
    qtbot.waitUntil(lambda: m.rowCount() == 260)
    assert len(set(ids(page))) == 260
    assert "260" in page.status_label.text()


def test_overdue_and_near_due_rows_stand_out(page: OrdersPage) -> None:
    m = page.model
    states = [m.data(m.index(r, 0), CLOCK_STATE_ROLE) for r in range(m.rowCount())]
    assert states[0] == "overdue" and "near" in states and "ok" in states
    first = m.index(0, OrderColumn.TIME_LEFT)
    assert m.data(first, Qt.ItemDataRole.BackgroundRole).name() == order_clock.OVERDUE_BG
    assert m.data(first, Qt.ItemDataRole.ForegroundRole).name() == order_clock.OVERDUE_FG
    assert m.data(first, Qt.ItemDataRole.FontRole).bold()
    assert "overdue" in m.data(first) or "超时" in m.data(first)
    near = states.index("near")
    assert m.data(m.index(near, 1), Qt.ItemDataRole.BackgroundRole).name() == order_clock.NEAR_BG
    ok = states.index("ok")
    assert m.data(m.index(ok, 1), Qt.ItemDataRole.BackgroundRole) is None


def test_filters_sort_and_search_run_in_sql(page: OrdersPage, desk: Desk, qtbot) -> None:  # type: ignore[no-untyped-def]
    m = page.model
    page.overdue_box.setChecked(True)
    qtbot.waitUntil(lambda: page._filter.overdue and page._query_task is None)
    assert all(m.row_at(r).next_due < dt.datetime.now() for r in range(m.rowCount()))  # type: ignore[union-attr]
    page.overdue_box.setChecked(False)
    page.type_box.setCurrentIndex(page.type_box.findData(OrderType.repair))
    qtbot.waitUntil(lambda: page._filter.types == (OrderType.repair,) and page._query_task is None)
    assert {m.row_at(r).type for r in range(m.rowCount())} == {OrderType.repair}  # type: ignore[union-attr]
    page.type_box.setCurrentIndex(0)
    page.channel_box.setCurrentIndex(page.channel_box.findData(Channel.hotline_95598))
    qtbot.waitUntil(lambda: page._filter.channels == (Channel.hotline_95598,) and page._count == 52)
    page.channel_box.setCurrentIndex(0)
    qtbot.waitUntil(lambda: page.grid_box.count() > 1)
    page.grid_box.set_current_id(desk.st.grids["南湖网格"])
    qtbot.waitUntil(
        lambda: page._filter.grid_id == desk.st.grids["南湖网格"] and page._count == 130
    )
    page.grid_box.set_current_id(None)
    page.assignee_box.set_current_id(0)  # not yet assigned
    qtbot.waitUntil(lambda: page._filter.assignee_id == 0 and page._count == 65)
    page.assignee_box.set_current_id(None)
    qtbot.waitUntil(lambda: page._filter.assignee_id is None and page._count == 260)

    # a click on "Order no." sorts in SQL (descending on the second click)
    header = page.table.horizontalHeader()
    header.setSortIndicator(OrderColumn.NUMBER, Qt.SortOrder.DescendingOrder)
    qtbot.waitUntil(lambda: page._sort == wo.SortKey.number and page._query_task is None)
    numbers = [m.row_at(r).number for r in range(m.rowCount())]  # type: ignore[union-attr]
    assert numbers == sorted(numbers, reverse=True)
    page.model.sort(OrderColumn.ADDRESS)  # not sortable: nothing happens
    assert page._sort == wo.SortKey.number

    # search: an order number prefix, then a customer's name
    qtbot.keyClicks(page.search_edit, numbers[0])
    qtbot.waitUntil(lambda: page._count == 1)
    assert m.row_at(0).number == numbers[0]  # type: ignore[union-attr]
    page.search_edit.setText("陈建国")
    qtbot.waitUntil(lambda: page._filter.text == "陈建国" and page._count == 130)

    page.dates_box.setChecked(True)
    page.date_from.setDate(page.date_from.date().addDays(40))
    qtbot.waitUntil(lambda: page._count == 0)
    assert m.rowCount() == 0


def test_columns_copy_and_export(page: OrdersPage, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert page.table.isColumnHidden(OrderColumn.ACCOUNT_NO)
    page.column_actions[OrderColumn.ACCOUNT_NO].setChecked(True)
    page.column_actions[OrderColumn.DESCRIPTION].setChecked(False)
    assert not page.table.isColumnHidden(OrderColumn.ACCOUNT_NO)
    assert OrderColumn.DESCRIPTION not in page.visible_columns()
    page.table.selectRow(0)
    page.table.selectionModel().select(
        page.model.index(2, 0),
        page.table.selectionModel().SelectionFlag.Select
        | page.table.selectionModel().SelectionFlag.Rows,
    )
    text = page.copy_selection()
    assert QGuiApplication.clipboard().text() == text
    lines = text.split("\n")
    assert len(lines) == 3 and all(
        line.count("\t") == len(page.visible_columns()) - 1 for line in lines
    )
    first = page.model.row_at(0)
    assert first is not None and lines[1].split("\t")[0] == first.number
    assert "3700000001" in text or "3700000003" in text  # the account column chosen
    assert "第" not in text  # the request column left out

    path = tmp_path / "orders.xlsx"
    task = page.export_to(path)
    qtbot.waitUntil(lambda: task.done, timeout=10_000)
    import openpyxl

    sheet = openpyxl.load_workbook(path).active
    assert sheet is not None
    header = [c.value for c in sheet[3]]
    assert len(header) == len(page.visible_columns())
    assert sheet.max_row - 3 == 260
    assert "138****5678" in [c.value for c in sheet[4]]  # masked without the unmask right


def test_a_stale_save_is_refused_with_what_changed(page: OrdersPage, desk: Desk, qtbot) -> None:  # type: ignore[no-untyped-def]
    m = page.model
    row = next(
        m.row_at(r) for r in range(m.rowCount()) if m.row_at(r).status == OrderStatus.dispatched
    )  # type: ignore[union-attr]
    assert row is not None
    page.table.setCurrentIndex(m.index(m.row_of(row.id), 0))
    panel = page.detail
    qtbot.waitUntil(lambda: panel.order_id == row.id and "on_site" in panel.buttons)
    with desk.db.write() as s:  # another PC resolves it meanwhile
        wo.mark_on_site(session=s, actor=desk.admin, order_id=row.id)
    panel.buttons["on_site"].click()
    qtbot.waitUntil(lambda: bool(panel.findChildren(QMessageBox)))
    box = panel.findChildren(QMessageBox)[-1]
    assert "已被" in box.text() and "已派单 → 已到场" in box.text()
    qtbot.waitUntil(
        lambda: panel.detail is not None and panel.detail.order.status == OrderStatus.on_site
    )
    box.close()


def test_history_and_load_models_pass_modeltester(
    page: OrdersPage, desk: Desk, qtbot, qtmodeltester
) -> None:  # type: ignore[no-untyped-def]

    page.table.setCurrentIndex(page.model.index(0, 0))
    qtbot.waitUntil(lambda: page.detail.detail is not None)
    with desk.db.read() as s:
        detail = wo.order_detail(s, page.detail.order_id)  # type: ignore[arg-type]
    model = HistoryModel()
    model.set_rows(detail.events)
    qtmodeltester.check(model)
    qtmodeltester.check(LoadModel(lambda: "网格", "（无）"))


@pytest.mark.usefixtures("chinese")
def test_chinese_labels(page: OrdersPage) -> None:
    m = OrderTableModel()
    assert m.column_titles()[OrderColumn.TIME_LEFT] == "剩余时间"
    assert page.model.column_titles()[OrderColumn.NUMBER] == "工单号"
