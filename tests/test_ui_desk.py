"""The lead's desk page: figures on tiles and tables, refreshed on a worker when
data changes (a burst of changes is one refresh) without blocking the window."""

from __future__ import annotations

import threading
import time

import pytest
from test_ui_orders import seed
from test_ui_sample import IGNORE_OFFSCREEN_SIZE_HINTS, chinese, workers_stopped  # noqa: F401
from test_work_orders_sample import Desk, desk, station_template

from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.domain.enums import OrderType
from gridsvc_desktop.services import work_orders as wo
from gridsvc_desktop.ui.context import UiContext
from gridsvc_desktop.ui.models.orders_table import OrderColumn
from gridsvc_desktop.ui.pages import desk as desk_page
from gridsvc_desktop.ui.pages.desk import DeskPage

FIXTURES = (
    desk,
    station_template,
)  # the sample station's fixtures, used by pytest

pytestmark = [pytest.mark.usefixtures("workers_stopped"), IGNORE_OFFSCREEN_SIZE_HINTS]


@pytest.fixture
def ctx(desk: Desk) -> UiContext:
    return UiContext(db=desk.db, paths=desk.paths, station_name="测试供电所")


@pytest.fixture
def page(ctx: UiContext, desk: Desk, qtbot) -> DeskPage:  # type: ignore[no-untyped-def]
    seed(desk, 60)
    widget = DeskPage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1300, 800)
    widget.show()
    qtbot.waitExposed(widget)
    qtbot.waitUntil(lambda: widget.figures is not None)
    return widget


def test_tiles_and_tables_show_the_figures(page: DeskPage, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    fig = page.figures
    assert fig is not None and fig.open == 60
    assert page.tiles["open"].value == "60"
    assert page.tiles["overdue"].value == str(fig.overdue) and fig.overdue > 0
    assert "#b3261e" in page.tiles["overdue"].value_label.styleSheet()  # overdue stands out
    assert page.by_grid.rowCount() == 2 and page.by_person.rowCount() == 2
    assert page.overdue.rowCount() == min(fig.overdue, 12)
    assert page.overdue_table.isColumnHidden(OrderColumn.CHANNEL)
    qtmodeltester.check(page.by_grid)
    qtmodeltester.check(page.overdue)


def test_a_write_elsewhere_refreshes_the_desk_once_on_a_worker(
    page: DeskPage, ctx: UiContext, desk: Desk, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]

    real = desk_page.load_desk
    gui = threading.current_thread()
    threads: list[threading.Thread] = []

    def slow(db: Database):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread())
        time.sleep(0.3)  # a slow query must not hold the window
        return real(db)

    monkeypatch.setattr(desk_page, "load_desk", slow)
    before = page.refreshes
    with desk.db.write() as s:
        wo.create_order(
            session=s,
            actor=desk.admin,
            data=wo.OrderInput(
                type=OrderType.inquiry,
                customer_id=desk.st.customers["王秀英"],
                description="问电价",
            ),
        )
    started = time.monotonic()
    for what in ("work_order", "call", "work_order"):  # a burst of news
        ctx.events.changed.emit(what)
    assert time.monotonic() - started < 0.1  # the window did not wait
    qtbot.waitUntil(lambda: page.refreshes == before + 1 and page.figures.open == 61)  # type: ignore[union-attr]
    qtbot.wait(400)
    assert page.refreshes == before + 1 and len(threads) == 1
    assert threads[0] is not gui
    assert page.tiles["open"].value == "61"


@pytest.mark.usefixtures("chinese")
def test_the_desk_speaks_chinese(page: DeskPage) -> None:
    page.refresh()
    assert DeskPage.title() == "工作台"
    assert page.tiles["overdue"].caption_label.text() == "已超时"
