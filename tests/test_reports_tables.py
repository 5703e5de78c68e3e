"""The report machinery without a database: text measuring, paged tables, the template.

The 20,000-row table is built once (module fixture) and read back with pypdf:
it splits across pages, every page repeats the header, no row is lost or
doubled, numbers are right-aligned, and the bundled font is embedded.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator

import pytest
from pypdf import PdfReader

from gridsvc_desktop.reports.fonts import FONT, register_fonts
from gridsvc_desktop.reports.tables import Column, GroupRow, PagedTable, TotalRow, _Layout
from gridsvc_desktop.reports.template import Document, PageInfo, RenderedPdf, TitleBlock, render
from gridsvc_desktop.reports.text import Widths, elide_text, wrap_text
from gridsvc_desktop.services.progress import Cancelled

N_ROWS = 20_000
COLUMNS = [
    Column("序号", 5, "right"),
    Column("工单号", 12),
    Column("类型", 7),
    Column("地址", 24, lines=2),
    Column("到达（分钟）", 7, "right"),
]


def info(**kw: object) -> PageInfo:
    values: dict[str, object] = {
        "station": "测试供电所",
        "title": "工单明细",
        "generated_at": dt.datetime(2026, 11, 20, 8, 0),
        "generated_by": "测试员",
        "period": "统计期间：2026-11-01 至 2026-11-20",
        "landscape": True,
    }
    values.update(kw)
    return PageInfo(**values)  # type: ignore[arg-type]


def pdf_fonts(data: bytes) -> list[tuple[str, bool]]:
    """(base font name, has an embedded TrueType program) of every font used."""
    reader = PdfReader(io.BytesIO(data))
    out = {}
    for page in reader.pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            descriptor = font.get("/FontDescriptor")
            embedded = descriptor is not None and "/FontFile2" in descriptor.get_object()
            out[str(font["/BaseFont"])] = embedded
    return sorted(out.items())


# --------------------------------------------------------------------------- text


@pytest.fixture(scope="module")
def widths() -> Widths:
    register_fonts()
    return Widths.at(10)


def test_wrap_never_starts_a_line_with_a_closing_mark(widths: Widths) -> None:
    text = "到达（分钟）" * 3
    room = widths.text("到达（分钟")  # the "）" falls just past the edge
    lines = wrap_text(text, room, 10, widths)
    assert "".join(lines) == text
    assert all(not line.startswith(("）", "，", "、")) for line in lines)


def test_wrap_keeps_numbers_and_codes_whole(widths: Widths) -> None:
    text = "2026-06、2026-07、2026-08、2026-09"
    lines = wrap_text(text, widths.text("2026-06、2026-0"), 10, widths)
    assert "".join(lines) == text
    assert all(re.fullmatch(r"(2026-\d\d、?)+", line) for line in lines), lines


def test_wrap_breaks_a_run_longer_than_a_line_and_elides_the_last_line(widths: Widths) -> None:
    lines = wrap_text("1" * 200, widths.text("1" * 30), 2, widths)
    assert len(lines) == 2
    assert lines[-1].endswith("…")
    assert widths.text(lines[0]) <= widths.text("1" * 30)


def test_elide_fits_the_room(widths: Widths) -> None:
    text = "清河县城关镇建设社区文化小区3栋2单元401"
    room = widths.text("清河县城关镇")
    cut = elide_text(text, room, widths)
    assert cut.endswith("…") and widths.text(cut) <= room
    assert elide_text("短", room, widths) == "短"


# --------------------------------------------------------------------------- layout rules


def test_numbers_are_right_aligned_and_text_left_aligned() -> None:
    rows = [[str(n), f"GD{n:012d}", "故障报修", "某地址", f"{n * 7:,}"] for n in (1, 22, 333)]
    lay = _Layout(COLUMNS, rows, 8.5, 3.2)
    lay.prepare(500)
    w = Widths.at(8.5)
    right_edges = {
        round(x + w.text(t), 2)
        for cells in lay.cells
        for t, x, _ in cells
        if t.endswith(("1", "2", "3")) and x > 400
    }
    assert len(right_edges) == 1  # the numbers of the last column end at one x
    starts = {round(x, 2) for cells in lay.cells for t, x, _ in cells if t.startswith("GD")}
    assert len(starts) == 1  # order numbers all start at one x


def test_a_group_heading_never_ends_a_page_and_a_total_never_stands_alone() -> None:
    rows: list[object] = [[str(i), "x", "y", "z", "1"] for i in range(8)]
    rows += [GroupRow("第二组"), ["9", "x", "y", "z", "1"], TotalRow(["合计", "", "", "", "9"])]
    table = PagedTable(COLUMNS, rows)  # type: ignore[arg-type]
    table.wrap(500, 10_000)
    lay = table._layout
    row_h = lay.heights[0]
    # Room for the header and exactly 9 rows: the 9th would be the group heading.
    head, tail = table.split(500, lay.header_height + 9 * row_h + 0.5)
    assert head.row_count == 8 and isinstance(lay.rows[tail._start], GroupRow)
    # Room for all but the totals row: one more row goes with it.
    head, tail = table.split(500, lay.header_height + lay.span_height(0, 10) + 0.5)
    assert tail.row_count == 2 and isinstance(lay.rows[-1], TotalRow)


def test_an_empty_table_says_so() -> None:
    pdf = render(info(), [PagedTable(COLUMNS, [], empty_text="本期无记录")])
    assert "本期无记录" in PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text()


def test_layout_can_be_cancelled() -> None:
    class Stop:
        def report(self, done: int, total: int, message: str = "") -> None:
            pass

        def is_cancelled(self) -> bool:
            return True

    rows = [[str(i), "x", "y", "z", "1"] for i in range(200)]
    with pytest.raises(Cancelled):
        render(info(), [PagedTable(COLUMNS, rows)], progress=Stop())


# --------------------------------------------------------------------------- 20,000 rows


@pytest.fixture(scope="module")
def big() -> Iterator[tuple[RenderedPdf, PdfReader]]:
    rows = [
        [f"{n:,}", f"GD2026{n:08d}", "故障报修" if n % 3 else "咨询",
         f"清河县城关镇建设社区文化小区{n % 40}栋{n % 6}单元{n % 900}" + "号院内东侧" * (n % 3),
         f"{(n * 37) % 500:,}"]
        for n in range(1, N_ROWS + 1)
    ]  # fmt: skip
    page = info()
    story = [TitleBlock(page), PagedTable(COLUMNS, rows, size=8)]
    pdf = render(Document(page, story).info, story)
    yield pdf, PdfReader(io.BytesIO(pdf.data))


def test_twenty_thousand_rows_split_across_pages_with_the_header_on_each(
    big: tuple[RenderedPdf, PdfReader],
) -> None:
    pdf, reader = big
    assert pdf.pages == len(reader.pages) > 100
    header = re.compile(r"序号 工单号 类型 地址 到达（分钟）")
    seen: list[int] = []
    sample = sorted({0, 1, 2, pdf.pages // 2, pdf.pages // 2 + 1, pdf.pages - 2, pdf.pages - 1})
    for i in sample:
        text = reader.pages[i].extract_text()
        assert header.search(text), f"page {i + 1} lacks the header"
        assert f"第 {i + 1} 页 / 共 {pdf.pages} 页" in text
        numbers = [int(m.replace(",", "")) for m in re.findall(r"^([\d,]+) GD2026", text, re.M)]
        assert numbers == list(range(numbers[0], numbers[0] + len(numbers))), "rows out of order"
        seen.append(numbers[0])
        if i - 1 in sample:  # consecutive pages: no row lost or doubled at the break
            assert numbers[0] == last + 1  # noqa: F821 — set on the previous iteration
        last = numbers[-1]
    assert seen[0] == 1
    assert last == N_ROWS


def test_the_bundled_font_is_embedded(big: tuple[RenderedPdf, PdfReader]) -> None:
    fonts = pdf_fonts(big[0].data)
    assert fonts, "no fonts"
    assert all("WenQuanYi" in name or "MicroHei" in name for name, _ in fonts), fonts
    assert all(embedded for _, embedded in fonts), fonts
    assert FONT  # the name documents use


def test_footer_says_who_and_when(big: tuple[RenderedPdf, PdfReader]) -> None:
    text = big[1].pages[0].extract_text()
    assert "生成：2026-11-20 08:00" in text and "制表：测试员" in text
    assert "测试供电所" in text and "统计期间：2026-11-01 至 2026-11-20" in text
