"""The self-test's Qt half: start the main window over the self-test's database, then close it.

`gridsvc_desktop.selftest` runs the checks that need no Qt; app.py adds the
ones below. They prove what only a running Qt can: the platform plugin loads
(offscreen when there is no display), the bundled font is registered and in
use, the Chinese translation and Qt's own are loaded, SVG icons render (the
image-format and icon-engine plugins are in the bundle), and the main window
comes up and lists the customers the ledger check imported.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.paths import DataPaths
from gridsvc_desktop.selftest import Check, CheckFailed, SelfTest
from gridsvc_desktop.ui import background, fonts, i18n
from gridsvc_desktop.ui.icons import icon
from gridsvc_desktop.ui.qt import (
    QApplication,
    QCoreApplication,
    QEventLoop,
    QFontInfo,
    QGuiApplication,
    QMainWindow,
    QTimer,
)

WindowFactory = Callable[[Database, DataPaths], QMainWindow]
WAIT_S = 30.0


def wait_until(condition: Callable[[], bool], timeout_s: float = WAIT_S) -> bool:
    """Run the event loop until `condition()` holds or the time is up."""
    deadline = time.monotonic() + timeout_s
    loop = QEventLoop()
    timer = QTimer()
    timer.setInterval(20)

    def poll() -> None:
        if condition() or time.monotonic() > deadline:
            loop.quit()

    timer.timeout.connect(poll)
    timer.start()
    if not condition():
        loop.exec()
    timer.stop()
    return condition()


def application() -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(["gridsvc-desktop", "--self-test"])
    app.setApplicationName("gridsvc-desktop")
    return app


def check_qt(_st: SelfTest) -> str:
    """Platform plugin, bundled font, translations and SVG icons."""
    app = application()
    platform = QGuiApplication.platformName()
    family = fonts.install_bundled_font(app)
    if family != fonts.BUNDLED_FAMILY:
        raise CheckFailed(f"内置字体未能载入（得到 {family!r}）")
    translators = i18n.install_translators(app, i18n.CHINESE)
    try:
        ours = QCoreApplication.translate("MainWindow", "&File")
        if ours == "&File":
            raise CheckFailed(f"中文界面翻译未能载入：{i18n.qm_path()}")
        if len(translators) < 2:
            raise CheckFailed("Qt 自带的中文翻译（qtbase_zh_CN.qm）未能载入")
    finally:
        i18n.remove_translators(app, translators)
    pixmap = icon("app").pixmap(32, 32)
    if pixmap.isNull():
        raise CheckFailed("SVG 图标无法显示（缺少 Qt 的 svg 插件）")
    return f"平台插件 {platform}，字体 {family}，中文翻译与 Qt 翻译已载入，SVG 图标可显示"


def main_window_check(create_window: WindowFactory) -> Check:
    """The check that starts the main window with `create_window` (app.create_main_window)."""

    def check_main_window(st: SelfTest) -> str:
        if st.db is None:
            raise CheckFailed("数据库检查未通过，无法打开主窗口")
        app = application()
        translators = i18n.install_translators(app, i18n.CHINESE)
        window = create_window(st.db, st.paths)
        try:
            window.show()
            if not wait_until(window.isVisible, 10):
                raise CheckFailed("主窗口没有显示出来")
            model = _customer_model(window)
            expected = min(st.customers, 200) if st.customers else 0
            if (
                model is not None
                and expected
                and not wait_until(lambda: model.rowCount() >= expected)
            ):
                raise CheckFailed(f"客户页只显示了 {model.rowCount()} 户（应至少 {expected} 户）")
            shown = model.rowCount() if model is not None else 0
            used = QFontInfo(window.font()).family()
            if used != fonts.BUNDLED_FAMILY:
                raise CheckFailed(f"主窗口没有使用内置字体（用的是 {used}）")
            if window.grab().isNull():
                raise CheckFailed("主窗口无法绘制")
            title = window.windowTitle()
        finally:
            window.close()
            background.shutdown()
            window.deleteLater()
            i18n.remove_translators(app, translators)
        return f"“{title}”已显示，客户页列出 {shown} 户，已关闭"

    return check_main_window


def _customer_model(window: QMainWindow) -> Any:
    page_getter = getattr(window, "page", None)
    if page_getter is None:
        return None
    try:
        page = page_getter("customers")
    except KeyError:
        return None
    return getattr(page, "model", None)


def window_checks(create_window: WindowFactory) -> list[tuple[str, Check]]:
    return [("Qt 运行环境", check_qt), ("主窗口", main_window_check(create_window))]
