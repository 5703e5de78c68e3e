"""Unexpected errors: log them, keep what the user was typing, say so in plain words.

`CrashReporter.install(log_path, keeper)` replaces `sys.excepthook` (which
PySide6 also calls for an exception raised inside a slot or a virtual method)
and `threading.excepthook` (Python threads; `ui.background` workers report
through their own failure callbacks). For every unexpected exception it

1. writes the traceback to the log file (`gridsvc_desktop.logs`);
2. asks the draft keeper (`ui.drafts`) to save every open form at once;
3. shows a dialog that says, in plain Chinese, what happened, that the input
   is kept for the next start, and where the log file is — with the
   traceback under “Show Details…” — offering to carry on or to close.

Exceptions from other threads are carried to the GUI thread by a queued
signal, since only that thread may touch widgets. While the dialog is open,
further errors are logged but do not stack more dialogs. The previous hook is
still called (it prints the traceback on a console, and under pytest-qt it
records the error, so a test that trips over a bug still fails).
"""

from __future__ import annotations

import errno
import logging
import sqlite3
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType
from typing import Any

from gridsvc_desktop.ui.drafts import DraftKeeper
from gridsvc_desktop.ui.qt import (
    QApplication,
    QCoreApplication,
    QMessageBox,
    QObject,
    QPushButton,
    Qt,
    QThread,
    QWidget,
    Signal,
    is_valid,
)

log = logging.getLogger(__name__)

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]
REPORTER_NAME = "crash_reporter"
DIALOG_NAME = "crash_dialog"
#: Exit code when the user closes the program from the crash dialog.
EXIT_AFTER_CRASH = 3


def plain_words(error: BaseException) -> str:
    """What went wrong, for a station clerk (no exception names)."""
    if isinstance(error, MemoryError):
        return QCoreApplication.translate("CrashReporter", "The computer ran out of memory.")
    if isinstance(error, OSError) and error.errno == errno.ENOSPC:
        return QCoreApplication.translate("CrashReporter", "The disk is full.")
    if isinstance(error, PermissionError):
        return QCoreApplication.translate(
            "CrashReporter", "The program was not allowed to read or write a file."
        )
    if isinstance(error, sqlite3.Error) or type(error).__name__ == "OperationalError":
        return QCoreApplication.translate(
            "CrashReporter", "The database could not be read or written."
        )
    if isinstance(error, OSError):
        return QCoreApplication.translate(
            "CrashReporter", "A file or folder could not be read or written."
        )
    return QCoreApplication.translate(
        "CrashReporter", "The program ran into a problem it did not expect."
    )


