"""The 欠费 page: filters and sort in SQL, the detail with its history, the
collection dialogs (promise, notice, cut-off within the rules, payment with its
reconnection order), printing slips and exporting."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select
from test_arrears_service import add_arrears
from test_ui_sample import IGNORE_OFFSCREEN_SIZE_HINTS, chinese, seed_county, workers_stopped  # noqa: F401

from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.db.models import Arrears, WorkOrder
from gridsvc_desktop.domain.enums import ArrearsStatus, CollectionKind, OrderSubtype
from gridsvc_desktop.paths import DataPaths
from gridsvc_desktop.services import arrears as ar
from gridsvc_desktop.services.actor import Actor
from gridsvc_desktop.ui.context import UiContext
from gridsvc_desktop.ui.pages.arrears import ArrearsPage, Col
from gridsvc_desktop.ui.qt import QDialog, Qt, QTimer

pytestmark = [pytest.mark.usefixtures("workers_stopped"), IGNORE_OFFSCREEN_SIZE_HINTS]


@pytest.fixture
def page(db: Database, data_paths: DataPaths, admin: Actor, qtbot) -> ArrearsPage:  # type: ignore[no-untyped-def]
    seed_county(db, customers=60)
    add_arrears(db)
    ctx = UiContext(db=db, paths=data_paths, station_name="测试供电所", actor=admin)
    widget = ArrearsPage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1300, 820)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def answer(page: ArrearsPage, fill: Callable[[QDialog], None]) -> None:
    """Fill and accept the dialog the next click opens."""

    def run() -> None:
        dialog = page.open_dialog
        assert dialog is not None and dialog.isVisible()
        fill(dialog)
        dialog.accept()

    QTimer.singleShot(0, run)


def test_list_filters_sort_and_detail(page: ArrearsPage, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    assert page.model.rowCount() == 32
    qtmodeltester.check(page.model)
    amounts = [page.model.row_at(i).amount_fen for i in range(32)]  # type: ignore[union-attr]
    assert amounts == sorted(amounts, reverse=True)
    assert "32" in page.count_label.text()
    # phones are masked for the page (ctx.unmask False)
    phone = page.model.index(0, Col.PHONE).data()
    assert "****" in phone
    page.sort_combo.setCurrentIndex(1)  # oldest first
    months = [page.model.row_at(i).month for i in range(page.model.rowCount())]  # type: ignore[union-attr]
    assert months == sorted(months)
    page.grid_combo.setCurrentIndex(1)
    assert 0 < page.model.rowCount() < 32
    assert {page.model.row_at(i).grid for i in range(page.model.rowCount())} == {
        page.grid_combo.currentText()
    }  # type: ignore[union-attr]
    page.grid_combo.setCurrentIndex(0)
    page.table.selectRow(0)
    assert page.detail is not None
    assert "‰" in page.detail_label.text() or "未逾期" in page.detail_label.text()
    assert "出现在欠费台账" in page.history.toPlainText()
    # no notice on record: a cut-off is not even proposed
    assert not page.cutoff_button.isEnabled()
    assert "没有书面停电通知" in page.cutoff_label.text()


def test_promise_takes_the_arrear_off_the_to_do_list(page: ArrearsPage, qtbot) -> None:  # type: ignore[no-untyped-def]
    page.table.selectRow(0)
    target = page.detail.row.id  # type: ignore[union-attr]

    def fill(d: QDialog) -> None:
        d.result_edit.setText("答应下周缴")  # type: ignore[attr-defined]

    answer(page, fill)
    qtbot.mouseClick(page.promise_button, Qt.MouseButton.LeftButton)
    ids = {page.model.row_at(i).id for i in range(page.model.rowCount())}  # type: ignore[union-attr]
    assert target not in ids and page.model.rowCount() == 31
    with page.ctx.db.read() as s:
        a = s.get(Arrears, target)
        assert a is not None and a.status is ArrearsStatus.promised
        assert a.promised_on == dt.date.today() + dt.timedelta(days=7)


def test_cut_off_after_notice_then_payment_creates_reconnection(
    page: ArrearsPage, admin: Actor, tmp_path: Path
) -> None:
    # a written notice served eight days ago (residential: seven are needed)
    page.status_combo.setCurrentIndex(page.status_combo.findData("unpaid"))
    row = next(
        page.model.row_at(i) for i in range(page.model.rowCount())
        if page.model.row_at(i).category.value == "residential"  # type: ignore[union-attr]
    )  # fmt: skip
    assert row is not None
    with page.ctx.db.write() as s:
        ar.record_action(
            session=s, actor=admin, arrears_id=row.id, kind=CollectionKind.written_notice,
            at=dt.datetime.now() - dt.timedelta(days=8),
        )  # fmt: skip
    with page.ctx.db.read() as s:
        mine = ar.ArrearsFilter(customer_id=row.customer_id, status=ar.StatusFilter.unpaid)
        others = [r.id for r in ar.list_arrears(s, mine, limit=50) if r.id != row.id]
    page.reload()
    index = next(i for i in range(page.model.rowCount()) if page.model.row_at(i).id == row.id)  # type: ignore[union-attr]
    page.table.selectRow(index)
    assert page.cutoff_button.isEnabled()
    answer(page, lambda d: d.note_edit.setText("已拉闸"))  # type: ignore[attr-defined]
    page.cutoff_button.click()
    with page.ctx.db.read() as s:
        assert s.get(Arrears, row.id).status is ArrearsStatus.cut_off  # type: ignore[union-attr]
    # pay every month of the customer
    with page.ctx.db.write() as s:
        for aid in others:
            ar.record_payment(session=s, actor=admin, arrears_id=aid)
    page.reload()
    index = next(i for i in range(page.model.rowCount()) if page.model.row_at(i).id == row.id)  # type: ignore[union-attr]
    page.table.selectRow(index)
    answer(page, lambda d: None)
    page.payment_button.click()
    assert "GD" in page.last_message
    with page.ctx.db.read() as s:
        order = s.execute(
            select(WorkOrder).where(WorkOrder.subtype == OrderSubtype.reconnection)
        ).scalar_one()
        assert order.customer_id == row.customer_id
    assert "欠费停电" in page.history.toPlainText()


def test_print_slips_and_export(page: ArrearsPage, tmp_path: Path) -> None:
    pdf = page.print_report("arrears_slips", tmp_path / "slips.pdf")
    assert pdf is not None and pdf.read_bytes().startswith(b"%PDF")
    assert page.export(tmp_path / "a.xlsx") == 32
    import openpyxl

    out = page.export_figures(tmp_path / "f.xlsx")
    assert out is not None
    assert openpyxl.load_workbook(out).sheetnames == ["按网格", "按催收人", "账龄"]


def test_screenshot(chinese, page: ArrearsPage, qtbot) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from gridsvc_desktop.ui import fonts
    from gridsvc_desktop.ui.qt import QApplication

    before = QApplication.font()
    fonts.install_bundled_font(QApplication.instance())  # type: ignore[arg-type]
    page.setFont(QApplication.font())
    page.table.selectRow(2)
    assert page.grab().save("/tmp/fees_page.png")
    page.tabs.setCurrentIndex(1)
    assert page.grab().save("/tmp/fees_figures.png")
    QApplication.setFont(before)


def test_figures_tab_follows_period_and_grid(
    page: ArrearsPage, admin: Actor, qtmodeltester
) -> None:  # type: ignore[no-untyped-def]
    assert page.figures is not None
    assert page.ageing_model.rowCount() == 4
    assert page.by_grid_model.rowCount() == 3
    qtmodeltester.check(page.by_grid_model)
    qtmodeltester.check(page.ageing_model)
    assert page.figures.total.recovered_fen == 0
    with page.ctx.db.write() as s:
        ar.record_payment(session=s, actor=admin, arrears_id=page.model.row_at(0).id)  # type: ignore[union-attr]
    page.reload()
    assert page.figures.total.recovered_fen > 0
    assert "%" in page.figures_total.text()
    page.grid_combo.setCurrentIndex(1)
    assert page.by_grid_model.rowCount() == 1
    # a period before anything was paid
    page.to_edit.setDate(page.from_edit.date().addDays(-1))
    assert "before it starts" in page.figures_total.text()
