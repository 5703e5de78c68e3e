"""Demo ledgers: every promised shape is really in the files, read back by
independent readers (openpyxl, xlrd, python-calamine, the csv module)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlrd
from python_calamine import CalamineWorkbook
from sqlalchemy import text

from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.db.store import open_store
from gridsvc_desktop.demo import build_county, ledgers, write_ledgers
from gridsvc_desktop.domain import normalize
from gridsvc_desktop.paths import DataPaths

N = 1500
TODAY = dt.date(2026, 11, 20)
SAMPLES = Path(__file__).resolve().parents[1].parent / "shared" / "samples"
KINDS = ("客户档案", "台区档案", "网格划分", "人员花名册", "楼长联络表", "欠费明细", "95598工单")
FULLWIDTH_DIGITS = set("０１２３４５６７８９")


@pytest.fixture(scope="module")
def exported(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Database, Path, list[Path]]]:
    db = open_store(DataPaths(tmp_path_factory.mktemp("db")))
    build_county(db, customers=N, seed=5, today=TODAY)
    folder = tmp_path_factory.mktemp("ledgers")
    files = write_ledgers(folder, db=db, seed=5)
    yield db, folder, files
    db.dispose()


def q(db: Database, sql: str) -> list[Any]:
    with db.engine.connect() as conn:
        return list(conn.execute(text(sql)))


def sheet_rows(path: Path, index: int = 0) -> list[tuple[Any, ...]]:
    wb = openpyxl.load_workbook(path, read_only=True)  # formulas come back as written
    try:
        return [tuple(r) for r in wb.worksheets[index].iter_rows(values_only=True)]
    finally:
        wb.close()


def csv_rows(path: Path, encoding: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode(encoding), newline="")))


def db_accounts(db: Database) -> dict[str, tuple[Any, ...]]:
    rows = q(db, "SELECT account_no, name, phone, opened_on, contract_kva FROM customer")
    return {r[0]: tuple(r) for r in rows}


# --------------------------------------------------------------------------- files and layout


def test_every_file_is_listed_and_exists(exported: tuple[Database, Path, list[Path]]) -> None:
    _, folder, files = exported
    assert all(f.exists() and f.stat().st_size > 0 for f in files)
    assert files[-1].name == "README.txt"
    readme = files[-1].read_text(encoding="utf-8-sig")
    for f in files[:-1]:
        assert f.name in readme
    names = {f.name for f in files}
    for kind in KINDS:
        assert f"{kind}.xlsx" in names
    suffixes = Counter(f.suffix for f in files)
    assert suffixes[".xls"] >= 2 and suffixes[".csv"] >= 4
    assert sorted(p.name for p in folder.iterdir()) == sorted(names)


@pytest.mark.parametrize("kind", KINDS)
def test_clean_file_has_sample_layout(
    exported: tuple[Database, Path, list[Path]], kind: str
) -> None:
    _, folder, _ = exported
    path = folder / f"{kind}.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    header = [c.value for c in ws[3]]
    assert [str(r) for r in ws.merged_cells.ranges] == [f"A1:{chr(64 + len(header))}1"]
    assert kind in ws["A1"].value
    assert ws["A2"].value.startswith("导出时间：")
    expected = {
        "客户档案": ledgers.CUSTOMER_COLUMNS,
        "台区档案": ledgers.TA_COLUMNS,
        "网格划分": ledgers.GRID_COLUMNS,
        "人员花名册": ledgers.STAFF_COLUMNS,
        "楼长联络表": ledgers.CONTACT_COLUMNS,
        "欠费明细": ledgers.ARREARS_COLUMNS,
        "95598工单": ledgers.ORDER_COLUMNS,
    }[kind]
    assert tuple(header) == expected
    sample = SAMPLES / f"{kind}.xlsx"
    if sample.exists():  # the same columns as the sample ledgers
        assert tuple(c.value for c in openpyxl.load_workbook(sample).worksheets[0][3]) == expected
    assert ws.max_row > 3


def test_clean_customer_ledger_matches_database(
    exported: tuple[Database, Path, list[Path]],
) -> None:
    db, folder, _ = exported
    rows = sheet_rows(folder / "客户档案.xlsx")[3:]
    accounts = db_accounts(db)
    assert len(rows) == len(accounts) == N
    assert {r[0] for r in rows} == set(accounts)
    assert all(isinstance(r[0], str) for r in rows)
    assert any(r[0].startswith("0") for r in rows)  # leading zeros kept as text
    for r in rows[:50]:
        _, name, phone, opened, kva = accounts[r[0]]
        assert (r[1], r[9] or "", r[12]) == (name, phone, kva)
        assert r[11].date().isoformat() == opened
    first = q(
        db,
        "SELECT c.account_no, t.code, f.name, a.name FROM customer c JOIN transformer_area t "
        "ON t.id = c.transformer_area_id JOIN feeder f ON f.id = t.feeder_id "
        "JOIN admin_area a ON a.id = c.community_id ORDER BY c.id LIMIT 1",
    )[0]
    assert (rows[0][0], rows[0][5], rows[0][7], rows[0][10]) == tuple(first)
    # calamine, the importer's reader, sees the same keys.
    cal = (
        CalamineWorkbook.from_path(str(folder / "客户档案.xlsx")).get_sheet_by_index(0).to_python()
    )
    assert [r[0] for r in cal[3:]] == [r[0] for r in rows]


def test_other_clean_ledgers_match_database(exported: tuple[Database, Path, list[Path]]) -> None:
    db, folder, _ = exported
    tas = sheet_rows(folder / "台区档案.xlsx")[3:]
    assert [r[0] for r in tas] == [
        r[0] for r in q(db, "SELECT code FROM transformer_area ORDER BY id")
    ]
    grids = sheet_rows(folder / "网格划分.xlsx")[3:]
    assert [r[0] for r in grids] == [r[0] for r in q(db, "SELECT name FROM grid ORDER BY id")]
    listed = {code for r in grids if r[5] for code in r[5].split("、")}
    gridded = {r[0] for r in q(db, "SELECT code FROM transformer_area WHERE grid_id IS NOT NULL")}
    assert listed == gridded  # areas without a grid appear in no grid's row
    staff = sheet_rows(folder / "人员花名册.xlsx")[3:]
    assert len(staff) == q(db, "SELECT count(*) FROM staff WHERE active = 1")[0][0]
    contacts = sheet_rows(folder / "楼长联络表.xlsx")[3:]
    assert len(contacts) == q(db, "SELECT count(*) FROM contact")[0][0]
    assert {"楼长", "物业", "门卫", "社区网格员", "社区服务中心"} == {r[4] for r in contacts}
    arrears = sheet_rows(folder / "欠费明细.xlsx")[3:]
    unpaid = q(db, "SELECT count(*), sum(amount_fen) FROM arrears WHERE status != 'paid'")[0]
    assert len(arrears) == unpaid[0]
    assert round(sum(r[5] for r in arrears) * 100) == unpaid[1]
    assert all(re.fullmatch(r"\d{6}", r[4]) for r in arrears)
    orders = sheet_rows(folder / "95598工单.xlsx")[3:]
    assert (
        len(orders) == q(db, "SELECT count(*) FROM work_order WHERE external_no IS NOT NULL")[0][0]
    )
    assert all(re.fullmatch(r"\d{16}", r[0]) and isinstance(r[1], dt.datetime) for r in orders)


# --------------------------------------------------------------------------- legacy .xls


def test_legacy_xls_customer_ledger(exported: tuple[Database, Path, list[Path]]) -> None:
    db, folder, _ = exported
    book = xlrd.open_workbook(str(folder / "客户档案_旧版xls.xls"), formatting_info=True)
    sheet = book.sheet_by_index(0)
    assert sheet.merged_cells and sheet.merged_cells[0][:2] == (0, 1)
    assert sheet.row_values(2) == list(ledgers.CUSTOMER_COLUMNS)
    assert sheet.nrows == 3 + N
    accounts = db_accounts(db)
    lost_zero = 0
    for r in range(3, sheet.nrows):
        cell = sheet.cell(r, 0)
        assert cell.ctype == xlrd.XL_CELL_NUMBER and isinstance(cell.value, float)
        digits = str(int(cell.value))
        if len(digits) < 10:
            lost_zero += 1
        assert digits.zfill(10) in accounts
        assert normalize.account_no(cell.value) in accounts
        assert sheet.cell(r, 11).ctype == xlrd.XL_CELL_DATE
    assert lost_zero > 0
    assert any(sheet.cell(r, 9).ctype == xlrd.XL_CELL_NUMBER for r in range(3, sheet.nrows))
    orders = xlrd.open_workbook(str(folder / "95598工单_旧版xls.xls")).sheet_by_index(0)
    assert orders.nrows > 3 and orders.cell(3, 1).ctype == xlrd.XL_CELL_DATE
    tas = xlrd.open_workbook(str(folder / "台区档案_旧版xls.xls")).sheet_by_index(0)
    assert all(tas.cell(r, 0).ctype == xlrd.XL_CELL_NUMBER for r in range(3, tas.nrows))
    # calamine reads the legacy format too.
    cal = CalamineWorkbook.from_path(str(folder / "客户档案_旧版xls.xls")).get_sheet_by_index(0)
    assert len(cal.to_python()) == 3 + N


def test_big_ledgers_are_sliced_and_say_so(
    tmp_path: Path, exported: tuple[Database, Path, list[Path]], monkeypatch: pytest.MonkeyPatch
) -> None:
    db, _, _ = exported
    monkeypatch.setattr(ledgers, "XLS_ROWS", 400)
    monkeypatch.setattr(ledgers, "VARIANT_ROWS", 300)
    files = {f.name: f for f in write_ledgers(tmp_path, db=db)}
    xls = files["客户档案_旧版xls_前400户.xls"]
    assert xlrd.open_workbook(str(xls)).sheet_by_index(0).nrows == 3 + 400
    intro = files["客户档案_说明页在前_前300户.xlsx"]
    assert len(sheet_rows(intro, 1)) == 6 + 300
    assert "客户档案_脏数据_前300户.xlsx" in files
    assert len(sheet_rows(files["客户档案.xlsx"])) == 3 + N  # the clean one is always whole
    assert "只含前400户" in files["README.txt"].read_text(encoding="utf-8-sig")


# --------------------------------------------------------------------------- csv encodings


def test_gbk_csv(exported: tuple[Database, Path, list[Path]]) -> None:
    db, folder, _ = exported
    raw = (folder / "客户档案_GBK.csv").read_bytes()
    raw.decode("gbk")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert not raw.startswith(b"\xef\xbb\xbf")
    rows = csv_rows(folder / "客户档案_GBK.csv", "gbk")
    header = rows[0]
    assert header[:3] == ["用户编号", "用户名称", "联系电话"]  # synonyms, another order
    assert set(header) - set(ledgers.CUSTOMER_COLUMNS) == {"用户编号", "用户名称"}
    assert len(rows) == 1 + N
    date_col = header.index("立户日期")
    assert all(re.fullmatch(r"\d{4}/\d{1,2}/\d{1,2}", r[date_col]) for r in rows[1:] if r[date_col])
    assert set(r[0] for r in rows[1:]) == set(db_accounts(db))
    assert any("?" in r[1] for r in rows[1:])  # names with characters GBK lacks


def test_gb18030_csv(exported: tuple[Database, Path, list[Path]]) -> None:
    _, folder, _ = exported
    raw = (folder / "客户档案_GB18030.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("gbk")  # it holds characters outside GBK
    rows = csv_rows(folder / "客户档案_GB18030.csv", "gb18030")
    assert "客户档案" in rows[0][0] and rows[1][0].startswith("导出时间")
    assert tuple(rows[2]) == ledgers.CUSTOMER_COLUMNS  # header on the third line
    assert any("䶮" in r[1] or "㛃" in r[1] for r in rows[3:])
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", r[11]) for r in rows[3:] if r[11])
    orders = csv_rows(folder / "95598工单_GB18030.csv", "gb18030")
    assert re.fullmatch(r"\d{4}/\d{1,2}/\d{1,2} \d{2}:\d{2}", orders[1][1])


def test_utf8_csv_with_and_without_bom(exported: tuple[Database, Path, list[Path]]) -> None:
    _, folder, _ = exported
    with_bom = (folder / "客户档案_UTF8带BOM.csv").read_bytes()
    without = (folder / "客户档案_UTF8无BOM.csv").read_bytes()
    assert with_bom.startswith(b"\xef\xbb\xbf") and not without.startswith(b"\xef\xbb\xbf")
    with_bom.decode("utf-8")
    without.decode("utf-8")
    rows = csv_rows(folder / "客户档案_UTF8带BOM.csv", "utf-8-sig")
    assert tuple(rows[0]) == ledgers.CUSTOMER_COLUMNS
    assert all(re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", r[11]) for r in rows[1:] if r[11])
    rows = csv_rows(folder / "客户档案_UTF8无BOM.csv", "utf-8")
    assert all(re.fullmatch(r"\d{8}", r[11]) for r in rows[1:] if r[11])
    assert any(r[0] != r[0].strip() for r in rows[1:])  # stray spaces around 户号
    assert (folder / "楼长联络表_UTF8带BOM.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    contacts = csv_rows(folder / "楼长联络表_UTF8带BOM.csv", "utf-8-sig")
    assert [] in contacts  # blank rows
    assert not (folder / "网格划分_UTF8无BOM.csv").read_bytes().startswith(b"\xef\xbb\xbf")


# --------------------------------------------------------------------------- reshaped xlsx


def test_instructions_sheet_first_with_synonyms(
    exported: tuple[Database, Path, list[Path]],
) -> None:
    db, folder, _ = exported
    path = folder / "客户档案_说明页在前.xlsx"
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["说明", "客户档案"]
    rows = sheet_rows(path, 1)
    assert all(v is None for v in rows[4])  # a blank row before the header
    header = rows[5]  # row 6
    assert header[0] == "序号"
    for name in ("用户编号", "用户名称", "地址", "移动电话", "供电单位", "电压等级", "备注"):
        assert name in header
    assert "户号" not in header and "用电地址" not in header
    data = rows[6:]
    assert len(data) == N
    col = header.index("立户日期")
    serials = [r[col] for r in data if r[col] is not None]
    assert all(isinstance(v, int) and 30_000 < v < 50_000 for v in serials)
    assert {r[header.index("用户编号")] for r in data} == set(db_accounts(db))
    cal = CalamineWorkbook.from_path(str(path))
    assert cal.sheet_names == ["说明", "客户档案"]
    roster = openpyxl.load_workbook(folder / "人员花名册_说明页在前.xlsx")
    assert roster.sheetnames[0] == "说明"
    assert "员工编号" in [c.value for c in roster.worksheets[1][5]]  # header on row 5


def test_dirty_customer_ledger(exported: tuple[Database, Path, list[Path]]) -> None:
    db, folder, _ = exported
    path = folder / "客户档案_脏数据.xlsx"
    rows = sheet_rows(path)
    assert tuple(rows[2]) == ledgers.CUSTOMER_COLUMNS
    body, total = rows[3:-1], rows[-1]
    blanks = [r for r in body if all(v is None for v in r)]
    data = [r for r in body if any(v is not None for v in r)]
    assert blanks
    accounts = db_accounts(db)
    # 户号: numbers (leading zero lost), NBSP, spaces; all normalise back to the database's.
    raw_accounts = [r[0] for r in data]
    assert any(isinstance(a, int) and len(str(a)) < 10 for a in raw_accounts)
    assert any(isinstance(a, str) and "\u00a0" in a for a in raw_accounts)
    assert any(isinstance(a, str) and a != a.strip(" ") for a in raw_accounts)
    keys = [normalize.account_no(a) for a in raw_accounts]
    assert set(keys) == set(accounts)
    # The same key twice, with values that disagree.
    seen: dict[str, tuple[Any, ...]] = {}
    conflicts = 0
    for key, r in zip(keys, data, strict=True):
        if key in seen and seen[key] != r[1:]:
            conflicts += 1
        seen.setdefault(key, r[1:])
    assert conflicts >= 3
    # Phones: every messy form, all normalising to the stored phone.
    phones = [r[9] for r in data]
    as_text = [p for p in phones if isinstance(p, str)]
    assert any(isinstance(p, int) for p in phones)
    assert any(set(p) & FULLWIDTH_DIGITS for p in as_text)
    assert any(p.startswith("+86") for p in as_text)
    assert any(re.fullmatch(r"1\d\d-\d{4}-\d{4}", p) for p in as_text)
    assert any(re.fullmatch(r"1\d\d \d{4} \d{4}", p) for p in as_text)
    assert any(p.startswith("0838") or p.startswith("(0838)") for p in as_text)
    first_seen = {}
    for key, r in zip(keys, data, strict=True):
        first_seen.setdefault(key, r)
    for key, r in first_seen.items():
        stored = accounts[key][2]
        if stored:
            assert normalize.phone(r[9]) == normalize.phone(stored), r[9]
        # Dates in every notation, all parsing to the stored date.
        assert normalize.parse_date(r[11]).isoformat() == accounts[key][3], r[11]
    dates = [r[11] for r in data]
    assert any(isinstance(d, dt.datetime) for d in dates)
    assert any(isinstance(d, int) and d < 100_000 for d in dates)  # Excel serial
    assert any(isinstance(d, int) and d > 19_000_000 for d in dates)  # 20240305 as a number
    text_dates = [d for d in dates if isinstance(d, str)]
    for pattern in (
        r"\d{4}/\d{1,2}/\d{1,2}",
        r"\d{4}-\d{2}-\d{2}",
        r"\d{4}年\d{1,2}月\d{1,2}日",
        r"\d{8}",
    ):
        assert any(re.fullmatch(pattern, d) for d in text_dates), pattern
    # 合计 row: a real formula, whose cached value calamine reads.
    assert total[0] == "合计"
    assert isinstance(total[12], str) and re.fullmatch(r"=SUM\(M4:M\d+\)", total[12])
    cal = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    assert cal[-1][0] == "合计"
    assert cal[-1][12] == sum(r[12] for r in data)


def test_arrears_variants(exported: tuple[Database, Path, list[Path]]) -> None:
    db, folder, _ = exported
    amount_fen = q(db, "SELECT sum(amount_fen) FROM arrears WHERE status != 'paid'")[0][0]
    rows = sheet_rows(folder / "欠费明细_含合计行.xlsx")
    total = rows[-1]
    assert total[0] == "合计" and re.fullmatch(r"=SUM\(F4:F\d+\)", total[5])
    assert re.fullmatch(r"=SUM\(G4:G\d+\)", total[6])
    assert any(all(v is None for v in r) for r in rows[3:-1])
    assert all(isinstance(r[4], int) for r in rows[3:-1] if r[0])  # month as a number
    cal = CalamineWorkbook.from_path(str(folder / "欠费明细_含合计行.xlsx")).get_sheet_by_index(0)
    assert round(cal.to_python()[-1][5] * 100) == amount_fen
    text_rows = sheet_rows(folder / "欠费明细_金额为文本.xlsx")[3:]
    assert all(
        isinstance(r[5], str) and re.fullmatch(r"\d{1,3}(,\d{3})*\.\d{2}", r[5]) for r in text_rows
    )
    assert any("," in r[5] for r in text_rows)
    assert sum(normalize.money(r[5]) for r in text_rows) * 100 == amount_fen
    assert {normalize.parse_month(r[4]) for r in text_rows} <= {
        r[0] for r in q(db, "SELECT month FROM arrears")
    }
    gbk = csv_rows(folder / "欠费明细_GBK.csv", "gbk")
    assert tuple(gbk[0]) == ledgers.ARREARS_COLUMNS
    assert all(re.fullmatch(r"[\d,]+\.\d{2}", r[5]) for r in gbk[1:])


def test_roster_and_contacts_phones_normalise(exported: tuple[Database, Path, list[Path]]) -> None:
    db, folder, _ = exported
    rows = sheet_rows(folder / "人员花名册_说明页在前.xlsx", 1)[5:]
    header = sheet_rows(folder / "人员花名册_说明页在前.xlsx", 1)[4]
    col = header.index("移动电话")
    stored = {r[0] for r in q(db, "SELECT phone FROM staff")}
    assert {normalize.phone(r[col]) for r in rows} <= stored
    assert any(r[col] not in stored for r in rows)  # some are messy
    contacts = [r for r in csv_rows(folder / "楼长联络表_UTF8带BOM.csv", "utf-8-sig")[1:] if r]
    stored = {r[0] for r in q(db, "SELECT phone FROM contact")}
    assert {normalize.phone(r[5]) for r in contacts} <= stored


# --------------------------------------------------------------------------- command line


def test_cli_demo_with_ledgers(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    args = ["demo", "--customers", "1000", "--data-dir", str(tmp_path / "data")]
    args += ["--ledgers", str(tmp_path / "ledgers")]
    result = subprocess.run(
        [sys.executable, "-m", "gridsvc_desktop.cli", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "客户 1,000 户" in result.stdout
    assert (tmp_path / "ledgers" / "客户档案.xlsx").exists()
    assert (tmp_path / "ledgers" / "README.txt").exists()
    assert (tmp_path / "data" / "gridsvc.sqlite3").exists()
