"""SIGKILL at random moments during a ledger import in a child process.

By default 10 kills during a 20,000-row import (about a minute); with
GRIDSVC_FULL_FAULTS=1, 50 kills during a 100,000-row import. After every kill
the database passes integrity_check and holds the whole import or none of it.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_ledgers_files import customers_file, seed_county

from gridsvc_desktop.db.backup import backup_sqlite_file
from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.services.actor import Actor

FULL = os.environ.get("GRIDSVC_FULL_FAULTS") == "1"
KILLS = 50 if FULL else 10
ROWS = 100_000 if FULL else 20_000

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")


def _import_cmd(data: Path, ledger: Path) -> list[str]:
    return [
        sys.executable, "-m", "gridsvc_desktop.cli", "import", "customers", str(ledger),
        "--data-dir", str(data),
    ]  # fmt: skip


def _state(db_file: Path) -> tuple[str, int]:
    con = sqlite3.connect(db_file)
    try:
        check = con.execute("PRAGMA integrity_check").fetchone()[0]
        n = con.execute("SELECT count(*) FROM customer").fetchone()[0]
        batches = con.execute(
            "SELECT count(*) FROM import_batch WHERE kind='customers'"
        ).fetchone()[0]
    finally:
        con.close()
    assert (n == 0) == (batches == 0), "customers without their import record, or the reverse"
    return check, n


@pytest.mark.sqlite_only(
    "SIGKILL during an import into the file, compared with a copy made by SQLite's backup API"
)
def test_sigkill_during_import_is_all_or_nothing(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    seed_county(db, admin, tmp_path)
    ledger = customers_file(tmp_path, ROWS)
    assert db.path is not None
    pristine = backup_sqlite_file(db.path, tmp_path / "pristine.sqlite3")
    db.dispose()
    data = tmp_path / "run"
    data.mkdir()

    # how long a whole import takes, to aim the kills inside it
    shutil.copy(pristine, data / "gridsvc.sqlite3")
    t0 = time.monotonic()
    subprocess.run(_import_cmd(data, ledger), check=True, capture_output=True)
    whole = time.monotonic() - t0
    assert _state(data / "gridsvc.sqlite3") == ("ok", ROWS)

    rng = random.Random(20261127)
    outcomes = {"none": 0, "all": 0}
    for _ in range(KILLS):
        for f in data.iterdir():
            if f.is_file():
                f.unlink()
            else:
                shutil.rmtree(f)
        shutil.copy(pristine, data / "gridsvc.sqlite3")
        proc = subprocess.Popen(
            _import_cmd(data, ledger), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(rng.uniform(0.2, 1.0) * whole)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        check, n = _state(data / "gridsvc.sqlite3")
        assert check == "ok"
        assert n in (0, ROWS), f"partial import: {n} of {ROWS} rows"
        outcomes["all" if n else "none"] += 1
    print(f"{KILLS} kills on {ROWS} rows (whole import {whole:.1f} s): {outcomes}")
    assert outcomes["none"] > 0  # most kills landed before the commit
