"""The main window: navigation, menus, status bar, pages added by one line."""

from __future__ import annotations

from typing import ClassVar

import pytest
from test_ui_sample import IGNORE_OFFSCREEN_SIZE_HINTS, chinese, seed_county, workers_stopped  # noqa: F401 (fixtures)

from gridsvc_desktop import __version__
from gridsvc_desktop.app import create_main_window
from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.paths import DataPaths
from gridsvc_desktop.ui.context import UiContext
from gridsvc_desktop.ui.main_window import MainWindow
from gridsvc_desktop.ui.pages import PAGES, Page
from gridsvc_desktop.ui.qt import QLabel, QMessageBox, Qt, QWidget

pytestmark = [pytest.mark.usefixtures("workers_stopped", "chinese"), IGNORE_OFFSCREEN_SIZE_HINTS]


@pytest.fixture
def window(db: Database, data_paths: DataPaths, qtbot) -> MainWindow:  # type: ignore[no-untyped-def]
    seed_county(db, customers=50)
    win = create_main_window(db, data_paths)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def nav_titles(win: MainWindow) -> list[str]:
    return [win.nav.item(i).text() for i in range(win.nav.count())]


def test_title_names_the_station(window: MainWindow) -> None:
    assert window.windowTitle() == "测试供电所 — 网格化供电服务"


def test_navigation_shows_only_pages_that_exist(window: MainWindow) -> None:
    assert nav_titles(window) == [p.title() for p in PAGES]
    assert "客户" in nav_titles(window)
    assert window.page_keys() == [p.key for p in PAGES]
    assert isinstance(window.current_page(), PAGES[0])  # the first page opens


def test_menus_are_chinese(window: MainWindow) -> None:
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus == ["文件(&F)", "帮助(&H)"]
    assert window.quit_action.text() == "退出(&X)"
    assert window.about_action.text() == "关于(&A)"


@pytest.mark.sqlite_only(
    "the status bar shows the data folder; on a server it shows the server instead"
)
def test_status_bar_shows_the_data_folder(window: MainWindow, data_paths: DataPaths) -> None:
    assert window.data_label.text() == f"数据文件夹：{data_paths.root}"
    assert not window.warning_label.isVisible()


def test_status_bar_shows_journal_mode_warnings(db: Database, data_paths: DataPaths, qtbot) -> None:  # type: ignore[no-untyped-def]
    db.warnings.append("数据库位于网络共享文件夹。已改用回滚日志模式")
    win = create_main_window(db, data_paths)
    qtbot.addWidget(win)
    win.show()
    assert win.warning_label.isVisible()
    assert "回滚日志模式" in win.warning_label.text()


def test_about_names_version_and_data_folder(
    window: MainWindow, data_paths: DataPaths, qtbot
) -> None:  # type: ignore[no-untyped-def]
    text = window.about_text()
    assert __version__ in text
    assert str(data_paths.root) in text
    assert "测试供电所" in text
    window.about_action.trigger()
    box = window.findChild(QMessageBox, "about_box")
    assert box is not None and box.isVisible()
    assert box.text() == text
    box.close()


def test_database_damage_is_reported_in_a_dialog(window: MainWindow) -> None:
    box = window.report_database_damage("数据库已损坏：page 7")
    assert box.isVisible()
    assert box.text() == "数据库已损坏：page 7"
    assert box.windowTitle() == "数据库已损坏"
    box.close()


def test_quit_closes_the_window(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    window.quit_action.trigger()
    qtbot.waitUntil(lambda: not window.isVisible())


class NotesPage(Page):
    """A stand-in for a later page (来电, 工单…)."""

    key = "notes"
    icon_name = ""
    built: ClassVar[int] = 0

    @classmethod
    def title(cls) -> str:
        return "记事"

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        NotesPage.built += 1
        self.label = QLabel("notes", self)


def test_adding_a_page_is_one_entry_and_it_is_built_when_first_shown(
    db: Database, data_paths: DataPaths, qtbot
) -> None:  # type: ignore[no-untyped-def]
    ctx = UiContext(db=db, paths=data_paths, station_name="测试供电所")
    NotesPage.built = 0
    win = MainWindow(ctx, pages=(*PAGES, NotesPage))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    assert nav_titles(win) == [*(p.title() for p in PAGES), "记事"]
    assert NotesPage.built == 0  # not built until shown
    page = win.show_page("notes")
    assert NotesPage.built == 1 and win.current_page() is page
    with qtbot.waitActive(win):
        win.activateWindow()
    win.nav.setFocus()
    qtbot.keyClick(win.nav, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: isinstance(win.current_page(), PAGES[0]))
    win.nav.setCurrentRow(len(PAGES))
    assert win.current_page() is page and NotesPage.built == 1  # built once
