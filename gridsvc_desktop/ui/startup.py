"""Work that follows the first window: the integrity check and the demo county.

Both run on worker threads after the window is shown, so start-up time does not
grow with the database (quick_check reads every page of the file).
"""

from __future__ import annotations

import importlib
import logging

from sqlmodel import col, select

from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.db.errors import DatabaseCorrupt
from gridsvc_desktop.db.models import Customer
from gridsvc_desktop.services.progress import Cancelled, Progress
from gridsvc_desktop.ui.background import Task, report_error, run_in_background, show_message
from gridsvc_desktop.ui.main_window import MainWindow
from gridsvc_desktop.ui.qt import QCoreApplication, QProgressDialog, Qt

log = logging.getLogger(__name__)


def has_customers(db: Database) -> bool:
    """Whether the store holds any customer (no count: that scans the table)."""
    with db.read() as session:
        return session.execute(select(col(Customer.id)).limit(1)).first() is not None


def build_demo_if_empty(db: Database, customers: int, progress: Progress) -> object | None:
    """Build the demo county unless the store already has customers.

    Returns build_county's summary, or None when nothing was built. The demo
    generator is imported here, not at start-up.
    """
    if has_customers(db):
        return None
    demo = importlib.import_module("gridsvc_desktop.demo")
    return demo.build_county(db, customers=customers, progress=progress)


def start_background_checks(window: MainWindow, db: Database, demo_customers: int | None) -> Task:
    """quick_check, then (with `demo_customers`) the demo county if the store is empty."""

    def on_failure(error: BaseException) -> None:
        if isinstance(error, DatabaseCorrupt):
            window.report_database_damage(str(error))
        else:
            report_error(window, error)

    task = run_in_background(window, lambda _progress: db.quick_check(), on_failure=on_failure)
    if demo_customers is not None:
        task.finished.connect(lambda: start_demo_build(window, db, demo_customers))
    return task


def start_demo_build(window: MainWindow, db: Database, customers: int) -> Task:
    """Build the demo county on a worker, with a progress dialog over `window`."""
    title = QCoreApplication.translate(
        "startup", "Building the demo county ({count} customers)…"
    ).format(count=customers)
    dialog = QProgressDialog(title, QCoreApplication.translate("startup", "Cancel"), 0, 100, window)
    dialog.setObjectName("demo_progress")
    dialog.setWindowTitle(QCoreApplication.translate("startup", "Demo data"))
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setMinimumDuration(500)
    dialog.setMinimumWidth(420)

    def on_progress(done: int, total: int, message: str) -> None:
        dialog.setMaximum(max(total, 1))
        dialog.setValue(min(done, max(total, 1)))
        if message:
            dialog.setLabelText(f"{title}\n{message}")

    def on_success(summary: object | None) -> None:
        if summary is None:
            return  # the store already had customers
        describe = getattr(summary, "describe", None)
        text = describe() if callable(describe) else str(summary)
        log.info("demo county built:\n%s", text)
        text = text.splitlines()[0] if text else ""
        window.statusBar().showMessage(
            QCoreApplication.translate("startup", "Demo county built: {summary}").format(
                summary=text
            ),
            15_000,
        )

    def on_failure(error: BaseException) -> None:
        if isinstance(error, Cancelled):
            return
        if isinstance(error, ImportError):
            log.warning("demo generator unavailable: %s", error)
            window.statusBar().showMessage(
                QCoreApplication.translate(
                    "startup", "The demo data generator is not part of this build."
                ),
                15_000,
            )
            return
        if isinstance(error, ValueError):  # the generator refuses a store that has data
            show_message(window, str(error), dialog.windowTitle())
            return
        report_error(window, error)

    def on_finished() -> None:
        dialog.close()
        dialog.deleteLater()
        window.reload_pages()

    task = run_in_background(
        window,
        lambda progress: build_demo_if_empty(db, customers, progress),
        on_success=on_success,
        on_failure=on_failure,
        progress=on_progress,
    )
    dialog.canceled.connect(task.cancel)
    task.finished.connect(on_finished)
    return task
