"""The roster page: search, filters, sort, the person and leave dialogs, deactivation, export."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
import test_grids_services as shared
from sqlmodel import select
from test_grids_services import Small
from test_ui_sample import IGNORE_OFFSCREEN_SIZE_HINTS, chinese, workers_stopped  # noqa: F401

from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.db.models import Staff, StaffLeave
from gridsvc_desktop.domain.enums import Specialty
from gridsvc_desktop.paths import DataPaths
from gridsvc_desktop.services import roster
from gridsvc_desktop.ui import background
from gridsvc_desktop.ui.context import UiContext
from gridsvc_desktop.ui.dialogs.staff_dialogs import LeaveDialog, StaffDialog
from gridsvc_desktop.ui.models.roster_table import (
    STAFF_ROLE,
    Column,
    RosterFilter,
    RosterTableModel,
    Status,
)
from gridsvc_desktop.ui.pages.roster import RosterPage, load_roster
from gridsvc_desktop.ui.qt import QCoreApplication, QDate, QDialogButtonBox, QEvent, Qt

# Fixtures shared with the other grid tests (a small county, the demo county).
admin = shared.admin
db = shared.db
demo_db = shared.demo_db
demo_template = shared.demo_template
small = shared.small
small_db = shared.small_db
small_template = shared.small_template

pytestmark = [pytest.mark.usefixtures("workers_stopped"), IGNORE_OFFSCREEN_SIZE_HINTS]


@pytest.fixture
def open_page(data_paths: DataPaths, qtbot) -> Iterator:  # type: ignore[no-untyped-def,type-arg]
    kept: list[RosterPage] = []

    def make(store: Database) -> RosterPage:
        page = RosterPage(UiContext(db=store, paths=data_paths, station_name="测试供电所"))
        qtbot.addWidget(page)
        kept.append(page)
        page.resize(1280, 700)
        page.show()
        qtbot.waitExposed(page)
        page.activated()
        qtbot.waitUntil(lambda: page.data is not None, timeout=10_000)
        return page

    yield make
    assert background.shutdown(10_000)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    kept.clear()


def shown(page: RosterPage) -> list[str]:
    return [page.proxy.data(page.proxy.index(r, Column.NAME)) for r in range(page.proxy.rowCount())]


def ok(dialog: StaffDialog | LeaveDialog):  # type: ignore[no-untyped-def]
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)


def test_models_pass_modeltester(demo_db: Database, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    data = load_roster(demo_db)
    model = RosterTableModel()
    model.set_rows(data.rows)
    qtmodeltester.check(model)
    proxy = RosterFilter()
    proxy.setSourceModel(model)
    proxy.set_filters(status=Status.INACTIVE)
    qtmodeltester.check(proxy)
    assert proxy.rowCount() == 2  # the demo county's two who left
    proxy.set_filters(status=Status.ALL, specialty=Specialty.repair)
    assert proxy.rowCount() and all(
        Specialty.repair in proxy.data(proxy.index(r, 0), STAFF_ROLE).specialties
        for r in range(proxy.rowCount())
    )


@pytest.mark.usefixtures("chinese")
def test_search_filters_and_sort(open_page, demo_db: Database, qtbot) -> None:  # type: ignore[no-untyped-def]
    page = open_page(demo_db)
    everyone = page.model.rowCount()
    assert page.proxy.rowCount() == everyone - 2  # active only, by default
    assert page.status_label.text().startswith(f"显示 {everyone - 2} 人")
    page.status_filter.setCurrentIndex(page.status_filter.findData(int(Status.INACTIVE)))
    assert page.proxy.rowCount() == 2
    assert {page.model.status_text(r) for r in page.model.rows() if not r.active} == {"已停用"}
    page.status_filter.setCurrentIndex(page.status_filter.findData(int(Status.ON_LEAVE)))
    assert page.proxy.rowCount() == 1
    leave_text = page.proxy.data(page.proxy.index(0, Column.STATUS))
    assert leave_text.startswith("请假至 ") and leave_text.endswith("代班")
    page.status_filter.setCurrentIndex(page.status_filter.findData(int(Status.ALL)))
    page.team_filter.setCurrentIndex(page.team_filter.findData("抢修班"))
    assert page.proxy.rowCount() and all(
        page.proxy.data(page.proxy.index(r, Column.TEAM)) == "抢修班"
        for r in range(page.proxy.rowCount())
    )
    page.team_filter.setCurrentIndex(0)
    first = page.model.rows()[0]
    page.search_edit.setText(first.name)
    assert first.name in shown(page)
    page.search_edit.setText(first.phone[-4:])
    assert first.name in shown(page)
    page.search_edit.clear()
    page.table.sortByColumn(Column.NAME, Qt.SortOrder.DescendingOrder)
    names = shown(page)
    assert names == sorted(names, key=str.lower, reverse=True) or len(names) > 1
    phone = page.proxy.data(page.proxy.index(0, Column.PHONE))
    assert "****" in phone  # masked on screen


@pytest.mark.usefixtures("chinese")
def test_person_dialog_validates_as_you_type_and_saves(
    open_page, db: Database, small: Small, qtbot
) -> None:  # type: ignore[no-untyped-def]
    page = open_page(db)
    dialog = page.new_staff()
    assert isinstance(dialog, StaffDialog)
    assert not ok(dialog).isEnabled()
    assert dialog.field_label("employee_no").text() == "请输入工号。"
    dialog.employee_no.setText("e001")
    assert dialog.field_label("employee_no").text() == "花名册中已有这个工号。"
    dialog.employee_no.setText("E100")
    dialog.name.setText("孙新")
    dialog.phone.setText("12345")
    assert dialog.field_label("phone").text().startswith("电话号码不正确：")
    dialog.phone.setText("138 0013 8001")
    assert not dialog.field_label("phone").isVisible()
    assert dialog.field_label("specialties").text() == "请至少勾选一个专业。"
    dialog.specialties[Specialty.repair].setChecked(True)
    dialog.base.set_current_id(small.communities["北山村"])
    dialog.team.setEditText("南湖服务班")
    assert ok(dialog).isEnabled()
    ok(dialog).click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    qtbot.waitUntil(lambda: any(r.name == "孙新" for r in page.model.rows()))
    row = next(r for r in page.model.rows() if r.name == "孙新")
    assert row.base_area == "南湖镇·北山村" and row.phone == "13800138001"
    assert page.current_row() is not None and page.current_row().name == "孙新"  # type: ignore[union-attr]
    # edit: employee number is fixed, the rest can change
    edit = page.edit_staff()
    assert isinstance(edit, StaffDialog) and edit.employee_no.isReadOnly()
    edit.name.setText("孙新民")
    ok(edit).click()
    qtbot.waitUntil(lambda: any(r.name == "孙新民" for r in page.model.rows()), timeout=5000)


@pytest.mark.usefixtures("chinese")
def test_deactivating_someone_with_open_orders_lists_them(
    open_page, db: Database, small: Small, qtbot
) -> None:  # type: ignore[no-untyped-def]
    page = open_page(db)
    assert page.select_staff(small.staff["张伟"])
    assert page.active_button.text() == "停用"
    page.active_button.click()
    qtbot.waitUntil(lambda: getattr(page, "refusal", None) is not None, timeout=5000)
    assert "1 张未办结工单" in page.refusal.text()
    assert "GD001" in page.refusal.informativeText()
    page.refusal.close()
    with db.read() as s:
        assert s.get(Staff, small.staff["张伟"]).active  # type: ignore[union-attr]
    # someone without open work goes, and can come back
    page.select_staff(small.staff["钱抄"])
    page.active_button.click()
    qtbot.waitUntil(
        lambda: not next(r for r in page.model.rows() if r.name == "钱抄").active, timeout=5000
    )
    page.status_filter.setCurrentIndex(page.status_filter.findData(int(Status.ALL)))
    page.select_staff(small.staff["钱抄"])
    assert page.active_button.text() == "恢复在岗"
    page.active_button.click()
    qtbot.waitUntil(
        lambda: next(r for r in page.model.rows() if r.name == "钱抄").active, timeout=5000
    )


@pytest.mark.usefixtures("chinese")
def test_leave_with_a_substitute(open_page, db: Database, small: Small, qtbot) -> None:  # type: ignore[no-untyped-def]
    page = open_page(db)
    page.select_staff(small.staff["张伟"])
    dialog = page.edit_leave()
    assert isinstance(dialog, LeaveDialog)
    qtbot.waitUntil(lambda: dialog.list.count() == 1)  # "None" on record
    today = dt.date.today()
    dialog.end.setDate(QDate(today.year, today.month, today.day).addDays(-1))
    assert dialog.field_label("end").text() == "结束日期不能早于开始日期。"
    assert not ok(dialog).isEnabled()
    dialog.end.setDate(QDate(today.year, today.month, today.day).addDays(3))
    dialog.substitute.setEditText("不存在")
    assert dialog.field_label("substitute_id").text() == "请从花名册中选择代班人。"
    dialog.substitute.set_current_id(small.staff["王强"])
    dialog.reason.setEditText("年休假")
    assert ok(dialog).isEnabled()
    ok(dialog).click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    qtbot.waitUntil(
        lambda: next(r for r in page.model.rows() if r.name == "张伟").substitute == "王强",
        timeout=5000,
    )
    with db.read() as s:
        assert roster.substitute_for(s, small.staff["张伟"], on=today) == small.staff["王强"]
    # open it again: the leave is on record and can be withdrawn
    page.select_staff(small.staff["张伟"])
    again = page.edit_leave()
    assert again is not None
    qtbot.waitUntil(lambda: again.list.count() == 1 and "王强代班" in again.list.item(0).text())
    again.start.setDate(QDate(today.year, today.month, today.day).addDays(1))
    again.end.setDate(QDate(today.year, today.month, today.day).addDays(1))
    assert again.field_label("start").text().startswith(f"{today.isoformat()} 至 ")
    again.list.setCurrentRow(0)
    again.withdraw.click()
    qtbot.waitUntil(
        lambda: again.changed and again.list.count() == 1 and again.list.item(0).text() == "无",
        timeout=5000,
    )
    with db.read() as s:
        assert s.exec(select(StaffLeave)).all() == []
    again.reject()


def test_export_masks_phones_unless_asked(
    open_page, db: Database, small: Small, tmp_path: Path, qtbot
) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    page = open_page(db)
    for full, name in ((False, "masked.xlsx"), (True, "full.xlsx")):
        target = tmp_path / name
        page.ask_path = lambda _p, _n, _m, t=target, f=full: (t, f)  # type: ignore[misc]
        page.export()
        qtbot.waitUntil(lambda t=target: str(t) in page.status_label.text(), timeout=10_000)
    masked = load_workbook(tmp_path / "masked.xlsx").active
    full_ws = load_workbook(tmp_path / "full.xlsx").active
    assert masked is not None and full_ws is not None
    header = [c.value for c in masked[3]]
    assert header[:3] == ["Employee no.", "Name", "Mobile"] or header[:3] == [
        "工号",
        "姓名",
        "手机",
    ]
    zhang_masked = next(r for r in masked.iter_rows(min_row=4, values_only=True) if r[1] == "张伟")
    zhang_full = next(r for r in full_ws.iter_rows(min_row=4, values_only=True) if r[1] == "张伟")
    assert zhang_masked[2] == "139****1111" and zhang_full[2] == "13900001111"
    assert masked.max_row == 3 + 5


@pytest.mark.usefixtures("chinese")
def test_grid_places_of_a_person(open_page, db: Database, small: Small, qtbot) -> None:  # type: ignore[no-untyped-def]
    page = open_page(db)
    page.select_staff(small.staff["钱抄"])
    dialog = page.edit_grids()
    assert dialog is not None and dialog.staff_id == small.staff["钱抄"]
    qtbot.waitUntil(lambda: dialog.list.count() == 1)
    assert dialog.list.item(0).text() == "北山网格　·　网格成员"
    assert not dialog.add_button.isEnabled()
    dialog.picker.set_current_id(small.grids["东关网格"])
    assert dialog.add_button.isEnabled()
    dialog.add_button.click()
    qtbot.waitUntil(lambda: dialog.list.count() == 2, timeout=5000)
    dialog.list.setCurrentRow(0)
    dialog.remove_button.click()
    qtbot.waitUntil(lambda: dialog.list.count() == 1, timeout=5000)
    dialog.close()
    qtbot.waitUntil(
        lambda: (
            next(r for r in page.model.rows() if r.name == "钱抄").grid_labels
            in ("东关网格", "北山网格")
        ),
        timeout=5000,
    )
    with db.read() as s:
        assert len(roster.placements(s, staff_id=small.staff["钱抄"])) == 1
