"""Hostile and broken files: each is refused as a whole with a Chinese message that
names the file, within seconds and bounded memory, and the database is untouched.

Big files are built here, never committed: the zip bomb is a small hand-made zip
whose one member inflates to 2 GiB of zeros, the million-row sheet is streamed.
"""

from __future__ import annotations

import struct
import time
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import SQLModel
from test_ledgers_files import CUSTOMER_HEADER, customer_row, titled, write_xls, write_xlsx

from gridsvc_desktop.db.engine import Database, table_counts
from gridsvc_desktop.ledgers.errors import LedgerFileError
from gridsvc_desktop.services.actor import Actor
from gridsvc_desktop.services.imports import ImportOptions, import_ledger

CT = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WB = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="客户档案" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WB_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)
SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
SHEET_TAIL = "</sheetData></worksheet>"
PARTS = {
    "[Content_Types].xml": CT,
    "_rels/.rels": RELS,
    "xl/workbook.xml": WB,
    "xl/_rels/workbook.xml.rels": WB_RELS,
}


def _inline_row(r: int, values: list[str]) -> str:
    cells = "".join(
        f'<c r="{chr(65 + i)}{r}" t="inlineStr"><is><t>{v}</t></is></c>'
        for i, v in enumerate(values)
    )
    return f'<row r="{r}">{cells}</row>'


def make_xlsx(path: Path, sheet_body: str | Iterator[str], *, prolog: str = "") -> Path:
    """A minimal workbook by hand: one sheet whose rows are `sheet_body`."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for name, text in PARTS.items():
            z.writestr(name, text)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            head = SHEET_HEAD.replace("?>\n", "?>\n" + prolog, 1)
            f.write(head.encode())
            chunks = [sheet_body] if isinstance(sheet_body, str) else sheet_body
            for chunk in chunks:
                f.write(chunk.encode())
            f.write(SHEET_TAIL.encode())
    return path


def raw_zip(path: Path, members: list[tuple[str, bytes, int, int, int]]) -> Path:
    """A zip written byte by byte: (name, stored bytes, method, crc, declared size) each,
    so that the declared sizes can say anything."""
    out = bytearray()
    central = bytearray()
    for name, data, method, crc, size in members:
        n = name.encode()
        offset = len(out)
        out += struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0x21, crc, len(data), size, len(n), 0
        )
        out += n + data
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, method, 0, 0x21, crc, len(data), size,
            len(n), 0, 0, 0, 0, 0, offset,
        )  # fmt: skip
        central += n
    eocd = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), len(out), 0
    )
    path.write_bytes(bytes(out + central + eocd))
    return path


def _deflated(text: str) -> tuple[bytes, int, int]:
    data = text.encode()
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush(), zlib.crc32(data), len(data)


def zip_bomb(path: Path, gib: int = 2) -> Path:
    """One member that really inflates to `gib` GiB of zeros, from a ~2 MB file: the
    same full-flushed deflate segment repeated, then an empty final block."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    segment = c.compress(b"\0" * (1 << 20)) + c.flush(zlib.Z_FULL_FLUSH)
    data = segment * (1024 * gib) + b"\x03\x00"
    assert zlib.decompressobj(-15).decompress(data[: len(segment) * 2], 1 << 21) == b"\0" * (
        1 << 21
    )
    members = [(name, *_pack(text)) for name, text in PARTS.items()]
    members.append(
        ("xl/worksheets/sheet1.xml", data, 8, 0, (1024 * gib) << 20 if gib < 4 else 0xFFFFFFFF)
    )
    return raw_zip(path, members)


def _pack(text: str) -> tuple[bytes, int, int, int]:
    data, crc, size = _deflated(text)
    return data, 8, crc, size


