"""`gridsvc-desktop`: start-up of the desktop program.

Order: QApplication → bundled font → translations → open (and migrate) the
store → station row on first start → main window shown → integrity check and
optional demo county on worker threads. Nothing that the first window does not
need is imported or run before it is shown (no row counts, no quick_check, no
openpyxl/reportlab/demo imports): the target is a window in under 2 s at
500,000 customers.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from gridsvc_desktop import __version__
from gridsvc_desktop.db import encryption
from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.db.errors import DatabaseCorrupt, NotADatabase, StoreError
from gridsvc_desktop.db.store import local_key, open_store
from gridsvc_desktop.logs import log_file, remove_file_logging, setup_file_logging
from gridsvc_desktop.paths import DataPaths, resolve_data_dir
from gridsvc_desktop.services import audit
from gridsvc_desktop.services import station as station_svc
from gridsvc_desktop.services.actor import SYSTEM, Actor
from gridsvc_desktop.ui import background, fonts, i18n
from gridsvc_desktop.ui.context import UiContext
from gridsvc_desktop.ui.crash import CrashReporter
from gridsvc_desktop.ui.drafts import DraftKeeper, drafts_path
from gridsvc_desktop.ui.icons import icon
from gridsvc_desktop.ui.main_window import MainWindow
from gridsvc_desktop.ui.qt import QApplication, QCoreApplication, QMessageBox
from gridsvc_desktop.ui.startup import start_background_checks

log = logging.getLogger(__name__)

DEFAULT_STATION = "清河县城关供电所"
DEFAULT_DEMO_CUSTOMERS = 5000


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gridsvc-desktop", description="网格化供电服务（桌面程序）"
    )
    parser.add_argument("--version", action="version", version=f"gridsvc-desktop {__version__}")
    parser.add_argument("--data-dir", help="数据文件夹（默认：用户数据目录）")
    parser.add_argument(
        "--database-url",
        metavar="URL",
        help="用县公司服务器的数据库（postgresql://用户名:密码@服务器:端口/数据库名）"
        "代替数据文件夹里的数据库文件；默认：数据文件夹 settings.toml 中的地址",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="数据库中还没有客户时，首次启动生成演示县数据",
    )
    parser.add_argument(
        "--demo-customers",
        type=int,
        default=DEFAULT_DEMO_CUSTOMERS,
        metavar="N",
        help=f"演示县的客户数（默认 {DEFAULT_DEMO_CUSTOMERS}）",
    )
    parser.add_argument(
        "--lang",
        choices=i18n.LANGUAGES,
        help="界面语言：zh_CN（默认）或 en",
    )
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="自检：在临时文件夹里建库、迁移、导入示例台账、生成中文 PDF、打开并关闭主窗口，"
        "全部正常时退出码为 0（不动用户数据）",
    )
    return parser


def ensure_station(db: Database, name: str = DEFAULT_STATION) -> str:
    """The station's name; the station (and its policy tables) created on first start.

    Reads first, so a normal start does not take the write lock.
    """
    with db.read() as session:
        station = station_svc.get_station(session)
        if station is not None:
            return station.name
    with db.write() as session:
        return station_svc.initialize(session, name=name).name


def create_main_window(
    db: Database, paths: DataPaths, *, unmask: bool = False, actor: Actor | None = None
) -> MainWindow:
    """The main window over an open store, not yet shown (tests build it this way).

    `actor` is the signed-in user; without one (tests, self-test) the built-in admin acts.
    Phones and ID numbers start masked for everyone; a role with the unmask right
    reveals them from the View menu (audited).
    """
    ctx = UiContext(db=db, paths=paths, station_name=ensure_station(db), unmask=unmask, actor=actor)
    return MainWindow(ctx)


def sign_in(db: Database) -> Actor | None:
    """The sign-in dialog (first start: the admin's password); None when cancelled."""
    from gridsvc_desktop.ui.dialogs.login import ask_sign_in

    return ask_sign_in(db)


def ask_restore_backup(message: str, backup: Path) -> bool:
    """The database cannot be opened: offer the newest good backup (blocking)."""
    box = QMessageBox(
        QMessageBox.Icon.Critical,
        QCoreApplication.translate("app", "Cannot open the database"),
        message,
    )
    box.setInformativeText(
        QCoreApplication.translate(
            "app",
            "Restore the newest good backup ({file})? The damaged file is kept beside it, "
            "renamed, and is never overwritten.",
        ).format(file=backup.name)
    )
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    box.setDefaultButton(QMessageBox.StandardButton.No)
    return box.exec() == QMessageBox.StandardButton.Yes


def ask_passphrase(message: str) -> str | None:
    """The database is encrypted: ask for its password (blocking); None when cancelled."""
    from gridsvc_desktop.ui.dialogs.passphrase import ask_passphrase as ask

    return ask(message)


def _key_opens_a_backup(paths: DataPaths, passphrase: str | None) -> bool:
    from gridsvc_desktop.services import backups

    try:
        key = encryption.resolve_key(paths.root, passphrase)
    except StoreError:
        return False
    return key is not None and backups.newest_good_backup(paths.backups, key) is not None


def open_or_offer_backup(paths: DataPaths, database_url: str | None) -> Database | None:
    """Open the store; if the file is damaged, offer the newest good backup.

    Returns None (after telling the user) when it stays closed.
    """
    from gridsvc_desktop.services import backups

    passphrase: str | None = None
    try:
        while True:
            try:
                return open_store(paths, database_url=database_url, passphrase=passphrase)
            except (encryption.KeyRequired, encryption.WrongKey) as exc:
                log.warning("%s", exc)
                if isinstance(exc, encryption.WrongKey) and _key_opens_a_backup(paths, passphrase):
                    # SQLCipher cannot tell a wrong key from a damaged file; a backup can.
                    raise DatabaseCorrupt(
                        f"数据库“{paths.database}”打不开，但这个密码能打开它的备份：数据库文件可能已损坏。"
                    ) from exc
                passphrase = ask_passphrase(str(exc))
                if passphrase is None:
                    return None
    except (NotADatabase, DatabaseCorrupt) as exc:
        log.error("%s", exc)
        try:  # the key the backups are read with (None for a plain file)
            key = None if database_url else local_key(paths, passphrase)
        except StoreError as exc2:  # no key: no backup can be checked either
            log.error("%s", exc2)
            show_startup_error(f"{exc}\n\n{exc2}")
            return None
        good = None if database_url else backups.newest_good_backup(paths.backups, key)
        if good is None or not ask_restore_backup(str(exc), good.path):
            show_startup_error(str(exc))
            return None
        try:
            result = backups.restore(paths.database, good.path, paths.backups, key)
            db = open_store(paths, database_url=database_url, passphrase=passphrase)
        except StoreError as exc2:
            log.error("%s", exc2)
            show_startup_error(str(exc2))
            return None
        with db.write() as s:
            audit.record(
                s, SYSTEM, "restore", "database", "",
                after={"file": good.path.name, "damaged_kept_as": str(result.moved_aside or "")},
            )  # fmt: skip
        return db
    except StoreError as exc:
        log.error("%s", exc)
        show_startup_error(str(exc))
        return None


def backup_on_exit(db: Database) -> None:
    """The exit backup (and the retention rule); a failure is logged, never raised."""
    from gridsvc_desktop.services import backups

    if db.path is None:
        return
    try:
        backups.take_backup(db, "exit")
    except StoreError as exc:
        log.warning("exit backup failed: %s", exc)


def show_startup_error(message: str) -> None:
    """A blocking message box for a failure before the main window exists."""
    box = QMessageBox(
        QMessageBox.Icon.Critical,
        QCoreApplication.translate("app", "Cannot open the database"),
        message,
    )
    box.exec()


def run_self_test() -> int:
    """`--self-test`: the checks of gridsvc_desktop.selftest plus the main window's."""
    from gridsvc_desktop import selftest
    from gridsvc_desktop.ui.selftest_window import window_checks

    return selftest.run(window_checks(create_main_window))


def show_draft_notes(window: MainWindow, keeper: DraftKeeper) -> None:
    """Tell the user (status bar) which forms were refilled from the last run's drafts."""
    notes = keeper.take_notes()
    if notes:
        window.statusBar().showMessage("  ".join(notes), 60_000)
    keeper.note.connect(lambda text: window.statusBar().showMessage(text, 60_000))


def start_daily_backup(window: MainWindow, db: Database) -> None:
    """The day's first backup, on a worker after the window is up (SQLite files only)."""
    if db.path is None:
        return
    from gridsvc_desktop.services import backups

    def on_failure(error: BaseException) -> None:
        log.warning("daily backup failed: %s", error)
        window.statusBar().showMessage(background.error_text(error), 60_000)

    background.run_in_background(
        window, lambda _p: backups.daily_backup_if_due(db), on_failure=on_failure
    )


def run_event_loop(app: QApplication) -> int:
    return app.exec()


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    raw = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args, qt_args = parser.parse_known_args(raw)
    if args.demo and not 1000 <= args.demo_customers <= 500_000:
        parser.error("--demo-customers 应在 1000 至 500000 之间")
    if args.self_test:
        return run_self_test()

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0], *qt_args])
    app.setApplicationName("gridsvc-desktop")
    app.setApplicationVersion(__version__)
    app.setWindowIcon(icon("app"))
    fonts.install_bundled_font(app)
    translators = i18n.install_translators(app, i18n.choose_language(args.lang, os.environ))
    try:
        paths = resolve_data_dir(args.data_dir)
        opened = open_or_offer_backup(paths, args.database_url)
        if opened is None:
            return 2
        db = opened
        file_log = setup_file_logging(paths)
        keeper = DraftKeeper.install(drafts_path(paths.root))
        reporter = CrashReporter.install(log_file(paths) if file_log else None, keeper)
        code = 1
        try:
            try:
                ensure_station(db)
                actor = sign_in(db)
                if actor is None:
                    code = 0
                    return code
                window = create_main_window(db, paths, actor=actor)
            except StoreError as exc:
                log.error("%s", exc)
                show_startup_error(str(exc))
                return 2
            window.show()
            start_daily_backup(window, db)
            show_draft_notes(window, keeper)
            start_background_checks(window, db, args.demo_customers if args.demo else None)
            code = run_event_loop(app)
            background.shutdown()
            backup_on_exit(db)
            return code
        except Exception:
            log.critical("the program stopped on an unexpected error", exc_info=True)
            keeper.save_now()
            raise
        finally:
            background.shutdown()
            keeper.uninstall(clean=code == 0)
            reporter.uninstall()
            db.dispose()
            remove_file_logging(file_log)
    finally:
        i18n.remove_translators(app, translators)


if __name__ == "__main__":
    sys.exit(main())
