"""Start-up: main() up to the event loop, refusal of foreign files, the demo county,
the integrity check after show, the language choice, and lazy imports."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import types
from collections.abc import Callable
from pathlib import Path

import pytest
from test_ui_sample import (
    IGNORE_OFFSCREEN_SIZE_HINTS,
    seed_county,
    workers_stopped,  # noqa: F401 (fixture)
)

from gridsvc_desktop import app as app_module
from gridsvc_desktop.app import DEFAULT_STATION, create_main_window, main
from gridsvc_desktop.db.engine import DB_FILE_NAME, Database
from gridsvc_desktop.db.errors import DatabaseCorrupt
from gridsvc_desktop.db.store import open_existing
from gridsvc_desktop.paths import DataPaths
from gridsvc_desktop.services import station as station_svc
from gridsvc_desktop.services.progress import Progress
from gridsvc_desktop.ui import background, i18n
from gridsvc_desktop.ui.main_window import MainWindow
from gridsvc_desktop.ui.models.customer_table import Mode
from gridsvc_desktop.ui.pages import PAGES
from gridsvc_desktop.ui.pages.customers import CustomersPage
from gridsvc_desktop.ui.qt import QApplication, QCoreApplication
from gridsvc_desktop.ui.startup import start_background_checks

pytestmark = [pytest.mark.usefixtures("workers_stopped"), IGNORE_OFFSCREEN_SIZE_HINTS]
ROOT = Path(__file__).resolve().parents[1]


def visible_main_windows(app: QApplication) -> list[MainWindow]:
    return [w for w in app.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]


def fake_event_loop(
    qtbot, until: Callable[[MainWindow], bool] | None = None, seen: dict[str, object] | None = None
) -> Callable[[QApplication], int]:  # type: ignore[no-untyped-def]
    """Instead of app.exec(): look at the shown window, then close it."""

    def run(app: QApplication) -> int:
        windows = visible_main_windows(app)
        assert len(windows) == 1
        window = windows[0]
        if until is not None:
            qtbot.waitUntil(lambda: until(window), timeout=10_000)
        qtbot.waitUntil(lambda: not background.running_tasks(), timeout=10_000)
        if seen is not None:
            seen["title"] = window.windowTitle()
            seen["nav"] = [window.nav.item(i).text() for i in range(window.nav.count())]
            seen["font"] = QApplication.font().family()
            page = window.page("customers")
            assert isinstance(page, CustomersPage)
            seen["rows"] = page.model.rowCount()
        window.close()
        return 0

    return run


def test_main_opens_a_new_store_and_shows_the_window(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot, qapp: QApplication
) -> None:  # type: ignore[no-untyped-def]
    seen: dict[str, object] = {}
    monkeypatch.setattr(app_module, "run_event_loop", fake_event_loop(qtbot, seen=seen))
    assert main(["--data-dir", str(tmp_path / "data"), "--lang", "zh_CN"]) == 0
    assert seen["title"] == f"{DEFAULT_STATION} — 网格化供电服务"
    assert seen["nav"][:4] == ["来电", "客户", "工单", "工作台"]  # the front desk first
    assert len(seen["nav"]) == len(PAGES)  # type: ignore[arg-type]
    assert seen["font"] == "WenQuanYi Micro Hei"
    db = open_existing(tmp_path / "data" / DB_FILE_NAME)
    try:
        with db.read() as s:
            assert station_svc.get_station(s).name == DEFAULT_STATION  # type: ignore[union-attr]
    finally:
        db.dispose()
    # the translators main() installed are gone again
    assert QCoreApplication.translate("MainWindow", "&File") == "&File"


def test_main_in_english(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot) -> None:  # type: ignore[no-untyped-def]
    seen: dict[str, object] = {}
    monkeypatch.setattr(app_module, "run_event_loop", fake_event_loop(qtbot, seen=seen))
    assert main(["--data-dir", str(tmp_path / "data"), "--lang", "en"]) == 0
    assert seen["title"] == f"{DEFAULT_STATION} — Grid Power Supply Service"
    assert seen["nav"] == [p.title() for p in PAGES]  # no translator: the English titles
    assert "Customers" in seen["nav"]


def test_main_refuses_a_foreign_file_without_touching_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    target = folder / DB_FILE_NAME
    target.write_bytes(b"PK\x03\x04 this is an Excel file, not ours")
    stamp = target.stat().st_mtime_ns
    messages: list[str] = []
    monkeypatch.setattr(app_module, "show_startup_error", messages.append)
    monkeypatch.setattr(app_module, "run_event_loop", lambda app: pytest.fail("no window expected"))
    assert main(["--data-dir", str(folder)]) == 2
    assert len(messages) == 1 and "不是" in messages[0]
    assert target.read_bytes() == b"PK\x03\x04 this is an Excel file, not ours"
    assert target.stat().st_mtime_ns == stamp
    assert sorted(p.name for p in folder.iterdir()) == [DB_FILE_NAME]


def test_main_with_demo_builds_the_county_on_first_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot
) -> None:  # type: ignore[no-untyped-def]
    calls: list[int] = []

    class Summary:
        def describe(self) -> str:
            return "3 个网格"

    def build_county(db: Database, *, customers: int, progress: Progress, seed: int = 1) -> Summary:
        calls.append(customers)
        progress.report(0, 2, "网格与人员")
        seed_county(db, customers=60)
        progress.report(2, 2, "完成")
        return Summary()

    fake = types.ModuleType("gridsvc_desktop.demo")
    fake.build_county = build_county  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "gridsvc_desktop.demo", fake)

    def has_rows(window: MainWindow) -> bool:
        page = window.page("customers")
        return isinstance(page, CustomersPage) and page.model.rowCount() == 60

    seen: dict[str, object] = {}
    monkeypatch.setattr(app_module, "run_event_loop", fake_event_loop(qtbot, has_rows, seen))
    args = ["--data-dir", str(tmp_path / "data"), "--demo", "--demo-customers", "1234"]
    assert main(args) == 0
    assert calls == [1234]
    assert seen["rows"] == 60

    # Second start: the store has customers, nothing is built again.
    assert main(args) == 0
    assert calls == [1234]


def test_damage_found_after_start_is_reported(
    db: Database, data_paths: DataPaths, monkeypatch: pytest.MonkeyPatch, qtbot
) -> None:  # type: ignore[no-untyped-def]
    window = create_main_window(db, data_paths)
    qtbot.addWidget(window)
    window.show()
    reported: list[str] = []
    monkeypatch.setattr(window, "report_database_damage", reported.append)

    def broken() -> None:
        raise DatabaseCorrupt("数据库已损坏：*** in database main ***")

    monkeypatch.setattr(db, "quick_check", broken)
    task = start_background_checks(window, db, None)
    with qtbot.waitSignal(task.finished):
        pass
    assert reported == ["数据库已损坏：*** in database main ***"]


def test_quick_check_runs_off_the_gui_thread(
    db: Database, data_paths: DataPaths, monkeypatch: pytest.MonkeyPatch, qtbot
) -> None:  # type: ignore[no-untyped-def]
    import threading

    threads: list[threading.Thread] = []
    real = db.quick_check

    def check() -> None:
        threads.append(threading.current_thread())
        real()

    monkeypatch.setattr(db, "quick_check", check)
    window = create_main_window(db, data_paths)
    qtbot.addWidget(window)
    task = start_background_checks(window, db, None)
    with qtbot.waitSignal(task.finished):
        pass
    assert threads and threads[0] is not threading.main_thread()


def test_create_main_window_initialises_the_station_once(data_paths: DataPaths, qtbot) -> None:  # type: ignore[no-untyped-def]
    from gridsvc_desktop.db.store import open_store

    db = open_store(data_paths)
    try:
        win = create_main_window(db, data_paths)
        qtbot.addWidget(win)
        assert DEFAULT_STATION in win.windowTitle()
        assert app_module.ensure_station(db, name="别的名字") == DEFAULT_STATION
        page = win.page("customers")
        assert isinstance(page, CustomersPage) and page.model.mode == Mode.BROWSE
    finally:
        db.dispose()


@pytest.mark.parametrize(
    ("requested", "environ", "expected"),
    [
        (None, {}, "zh_CN"),
        (None, {"LANG": "C.UTF-8"}, "zh_CN"),
        (None, {"LANG": "zh_CN.UTF-8"}, "zh_CN"),
        (None, {"LANG": "en_US.UTF-8"}, "en"),
        (None, {"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh_CN"),
        ("en", {"LANG": "zh_CN.UTF-8"}, "en"),
        ("zh_CN", {"LANG": "en_US.UTF-8"}, "zh_CN"),
    ],
)
def test_language_choice(requested: str | None, environ: dict[str, str], expected: str) -> None:
    assert i18n.choose_language(requested, environ) == expected


def test_first_window_does_not_load_what_it_does_not_need(tmp_path: Path) -> None:
    """openpyxl, reportlab, the demo generator… are imported when used, not at start."""
    script = textwrap.dedent(
        f"""
        import json, sys
        from gridsvc_desktop.ui.qt import QApplication
        from gridsvc_desktop.app import create_main_window
        from gridsvc_desktop.db.store import open_store
        from gridsvc_desktop.paths import DataPaths
        app = QApplication([])
        paths = DataPaths(__import__("pathlib").Path({str(tmp_path / "data")!r}))
        db = open_store(paths)
        window = create_main_window(db, paths)
        window.show()
        app.processEvents()
        heavy = ("openpyxl", "reportlab", "xlsxwriter", "python_calamine", "xlwt",
                 "gridsvc_desktop.demo", "gridsvc_desktop.ledgers", "gridsvc_desktop.reports")
        print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in heavy
                                or any(m.startswith(h) for h in heavy))))
        """
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []


def test_demo_build_can_be_cancelled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot
) -> None:  # type: ignore[no-untyped-def]
    import threading
    import time

    from gridsvc_desktop.services.progress import checkpoint
    from gridsvc_desktop.ui.qt import QMessageBox, QProgressDialog, QPushButton, Qt

    stopped = threading.Event()

    def build_county(db: Database, *, customers: int, progress: Progress, seed: int = 1) -> None:
        try:
            for i in range(10_000):
                checkpoint(progress, i, 10_000, "生成客户")
                time.sleep(0.01)
        finally:
            stopped.set()

    fake = types.ModuleType("gridsvc_desktop.demo")
    fake.build_county = build_county  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "gridsvc_desktop.demo", fake)

    def run(app: QApplication) -> int:
        window = visible_main_windows(app)[0]
        qtbot.waitUntil(
            lambda: (
                (d := window.findChild(QProgressDialog, "demo_progress")) is not None
                and d.isVisible()
            ),
            timeout=10_000,
        )
        dialog = window.findChild(QProgressDialog, "demo_progress")
        assert dialog.labelText().endswith("生成客户")
        button = dialog.findChild(QPushButton)
        assert button is not None and button.text() == "取消"
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        assert stopped.wait(5)
        qtbot.waitUntil(lambda: not background.running_tasks())
        assert not [b for b in window.findChildren(QMessageBox) if b.isVisible()]
        window.close()
        return 0

    monkeypatch.setattr(app_module, "run_event_loop", run)
    assert main(["--data-dir", str(tmp_path / "data"), "--demo", "--lang", "zh_CN"]) == 0
