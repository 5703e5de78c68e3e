"""Unexpected errors: a plain-words dialog, the log, and nothing typed is lost.

Tests that raise inside a slot turn pytest-qt's exception capture off: the
crash reporter is what handles those exceptions here.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from test_ui_sample import IGNORE_OFFSCREEN_SIZE_HINTS, workers_stopped  # noqa: F401

from gridsvc_desktop import app as app_module
from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.logs import LOG_FILE_NAME
from gridsvc_desktop.paths import DataPaths
from gridsvc_desktop.ui import background, crash
from gridsvc_desktop.ui.crash import (
    DIALOG_NAME,
    EXIT_AFTER_CRASH,
    CrashReporter,
    plain_words,
)
from gridsvc_desktop.ui.drafts import (
    DRAFTS_FILE_NAME,
    DraftKeeper,
    drafts_path,
    form_fields,
    keep_draft,
)
from gridsvc_desktop.ui.main_window import MainWindow
from gridsvc_desktop.ui.pages.customers import CustomersPage
from gridsvc_desktop.ui.qt import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDateTime,
    QDateTimeEdit,
    QDialog,
    QDoubleSpinBox,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTimer,
    QVBoxLayout,
    QWidget,
)

pytestmark = [IGNORE_OFFSCREEN_SIZE_HINTS, pytest.mark.usefixtures("workers_stopped")]


def crash_dialog() -> QMessageBox | None:
    for widget in QApplication.topLevelWidgets():
        if (
            isinstance(widget, QMessageBox)
            and widget.objectName() == DIALOG_NAME
            and widget.isVisible()
        ):
            return widget
    return None


def click(dialog: QMessageBox, name: str) -> None:
    button = dialog.findChild(QPushButton, name)
    assert button is not None
    button.click()


def boom() -> None:
    raise RuntimeError("模拟的程序错误")


def stored(path: Path) -> dict[str, dict[str, object]]:
    return json.loads(path.read_text(encoding="utf-8"))["forms"]


@pytest.fixture
def keeper(tmp_path: Path, qapp: QApplication) -> Iterator[DraftKeeper]:
    keeper = DraftKeeper.install(tmp_path / DRAFTS_FILE_NAME)
    yield keeper
    if DraftKeeper.instance() is keeper:
        keeper.uninstall(clean=False)


@pytest.fixture
def reporter(tmp_path: Path, keeper: DraftKeeper) -> Iterator[CrashReporter]:
    reporter = CrashReporter.install(tmp_path / "logs" / LOG_FILE_NAME, keeper)
    yield reporter
    reporter.uninstall()


class OrderDialog(QDialog):
    """A stand-in for a work-order dialog: every kind of field the keeper knows."""

    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle("新建工单")
        self.phone = QLineEdit(objectName="phone")
        self.summary = QPlainTextEdit(objectName="summary")
        self.kind = QComboBox(objectName="kind")
        self.kind.addItems(["故障报修", "咨询", "投诉"])
        self.minutes = QSpinBox(objectName="minutes")
        self.minutes.setRange(0, 1000)
        self.fee = QDoubleSpinBox(objectName="fee")
        self.urgent = QCheckBox("紧急", objectName="urgent")
        self.due = QDateTimeEdit(objectName="due")
        self.due.setDateTime(QDateTime.fromString("2025-01-02T08:00:00", "yyyy-MM-ddTHH:mm:ss"))
        self.note = QLineEdit()  # no objectName: found by its class and order
        self.password = QLineEdit(objectName="password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        layout = QVBoxLayout(self)
        for w in (
            self.phone,
            self.summary,
            self.kind,
            self.minutes,
            self.fee,
            self.urgent,
            self.due,
            self.note,
            self.password,
        ):
            layout.addWidget(w)

    def fill(self) -> None:
        self.phone.setText("13812345678")
        self.summary.setPlainText("东关社区 3 号楼停电\n楼长已报")
        self.kind.setCurrentText("投诉")
        self.minutes.setValue(45)
        self.fee.setValue(12.5)
        self.urgent.setChecked(True)
        self.due.setDateTime(self.due.dateTime().addDays(3))
        self.note.setText("回访")
        self.password.setText("secret")


def test_the_fields_of_a_form(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = OrderDialog()
    qtbot.addWidget(dialog)
    fields = form_fields(dialog)
    assert set(fields) == {
        "phone",
        "summary",
        "kind",
        "minutes",
        "fee",
        "urgent",
        "due",
        "QLineEdit#1",
    }
    assert "password" not in fields  # never written to disk
    single = QLineEdit(objectName="search")
    qtbot.addWidget(single)
    assert list(form_fields(single)) == ["search"]


def test_a_form_comes_back_after_the_program_stopped(
    tmp_path: Path, keeper: DraftKeeper, qtbot
) -> None:  # type: ignore[no-untyped-def]
    dialog = OrderDialog()
    qtbot.addWidget(dialog)
    assert keep_draft(dialog, "work_order/new") is False
    assert not (tmp_path / DRAFTS_FILE_NAME).exists()  # nothing typed, nothing saved
    dialog.fill()
    qtbot.waitUntil(lambda: (tmp_path / DRAFTS_FILE_NAME).exists(), timeout=5000)
    saved = stored(tmp_path / DRAFTS_FILE_NAME)["work_order/new"]
    assert saved["title"] == "新建工单"
    assert "secret" not in (tmp_path / DRAFTS_FILE_NAME).read_text(encoding="utf-8")

    # the program dies here (no clean exit); the next start finds the draft
    keeper.save_now(freeze=True)
    keeper.uninstall(clean=False)
    again = DraftKeeper.install(tmp_path / DRAFTS_FILE_NAME)
    try:
        fresh = OrderDialog()
        qtbot.addWidget(fresh)
        assert keep_draft(fresh, "work_order/new") is True
        assert fresh.phone.text() == "13812345678"
        assert fresh.summary.toPlainText() == "东关社区 3 号楼停电\n楼长已报"
        assert fresh.kind.currentText() == "投诉"
        assert (fresh.minutes.value(), fresh.fee.value()) == (45, 12.5)
        assert fresh.urgent.isChecked()
        assert fresh.due.dateTime() == dialog.due.dateTime()
        assert fresh.note.text() == "回访"
        assert fresh.password.text() == ""
        notes = again.take_notes()
        assert len(notes) == 1 and "新建工单" in notes[0]
        # the dialog is submitted: the draft is done with
        fresh.accept()
        qtbot.waitUntil(lambda: not (tmp_path / DRAFTS_FILE_NAME).exists(), timeout=5000)
    finally:
        again.uninstall()


def test_a_clean_exit_drops_open_drafts_but_keeps_others(
    tmp_path: Path, keeper: DraftKeeper, qtbot
) -> None:  # type: ignore[no-untyped-def]
    keeper.uninstall(clean=False)
    path = tmp_path / DRAFTS_FILE_NAME
    path.write_text(
        json.dumps(
            {
                "version": 1,
                "forms": {
                    "old/form": {
                        "title": "旧表单",
                        "saved_at": "2099-01-01T00:00:00",
                        "fields": {},
                    },
                    "ancient/form": {"saved_at": "2000-01-01T00:00:00", "fields": {"a": "b"}},
                },
            }
        ),
        encoding="utf-8",
    )
    second = DraftKeeper.install(path)
    assert second.stored_keys() == ["old/form"]  # a month-old draft is dropped
    edit = QLineEdit(objectName="search")
    qtbot.addWidget(edit)
    keep_draft(edit, "customers/search")
    edit.setText("张三")
    second.save_now()
    assert set(stored(path)) == {"old/form", "customers/search"}
    second.uninstall(clean=True)
    assert set(stored(path)) == {"old/form"}


def test_a_second_form_under_the_same_key_takes_over(
    tmp_path: Path, keeper: DraftKeeper, qtbot
) -> None:  # type: ignore[no-untyped-def]
    first, second = OrderDialog(), OrderDialog()
    qtbot.addWidget(first)
    qtbot.addWidget(second)
    keep_draft(first, "work_order/new")
    keep_draft(second, "work_order/new")
    first.reject()  # the older dialog ends: the newer one's draft is not touched
    assert keeper.keys() == ["work_order/new"]
    second.phone.setText("13900000000")
    keeper.save_now()
    assert stored(tmp_path / DRAFTS_FILE_NAME)["work_order/new"]["fields"] == {
        "phone": "13900000000"
    }


def test_an_unreadable_drafts_file_is_ignored(tmp_path: Path, qapp: QApplication) -> None:
    path = tmp_path / DRAFTS_FILE_NAME
    path.write_text("{not json", encoding="utf-8")
    keeper = DraftKeeper.install(path)
    try:
        assert keeper.stored_keys() == []
    finally:
        keeper.uninstall(clean=False)


@pytest.mark.qt_no_exception_capture
def test_an_error_in_a_slot_shows_the_dialog_and_keeps_the_input(
    db: Database, data_paths: DataPaths, tmp_path: Path, reporter: CrashReporter, qtbot
) -> None:  # type: ignore[no-untyped-def]
    window = app_module.create_main_window(db, data_paths)
    qtbot.addWidget(window)
    window.show()
    page = customers_page(window)
    qtbot.keyClicks(page.search_edit, "0369")
    page.search_edit.insert("东关")
    button = QPushButton("出错的按钮", window)
    button.clicked.connect(boom)
    button.click()  # the slot raises; PySide6 hands the exception to sys.excepthook

    qtbot.waitUntil(lambda: crash_dialog() is not None, timeout=5000)
    dialog = crash_dialog()
    assert dialog is not None
    assert dialog.text() == "The program ran into a problem it did not expect."
    info = dialog.informativeText()
    assert "kept" in info and str(tmp_path / "logs" / LOG_FILE_NAME) in info
    assert "RuntimeError: 模拟的程序错误" in dialog.detailedText()
    # written at once, not a second later
    saved = stored(tmp_path / DRAFTS_FILE_NAME)
    assert saved["customers/search"]["fields"] == {"customer_search": "0369东关"}
    assert reporter.keeper is not None and reporter.keeper.frozen

    click(dialog, "crash_carry_on")
    qtbot.waitUntil(lambda: crash_dialog() is None, timeout=5000)
    assert not reporter.keeper.frozen
    assert [str(e) for e in reporter.errors] == ["模拟的程序错误"]


@pytest.mark.qt_no_exception_capture
def test_one_dialog_however_many_errors(
    reporter: CrashReporter, caplog: pytest.LogCaptureFixture, qtbot
) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.CRITICAL, logger="gridsvc_desktop.ui.crash")
    QTimer.singleShot(0, boom)
    QTimer.singleShot(0, boom)
    qtbot.waitUntil(lambda: len(reporter.errors) == 2, timeout=5000)
    dialogs = [
        w for w in QApplication.topLevelWidgets() if w.objectName() == DIALOG_NAME and w.isVisible()
    ]
    assert len(dialogs) == 1
    assert sum("unexpected error" in r.getMessage() for r in caplog.records) == 2
    click(dialogs[0], "crash_carry_on")


@pytest.mark.qt_no_exception_capture
def test_an_error_in_a_thread_is_shown_on_the_gui_thread(reporter: CrashReporter, qtbot) -> None:  # type: ignore[no-untyped-def]
    thread = threading.Thread(target=boom, name="导出线程")
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: crash_dialog() is not None, timeout=5000)
    dialog = crash_dialog()
    assert dialog is not None and "模拟的程序错误" in dialog.detailedText()
    click(dialog, "crash_carry_on")


def test_the_hooks_are_put_back(tmp_path: Path, keeper: DraftKeeper) -> None:
    import sys

    before, before_thread = sys.excepthook, threading.excepthook
    reporter = CrashReporter.install(None, keeper)
    assert sys.excepthook == reporter.excepthook
    assert threading.excepthook == reporter.thread_excepthook
    reporter.uninstall()
    assert sys.excepthook is before and threading.excepthook is before_thread


@pytest.mark.parametrize(
    ("error", "words"),
    [
        (MemoryError(), "ran out of memory"),
        (OSError(28, "No space left on device"), "disk is full"),
        (PermissionError(13, "denied"), "not allowed"),
        (FileNotFoundError(2, "missing"), "file or folder"),
        (ValueError("x"), "did not expect"),
    ],
)
def test_plain_words(error: BaseException, words: str) -> None:
    assert words in plain_words(error)


def window_for(app: QApplication, root: Path) -> MainWindow:
    """The main window main() showed over the data folder `root`."""
    windows = [
        w
        for w in app.topLevelWidgets()
        if isinstance(w, MainWindow) and w.isVisible() and w.ctx.paths.root == root
    ]
    assert len(windows) == 1
    return windows[0]


def customers_page(window: MainWindow) -> CustomersPage:
    page = window.show_page("customers")
    assert isinstance(page, CustomersPage)
    return page


def fake_loop(
    qtbot, root: Path, body: Callable[[MainWindow], int] | None = None
) -> Callable[[QApplication], int]:  # type: ignore[no-untyped-def]
    """Instead of app.exec(): run `body` on the shown window, then close it."""

    def run(app: QApplication) -> int:
        window = window_for(app, root)
        code = body(window) if body is not None else 0
        qtbot.waitUntil(lambda: not background.running_tasks(), timeout=10_000)
        window.close()
        return code

    return run


@pytest.mark.qt_no_exception_capture
def test_closing_after_a_crash_keeps_the_input_for_the_next_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot
) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "data"
    args = ["--data-dir", str(data), "--lang", "en"]
    exits: list[int] = []
    # the real app.exit() would also stop every later event loop of this test session
    monkeypatch.setattr(crash, "exit_application", exits.append)

    def crash_and_close(window: MainWindow) -> int:
        page = customers_page(window)
        qtbot.keyClicks(page.search_edit, "13812")
        QTimer.singleShot(0, boom)
        qtbot.waitUntil(lambda: crash_dialog() is not None, timeout=5000)
        dialog = crash_dialog()
        assert dialog is not None
        click(dialog, "crash_close")
        assert exits == [EXIT_AFTER_CRASH]
        assert not window.isVisible()
        return EXIT_AFTER_CRASH  # what app.exec() returns after app.exit()

    monkeypatch.setattr(app_module, "run_event_loop", fake_loop(qtbot, data, crash_and_close))
    assert app_module.main(args) == EXIT_AFTER_CRASH
    assert "13812" in (drafts_path(data)).read_text(encoding="utf-8")
    log_text = (data / "logs" / LOG_FILE_NAME).read_text(encoding="utf-8")
    assert "RuntimeError: 模拟的程序错误" in log_text

    seen: dict[str, str] = {}

    def look(window: MainWindow) -> int:
        page = customers_page(window)
        seen["search"] = page.search_edit.text()
        seen["status"] = window.statusBar().currentMessage()
        return 0

    monkeypatch.setattr(app_module, "run_event_loop", fake_loop(qtbot, data, look))
    assert app_module.main(args) == 0
    assert seen["search"] == "13812"
    assert "Customer search" in seen["status"] and "Restored" in seen["status"]
    assert not drafts_path(data).exists()  # a clean exit ends the draft


def test_registering_without_a_keeper_is_harmless(qapp: QApplication) -> None:
    assert DraftKeeper.instance() is None
    assert keep_draft(QWidget(), "nothing") is False
