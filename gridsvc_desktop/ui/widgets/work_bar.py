"""A progress bar with Cancel for one piece of work at a time, run on a worker.

    bar = WorkBar()
    bar.run(self.tr("Importing…"), lambda p: apply_import(db, actor, plan, progress=p),
            on_success=..., on_failure=...)

Cancel sets a flag of the bar's own that the services check at their
checkpoints (they then raise `Cancelled` and roll back), instead of cancelling
the background task: the task still reports back, so a Cancel that arrives
after the work committed shows the work as done rather than claiming nothing
happened. `Cancelled` goes to `on_cancelled`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from gridsvc_desktop.services.progress import Cancelled, Progress
from gridsvc_desktop.ui import background
from gridsvc_desktop.ui.qt import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    Qt,
    QWidget,
    Signal,
)


class StoppableProgress:
    """The worker's Progress, plus a Cancel flag of the bar's own."""

    def __init__(self, inner: Progress, stop: threading.Event) -> None:
        self._inner = inner
        self._stop = stop

    def report(self, done: int, total: int, message: str = "") -> None:
        self._inner.report(done, total, message)

    def is_cancelled(self) -> bool:
        return self._stop.is_set() or self._inner.is_cancelled()


class WorkBar(QWidget):
    """Hidden while idle; while working: what is being done, the progress, Cancel."""

    #: True when work starts, False once its callback has run.
    busy_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel()
        self.label.setObjectName("work_label")
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.progress_bar = QProgressBar()
        self.progress_bar.setObjectName("work_progress")
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setObjectName("cancel_work")
        self.cancel_button.clicked.connect(self._on_cancel_button_clicked)
        layout.addWidget(self.label)
        layout.addWidget(self.progress_bar, 1)
        layout.addWidget(self.cancel_button)
        self._stop: threading.Event | None = None
        self.setVisible(False)

    @property
    def busy(self) -> bool:
        return self._stop is not None

    def run(
        self,
        what: str,
        fn: Callable[[Progress], Any],
        *,
        on_success: Callable[[Any], None],
        on_failure: Callable[[BaseException], None],
        on_cancelled: Callable[[], None],
    ) -> None:
        """Run `fn(progress)` on a worker; exactly one of the callbacks follows."""
        if self._stop is not None:
            raise RuntimeError("WorkBar runs one piece of work at a time")
        stop = threading.Event()
        self._stop = stop
        self.label.setText(what)
        self.progress_bar.setRange(0, 0)  # busy until the first report
        self.cancel_button.setEnabled(True)
        self.setVisible(True)
        self.busy_changed.emit(True)

        def succeeded(result: Any) -> None:
            self._idle()
            on_success(result)

        def failed(error: BaseException) -> None:
            self._idle()
            if isinstance(error, Cancelled):
                on_cancelled()
            else:
                on_failure(error)

        background.run_in_background(
            self,
            lambda progress: fn(StoppableProgress(progress, stop)),
            on_success=succeeded,
            on_failure=failed,
            progress=self._on_work_progress,
        )

    def _idle(self) -> None:
        self._stop = None
        self.setVisible(False)
        self.busy_changed.emit(False)

    def _on_work_progress(self, done: int, total: int, message: str) -> None:
        if total > 0:
            self.progress_bar.setRange(0, total)
            self.progress_bar.setValue(min(done, total))
        if message:
            self.label.setText(message)

    def _on_cancel_button_clicked(self) -> None:
        self.cancel()

    def cancel(self) -> None:
        """Ask the running work to stop at its next checkpoint."""
        if self._stop is not None:
            self._stop.set()
            self.cancel_button.setEnabled(False)
            self.label.setText(self.tr("Cancelling…"))
