"""Shared fixtures: a fresh store per test, offscreen Qt, fixed actors.

With GRIDSVC_TEST_DATABASE_URL set (a PostgreSQL URL whose user may create
databases, e.g. postgresql://gridsvc@127.0.0.1:5433/postgres; .ci/run sets it
for the suite's second run), the `db` fixture is a fresh database on that
server instead of an SQLite file: the schema is migrated once per session into
a template database and each test gets `CREATE DATABASE … TEMPLATE` of it
(dropped afterwards), and the test's data folder names it in settings.toml,
so reopening the store or running the CLI on that folder reaches the same
database. Tests marked `sqlite_only("why")` are skipped then.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.db.store import open_store, save_database_url
from gridsvc_desktop.domain.enums import Role
from gridsvc_desktop.paths import DataPaths
from gridsvc_desktop.services import station
from gridsvc_desktop.services.actor import Actor

SAMPLES = Path(__file__).resolve().parents[1].parent / "shared" / "samples"
SERVER_URL = os.environ.get("GRIDSVC_TEST_DATABASE_URL", "").strip()
ON_SERVER = bool(SERVER_URL)


def pytest_runtest_setup(item: pytest.Item) -> None:
    marker = item.get_closest_marker("sqlite_only")
    if marker is not None and ON_SERVER:
        reason = marker.args[0] if marker.args else marker.kwargs.get("reason", "")
        assert reason, f"{item.nodeid}: sqlite_only needs a reason"
        pytest.skip(f"SQLite only: {reason}")


class PgServer:
    """Fresh databases on the test server, each a copy of one migrated template."""

    def __init__(self, url: str) -> None:
        from sqlalchemy import create_engine

        from gridsvc_desktop.db.engine import server_url

        self.base = server_url(url)
        self.admin = create_engine(self.base, isolation_level="AUTOCOMMIT")
        self.prefix = f"gridsvc_test_{os.getpid()}"
        self.template = f"{self.prefix}_tpl"
        self._n = itertools.count(1)

    def url(self, name: str) -> str:
        return self.base.set(database=name).render_as_string(hide_password=False)

    def _exec(self, sql: str) -> None:
        with self.admin.connect() as conn:
            conn.exec_driver_sql(sql)

    def create(self, *, migrated: bool = True) -> str:
        """A new database's URL: empty, or (default) a copy of the migrated template."""
        name = f"{self.prefix}_{next(self._n)}"
        source = self.template if migrated else "template0"
        self._exec(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')
        return self.url(name)

    def drop(self, url: str) -> None:
        from sqlalchemy import make_url

        name = make_url(url).database
        self._exec(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def build_template(self, tmp: Path) -> None:
        self._exec(f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)')
        self._exec(f'CREATE DATABASE "{self.template}" TEMPLATE template0')
        database = open_store(DataPaths(tmp), database_url=self.url(self.template))
        database.dispose()

    def close(self) -> None:
        self._exec(f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)')
        self.admin.dispose()


@pytest.fixture(scope="session")
def pg_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PgServer]:
    """The PostgreSQL test server (GRIDSVC_TEST_DATABASE_URL); skips the test without one."""
    if not ON_SERVER:
        pytest.skip("needs a PostgreSQL server: set GRIDSVC_TEST_DATABASE_URL (.ci/run does)")
    server = PgServer(SERVER_URL)
    server.build_template(tmp_path_factory.mktemp("pg-template"))
    yield server
    server.close()


@pytest.fixture
def data_paths(tmp_path: Path) -> DataPaths:
    return DataPaths(tmp_path / "data")


@pytest.fixture
def db(data_paths: DataPaths, request: pytest.FixtureRequest) -> Iterator[Database]:
    """A migrated, initialised store in a fresh folder (or a fresh server database)."""
    url = None
    server: PgServer | None = None
    if ON_SERVER:
        server = request.getfixturevalue("pg_server")
        url = server.create()
        # The data folder names the server, as `migrate-to-server` leaves it: a test
        # that reopens the store (a restart, the CLI with --data-dir) reaches it too.
        save_database_url(data_paths, url)
    database = open_store(data_paths, database_url=url)
    with database.write() as s:
        station.initialize(s, name="测试供电所", county="测试县")
    yield database
    database.dispose()
    if server is not None and url is not None:
        server.drop(url)


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
