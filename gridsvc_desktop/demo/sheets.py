"""Row-by-row writers for ledger files: .xlsx (xlsxwriter, constant memory),
legacy .xls (xlwt, BIFF8) and .csv in a chosen encoding.

All three take rows of Python values and write them in the ledger layout the
samples use: a merged title row, an export-info row, optional note rows, then
the header and the data. What a value becomes is decided by its type: `str` is
always text (so "0123" keeps its zero), `int`/`float` a number, `date` and
`datetime` a formatted date, `Formula` a formula with its cached result, None
an empty cell.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

XLS_MAX_ROWS = 65_536  # BIFF8 rows per sheet


@dataclass(frozen=True)
class Formula:
    """A cell formula (e.g. "=SUM(F4:F150)") and the value a reader without a
    calculation engine sees (Excel's cached result)."""

    text: str
    value: float | int | str


def col_name(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    name = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        name = chr(65 + rem) + name
    return name


class XlsxLedger:
    """One ledger in an .xlsx, written in constant memory.

    `intro` puts an instructions sheet (说明) before the data sheet; `notes`
    are extra rows between the export-info row and the header (so the header
    is not where the samples have it).
    """

    def __init__(
        self,
        path: Path,
        *,
        sheet: str,
        title: str,
        export_line: str,
        header: Sequence[str],
        notes: Sequence[str] = (),
        intro: Sequence[str] = (),
        widths: Sequence[int] = (),
        datetime_format: str = "yyyy-mm-dd h:mm:ss",
    ) -> None:
        import xlsxwriter

        self.path = path
        self.workbook = xlsxwriter.Workbook(
            str(path),
            {"constant_memory": True, "strings_to_numbers": False, "strings_to_formulas": False},
        )
        self.workbook.set_properties({"title": title, "author": "gridsvc 演示数据"})
        wb = self.workbook
        self._date = wb.add_format({"num_format": "yyyy-mm-dd"})
        self._datetime = wb.add_format({"num_format": datetime_format})
        bold = wb.add_format({"bold": True})
        title_fmt = wb.add_format({"bold": True, "font_size": 14, "align": "center"})
        if intro:
            info = wb.add_worksheet("说明")
            info.set_column(0, 0, 90)
            for i, line in enumerate(intro):
                info.write_string(i, 0, line, bold if i == 0 else None)
        ws = wb.add_worksheet(sheet)
        self.sheet = ws
        n = len(header)
        for i, width in enumerate(widths or [14] * n):
            ws.set_column(i, i, width)
        ws.merge_range(0, 0, 0, max(n - 1, 1), title, title_fmt)
        ws.write_string(1, 0, export_line)
        row = 2
        for note in notes:
            if note:
                ws.write_string(row, 0, note)
            row += 1
        self.header_row = row  # 0-based
        for c, name in enumerate(header):
            ws.write_string(row, c, name, bold)
        self.row = row + 1
        self.first_data_row = self.row + 1  # 1-based, for formulas
        self.rows = 0

    def write(self, values: Sequence[Any]) -> None:
        ws, r = self.sheet, self.row
        for c, v in enumerate(values):
            t = type(v)
            if t is str:
                if v:
                    ws.write_string(r, c, v)
            elif t is int or t is float:
                ws.write_number(r, c, v)
            elif t is dt.date:
                ws.write_datetime(r, c, v, self._date)
            elif t is dt.datetime:
                ws.write_datetime(r, c, v, self._datetime)
            elif t is Formula:
                ws.write_formula(r, c, v.text, None, v.value)
            elif v is not None:
                ws.write_string(r, c, str(v))
        self.row += 1
        self.rows += 1

    def blank(self) -> None:
        self.row += 1

    @property
    def last_row(self) -> int:
        """1-based row number of the last row written."""
        return self.row

    def close(self) -> None:
        self.workbook.close()


class XlsLedger:
    """One ledger in a legacy .xls (Excel 97-2003, BIFF8), held in memory until saved."""

    def __init__(
        self,
        path: Path,
        *,
        sheet: str,
        title: str,
        export_line: str,
        header: Sequence[str],
        datetime_format: str = "YYYY-MM-DD HH:MM:SS",
    ) -> None:
        import xlwt

        self.path = path
        self.book = xlwt.Workbook(encoding="utf-8")
        self.sheet = self.book.add_sheet(sheet)
        self._date = xlwt.easyxf(num_format_str="YYYY-MM-DD")
        self._datetime = xlwt.easyxf(num_format_str=datetime_format)
        bold = xlwt.easyxf("font: bold on")
        self.sheet.write_merge(
            0,
            0,
            0,
            max(len(header) - 1, 1),
            title,
            xlwt.easyxf("font: bold on, height 280; align: horiz center"),
        )
        self.sheet.write(1, 0, export_line)
        for c, name in enumerate(header):
            self.sheet.write(2, c, name, bold)
            self.sheet.col(c).width = 256 * 14
        self.row = 3
        self.rows = 0

    def write(self, values: Sequence[Any]) -> None:
        if self.row >= XLS_MAX_ROWS:
            raise ValueError("xls 工作表最多 65536 行")
        ws, r = self.sheet, self.row
        for c, v in enumerate(values):
            if v is None or v == "":
                continue
            if type(v) is dt.datetime:
                ws.write(r, c, v, self._datetime)
            elif type(v) is dt.date:
                ws.write(r, c, v, self._date)
            else:
                ws.write(r, c, v)
        self.row += 1
        self.rows += 1

    def close(self) -> None:
        self.book.save(str(self.path))


class CsvLedger:
    """One ledger as .csv in `encoding` ("gbk", "gb18030", "utf-8-sig" = with BOM, "utf-8").

    Characters the encoding lacks become "?", as a real GBK export does.
    `preamble` rows (title, export info) come before the header.
    """

    def __init__(
        self,
        path: Path,
        *,
        encoding: str,
        header: Sequence[str],
        preamble: Sequence[Sequence[str]] = (),
    ) -> None:
        self.path = path
        self._fh = path.open("w", encoding=encoding, errors="replace", newline="")
        self._writer = csv.writer(self._fh)
        for line in preamble:
            self._writer.writerow(line)
        self._writer.writerow(header)
        self.rows = 0

    def write(self, values: Sequence[Any]) -> None:
        self._writer.writerow(["" if v is None else v for v in values])
        self.rows += 1

    def blank(self) -> None:
        self._writer.writerow([])

    def close(self) -> None:
        self._fh.close()
