"""Opening a ledger file: .xlsx / .xls through calamine (after safety checks), .csv
in UTF-8 (with or without BOM), UTF-16 (Excel's "Unicode text") or GBK/GB18030.

A `Source` offers its sheets by name; each yields rows as lists of cell values
(str, float, int, bool, date, datetime, or "" for an empty cell).
"""

from __future__ import annotations

import codecs
import contextlib
import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from gridsvc_desktop.ledgers import safety
from gridsvc_desktop.ledgers.errors import LedgerFileError

Row = list[Any]


class Sheet(Protocol):
    name: str

    @property
    def height(self) -> int: ...

    def head(self, n: int) -> list[Row]: ...

    def rows(self, start: int = 0) -> Iterator[Row]: ...


@dataclass
class Source:
    path: Path
    format: str  # xlsx | xls | csv
    sheet_names: list[str]
    encoding: str = ""  # csv only
    _loader: Any = None
    _loaded: dict[str, Sheet] = field(default_factory=dict)

    @property
    def file_name(self) -> str:
        return self.path.name

    def sheet(self, name: str) -> Sheet:
        if name not in self._loaded:
            self._loaded[name] = self._loader(name)
        return self._loaded[name]

    def release(self, keep: str | None = None) -> None:
        """Drop loaded sheets (all but `keep`) to give their memory back."""
        for name in list(self._loaded):
            if name != keep:
                del self._loaded[name]

    def close(self) -> None:
        self._loaded.clear()
        closer = getattr(self._loader, "close", None)
        if closer is not None:
            closer()


def open_source(path: Path, *, max_rows: int = safety.DEFAULT_MAX_ROWS) -> Source:
    """Sniff, check and open `path`; raises LedgerFileError with a message for the user."""
    fmt = safety.sniff(path)
    if fmt == "xlsx":
        safety.check_xlsx(path, max_rows=max_rows)
        return _open_calamine(path, "xlsx", max_rows)
    if fmt == "xls":
        return _open_calamine(path, "xls", max_rows)
    return _open_csv(path, max_rows)


# --------------------------------------------------------------------------- calamine


class _CalamineSheet:
    def __init__(self, sheet: Any, name: str) -> None:
        self._sheet = sheet
        self.name = name

    @property
    def height(self) -> int:
        return int(self._sheet.height)

    def head(self, n: int) -> list[Row]:
        return list(self._sheet.to_python(skip_empty_area=False, nrows=n))

    def rows(self, start: int = 0) -> Iterator[Row]:
        it = self._sheet.iter_rows()
        for _ in range(start):
            if next(it, None) is None:
                return
        yield from it


class _CalamineLoader:
    def __init__(self, wb: Any, path: Path, max_rows: int) -> None:
        self.wb = wb
        self.path = path
        self.max_rows = max_rows

    def __call__(self, name: str) -> Sheet:
        try:
            sheet = self.wb.get_sheet_by_name(name)
        except Exception as exc:
            raise LedgerFileError(
                self.path.name, f"工作表“{name}”读不出来（{_calamine_reason(exc)}）。"
            ) from exc
        if sheet.height > self.max_rows + safety.ROW_SLACK:
            raise LedgerFileError(
                self.path.name,
                f"工作表“{name}”有 {sheet.height:,} 行，超过 {self.max_rows:,} 行数据的导入上限。"
                "请把台账拆成几个文件分别导入，或请管理员在设置中调高上限（import_max_rows）。",
            )
        return _CalamineSheet(sheet, name)

    def close(self) -> None:
        with contextlib.suppress(Exception):  # closing twice is harmless
            self.wb.close()


def _calamine_reason(exc: Exception) -> str:
    kind = type(exc).__name__
    if kind == "PasswordError":
        return "文件设有密码"
    if kind in ("ZipError", "XmlError"):
        return "文件已损坏或不完整"
    return str(exc)[:200] or kind


