"""The background-work runner: threads, callbacks, progress, cancellation."""

from __future__ import annotations

import threading
import time

import pytest
from test_ui_sample import (
    IGNORE_OFFSCREEN_SIZE_HINTS,
    workers_stopped,  # noqa: F401 (fixture)
)

from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.services.common import InvalidInput
from gridsvc_desktop.services.customers import count_customers
from gridsvc_desktop.services.progress import Cancelled, Progress, checkpoint
from gridsvc_desktop.ui import background
from gridsvc_desktop.ui.background import run_in_background
from gridsvc_desktop.ui.qt import QApplication, QMessageBox, QThread, QThreadPool, QWidget

pytestmark = [pytest.mark.usefixtures("workers_stopped"), IGNORE_OFFSCREEN_SIZE_HINTS]


@pytest.fixture
def owner(qtbot) -> QWidget:  # type: ignore[no-untyped-def]
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def test_result_arrives_on_the_gui_thread(owner: QWidget, qtbot, qapp: QApplication) -> None:  # type: ignore[no-untyped-def]
    seen: dict[str, object] = {}

    def work(progress: Progress) -> int:
        seen["worker_thread"] = threading.current_thread()
        return 42

    def done(value: int) -> None:
        seen["value"] = value
        seen["on_gui_thread"] = QThread.currentThread() == qapp.thread()

    task = run_in_background(owner, work, on_success=done)
    with qtbot.waitSignal(task.finished):
        pass
    assert seen["value"] == 42
    assert seen["on_gui_thread"] is True
    assert seen["worker_thread"] is not threading.main_thread()


def test_each_worker_uses_its_own_session(owner: QWidget, db: Database, qtbot) -> None:  # type: ignore[no-untyped-def]
    results: list[int] = []

    def work(_progress: Progress) -> int:
        with db.read() as session:
            return count_customers(session)

    tasks = [run_in_background(owner, work, on_success=results.append) for _ in range(6)]
    qtbot.waitUntil(lambda: all(t.done for t in tasks))
    assert results == [0] * 6


def test_errors_go_to_on_failure(owner: QWidget, qtbot) -> None:  # type: ignore[no-untyped-def]
    errors: list[BaseException] = []

    def work(_progress: Progress) -> None:
        raise InvalidInput("户名不能为空。")

    task = run_in_background(
        owner, work, on_success=lambda _: pytest.fail("no"), on_failure=errors.append
    )
    with qtbot.waitSignal(task.finished):
        pass
    assert [str(e) for e in errors] == ["户名不能为空。"]


def test_unhandled_error_is_logged_and_shown(
    owner: QWidget, qtbot, caplog: pytest.LogCaptureFixture
) -> None:  # type: ignore[no-untyped-def]
    def work(_progress: Progress) -> None:
        raise ZeroDivisionError("boom")

    owner.show()
    task = run_in_background(owner, work)
    with qtbot.waitSignal(task.finished):
        pass
    assert "background work failed" in caplog.text
    boxes = [w for w in owner.findChildren(QMessageBox) if w.isVisible()]
    assert len(boxes) == 1
    assert "ZeroDivisionError: boom" in boxes[0].text()
    boxes[0].close()


def test_progress_is_delivered_and_throttled(owner: QWidget, qtbot) -> None:  # type: ignore[no-untyped-def]
    reports: list[tuple[int, int, str]] = []

    def work(progress: Progress) -> str:
        for i in range(1, 10_001):
            progress.report(i, 10_000, "导入")
        return "ok"

    task = run_in_background(
        owner, work, progress=lambda d, t, m: reports.append((d, t, m)), on_success=lambda _: None
    )
    with qtbot.waitSignal(task.finished):
        pass
    assert reports, "no progress arrived"
    assert len(reports) < 1000  # throttled, not one signal a row
    assert reports[-1] == (10_000, 10_000, "导入")


def test_cancel_stops_the_work_and_skips_callbacks(owner: QWidget, qtbot) -> None:  # type: ignore[no-untyped-def]
    started = threading.Event()
    outcome: list[str] = []

    def work(progress: Progress) -> None:
        started.set()
        for i in range(1000):
            checkpoint(progress, i, 1000)
            time.sleep(0.005)
        outcome.append("ran to the end")

    task = run_in_background(
        owner,
        work,
        on_success=lambda _: outcome.append("success"),
        on_failure=lambda e: outcome.append("failure"),
    )
    assert started.wait(5)
    with qtbot.waitSignal(task.finished, timeout=5000):
        task.cancel()
    assert task.is_cancelled()
    assert outcome == []


def test_progress_object_reports_cancellation(owner: QWidget, qtbot) -> None:  # type: ignore[no-untyped-def]
    started, gate = threading.Event(), threading.Event()
    seen: list[bool] = []

    def work(progress: Progress) -> None:
        seen.append(progress.is_cancelled())
        started.set()
        gate.wait(5)
        seen.append(progress.is_cancelled())
        raise Cancelled("已取消")

    task = run_in_background(owner, work)
    assert started.wait(5)
    task.cancel()
    gate.set()
    qtbot.waitUntil(lambda: task.done)
    assert seen == [False, True]


def test_work_cancelled_before_it_starts_never_runs(owner: QWidget, qtbot) -> None:  # type: ignore[no-untyped-def]
    pool = QThreadPool()
    pool.setMaxThreadCount(1)
    gate = threading.Event()
    ran: list[str] = []
    blocker = run_in_background(owner, lambda _p: gate.wait(5), pool=pool)
    queued = run_in_background(owner, lambda _p: ran.append("ran"), pool=pool)
    queued.cancel()
    gate.set()
    qtbot.waitUntil(lambda: blocker.done and queued.done)
    assert ran == []
    pool.waitForDone()


def test_callbacks_are_skipped_once_the_owner_is_gone(qtbot) -> None:  # type: ignore[no-untyped-def]
    gate = threading.Event()
    called: list[object] = []
    owner = QWidget()

    task = run_in_background(owner, lambda _p: gate.wait(5), on_success=called.append)
    owner.deleteLater()
    qtbot.waitUntil(task.is_cancelled)  # destroyed → cancelled
    gate.set()
    qtbot.waitUntil(lambda: task.done or not background.running_tasks())
    qtbot.wait(20)
    assert called == []


def test_must_be_started_from_the_gui_thread(owner: QWidget) -> None:
    errors: list[BaseException] = []

    def start() -> None:
        try:
            run_in_background(None, lambda _p: None)
        except RuntimeError as exc:
            errors.append(exc)

    thread = threading.Thread(target=start)
    thread.start()
    thread.join()
    assert len(errors) == 1


def test_shutdown_cancels_and_waits(owner: QWidget) -> None:
    def work(progress: Progress) -> None:
        while not progress.is_cancelled():
            time.sleep(0.01)

    task = run_in_background(owner, work)
    assert task in background.running_tasks()
    assert background.shutdown(5000)
    assert task.is_cancelled()
