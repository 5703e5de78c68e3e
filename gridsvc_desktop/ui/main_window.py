"""The main window: navigation on the left, the current page, menus, status bar."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from gridsvc_desktop import __version__
from gridsvc_desktop.logs import log_file
from gridsvc_desktop.paths import ORIGIN_USER
from gridsvc_desktop.services.actor import Actor, Permission, PermissionDenied
from gridsvc_desktop.ui.context import UiContext
from gridsvc_desktop.ui.icons import icon
from gridsvc_desktop.ui.pages import PAGES, Page
from gridsvc_desktop.ui.qt import (
    QAction,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QShortcut,
    QSize,
    QStackedWidget,
    Qt,
    QWidget,
)
from gridsvc_desktop.ui.widgets.customer_card import WARNING_COLOR

PAGE_KEY_ROLE = Qt.ItemDataRole.UserRole + 1
# Windows opened by "switch user" (kept referenced while they are shown).
_OPEN_WINDOWS: list[MainWindow] = []

NAV_STYLE = """
QListWidget#navigation {
    border: none;
    border-right: 1px solid #d5dce5;
    background: #eef2f7;
    outline: 0;
    padding-top: 6px;
}
QListWidget#navigation::item {
    padding: 9px 8px;
    color: #2b3440;
}
QListWidget#navigation::item:selected {
    background: #d6e4f5;
    color: #1f5fa8;
    border-left: 3px solid #1f5fa8;
}
"""


def _page_allowed(page_class: type[Page], actor: Actor) -> bool:
    """A page may name the Permission it needs (`permission` class attribute)."""
    needed = getattr(page_class, "permission", None)
    return needed is None or actor.may(needed)


class MainWindow(QMainWindow):
    def __init__(
        self,
        ctx: UiContext,
        pages: Sequence[type[Page]] = PAGES,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("main_window")
        self.setWindowTitle(
            self.tr("{station} — Grid Power Supply Service").format(station=ctx.station_name)
        )
        self.setWindowIcon(icon("app"))
        self.resize(1280, 800)
        self.setMinimumSize(900, 560)

        self._page_classes: dict[str, type[Page]] = {}
        self._pages: dict[str, Page] = {}

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setIconSize(QSize(22, 22))
        self.nav.setStyleSheet(NAV_STYLE)
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.stack = QStackedWidget()
        self.stack.setObjectName("pages")
        acting = ctx.acting()
        pages = [p for p in pages if _page_allowed(p, acting)]
        for number, page_class in enumerate(pages, start=1):
            self._add_nav_entry(number, page_class)
        self.nav.setFixedWidth(max(120, self.nav.sizeHintForColumn(0) + 24))

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self._build_menus()
        self._build_status_bar()

        self.nav.currentRowChanged.connect(self._on_nav_current_row_changed)
        if self.nav.count():
            self.nav.setCurrentRow(0)

    # ---- pages

    def _add_nav_entry(self, number: int, page_class: type[Page]) -> None:
        item = QListWidgetItem(icon(page_class.icon_name), page_class.title())
        item.setData(PAGE_KEY_ROLE, page_class.key)
        item.setSizeHint(QSize(0, 40))
        self.nav.addItem(item)
        self._page_classes[page_class.key] = page_class
        if number <= 9:
            shortcut = QShortcut(QKeySequence(f"Ctrl+{number}"), self)
            shortcut.activated.connect(lambda row=number - 1: self.nav.setCurrentRow(row))

    def page_keys(self) -> list[str]:
        return list(self._page_classes)

    def page(self, key: str) -> Page:
        """The page `key`, built on first use."""
        page = self._pages.get(key)
        if page is None:
            page = self._page_classes[key](self.ctx)
            self._pages[key] = page
            self.stack.addWidget(page)
        return page

    def show_page(self, key: str) -> Page:
        row = self.page_keys().index(key)
        if self.nav.currentRow() != row:
            self.nav.setCurrentRow(row)  # → _on_nav_current_row_changed
        return self.page(key)

    def current_page(self) -> Page | None:
        widget = self.stack.currentWidget()
        return widget if isinstance(widget, Page) else None

    def reload_pages(self) -> None:
        """Data changed underneath every page (demo county built, import…)."""
        for page in self._pages.values():
            page.reload()

    # ---- menus and status bar

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        acting = self.ctx.acting()
        self.switch_user_action = QAction(self.tr("&Switch user…"), self)
        self.switch_user_action.triggered.connect(self._on_switch_user_action_triggered)
        file_menu.addAction(self.switch_user_action)
        self.users_action = QAction(self.tr("&Users…"), self)
        self.users_action.triggered.connect(self._on_users_action_triggered)
        self.users_action.setVisible(acting.may(Permission.manage_users))
        file_menu.addAction(self.users_action)
        self.backups_action = QAction(self.tr("&Backup and restore…"), self)
        self.backups_action.triggered.connect(self._on_backups_action_triggered)
        self.backups_action.setVisible(
            acting.may(Permission.view_audit) and self.ctx.db.path is not None
        )
        file_menu.addAction(self.backups_action)
        file_menu.addSeparator()
        self.unmask_action = QAction(self.tr("Show full phone and ID numbers"), self)
        self.unmask_action.setCheckable(True)
        self.unmask_action.setChecked(self.ctx.unmask)
        self.unmask_action.setVisible(acting.may(Permission.unmask))
        self.unmask_action.triggered.connect(self._on_unmask_action_triggered)
        file_menu.addAction(self.unmask_action)
        file_menu.addSeparator()
        self.quit_action = QAction(self.tr("E&xit"), self)
        self.quit_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.quit_action.triggered.connect(self._on_quit_action_triggered)
        file_menu.addAction(self.quit_action)

        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        self.about_action = QAction(self.tr("&About"), self)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.about_action.triggered.connect(self._on_about_action_triggered)
        help_menu.addAction(self.about_action)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.data_label = QLabel(self.tr("Data folder: {path}").format(path=self._data_location()))
        self.data_label.setObjectName("data_folder")
        self.data_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        bar.addWidget(self.data_label, 1)
        self.warning_label = QLabel("；".join(self.ctx.db.warnings))
        self.warning_label.setObjectName("database_warnings")
        self.warning_label.setStyleSheet(f"color: {WARNING_COLOR};")
        self.warning_label.setWordWrap(False)
        self.warning_label.setVisible(bool(self.ctx.db.warnings))
        bar.addPermanentWidget(self.warning_label)

    def _data_location(self) -> str:
        if self.ctx.db.path is not None:
            return str(self.ctx.paths.root)
        return self.ctx.db.engine.url.render_as_string(hide_password=True)

    def about_text(self) -> str:
        return "\n".join(
            [
                self.tr("Grid Power Supply Service, version {version}").format(version=__version__),
                self.tr("Station: {station}").format(station=self.ctx.station_name),
                self.tr("Data folder: {path}").format(path=self._data_location()),
                self.tr("Database file: {path}").format(
                    path=self.ctx.db.path or self._data_location()
                ),
                self._data_origin(),
                self.tr("Log file: {path}").format(path=log_file(self.ctx.paths)),
            ]
        )

    def _data_origin(self) -> str:
        """Whether the data lives beside the program (portable) or in the user's folder."""
        if self.ctx.db.path is None:
            return self.tr("The data is on a database server.")
        if self.ctx.paths.portable:
            return self.tr(
                "Portable installation: the data is kept beside the program "
                "(a file named “portable” is in the program folder)."
            )
        if self.ctx.paths.origin == ORIGIN_USER:
            return self.tr(
                "The data is kept in the data folder of the user signed in to this computer."
            )
        return self.tr("The data folder was chosen at start-up (--data-dir or GRIDSVC_DATA_DIR).")

    def report_database_damage(self, message: str) -> QMessageBox:
        """Tell the user the integrity check found damage (does not block)."""
        box = QMessageBox(self)
        box.setObjectName("database_damage")
        box.setIcon(QMessageBox.Icon.Critical)
        box.setWindowTitle(self.tr("Database damaged"))
        box.setText(message)
        box.setInformativeText(
            self.tr(
                "Stop entering data and restore the latest backup, or ask the administrator for help."
            )
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        return box

    # ---- slots

    def _on_nav_current_row_changed(self, row: int) -> None:
        item = self.nav.item(row)
        if item is None:
            return
        page = self.page(str(item.data(PAGE_KEY_ROLE)))
        self.stack.setCurrentWidget(page)
        page.activated()

    def _on_switch_user_action_triggered(self) -> None:
        from gridsvc_desktop.ui.dialogs.login import ask_sign_in

        actor = ask_sign_in(self.ctx.db, self)
        if actor is not None:
            self.switch_to(actor)

    def switch_to(self, actor: Actor) -> MainWindow:
        """A new main window for `actor` (pages rebuilt with its rights); this one closes."""
        return self._replace_with(dataclasses.replace(self.ctx, actor=actor, unmask=False))

    def set_unmask(self, on: bool) -> MainWindow:
        """Show full phone/ID numbers (needs the unmask right; audited) or mask them again.

        The pages are rebuilt, so nothing already shown keeps the other form.
        """
        if on:
            from gridsvc_desktop.services.auth import record_unmask

            with self.ctx.db.write() as s:
                record_unmask(s, self.ctx.acting())
        return self._replace_with(dataclasses.replace(self.ctx, unmask=on))

    def _on_unmask_action_triggered(self, checked: bool) -> None:
        try:
            self.set_unmask(checked)
        except PermissionDenied as exc:
            self.unmask_action.setChecked(False)
            QMessageBox.warning(self, self.tr("Not allowed"), str(exc))

    def _replace_with(self, ctx: UiContext) -> MainWindow:
        successor = MainWindow(ctx)
        successor.setGeometry(self.geometry())
        _OPEN_WINDOWS.append(successor)
        successor.show()
        self.close()
        if self in _OPEN_WINDOWS:
            _OPEN_WINDOWS.remove(self)
        return successor

    def _on_users_action_triggered(self) -> None:
        from gridsvc_desktop.ui.dialogs.users import UsersDialog

        dialog = UsersDialog(self.ctx, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def _on_backups_action_triggered(self) -> None:
        from gridsvc_desktop.ui.dialogs.backups import BackupsDialog

        dialog = BackupsDialog(self.ctx, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def _on_quit_action_triggered(self) -> None:
        self.close()

    def _on_about_action_triggered(self) -> None:
        box = QMessageBox(self)
        box.setObjectName("about_box")
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle(self.tr("About"))
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(self.about_text())
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