class CrashReporter(QObject):
    """The exception hooks and the dialog; one per application."""

    #: (type, value, traceback) from a non-GUI thread, queued to the GUI thread.
    _error_from_thread = Signal(object)
    #: Emitted after an error was handled (tests, and the self-test, listen).
    reported = Signal(object)

    def __init__(
        self,
        log_path: Path | None,
        keeper: DraftKeeper | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(REPORTER_NAME)
        self.log_path = log_path
        self.keeper = keeper
        self.dialog: QMessageBox | None = None
        self.errors: list[BaseException] = []
        self._previous_hook: Any = None
        self._previous_thread_hook: Any = None
        self._installed = False
        self._handling = False
        self._error_from_thread.connect(self._on_error_from_thread)

    # ---- installation

    @classmethod
    def install(cls, log_path: Path | None, keeper: DraftKeeper | None = None) -> CrashReporter:
        app = QCoreApplication.instance()
        if app is None:
            raise RuntimeError("CrashReporter.install needs a QApplication")
        reporter = cls(log_path, keeper, app)
        reporter._previous_hook = sys.excepthook
        reporter._previous_thread_hook = threading.excepthook
        sys.excepthook = reporter.excepthook
        threading.excepthook = reporter.thread_excepthook
        reporter._installed = True
        return reporter

    def uninstall(self) -> None:
        """Put the previous hooks back (only if ours are still the ones installed)."""
        if not self._installed:
            return
        if sys.excepthook == self.excepthook:
            sys.excepthook = self._previous_hook
        if threading.excepthook == self.thread_excepthook:
            threading.excepthook = self._previous_thread_hook
        self._installed = False
        if self.dialog is not None and is_valid(self.dialog):
            self.dialog.close()
        self.dialog = None
        self.setParent(None)
        self.deleteLater()

    # ---- hooks (any thread)

    def excepthook(
        self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            self._call_previous(exc_type, exc, tb)
            return
        app = QCoreApplication.instance()
        if app is not None and QThread.currentThread() != app.thread():
            self._log((exc_type, exc, tb), threading.current_thread().name)
            self._error_from_thread.emit((exc_type, exc, tb))
            return
        self.handle((exc_type, exc, tb))

    def thread_excepthook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit or args.exc_value is None:
            return
        info: ExcInfo = (args.exc_type, args.exc_value, args.exc_traceback)
        thread = args.thread.name if args.thread is not None else "?"
        self._log(info, thread)
        if QCoreApplication.instance() is not None:
            self._error_from_thread.emit(info)

    # ---- GUI thread

    def handle(self, info: ExcInfo, *, logged: bool = False, wait: bool = False) -> None:
        """Log, keep the drafts, tell the user. `wait` blocks until the dialog is closed."""
        exc_type, exc, tb = info
        if not logged:
            self._log(info, threading.current_thread().name)
        self.errors.append(exc)
        drafts_saved = False
        if self.keeper is not None and is_valid(self.keeper):
            try:
                drafts_saved = self.keeper.save_now(freeze=True) is not None
            except Exception:  # never let the crash handler crash
                log.exception("saving drafts after an error failed")
        self._call_previous(exc_type, exc, tb)
        if self._handling or not isinstance(QCoreApplication.instance(), QApplication):
            self.reported.emit(exc)
            return
        self._handling = True
        try:
            self.dialog = self.make_dialog(exc, info, drafts_saved)
            if wait:
                self.dialog.exec()
            else:
                self.dialog.open()
        except Exception:
            log.exception("could not show the error dialog")
            self._handling = False
        self.reported.emit(exc)

    def make_dialog(self, error: BaseException, info: ExcInfo, drafts_saved: bool) -> QMessageBox:
        parent = QApplication.activeWindow()
        if parent is not None and parent.objectName() == DIALOG_NAME:
            parent = None
        box = QMessageBox(parent)
        box.setObjectName(DIALOG_NAME)
        box.setIcon(QMessageBox.Icon.Critical)
        box.setWindowTitle(self.tr("The program ran into an error"))
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(plain_words(error))
        lines = []
        if drafts_saved:
            lines.append(
                self.tr(
                    "What you were typing has been kept and will be filled in again "
                    "the next time the program starts."
                )
            )
        if self.log_path is not None:
            lines.append(
                self.tr(
                    "The details were written to the log file:\n{path}\n"
                    "Please give this file to your administrator."
                ).format(path=self.log_path)
            )
        else:
            lines.append(self.tr("The details could not be written to a log file."))
        lines.append(
            self.tr(
                "You can carry on working. If the program behaves strangely, close it "
                "and start it again."
            )
        )
        box.setInformativeText("\n\n".join(lines))
        box.setDetailedText("".join(traceback.format_exception(*info)))
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        carry_on = box.addButton(self.tr("Carry on"), QMessageBox.ButtonRole.AcceptRole)
        carry_on.setObjectName("crash_carry_on")
        close = box.addButton(self.tr("Close the program"), QMessageBox.ButtonRole.RejectRole)
        close.setObjectName("crash_close")
        box.setDefaultButton(carry_on)
        box.setEscapeButton(carry_on)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.buttonClicked.connect(self._on_dialog_button_clicked)
        box.finished.connect(self._on_dialog_finished)
        return box

    # ---- helpers

    def _log(self, info: ExcInfo, thread: str) -> None:
        log.critical("unexpected error in thread %s", thread, exc_info=info)

    def _call_previous(
        self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        previous = self._previous_hook
        if previous is None or previous is self.excepthook:
            return
        if previous is sys.__excepthook__ and sys.stderr is None:
            return  # a windowed program has no console to print to
        try:
            previous(exc_type, exc, tb)
        except Exception:
            log.debug("the previous excepthook failed", exc_info=True)

    # ---- slots

    def _on_error_from_thread(self, info: ExcInfo) -> None:
        self.handle(info, logged=True)

    def _on_dialog_button_clicked(self, button: QPushButton) -> None:
        if button.objectName() == "crash_close":
            log.info("the user closed the program after an error")
            for window in QApplication.topLevelWidgets():
                if isinstance(window, QWidget) and window.objectName() != DIALOG_NAME:
                    window.hide()
            exit_application(EXIT_AFTER_CRASH)
        elif self.keeper is not None and is_valid(self.keeper):
            self.keeper.resume()

    def _on_dialog_finished(self, _result: int) -> None:
        self._handling = False
        self.dialog = None


def exit_application(code: int) -> None:
    """Leave the event loop: main() then closes the store and returns `code`."""
    app = QCoreApplication.instance()
    if app is not None:
        app.exit(code)


def install(log_path: Path | None, keeper: DraftKeeper | None = None) -> CrashReporter:
    """Install the crash reporter for the running QApplication."""
    return CrashReporter.install(log_path, keeper)
