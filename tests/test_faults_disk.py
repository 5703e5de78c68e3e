"""The disk fills during an import or a backup: a clear message, the database
unchanged and usable. Needs root and `mount` (a small tmpfs); skipped otherwise."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from test_ledgers_files import customers_file, seed_county

from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.db.errors import DiskFull, StoreError
from gridsvc_desktop.db.models import Setting
from gridsvc_desktop.db.store import open_store
from gridsvc_desktop.paths import DataPaths
from gridsvc_desktop.services import backups, station
from gridsvc_desktop.services.actor import Actor
from gridsvc_desktop.services.imports import import_ledger


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Callable[[str, str], Path]]:
    mounted: list[Path] = []

    def make(name: str, size: str) -> Path:
        folder = tmp_path / name
        folder.mkdir()
        if os.geteuid() != 0:
            pytest.skip("a small disk needs root (mount -t tmpfs)")
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
            capture_output=True,
        )
        if done.returncode != 0:
            pytest.skip("mount is not available here")
        mounted.append(folder)
        return folder

    yield make
    for folder in mounted:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def _customers(db: Database) -> int:
    with db.engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM customer")).scalar_one())


def _integrity(db: Database) -> str:
    with db.engine.connect() as conn:
        return str(conn.exec_driver_sql("PRAGMA integrity_check").scalar_one())


def test_disk_full_during_import(
    small_disk: Callable[[str, str], Path], admin: Actor, tmp_path: Path
) -> None:
    root = small_disk("full", "3m")
    roomy = tmp_path / "roomy-backups"
    roomy.mkdir()
    (root / "backups").symlink_to(roomy)  # the pre-import backup has room
    db = open_store(DataPaths(root))
    try:
        with db.write() as s:
            station.initialize(s, name="测试供电所")
        with db.read() as s:
            actor = station.actor_for(s, "admin")
        seed_county(db, actor, tmp_path)
        ledger = customers_file(tmp_path, 20_000)
        with pytest.raises(DiskFull, match=r"磁盘空间不足.*未受影响"):
            import_ledger(db, actor, ledger)
        assert _customers(db) == 0
        assert _integrity(db) == "ok"
        with db.write() as s:  # still usable for small writes
            s.add(Setting(key="after_disk_full", value="1"))
        with db.read() as s:
            assert s.get(Setting, "after_disk_full") is not None
    finally:
        db.dispose()


@pytest.mark.sqlite_only("a full disk under SQLite's backup API")
def test_disk_full_during_backup(
    small_disk: Callable[[str, str], Path], db: Database, admin: Actor, tmp_path: Path
) -> None:
    seed_county(db, admin, tmp_path)
    import_ledger(db, admin, customers_file(tmp_path, 3000))
    target = small_disk("bk", "128k")
    before = _customers(db)
    with pytest.raises(StoreError, match="数据库未受影响"):
        backups.take_backup(db, "manual", target)
    assert list(target.iterdir()) == []  # no half-written file left behind
    assert _customers(db) == before
    assert _integrity(db) == "ok"
    with db.write() as s:
        s.add(Setting(key="after_backup_failed", value="1"))
