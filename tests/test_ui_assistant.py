"""The assistant beside the call screen, with qtbot: choose the caller, the
panel shows ready answers, one click copies an answer and the call records it;
the lead edits the library with a live preview; staff cannot."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlmodel import select
from test_ui_sample import IGNORE_OFFSCREEN_SIZE_HINTS, workers_stopped  # noqa: F401
from test_work_orders_sample import Desk, desk, station_template

from gridsvc_desktop.db.models import AnswerTemplate, Arrears, Call, Outage, OutageScope
from gridsvc_desktop.domain.enums import OutageKind, OutageStatus, Role
from gridsvc_desktop.services.actor import Actor
from gridsvc_desktop.ui.context import UiContext
from gridsvc_desktop.ui.dialogs.answer_library import AnswerLibraryDialog, LibraryModel
from gridsvc_desktop.ui.pages.calls import CallsPage
from gridsvc_desktop.ui.qt import QGuiApplication, Qt
from gridsvc_desktop.ui.widgets.assistant_panel import AnswerListModel

FIXTURES = (desk, station_template)  # the sample station's fixtures, used by pytest

pytestmark = [pytest.mark.usefixtures("workers_stopped"), IGNORE_OFFSCREEN_SIZE_HINTS]

STAFF = Actor(user_id=None, username="营业员甲", role=Role.staff)
LEAD = Actor(user_id=None, username="班长乙", role=Role.lead)


@pytest.fixture
def ctx(desk: Desk) -> UiContext:
    return UiContext(db=desk.db, paths=desk.paths, station_name="测试供电所", actor=STAFF)


def open_page(ctx: UiContext, qtbot) -> CallsPage:  # type: ignore[no-untyped-def]
    page = CallsPage(ctx)
    qtbot.addWidget(page)
    page.resize(1500, 860)
    page.show()
    qtbot.waitExposed(page)
    page.activated()
    return page


def answer_key(d: Desk, call_id: int) -> str:
    with d.db.read() as s:
        call = s.get(Call, call_id)
        assert call is not None
        return call.answer_key


def test_choose_caller_then_copy_an_answer_and_the_call_records_it(
    ctx: UiContext, desk: Desk, qtbot
) -> None:  # type: ignore[no-untyped-def]
    day = dt.date.today()
    with desk.db.write() as s:
        s.add(Arrears(customer_id=desk.st.customers["王秀英"], month="202610", amount_fen=8_850,
                      first_seen=day, last_seen=day))  # fmt: skip
    page = open_page(ctx, qtbot)
    panel = page.assistant
    assert panel.model.rowCount() == 0 and not panel.copy_button.isEnabled()
    assert not panel.library_button.isVisible()  # staff do not edit the library

    qtbot.keyClicks(page.search_edit, "13812345678")
    qtbot.waitUntil(lambda: page.customer_id == desk.st.customers["王秀英"])
    qtbot.waitUntil(lambda: panel.model.rowCount() > 12)
    first = panel.model.answer_at(0)
    assert first is not None and first.key == "live_outage" and first.live
    assert panel.text_view.toPlainText() == first.text  # the first is shown at once
    # the arrears answer, from the records
    assert panel.select("live_arrears")
    assert "88.50元" in panel.text_view.toPlainText()
    # the manager's work phone in full (it is posted for customers); the answer is usable
    assert panel.select("live_manager")
    assert "13900001111" in panel.text_view.toPlainText()

    # find the payment answer, one click copies it
    panel.filter_edit.setText("缴费方式")
    assert 1 <= panel.model.rowCount() < 10
    chosen = panel.current_answer()
    assert chosen is not None and chosen.key == "pay_methods"
    qtbot.mouseClick(panel.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == chosen.text
    assert "3700000001" in chosen.text and "网上国网" in chosen.text
    qtbot.waitUntil(lambda: page.call_id is not None)  # the call was saved for it
    call_id = page.call_id
    assert call_id is not None
    qtbot.waitUntil(lambda: answer_key(desk, call_id) == "pay_methods")
    qtbot.waitUntil(
        lambda: "noted" in page.result_label.text() or "记录" in page.result_label.text()
    )

    # a second answer on the same call
    panel.filter_edit.clear()
    assert panel.select("live_arrears")
    where = panel.table.visualRect(panel.table.currentIndex()).center()
    qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=where)
    qtbot.mouseDClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=where)
    qtbot.waitUntil(lambda: answer_key(desk, call_id) == "pay_methods,live_arrears")
    assert "88.50元" in QGuiApplication.clipboard().text()

    # the next call starts empty
    page.new_button.click()
    assert panel.model.rowCount() == 0 and panel.customer_id is None


def test_an_unmatched_caller_gets_no_answers_and_a_lead_sees_full_phones(
    ctx: UiContext, desk: Desk, qtbot
) -> None:  # type: ignore[no-untyped-def]
    page = open_page(dataclasses.replace(ctx, actor=LEAD, unmask=True), qtbot)
    assert page.assistant.library_button.isVisible()
    qtbot.keyClicks(page.search_edit, "3700000002")
    qtbot.waitUntil(lambda: page.assistant.model.rowCount() > 12)
    assert page.assistant.select("live_manager")
    assert "13900001111" in page.assistant.text_view.toPlainText()
    page.unknown_button.click()
    assert page.assistant.model.rowCount() == 0


def test_missing_records_show_as_gaps_in_the_panel(ctx: UiContext, desk: Desk, qtbot) -> None:  # type: ignore[no-untyped-def]
    page = open_page(ctx, qtbot)
    qtbot.keyClicks(page.search_edit, "3700000007")  # 周明: on no transformer area
    qtbot.waitUntil(lambda: page.assistant.model.rowCount() > 12)
    assert page.assistant.select("live_manager")
    assert "【未登记：网格经理】" in page.assistant.text_view.toPlainText()
    assert page.assistant.gaps_label.isVisible()
    assert "网格经理" in page.assistant.gaps_label.text()
    assert "None" not in page.assistant.text_view.toPlainText()


def test_the_lead_edits_the_library_with_a_live_preview(desk: Desk, ctx: UiContext, qtbot) -> None:  # type: ignore[no-untyped-def]
    lead_ctx = dataclasses.replace(ctx, actor=LEAD)
    dialog = AnswerLibraryDialog(lead_ctx, sample_customer_id=desk.st.customers["王秀英"])
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.model.rowCount() >= 12
    row = dialog.model.row_of(_template_id(desk, "invoice"))
    dialog.table.setCurrentIndex(dialog.model.index(row, LibraryModel.TITLE))
    assert dialog.title_edit.text() == "电费发票"
    assert "王秀英" in dialog.preview_label.text()

    dialog.body_edit.setPlainText("{户名}您好，{户主电话}")
    assert "王秀英您好" in dialog.preview_view.toPlainText()  # live, as typed
    assert not dialog.save()  # the unknown placeholder is refused, with its name
    assert "户主电话" in dialog.error_label.text()

    dialog.body_edit.clear()
    dialog.body_edit.insertPlainText("您好，")
    dialog.insert_box.setCurrentIndex(dialog.insert_box.findData("户号"))
    dialog.insert_box.activated.emit(dialog.insert_box.findData("户号"))
    assert dialog.body_edit.toPlainText() == "您好，{户号}"
    assert dialog.preview_view.toPlainText() == "您好，3700000001"
    dialog.title_edit.setText("电子发票")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.error_label.text() in ("Saved.", "已保存。")
    with desk.db.read() as s:
        saved = s.execute(
            select(AnswerTemplate).where(AnswerTemplate.key == "invoice")
        ).scalar_one()
    assert (saved.title, saved.body, saved.version, saved.updated_by) == (
        "电子发票", "您好，{户号}", 2, "班长乙"
    )  # fmt: skip

    # a new answer
    dialog.new_button.click()
    dialog.title_edit.setText("营业时间")
    dialog.body_edit.setPlainText("{供电所}营业厅每天8:30至17:30营业。")
    assert dialog.save()
    with desk.db.read() as s:
        titles = s.execute(select(AnswerTemplate.title)).scalars().all()
    assert "营业时间" in titles


def test_staff_may_look_at_the_library_but_not_save(desk: Desk, ctx: UiContext, qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = AnswerLibraryDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert not dialog.save_button.isEnabled() and not dialog.new_button.isEnabled()
    assert dialog.body_edit.isReadOnly() and dialog.body_edit.toPlainText()
    assert not dialog.save()  # even if called: the service refuses
    assert dialog.error_label.text()


def test_models_pass_modeltester(desk: Desk, ctx: UiContext, qtbot, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    page = open_page(ctx, qtbot)
    qtbot.keyClicks(page.search_edit, "13812345678")
    qtbot.waitUntil(lambda: page.assistant.model.rowCount() > 12)
    qtmodeltester.check(page.assistant.model)
    qtmodeltester.check(AnswerListModel())
    dialog = AnswerLibraryDialog(ctx)
    qtbot.addWidget(dialog)
    qtmodeltester.check(dialog.model)


def _template_id(d: Desk, key: str) -> int:
    with d.db.read() as s:
        row = s.execute(select(AnswerTemplate).where(AnswerTemplate.key == key)).scalar_one()
        assert row.id is not None
        return row.id


def test_an_outage_announced_elsewhere_reaches_the_panel(ctx: UiContext, desk: Desk, qtbot) -> None:  # type: ignore[no-untyped-def]
    page = open_page(ctx, qtbot)
    qtbot.keyClicks(page.search_edit, "13812345678")
    qtbot.waitUntil(lambda: page.assistant.model.rowCount() > 12)
    assert page.assistant.select("live_outage")
    assert "没有停电记录" in page.assistant.text_view.toPlainText()
    now = dt.datetime.now().replace(microsecond=0)
    with desk.db.write() as s:  # the outage page announces one on this transformer area
        outage = Outage(kind=OutageKind.fault, status=OutageStatus.in_progress, reason="配变烧毁",
                        planned_start=now, planned_end=now + dt.timedelta(hours=3), actual_start=now)  # fmt: skip
        s.add(outage)
        s.flush()
        assert outage.id is not None
        s.add(OutageScope(outage_id=outage.id, transformer_area_id=desk.st.tas["T001"]))
    ctx.events.changed.emit("outage")
    qtbot.waitUntil(lambda: "配变烧毁" in page.assistant.text_view.toPlainText())
    assert page.assistant.current_answer().key == "live_outage"  # type: ignore[union-attr]
