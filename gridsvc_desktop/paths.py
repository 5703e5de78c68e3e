"""Where the program keeps its data: platformdirs, or a portable folder.

Order: an explicit `--data-dir`; the GRIDSVC_DATA_DIR environment variable; a
`portable` marker file beside the executable (data then lives in `data/` next to
it); else the user's data folder.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_path

from gridsvc_desktop import APP_NAME
from gridsvc_desktop.db.engine import DB_FILE_NAME


@dataclass(frozen=True)
class DataPaths:
    root: Path

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
        return DataPaths(Path(explicit).expanduser().resolve())
    env = os.environ.get("GRIDSVC_DATA_DIR")
    if env:
        return DataPaths(Path(env).expanduser().resolve())
    if (program_dir() / "portable").exists():
        return DataPaths(program_dir() / "data")
    return DataPaths(user_data_path(APP_NAME, appauthor=False))


def resources_dir() -> Path:
    """resources/ in the source tree, or inside a PyInstaller bundle."""
    base = getattr(sys, "_MEIPASS", None)
    if base:
        return Path(base) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"
