"""Two processes writing to one database file, and a database on a network share."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlmodel import func, select

from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.db.models import AuditLog, Setting
from gridsvc_desktop.db.store import open_store
from gridsvc_desktop.paths import DataPaths
from gridsvc_desktop.services.audit import verify_chain

WRITES = 1000
WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from gridsvc_desktop.db.models import Setting
    from gridsvc_desktop.db.store import open_store
    from gridsvc_desktop.paths import DataPaths
    from gridsvc_desktop.services import audit
    from gridsvc_desktop.services.actor import SYSTEM

    name, n = sys.argv[2], int(sys.argv[3])
    db = open_store(DataPaths(Path(sys.argv[1])))
    for i in range(n):
        with db.write() as s:  # read-then-write in one transaction, audited
            key = f"{name}-{i}"
            s.add(Setting(key=key, value=str(i)))
            audit.record(s, SYSTEM, "update", "setting", key, after={"value": i})
    db.dispose()
    print("done", flush=True)
    """
)


@pytest.mark.sqlite_only(
    "two processes on one database file (on a server: test_postgres_load.py, 20 processes)"
)
def test_two_processes_write_at_once(db: Database, data_paths: DataPaths) -> None:
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(data_paths.root), name, str(WRITES)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("pc1", "pc2")
    ]
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        assert "locked" not in err.lower() and out.strip() == "done"
    with db.read() as s:
        for name in ("pc1", "pc2"):
            n = s.execute(
                select(func.count()).select_from(Setting).where(Setting.key.startswith(f"{name}-"))  # type: ignore[attr-defined]
            ).scalar_one()
            assert n == WRITES
        audited = s.execute(
            select(func.count()).select_from(AuditLog).where(AuditLog.entity == "setting")
        ).scalar_one()
        assert audited == 2 * WRITES
        assert verify_chain(s) is None  # the hash chain survived interleaved writers


def test_network_share_uses_rollback_journal_and_warns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("gridsvc_desktop.db.engine.is_network_path", lambda _p: True)
    db = open_store(DataPaths(tmp_path / "share"))
    try:
        assert db.journal_mode == "delete"
        assert any("网络共享" in w for w in db.warnings)
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "delete"
    finally:
        db.dispose()
    assert not (tmp_path / "share" / "gridsvc.sqlite3-wal").exists()
