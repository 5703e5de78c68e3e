"""The grid page: the tree with figures, the coverage check, the dialogs, export."""

from __future__ import annotations

from pathlib import Path

import pytest
import test_grids_services as shared
from sqlmodel import select
from test_grids_services import Small
from test_ui_sample import IGNORE_OFFSCREEN_SIZE_HINTS, chinese, workers_stopped  # noqa: F401

from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.db.models import Customer, Grid, TransformerArea
from gridsvc_desktop.paths import DataPaths
from gridsvc_desktop.services.actor import Actor
from gridsvc_desktop.services.coverage import CheckKind
from gridsvc_desktop.services.grid_figures import all_grid_figures
from gridsvc_desktop.services.grids import grid_layout
from gridsvc_desktop.ui import background
from gridsvc_desktop.ui.context import UiContext
from gridsvc_desktop.ui.dialogs.grid_dialogs import CustomerAreaDialog, GridDialog, MoveDialog
from gridsvc_desktop.ui.models.coverage_table import CoverageTableModel
from gridsvc_desktop.ui.models.grid_tree import Column, GridTreeModel, NodeKind
from gridsvc_desktop.ui.pages.grids import GridsPage, load_coverage
from gridsvc_desktop.ui.qt import (
    QCoreApplication,
    QDialogButtonBox,
    QEvent,
    QLabel,
    QMessageBox,
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


def make_page(db: Database, data_paths: DataPaths, qtbot) -> GridsPage:  # type: ignore[no-untyped-def]
    page = GridsPage(UiContext(db=db, paths=data_paths, station_name="测试供电所"))
    qtbot.addWidget(page)
    page.resize(1280, 760)
    page.show()
    qtbot.waitExposed(page)
    page.activated()
    qtbot.waitUntil(lambda: page.data is not None and page.coverage is not None, timeout=10_000)
    return page


@pytest.fixture
def page(db: Database, data_paths: DataPaths, small: Small, qtbot) -> GridsPage:  # type: ignore[no-untyped-def]
    return make_page(db, data_paths, qtbot)


def panel_text(page: GridsPage, name: str) -> str:
    label = page.panel.findChild(QLabel, name)
    assert label is not None, name
    return label.text()


def ok(dialog: GridDialog | MoveDialog | CustomerAreaDialog):  # type: ignore[no-untyped-def]
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)


# --------------------------------------------------------------------------- models