def encrypted_ole(path: Path) -> Path:
    """What Excel writes for "password to open": an OLE compound file holding
    EncryptionInfo and EncryptedPackage streams (contents here are filler)."""
    sector = 512
    header = bytearray(sector)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIII", header, 40, 0, 1, 1, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE)
    struct.pack_into("<I", header, 64, 0)  # number of DIFAT sectors
    struct.pack_into("<I", header, 76, 0)  # DIFAT[0]: the FAT is sector 0
    for i in range(1, 109):
        struct.pack_into("<I", header, 76 + 4 * i, 0xFFFFFFFF)
    fat = bytearray(b"\xff" * sector)
    struct.pack_into("<III", fat, 0, 0xFFFFFFFD, 0xFFFFFFFE, 0xFFFFFFFE)
    directory = bytearray(sector)
    for i, (name, kind) in enumerate(
        (("Root Entry", 5), ("EncryptionInfo", 2), ("EncryptedPackage", 2))
    ):
        raw = name.encode("utf-16-le") + b"\0\0"
        entry = bytearray(128)
        entry[: len(raw)] = raw
        struct.pack_into("<HBB", entry, 64, len(raw), kind, 1)
        struct.pack_into("<III", entry, 68, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF)
        directory[128 * i : 128 * (i + 1)] = entry
    path.write_bytes(bytes(header + fat + directory + b"\x5a" * sector))
    return path


@pytest.fixture
def untouched(db: Database) -> Iterator[None]:
    """The database is exactly as it was."""
    tables = sorted(SQLModel.metadata.tables)
    before = table_counts(db, tables)
    yield
    assert table_counts(db, tables) == before


def refuse(
    db: Database, actor: Actor, path: Path, kind: str | None = None, seconds: float = 15
) -> str:
    start = time.perf_counter()
    with pytest.raises(LedgerFileError) as info:
        import_ledger(db, actor, path, ImportOptions(kind=kind))
    elapsed = time.perf_counter() - start
    message = str(info.value)
    assert f"文件“{path.name}”" in message
    assert elapsed < seconds, f"took {elapsed:.1f} s"
    return message


def test_empty_file(db: Database, admin: Actor, tmp_path: Path, untouched: None) -> None:
    (tmp_path / "空.xlsx").write_bytes(b"")
    assert "空的" in refuse(db, admin, tmp_path / "空.xlsx")


