"""What every page is given: the store, the folders, the station, the user's rights."""

from __future__ import annotations

from dataclasses import dataclass, field

from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.paths import DataPaths
from gridsvc_desktop.services.actor import Actor
from gridsvc_desktop.ui.qt import QObject, Signal


class DataEvents(QObject):
    """App-wide news that data changed: a page that writes (through the services)
    emits `changed` with what it changed ("work_order", "call", …); pages that
    show figures over it (the desk) refresh on a worker."""

    changed = Signal(str)


@dataclass(frozen=True)
class UiContext:
    """Passed explicitly into the main window and each page (no global `mw`)."""

    db: Database
    paths: DataPaths
    station_name: str
    #: Show full phone numbers. False until sign-in tells us the role may (Permission.unmask).
    unmask: bool = False
    #: Who is acting. None until sign-in exists: the built-in "admin" account acts.
    actor: Actor | None = None
    #: "data changed" notifications between pages (see DataEvents).
    events: DataEvents = field(default_factory=DataEvents, compare=False, repr=False)

    def acting(self) -> Actor:
        """The actor whose permissions every change is checked against (and audited as)."""
        if self.actor is not None:
            return self.actor
        from gridsvc_desktop.services.station import actor_for

        with self.db.read() as session:
            return actor_for(session, "admin")
