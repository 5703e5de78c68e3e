"""`gridsvc` commands, run in-process and as a real subprocess."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from gridsvc_desktop.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_init_info_check_backup(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = str(tmp_path / "d")
    code, out, _ = run(capsys, "init", "--data-dir", data, "--station", "河西供电所")
    assert code == 0 and "河西供电所" in out
    code, out, _ = run(capsys, "info", "--data-dir", data)
    assert code == 0
    assert "河西供电所" in out
    lines = {line.split()[0]: line.split()[-1] for line in out.splitlines() if line[:1].isascii()}
    assert lines["station"] == "1" and lines["customer"] == "0"
    assert int(lines["sla_rule"]) > 10
    code, out, _ = run(capsys, "check", "--data-dir", data)
    assert code == 0 and "integrity_check: ok" in out and "问题" not in out
    code, out, _ = run(capsys, "backup", "--data-dir", data, "--out", str(tmp_path / "bk"))
    assert code == 0
    made = list((tmp_path / "bk").glob("gridsvc-*-manual.sqlite3"))
    assert len(made) == 1
    con = sqlite3.connect(made[0])
    assert con.execute("SELECT name FROM station").fetchone() == ("河西供电所",)
    con.close()


def test_init_twice_keeps_the_first_station(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = str(tmp_path / "d")
    run(capsys, "init", "--data-dir", data, "--station", "甲所")
    code, out, _ = run(capsys, "init", "--data-dir", data, "--station", "乙所")
    assert code == 0 and "甲所" in out


def test_check_reports_a_tampered_audit_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "d"
    run(capsys, "init", "--data-dir", str(data))
    con = sqlite3.connect(data / "gridsvc.sqlite3")
    con.execute("DROP TRIGGER audit_log_no_update")
    con.execute("UPDATE audit_log SET username='x' WHERE id=1")
    con.commit()
    con.close()
    code, out, _ = run(capsys, "check", "--data-dir", str(data))
    assert code == 1 and "审计日志第 1 行" in out


def test_foreign_file_gives_message_not_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "d"
    data.mkdir()
    (data / "gridsvc.sqlite3").write_text("this is a spreadsheet, honest")
    code, _, err = run(capsys, "info", "--data-dir", str(data))
    assert code == 2
    assert "错误" in err and "gridsvc.sqlite3" in err and "Traceback" not in err
    assert (data / "gridsvc.sqlite3").read_text() == "this is a spreadsheet, honest"


def test_demo_rejects_out_of_range_size(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "demo", "--data-dir", str(tmp_path), "--customers", "10")
    assert code == 2 and "1000" in err


def test_console_script_runs(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "gridsvc_desktop.cli", "init", "--data-dir", str(tmp_path / "x")],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "供电所" in done.stdout
