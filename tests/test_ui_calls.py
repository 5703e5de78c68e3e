"""The call screen and the whole desk flow with qtbot: a call comes in, the
caller is found, a work order is taken from the call, dispatched, the crew is
on site, the fault is resolved and the caller called back."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import select
from test_ui_sample import IGNORE_OFFSCREEN_SIZE_HINTS, workers_stopped  # noqa: F401
from test_work_orders_sample import Desk, desk, station_template

from gridsvc_desktop.db.models import Call, WorkOrder, WorkOrderEvent
from gridsvc_desktop.domain.enums import OrderStatus, OrderType
from gridsvc_desktop.services import calls as call_svc
from gridsvc_desktop.ui.context import UiContext
from gridsvc_desktop.ui.dialogs.order_dialogs import (
    CallbackDialog,
    DispatchDialog,
    NewOrderDialog,
    TextStepDialog,
)
from gridsvc_desktop.ui.models.calls_table import CallTableModel
from gridsvc_desktop.ui.pages.calls import CallsPage
from gridsvc_desktop.ui.pages.orders import OrdersPage
from gridsvc_desktop.ui.qt import QDialogButtonBox, QLabel, Qt

FIXTURES = (
    desk,
    station_template,
)  # the sample station's fixtures, used by pytest

pytestmark = [pytest.mark.usefixtures("workers_stopped"), IGNORE_OFFSCREEN_SIZE_HINTS]


@pytest.fixture
def ctx(desk: Desk) -> UiContext:
    return UiContext(db=desk.db, paths=desk.paths, station_name="测试供电所")


@pytest.fixture
def calls_page(ctx: UiContext, qtbot) -> CallsPage:  # type: ignore[no-untyped-def]
    page = CallsPage(ctx)
    qtbot.addWidget(page)
    page.resize(1300, 800)
    page.show()
    qtbot.waitExposed(page)
    page.activated()
    return page


def press_ok(qtbot, dialog) -> None:  # type: ignore[no-untyped-def]
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.waitUntil(ok.isEnabled)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)


def test_call_to_order_to_dispatch_on_site_resolve_and_call_back(
    calls_page: CallsPage, ctx: UiContext, desk: Desk, qtbot
) -> None:  # type: ignore[no-untyped-def]
    page = calls_page
    # the phone rings: the desk types the caller's number; the clock starts
    qtbot.keyClicks(page.search_edit, "13812345678")
    assert page.started_at is not None
    qtbot.waitUntil(lambda: page.customer_id == desk.st.customers["王秀英"])
    qtbot.waitUntil(lambda: page.card.customer_id == desk.st.customers["王秀英"])
    assert page.phone_edit.text() == "13812345678"  # as typed (a phone number)
    assert page.name_edit.text() == "王秀英"
    assert page.card.findChild(QLabel, "card_grid").text() == "东关网格"
    page.category_box.setCurrentIndex(page.category_box.findData(OrderType.repair))
    page.summary_edit.setPlainText("家里突然停电，邻居家也没电")

    # one action: a work order prefilled from the customer and the call
    qtbot.mouseClick(page.order_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(page.active_dialog, NewOrderDialog))
    dialog = page.active_dialog
    assert dialog is not None and page.call_id is not None
    assert dialog.type_box.currentData() == OrderType.repair
    assert dialog.description.toPlainText() == "家里突然停电，邻居家也没电"
    assert dialog.address.text().startswith("城关镇东关社区幸福小区")
    qtbot.waitUntil(lambda: "张伟" in dialog.route_label.text())
    assert "专职网格经理" in dialog.route_label.text()
    assert dialog.limits_label.text()  # arrival and restore limits shown
    dialog.dispatch_now.setChecked(False)  # dispatched from the list below
    press_ok(qtbot, dialog)
    qtbot.waitUntil(lambda: page.last_order_id is not None)
    order_id = page.last_order_id
    qtbot.waitUntil(lambda: "GD" in page.result_label.text())
    with desk.db.read() as s:
        call = s.get(Call, page.call_id)
        order = s.get(WorkOrder, order_id)
        assert call is not None and order is not None
        assert call.work_order_id == order_id and order.status == OrderStatus.new
        assert order.received_at == call.started_at  # the clock runs from the call

    # the clock stops when the call is saved
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.result_label.text() != "" and page.ended_at is not None)
    qtbot.waitUntil(lambda: _call(desk, page.call_id).duration_s is not None)  # type: ignore[arg-type]

    # the work-order list: dispatch, on site, resolve, call back
    orders = OrdersPage(ctx)
    qtbot.addWidget(orders)
    orders.resize(1300, 800)
    orders.show()
    qtbot.waitUntil(lambda: orders.model.row_of(order_id) >= 0)  # type: ignore[arg-type]
    orders.table.setCurrentIndex(orders.model.index(orders.model.row_of(order_id), 0))  # type: ignore[arg-type]
    panel = orders.detail
    qtbot.waitUntil(lambda: panel.order_id == order_id and "dispatch" in panel.buttons)

    panel.buttons["dispatch"].click()
    qtbot.waitUntil(lambda: isinstance(panel.active_dialog, DispatchDialog))
    assert panel.active_dialog.picker.current_id() == desk.st.staff["张伟"]  # type: ignore[union-attr]
    press_ok(qtbot, panel.active_dialog)
    qtbot.waitUntil(
        lambda: panel.detail is not None and panel.detail.order.status == OrderStatus.dispatched
    )
    qtbot.waitUntil(lambda: "on_site" in panel.buttons)

    panel.buttons["on_site"].click()
    qtbot.waitUntil(
        lambda: panel.detail is not None and panel.detail.order.status == OrderStatus.on_site
    )
    qtbot.waitUntil(lambda: "resolve" in panel.buttons)

    panel.buttons["resolve"].click()
    qtbot.waitUntil(lambda: isinstance(panel.active_dialog, TextStepDialog))
    step = panel.active_dialog
    ok = step.buttons.button(QDialogButtonBox.StandardButton.Ok)  # type: ignore[union-attr]
    assert not ok.isEnabled()  # what was done is required
    step.text.setPlainText("更换进户线熔丝，恢复供电")  # type: ignore[union-attr]
    press_ok(qtbot, step)
    qtbot.waitUntil(
        lambda: panel.detail is not None and panel.detail.order.status == OrderStatus.resolved
    )
    qtbot.waitUntil(lambda: "callback" in panel.buttons)

    panel.buttons["callback"].click()
    qtbot.waitUntil(lambda: isinstance(panel.active_dialog, CallbackDialog))
    back = panel.active_dialog
    assert len(back.scores) == 1  # type: ignore[union-attr]
    back.scores[0].setCurrentIndex(back.scores[0].findData(5))  # type: ignore[union-attr]
    press_ok(qtbot, back)
    qtbot.waitUntil(
        lambda: panel.detail is not None and panel.detail.order.status == OrderStatus.called_back
    )
    qtbot.waitUntil(
        lambda: orders.model.row_at(orders.model.row_of(order_id)).status == OrderStatus.called_back
    )  # type: ignore[arg-type,union-attr]

    with desk.db.read() as s:
        moves = [
            (e.from_status, e.to_status)
            for e in s.execute(
                select(WorkOrderEvent)
                .where(WorkOrderEvent.order_id == order_id)
                .order_by(WorkOrderEvent.id)  # type: ignore[arg-type]
            ).scalars()
            if e.to_status
        ]
        order = s.get(WorkOrder, order_id)
    assert moves[-4:] == [
        (OrderStatus.new, OrderStatus.dispatched), (OrderStatus.dispatched, OrderStatus.on_site),
        (OrderStatus.on_site, OrderStatus.resolved), (OrderStatus.resolved, OrderStatus.called_back),
    ]  # fmt: skip
    assert order is not None and order.satisfaction == 5
    assert panel.history.rowCount() == 5


def _call(d: Desk, call_id: int) -> Call:
    with d.db.read() as s:
        c = s.get(Call, call_id)
        assert c is not None
        return c


def test_an_unknown_caller_is_logged_and_linked_later(
    calls_page: CallsPage, desk: Desk, qtbot
) -> None:  # type: ignore[no-untyped-def]
    page = calls_page
    qtbot.keyClicks(page.search_edit, "13700000000")
    qtbot.waitUntil(lambda: "13700000000" in page.status_label.text())
    assert page.matches.rowCount() == 0
    page.unknown_button.click()
    assert page.customer_id is None
    page.summary_edit.setPlainText("反映路灯不亮")
    page.save_button.click()
    qtbot.waitUntil(lambda: page.call_id is not None)
    qtbot.waitUntil(lambda: page.todays.rowCount() == 1)
    row = page.todays.row_at(0)
    assert row is not None and row.customer_id is None and row.phone == "13700000000"
    assert "未关联" in page.todays_label.text() or "not linked" in page.todays_label.text()
    # later the caller is known: choose them, pick the call, link
    page._on_new_button_clicked()
    qtbot.keyClicks(page.search_edit, "3700000002")
    qtbot.waitUntil(lambda: page.customer_id == desk.st.customers["李桂兰"])
    page.todays_table.setCurrentIndex(page.todays.index(0, 0))
    qtbot.waitUntil(page.link_button.isEnabled)
    page.link_button.click()
    qtbot.waitUntil(lambda: _call(desk, row.id).customer_id == desk.st.customers["李桂兰"])
    qtbot.waitUntil(
        lambda: page.todays.row_at(0) is not None and page.todays.row_at(0).customer_id is not None
    )  # type: ignore[union-attr]


def test_a_second_repair_call_is_offered_the_open_order_and_attached(
    calls_page: CallsPage, desk: Desk, qtbot
) -> None:  # type: ignore[no-untyped-def]
    with desk.db.write() as s:
        first = call_svc.log_call(
            session=s,
            actor=desk.admin,
            data=call_svc.CallInput(
                customer_id=desk.st.customers["王秀英"], category=OrderType.repair, summary="停电"
            ),
        )
        order = call_svc.order_from_call(session=s, actor=desk.admin, call_id=first.id)  # type: ignore[arg-type]
        order_id, number = order.id, order.number
    page = calls_page
    qtbot.keyClicks(page.search_edit, "3700000002")  # the neighbour on the same transformer area
    qtbot.waitUntil(lambda: page.customer_id == desk.st.customers["李桂兰"])
    page.category_box.setCurrentIndex(page.category_box.findData(OrderType.repair))
    qtbot.waitUntil(page.duplicate_label.isVisible)
    assert number in page.duplicate_label.text()
    assert page.attach_box.currentData() == ("order", order_id)
    page.summary_edit.setPlainText("我家也停电了")
    page.attach_button.click()
    qtbot.waitUntil(lambda: number in page.result_label.text())
    with desk.db.read() as s:
        linked = s.execute(
            select(Call).where(Call.customer_id == desk.st.customers["李桂兰"])
        ).scalar_one()
    assert linked.work_order_id == order_id


def test_the_clock_runs_and_stops(calls_page: CallsPage, qtbot) -> None:  # type: ignore[no-untyped-def]
    page = calls_page
    assert page.clock_label.text() == "00:00"
    page.clock_button.click()
    assert page.started_at is not None
    page.started_at -= dt.timedelta(seconds=65)
    qtbot.waitUntil(lambda: page.clock_label.text().startswith("01:0"), timeout=3000)
    page.clock_button.click()
    assert page.ended_at is not None
    assert not page.clock_button.isEnabled()
    page.new_button.click()
    assert page.started_at is None and page.clock_label.text() == "00:00"


def test_call_table_model_passes_modeltester(
    calls_page: CallsPage, desk: Desk, qtbot, qtmodeltester
) -> None:  # type: ignore[no-untyped-def]

    with desk.db.write() as s:
        for i in range(3):
            call_svc.log_call(
                session=s,
                actor=desk.admin,
                data=call_svc.CallInput(
                    phone=f"1390000000{i}",
                    customer_id=desk.st.customers["王秀英"] if i else None,
                    summary=f"第{i}通",
                    ended_at=dt.datetime.now() if i == 2 else None,
                ),
            )
    calls_page.refresh_todays_calls()
    qtbot.waitUntil(lambda: calls_page.todays.rowCount() == 3)
    qtmodeltester.check(calls_page.todays)
    model = CallTableModel()
    qtmodeltester.check(model)
