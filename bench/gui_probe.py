"""Child process of bench_foundation.py: start the real program, measure, quit.

Prints "SHOWN" once the main window has been shown and painted (the parent
times process start → that line), then one JSON line with in-process figures.
`--bare` starts a bare PySide6 window the same way, for the floor.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bare() -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication([])
    label = QLabel("hello")
    label.resize(1280, 800)
    label.show()

    def done() -> None:
        print("SHOWN", flush=True)
        print(json.dumps({"peak_rss_mb": peak_rss_mb()}), flush=True)
        app.quit()

    QTimer.singleShot(0, done)
    return app.exec()


def wait_until(app: Any, condition: Any, timeout: float = 10.0) -> float:
    """Spin the event loop until condition() holds; milliseconds it took."""
    t = time.perf_counter()
    while not condition():
        app.processEvents()
        if time.perf_counter() - t > timeout:
            raise TimeoutError("condition not met")
        time.sleep(0.001)
    return (time.perf_counter() - t) * 1000


def real(data_dir: str) -> int:
    import gridsvc_desktop.app as app_module
    from gridsvc_desktop.ui.qt import QApplication, QModelIndex, QTimer

    figures: dict[str, float] = {}

    def measure() -> None:
        print("SHOWN", flush=True)
        app = QApplication.instance()
        window = next(w for w in app.topLevelWidgets() if w.objectName() == "main_window")
        page = window.page("customers")
        t = time.perf_counter()
        page.model.browse()
        page.model.fetchMore(QModelIndex())
        figures["first_rows_browse_ms"] = (time.perf_counter() - t) * 1000 + wait_until(
            app, lambda: page.model.rowCount() > 0
        )
        t = time.perf_counter()
        page.search_edit.setText("王秀")  # as typed: the debounce timer runs, then a worker
        wait_until(app, lambda: page.model.mode.name == "SEARCH" and page.model.rowCount() > 0)
        figures["first_rows_search_ms"] = (time.perf_counter() - t) * 1000
        first = page.model.index(0, 0)
        row = page.model.row_at(first.row())
        assert row is not None
        customer_id = row.id
        t = time.perf_counter()
        page.open_customer(customer_id)
        wait_until(app, lambda: page.card.customer_id == customer_id)
        figures["card_ms"] = (time.perf_counter() - t) * 1000
        # scroll a few thousand rows in browse mode, as a user paging through would
        page.search_edit.setText("")
        page._browse()
        for _ in range(20):
            page.model.fetchMore(QModelIndex())
        figures["rows_after_scroll"] = page.model.rowCount()
        figures["peak_rss_mb"] = peak_rss_mb()
        print(json.dumps(figures), flush=True)
        window.close()
        app.quit()

    def run_event_loop(app: Any) -> int:
        QTimer.singleShot(0, measure)
        return int(app.exec())

    def admin_signs_in(db: Any) -> Any:
        # The sign-in dialog waits for a person; the bench signs in as the built-in admin.
        from gridsvc_desktop.services.station import actor_for

        with db.read() as session:
            return actor_for(session, "admin")

    app_module.run_event_loop = run_event_loop
    app_module.sign_in = admin_signs_in
    return app_module.main(["--data-dir", data_dir])


if __name__ == "__main__":
    if "--bare" in sys.argv:
        sys.exit(bare())
    sys.exit(real(sys.argv[sys.argv.index("--data-dir") + 1]))
