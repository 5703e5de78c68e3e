"""Moving a station onto the county server and back (db/transfer.py, server_cli.py).

The checksum and refusal rules are tried between two SQLite files in every
run; the round trip through PostgreSQL needs the test server
(GRIDSVC_TEST_DATABASE_URL, the `pg_server` fixture) and is skipped without one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from conftest import PgServer
from sqlalchemy import text

from gridsvc_desktop import cli
from gridsvc_desktop.db.engine import Database, open_server, open_sqlite
from gridsvc_desktop.db.models import Customer, WorkOrder
from gridsvc_desktop.db.store import configured_database_url, open_store, settings_file
from gridsvc_desktop.db.transfer import TransferError, checksums, copy_store
from gridsvc_desktop.demo import build_county
from gridsvc_desktop.domain.enums import OrderType
from gridsvc_desktop.paths import DataPaths
from gridsvc_desktop.services import search, station
from gridsvc_desktop.services import work_orders as wo

TODAY = dt.date(2026, 11, 20)


def _file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def station_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small demo county in an SQLite file (built once, copied per test)."""
    folder = tmp_path_factory.mktemp("station")
    db = open_store(DataPaths(folder))
    build_county(db, customers=1000, seed=3, today=TODAY)
    db.dispose()
    return folder / "gridsvc.sqlite3"


@pytest.fixture
def station_dir(station_file: Path, tmp_path: Path) -> DataPaths:
    paths = DataPaths(tmp_path / "data")
    paths.root.mkdir()
    src = open_sqlite(station_file, create=False)
    dest = open_sqlite(paths.database)
    with src.engine.connect() as a, dest.engine.connect() as b:
        a.connection.driver_connection.backup(b.connection.driver_connection)  # type: ignore[union-attr]
    src.dispose()
    dest.dispose()
    return paths


def _customer_name(db: Database) -> str:
    with db.read() as s:
        return s.execute(text("SELECT name FROM customer ORDER BY id LIMIT 1")).scalar_one()


def test_copy_between_files_verifies_every_table(station_dir: DataPaths, tmp_path: Path) -> None:
    before = _file_hash(station_dir.database)
    source = open_sqlite(station_dir.database, create=False)
    target = open_sqlite(tmp_path / "copy.sqlite3")
    report = copy_store(source, target)
    assert report.ok and report.rows > 1500
    by_table = {t.table: t for t in report.tables}
    assert by_table["customer"].target_rows == 1000
    assert by_table["work_order"].target_rows > 0
    # The search index of the copy was rebuilt: a name finds its customer.
    name = _customer_name(source)
    with target.read() as s:
        assert any(r.name == name for r in search.search_customers(s, name))
    # Changing one value in the copy changes that table's checksum, and only that one.
    sums = checksums(target)
    with target.write() as s:
        s.execute(text("UPDATE customer SET notes = 'x' WHERE id = (SELECT min(id) FROM customer)"))
    changed = {k for k, v in checksums(target).items() if v != sums[k]}
    assert changed == {"customer"}
    # A target that already has rows is refused, and stays as it was.
    with pytest.raises(TransferError, match="不是空的"):
        copy_store(source, target)
    source.dispose()
    target.dispose()
    assert _file_hash(station_dir.database) == before


def test_copy_refuses_a_source_behind_the_schema(tmp_path: Path) -> None:
    empty = open_sqlite(tmp_path / "empty.sqlite3")
    target = open_sqlite(tmp_path / "target.sqlite3")
    with pytest.raises(TransferError, match="结构版本"):
        copy_store(empty, target)
    empty.dispose()
    target.dispose()


def test_station_moves_to_the_server_and_back(
    pg_server: PgServer, station_dir: DataPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    url = pg_server.create(migrated=False)
    try:
        before = _file_hash(station_dir.database)
        data_dir = str(station_dir.root)
        assert cli.main(["migrate-to-server", url, "--data-dir", data_dir]) == 0
        out = capsys.readouterr().out
        assert "各表行数和校验和一致" in out and "customer" in out
        assert _file_hash(station_dir.database) == before  # the local file is untouched
        assert configured_database_url(station_dir) == url

        # From now on the station opens the server: same rows, search works there.
        db = open_store(station_dir)
        assert db.path is None and db.dialect == "postgresql"
        local = open_sqlite(station_dir.database, create=False)
        assert checksums(db) == checksums(local)
        name = _customer_name(local)
        local.dispose()
        with db.read() as s:
            assert any(r.name == name for r in search.search_customers(s, name))
            admin = station.actor_for(s, "admin")
            customer_id = s.execute(text("SELECT min(id) FROM customer")).scalar_one()
        # New ids continue after the copied ones (the sequences were moved on).
        with db.write() as s:
            order = wo.create_order(
                session=s,
                actor=admin,
                data=wo.OrderInput(
                    type=OrderType.repair, customer_id=customer_id, description="服务器上新建"
                ),
            )
            new_id = order.id
        with db.read() as s:
            assert new_id == s.execute(text("SELECT max(id) FROM work_order")).scalar_one()
            assert s.get(Customer, customer_id) is not None
        db.dispose()

        # A second copy into the same (now full) server database is refused.
        assert cli.main(["migrate-to-server", url, "--data-dir", data_dir, "--keep-local"]) == 2
        assert "不是空的" in capsys.readouterr().err

        # Leaving the server: the server's data (with the new order) becomes the file,
        # the old file is kept under a dated name, the settings point at the file again.
        assert cli.main(["migrate-from-server", "--data-dir", data_dir]) == 0
        capsys.readouterr()
        assert not settings_file(station_dir).exists()
        kept = list(station_dir.root.glob("gridsvc.sqlite3.before-server-*"))
        assert len(kept) == 1 and _file_hash(kept[0]) == before
        back = open_store(station_dir)
        assert back.path == station_dir.database
        with back.read() as s:
            assert s.get(WorkOrder, new_id) is not None
            assert any(r.name == name for r in search.search_customers(s, name))
        server = open_server(url)
        assert checksums(back) == checksums(server)  # and the server was only read
        back.dispose()
        server.dispose()
    finally:
        pg_server.drop(url)


def test_an_encrypted_station_moves_to_the_server_and_back_encrypted(
    pg_server: PgServer,
    station_dir: DataPaths,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The key opens the file to copy it up; the file that comes back is
    encrypted under the same key (db/encryption.py)."""
    from gridsvc_desktop.db import encryption
    from gridsvc_desktop.services.store_encryption import encrypt_store

    if not encryption.available():
        pytest.skip("SQLCipher not installed")
    passphrase = "服务器迁移测试-2026"
    db = open_store(station_dir)
    with db.read() as s:
        admin = station.actor_for(s, "admin")
    name = _customer_name(db)
    encrypt_store(station_dir, db, admin, passphrase=passphrase)
    monkeypatch.setenv(encryption.PASSPHRASE_ENV, passphrase)
    url = pg_server.create(migrated=False)
    try:
        data_dir = str(station_dir.root)
        assert cli.main(["migrate-to-server", url, "--data-dir", data_dir]) == 0
        assert "各表行数和校验和一致" in capsys.readouterr().out
        assert cli.main(["migrate-from-server", "--data-dir", data_dir]) == 0
        capsys.readouterr()
        raw = station_dir.database.read_bytes()
        assert not raw.startswith(b"SQLite format 3") and name.encode() not in raw
        back = open_store(station_dir)
        assert back.key is not None and _customer_name(back) == name
        back.dispose()
    finally:
        pg_server.drop(url)
