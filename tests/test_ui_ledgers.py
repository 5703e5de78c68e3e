"""The 台账 page, the import wizard and the ledger export dialog, driven as an admin
would: real .xlsx files, real services, work on worker threads (never exec())."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from test_imports_service import _file as ledger
from test_ledgers_files import (
    CUSTOMER_HEADER,
    customer_row,
    customers_file,
    seed_county,
    write_xlsx,
)
from test_ui_sample import IGNORE_OFFSCREEN_SIZE_HINTS, chinese, workers_stopped  # noqa: F401

from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.paths import DataPaths
from gridsvc_desktop.services.actor import Actor
from gridsvc_desktop.services.imports import (
    ImportOptions,
    import_history,
    import_ledger,
    prepare_import,
)
from gridsvc_desktop.ui import fonts
from gridsvc_desktop.ui.context import UiContext
from gridsvc_desktop.ui.dialogs.import_wizard import ImportWizard, dropped_file
from gridsvc_desktop.ui.dialogs.ledger_export import LedgerExportDialog
from gridsvc_desktop.ui.main_window import MainWindow
from gridsvc_desktop.ui.pages.ledgers import LedgersPage
from gridsvc_desktop.ui.qt import QMessageBox, QUrl

pytestmark = [pytest.mark.usefixtures("workers_stopped"), IGNORE_OFFSCREEN_SIZE_HINTS]

WAIT_MS = 20_000


def _ctx(db: Database, paths: DataPaths, actor: Actor) -> UiContext:
    return UiContext(db=db, paths=paths, station_name="测试供电所", actor=actor)


def customers(db: Database) -> dict[str, tuple[Any, ...]]:
    with db.read() as s:
        rows = (
            s.connection()
            .exec_driver_sql("SELECT account_no, name, phone, address, version FROM customer")
            .fetchall()
        )
    return {r[0]: tuple(r) for r in rows}


@pytest.fixture
def county(db: Database, admin: Actor, tmp_path: Path) -> Database:
    """Three transformer areas imported, no customers yet."""
    seed_county(db, admin, tmp_path)
    return db


def wizard_for(
    qtbot: Any, db: Database, paths: DataPaths, actor: Actor, path: Path
) -> ImportWizard:
    wizard = ImportWizard(_ctx(db, paths, actor), path)
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def read(qtbot: Any, wizard: ImportWizard) -> None:
    """Step 1 → 2: recognise and dry-run the file."""
    wizard.next_button.click()
    qtbot.waitUntil(lambda: not wizard.busy, timeout=WAIT_MS)


def to_report(qtbot: Any, wizard: ImportWizard) -> None:
    read(qtbot, wizard)
    assert wizard.current_page() == wizard.PAGE_LAYOUT, wizard.message_label.text()
    wizard.next_button.click()
    qtbot.waitUntil(lambda: not wizard.busy, timeout=WAIT_MS)
    assert wizard.current_page() == wizard.PAGE_REPORT, wizard.message_label.text()


def apply(qtbot: Any, wizard: ImportWizard) -> None:
    wizard.next_button.click()
    assert wizard.busy
    qtbot.waitUntil(lambda: not wizard.busy, timeout=WAIT_MS)


def test_wizard_imports_a_customer_ledger(
    county: Database, data_paths: DataPaths, admin: Actor, qtbot: Any, tmp_path: Path
) -> None:
    path = customers_file(tmp_path, 6)
    wizard = wizard_for(qtbot, county, data_paths, admin, path)
    read(qtbot, wizard)
    assert wizard.current_page() == wizard.PAGE_LAYOUT
    assert wizard.kind_combo.currentData() == "customers"
    assert wizard.sheet_combo.currentText() == "客户档案"
    assert wizard.header_spin.value() == 3
    assert wizard.mapping_combo("户号").currentData() == "account_no"
    assert wizard.mapping_combo("联系电话").currentData() == "phone"
    wizard.next_button.click()  # nothing changed: the report of the same dry run
    assert not wizard.busy and wizard.current_page() == wizard.PAGE_REPORT
    assert "6" in wizard.count_labels["created"].text()
    assert wizard.created_model.rowCount() == 6
    assert not wizard.choice_combo.isVisibleTo(wizard)  # no refused rows: no choice
    assert customers(county) == {}  # the dry run wrote nothing
    apply(qtbot, wizard)
    assert wizard.current_page() == wizard.PAGE_DONE
    assert "6" in wizard.done_label.text()
    assert len(customers(county)) == 6
    assert {c[1] for c in customers(county).values()} == {f"客户{i}" for i in range(6)}
    assert [b.kind.value for b in import_history(county)] == ["customers", "transformer_areas"]


def test_refused_rows_skip_or_import_nothing(
    county: Database, data_paths: DataPaths, admin: Actor, qtbot: Any, tmp_path: Path
) -> None:
    rows = [customer_row(i) for i in range(4)] + [customer_row(9, 联系电话="abc")]
    path = ledger(tmp_path, rows)
    wizard = wizard_for(qtbot, county, data_paths, admin, path)
    to_report(qtbot, wizard)
    assert "1" in wizard.count_labels["refused"].text()
    assert wizard.report_tabs.currentIndex() == 1  # the refused rows are shown first
    refused = wizard.refused_model.row_at(0)
    assert refused is not None and refused.row == 8 and refused.column == "联系电话"
    assert wizard.choice_combo.isVisibleTo(wizard)

    errors = tmp_path / "被拒绝.xlsx"
    wizard.save_error_workbook(errors)
    qtbot.waitUntil(lambda: not wizard.busy, timeout=WAIT_MS)
    assert errors.is_file() and str(errors) in wizard.message_label.text()

    wizard.choice_combo.setCurrentIndex(wizard.choice_combo.findData(False))  # import nothing
    apply(qtbot, wizard)
    assert wizard.current_page() == wizard.PAGE_DONE
    assert "1" in wizard.done_label.text()
    assert customers(county) == {}
    assert len(import_history(county)) == 1

    wizard = wizard_for(qtbot, county, data_paths, admin, path)
    to_report(qtbot, wizard)
    assert wizard.skip_refused()  # the default choice
    apply(qtbot, wizard)
    assert wizard.current_page() == wizard.PAGE_DONE
    assert len(customers(county)) == 4
    batch = import_history(county)[0]
    assert (batch.created, batch.refused) == (4, 1)

    # The error workbook, fixed, imports the refused row.
    from openpyxl import load_workbook

    wb = load_workbook(errors)
    ws = wb.worksheets[-1]
    cells = {c.value: c.column for c in ws[3] if c.value}
    assert "错误原因" in cells
    bad = ws.cell(row=4, column=cells["联系电话"])
    assert bad.value == "abc"
    bad.value = "13912345678"
    wb.save(errors)
    wizard = wizard_for(qtbot, county, data_paths, admin, errors)
    to_report(qtbot, wizard)
    assert wizard.plan is not None and wizard.plan.counts == (1, 0, 0, 0)
    apply(qtbot, wizard)
    assert len(customers(county)) == 5


def test_hostile_file_shows_the_message_and_changes_nothing(
    county: Database, data_paths: DataPaths, admin: Actor, qtbot: Any, tmp_path: Path
) -> None:
    path = tmp_path / "客户档案.xlsx"
    path.write_text("户号,户名,用电地址\n0000000005,王秀英,城关镇\n", encoding="utf-8")
    wizard = wizard_for(qtbot, county, data_paths, admin, path)
    read(qtbot, wizard)
    assert wizard.current_page() == wizard.PAGE_FILE
    message = wizard.message_label.text()
    assert "客户档案.xlsx" in message, message
    assert customers(county) == {} and len(import_history(county)) == 1

    truncated = tmp_path / "台账.xlsx"
    truncated.write_bytes(customers_file(tmp_path, 50, "完整.xlsx").read_bytes()[:3000])
    wizard.file_edit.setText(str(truncated))
    read(qtbot, wizard)
    assert wizard.current_page() == wizard.PAGE_FILE
    assert "台账.xlsx" in wizard.message_label.text()
    assert customers(county) == {} and len(import_history(county)) == 1


def test_cancel_during_apply_leaves_the_database_unchanged(
    county: Database, data_paths: DataPaths, admin: Actor, qtbot: Any, tmp_path: Path
) -> None:
    import_ledger(county, admin, customers_file(tmp_path, 3, "旧.xlsx"))
    before = customers(county)
    path = customers_file(tmp_path, 40)
    wizard = wizard_for(qtbot, county, data_paths, admin, path)
    to_report(qtbot, wizard)
    wizard.next_button.click()
    assert wizard.work_bar.isVisibleTo(wizard)
    wizard.work_bar.cancel_button.click()
    qtbot.waitUntil(lambda: not wizard.busy, timeout=WAIT_MS)
    assert wizard.current_page() == wizard.PAGE_REPORT
    assert wizard.result_plan is None
    assert wizard.message_label.text() != ""
    assert customers(county) == before
    assert len(import_history(county)) == 2
    apply(qtbot, wizard)  # the same dry run can still be applied
    assert wizard.current_page() == wizard.PAGE_DONE
    assert len(customers(county)) == 40

    # Closing the wizard while it imports stops the import first, then closes.
    after = customers(county)
    changed = [customer_row(i, 用电地址=f"新地址{i}号") for i in range(40)]
    wizard = wizard_for(qtbot, county, data_paths, admin, ledger(tmp_path, changed, "改.xlsx"))
    to_report(qtbot, wizard)
    wizard.next_button.click()
    wizard.reject()
    assert wizard.isVisible() and wizard.busy  # still rolling back
    qtbot.waitUntil(lambda: not wizard.isVisible(), timeout=WAIT_MS)
    assert customers(county) == after
    assert len(import_history(county)) == 3


def test_header_row_and_column_mapping_can_be_overridden(
    county: Database, data_paths: DataPaths, admin: Actor, qtbot: Any, tmp_path: Path
) -> None:
    # The header below the rows the importer scans: recognising fails, the header row
    # given on the first page reads it.
    rows = (
        [["说明：本表由营销系统导出"]] * 34
        + [CUSTOMER_HEADER]
        + [customer_row(i) for i in range(5)]
    )
    deep = write_xlsx(tmp_path / "表头靠下.xlsx", rows, sheet="客户档案")
    wizard = wizard_for(qtbot, county, data_paths, admin, deep)
    read(qtbot, wizard)
    assert wizard.current_page() == wizard.PAGE_FILE
    assert "找不到" in wizard.message_label.text()
    wizard.header_pick.setValue(35)
    read(qtbot, wizard)
    assert wizard.current_page() == wizard.PAGE_LAYOUT
    assert wizard.plan is not None and wizard.plan.header_row == 35
    assert wizard.plan.counts == (5, 0, 0, 0)
    wizard.header_spin.setValue(36)  # a data row is no header
    wizard.reread_button.click()
    qtbot.waitUntil(lambda: not wizard.busy, timeout=WAIT_MS)
    assert "找不到" in wizard.message_label.text()
    assert wizard.plan.header_row == 35  # the last good reading stays
    wizard.header_spin.setValue(35)
    wizard.kind_combo.setCurrentIndex(wizard.kind_combo.findData("staff"))
    assert wizard.chosen_options().kind == "staff"
    wizard.reread_button.click()
    qtbot.waitUntil(lambda: not wizard.busy, timeout=WAIT_MS)
    assert "人员花名册" in wizard.message_label.text()  # not a roster: says so
    assert wizard.plan.kind.value == "customers"

    # The column mapping: new phone numbers, but 联系电话 is not imported → no change.
    import_ledger(county, admin, deep, ImportOptions(header_row=35))
    before = customers(county)
    changed = ledger(tmp_path, [customer_row(i, 联系电话=f"1390000000{i}") for i in range(5)])
    wizard = wizard_for(qtbot, county, data_paths, admin, changed)
    read(qtbot, wizard)
    assert wizard.plan is not None and wizard.plan.counts == (0, 5, 0, 0)
    wizard.mapping_combo("联系电话").setCurrentIndex(0)  # (not imported)
    assert wizard.chosen_options().mapping == {"联系电话": ""}
    wizard.next_button.click()  # changed settings: a new dry run, then the report
    qtbot.waitUntil(lambda: not wizard.busy, timeout=WAIT_MS)
    assert wizard.current_page() == wizard.PAGE_REPORT
    assert wizard.plan.counts == (0, 0, 5, 0)
    assert "联系电话" in wizard.plan.ignored
    apply(qtbot, wizard)
    assert customers(county) == before

    # Mapped back, the changes show again, field old → new.
    wizard = wizard_for(qtbot, county, data_paths, admin, changed)
    to_report(qtbot, wizard)
    assert wizard.changes_model.rowCount() == 5
    row = wizard.changes_model.row_at(0)
    assert row is not None and row[2] == "联系电话" and row[4] == "13900000000"


def test_history_and_undo(
    county: Database,
    data_paths: DataPaths,
    admin: Actor,
    qtbot: Any,
    qtmodeltester: Any,
    tmp_path: Path,
) -> None:
    import_ledger(county, admin, customers_file(tmp_path, 5))
    first = customers(county)
    rows = [customer_row(i, 用电地址=f"新地址{i}号") for i in range(5)] + [customer_row(7)]
    import_ledger(county, admin, ledger(tmp_path, rows, "客户档案_更新.xlsx"))
    assert customers(county) != first
    page = LedgersPage(_ctx(county, data_paths, admin))
    qtbot.addWidget(page)
    page.show()
    qtmodeltester.check(page.model)
    assert page.model.rowCount() == 3
    top = page.model.row_at(0)
    assert top is not None and top.file_name == "客户档案_更新.xlsx"
    assert (top.created, top.changed, top.unchanged, top.refused) == (1, 5, 0, 0)
    assert top.username == "admin"
    assert page.model.cell(top, 3) == "admin" and page.model.cell(top, 5) == "5"
    assert page.undo_button.isEnabled()

    page.undo_button.click()
    box = page.findChild(QMessageBox, "confirm_undo")
    assert box is not None
    assert "客户档案_更新.xlsx" in box.text() and "1" in box.text() and "5" in box.text()
    box.button(QMessageBox.StandardButton.No).click()
    assert not page.work_bar.busy and customers(county) != first

    page.undo_button.click()
    box = page.findChild(QMessageBox, "confirm_undo")
    assert box is not None
    box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: "客户档案_更新.xlsx" in page.status_label.text(), timeout=WAIT_MS)
    assert customers(county) == first  # exactly as before, versions included
    assert page.model.row_at(0).undone_at is not None  # type: ignore[union-attr]
    assert page.last_import().file_name == "客户档案.xlsx"  # type: ignore[union-attr]

    # A refused undo shows why: a customer of that import was edited since.
    with county.write() as s:
        s.connection().exec_driver_sql("UPDATE customer SET version = version + 1 WHERE id = 1")
    page.undo_last()
    qtbot.waitUntil(lambda: not page.work_bar.busy, timeout=WAIT_MS)
    assert "无法精确撤销" in page.status_label.text()
    assert len(customers(county)) == 5


def test_export_dialog_writes_a_file_that_reimports_unchanged(
    county: Database, data_paths: DataPaths, admin: Actor, qtbot: Any, tmp_path: Path
) -> None:
    import_ledger(county, admin, customers_file(tmp_path, 8))
    dialog = LedgerExportDialog(_ctx(county, data_paths, admin))
    qtbot.addWidget(dialog)
    dialog.show()
    kinds = [dialog.kind_combo.itemData(i) for i in range(dialog.kind_combo.count())]
    assert {"customers", "arrears", "orders_95598", "work_orders", "calls", "collections"} <= set(
        kinds
    )
    assert dialog.masked_check.isEnabled() and not dialog.masked_check.isChecked()
    dialog.select_kind("customers")
    assert dialog.path_edit.text().endswith(".xlsx") and "客户档案" in dialog.path_edit.text()
    out = tmp_path / "导出" / "客户.xlsx"
    out.parent.mkdir()
    dialog.path_edit.setText(str(out))
    dialog.export_button.click()
    qtbot.waitUntil(lambda: not dialog.work_bar.busy, timeout=WAIT_MS)
    assert out.is_file() and str(out) in dialog.status_label.text()
    plan = prepare_import(county, admin, out)
    assert plan.counts == (0, 0, 8, 0)

    template = LedgerExportDialog(_ctx(county, data_paths, admin), template=True)
    qtbot.addWidget(template)
    template.select_kind("staff")
    blank = tmp_path / "花名册模板.xlsx"
    template.path_edit.setText(str(blank))
    template.export()
    qtbot.waitUntil(lambda: not template.work_bar.busy, timeout=WAIT_MS)
    assert blank.is_file() and str(blank) in template.status_label.text()


def test_lead_exports_masked_and_cannot_import(
    county: Database, data_paths: DataPaths, admin: Actor, lead_actor: Actor, qtbot: Any,
    tmp_path: Path,
) -> None:  # fmt: skip
    import_ledger(county, admin, customers_file(tmp_path, 3))
    page = LedgersPage(_ctx(county, data_paths, lead_actor))
    qtbot.addWidget(page)
    assert page.import_button.isHidden() and page.undo_button.isHidden()
    assert not page.export_button.isHidden()
    assert page.model.rowCount() == 2  # the history is shown
    dialog = page.open_export()
    # A lead may unmask, so chooses; a staff role never gets here (no Permission.export).
    dialog.masked_check.setChecked(True)
    out = tmp_path / "对外.xlsx"
    dialog.path_edit.setText(str(out))
    dialog.export()
    qtbot.waitUntil(lambda: not dialog.work_bar.busy, timeout=WAIT_MS)
    assert dialog.last_result is not None and dialog.last_result.masked  # type: ignore[union-attr]
    assert "*" in "".join(str(c) for c in _cells(out))
    dialog.close()


def test_page_is_in_the_navigation_for_admins_and_leads_only(
    county: Database, data_paths: DataPaths, admin: Actor, lead_actor: Actor,
    staff_actor: Actor, qtbot: Any,
) -> None:  # fmt: skip
    for actor, shown in ((admin, True), (lead_actor, True), (staff_actor, False)):
        window = MainWindow(_ctx(county, data_paths, actor))
        qtbot.addWidget(window)
        assert ("ledgers" in window.page_keys()) is shown


def test_a_file_dropped_on_the_page_opens_the_wizard(
    county: Database, data_paths: DataPaths, admin: Actor, qtbot: Any, tmp_path: Path
) -> None:
    from PySide6.QtCore import QMimeData, QPointF
    from PySide6.QtGui import QDropEvent

    from gridsvc_desktop.ui.qt import Qt

    path = customers_file(tmp_path, 2)
    assert dropped_file([QUrl.fromLocalFile(str(path))]) == path
    assert dropped_file([QUrl.fromLocalFile(str(path)), QUrl.fromLocalFile(str(path))]) is None
    assert dropped_file([QUrl("https://example.com/a.xlsx")]) is None
    page = LedgersPage(_ctx(county, data_paths, admin))
    qtbot.addWidget(page)
    page.show()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    page.dropEvent(event)
    wizard = page.wizard
    assert wizard is not None and wizard.file_path() == path
    qtbot.waitUntil(lambda: not wizard.busy, timeout=WAIT_MS)
    assert wizard.current_page() == wizard.PAGE_LAYOUT
    wizard.reject()


def _cells(path: Path) -> list[Any]:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    ws = wb.worksheets[0]
    cells = [c for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    wb.close()
    return cells


@pytest.mark.usefixtures("chinese")
def test_screens(
    county: Database, data_paths: DataPaths, admin: Actor, qapp: Any, qtbot: Any, tmp_path: Path
) -> None:
    """Each wizard page and the ledger page render (saved to $GRIDSVC_SHOTS to look at)."""
    fonts.install_bundled_font(qapp)
    shots = Path(os.environ.get("GRIDSVC_SHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    import_ledger(county, admin, customers_file(tmp_path, 5))
    rows = [customer_row(i, 用电地址=f"新地址{i}号") for i in range(5)]
    rows += [customer_row(7), customer_row(9, 联系电话="abc"), customer_row(8, 户号="12345")]
    path = ledger(tmp_path, rows, "客户档案_11月.xlsx")
    wizard = wizard_for(qtbot, county, data_paths, admin, path)
    wizard.resize(900, 640)
    grabs = {"file": wizard.grab()}
    hostile = tmp_path / "台区档案.xlsx"
    hostile.write_text("这不是工作簿\n", encoding="utf-8")
    wizard.file_edit.setText(str(hostile))
    read(qtbot, wizard)
    grabs["file_refused"] = wizard.grab()
    wizard.file_edit.setText(str(path))
    read(qtbot, wizard)
    grabs["layout"] = wizard.grab()
    wizard.next_button.click()
    grabs["report"] = wizard.grab()
    wizard.report_tabs.setCurrentIndex(0)
    grabs["report_changes"] = wizard.grab()
    apply(qtbot, wizard)
    grabs["done"] = wizard.grab()
    page = LedgersPage(_ctx(county, data_paths, admin))
    qtbot.addWidget(page)
    page.resize(1100, 600)
    page.show()
    grabs["page"] = page.grab()
    dialog = page.open_export()
    grabs["export"] = dialog.grab()
    for name, pixmap in grabs.items():
        assert not pixmap.isNull()
        assert pixmap.save(str(shots / f"ledgers_{name}.png"))
    dialog.close()
