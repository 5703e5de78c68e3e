"""Shared fixtures: a fresh store per test, offscreen Qt, fixed actors."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.db.store import open_store
from gridsvc_desktop.domain.enums import Role
from gridsvc_desktop.paths import DataPaths
from gridsvc_desktop.services import station
from gridsvc_desktop.services.actor import Actor

SAMPLES = Path(__file__).resolve().parents[1].parent / "shared" / "samples"


@pytest.fixture
def data_paths(tmp_path: Path) -> DataPaths:
    return DataPaths(tmp_path / "data")


@pytest.fixture
def db(data_paths: DataPaths) -> Iterator[Database]:
    """A migrated, initialised store in a fresh folder."""
    database = open_store(data_paths)
    with database.write() as s:
        station.initialize(s, name="测试供电所", county="测试县")
    yield database
    database.dispose()


@pytest.fixture
def admin(db: Database) -> Actor:
    with db.read() as s:
        return station.actor_for(s, "admin")


@pytest.fixture
def staff_actor() -> Actor:
    return Actor(user_id=None, username="营业员甲", role=Role.staff)


@pytest.fixture
def lead_actor() -> Actor:
    return Actor(user_id=None, username="班长乙", role=Role.lead)


@pytest.fixture(autouse=True)
def _signed_in_as_admin(monkeypatch: pytest.MonkeyPatch) -> None:
    """app.main() asks who is signing in (a modal dialog; tests/test_ui_login.py
    drives it): elsewhere the built-in admin signs in."""
    import gridsvc_desktop.app as app_module

    def admin_signs_in(db: Database) -> Actor:
        with db.read() as s:
            return station.actor_for(s, "admin")

    monkeypatch.setattr(app_module, "sign_in", admin_signs_in)
