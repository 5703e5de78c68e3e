"""Progress and cancellation for long work, passed in as an object.

Service functions report through it and check it; the GUI hands in one that
emits Qt signals from a worker thread, the CLI one that prints, tests a list.
"""

from __future__ import annotations

from typing import Protocol


class Cancelled(Exception):
    """The user cancelled; whatever the work did has been rolled back."""


class Progress(Protocol):
    def report(self, done: int, total: int, message: str = "") -> None: ...

    def is_cancelled(self) -> bool: ...


class NullProgress:
    def report(self, done: int, total: int, message: str = "") -> None:
        pass

    def is_cancelled(self) -> bool:
        return False


def checkpoint(progress: Progress, done: int, total: int, message: str = "") -> None:
    """Report, and raise Cancelled if the user asked to stop."""
    progress.report(done, total, message)
    if progress.is_cancelled():
        raise Cancelled("已取消")
