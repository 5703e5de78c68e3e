"""The contacts page: SQL-side filters, sorting, the contact dialog, delete, export."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import test_grids_services as shared
from test_grids_services import Small
from test_ui_sample import IGNORE_OFFSCREEN_SIZE_HINTS, chinese, workers_stopped  # noqa: F401

from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.domain.enums import ContactKind
from gridsvc_desktop.paths import DataPaths
from gridsvc_desktop.services import contacts as contact_svc
from gridsvc_desktop.ui import background
from gridsvc_desktop.ui.context import UiContext
from gridsvc_desktop.ui.dialogs.contact_dialog import ContactDialog
from gridsvc_desktop.ui.models.contact_table import CONTACT_ROLE, Column, ContactTableModel
from gridsvc_desktop.ui.pages.contacts import ContactQuery, ContactsPage, find_contacts
from gridsvc_desktop.ui.qt import (
    QCoreApplication,
    QDialogButtonBox,
    QEvent,
    QMessageBox,
    QSortFilterProxyModel,
    Qt,
)

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
    kept: list[ContactsPage] = []

    def make(store: Database) -> ContactsPage:
        page = ContactsPage(UiContext(db=store, paths=data_paths, station_name="测试供电所"))
        qtbot.addWidget(page)
        kept.append(page)
        page.resize(1280, 700)
        page.show()
        qtbot.waitExposed(page)
        page.activated()
        qtbot.waitUntil(lambda: page.choices is not None and not page.loading, timeout=10_000)
        return page

    yield make
    assert background.shutdown(10_000)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    kept.clear()


def ok(dialog: ContactDialog):  # type: ignore[no-untyped-def]
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)


def rows(page: ContactsPage) -> list[contact_svc.ContactRow]:
    return [
        page.proxy.data(page.proxy.index(r, 0), CONTACT_ROLE) for r in range(page.proxy.rowCount())
    ]


def test_model_passes_modeltester(demo_db: Database, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = ContactTableModel()
    model.set_rows(find_contacts(demo_db, ContactQuery()))
    qtmodeltester.check(model)
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    proxy.sort(Column.BUILDING)
    qtmodeltester.check(proxy)
    assert model.rowCount() >= 50


@pytest.mark.usefixtures("chinese")
def test_filters_run_in_sql_and_the_table_sorts(open_page, demo_db: Database, qtbot) -> None:  # type: ignore[no-untyped-def]
    page = open_page(demo_db)
    total = page.model.rowCount()
    assert total >= 50 and page.status_label.text().startswith(f"共 {total:,} 个联系人")
    page.kind_filter.setCurrentIndex(page.kind_filter.findData(ContactKind.service_center.value))
    qtbot.waitUntil(lambda: 0 < page.model.rowCount() < total)
    assert {r.kind for r in rows(page)} == {ContactKind.service_center}
    first = rows(page)[0]
    page.kind_filter.setCurrentIndex(0)
    page.community_filter.set_current_id(first.community_id)
    qtbot.waitUntil(lambda: {r.community_id for r in rows(page)} == {first.community_id})
    page.community_filter.set_current_id(None)
    qtbot.waitUntil(lambda: page.model.rowCount() == total)
    leader = next(r for r in page.model.rows() if r.kind == ContactKind.building_leader)
    page.search_edit.setText(leader.name)
    qtbot.waitUntil(
        lambda: leader.id in {r.id for r in rows(page)} and page.model.rowCount() < total
    )
    page.search_edit.clear()
    qtbot.waitUntil(lambda: page.model.rowCount() == total)
    page.table.sortByColumn(Column.NAME, Qt.SortOrder.AscendingOrder)
    names = [r.name for r in rows(page)]
    assert names == sorted(names)
    assert "****" in page.proxy.data(page.proxy.index(0, Column.PHONE))


@pytest.mark.usefixtures("chinese")
def test_new_contact_validates_as_you_type_and_links_the_grid(
    open_page, db: Database, small: Small, qtbot
) -> None:  # type: ignore[no-untyped-def]
    page = open_page(db)
    assert page.model.rowCount() == 0
    dialog = page.new_contact()
    assert isinstance(dialog, ContactDialog)
    assert not ok(dialog).isEnabled()
    assert dialog.field_label("name").text() == "请输入姓名（社区服务中心填名称）。"
    dialog.name.setText("刘桂兰")
    assert dialog.field_label("phone").text() == "电话和微信群至少填一项，才能联系到人。"
    dialog.phone.setText("abc")
    assert dialog.field_label("phone").text().startswith("电话号码不正确：")
    dialog.phone.setText("13700000011")
    assert dialog.field_label("community_id").text() == "请从列表中选择社区（村）。"
    dialog.community.set_current_id(small.communities["东关社区"])
    assert dialog.grid.currentText() == "东关网格（G01）" and not dialog.grid.isEnabled()
    dialog.building.setEditText("1栋")
    assert dialog.field_label("compound").text() == "填写楼栋时须填写小区。"
    dialog.compound.setEditText("幸福小区")
    dialog.wechat.setText("幸福小区1栋住户群")
    assert ok(dialog).isEnabled()
    ok(dialog).click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=5000)
    row = page.model.row_at(0)
    assert row is not None and (row.grid, row.compound, row.building) == (
        "东关网格",
        "幸福小区",
        "1栋",
    )
    assert page.current_row() is not None
    # the new compound and building are offered next time
    qtbot.waitUntil(
        lambda: (
            page.choices is not None
            and "幸福小区" in page.choices.compounds.get(small.communities["东关社区"], [])
        )
    )
    edit = page.edit_contact()
    assert isinstance(edit, ContactDialog)
    assert edit.compound.findText("幸福小区") >= 0 and edit.building.findText("1栋") >= 0
    edit.kind.setCurrentIndex(edit.kind.findData(ContactKind.gatekeeper.value))
    edit.building.setEditText("")
    ok(edit).click()
    qtbot.waitUntil(
        lambda: (
            page.model.row_at(0) is not None and page.model.row_at(0).kind == ContactKind.gatekeeper
        ),
        timeout=5000,
    )  # type: ignore[union-attr]


def test_delete_asks_first(open_page, db: Database, admin, small: Small, qtbot) -> None:  # type: ignore[no-untyped-def]
    with db.write() as s:
        contact_svc.create_contact(
            session=s,
            actor=admin,
            data=contact_svc.ContactInput(
                ContactKind.community_worker,
                "赵敏",
                small.communities["南湖村"],
                phone="13700000022",
            ),
        )
    page = open_page(db)
    page.table.setCurrentIndex(page.proxy.index(0, 0))
    box = page.delete_contact()
    assert isinstance(box, QMessageBox) and "赵敏" in box.text()
    box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: page.model.rowCount() == 0, timeout=5000)


def test_export_writes_the_filtered_rows(
    open_page, demo_db: Database, tmp_path: Path, qtbot
) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    page = open_page(demo_db)
    page.kind_filter.setCurrentIndex(page.kind_filter.findData(ContactKind.building_leader.value))
    qtbot.waitUntil(lambda: {r.kind for r in page.model.rows()} == {ContactKind.building_leader})
    target = tmp_path / "联系人.xlsx"
    page.ask_path = lambda _p, _n, _m: (target, False)  # type: ignore[assignment]
    page.export()
    qtbot.waitUntil(lambda: str(target) in page.status_label.text(), timeout=10_000)
    ws = load_workbook(target).active
    assert ws is not None
    data = list(ws.iter_rows(min_row=4, values_only=True))
    assert len(data) == page.proxy.rowCount()
    assert all("****" in (r[2] or "****") for r in data)
