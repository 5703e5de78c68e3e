"""Writing ledgers as .xlsx, in the layout the importer reads back: a title row,
an export-info row, the header on row 3, data from row 4.

xlsxwriter in constant_memory mode streams rows to disk, so 500,000 rows take a
few megabytes. Every text cell is written with `write_string`, never `write()`:
text that starts with = + - @, a tab, CR or NUL stays text and is never turned
into a formula, and phones such as +86 138… keep their plus sign. Characters XML
cannot hold (NUL and other C0 controls) are escaped by xlsxwriter as _xHHHH_,
which Excel and calamine read back as the character.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from gridsvc_desktop.domain.masking import mask_id_number, mask_phone
from gridsvc_desktop.ledgers.pipeline import Parsed, RefusedRow
from gridsvc_desktop.ledgers.spec import Column, LedgerSpec

# Text an application might take for a formula or a command when the cell is edited,
# or when the sheet is saved as CSV.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\x00")


def risky(text: str) -> bool:
    """True for text a spreadsheet could read as a formula."""
    return text.startswith(FORMULA_START)


class LedgerWriter:
    """One ledger sheet (and optionally an instructions sheet before it)."""

    def __init__(
        self,
        path: Path,
        spec: LedgerSpec,
        *,
        station: str = "",
        exported_by: str = "",
        masked: bool = False,
        headers: Sequence[str] | None = None,
        widths: Sequence[float] | None = None,
        title: str | None = None,
        info: str | None = None,
        instructions: bool = False,
    ) -> None:
        import xlsxwriter  # heavy: only when writing

        self.path = Path(path)
        self.spec = spec
        self.masked = masked
        self.headers = list(headers) if headers is not None else spec.headers
        self.wb = xlsxwriter.Workbook(
            str(self.path),
            {"constant_memory": True, "strings_to_numbers": False, "strings_to_formulas": False},
        )
        self.f_title = self.wb.add_format({"bold": True, "font_size": 14, "align": "center"})
        self.f_info = self.wb.add_format({"font_color": "#555555"})
        self.f_head = self.wb.add_format(
            {
                "bold": True,
                "bg_color": "#DDEBF7",
                "border": 1,
                "align": "center",
                "valign": "vcenter",
            }
        )
        self.f_date = self.wb.add_format({"num_format": "yyyy-mm-dd"})
        self.f_datetime = self.wb.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        if instructions:
            self._instructions(station)
        self.ws = self.wb.add_worksheet(spec.title[:31])
        n = len(self.headers)
        for i, w in enumerate(widths if widths is not None else [c.width for c in spec.columns]):
            self.ws.set_column(i, i, w)
        self.ws.freeze_panes(3, 0)
        title_text = title if title is not None else f"{station} {spec.title}".strip()
        if n > 1:
            self.ws.merge_range(0, 0, 0, n - 1, title_text, self.f_title)
        else:
            self.ws.write_string(0, 0, title_text, self.f_title)
        if info is None:
            stamp = dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S")
            info = f"导出时间：{stamp}    导出人：{exported_by}"
            if masked:
                info += "    （电话、证件号已打码，本文件不能用于导入）"
        self.ws.write_string(1, 0, info, self.f_info)
        for i, h in enumerate(self.headers):
            self.ws.write_string(2, i, h, self.f_head)
        self.row = 3
        self.count = 0
        self._maskers = (
            [self._masker(c) for c in spec.columns]
            if len(self.headers) == len(spec.columns)
            else []
        )

    def _masker(self, col: Column) -> Any:
        if not self.masked:
            return None
        if col.sensitive == "phone":
            return mask_phone
        if col.sensitive == "id":
            return mask_id_number
        return None

    def _instructions(self, station: str) -> None:
        ws = self.wb.add_worksheet("说明")
        spec = self.spec
        ws.set_column(0, 0, 18)
        ws.set_column(1, 1, 8)
        ws.set_column(2, 2, 60)
        ws.set_column(3, 3, 24)
        ws.write_string(0, 0, f"{station} {spec.title} 填写说明".strip(), self.f_title)
        lines = [
            f"在“{spec.title[:31]}”工作表的第 4 行起填写数据，第 3 行的表头不要改动；第 1、2 行可随意。",
            "户号、编号、电话等请按文本填写（以免首位的 0 丢失或变成科学计数法）。",
            "日期可写 2024-03-05、2024/3/5、2024年3月5日 或 20240305。金额以元为单位，可写 1,234.50。",
            "合计行、空行会被跳过；同一关键字段出现两次且内容不同的，两行都不会导入。",
        ]
        if spec.key_label:
            lines.append(f"每行以“{spec.key_label}”区分：已有的会被更新，没有的会新增。")
        for i, text in enumerate(lines):
            ws.write_string(2 + i, 0, text)
        r = 3 + len(lines)
        for i, h in enumerate(("列名", "必填", "说明", "示例")):
            ws.write_string(r, i, h, self.f_head)
        for col in spec.columns:
            r += 1
            ws.write_string(r, 0, col.header)
            ws.write_string(r, 1, "是" if col.not_empty else "")
            note = col.note
            if col.synonyms:
                note = (note + "；" if note else "") + "也认：" + "、".join(col.synonyms)
            ws.write_string(r, 2, note)
            if col.example:
                ws.write_string(r, 3, col.example)

    def write_row(self, values: Sequence[Any]) -> None:
        ws, r = self.ws, self.row
        maskers = self._maskers
        for c, v in enumerate(values):
            if v is None or v == "":
                continue
            t = type(v)
            if t is str:
                if maskers and maskers[c] is not None:
                    v = maskers[c](v)
                ws.write_string(r, c, v)
            elif t is int or t is float:
                ws.write_number(r, c, v)
            elif t is dt.datetime:
                ws.write_datetime(r, c, v, self.f_datetime)
            elif t is dt.date:
                ws.write_datetime(r, c, v, self.f_date)
            elif t is bool:
                ws.write_boolean(r, c, v)
            else:
                ws.write_string(r, c, str(v))
        self.row += 1
        self.count += 1

    def write_rows(self, rows: Iterable[Sequence[Any]]) -> None:
        for row in rows:
            self.write_row(row)

    def close(self) -> int:
        self.wb.close()
        return self.count


def write_template(path: Path, spec: LedgerSpec, *, station: str = "") -> Path:
    """A blank ledger: the instructions sheet (说明) first, then the empty layout."""
    w = LedgerWriter(
        path,
        spec,
        station=station,
        info="模板：从第 4 行起填写，填好后用“导入台账”导入",
        instructions=True,
    )
    w.close()
    return Path(path)


# --------------------------------------------------------------------------- error workbook

REASON_HEADER = "错误原因"
ROW_HEADER = "原行号"


def _cell(value: Any, col: Column | None) -> Any:
    """A coerced value back in a form the importer reads (for rows rebuilt from values)."""
    if value is None:
        return None
    if isinstance(value, tuple):
        return "、".join(str(v) for v in value)
    if col is not None and col.type == "money_fen" and isinstance(value, int):
        return value / 100
    if col is not None and col.type.startswith(("enum:", "enum?:")):
        from gridsvc_desktop.domain import enums

        enum_cls = getattr(enums, col.type.split(":", 1)[1])
        try:
            return enum_cls(value).label
        except ValueError:
            return value
    return value


def write_error_rows(parsed: Parsed, refused: list[RefusedRow], path: Path) -> int:
    """The refused rows with all the file's columns, plus 错误原因 and 原行号."""
    layout = parsed.layout
    spec = layout.spec
    headers = [h or f"列{i + 1}" for i, h in enumerate(layout.headers)]
    widths = [layout.mapping[i].width if i in layout.mapping else 12 for i in range(len(headers))]
    w = LedgerWriter(
        path,
        spec,
        headers=[*headers, REASON_HEADER, ROW_HEADER],
        widths=[*widths, 50, 8],
        title=f"{parsed.path.name} 中被拒绝的行",
        info=f"共 {len(refused)} 行。按“错误原因”修改后，可把本文件直接再导入（最后两列会被忽略）。",
    )
    position = {col.name: i for i, col in layout.mapping.items()}
    for entry in refused:
        if entry.raw is not None:
            cells = list(entry.raw[: len(headers)]) + [None] * max(0, len(headers) - len(entry.raw))
        else:
            cells = [None] * len(headers)
            if entry.values is not None:
                for j, name in enumerate(parsed.fields):
                    cells[position[name]] = _cell(entry.values[j], spec.column(name))
        w.write_row([*cells, entry.reason, entry.row])
    return w.close()
