"""Reading ledgers: every format, the detection of sheet / header row / kind, and
every quirk of the samples README, through ledgers.pipeline.parse (no database)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import SAMPLES
from test_ledgers_files import (
    CUSTOMER_HEADER,
    TA_HEADER,
    TAS,
    csv_bytes,
    customer_row,
    titled,
    write_xls,
    write_xlsx,
)

from gridsvc_desktop.ledgers.errors import LedgerFileError
from gridsvc_desktop.ledgers.pipeline import ImportOptions, parse
from gridsvc_desktop.ledgers.spec import normalize_header
from gridsvc_desktop.ledgers.specs import CUSTOMERS, IMPORTABLE, SPECS, spec_for


def _customers(tmp_path: Path, rows: list[list[object]], name: str = "c.xlsx") -> Path:
    return write_xlsx(tmp_path / name, titled("客户档案", CUSTOMER_HEADER, rows), sheet="客户档案")


def _by_key(parsed: object) -> dict[str, dict[str, object]]:
    p = parsed
    return {k: dict(zip(p.fields, v, strict=False)) for k, v in p.records.items()}  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- specs


def test_every_spec_is_data_and_headers_are_unambiguous() -> None:
    for spec in SPECS.values():
        assert spec.columns and spec.title
        for col in spec.columns:
            assert spec.match_header(col.header) is col
            for syn in col.synonyms:
                assert spec.match_header(syn) is col
    assert {s.kind for s in IMPORTABLE} == {
        "customers", "transformer_areas", "grids", "staff", "contacts", "arrears", "orders_95598",
    }  # fmt: skip
    assert spec_for("orders-95598").title == "95598工单"


def test_header_matching_ignores_width_brackets_units_and_marks() -> None:
    assert (
        normalize_header("变压器容量（kVA）") == normalize_header("变压器容量(kVA)") == "变压器容量"
    )
    assert CUSTOMERS.match_header("*户号") is CUSTOMERS.column("account_no")
    assert CUSTOMERS.match_header(" 用户 编号 ") is CUSTOMERS.column("account_no")
    assert CUSTOMERS.match_header("合同容量（千伏安）") is CUSTOMERS.column("contract_kva")


# --------------------------------------------------------------------------- formats


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_csv_in_every_encoding(tmp_path: Path, encoding: str) -> None:
    rows = titled(
        "客户档案",
        CUSTOMER_HEADER,
        [
            customer_row(i, 户名="张䶮" if encoding in ("gb18030", "utf-8", "utf-16") else "张三")
            for i in range(5)
        ],
    )
    path = tmp_path / f"c_{encoding}.csv"
    path.write_bytes(csv_bytes(rows, encoding))
    parsed = parse(path)
    assert parsed.spec is CUSTOMERS and parsed.layout.header_row == 3
    assert len(parsed.records) == 5 and not parsed.refused
    names = {r["name"] for r in _by_key(parsed).values()}
    assert names == ({"张䶮"} if encoding in ("gb18030", "utf-8", "utf-16") else {"张三"})


def test_csv_tab_separated_and_excel_text_quotes(tmp_path: Path) -> None:
    rows = [CUSTOMER_HEADER, customer_row(1, 户号='="0567685639"')]
    path = tmp_path / "c.txt"
    path.write_bytes(csv_bytes(rows, "utf-8", delimiter="\t"))
    parsed = parse(path)
    assert list(parsed.records) == ["0567685639"]


def test_legacy_xls_with_number_cells(tmp_path: Path) -> None:
    rows = [customer_row(1, 户号=592939734.0, 联系电话=13812345678.0, 台区编号=294919105.0)]
    path = write_xls(
        tmp_path / "c.xls", titled("客户档案", CUSTOMER_HEADER, rows), sheet="客户档案"
    )
    parsed = parse(path)
    rec = _by_key(parsed)["0592939734"]  # leading zero restored to the station's length
    assert rec["phone"] == "13812345678"
    assert rec["ta_code"] == "294919105"  # a code: digits as they are (matched later)
    assert rec["opened_on"] == customer_row(1)[11].isoformat()


def test_data_on_the_second_sheet_under_notes(tmp_path: Path) -> None:
    notes = [["填写说明"], ["户号请按文本填写"], ["列名", "说明"], ["户号", "10位"]]
    rows = [
        ["某某供电所客户档案"],
        [],
        ["备注：仅供内部使用"],
        [],
        CUSTOMER_HEADER,
        customer_row(1),
    ]
    path = write_xlsx(tmp_path / "c.xlsx", rows, sheet="数据", before={"说明": notes})
    parsed = parse(path)
    assert (parsed.layout.sheet, parsed.layout.header_row) == ("数据", 5)
    assert parsed.layout.sheet_names == ["说明", "数据"]
    assert len(parsed.records) == 1


def test_synonyms_extra_and_reordered_columns(tmp_path: Path) -> None:
    header = ["序号", "用户名称", "移动电话", "用户编号", "地址", "台区编码", "供电单位"]
    rows = [header, [1, "王五", "139 1234 5678", "0123456789", "北街1号", "1815623033", "城关所"]]
    path = write_xlsx(tmp_path / "c.xlsx", rows)
    parsed = parse(path)
    assert parsed.spec is CUSTOMERS
    assert parsed.layout.ignored == ["序号", "供电单位"]
    rec = _by_key(parsed)["0123456789"]
    assert (rec["name"], rec["phone"], rec["ta_code"]) == ("王五", "13912345678", "1815623033")
    assert "category" not in rec  # absent columns are not owned by this import


def test_overrides_sheet_header_row_and_mapping(tmp_path: Path) -> None:
    rows = [["A", "B"], ["编号", "姓名x", "手机"], ["dy1", "张三", "13812345678"]]
    path = write_xlsx(tmp_path / "s.xlsx", rows, sheet="人员")
    with pytest.raises(LedgerFileError):
        parse(path)  # 姓名x is nobody's header: no kind fits
    opts = ImportOptions(
        kind="staff", sheet="人员", header_row=2, mapping={"编号": "employee_no", "姓名x": "name"}
    )
    parsed = parse(path, opts, spec=spec_for("staff"))
    assert _by_key(parsed)["DY1"]["name"] == "张三"


# --------------------------------------------------------------------------- quirks


def test_account_numbers_numbers_spaces_nbsp_and_short_text(tmp_path: Path) -> None:
    rows = [
        customer_row(1, 户号=3101234567.0),
        customer_row(2, 户号=592939734),
        customer_row(3, 户号="\u00a00123456788 "),
        customer_row(4, 户号="0１２３４５６７８７"),  # full-width digits
        customer_row(5, 户号="123456789"),  # text, too short: never padded silently
        customer_row(6, 户号="3.101234566E9"),
    ]
    parsed = parse(_customers(tmp_path, rows))
    assert set(parsed.records) == {"3101234567", "0592939734", "0123456788", "0123456787"}
    reasons = {r.row: r.reason for r in parsed.refused.values()}
    assert "位数不足" in reasons[8] and "户号" in reasons[8]
    assert "科学计数法" in reasons[9]


def test_phones_dates_money_and_text(tmp_path: Path) -> None:
    rows = [
        customer_row(1, 联系电话="138 1234-5678", 立户日期="2024/3/5", 户名="张\u00a0 三"),
        customer_row(2, 联系电话="１３９１２３４５６７８", 立户日期="2024年3月5日"),
        customer_row(3, 联系电话="0838-2345678", 立户日期="20240305"),
        customer_row(4, 联系电话="+86 137 0000 1234", 立户日期=45356),
        customer_row(5, 联系电话="(0838)2345679", 立户日期="2024-03-05", 合同容量="8.0"),
        customer_row(6, 联系电话="12", 立户日期="2024-02-30"),
    ]
    parsed = parse(_customers(tmp_path, rows))
    got = [(r["phone"], r["opened_on"]) for r in _by_key(parsed).values()]
    assert got == [
        ("13812345678", "2024-03-05"),
        ("13912345678", "2024-03-05"),
        ("0838-2345678", "2024-03-05"),
        ("13700001234", "2024-03-05"),
        ("0838-2345679", "2024-03-05"),
    ]
    assert next(iter(_by_key(parsed).values()))["name"] == "张 三"
    refused = parsed.refused[9]
    assert {i.column for i in refused.reasons} == {"联系电话", "立户日期"}


def test_money_as_text_and_months(tmp_path: Path) -> None:
    header = ["户号", "户名", "欠费月份", "欠费金额(元)", "违约金(元)"]
    rows = [
        ["0123456789", "甲", "202606", "1,234.50", 8.37],
        ["0123456789", "甲", 202607, "￥12.3", "0"],
        ["0123456789", "甲", "2026年8月", 1437.6, None],
        ["0123456789", "甲", "2026-09", "-5", None],
    ]
    path = write_xlsx(tmp_path / "a.xlsx", titled("欠费明细", header, rows))
    parsed = parse(path)
    assert parsed.spec.kind == "arrears"
    got = {k[1]: (v[2], v[3]) for k, v in parsed.records.items()}
    assert got == {"202606": (123450, 837), "202607": (1230, 0), "202608": (143760, 0)}
    assert "负数" in parsed.refused[7].reason


def test_blank_rows_totals_row_with_formula_and_footer(tmp_path: Path) -> None:
    header = ["户号", "户名", "欠费月份", "欠费金额(元)"]
    rows = [
        ["0123456789", "甲", "202606", 10],
        [None, None, None, None],
        ["0123456788", "乙", "202606", 20],
        ["合计", None, None, "=SUM(D4:D6)"],
        ["制表人：张三"],
    ]
    parsed = parse(write_xlsx(tmp_path / "a.xlsx", titled("欠费明细", header, rows)))
    assert len(parsed.records) == 2 and not parsed.refused
    assert parsed.skipped == 2
    assert any("合计" in w.message for w in parsed.warnings)


def test_duplicate_keys_identical_collapse_conflicting_refuse_both(tmp_path: Path) -> None:
    rows = [
        customer_row(1),
        customer_row(2),
        customer_row(1),  # identical: merged, with a warning
        customer_row(2, 联系电话="13900000001"),  # conflicting: both refused
        customer_row(3),
    ]
    parsed = parse(_customers(tmp_path, rows))
    key1, key2 = customer_row(1)[0], customer_row(2)[0]
    assert set(parsed.records) == {key1, customer_row(3)[0]}
    assert sorted(parsed.refused) == [5, 7]
    message = parsed.refused[5].reason
    assert "第 5 行和第 7 行" in message and key2 in message and "联系电话" in message
    assert parsed.refused[5].raw is None and parsed.refused[5].values is not None
    assert any("第 4 行" in w.message and w.row == 6 for w in parsed.warnings)


def test_lists_and_enum_synonyms(tmp_path: Path) -> None:
    header = ["工号", "姓名", "专业", "所属网格"]
    rows = [["dy1", "甲", "综合、故障报修", "A网格，B网格"], ["dy2", "乙", "抢修", ""]]
    parsed = parse(write_xlsx(tmp_path / "s.xlsx", titled("人员花名册", header, rows)))
    recs = _by_key(parsed)
    assert recs["DY1"]["specialties"] == ("综合", "故障报修") and recs["DY1"]["grids"] == (
        "A网格",
        "B网格",
    )
    assert recs["DY2"]["grids"] == ()


def test_ta_ledger_headers_and_capacity(tmp_path: Path) -> None:
    rows = [*TAS, ["5555555555", "坏容量", "线", "630.5", "镇", "村", ""]]
    parsed = parse(write_xlsx(tmp_path / "t.xlsx", titled("台区档案", TA_HEADER, rows)))
    assert parsed.spec.kind == "transformer_areas"
    assert _by_key(parsed)["0294919105"]["capacity_kva"] == 630
    assert "整数" in parsed.refused[7].reason


@pytest.mark.skipif(not SAMPLES.exists(), reason="shared samples not present")
@pytest.mark.parametrize(
    ("name", "kind", "rows"),
    [
        ("客户档案", "customers", 3000),
        ("台区档案", "transformer_areas", 16),
        ("网格划分", "grids", 16),
        ("人员花名册", "staff", 40),
        ("楼长联络表", "contacts", 224),
        ("欠费明细", "arrears", 150),
        ("95598工单", "orders_95598", 50),
    ],
)
def test_samples_are_recognised(name: str, kind: str, rows: int) -> None:
    parsed = parse(SAMPLES / f"{name}.xlsx")
    assert parsed.spec.kind == kind
    assert parsed.layout.header_row == 3
    assert len(parsed.records) == rows and not parsed.refused


def test_datetime_cells_and_text_times(tmp_path: Path) -> None:
    header = ["工单编号", "受理时间", "业务类型", "户号", "受理渠道", "紧急程度"]
    rows = [
        [2026539306434398, dt.datetime(2026, 11, 13, 2, 49), "故障报修", "", "95598电话", "紧急"],
        ["2026455266744738", "2026/11/13 14:05", "咨询", "0123456789", "网上国网", ""],
        ["2026455266744739", "昨天", "咨询", "", "", ""],
        ["2026455266744740", "2026-11-13", "不知道", "", "", ""],
    ]
    parsed = parse(write_xlsx(tmp_path / "o.xlsx", titled("95598工单", header, rows)))
    recs = _by_key(parsed)
    assert recs["2026539306434398"]["received_at"] == dt.datetime(2026, 11, 13, 2, 49)
    assert (
        recs["2026539306434398"]["type"] == "repair"
        and recs["2026539306434398"]["urgency"] == "urgent"
    )
    assert (
        recs["2026455266744738"]["channel"] == "app"
        and recs["2026455266744738"]["urgency"] == "normal"
    )
    assert "受理时间" in parsed.refused[6].reason and "无法识别" in parsed.refused[7].reason


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=40))
def test_fast_search_text_matches_the_domain_rule(value: str) -> None:
    from gridsvc_desktop.domain.normalize import clean_text
    from gridsvc_desktop.domain.search_text import search_chars
    from gridsvc_desktop.ledgers.kinds.customers import fast_search_chars

    cleaned = clean_text(value)
    assert fast_search_chars(cleaned) == search_chars(cleaned)
    assert fast_search_chars("清河县城关镇1号") == search_chars("清河县城关镇1号")
