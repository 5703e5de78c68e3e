"""Where the program keeps its data: platformdirs, or a portable folder.

Order: an explicit `--data-dir`; the GRIDSVC_DATA_DIR environment variable; a
`portable` marker file beside the executable (data then lives in `data/` next to
it); else the user's data folder.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from platformdirs import user_data_path

from gridsvc_desktop import APP_NAME
from gridsvc_desktop.db.engine import DB_FILE_NAME

#: How the data folder was chosen (DataPaths.origin).
ORIGIN_OPTION = "option"  # --data-dir
ORIGIN_ENVIRONMENT = "environment"  # GRIDSVC_DATA_DIR
ORIGIN_PORTABLE = "portable"  # a `portable` file beside the program
ORIGIN_USER = "user"  # the user's data folder (platformdirs)
PORTABLE_MARKER = "portable"


@dataclass(frozen=True)
class DataPaths:
    root: Path
    origin: str = field(default=ORIGIN_USER, compare=False)

    @property
    def portable(self) -> bool:
        """Data kept beside the program (USB stick, shared folder), by its `portable` file."""
        return self.origin == ORIGIN_PORTABLE

    @property
    def database(self) -> Path:
        return self.root / DB_FILE_NAME

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def logs(self) -> Path:
        return self.root / "logs"


def program_dir() -> Path:
    """Folder of the executable (bundle) or of the source checkout."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent
    return Path(__file__).resolve().parent.parent


def resolve_data_dir(explicit: str | os.PathLike[str] | None = None) -> DataPaths:
    if explicit:
        return DataPaths(Path(explicit).expanduser().resolve(), ORIGIN_OPTION)
    env = os.environ.get("GRIDSVC_DATA_DIR")
    if env:
        return DataPaths(Path(env).expanduser().resolve(), ORIGIN_ENVIRONMENT)
    if (program_dir() / PORTABLE_MARKER).exists():
        return DataPaths(program_dir() / "data", ORIGIN_PORTABLE)
    return DataPaths(user_data_path(APP_NAME, appauthor=False), ORIGIN_USER)


def resources_dir() -> Path:
    """resources/ in the source tree, or inside a PyInstaller bundle."""
    base = getattr(sys, "_MEIPASS", None)
    if base:
        return Path(base) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"
