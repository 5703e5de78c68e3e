"""The 报表 page: pick a report and its parameters, build it on a worker, preview
its pages, print it through a QPrinter (to a PDF file here), save it.

One demo county (2,000 customers) for the module; the page itself is new for
every test. A screenshot of the page lands in the temporary folder
(shot_reports.png) for looking at.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import text
from test_ui_sample import IGNORE_OFFSCREEN_SIZE_HINTS, chinese, workers_stopped  # noqa: F401

from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.db.store import open_store
from gridsvc_desktop.demo import build_county
from gridsvc_desktop.domain.enums import Role
from gridsvc_desktop.paths import DataPaths
from gridsvc_desktop.services.actor import Actor
from gridsvc_desktop.services.reports import CATALOGUE, Param
from gridsvc_desktop.ui import fonts
from gridsvc_desktop.ui.context import UiContext
from gridsvc_desktop.ui.dialogs.report_print import chosen_pages, new_printer
from gridsvc_desktop.ui.pages import PAGES
from gridsvc_desktop.ui.pages.reports import ReportsPage
from gridsvc_desktop.ui.qt import QApplication
from gridsvc_desktop.ui.widgets.report_params import preset_range

pytestmark = [pytest.mark.usefixtures("workers_stopped"), IGNORE_OFFSCREEN_SIZE_HINTS]

TODAY = dt.date(2026, 11, 20)
SHOTS = Path(os.environ.get("GRIDSVC_SHOTS", "/tmp"))


@pytest.fixture(scope="module", autouse=True)
def bundled_font(qapp: QApplication) -> Iterator[None]:
    """The program's own font, as app.py installs it (for the screenshot's sake)."""
    before = QApplication.font()
    fonts.install_bundled_font(qapp)
    yield
    QApplication.setFont(before)


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, DataPaths]]:
    paths = DataPaths(tmp_path_factory.mktemp("ui_reports"))
    db = open_store(paths)
    build_county(db, customers=2000, seed=1, today=TODAY)
    yield db, paths
    db.dispose()


def make_page(qtbot, county: tuple[Database, DataPaths], **ctx: object) -> ReportsPage:  # type: ignore[no-untyped-def]
    db, paths = county
    widget = ReportsPage(UiContext(db=db, paths=paths, station_name="清河县城关供电所", **ctx))  # type: ignore[arg-type]
    qtbot.addWidget(widget)
    widget.resize(1300, 820)
    widget.show()
    qtbot.waitExposed(widget)
    # The grids, people and outages arrive from a worker.
    qtbot.waitUntil(lambda: widget.form.outage_combo.count() > 0, timeout=10_000)
    return widget


def build(qtbot, page: ReportsPage, name: str) -> None:  # type: ignore[no-untyped-def]
    page.select_report(name)
    before = page.result
    page.build()
    qtbot.waitUntil(lambda: page.result is not None and page.result is not before, timeout=30_000)
    qtbot.waitUntil(lambda: not page.progress_bar.isVisible(), timeout=5_000)


def audit_count(db: Database, action: str) -> int:
    with db.engine.connect() as conn:
        return int(
            conn.execute(
                text("SELECT count(*) FROM audit_log WHERE action = :a"), {"a": action}
            ).scalar_one()
        )


def test_the_page_is_in_the_navigation_and_lists_the_catalogue(qtbot, county) -> None:  # type: ignore[no-untyped-def]
    assert ReportsPage in PAGES
    page = make_page(qtbot, county, unmask=True)
    titles = [page.report_list.item(i).text() for i in range(page.report_list.count())]
    assert titles == [s.title for s in CATALOGUE]
    # The form shows what the chosen report takes.
    page.select_report("work_orders")
    form = page.form
    assert not form.preset_combo.isHidden() and not form.grid_combo.isHidden()
    assert not form.staff_combo.isHidden() and form.outage_combo.isHidden()
    assert form.grid_combo.itemData(0) is None  # "all grids": station-wide by default
    page.select_report("grid_card")
    assert form.preset_combo.isHidden() and form.grid_combo.itemData(0) is not None
    assert form.mask_check.isChecked() and not form.mask_check.isEnabled()  # posted
    page.select_report("outage_notice")
    assert not form.outage_combo.isHidden() and not form.compound_combo.isHidden()
    qtbot.waitUntil(lambda: form.compound_combo.count() > 1, timeout=10_000)
    assert form.params().outage_id == form.outage_combo.currentData()


def test_period_presets() -> None:
    assert preset_range("today", TODAY) == (TODAY, TODAY)
    assert preset_range("week", TODAY) == (dt.date(2026, 11, 16), dt.date(2026, 11, 22))
    assert preset_range("month", TODAY) == (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert preset_range("last_month", TODAY) == (dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    assert preset_range("custom", TODAY) is None


@pytest.mark.usefixtures("chinese")
def test_build_preview_print_and_save(qtbot, county, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db, _ = county
    page = make_page(qtbot, county, unmask=True)
    page.select_report("work_orders")
    page.form.set_period(dt.date(2026, 10, 21), TODAY)
    assert not page.print_button.isEnabled() and not page.save_button.isEnabled()
    build(qtbot, page, "work_orders")
    result = page.result
    assert result is not None and result.pages >= 3 and not result.masked
    assert page.preview.page_count == result.pages
    assert page.page_label.text() == f"第 1 页，共 {result.pages} 页"
    # The pages in view are rendered (on a worker) and painted.
    qtbot.waitUntil(lambda: page.preview.cached(0) is not None, timeout=10_000)
    image = page.preview.cached(0)
    assert image is not None and image.width() > 500
    page.preview.show_page(result.pages)
    qtbot.waitUntil(lambda: page.preview.current_page() == result.pages, timeout=5_000)
    qtbot.waitUntil(lambda: page.preview.cached(result.pages - 1) is not None, timeout=10_000)
    page.zoom_combo.setCurrentIndex(page.zoom_combo.findData(1.0))
    page.preview.show_page(1)
    qtbot.waitUntil(lambda: page.preview.cached(0) is not None, timeout=10_000)
    page.grab().save(str(SHOTS / "shot_reports.png"))

    # Print: the printer's page range, painted on a worker, audited.
    printed = audit_count(db, "report_print")
    printer = new_printer(result.landscape)
    out = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(out))
    printer.setFromTo(2, 3)
    assert chosen_pages(printer, result.pages) == [1, 2]
    task = page.print_to(printer)
    assert task is not None
    qtbot.waitUntil(lambda: "送往打印机" in page.status_label.text(), timeout=20_000)
    reader = PdfReader(io.BytesIO(out.read_bytes()))
    assert len(reader.pages) == 2
    assert float(reader.pages[0].mediabox.width) > float(reader.pages[0].mediabox.height)
    assert audit_count(db, "report_print") == printed + 1

    # Save: the very bytes of the preview, audited.
    saved = audit_count(db, "report_save")
    target = tmp_path / "工单统计.pdf"
    page.save_to(target)
    qtbot.waitUntil(
        lambda: target.exists() and audit_count(db, "report_save") == saved + 1, timeout=10_000
    )
    assert target.read_bytes() == result.data


def test_a_role_that_may_not_unmask_gets_masked_reports(qtbot, county) -> None:  # type: ignore[no-untyped-def]
    staff = Actor(user_id=None, username="营业员甲", role=Role.staff)
    page = make_page(qtbot, county, unmask=False, actor=staff)
    page.select_report("call_log")
    assert page.form.mask_check.isChecked() and not page.form.mask_check.isEnabled()
    page.form.set_period(dt.date(2026, 11, 1), TODAY)
    build(qtbot, page, "call_log")
    assert page.result is not None and page.result.masked
    db, _ = county
    with db.engine.connect() as conn:
        phones = [
            p for (p,) in conn.execute(text("SELECT phone FROM call WHERE phone != '' LIMIT 50"))
        ]
    body = "".join(p.extract_text() for p in PdfReader(io.BytesIO(page.result.data)).pages)
    assert phones and not any(p in body for p in phones)


def test_a_required_choice_is_asked_for_and_a_build_can_be_cancelled(qtbot, county) -> None:  # type: ignore[no-untyped-def]
    page = make_page(qtbot, county, unmask=True)
    page.select_report("outage_record")
    page.form.outage_combo.clear()
    page.build()
    assert page.result is None and page.status_label.text()
    page.select_report("grid_roster")
    page.build()
    page.cancel_build()
    assert not page.progress_bar.isVisible() and not page.cancel_button.isVisible()
    qtbot.wait(200)
    assert page.result is None
    assert Param.outage in next(s for s in CATALOGUE if s.name == "outage_record").required
