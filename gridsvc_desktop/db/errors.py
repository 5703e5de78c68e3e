"""Errors the store raises, each with a message a station's staff can read."""

from __future__ import annotations


class StoreError(Exception):
    """Base: something about the database file or folder; `str()` is for the user."""


class NotADatabase(StoreError):
    """The file is not an SQLite database (corrupt, or another kind of file)."""


class ForeignDatabase(StoreError):
    """An SQLite database, but not one this program created."""


class DatabaseTooNew(StoreError):
    """Written by a newer version of the program; we must not touch it."""


class DatabaseCorrupt(StoreError):
    """quick_check / integrity_check found damage."""


class DataDirNotWritable(StoreError):
    """The data folder cannot be created or written."""


class ConcurrentEdit(StoreError):
    """Someone else saved the same record first (optimistic locking)."""


class DiskFull(StoreError):
    """The disk (or the share) ran out of space during a write; nothing was committed."""


class ServerUnavailable(StoreError):
    """The database server cannot be reached, or refuses the login."""


class ServerBusy(StoreError):
    """The server's write lock did not come in time, or the connection dropped mid-write."""