def _open_calamine(path: Path, fmt: str, max_rows: int) -> Source:
    import python_calamine  # heavy: only when a file is opened

    try:
        wb = python_calamine.CalamineWorkbook.from_path(str(path))
    except Exception as exc:
        kind = type(exc).__name__
        if kind == "PasswordError":
            msg = "文件设有打开密码（已加密），无法读取。请在 Excel 中取消密码后另存，再导入。"
        elif fmt == "xls":
            msg = "不是有效的 .xls 工作簿（文件可能已损坏或不完整），请重新导出或另存为 .xlsx。"
        else:
            msg = f"文件已损坏或不完整，无法读取（{_calamine_reason(exc)}）。"
        raise LedgerFileError(path.name, msg) from exc
    names = list(wb.sheet_names)
    if not names:
        raise LedgerFileError(path.name, "工作簿里没有工作表。")
    return Source(
        path=path, format=fmt, sheet_names=names, _loader=_CalamineLoader(wb, path, max_rows)
    )


# --------------------------------------------------------------------------- csv

_ENCODINGS = ("utf-8", "gb18030")


def detect_encoding(path: Path) -> str:
    """utf-8-sig / utf-16 by BOM, else the first of UTF-8 and GB18030 (a superset of
    GBK and GB2312) that decodes the whole file."""
    with path.open("rb") as fh:
        head = fh.read(4)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    for enc in _ENCODINGS:
        decoder = codecs.getincrementaldecoder(enc)()
        try:
            with path.open("rb") as fh:
                while chunk := fh.read(1 << 22):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return enc
    raise LedgerFileError(
        path.name,
        "无法识别文件的文字编码（既不是 UTF-8，也不是 GBK/GB18030）。请另存为 UTF-8 的 CSV 或 .xlsx。",
    )


def _sniff_delimiter(sample: str) -> str:
    lines = [ln for ln in sample.splitlines()[:30] if ln.strip()]
    best, best_score = ",", -1
    for delim in (",", "\t", ";", "|"):
        counts = [ln.count(delim) for ln in lines]
        score = max(counts, default=0)
        if score > best_score:
            best, best_score = delim, score
    return best


def _unwrap(value: str) -> str:
    # ="0567685639": how some systems keep leading zeros of codes in CSV.
    if len(value) >= 3 and value[0] == "=" and value[1] == '"' and value[-1] == '"':
        return value[2:-1].replace('""', '"')
    return value


class _CsvSheet:
    def __init__(self, path: Path, encoding: str, delimiter: str, lines: int) -> None:
        self.path = path
        self.encoding = encoding
        self.delimiter = delimiter
        self.name = path.stem
        self._lines = lines

    @property
    def height(self) -> int:
        return self._lines

    def _reader(self) -> Iterator[Row]:
        with self.path.open(encoding=self.encoding, newline="") as fh:
            try:
                for row in csv.reader(fh, delimiter=self.delimiter):
                    yield [_unwrap(v) if v[:2] == '="' else v for v in row]
            except csv.Error as exc:
                raise LedgerFileError(self.path.name, f"CSV 格式有误（{exc}）。") from exc

    def head(self, n: int) -> list[Row]:
        out: list[Row] = []
        for row in self._reader():
            out.append(row)
            if len(out) >= n:
                break
        return out

    def rows(self, start: int = 0) -> Iterator[Row]:
        it = self._reader()
        for _ in range(start):
            if next(it, None) is None:
                return
        yield from it


def _open_csv(path: Path, max_rows: int) -> Source:
    encoding = detect_encoding(path)
    lines = 0
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 22):
            lines += chunk.count(b"\n")
    if lines > max_rows + safety.ROW_SLACK:
        raise LedgerFileError(
            path.name,
            f"文件约有 {lines:,} 行，超过 {max_rows:,} 行数据的导入上限。请把台账拆成几个文件分别导入，"
            "或请管理员在设置中调高上限（import_max_rows）。",
        )
    with path.open(encoding=encoding, newline="") as fh:
        sample = fh.read(64 * 1024)
    delimiter = _sniff_delimiter(sample)
    sheet = _CsvSheet(path, encoding, delimiter, lines)
    return Source(
        path=path,
        format="csv",
        sheet_names=[sheet.name],
        encoding=encoding,
        _loader=lambda _name: sheet,
    )