def test_truncated_xlsx_and_xls(
    db: Database, admin: Actor, tmp_path: Path, untouched: None
) -> None:
    rows = titled("客户档案", CUSTOMER_HEADER, [customer_row(i) for i in range(200)])
    whole = write_xlsx(tmp_path / "whole.xlsx", rows).read_bytes()
    (tmp_path / "截断.xlsx").write_bytes(whole[: len(whole) * 2 // 3])
    assert "不完整或已损坏" in refuse(db, admin, tmp_path / "截断.xlsx")
    whole = write_xls(tmp_path / "whole.xls", rows).read_bytes()
    (tmp_path / "截断.xls").write_bytes(whole[: len(whole) // 2])
    assert "损坏" in refuse(db, admin, tmp_path / "截断.xls")


def test_not_a_spreadsheet_named_xlsx(
    db: Database, admin: Actor, tmp_path: Path, untouched: None
) -> None:
    (tmp_path / "照片.xlsx").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    assert "不是 Excel 工作簿" in refuse(db, admin, tmp_path / "照片.xlsx")
    (tmp_path / "说明.xlsx").write_text("这是一段文字，不是表格。\n", encoding="utf-8")
    assert "不是 Excel 工作簿" in refuse(db, admin, tmp_path / "说明.xlsx")
    (tmp_path / "网页.xls").write_text(
        "<html><table><tr><td>户号</td></tr></table></html>", encoding="utf-8"
    )
    assert "网页" in refuse(db, admin, tmp_path / "网页.xls")
    with zipfile.ZipFile(tmp_path / "文档.xlsx", "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    assert "Word" in refuse(db, admin, tmp_path / "文档.xlsx")


def test_password_protected(db: Database, admin: Actor, tmp_path: Path, untouched: None) -> None:
    message = refuse(db, admin, encrypted_ole(tmp_path / "加密.xlsx"))
    assert "密码" in message


def test_zip_bomb(db: Database, admin: Actor, tmp_path: Path, untouched: None) -> None:
    resource = pytest.importorskip("resource")  # peak RSS: Unix only
    path = zip_bomb(tmp_path / "炸弹.xlsx")
    assert path.stat().st_size < 3 * 2**20
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert "压缩炸弹" in refuse(db, admin, path, seconds=5)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss < 200 * 1024  # KiB


def test_member_that_inflates_past_its_declared_size(
    db: Database, admin: Actor, tmp_path: Path, untouched: None
) -> None:
    body = "".join(_inline_row(r, ["x" * 50]) for r in range(1, 20_000))
    data, crc, _size = _deflated(SHEET_HEAD + body + SHEET_TAIL)
    members = [(name, *_pack(text)) for name, text in PARTS.items()]
    members.append(("xl/worksheets/sheet1.xml", data, 8, crc, 4096))  # claims 4 KB
    message = refuse(db, admin, raw_zip(tmp_path / "谎报.xlsx", members))
    assert "超出其声明的大小" in message


def test_xml_entity_bomb(db: Database, admin: Actor, tmp_path: Path, untouched: None) -> None:
    lol = "".join(f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    prolog = f'<!DOCTYPE worksheet [<!ENTITY l0 "lol">{lol}]>'
    path = make_xlsx(
        tmp_path / "实体.xlsx",
        _inline_row(1, ["户号", "户名"]) + _inline_row(2, ["&l9;", "x"]),
        prolog=prolog,
    )
    assert "DOCTYPE" in refuse(db, admin, path)


def test_empty_workbook_and_no_ledger(
    db: Database, admin: Actor, tmp_path: Path, untouched: None
) -> None:
    assert "找不到" in refuse(db, admin, make_xlsx(tmp_path / "无数据.xlsx", ""))
    path = write_xlsx(tmp_path / "杂表.xlsx", [["日期", "事项"], ["2024-01-01", "开会"]])
    assert "找不到任何一种台账的表头" in refuse(db, admin, path)


def test_wrong_kind(db: Database, admin: Actor, tmp_path: Path, untouched: None) -> None:
    rows = titled(
        "人员花名册", ["工号", "姓名", "岗位", "手机"], [["DY1", "甲", "经理", "13812345678"]]
    )
    path = write_xlsx(tmp_path / "花名册.xlsx", rows)
    message = refuse(db, admin, path, kind="customers")
    assert "不是“客户档案”" in message and "人员花名册" in message


def test_required_column_missing(
    db: Database, admin: Actor, tmp_path: Path, untouched: None
) -> None:
    header = [h for h in CUSTOMER_HEADER if h != "户名"]
    rows = titled(
        "客户档案",
        header,
        [[v for h, v in zip(CUSTOMER_HEADER, customer_row(1), strict=True) if h != "户名"]],
    )
    message = refuse(db, admin, write_xlsx(tmp_path / "缺列.xlsx", rows), kind="customers")
    assert "缺少必需的列：户名" in message and "第 3 行" in message


def test_a_million_rows(db: Database, admin: Actor, tmp_path: Path, untouched: None) -> None:
    def body() -> Iterator[str]:
        yield _inline_row(1, ["户号", "户名"])
        for start in range(2, 1_000_002, 50_000):
            yield "".join(
                f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>'
                for r in range(start, min(start + 50_000, 1_000_002))
            )

    path = make_xlsx(tmp_path / "百万行.xlsx", body())
    message = refuse(db, admin, path, seconds=20)
    assert "800,000" in message and "上限" in message


def test_cell_far_away_does_not_allocate_the_box(
    db: Database, admin: Actor, tmp_path: Path, untouched: None
) -> None:
    rows = _inline_row(1, ["户号", "户名"]) + _inline_row(2, ["0123456789", "甲"])
    path = make_xlsx(
        tmp_path / "远处.xlsx", rows + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    )
    assert "超出导入范围" in refuse(db, admin, path)
    path = make_xlsx(tmp_path / "宽.xlsx", rows.replace('r="B2"', 'r="ABC2"'))
    assert "列数超出上限" in refuse(db, admin, path)


def test_rows_over_a_lowered_cap_in_csv(db: Database, admin: Actor, tmp_path: Path) -> None:
    from gridsvc_desktop.services.station import set_setting

    with db.write() as s:
        set_setting(s, admin, "import_max_rows", "100")
    lines = "户号,户名\n" + "".join(f"{i:010d},甲\n" for i in range(300))
    (tmp_path / "大.csv").write_text(lines, encoding="utf-8")
    assert "100 行的导入上限" in refuse(db, admin, tmp_path / "大.csv")
    with db.read() as s:
        assert s.connection().exec_driver_sql("SELECT count(*) FROM customer").scalar() == 0
