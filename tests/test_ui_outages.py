"""The outage page: list and detail, announcing (with the notice check), the
status buttons, the notification checklist (copy, mark told, export), the
fault-outage proposal, and the customer card's banner during an outage."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlmodel import col
from test_ui_sample import IGNORE_OFFSCREEN_SIZE_HINTS, seed_county, workers_stopped  # noqa: F401

from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.db.models import Customer, Outage, OutageNotification, TransformerArea
from gridsvc_desktop.domain.enums import OrderType, OutageKind, OutageStatus
from gridsvc_desktop.paths import DataPaths
from gridsvc_desktop.services import calls, outages
from gridsvc_desktop.services.actor import Actor
from gridsvc_desktop.services.customers import customer_card
from gridsvc_desktop.ui import background
from gridsvc_desktop.ui.context import UiContext
from gridsvc_desktop.ui.dialogs.outage_dialogs import AnnounceDialog
from gridsvc_desktop.ui.models.outage_tables import (
    ROW_ROLE,
    NotificationTableModel,
    OutageTableModel,
)
from gridsvc_desktop.ui.pages.outages import ListQuery, OutagesPage, load_detail, load_list
from gridsvc_desktop.ui.qt import QCoreApplication, QEvent, QGuiApplication, QLabel, Qt
from gridsvc_desktop.ui.widgets.customer_card import CustomerCardView

pytestmark = [pytest.mark.usefixtures("workers_stopped"), IGNORE_OFFSCREEN_SIZE_HINTS]

NOW = dt.datetime.now().replace(second=0, microsecond=0)


@pytest.fixture
def county(db: Database) -> Database:
    seed_county(db, customers=120)
    return db


@pytest.fixture
def open_page(data_paths: DataPaths, qtbot) -> Iterator[Callable[[Database], OutagesPage]]:  # type: ignore[no-untyped-def]
    kept: list[OutagesPage] = []

    def make(store: Database) -> OutagesPage:
        page = OutagesPage(UiContext(db=store, paths=data_paths, station_name="测试供电所"))
        qtbot.addWidget(page)
        kept.append(page)
        page.resize(1300, 760)
        page.show()
        qtbot.waitExposed(page)
        page.activated()
        wait_idle(qtbot, page)
        return page

    yield make
    assert background.shutdown(10_000)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    kept.clear()


def wait_idle(qtbot, page: OutagesPage) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: not page.loading, timeout=10_000)


def area_id(db: Database, code: str) -> int:
    with db.read() as s:
        return int(
            s.execute(
                select(col(TransformerArea.id)).where(col(TransformerArea.code) == code)
            ).scalar_one()
        )


def test_models_pass_modeltester(county: Database, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = OutageTableModel()
    model.set_rows(load_list(county, ListQuery(status="")).rows)
    qtmodeltester.check(model)
    notes = NotificationTableModel()
    qtmodeltester.check(notes)


def test_list_detail_and_notification_checklist(county: Database, open_page, qtbot) -> None:  # type: ignore[no-untyped-def]
    page = open_page(county)
    assert page.model.rowCount() == 1  # seed_county's planned outage of 10kV城关线
    qtbot.waitUntil(lambda: page.detail is not None and not page.loading, timeout=10_000)
    assert page.detail_box.isVisible() and not page.empty_label.isVisible()
    assert "计划停电" in page.title_label.text()
    counts = {
        lab.text().split("\n")[0]: lab.text().split("\n")[1]
        for lab in page.findChildren(QLabel)
        if lab.objectName().startswith("count_")
    }
    assert counts["客户"] == "80" and counts["网格"] == "2" and counts["楼长"] == "1"
    assert page.grids_list.count() == 2
    assert "none" in page.important_list.item(0).text() or page.important_list.count() == 1
    assert page.start_button.isEnabled() and not page.restore_button.isEnabled()
    assert "No messages prepared yet" in page.pending_label.text()

    page.tabs.setCurrentIndex(1)
    qtbot.mouseClick(page.generate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.notify_model.rowCount() == 5 and not page.loading, timeout=10_000)
    assert "0 told, 5 still to tell" in page.pending_label.text()
    page.notify_table.selectRow(0)
    assert page.copy_button.isEnabled() and page.sent_button.isEnabled()
    message = page.notify_proxy.data(page.notify_proxy.index(0, 0), ROW_ROLE).message
    assert page.message_view.toPlainText() == message
    qtbot.mouseClick(page.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == message
    assert "None" not in message and "10kV城关线检修" in message
    # Phones masked in the checklist unless the user may see them.
    phones = [page.notify_proxy.index(r, 3).data() for r in range(page.notify_proxy.rowCount())]
    assert phones and all("***" in p for p in phones if p)

    page.channel_box.setCurrentIndex(page.channel_box.findData("sms"))
    qtbot.mouseClick(page.sent_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "1 told, 4 still to tell" in page.pending_label.text(), timeout=10_000)
    with county.read() as s:
        sent = (
            s.execute(
                select(OutageNotification).where(OutageNotification.sent_at.is_not(None))  # type: ignore[union-attr]
            )
            .scalars()
            .all()
        )
    assert len(sent) == 1 and sent[0].channel.value == "sms" and sent[0].message == message
    page.grab().save(str(Path(page.ctx.paths.root) / "outages_page.png"))


def test_announce_dialog_checks_the_notice_and_saves(county: Database, open_page, qtbot) -> None:  # type: ignore[no-untyped-def]
    page = open_page(county)
    dialog: AnnounceDialog = page._on_new_button_clicked()
    qtbot.waitExposed(dialog)
    assert "提前7天" in dialog.notice_label.text() and not dialog.late_edit.isEnabled()
    dialog.kind_box.setCurrentIndex(dialog.kind_box.findData(OutageKind.temporary.value))
    soon = NOW + dt.timedelta(hours=3)
    from gridsvc_desktop.ui.qt import QDateTime

    dialog.start_edit.setDateTime(QDateTime(soon.year, soon.month, soon.day, soon.hour, 0, 0))
    later = soon + dt.timedelta(hours=2)
    dialog.end_edit.setDateTime(QDateTime(later.year, later.month, later.day, later.hour, 0, 0))
    assert "不足" in dialog.notice_label.text() and dialog.late_edit.isEnabled()
    dialog.reason_edit.setText("更换故障开关")
    dialog.check_items(dialog.area_list, [area_id(county, "T003")])
    dialog.area_filter.setText("T00")
    assert not dialog.area_list.item(0).isHidden()
    dialog.buttons.accepted.emit()
    assert dialog.isVisible() and "班长" in dialog.error_label.text()  # late, no reason
    dialog.late_edit.setText("用户安全隐患需立即处理")
    dialog.buttons.accepted.emit()
    assert not dialog.isVisible() and dialog.result_id is not None
    qtbot.waitUntil(lambda: page.model.rowCount() == 2 and not page.loading, timeout=10_000)
    qtbot.waitUntil(lambda: page.current_outage() is not None
                    and page.current_outage().id == dialog.result_id, timeout=10_000)  # fmt: skip
    with county.read() as s:
        o = s.get(Outage, dialog.result_id)
        assert o is not None and o.kind is OutageKind.temporary
        assert o.late_notice_reason == "用户安全隐患需立即处理"


def test_status_buttons_and_export(county: Database, open_page, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page = open_page(county)
    qtbot.waitUntil(lambda: page.detail is not None and not page.loading, timeout=10_000)
    oid = page.current_outage().id
    qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: (
            page.detail is not None
            and page.detail.detail.row.status is OutageStatus.in_progress
            and not page.loading
        ),
        timeout=10_000,
    )
    assert page.restore_button.isEnabled() and not page.cancel_button.isEnabled()
    qtbot.mouseClick(page.restore_button, Qt.MouseButton.LeftButton)
    page.status_filter.setCurrentIndex(page.status_filter.findData(""))
    qtbot.waitUntil(
        lambda: (
            page.detail is not None
            and page.detail.detail.row.status is OutageStatus.restored
            and not page.loading
        ),
        timeout=10_000,
    )
    assert page.restoration_button.isEnabled() and not page.generate_button.isEnabled()
    qtbot.mouseClick(page.restoration_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.notify_model.rowCount() == 5 and not page.loading, timeout=10_000)
    assert all(r.kind == "restoration" for r in page.notify_model.rows())
    target = tmp_path / "sms.xlsx"
    page.ask_path = lambda *_a: (target, True)
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: target.exists() and not page.loading, timeout=10_000)
    assert "exported" in page.status_label.text()
    with county.read() as s:
        assert s.get(Outage, oid).status is OutageStatus.restored  # type: ignore[union-attr]


def test_cancel_asks_why(county: Database, open_page, qtbot) -> None:  # type: ignore[no-untyped-def]
    page = open_page(county)
    qtbot.waitUntil(lambda: page.detail is not None and not page.loading, timeout=10_000)
    oid = page.current_outage().id
    page.ask_reason = lambda: None
    qtbot.mouseClick(page.cancel_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, page)
    page.ask_reason = lambda: "大风天气"
    qtbot.mouseClick(page.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.model.rowCount() == 0 and not page.loading, timeout=10_000)
    assert page.empty_label.isVisible()
    with county.read() as s:
        o = s.get(Outage, oid)
        assert (
            o is not None and o.status is OutageStatus.cancelled and o.cancel_reason == "大风天气"
        )


def test_bunched_repair_calls_offer_a_fault_outage(  # type: ignore[no-untyped-def]
    county: Database, admin: Actor, open_page, qtbot
) -> None:
    t3 = area_id(county, "T003")
    with county.write() as s:
        ids = (
            s.execute(
                select(Customer.id).where(Customer.transformer_area_id == t3).limit(3)  # type: ignore[call-overload]
            )
            .scalars()
            .all()
        )
        for n, cid in enumerate(ids):
            calls.log_call(
                session=s, actor=admin,
                data=calls.CallInput(customer_id=cid, category=OrderType.repair, summary="停电",
                                     started_at=NOW - dt.timedelta(minutes=5 * n)),
            )  # fmt: skip
    page = open_page(county)
    assert page.proposal_bar.isVisible() and page.accept_button.isEnabled()
    assert "南湖3号台区" in page.proposal_label.text()
    qtbot.mouseClick(page.accept_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.model.rowCount() == 2 and not page.loading, timeout=10_000)
    assert not page.proposal_bar.isVisible()
    with county.read() as s:
        active = outages.active_outages_for_area(s, t3)
    assert [o.kind for o in active] == [OutageKind.fault]


def test_customer_card_shows_the_outage_over_the_caller(  # type: ignore[no-untyped-def]
    county: Database, admin: Actor, qtbot
) -> None:
    t1 = area_id(county, "T001")
    with county.write() as s:
        outages.announce(
            session=s, actor=admin,
            data=outages.OutageInput(
                kind=OutageKind.fault, planned_start=NOW - dt.timedelta(minutes=10),
                planned_end=NOW + dt.timedelta(hours=2), reason="10kV城关线跳闸",
                transformer_area_ids=[t1],
            ),
        )  # fmt: skip
        cid = s.execute(
            select(col(Customer.id)).where(col(Customer.transformer_area_id) == t1).limit(1)
        ).scalar_one()
        card = customer_card(s, cid)
        other = s.execute(
            select(col(Customer.id)).where(col(Customer.transformer_area_id) != t1).limit(1)
        ).scalar_one()
        quiet = customer_card(s, other)
    view = CustomerCardView()
    qtbot.addWidget(view)
    view.show_card(card, now=NOW)
    banner = view.findChild(QLabel, "card_outage_banner")
    assert banner is not None and "10kV城关线跳闸" in banner.text()
    view.show_card(quiet, now=NOW)
    assert view.findChild(QLabel, "card_outage_banner") is None


def test_load_detail_matches_the_service(county: Database) -> None:
    with county.read() as s:
        oid = s.execute(select(Outage.id)).scalar_one()  # type: ignore[call-overload]
    result = load_detail(county, oid)
    assert result.detail.affected.customers == 80 and result.notifications == []


def test_template_dialog_previews_and_saves(county: Database, open_page, qtbot) -> None:  # type: ignore[no-untyped-def]
    from gridsvc_desktop.services import outage_notices

    page = open_page(county)
    qtbot.waitUntil(lambda: page.detail is not None and not page.loading, timeout=10_000)
    dialog = page._on_templates_button_clicked()
    qtbot.waitExposed(dialog)
    assert dialog.outage_id == page.current_outage().id
    preview = dialog.preview_view.toPlainText()
    assert "10kV城关线检修" in preview and "None" not in preview  # the chosen outage's reason
    dialog.text_edit.setPlainText("{范围}：{原因}，{不认识}")
    assert "【未知项：不认识】" in dialog.preview_view.toPlainText()
    dialog.save_button.click()
    assert "不认识的占位符" in dialog.error_label.text()
    dialog.text_edit.setPlainText("{范围}停电：{原因}")
    dialog.save_button.click()
    assert dialog.error_label.text() == "Saved."
    with county.read() as s:
        assert outage_notices.get_template(s, "planned") == "{范围}停电：{原因}"
    dialog.close()
