"""Builders of real ledger files for the ledger tests (xlsx by openpyxl or xlsxwriter,
xls by xlwt, csv as bytes in each encoding), and a small county to import into.

Other test modules import these helpers (`from test_ledgers_files import …`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.services.actor import Actor
from gridsvc_desktop.services.imports import ImportOptions, ImportPlan, import_ledger

CUSTOMER_HEADER = [
    "户号", "户名", "用电地址", "用电类别", "计量方式", "台区编号", "台区名称", "所属线路",
    "电能表资产编号", "联系电话", "所属社区", "立户日期", "合同容量(kVA)",
]  # fmt: skip
TA_HEADER = [
    "台区编号",
    "台区名称",
    "所属线路",
    "变压器容量(kVA)",
    "所属乡镇(街道)",
    "所属社区(村)",
    "台区经理",
]
TAS = [
    ["0294919105", "文庙社区1号公变", "10kV城东线", 630, "城关镇", "文庙社区", ""],
    ["1815623033", "北街社区1号公变", "10kV城西线", 500, "城关镇", "北街社区", ""],
    ["0799609893", "杨柳村1号公变", "10kV白鹤线", 315, "东城街道", "杨柳村", ""],
]


def customer_row(i: int, **over: Any) -> list[Any]:
    ta = TAS[i % len(TAS)]
    row = {
        "户号": f"{3100000000 + i * 7:010d}" if i % 2 else f"{i * 13 + 5:010d}",
        "户名": f"客户{i}",
        "用电地址": f"清河县城关镇{ta[5]}幸福家园{i % 30 + 1}栋{i % 4 + 1}单元{i % 18 + 1}01",
        "用电类别": "居民生活用电",
        "计量方式": "一户一表",
        "台区编号": ta[0],
        "台区名称": ta[1],
        "所属线路": ta[2],
        "电能表资产编号": f"{5563921805169938954412 + i}",
        "联系电话": f"13{i % 10}{(12345678 + i * 7919) % 100000000:08d}",
        "所属社区": ta[5],
        "立户日期": dt.date(2010, 1, 1) + dt.timedelta(days=i * 11),
        "合同容量(kVA)": 8,
    }
    row.update(over)
    return [row[h] for h in CUSTOMER_HEADER]


def titled(
    kind_title: str, header: Sequence[str], rows: Sequence[Sequence[Any]]
) -> list[list[Any]]:
    """Title row, export-info row, header, data: the layout of the samples."""
    return [
        [f"清河县城关供电所 {kind_title}"],
        ["导出时间：2026-11-20 09:12:33    导出人：admin"],
        list(header),
        *[list(r) for r in rows],
    ]


def write_xlsx(
    path: Path,
    rows: Sequence[Sequence[Any]],
    *,
    sheet: str = "Sheet1",
    before: dict[str, list[list[Any]]] | None = None,
) -> Path:
    """An .xlsx by openpyxl; values starting with '=' are formulas; `before` adds sheets first."""
    from openpyxl import Workbook

    wb = Workbook()
    first = wb.active
    assert first is not None
    sheets = [*(before or {}).items(), (sheet, rows)]
    for n, (name, data) in enumerate(sheets):
        ws = first if n == 0 else wb.create_sheet()
        ws.title = name
        for r in data:
            ws.append(list(r))
    wb.save(path)
    return path


def write_xls(path: Path, rows: Sequence[Sequence[Any]], *, sheet: str = "Sheet1") -> Path:
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet(sheet)
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            if isinstance(v, dt.date):
                ws.write(r, c, v, date_style)
            elif v is not None:
                ws.write(r, c, v)
    wb.save(str(path))
    return path


def csv_bytes(rows: Sequence[Sequence[Any]], encoding: str, *, delimiter: str = ",") -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    for r in rows:
        w.writerow(["" if v is None else v for v in r])
    return buf.getvalue().encode(encoding)


def seed_county(db: Database, actor: Actor, folder: Path) -> ImportPlan:
    """Three transformer areas (with their feeders and communities), imported the normal way."""
    path = write_xlsx(
        folder / "台区档案.xlsx", titled("台区档案", TA_HEADER, TAS), sheet="台区档案"
    )
    return import_ledger(db, actor, path, ImportOptions(kind="transformer_areas"))


def customers_file(folder: Path, n: int, name: str = "客户档案.xlsx") -> Path:
    """A customer ledger of n rows, written by xlsxwriter (fast for thousands of rows)."""
    import xlsxwriter

    path = folder / name
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("客户档案")
    date = wb.add_format({"num_format": "yyyy-mm-dd"})
    for r, row in enumerate(
        titled("客户档案", CUSTOMER_HEADER, [customer_row(i) for i in range(n)])
    ):
        for c, v in enumerate(row):
            if isinstance(v, dt.date):
                ws.write_datetime(r, c, v, date)
            elif isinstance(v, str):
                ws.write_string(r, c, v)
            else:
                ws.write(r, c, v)
    wb.close()
    return path


def test_builders_make_readable_files(tmp_path: Path) -> None:
    from gridsvc_desktop.ledgers.readers import open_source

    rows = titled("客户档案", CUSTOMER_HEADER, [customer_row(i) for i in range(3)])
    for path in (write_xlsx(tmp_path / "a.xlsx", rows), write_xls(tmp_path / "a.xls", rows)):
        src = open_source(path)
        sheet = src.sheet(src.sheet_names[0])
        assert sheet.head(4)[2][0] == "户号"
        src.close()
    (tmp_path / "a.csv").write_bytes(csv_bytes(rows, "gbk"))
    src = open_source(tmp_path / "a.csv")
    assert src.encoding == "gb18030"
    assert src.sheet(src.sheet_names[0]).head(3)[2][1] == "户名"
