"""What every page is given: the store, the folders, the station, the user's rights."""

from __future__ import annotations

from dataclasses import dataclass

from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.paths import DataPaths


@dataclass(frozen=True)
class UiContext:
    """Passed explicitly into the main window and each page (no global `mw`)."""

    db: Database
    paths: DataPaths
    station_name: str
    #: Show full phone numbers. False until sign-in tells us the role may (Permission.unmask).
    unmask: bool = False
