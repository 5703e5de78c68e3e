"""The program's log file: <data folder>/logs/gridsvc-desktop.log, size-capped and rotated.

A GUI program has no console a station clerk could read, so everything worth
knowing after the fact goes to a file in the data folder (portable installs
keep it beside the program with the data). The file is rotated at
`MAX_BYTES` with `BACKUP_COUNT` older files kept (gridsvc-desktop.log.1 …), so
a program that runs for months cannot fill the disk: at most 6 MB in all.

    handler = setup_file_logging(paths)     # at start-up, once the data folder is known
    …
    remove_file_logging(handler)            # at exit (tests start the program many times)

No Qt here: the crash dialog (ui/crash.py) only asks `log_file(paths)` where
the file is.
"""

from __future__ import annotations

import logging
import platform
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path

from gridsvc_desktop import __version__
from gridsvc_desktop.paths import DataPaths

log = logging.getLogger(__name__)

LOG_FILE_NAME = "gridsvc-desktop.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 5
FORMAT = "%(asctime)s %(levelname)s [%(threadName)s] %(name)s: %(message)s"


def log_file(paths: DataPaths) -> Path:
    """Where the current log file is (or would be)."""
    return paths.logs / LOG_FILE_NAME


class LogFile(RotatingFileHandler):
    """The program's file handler; remembers the root level it changed."""

    previous_root_level: int = logging.WARNING


def setup_file_logging(
    paths: DataPaths,
    *,
    level: int = logging.INFO,
    max_bytes: int = MAX_BYTES,
    backup_count: int = BACKUP_COUNT,
) -> LogFile | None:
    """Add a rotating file handler to the root logger; None if the folder is not writable.

    The root logger's level is lowered to `level` if it is higher (basicConfig's
    WARNING would otherwise drop the INFO lines meant for the file); a plain
    console handler without a level of its own is given the old root level, so
    the console stays as quiet as it was. `remove_file_logging` undoes both.
    """
    target = log_file(paths)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handler = LogFile(target, maxBytes=max_bytes, backupCount=backup_count, encoding="utf-8")
    except OSError as exc:
        log.warning("cannot write the log file %s: %s", target, exc)
        return None
    handler.setLevel(level)
    handler.setFormatter(logging.Formatter(FORMAT))
    root = logging.getLogger()
    handler.previous_root_level = root.level
    if root.level > level or root.level == logging.NOTSET:
        for other in root.handlers:
            if type(other) is logging.StreamHandler and other.level == logging.NOTSET:
                other.setLevel(root.level)
        root.setLevel(level)
    root.addHandler(handler)
    log.info(
        "gridsvc-desktop %s started (%s, Python %s, %s); data folder %s",
        __version__,
        "bundle" if getattr(sys, "frozen", False) else "source",
        platform.python_version(),
        platform.platform(terse=True),
        paths.root,
    )
    return handler


def remove_file_logging(handler: LogFile | None) -> None:
    """Take the handler off the root logger, close the file, restore the root level."""
    if handler is None:
        return
    root = logging.getLogger()
    root.removeHandler(handler)
    handler.close()
    if not any(isinstance(h, LogFile) for h in root.handlers):
        root.setLevel(handler.previous_root_level)
