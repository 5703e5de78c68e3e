"""Migration 0003's answer library: a store of schema 0002 upgrades, the table
matches the model exactly, the downgrade removes it, and an upgraded store gets
the standard answers on first use."""

from __future__ import annotations

import shutil
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlmodel import SQLModel

from gridsvc_desktop.db.engine import Database, open_sqlite
from gridsvc_desktop.db.migrate import _config
from gridsvc_desktop.db.store import open_store
from gridsvc_desktop.domain.answer_library import STANDARD_ANSWERS
from gridsvc_desktop.paths import DataPaths
from gridsvc_desktop.services import assistant, station

FIXTURES = Path(__file__).parent / "fixtures"


def _migrate(db: Database, revision: str, *, down: bool = False) -> None:
    cfg = _config()
    with db.write_connection() as conn:
        cfg.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(cfg, revision)


def _answer_table_diffs(db: Database) -> list[object]:
    with db.engine.connect() as conn:
        diffs = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), SQLModel.metadata
        )
    return [d for d in diffs if "answer_template" in repr(d)]


def test_0003_upgrades_a_0002_store_and_downgrades(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    shutil.copy(FIXTURES / "schema_0001.sqlite3", path)
    db = open_sqlite(path)
    try:
        _migrate(db, "0002")
        assert "answer_template" not in inspect(db.engine).get_table_names()
        _migrate(db, "0003")
        assert "answer_template" in inspect(db.engine).get_table_names()
        assert _answer_table_diffs(db) == []  # the DDL is the model, column for column
        with db.read() as s:  # the rows of 0002 are still there
            names = s.execute(text("SELECT name FROM customer ORDER BY account_no")).scalars().all()
        assert names == ["张三", "李四丰", "王五"]
        _migrate(db, "0002", down=True)
        assert "answer_template" not in inspect(db.engine).get_table_names()
    finally:
        db.dispose()


def test_an_upgraded_store_gets_the_library_on_first_use(tmp_path: Path) -> None:
    paths = DataPaths(tmp_path)
    paths.root.mkdir(parents=True, exist_ok=True)
    shutil.copy(FIXTURES / "schema_0001.sqlite3", paths.database)
    db = open_store(paths)  # migrates to head; the station existed, so no initialize
    try:
        with db.read() as s:
            assert station.get_station(s) is not None
            assert assistant.library_is_empty(s)
        with db.write() as s:
            assert assistant.ensure_library(s) == len(STANDARD_ANSWERS)
        with db.read() as s:
            assert len(assistant.library(s)) == len(STANDARD_ANSWERS)
    finally:
        db.dispose()
