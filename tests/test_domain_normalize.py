"""Normalisers: every messy shape from the ledgers, plus round-trip properties."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gridsvc_desktop.domain.normalize import (
    NormalizeError,
    account_no,
    clean_text,
    is_placeholder_phone,
    money,
    parse_date,
    parse_datetime,
    parse_month,
    phone,
    phone_digits,
)

FAST = settings(max_examples=150, deadline=None, database=None)


def digits(min_size: int, max_size: int | None = None) -> st.SearchStrategy[str]:
    """ASCII digit strings (from_regex's \\d would also yield other scripts' digits)."""
    return st.text("0123456789", min_size=min_size, max_size=max_size or min_size)


_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def fullwidth(text: str) -> str:
    return text.translate(_FULLWIDTH)


def serial_of(d: dt.date) -> int:
    return (d - _EXCEL_EPOCH).days


# --------------------------------------------------------------------------- clean_text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, ""),
        ("", ""),
        ("  张三  ", "张三"),
        ("清河县\u00a0城关镇", "清河县 城关镇"),
        ("清河县\u3000\u3000城关镇", "清河县 城关镇"),
        ("Ａ栋　３单元", "A栋 3单元"),
        ("a \t\n b", "a b"),
        ("\ufeff户号\u200b", "户号"),
        (123, "123"),
        (3101234567.0, "3101234567.0"),
    ],
)
def test_clean_text(raw: object, expected: str) -> None:
    assert clean_text(raw) == expected


@FAST
@given(st.text())
def test_clean_text_is_idempotent_and_trimmed(text: str) -> None:
    once = clean_text(text)
    assert clean_text(once) == once
    assert once == once.strip()
    assert "  " not in once
    assert "\u00a0" not in once and "\u3000" not in once


# --------------------------------------------------------------------------- account_no


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("3101234567", "3101234567"),
        (3101234567, "3101234567"),
        (3101234567.0, "3101234567"),
        ("3101234567.0", "3101234567"),
        (592939734, "0592939734"),
        (592939734.0, "0592939734"),
        ("592939734.0", "0592939734"),
        (Decimal("592939734"), "0592939734"),
        (" 3101234567 ", "3101234567"),
        ("\u00a03101234567\u00a0", "3101234567"),
        ("3101 234567", "3101234567"),
        ("３１０１２３４５６７", "3101234567"),
        ("0012345678", "0012345678"),
    ],
)
def test_account_no_shapes(raw: object, expected: str) -> None:
    assert account_no(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("592939734", "位数不足"),
        ("31012345678", "位数过长"),
        (31012345678, "位数过长"),
        ("31012a4567", "非数字"),
        ("3101-234567", "非数字"),
        ("٣١٠١٢٣٤٥٦٧", "非数字"),
        ("", "为空"),
        ("   ", "为空"),
        (None, "为空"),
        (3101234567.5, "小数"),
        (-3101234567, "负数"),
        ("3.10123E+09", "科学计数法"),
        (True, "格式"),
        (float("nan"), "范围"),
    ],
)
def test_account_no_refuses(raw: object, message: str) -> None:
    with pytest.raises(NormalizeError, match=message):
        account_no(raw)


def test_account_no_length_options() -> None:
    assert account_no("123", length=None) == "123"
    assert account_no(42, length=None) == "42"
    assert account_no(42, length=6) == "000042"
    with pytest.raises(NormalizeError):
        account_no("42", length=6)
    with pytest.raises(NormalizeError):
        account_no("", length=None)


def test_normalize_error_is_value_error() -> None:
    with pytest.raises(ValueError):
        account_no("x")


@FAST
@given(digits(10))
def test_account_no_numbers_restore_lost_zeros(digits: str) -> None:
    n = int(digits)
    assert account_no(n) == digits
    assert account_no(float(n)) == digits
    assert account_no(f"{n}.0") == digits
    assert account_no(repr(float(n))) == digits


@FAST
@given(
    digits(10),
    st.sampled_from(["", " ", "\u00a0", "\u3000", "\t"]),
    st.sampled_from(["", " ", "\u00a0"]),
    st.booleans(),
)
def test_account_no_text_round_trip(digits: str, before: str, after: str, wide: bool) -> None:
    text = before + (fullwidth(digits) if wide else digits) + after
    assert account_no(text) == digits


@FAST
@given(digits(1, 9))
def test_account_no_short_text_is_refused(digits: str) -> None:
    with pytest.raises(NormalizeError):
        account_no(digits)


# --------------------------------------------------------------------------- phone


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13812345678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("138.1234.5678", "13812345678"),
        ("(138)12345678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("+86-13812345678", "13812345678"),
        ("(+86)13812345678", "13812345678"),
        ("0086 13812345678", "13812345678"),
        ("8613812345678", "13812345678"),
        ("86 138-1234-5678", "13812345678"),
        ("１３８１２３４５６７８", "13812345678"),
        ("＋８６　１３８１２３４５６７８", "13812345678"),
        (13812345678, "13812345678"),
        (13812345678.0, "13812345678"),
        ("13812345678.0", "13812345678"),
        ("\u00a013812345678\u00a0", "13812345678"),
        ("0838-1234567", "0838-1234567"),
        ("(0838)1234567", "0838-1234567"),
        ("（0838）1234567", "0838-1234567"),
        ("0838 1234567", "0838-1234567"),
        ("08381234567", "0838-1234567"),
        ("0838—1234567", "0838-1234567"),
        ("0838-123-4567", "0838-1234567"),
        ("0838-12345678", "0838-12345678"),
        ("0838-1234567-123", "0838-1234567-123"),
        ("0838-1234567转123", "0838-1234567-123"),
        ("0838-1234567 ext 123", "0838-1234567-123"),
        ("08381234567-123", "0838-1234567-123"),
        ("010-12345678", "010-12345678"),
        ("01012345678", "010-12345678"),
        ("(010)12345678", "010-12345678"),
        ("02112345678", "021-12345678"),
        ("0291234567", "029-1234567"),
        ("+86 838 1234567", "0838-1234567"),
        ("+86 10 12345678", "010-12345678"),
        ("2345678", "2345678"),
        ("87654321", "87654321"),
        ("8765-4321", "87654321"),
        ("2345678-12", "2345678-12"),
        (2345678, "2345678"),
    ],
)
def test_phone_shapes(raw: object, expected: str) -> None:
    assert phone(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        None,
        "abc",
        "138123456789",  # 12 digits
        "1381234567",  # 10 digits
        "12345678901",  # no such mobile prefix
        "23812345678",
        "13812345678-12",  # mobiles have no extension
        "013812345678",  # 0 + mobile is not a landline
        "0838-12345",  # number too short
        "0838-123456789",
        "0138-1234567",  # no 4-digit area code starts 01
        "0838-1234567-1234567",
        "+86 2345678",
        "138-1234-567a",
        "1381234-567",  # a mistyped mobile, not a local number with extension
        "١٣٨١٢٣٤٥٦٧٨",  # Arabic-Indic digits are not ASCII digits after NFKC
        "123456",
        True,
        13812345678.5,
    ],
)
def test_phone_refuses(raw: object) -> None:
    with pytest.raises(NormalizeError):
        phone(raw)


_SEPARATORS = ["", " ", "-", "\u00a0", "\u3000", " - "]


@FAST
@given(
    mobile=st.builds(lambda a, b: "1" + a + b, st.sampled_from("3456789"), digits(9)),
    prefix=st.sampled_from(["", "+86", "+86 ", "+86-", "0086 ", "0086", "86", "86 ", "(+86)"]),
    sep_a=st.sampled_from([*_SEPARATORS, "."]),
    sep_b=st.sampled_from([*_SEPARATORS, "."]),
    extra=st.lists(st.tuples(st.integers(1, 10), st.sampled_from(_SEPARATORS)), max_size=3),
    wide=st.lists(st.booleans(), min_size=11, max_size=11),
    pad=st.sampled_from(["", " ", "\u00a0"]),
)
def test_phone_mobile_round_trip(
    mobile: str,
    prefix: str,
    sep_a: str,
    sep_b: str,
    extra: list[tuple[int, str]],
    wide: list[bool],
    pad: str,
) -> None:
    chars = [fullwidth(c) if w else c for c, w in zip(mobile, wide, strict=True)]
    seps = [""] * 11
    for pos, sep in extra:
        seps[pos] = sep
    seps[3], seps[7] = sep_a, sep_b
    text = "".join(s + c for s, c in zip(seps, chars, strict=True))
    rendered = pad + prefix + text + pad
    assert phone(rendered) == mobile
    assert phone(phone(rendered)) == mobile
    assert phone_digits(phone(rendered)) == mobile


_AREA = st.one_of(
    st.just("010"),
    digits(1).map("02".__add__),
    st.builds(lambda a, b: "0" + a + b, st.sampled_from("3456789"), digits(2)),
)


@FAST
@given(
    area=_AREA,
    number=digits(7, 8),
    form=st.sampled_from(["{a}-{n}", "({a}){n}", "（{a}）{n}", "{a} {n}", "{a}{n}", "{a} - {n}"]),
    ext=st.one_of(st.just(""), digits(1, 4)),
    ext_form=st.sampled_from(["-{e}", "转{e}", " 转 {e}", "#{e}"]),
    wide=st.booleans(),
)
def test_phone_landline_round_trip(
    area: str, number: str, form: str, ext: str, ext_form: str, wide: bool
) -> None:
    text = form.format(a=area, n=number) + (ext_form.format(e=ext) if ext else "")
    if wide:
        text = fullwidth(text)
    expected = f"{area}-{number}" + (f"-{ext}" if ext else "")
    assert phone(text) == expected
    assert phone(expected) == expected


@FAST
@given(st.text(max_size=20))
def test_phone_never_crashes_otherwise(text: str) -> None:
    try:
        result = phone(text)
    except NormalizeError:
        return
    assert phone(result) == result  # canonical forms are fixed points


def test_phone_digits() -> None:
    assert phone_digits("0838-1234567-12") == "0838123456712"
    assert phone_digits("13812345678") == "13812345678"
    assert phone_digits("") == ""


@pytest.mark.parametrize(
    "p",
    [
        "11111111111",
        "00000000",
        "0000000",
        "88888888",
        "12345678901",
        "13800138000",
        "12345678",
        "1234567",
        "87654321",
        "13800000000",
        "0838-0000000",
        "0838-1111111",
        "111-1111-1111",
    ],
)
def test_placeholder_phones(p: str) -> None:
    assert is_placeholder_phone(p)


@pytest.mark.parametrize(
    "p", ["13812345678", "15987654321", "0838-1234567", "2345679", "", "0838-7654312"]
)
def test_real_looking_phones_are_not_placeholders(p: str) -> None:
    assert not is_placeholder_phone(p)


@FAST
@given(st.sampled_from("0123456789"), st.integers(7, 12))
def test_repeated_digit_is_placeholder(digit: str, n: int) -> None:
    assert is_placeholder_phone(digit * n)


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    "raw",
    [
        dt.date(2024, 3, 5),
        dt.datetime(2024, 3, 5, 14, 30),
        45356,
        45356.0,
        45356.75,
        Decimal("45356"),
        "45356",
        20240305,
        20240305.0,
        "2024/3/5",
        "2024/03/05",
        "2024-03-05",
        "2024-3-5",
        "2024.3.5",
        "2024年3月5日",
        "2024年03月05日",
        "2024 年 3 月 5 日",
        "2024年3月5号",
        "20240305",
        "  2024/3/5\u00a0",
        "２０２４/３/５",
        "２０２４年３月５日",
        "2024-03-05 14:30",
        "2024-03-05 14:30:00",
        "2024/3/5 14:30:15",
        "2024-03-05T14:30:00",
        "2024年3月5日 14时30分",
    ],
)
def test_parse_date_shapes(raw: object) -> None:
    assert parse_date(raw) == dt.date(2024, 3, 5)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("2024-02-30", "不存在"),
        ("2023-02-29", "不存在"),
        ("2024/13/1", "不存在"),
        ("2024-00-10", "不存在"),
        ("", "为空"),
        (None, "为空"),
        ("明天", "格式"),
        ("3/5/2024", "格式"),
        ("24/3/5", "格式"),
        ("2024-03", "格式"),
        ("2024030", "格式"),
        ("202403051", "格式"),
        ("2024/3/5 25:00", "时间"),
        ("2024/3/5 abc", "时间"),
        (0, "范围"),
        (-1, "范围"),
        (80001, "范围"),
        (60, "1900-02-29"),
        (float("nan"), "格式"),
        (True, "格式"),
        ("1899-12-31", "年份"),
        ("2204-03-05", "年份"),
    ],
)
def test_parse_date_refuses(raw: object, message: str) -> None:
    with pytest.raises(NormalizeError, match=message):
        parse_date(raw)


def test_excel_serial_1900_leap_bug() -> None:
    assert parse_date(1) == dt.date(1900, 1, 1)
    assert parse_date(59) == dt.date(1900, 2, 28)
    assert parse_date(61) == dt.date(1900, 3, 1)
    assert parse_date(45292) == dt.date(2024, 1, 1)


def test_parse_datetime_shapes() -> None:
    expected = dt.datetime(2024, 3, 5, 14, 30)
    assert parse_datetime("2024/3/5 14:30") == expected
    assert parse_datetime("2024-03-05 14:30:00") == expected
    assert parse_datetime("2024年3月5日 14时30分") == expected
    assert parse_datetime("2024年3月5日14时30分") == expected
    assert parse_datetime("2024年3月5日 14点30分") == expected
    assert parse_datetime(expected) == expected
    assert parse_datetime(45356 + 14.5 / 24) == expected
    assert parse_datetime("2024-03-05 14:30:15") == dt.datetime(2024, 3, 5, 14, 30, 15)
    assert parse_datetime("2024年3月5日 14时30分15秒") == dt.datetime(2024, 3, 5, 14, 30, 15)
    assert parse_datetime("2024-03-05 14:30:15.250") == dt.datetime(2024, 3, 5, 14, 30, 15, 250000)
    assert parse_datetime("2024-03-05 9:05") == dt.datetime(2024, 3, 5, 9, 5)
    assert parse_datetime("2024/3/5") == dt.datetime(2024, 3, 5)
    assert parse_datetime(dt.date(2024, 3, 5)) == dt.datetime(2024, 3, 5)
    assert parse_datetime(45356) == dt.datetime(2024, 3, 5)
    assert parse_datetime("２０２４-０３-０５　１４：３０") == expected


def test_parse_datetime_refuses() -> None:
    for raw in ["2024-03-05 24:00", "2024-03-05 14:60", "2024-03-05 下午", "", None]:
        with pytest.raises(NormalizeError):
            parse_datetime(raw)
    with pytest.raises(NormalizeError, match="时区"):
        parse_datetime(dt.datetime(2024, 3, 5, tzinfo=dt.UTC))


_DATE_FORMATS = [
    "{y}/{m}/{d}",
    "{y}/{m:02d}/{d:02d}",
    "{y}-{m:02d}-{d:02d}",
    "{y}-{m}-{d}",
    "{y}.{m}.{d}",
    "{y}年{m}月{d}日",
    "{y}{m:02d}{d:02d}",
    " {y}-{m:02d}-{d:02d} ",
    "{y}-{m:02d}-{d:02d} 08:15",
    "{y}/{m}/{d} 23:59:59",
]
_DATES = st.dates(dt.date(1900, 3, 1), dt.date(2100, 12, 31))


@FAST
@given(_DATES, st.sampled_from(_DATE_FORMATS), st.booleans())
def test_dates_round_trip_through_text(day: dt.date, fmt: str, wide: bool) -> None:
    text = fmt.format(y=day.year, m=day.month, d=day.day)
    if wide:
        text = fullwidth(text)
    assert parse_date(text) == day


@FAST
@given(_DATES, st.floats(0, 0.999, allow_nan=False))
def test_dates_round_trip_through_excel_serial(day: dt.date, fraction: float) -> None:
    serial = serial_of(day)
    assert parse_date(serial) == day
    assert parse_date(float(serial)) == day
    assert parse_date(serial + fraction) == day
    assert parse_datetime(serial) == dt.datetime.combine(day, dt.time())


@FAST
@given(st.datetimes(dt.datetime(1900, 3, 1), dt.datetime(2100, 12, 31, 23, 59, 59)))
def test_datetimes_round_trip(moment: dt.datetime) -> None:
    moment = moment.replace(microsecond=0)
    serial = (
        serial_of(moment.date()) + (moment.hour * 3600 + moment.minute * 60 + moment.second) / 86400
    )
    assert parse_datetime(serial) == moment
    assert parse_datetime(moment.strftime("%Y-%m-%d %H:%M:%S")) == moment
    assert parse_datetime(f"{moment:%Y}/{moment.month}/{moment.day} {moment:%H:%M:%S}") == moment
    chinese = f"{moment.year}年{moment.month}月{moment.day}日 {moment.hour}时{moment.minute}分"
    assert parse_datetime(chinese) == moment.replace(second=0)
    assert parse_date(moment.isoformat(sep=" ")) == moment.date()


# --------------------------------------------------------------------------- months


@pytest.mark.parametrize(
    "raw",
    [
        "202606",
        202606,
        202606.0,
        "202606.0",
        "2026-06",
        "2026-6",
        "2026/6",
        "2026/06",
        "2026.6",
        "2026年6月",
        "2026年06月",
        " ２０２６０６ ",
        dt.date(2026, 6, 30),
        dt.datetime(2026, 6, 1, 8, 0),
        "2026-06-01",
        "2026/6/15",
        "2026年6月15日",
    ],
)
def test_parse_month_shapes(raw: object) -> None:
    assert parse_month(raw) == "202606"


@pytest.mark.parametrize(
    "raw",
    [
        "202613",
        "202600",
        "2026-13",
        "2026年0月",
        202613,
        2026,
        "2026",
        "",
        None,
        2026.5,
        "六月",
        46174,
    ],
)
def test_parse_month_refuses(raw: object) -> None:
    with pytest.raises(NormalizeError):
        parse_month(raw)


@FAST
@given(st.integers(1900, 2100), st.integers(1, 12))
def test_months_round_trip(year: int, month: int) -> None:
    expected = f"{year}{month:02d}"
    for raw in (
        expected,
        int(expected),
        float(expected),
        f"{year}-{month:02d}",
        f"{year}/{month}",
        f"{year}年{month}月",
        dt.date(year, month, 1),
    ):
        assert parse_month(raw) == expected


# --------------------------------------------------------------------------- money


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (1234.5, "1234.50"),
        (1234, "1234.00"),
        (Decimal("1234.567"), "1234.57"),
        ("1,234.50", "1234.50"),
        ("￥1,234.5", "1234.50"),
        ("¥1234.5", "1234.50"),
        ("1234.5元", "1234.50"),
        ("1,234.5 元", "1234.50"),
        ("RMB 88", "88.00"),
        ("１，２３４．５０", "1234.50"),
        ("-12.30", "-12.30"),
        ("¥-12.30", "-12.30"),
        ("-¥12.3", "-12.30"),
        ("+5", "5.00"),
        (".5", "0.50"),
        ("0", "0.00"),
        (0.1 + 0.2, "0.30"),
        (2.675, "2.68"),  # binary 2.67499999… would round down
        (1.005, "1.01"),
        ("2.675", "2.68"),
        ("2.665", "2.67"),
        ("-2.675", "-2.68"),
        (Decimal("-0.004"), "0.00"),
        ("  1234.5  ", "1234.50"),
        ("1,234,567.89", "1234567.89"),
    ],
)
def test_money_shapes(raw: object, expected: str) -> None:
    result = money(raw)
    assert result == Decimal(expected)
    assert str(result) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        None,
        "abc",
        "元",
        "1,2,3",
        "12,34.5",
        "12 34",
        "1e3",
        "--5",
        "1.2万",
        "1234.",
        True,
        float("inf"),
        float("nan"),
        Decimal("NaN"),
        "1" * 20,
    ],
)
def test_money_refuses(raw: object) -> None:
    with pytest.raises(NormalizeError):
        money(raw)


_AMOUNTS = st.decimals(
    min_value=Decimal("-999999999999.99"),
    max_value=Decimal("999999999999.99"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)


@FAST
@given(
    _AMOUNTS,
    st.sampled_from(["{v:,.2f}", "{v:.2f}", "¥{v:,.2f}", "￥{v:,}", "{v:,.2f}元", "{v:f} 元"]),
    st.booleans(),
)
def test_money_round_trip_through_text(amount: Decimal, fmt: str, wide: bool) -> None:
    text = fmt.format(v=amount)
    if wide:
        text = fullwidth(text)
    assert money(text) == amount


@FAST
@given(_AMOUNTS)
def test_money_round_trip_through_float(amount: Decimal) -> None:
    assert money(float(amount)) == amount
    assert money(money(amount)) == amount
    assert money(amount).as_tuple().exponent == -2
