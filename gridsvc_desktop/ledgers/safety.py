"""Checks a file must pass before any parser touches it.

Spreadsheet parsers trust their input: calamine allocates the whole bounding
box of a sheet's cells at once (a single cell at XFD1048576 asks for 512 GB and
aborts the process), follows a zip member however far it inflates, and an XML
parser may expand entities. So before calamine sees an .xlsx we read the zip
directory, inflate every XML part ourselves with a hard cap (declared sizes
are not trusted), refuse DOCTYPE/ENTITY declarations, count the rows of each
worksheet and bound the cell references. Everything streams: memory stays a
few megabytes whatever the file claims.
"""

from __future__ import annotations

import contextlib
import queue
import re
import struct
import threading
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO
from xml.etree import ElementTree

from gridsvc_desktop.ledgers.errors import LedgerFileError

# Excel's own sheet limit is 1,048,576 rows. A county ledger of 500,000 customers
# is the largest we plan for; the default cap leaves 60% headroom and keeps the
# import under about 1.3 GB of memory. Admins can raise it (setting import_max_rows).
DEFAULT_MAX_ROWS = 800_000
MAX_FILE_BYTES = 512 * 2**20
MAX_UNCOMPRESSED = 3 * 2**30  # all members together, inflated
MAX_RATIO = 200  # inflated / compressed, for members over 1 MiB
MAX_MEMBERS = 10_000
MAX_COLUMNS = 702  # "ZZ"; a ledger has a few dozen
CELL_BYTES = 32  # what calamine allocates per cell of a sheet's bounding box
MAX_BOX_BYTES = 1 * 2**30
ROW_SLACK = 1_000  # title rows, header, notes above and below the data

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_CHUNK = 1 << 22
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_DANGER = (
    b"<!DOCTYPE",
    b"<!ENTITY",
    "<!DOCTYPE".encode("utf-16-le"),
    "<!ENTITY".encode("utf-16-le"),
)


@dataclass
class SheetScan:
    name: str
    part: str
    rows: int = 0  # <row> elements
    max_col: int = 0  # 0: not measured (26 or fewer)


@dataclass
class XlsxScan:
    sheets: list[SheetScan] = field(default_factory=list)
    inflated: int = 0


def sniff(path: Path) -> str:
    """The format by content: "xlsx", "xls", "csv"; raises LedgerFileError for the rest."""
    name = path.name
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise LedgerFileError(name, f"无法读取（{exc.strerror or exc}）。") from exc
    if size == 0:
        raise LedgerFileError(name, "文件是空的（0 字节）。")
    if size > MAX_FILE_BYTES:
        raise LedgerFileError(
            name, f"文件过大（{size / 2**20:.0f} MB，上限 {MAX_FILE_BYTES // 2**20} MB）。"
        )
    with path.open("rb") as fh:
        head = fh.read(4096)
    suffix = path.suffix.lower()
    if head[:4] in ZIP_MAGIC:
        return "xlsx"
    if head[:8] == OLE_MAGIC:
        if _ole_encrypted(path):
            raise LedgerFileError(
                name, "文件设有打开密码（已加密），无法读取。请在 Excel 中取消密码后另存，再导入。"
            )
        return "xls"
    if suffix in (".xlsx", ".xlsm"):
        raise LedgerFileError(
            name,
            "扩展名是 .xlsx，但内容不是 Excel 工作簿（文件可能已损坏、未下载完整，或是改了扩展名的其他文件）。",
        )
    text_head = head.lstrip(b"\xef\xbb\xbf\xff\xfe \t\r\n").lower()
    if text_head.startswith((b"<html", b"<!doctype html", b"<table", b"<?xml", b"<meta")):
        raise LedgerFileError(
            name,
            "这是网页（HTML/XML）格式的表格，只是扩展名为 Excel。请用 Excel 打开后“另存为”.xlsx 再导入。",
        )
    if _looks_textual(head):
        return "csv"
    raise LedgerFileError(name, "不是 Excel 工作簿（.xlsx/.xls），也不是 CSV 文本文件。")


