"""Running plain functions off the GUI thread, with results delivered by signal.

The shape follows anki's CollectionOp: the work is an ordinary function that
knows nothing of Qt; the UI hands it to `run_in_background` with callbacks for
success, failure and progress, and those run on the GUI thread.

    run_in_background(
        self,
        lambda progress: search(db, query),
        on_success=self._on_search_done,
    )

Rules the runner keeps:
- the work function receives a `services.progress.Progress` (report + is_cancelled)
  and must not touch widgets; it opens its own session from the Database
  (the engine is thread-safe, sessions are not);
- callbacks run on the GUI thread, and not at all once the owning widget has
  been destroyed or the task has been cancelled;
- progress is throttled, so a loop that reports every row cannot flood the
  GUI's event queue.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from gridsvc_desktop.db.errors import StoreError
from gridsvc_desktop.services.actor import PermissionDenied
from gridsvc_desktop.services.common import InvalidInput, NotFound
from gridsvc_desktop.services.progress import Cancelled, Progress
from gridsvc_desktop.ui.qt import (
    QCoreApplication,
    QMessageBox,
    QObject,
    QRunnable,
    Qt,
    QThread,
    QThreadPool,
    QWidget,
    Signal,
    is_valid,
)

log = logging.getLogger(__name__)

T = TypeVar("T")

#: At least this many worker threads: a long integrity check or demo build must
#: not hold up a search typed meanwhile (SQLite WAL readers run side by side).
MIN_WORKER_THREADS = 4
PROGRESS_INTERVAL_S = 0.05

#: Errors whose message is written for the user; anything else is our bug.
USER_ERRORS: tuple[type[BaseException], ...] = (
    StoreError,
    InvalidInput,
    PermissionDenied,
    NotFound,
)


class Task(QObject):
    """One piece of background work, as the GUI thread sees it.

    Lives in the GUI thread as a child of the application object (so it outlives
    the widget that started it and is always safe to emit on), and deletes
    itself once its callbacks have run.
    """

    #: (done, total, message), on the GUI thread, throttled.
    progressed = Signal(int, int, str)
    #: After the success or failure callback (also when cancelled).
    finished = Signal()

    # Emitted from the worker thread; queued to the slots below.
    _worker_result = Signal(object)
    _worker_error = Signal(object)
    _worker_progress = Signal(int, int, str)

    def __init__(
        self,
        owner: QObject | None,
        on_success: Callable[[Any], None] | None,
        on_failure: Callable[[BaseException], None] | None,
        on_progress: Callable[[int, int, str], None] | None,
    ) -> None:
        app = QCoreApplication.instance()
        if app is None:
            raise RuntimeError("run_in_background needs a QApplication")
        super().__init__(app)
        self._owner = owner
        self._on_success = on_success
        self._on_failure = on_failure
        self._on_progress = on_progress
        self._cancel_flag = threading.Event()
        self._done = False
        self._worker_result.connect(self._on_worker_result)
        self._worker_error.connect(self._on_worker_error)
        self._worker_progress.connect(self._on_worker_progress)
        if owner is not None:
            owner.destroyed.connect(self.cancel)

    # ---- any thread

    def cancel(self) -> None:
        """Ask the work to stop; callbacks will not be called any more."""
        self._cancel_flag.set()

    def is_cancelled(self) -> bool:
        return self._cancel_flag.is_set()

    # ---- GUI thread

    @property
    def done(self) -> bool:
        return self._done

    def _owner_alive(self) -> bool:
        return self._owner is None or is_valid(self._owner)

    def _on_worker_progress(self, done: int, total: int, message: str) -> None:
        if self.is_cancelled() or not self._owner_alive():
            return
        if self._on_progress is not None:
            self._on_progress(done, total, message)
        self.progressed.emit(done, total, message)

    def _on_worker_result(self, result: object) -> None:
        try:
            if not self.is_cancelled() and self._owner_alive() and self._on_success is not None:
                self._on_success(result)
        finally:
            self._finish()

    def _on_worker_error(self, error: BaseException) -> None:
        try:
            if self.is_cancelled() or not self._owner_alive():
                return
            if self._on_failure is not None:
                self._on_failure(error)
            elif not isinstance(error, Cancelled):
                report_error(self._owner, error)
        finally:
            self._finish()

    def _finish(self) -> None:
        self._done = True
        self._owner = None
        # Drop the callbacks now, in a plain Python call: a lambda over a page may
        # hold that page's last reference, and releasing it later, while Qt deletes
        # this object, destroys the page in the middle of the deletion (a crash).
        self._on_success = self._on_failure = self._on_progress = None
        self.finished.emit()
        self.deleteLater()


class TaskProgress:
    """The `Progress` a work function receives: reports become (throttled) signals."""

    def __init__(self, task: Task, interval_s: float = PROGRESS_INTERVAL_S) -> None:
        self._task = task
        self._interval = interval_s
        self._last = 0.0

    def report(self, done: int, total: int, message: str = "") -> None:
        now = time.monotonic()
        if done >= total or now - self._last >= self._interval:
            self._last = now
            self._task._worker_progress.emit(int(done), int(total), message)

    def is_cancelled(self) -> bool:
        return self._task.is_cancelled()


class _Runnable(QRunnable):
    def __init__(self, fn: Callable[[Progress], object], task: Task) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._fn: Callable[[Progress], object] | None = fn
        self._task: Task | None = task

    def run(self) -> None:
        task, fn = self._task, self._fn
        self._task = self._fn = None
        assert task is not None and fn is not None
        try:
            if task.is_cancelled():
                raise Cancelled("已取消")
            result = fn(TaskProgress(task))
        except BaseException as exc:
            log.debug("background work failed", exc_info=True)
            task._worker_error.emit(exc)
        else:
            task._worker_result.emit(result)


def worker_pool() -> QThreadPool:
    """Qt's global pool, widened to MIN_WORKER_THREADS."""
    pool = QThreadPool.globalInstance()
    if pool.maxThreadCount() < MIN_WORKER_THREADS:
        pool.setMaxThreadCount(MIN_WORKER_THREADS)
    return pool


