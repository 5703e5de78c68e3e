"""`gridsvc arrears list --grid G` and `gridsvc arrears figures`."""

from __future__ import annotations

import pytest
from test_arrears_service import add_arrears
from test_ui_sample import seed_county

from gridsvc_desktop.cli import main
from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.paths import DataPaths


def test_list_by_grid_sorted_with_masked_phones_for_staff(
    db: Database, data_paths: DataPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    seed_county(db, customers=60)
    add_arrears(db)
    data = ["--data-dir", str(data_paths.root)]
    assert main(["arrears", "list", "--grid", "G01", "--status", "unpaid", *data]) == 0
    out, err = capsys.readouterr()
    lines = out.strip().split("\n")
    assert lines[0].startswith("户号\t户名\t电话")
    body = [line.split("\t") for line in lines[1:]]
    assert body and all(cells[3].startswith("G01") for cells in body)
    amounts = [float(cells[7].replace(",", "")) for cells in body]
    assert amounts == sorted(amounts, reverse=True)
    assert f"共 {len(body)} 笔" in err
    # admin may see full numbers
    assert "13812345678" in out
    assert main(["arrears", "list", "--sort", "age", "--limit", "3", *data]) == 0
    out, err = capsys.readouterr()
    months = [line.split("\t")[6] for line in out.strip().split("\n")[1:]]
    assert len(months) == 3 and months == sorted(months)
    assert "列出前 3 笔" in err
    assert main(["arrears", "figures", *data]) == 0
    out, _ = capsys.readouterr()
    assert "回收率" in out and "180天以上" in out and "合计" in out
    assert main(["arrears", "list", "--grid", "没有这个网格", *data]) == 2