def _looks_textual(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    if b"\x00" in head:
        return False
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return controls <= len(head) // 100


def _ole_encrypted(path: Path) -> bool:
    """An OLE container holding an encrypted OOXML package (Excel's "password to open").

    Directory entry names are UTF-16; we look for the EncryptedPackage stream name
    in the first megabytes, where Office writes its directory.
    """
    with path.open("rb") as fh:
        data = fh.read(8 * 2**20)
    return _ENCRYPTED in data


# --------------------------------------------------------------------------- xlsx


def check_xlsx(path: Path, *, max_rows: int = DEFAULT_MAX_ROWS) -> XlsxScan:
    """Refuse a zip bomb, an XML entity bomb, encryption, a sheet over `max_rows`, or
    cell references whose bounding box would not fit in memory. Returns what was seen."""
    name = path.name
    try:
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise LedgerFileError(
            name, "文件不完整或已损坏（压缩包目录读不出来），请重新导出或重新下载。"
        ) from exc
    except OSError as exc:
        raise LedgerFileError(name, f"无法读取（{exc.strerror or exc}）。") from exc
    with zf, path.open("rb") as fh:
        infos = zf.infolist()
        if len(infos) > MAX_MEMBERS:
            raise LedgerFileError(name, f"压缩包内文件数异常（{len(infos)} 个），已拒绝。")
        names = {i.filename for i in infos}
        if "xl/workbook.bin" in names:
            raise LedgerFileError(
                name, "这是 .xlsb（二进制工作簿），请在 Excel 中另存为 .xlsx 再导入。"
            )
        if "xl/workbook.xml" not in names:
            what = "是 Word 文档" if "word/document.xml" in names else "缺少 xl/workbook.xml"
            raise LedgerFileError(name, f"这是一个压缩包，但不是 Excel 工作簿（{what}）。")
        total = sum(i.file_size for i in infos)
        if total > MAX_UNCOMPRESSED:
            raise LedgerFileError(
                name,
                f"解压后将有 {total / 2**30:.1f} GB（上限 {MAX_UNCOMPRESSED // 2**30} GB），"
                "疑似“压缩炸弹”，已拒绝。",
            )
        for info in infos:
            if info.flag_bits & 0x1:
                raise LedgerFileError(name, "文件内容已加密（设有密码），无法读取。")
            if info.file_size > 2**20 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise LedgerFileError(
                    name,
                    f"压缩比异常（{info.filename} 由 {info.compress_size:,} 字节解压为 "
                    f"{info.file_size:,} 字节），疑似“压缩炸弹”，已拒绝。",
                )
        scan = XlsxScan()
        parts = _sheet_parts(zf, fh, name)
        limit = max_rows + ROW_SLACK
        for info in infos:
            if not info.filename.lower().endswith((".xml", ".rels", ".vml")):
                continue
            sheet = parts.get(info.filename)
            if sheet is not None:
                scan.sheets.append(sheet)
                _scan_sheet(fh, info, sheet, name, limit, scan)
            else:
                for _chunk in _inflate(fh, info, name, scan):
                    pass
    return scan


def _sheet_parts(zf: zipfile.ZipFile, fh: BinaryIO, name: str) -> dict[str, SheetScan]:
    """Worksheet part name → its sheet (name from workbook.xml), after the DOCTYPE check."""
    texts = {}
    for part in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels"):
        try:
            info = zf.getinfo(part)
        except KeyError:
            return {}
        if info.file_size > 16 * 2**20:
            raise LedgerFileError(name, "工作簿目录过大，文件异常。")
        texts[part] = b"".join(_inflate(fh, info, name, XlsxScan()))
    try:
        wb = ElementTree.fromstring(texts["xl/workbook.xml"])
        rels = ElementTree.fromstring(texts["xl/_rels/workbook.xml.rels"])
    except ElementTree.ParseError as exc:
        raise LedgerFileError(name, f"文件已损坏（工作簿目录不是有效的 XML：{exc}）。") from exc
    targets = {}
    for rel in rels:
        target = rel.get("Target", "")
        target = target.lstrip("/") if target.startswith("/") else "xl/" + target
        targets[rel.get("Id", "")] = _normpath(target)
    out: dict[str, SheetScan] = {}
    rid_attr = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    for el in wb.iter():
        if el.tag.endswith("}sheet") or el.tag == "sheet":
            part = targets.get(el.get(rid_attr, ""), "")
            if part:
                out[part] = SheetScan(name=el.get("name", "?"), part=part)
    return out


def _normpath(p: str) -> str:
    out: list[str] = []
    for seg in p.split("/"):
        if seg == "..":
            if out:
                out.pop()
        elif seg and seg != ".":
            out.append(seg)
    return "/".join(out)


def _inflate(fh: BinaryIO, info: zipfile.ZipInfo, name: str, scan: XlsxScan) -> Iterator[bytes]:
    """The member's bytes in chunks, inflated by us with a hard cap at its declared size,
    each chunk already checked for DOCTYPE/ENTITY declarations. Consume one at a time."""
    fh.seek(info.header_offset)
    header = fh.read(30)
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise LedgerFileError(name, f"文件已损坏（{info.filename} 的记录头无效）。")
    n_len, x_len = struct.unpack("<HH", header[26:30])
    fh.seek(info.header_offset + 30 + n_len + x_len)
    if info.compress_type == zipfile.ZIP_STORED:
        inflater = None
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        inflater = zlib.decompressobj(-15)
    else:
        raise LedgerFileError(name, f"{info.filename} 使用了不支持的压缩方式，文件异常。")
    left, produced, tail = info.compress_size, 0, b""
    while True:
        if inflater is not None and inflater.unconsumed_tail:
            raw = inflater.unconsumed_tail
        elif left > 0:
            raw = fh.read(min(_CHUNK, left))
            if not raw:
                raise LedgerFileError(name, "文件不完整（数据被截断），请重新导出或重新下载。")
            left -= len(raw)
        else:
            break
        try:
            out = inflater.decompress(raw, _CHUNK) if inflater is not None else raw
        except zlib.error as exc:
            raise LedgerFileError(name, f"文件已损坏（{info.filename} 解压失败）。") from exc
        produced += len(out)
        scan.inflated += len(out)
        if produced > info.file_size:
            raise LedgerFileError(
                name,
                f"{info.filename} 解压后超出其声明的大小，疑似“压缩炸弹”或文件被篡改，已拒绝。",
            )
        if scan.inflated > MAX_UNCOMPRESSED:
            raise LedgerFileError(name, "解压后数据量超过上限，疑似“压缩炸弹”，已拒绝。")
        window = tail + out
        # "!" is rare in spreadsheet XML, "<" is everywhere: look for the rare byte first.
        if b"!" in window and any(d in window for d in _DANGER):
            raise LedgerFileError(
                name,
                f"{info.filename} 含有 DOCTYPE/ENTITY 声明（可能是“XML 实体炸弹”），出于安全考虑已拒绝。",
            )
        tail = out[-32:]
        if out:
            yield out
        if inflater is not None and inflater.eof:
            break
    if (inflater is not None and not inflater.eof) or produced != info.file_size:
        raise LedgerFileError(name, f"文件不完整或已损坏（{info.filename} 的数据长度不符）。")


# One pass over each worksheet, cheap because it rarely matches: a reference with a
# column of two or three letters (wide sheets only) or a row number of seven digits.
_ODD_REF = re.compile(rb' r="(?:([A-Z]{2,3})[0-9]|[A-Z]?[0-9]{7})')
_ODD_REF_ANY = re.compile(rb' r="(?:[A-Z][A-Z]|[A-Z]?[0-9]{7})')
_ANY_REF = re.compile(rb' r="[A-Z]{0,3}([0-9]{1,9})"')
_MILLION = 1_000_000


def _col_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n


def _scan_sheet(
    fh: BinaryIO, info: zipfile.ZipInfo, sheet: SheetScan, name: str, limit: int, scan: XlsxScan
) -> None:
    """Count rows (refuse past `limit`) and bound the cell references.

    References of a million or more rows (Excel stops at 1,048,576) or beyond column
    ZZ are refused outright; so calamine's bounding box is at most 999,999 rows by
    the widest column seen, and a sheet whose box would pass MAX_BOX_BYTES gets an
    exact (slower) look at its row numbers.
    """
    tail = b""
    max_col = 0
    prefixed: bool | None = None  # <x:row …> instead of <row …>
    for out in _prefetch(_inflate(fh, info, name, scan)):
        if prefixed is None:
            prefixed = b"<row" not in out and b":row" in out
        sheet.rows += out.count(b":row ") + out.count(b":row>") if prefixed else out.count(b"<row")
        window = tail + out
        odd = set(_ODD_REF.findall(window)) if _ODD_REF_ANY.search(window) else ()
        for letters in odd:
            if not letters:
                raise LedgerFileError(
                    name,
                    f"工作表“{sheet.name}”在第 100 万行以后还有单元格，超出导入范围。"
                    "请删除多余的行，或把台账拆成几个文件。",
                )
            col = _col_number(letters)
            if col > MAX_COLUMNS:
                raise LedgerFileError(
                    name,
                    f"工作表“{sheet.name}”在 {letters.decode()} 列有单元格，列数超出上限（{MAX_COLUMNS} 列）。",
                )
            max_col = max(max_col, col)
        tail = out[-64:]
        if sheet.rows > limit:
            raise LedgerFileError(
                name,
                f"工作表“{sheet.name}”超过 {limit - ROW_SLACK:,} 行数据的导入上限。"
                "请把台账按乡镇拆成几个文件分别导入，或请管理员在设置中调高上限（import_max_rows）。",
            )
    sheet.max_col = max_col
    width = max(max_col, 26)
    if _MILLION * width * CELL_BYTES > MAX_BOX_BYTES:
        top_row = _exact_max_row(fh, info, name)
        if top_row * width * CELL_BYTES > MAX_BOX_BYTES:
            raise LedgerFileError(
                name,
                f"工作表“{sheet.name}”的数据区域过大（{top_row} 行 × {width} 列），超出可导入的范围。",
            )


def _prefetch(chunks: Iterator[bytes], depth: int = 2) -> Iterator[bytes]:
    """`chunks` produced on a worker thread (zlib inflates with the GIL released)
    while the caller scans the previous chunk. Exceptions reach the caller; when the
    caller stops early the worker is stopped and joined before this returns."""
    q: queue.Queue[Any] = queue.Queue(maxsize=depth)
    stop = threading.Event()
    done = object()

    def work() -> None:
        try:
            for item in chunks:
                while not stop.is_set():
                    try:
                        q.put(item, timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            q.put(done)
        except BaseException as exc:  # handed to the caller
            q.put(exc)

    worker = threading.Thread(target=work, name="xlsx-scan", daemon=True)
    worker.start()
    try:
        while True:
            item = q.get()
            if item is done:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        while worker.is_alive():
            with contextlib.suppress(queue.Empty):
                q.get(timeout=0.05)
        worker.join()


def _exact_max_row(fh: BinaryIO, info: zipfile.ZipInfo, name: str) -> int:
    """The largest row number any reference uses (slow path, wide sheets only)."""
    top = 0
    tail = b""
    for out in _inflate(fh, info, name, XlsxScan()):
        numbers = set(_ANY_REF.findall(tail + out))
        if numbers:
            top = max(top, *map(int, numbers))
        tail = out[-64:]
    return top
