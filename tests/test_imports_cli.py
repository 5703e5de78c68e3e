"""`gridsvc import / export / undo-import`: exit codes and the counts as the last line."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from test_ledgers_files import (
    CUSTOMER_HEADER,
    TA_HEADER,
    TAS,
    customer_row,
    customers_file,
    titled,
    write_xlsx,
)

from gridsvc_desktop.cli import main

COUNTS = re.compile(r"^新增 (\d+)，修改 (\d+)，未变 (\d+)，拒绝 (\d+)$")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def last_counts(out: str) -> tuple[int, ...]:
    m = COUNTS.match(out.strip().splitlines()[-1])
    assert m, out
    return tuple(int(g) for g in m.groups())


def count(data: Path, table: str) -> int:
    con = sqlite3.connect(data / "gridsvc.sqlite3")
    try:
        return int(con.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        con.close()


@pytest.fixture
def data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    folder = tmp_path / "d"
    assert run(capsys, "init", "--data-dir", str(folder))[0] == 0
    tas = write_xlsx(tmp_path / "台区.xlsx", titled("台区档案", TA_HEADER, TAS))
    code, out, _ = run(capsys, "import", "transformer-areas", str(tas), "--data-dir", str(folder))
    assert code == 0 and last_counts(out) == (3, 0, 0, 0)
    return folder


def test_import_dry_run_apply_and_unchanged(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(customers_file(tmp_path, 5))
    code, out, _ = run(capsys, "import", "customers", path, "--dry-run", "--data-dir", str(data))
    assert code == 0 and last_counts(out) == (5, 0, 0, 0) and "试导入" in out
    assert count(data, "customer") == 0
    code, out, _ = run(capsys, "import", "customers", path, "--data-dir", str(data))
    assert code == 0 and last_counts(out) == (5, 0, 0, 0)
    code, out, _ = run(capsys, "import", "customers", path, "--data-dir", str(data))
    assert code == 0 and last_counts(out) == (0, 0, 5, 0)
    assert count(data, "customer") == 5 and count(data, "import_batch") == 3


def test_refused_rows_apply_nothing_unless_skipped(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [customer_row(i) for i in range(4)] + [customer_row(8, 户号="12")]
    path = str(write_xlsx(tmp_path / "c.xlsx", titled("客户档案", CUSTOMER_HEADER, rows)))
    errors = tmp_path / "错误.xlsx"
    code, out, err = run(
        capsys, "import", "customers", path, "--errors", str(errors), "--data-dir", str(data)
    )
    assert code == 1 and last_counts(out) == (4, 0, 0, 1)
    assert "全部或全不" in err and errors.exists()
    assert count(data, "customer") == 0
    code, out, _ = run(capsys, "import", "customers", path, "--dry-run", "--data-dir", str(data))
    assert code == 1 and last_counts(out) == (4, 0, 0, 1)
    code, out, _ = run(
        capsys, "import", "customers", path, "--skip-refused", "--data-dir", str(data)
    )
    assert code == 0 and last_counts(out) == (4, 0, 0, 1)
    assert count(data, "customer") == 4
    code, out, _ = run(capsys, "undo-import", "--data-dir", str(data))
    assert code == 0 and "已撤销" in out
    assert count(data, "customer") == 0


def test_file_refused_exits_2_with_counts(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "坏.xlsx"
    bad.write_bytes(b"not a workbook")
    code, out, err = run(capsys, "import", "customers", str(bad), "--data-dir", str(data))
    assert code == 2 and last_counts(out) == (0, 0, 0, 0) and "坏.xlsx" in err
    code, out, err = run(
        capsys, "import", "staff", str(customers_file(tmp_path, 2)), "--data-dir", str(data)
    )
    assert code == 2 and "客户档案" in err and last_counts(out) == (0, 0, 0, 0)
    code, out, err = run(
        capsys,
        "import",
        "customers",
        str(customers_file(tmp_path, 2)),
        "--user",
        "nobody",
        "--data-dir",
        str(data),
    )
    assert code == 2 and last_counts(out) == (0, 0, 0, 0)


def test_sheet_and_header_row_options(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [["说明"], CUSTOMER_HEADER, customer_row(1)]
    path = write_xlsx(
        tmp_path / "c.xlsx", rows, sheet="数据", before={"封面": [["户号", "户名"], ["x", "y"]]}
    )
    code, out, _ = run(
        capsys,
        "import",
        "customers",
        str(path),
        "--sheet",
        "数据",
        "--header-row",
        "2",
        "--dry-run",
        "--data-dir",
        str(data),
    )
    assert code == 0 and last_counts(out) == (1, 0, 0, 0) and "表头在第 2 行" in out


def test_export_and_template(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_file = tmp_path / "台区.xlsx"
    code, out, _ = run(
        capsys, "export", "transformer-areas", str(out_file), "--data-dir", str(data)
    )
    assert code == 0 and "已导出 3 行" in out and out_file.exists()
    code, out, _ = run(
        capsys, "export", "customers", str(tmp_path / "m.xlsx"), "--masked", "--data-dir", str(data)
    )
    assert code == 0 and "打码" in out
    code, out, _ = run(
        capsys,
        "export",
        "orders-95598",
        str(tmp_path / "t.xlsx"),
        "--template",
        "--data-dir",
        str(data),
    )
    assert code == 0 and "模板" in out
    code, out, _ = run(
        capsys, "import", "transformer-areas", str(out_file), "--data-dir", str(data)
    )
    assert code == 0 and last_counts(out) == (0, 0, 3, 0)


def test_real_process_exit_code_and_last_line(data: Path, tmp_path: Path) -> None:
    import subprocess
    import sys

    bad = tmp_path / "空.csv"
    bad.write_bytes(b"")
    proc = subprocess.run(
        [sys.executable, "-m", "gridsvc_desktop.cli", "import", "customers", str(bad), "--data-dir", str(data)],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert (
        proc.returncode == 2
        and proc.stdout.strip().splitlines()[-1] == "新增 0，修改 0，未变 0，拒绝 0"
    )