def test_tree_and_coverage_models_pass_modeltester(demo_db: Database, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    with demo_db.read() as s:
        layout, report = grid_layout(s), all_grid_figures(s)
    model = GridTreeModel()
    model.set_data(layout, report)
    qtmodeltester.check(model)
    kinds = [n.kind for n in model.top_level()]
    assert kinds[0] == NodeKind.no_grid and NodeKind.town in kinds
    lines = CoverageTableModel()
    lines.set_report(load_coverage(demo_db))
    qtmodeltester.check(lines)
    lines.set_kind(CheckKind.customer_no_ta)
    qtmodeltester.check(lines)
    assert lines.rowCount() >= 1


def test_tree_without_figures_passes_modeltester(small_db: Database, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    with small_db.read() as s:
        layout = grid_layout(s)
    model = GridTreeModel()
    model.set_data(layout, None)
    qtmodeltester.check(model)
    assert model.data(model.index(1, Column.CUSTOMERS)) == "…"


# --------------------------------------------------------------------------- the page


@pytest.mark.usefixtures("chinese")
def test_the_tree_shows_towns_communities_grids_and_areas(page: GridsPage, small: Small) -> None:
    model = page.model
    names = [n.name for n in model.top_level()]
    assert names == ["未划入网格的台区", "城关镇", "南湖镇"]
    assert "3 个网格" in page.status_label.text() and "14 户" in page.status_label.text()
    town = model.top_level()[1]
    assert [c.name for c in town.children] == ["东关社区", "西街社区"]
    grid = town.children[0].children[0]
    assert grid.name == "东关网格（G01）" and [t.name for t in grid.children][:1] == [
        "东关1号台区（T001）"
    ]
    index = model.find(NodeKind.grid, small.grids["东关网格"])
    assert model.data(index.siblingAtColumn(Column.CUSTOMERS)) == "7"
    assert model.data(index.siblingAtColumn(Column.MANAGER)) == "张伟"
    assert page.tabs.tabText(1) == "覆盖检查（4）"


@pytest.mark.usefixtures("chinese")
def test_selecting_a_grid_shows_its_figures(page: GridsPage, small: Small, qtbot) -> None:  # type: ignore[no-untyped-def]
    assert page.select(NodeKind.grid, small.grids["东关网格"])
    qtbot.waitUntil(lambda: page.panel.node is not None and page.panel.node.kind == NodeKind.grid)
    assert panel_text(page, "figures_title") == "东关网格（G01）"
    assert panel_text(page, "fig_customers") == "7"
    assert panel_text(page, "fig_tas") == "2"
    assert panel_text(page, "fig_open") == "1"
    assert panel_text(page, "fig_overdue") == "1"
    assert panel_text(page, "fig_manager") == "张伟　139****1111"  # masked
    assert page.edit_button.isEnabled() and page.people_button.isEnabled()
    page.select(NodeKind.ta, small.tas["T005"])
    qtbot.waitUntil(lambda: page.panel.node is not None and page.panel.node.kind == NodeKind.ta)
    assert panel_text(page, "fig_ta_grid") == "不属于任何网格"
    assert page.move_button.isEnabled()


def test_the_filter_finds_an_area_inside_the_tree(page: GridsPage) -> None:
    page.filter_edit.setText("北山1号")
    assert page.proxy.rowCount() == 1  # only 南湖镇 still shows
    town = page.proxy.index(0, 0)
    assert page.proxy.data(town) == "南湖镇"
    page.filter_edit.clear()
    assert page.proxy.rowCount() == 3


def test_sorting_by_customers(page: GridsPage) -> None:
    page.tree.sortByColumn(Column.CUSTOMERS, Qt.SortOrder.DescendingOrder)
    first = page.proxy.data(page.proxy.index(0, Column.NAME))
    assert first == "城关镇"  # 7 customers, more than 南湖镇's 4 and the 2 in no grid


@pytest.mark.usefixtures("chinese")
def test_moving_areas_tells_the_lead_which_orders_stay(
    page: GridsPage, db: Database, small: Small, qtbot
) -> None:  # type: ignore[no-untyped-def]
    page.select(NodeKind.ta, small.tas["T001"])
    dialog = page.move_areas()
    assert isinstance(dialog, MoveDialog)
    assert not ok(dialog).isEnabled()  # no target yet
    assert dialog.field_label("target").text() == "请选择要划入的网格。"
    dialog.target.set_current_id(small.grids["南湖网格"])
    qtbot.waitUntil(lambda: "4 户客户" in dialog.preview.text())
    assert "1 张未办结工单" in dialog.preview.text()
    assert ok(dialog).isEnabled()
    ok(dialog).click()
    qtbot.waitUntil(lambda: getattr(page, "move_notice", None) is not None, timeout=5000)
    notice = page.move_notice.text()
    assert "GD001" in notice and "请班长改派" in notice
    with db.read() as s:
        ta = s.get(TransformerArea, small.tas["T001"])
        assert ta is not None and ta.grid_id == small.grids["南湖网格"]
    qtbot.waitUntil(
        lambda: page.coverage is not None and page.coverage.counts[CheckKind.order_on_old_grid] == 1
    )
    page.move_notice.close()


def test_moving_a_feeders_areas(page: GridsPage, db: Database, small: Small, qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = page.move_feeder()
    assert isinstance(dialog, MoveDialog)
    dialog.feeder.set_current_id(small.feeders["10kV南湖线"])
    dialog.target.set_current_id(small.grids["东关网格"])
    qtbot.waitUntil(
        lambda: "2 个台区" in dialog.preview.text() or "2 transformer" in dialog.preview.text()
    )
    ok(dialog).click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    with db.read() as s:
        assert {
            s.get(TransformerArea, small.tas[c]).grid_id
            for c in ("T003", "T004")  # type: ignore[union-attr]
        } == {small.grids["东关网格"]}
    page.move_notice.close()


@pytest.mark.usefixtures("chinese")
def test_grid_dialog_validates_as_you_type_and_saves(
    page: GridsPage, db: Database, small: Small, qtbot
) -> None:  # type: ignore[no-untyped-def]
    dialog = page.new_grid(community_id=small.communities["西街社区"])
    assert isinstance(dialog, GridDialog)
    assert not ok(dialog).isEnabled()
    assert dialog.field_label("code").text() == "请输入网格编号。"
    assert dialog.area_class.currentText() == "城区"  # from the community
    dialog.code_edit.setText("g01")
    assert dialog.field_label("code").text() == "已有网格使用这个编号。"
    dialog.code_edit.setText("G04")
    assert not dialog.field_label("code").isVisible()
    dialog.name_edit.setText("东关网格")
    assert dialog.field_label("name").text() == "已有网格使用这个名称。"
    dialog.name_edit.setText("西街网格")
    dialog.manager.setEditText("没有这个人")
    assert dialog.field_label("manager_id").text() == "请从花名册中选择人员。"
    dialog.manager.set_current_id(small.staff["李娜"])
    assert ok(dialog).isEnabled()
    ok(dialog).click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    with db.read() as s:
        grid = s.exec(select(Grid).where(Grid.code == "G04")).one()
        assert grid.name == "西街网格" and grid.manager_id == small.staff["李娜"]
    qtbot.waitUntil(lambda: page.model.find(NodeKind.grid, grid.id).isValid())  # type: ignore[arg-type]


@pytest.mark.usefixtures("chinese")
def test_coverage_lines_open_the_thing_to_fix(
    page: GridsPage, db: Database, small: Small, qtbot
) -> None:  # type: ignore[no-untyped-def]
    page.tabs.setCurrentIndex(1)
    assert page.kind_list.item(0).text() == "全部问题（4）"
    page.kind_list.setCurrentRow(1 + list(CheckKind).index(CheckKind.ta_no_grid))
    assert page.lines_model.rowCount() == 1
    # an area in no grid: the move dialog, aimed at its community's grid
    dialog = page.open_line(page.lines_model.line_at(0))  # type: ignore[arg-type]
    assert isinstance(dialog, MoveDialog)
    assert dialog.target.current_id() == small.grids["东关网格"]
    assert page.tabs.currentIndex() == 0 and page.current_node().id == small.tas["T005"]  # type: ignore[union-attr]
    dialog.reject()
    # a customer with no area: pick the area, and the count drops
    page.tabs.setCurrentIndex(1)
    page.kind_list.setCurrentRow(1 + list(CheckKind).index(CheckKind.customer_no_ta))
    page.lines.setCurrentIndex(page.lines_model.index(0, 0))
    page.open_line_button.click()
    qtbot.waitUntil(lambda: getattr(page, "customer_dialog", None) is not None)
    fix = page.customer_dialog
    assert not ok(fix).isEnabled()
    fix.area.set_current_id(small.tas["T001"])
    ok(fix).click()
    qtbot.waitUntil(lambda: not fix.isVisible(), timeout=5000)
    with db.read() as s:
        c = s.get(Customer, small.customers["none-14"])
        assert c is not None and c.transformer_area_id == small.tas["T001"]
    qtbot.waitUntil(lambda: page.coverage.counts[CheckKind.customer_no_ta] == 0)  # type: ignore[union-attr]
    # a grid: its people
    line = next(ln for ln in page.coverage.lines if ln.kind == CheckKind.staff_unreachable)  # type: ignore[union-attr]
    people = page.open_line(line)
    assert people is not None and people.objectName() == "placements_dialog"
    people.close()


def test_the_threshold_is_saved_and_rechecks(page: GridsPage, qtbot) -> None:  # type: ignore[no-untyped-def]
    assert page.threshold.value() == 4000
    page.threshold.setValue(200)
    page.threshold_button.click()
    qtbot.waitUntil(lambda: page.coverage is not None and page.coverage.threshold == 200)


def test_another_pcs_write_is_noticed_by_the_poll(
    page: GridsPage, db: Database, admin: Actor, small: Small, qtbot
) -> None:  # type: ignore[no-untyped-def]
    from gridsvc_desktop.services import grids

    with db.write() as s:
        grids.move_transformer_areas(
            session=s, actor=admin, grid_id=small.grids["东关网格"], ta_ids=[small.tas["T005"]]
        )
    page._on_poll_timeout()
    qtbot.waitUntil(lambda: page.model.top_level()[0].kind != NodeKind.no_grid, timeout=5000)


@pytest.mark.usefixtures("chinese")
def test_export_writes_what_the_tab_shows_with_phones_masked(
    page: GridsPage, db: Database, admin: Actor, small: Small, tmp_path: Path, qtbot
) -> None:  # type: ignore[no-untyped-def]

    from openpyxl import load_workbook

    from gridsvc_desktop.services import grids

    with db.write() as s:
        grids.create_grid(session=s, actor=admin, data=grids.GridInput("G05", "=HYPERLINK(1)"))
    page.reload()
    qtbot.waitUntil(lambda: not page.loading and len(page.data.layout.grids) == 4)  # type: ignore[union-attr]
    target = tmp_path / "网格.xlsx"
    page.ask_path = lambda _parent, _name, _may: (target, False)  # type: ignore[assignment]
    page.export()
    qtbot.waitUntil(lambda: "已导出" in page.status_label.text(), timeout=10_000)
    ws = load_workbook(target).active
    assert ws is not None
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=3)]
    header, data = rows[0], rows[1:]
    assert header[:4] == ["乡镇(街道)", "社区(村)", "网格编号", "网格"]
    east = next(r for r in data if r[3] == "东关网格")
    assert east[7] == "139****1111" and east[8] == 7
    formula = next(r for r in data if r[3] == "=HYPERLINK(1)")
    assert formula[3] == "=HYPERLINK(1)"
    cell = next(c for r in ws.iter_rows(min_row=4) for c in r if c.value == "=HYPERLINK(1)")
    assert cell.data_type == "s"  # text, never a formula
    assert data[-1][3] == "全所合计" and data[-1][8] == 14
    page.tabs.setCurrentIndex(1)
    second = tmp_path / "检查.xlsx"
    page.ask_path = lambda _parent, _name, _may: (second, False)  # type: ignore[assignment]
    page.export()
    qtbot.waitUntil(lambda: str(second) in page.status_label.text(), timeout=10_000)
    assert load_workbook(second).active.max_row == 3 + 5  # type: ignore[union-attr] (G05: no manager)


@pytest.fixture
def page_as(db: Database, data_paths: DataPaths, small: Small, qtbot):  # type: ignore[no-untyped-def]
    """Build the page for another user; the fixture keeps it alive until teardown."""
    kept: list[GridsPage] = []

    def make(actor: Actor) -> GridsPage:
        page = GridsPage(UiContext(db=db, paths=data_paths, station_name="测试供电所", actor=actor))
        qtbot.addWidget(page)
        kept.append(page)
        qtbot.waitUntil(lambda: page.data is not None and not page.loading)
        return page

    yield make
    # Let every task finish and be deleted while the pages still have an owner here:
    # a task's callbacks must not hold the last reference to its own owner.
    assert background.shutdown(10_000)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    kept.clear()


def test_a_lead_may_edit_grids_but_not_the_threshold(page_as, lead_actor: Actor) -> None:  # type: ignore[no-untyped-def]
    page = page_as(lead_actor)
    assert page.new_button.isEnabled() and not page.threshold_button.isEnabled()


def test_a_clerk_can_look_but_not_change(page_as, staff_actor: Actor) -> None:  # type: ignore[no-untyped-def]
    page = page_as(staff_actor)
    assert not page.new_button.isEnabled() and not page.feeder_button.isEnabled()
    assert not page.export_button.isEnabled()


def test_the_move_notice_is_a_warning_box(page: GridsPage, small: Small, qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = page.move_areas([small.tas["T003"]], target_grid_id=small.grids["东关网格"])
    assert dialog is not None
    qtbot.waitUntil(lambda: ok(dialog).isEnabled())
    ok(dialog).click()
    qtbot.waitUntil(lambda: getattr(page, "move_notice", None) is not None, timeout=5000)
    assert page.move_notice.icon() == QMessageBox.Icon.Warning  # an order stays behind
    page.move_notice.close()


@pytest.mark.usefixtures("chinese")
def test_an_order_line_opens_the_work_order_page_on_that_order(
    db: Database, data_paths: DataPaths, admin: Actor, small: Small, qtbot
) -> None:  # type: ignore[no-untyped-def]
    from gridsvc_desktop.services import grids
    from gridsvc_desktop.ui.main_window import MainWindow

    with db.write() as s:
        grids.move_transformer_areas(
            session=s, actor=admin, grid_id=small.grids["南湖网格"], ta_ids=[small.tas["T001"]]
        )
    window = MainWindow(UiContext(db=db, paths=data_paths, station_name="测试供电所"))
    qtbot.addWidget(window)
    window.show()
    page = window.show_page("grids")
    assert isinstance(page, GridsPage)
    qtbot.waitUntil(lambda: page.coverage is not None and not page.loading, timeout=10_000)
    [line] = page.coverage.lines_of(CheckKind.order_on_old_grid)  # type: ignore[union-attr]
    assert line.code == "GD001"
    opened = page.open_line(line)
    if "orders" in window.page_keys():
        assert window.current_page() is opened and opened.key == "orders"  # type: ignore[union-attr]
        search = getattr(opened, "search_edit", None)
        if search is not None:
            assert search.text() == "GD001"
    else:  # no work-order page in this build: the line is shown in a message
        assert isinstance(opened, QMessageBox) and "GD001" in opened.text()
        opened.close()
    assert background.shutdown(10_000)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def test_other_pages_writes_recount_the_figures(page: GridsPage, qtbot) -> None:  # type: ignore[no-untyped-def]
    before = page._load_generation
    page.ctx.events.changed.emit("grid")  # our own news: already reloaded by the writer
    page.ctx.events.changed.emit("work_order")
    qtbot.waitUntil(lambda: page._load_generation == before + 1, timeout=3000)
    qtbot.waitUntil(lambda: not page.loading)
    page.hide()
    page.ctx.events.changed.emit("staff")
    qtbot.wait(page.CHANGED_DELAY_MS + 100)
    assert page._load_generation == before + 1 and page._stale
    page.show()
    page.activated()
    assert page._load_generation == before + 2 and not page._stale