def run_in_background(
    parent: QObject | None,
    fn: Callable[[Progress], T],
    *,
    on_success: Callable[[T], None] | None = None,
    on_failure: Callable[[BaseException], None] | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    pool: QThreadPool | None = None,
) -> Task:
    """Run `fn(progress)` on a worker thread; call back on the GUI thread.

    `parent` owns the callbacks: once it is destroyed they are skipped (and the
    task is cancelled). Without `on_failure`, errors are logged and shown in a
    message box over `parent`; a `Cancelled` error is silent.
    """
    app = QCoreApplication.instance()
    if app is None or QThread.currentThread() != app.thread():
        raise RuntimeError("run_in_background must be called from the GUI thread")
    task = Task(parent, on_success, on_failure, progress)
    (pool or worker_pool()).start(_Runnable(fn, task))
    return task


def running_tasks() -> list[Task]:
    app = QCoreApplication.instance()
    if app is None:
        return []
    return [t for t in app.findChildren(Task) if not t.done]


def shutdown(timeout_ms: int = 10_000, pool: QThreadPool | None = None) -> bool:
    """Cancel every running task and wait for the workers; True if all stopped."""
    for task in running_tasks():
        task.cancel()
    return (pool or QThreadPool.globalInstance()).waitForDone(timeout_ms)


def error_text(error: BaseException) -> str:
    """What to tell the user about `error`."""
    if isinstance(error, USER_ERRORS):
        return str(error)
    return QCoreApplication.translate(
        "background", "An unexpected error occurred: {error}\n\nDetails are in the log file."
    ).format(error=f"{type(error).__name__}: {error}")


def report_error(owner: QObject | None, error: BaseException) -> None:
    """Log `error` and show it (non-modally) over `owner` if it is a live widget."""
    if isinstance(error, USER_ERRORS):
        log.warning("%s", error)
    else:
        log.error("background work failed", exc_info=error)
    show_message(owner, error_text(error))


def show_message(owner: QObject | None, text: str, title: str = "") -> QMessageBox | None:
    """A non-blocking warning box over `owner` (if it is a live widget)."""
    if not isinstance(owner, QWidget) or not is_valid(owner):
        return None
    box = QMessageBox(owner)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title or QCoreApplication.translate("background", "Error"))
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(text)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box
