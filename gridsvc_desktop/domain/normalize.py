"""Normalisers for the messy values found in ledgers and typed in by staff.

Every function either returns the canonical form or raises `NormalizeError`
with a short Chinese message that can be shown to the admin row by row. None of
them guesses: a value that could mean two things is refused.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

__all__ = [
    "NormalizeError",
    "account_no",
    "clean_text",
    "is_placeholder_phone",
    "money",
    "parse_date",
    "parse_datetime",
    "parse_month",
    "phone",
    "phone_digits",
]


class NormalizeError(ValueError):
    """A value that cannot be normalised; the message is Chinese, for users."""


# --------------------------------------------------------------------------- text

# Invisible characters that survive NFKC and `str.split()`.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_WS_RUN = re.compile(r"\s+")


def clean_text(value: object) -> str:
    """`str(value)` NFKC-normalised (full-width → half-width), trimmed, inner
    whitespace runs (NBSP and ideographic spaces included) collapsed to one space.
    None → ""."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value).translate(_INVISIBLE))
    return _WS_RUN.sub(" ", text).strip()


def _compact(value: object) -> str:
    """clean_text with every whitespace removed (for codes and numbers)."""
    return _WS_RUN.sub("", clean_text(value))


# Integral numbers written as text by a spreadsheet: "592939734.0", "13812345678.00".
_FLOAT_TEXT = re.compile(r"(\d+)\.0+", re.ASCII)
# A phone read back from a float cell: "13812345678.0"; "1381234.0000" is a phone with a dot.
_PHONE_FLOAT_TEXT = re.compile(r"(\d{7,})\.0", re.ASCII)
_SCIENTIFIC = re.compile(r"[+-]?\d+(?:\.\d+)?[eE][+-]?\d+", re.ASCII)


def _integral_digits(value: object, what: str) -> tuple[str, bool]:
    """The digits of a code stored as a number or as text, and whether it came
    as a number (so a leading zero may have been lost)."""
    if value is None:
        raise NormalizeError(f"{what}为空")
    if isinstance(value, bool):
        raise NormalizeError(f"{what}格式不正确")
    if isinstance(value, int):
        if value < 0:
            raise NormalizeError(f"{what}不能为负数")
        return str(value), True
    if isinstance(value, float | Decimal):
        if isinstance(value, float) and (not math.isfinite(value) or abs(value) >= 2**53):
            raise NormalizeError(f"{what}数值超出范围，可能已丢失精度")
        if isinstance(value, Decimal) and not value.is_finite():
            raise NormalizeError(f"{what}格式不正确")
        if value < 0:
            raise NormalizeError(f"{what}不能为负数")
        if value != int(value):
            raise NormalizeError(f"{what}含小数")
        return str(int(value)), True
    text = _compact(value)
    if not text:
        raise NormalizeError(f"{what}为空")
    if _SCIENTIFIC.fullmatch(text):
        raise NormalizeError(f"{what}为科学计数法，可能已丢失位数")
    m = _FLOAT_TEXT.fullmatch(text)
    if m:
        return m.group(1), True
    return text, False


# --------------------------------------------------------------------------- account no.


def account_no(value: object, length: int | None = 10) -> str:
    """户号 as text of digits.

    A value that came as a number (int, float, or text like "592939734.0")
    is left-padded with zeros up to `length`: Excel drops leading zeros of
    numeric cells. A short *text* value is refused, as is a longer one.
    """
    digits, from_number = _integral_digits(value, "户号")
    if not digits.isascii() or not digits.isdigit():
        raise NormalizeError("户号含非数字字符")
    if length is not None:
        if len(digits) > length:
            raise NormalizeError(f"户号位数过长（应为{length}位）")
        if len(digits) < length:
            if not from_number:
                raise NormalizeError(f"户号位数不足（应为{length}位）")
            digits = digits.zfill(length)
    return digits


# --------------------------------------------------------------------------- phone

_MOBILE = re.compile(r"1[3-9]\d{9}", re.ASCII)
_LOCAL = re.compile(r"[1-9]\d{6,7}", re.ASCII)
_AREA3 = re.compile(r"0(?:10|2\d)", re.ASCII)
_AREA4 = re.compile(r"0[3-9]\d\d", re.ASCII)
_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u30fc", "-"))
_EXTENSION = re.compile(r"(.*?\d)\s*(?:转|分机|ext\.?|x|#)\s*(\d{1,6})", re.IGNORECASE | re.ASCII)
_COUNTRY = re.compile(r"\(?\s*(?:\+|00)\s*86\s*\)?[\s\-.]*")
_DIGIT_RUNS = re.compile(r"[0-9]+")
_PHONE_CHARS = re.compile(r"[\d\s\-.()]+", re.ASCII)


def _is_area(code: str) -> bool:
    return bool(_AREA3.fullmatch(code) or _AREA4.fullmatch(code))


def _landline(groups: list[str], ext: str) -> str | None:
    """The canonical area-number[-ext] from digit groups, or None if they do not fit."""
    area = number = ""
    head = groups[0]
    if len(groups) >= 2 and _is_area(head):
        area, rest = head, groups[1:]
        if len(rest) == 1:
            number = rest[0]
        elif len(rest) == 2 and len(rest[0]) in (7, 8) and not ext:
            number, ext = rest  # "0838-1234567-123"
        else:
            number = "".join(rest)
    else:
        digits = "".join(groups)
        size = 3 if digits.startswith(("010", "02")) else 4
        area, number = digits[:size], digits[size:]
        if not _is_area(area):
            return None
    if not (len(number) in (7, 8) and number.isdigit()):
        return None
    if ext and not (1 <= len(ext) <= 6):
        return None
    return f"{area}-{number}" + (f"-{ext}" if ext else "")


def phone(value: object) -> str:
    """Canonical phone: mobile "13812345678", landline "0838-1234567[-123]",
    or a bare 7-8 digit local number."""
    if isinstance(value, str):
        text = clean_text(value)  # keep spaces: they separate area code and number
        m = _PHONE_FLOAT_TEXT.fullmatch(text)
        if m:
            text = m.group(1)
    else:
        text, _ = _integral_digits(value, "电话")
    if not text:
        raise NormalizeError("电话为空")
    text = text.translate(_DASHES)
    ext = ""
    m = _EXTENSION.fullmatch(text)
    if m:
        text, ext = m.group(1), m.group(2)
    m = _COUNTRY.match(text)
    international = m is not None
    if m:
        text = text[m.end() :]
    if not text or not _PHONE_CHARS.fullmatch(text):
        raise NormalizeError("电话含非法字符")
    groups = _DIGIT_RUNS.findall(text)
    if not groups:
        raise NormalizeError("电话号码为空")
    digits = "".join(groups)
    if _MOBILE.fullmatch(digits):
        if ext:
            raise NormalizeError("手机号码不能带分机号")
        return digits
    if not ext and len(digits) == 13 and digits.startswith("86") and _MOBILE.fullmatch(digits[2:]):
        return digits[2:]
    if international and not digits.startswith("0"):
        # +86 838 1234567: the trunk zero of the area code is dropped abroad.
        groups[0] = "0" + groups[0]
        digits = "0" + digits
    if digits.startswith("0"):
        result = None
        if len(groups) >= 2 and not ext and not _is_area(groups[0]):
            result = _landline(groups[:-1], groups[-1])  # "08381234567-123"
        if result is None:
            result = _landline(groups, ext)
        if result is None:
            raise NormalizeError("固定电话格式不正确（区号-号码）")
        return result
    if not international:
        if len(groups) == 2 and _LOCAL.fullmatch(groups[0]) and groups[0][0] != "1" and not ext:
            digits, ext = groups  # "2345678-123"; "1381234-567" is a mistyped mobile
        if _LOCAL.fullmatch(digits) and len(ext) <= 6 and not (ext and digits[0] == "1"):
            return digits + (f"-{ext}" if ext else "")
    if digits.startswith("1"):
        raise NormalizeError("手机号码位数或号段不正确")
    raise NormalizeError("电话号码位数不正确")


def phone_digits(value: str) -> str:
    """Just the digits of an already-normalised phone (for search indexes)."""
    return "".join(ch for ch in value if "0" <= ch <= "9")


_PLACEHOLDERS = frozenset(
    {"12345678901", "12345678910", "01234567890", "13800138000", "10000000000", "10086"}
)
_ASCENDING = "0123456789012345678901234567890"
_DESCENDING = _ASCENDING[::-1]


def _is_filler(digits: str) -> bool:
    if len(set(digits)) == 1:
        return True
    return len(digits) >= 7 and (digits in _ASCENDING or digits in _DESCENDING)


def is_placeholder_phone(p: str) -> bool:
    """True for numbers typed to fill a mandatory field: one digit repeated
    (11111111111, 00000000, 0838-0000000), whole numbers that are runs like
    1234567 or 87654321, 13800000000, and well-known fillers such as
    12345678901 or 13800138000."""
    digits = phone_digits(clean_text(p))
    if not digits:
        return False
    if digits in _PLACEHOLDERS or _is_filler(digits):
        return True
    if _MOBILE.fullmatch(digits) and len(set(digits[3:])) == 1:
        return True  # 138 0000 0000
    parts = clean_text(p).split("-")
    if len(parts) >= 2 and parts[0].startswith("0"):
        return len(set(phone_digits(parts[1]))) <= 1  # 0838-0000000
    return False


# --------------------------------------------------------------------------- dates

_EXCEL_MAX = 80_000
_YEAR_MIN, _YEAR_MAX = 1900, 2100
_DATE_SEP = re.compile(r"(\d{4})\s*([-/.])\s*(\d{1,2})\s*\2\s*(\d{1,2})", re.ASCII)
_DATE_CN = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?", re.ASCII)
_DATE_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})", re.ASCII)
_TIME_ASCII = re.compile(r"(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,6}))?)?", re.ASCII)
_TIME_CN = re.compile(r"(\d{1,2})\s*[时点]\s*(?:(\d{1,2})\s*分\s*(?:(\d{1,2})\s*秒)?)?", re.ASCII)
_SERIAL_TEXT = re.compile(r"\d{1,5}(?:\.\d+)?", re.ASCII)


def _make_date(year: int, month: int, day: int) -> dt.date:
    if not _YEAR_MIN <= year <= _YEAR_MAX:
        raise NormalizeError(f"年份超出范围（{_YEAR_MIN}-{_YEAR_MAX}）")
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise NormalizeError("日期不存在") from None


def _excel_serial(serial: float | int | Decimal, with_time: bool) -> dt.datetime:
    """Excel 1900 date system; serial 60 is Excel's phantom 1900-02-29."""
    if isinstance(serial, float) and not math.isfinite(serial):
        raise NormalizeError("日期格式不正确")
    day = math.floor(serial)
    if not 1 <= day <= _EXCEL_MAX:
        raise NormalizeError("日期序号超出范围")
    if day == 60:
        raise NormalizeError("日期不存在（1900-02-29）")
    base = dt.datetime(1899, 12, 31) if day < 60 else dt.datetime(1899, 12, 30)
    result = base + dt.timedelta(days=day)
    if with_time:
        seconds = round((float(serial) - day) * 86_400)  # Excel stores times as binary fractions
        result += dt.timedelta(seconds=seconds)
    return result


def _from_number(value: int | float | Decimal, with_time: bool) -> dt.datetime:
    if 19_000_101 <= value <= 21_001_231 and value == int(value):
        # 20240305 typed into a numeric cell
        s = str(int(value))
        return dt.datetime.combine(_make_date(int(s[:4]), int(s[4:6]), int(s[6:])), dt.time())
    return _excel_serial(value, with_time)


def _split_datetime_text(text: str) -> tuple[dt.date, str]:
    """The date at the start of `text` and what follows it."""
    for pattern in (_DATE_SEP, _DATE_CN):
        m = pattern.match(text)
        if m:
            y, mo, d = (int(m.group(i)) for i in (1, m.re.groups - 1, m.re.groups))
            return _make_date(y, mo, d), text[m.end() :]
    m = _DATE_COMPACT.match(text)
    if m and (len(text) == 8 or not text[8].isdigit()):
        y, mo, d = (int(g) for g in m.groups())
        return _make_date(y, mo, d), text[m.end() :]
    raise NormalizeError("日期格式不正确")


def _parse_time(rest: str) -> dt.time:
    rest = rest.strip()
    if not rest:
        return dt.time()
    if rest[0] in "Tt":
        rest = rest[1:].strip()
    m = _TIME_ASCII.fullmatch(rest) or _TIME_CN.fullmatch(rest)
    if not m:
        raise NormalizeError("时间格式不正确")
    hour, minute, second = (int(g) if g else 0 for g in m.groups()[:3])
    micro_text = m.group(4) if m.re is _TIME_ASCII else None
    micro = int(micro_text.ljust(6, "0")) if micro_text else 0
    try:
        return dt.time(hour, minute, second, micro)
    except ValueError:
        raise NormalizeError("时间不存在") from None


def _to_datetime(value: object, with_time: bool) -> dt.datetime:
    if value is None:
        raise NormalizeError("日期为空")
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            raise NormalizeError("不支持带时区的时间")
        return value
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    if isinstance(value, bool):
        raise NormalizeError("日期格式不正确")
    if isinstance(value, int | float | Decimal):
        return _from_number(value, with_time)
    text = clean_text(value)
    if not text:
        raise NormalizeError("日期为空")
    if _SERIAL_TEXT.fullmatch(text):
        return _excel_serial(float(text), with_time)
    day, rest = _split_datetime_text(text)
    return dt.datetime.combine(day, _parse_time(rest))


def parse_date(value: object) -> dt.date:
    """A date from a date/datetime, an Excel serial (fraction dropped), or text
    such as 2024/3/5, 2024-03-05, 2024.3.5, 2024年3月5日, 20240305 (an optional
    time after it is validated and dropped)."""
    return _to_datetime(value, with_time=False).date()


def parse_datetime(value: object) -> dt.datetime:
    """A naive local datetime from the shapes `parse_date` accepts plus a time
    (Excel serial fraction, "14:30", "14:30:15", "14时30分"); a date alone gives
    midnight."""
    return _to_datetime(value, with_time=True)


_MONTH_TEXT = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?", re.ASCII)
_MONTH_COMPACT = re.compile(r"(\d{4})(\d{2})(?:\.0+)?", re.ASCII)


def _month_str(year: int, month: int) -> str:
    if not _YEAR_MIN <= year <= _YEAR_MAX:
        raise NormalizeError(f"年份超出范围（{_YEAR_MIN}-{_YEAR_MAX}）")
    if not 1 <= month <= 12:
        raise NormalizeError("月份应为1-12")
    return f"{year:04d}{month:02d}"


def parse_month(value: object) -> str:
    """Arrears month as "YYYYMM" from 202606, "2026-06", "2026/6", "2026年6月",
    a full date (as object or text) and the like."""
    if value is None:
        raise NormalizeError("月份为空")
    if isinstance(value, dt.date):
        return _month_str(value.year, value.month)
    if isinstance(value, bool):
        raise NormalizeError("月份格式不正确")
    if isinstance(value, int | float | Decimal):
        if isinstance(value, float) and not math.isfinite(value):
            raise NormalizeError("月份格式不正确")
        if value != int(value) or not 100_000 <= value <= 999_999:
            raise NormalizeError("月份格式不正确（应为YYYYMM）")
        n = int(value)
        return _month_str(n // 100, n % 100)
    text = clean_text(value)
    if not text:
        raise NormalizeError("月份为空")
    m = _MONTH_COMPACT.fullmatch(text) or _MONTH_TEXT.fullmatch(text)
    if m:
        return _month_str(int(m.group(1)), int(m.group(2)))
    try:
        day, rest = _split_datetime_text(text)
        _parse_time(rest)
    except NormalizeError:
        raise NormalizeError("月份格式不正确（应为YYYYMM）") from None
    return _month_str(day.year, day.month)


# --------------------------------------------------------------------------- money

_CENT = Decimal("0.01")
_MONEY_TEXT = re.compile(r"([+-]?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?|([+-]?)(\.\d+)", re.ASCII)
_CURRENCY_PREFIX = ("¥", "RMB", "CNY", "人民币")
_CURRENCY_SUFFIX = ("元", "RMB", "CNY")
_MONEY_LIMIT = Decimal("1e15")


def _quantize(amount: Decimal) -> Decimal:
    if not amount.is_finite() or abs(amount) >= _MONEY_LIMIT:
        raise NormalizeError("金额超出范围")
    result = amount.quantize(_CENT, rounding=ROUND_HALF_UP)
    return result if result else Decimal("0.00")  # no "-0.00"


def money(value: object) -> Decimal:
    """Amount in yuan, quantised to 0.01 (ROUND_HALF_UP), from a number or text
    like "1,234.50", "￥1,234.5", "1234.5元", "-12.30"."""
    if value is None:
        raise NormalizeError("金额为空")
    if isinstance(value, bool):
        raise NormalizeError("金额格式不正确")
    if isinstance(value, Decimal):
        return _quantize(value)
    if isinstance(value, int):
        return _quantize(Decimal(value))
    if isinstance(value, float):
        if not math.isfinite(value):
            raise NormalizeError("金额格式不正确")
        return _quantize(Decimal(repr(value)))  # repr: 0.1 → "0.1", not 0.1000000000000000055…
    text = clean_text(value).translate(_DASHES)
    if not text:
        raise NormalizeError("金额为空")
    sign = ""
    if text[0] in "+-":
        sign, text = text[0], text[1:].lstrip()
    for prefix in _CURRENCY_PREFIX:
        if text.upper().startswith(prefix):
            text = text[len(prefix) :].lstrip()
            break
    for suffix in _CURRENCY_SUFFIX:
        if text.upper().endswith(suffix):
            text = text[: -len(suffix)].rstrip()
            break
    if sign and text[:1] in "+-":
        raise NormalizeError("金额格式不正确")
    text = sign + text
    if not _MONEY_TEXT.fullmatch(text):
        raise NormalizeError("金额格式不正确")
    try:
        return _quantize(Decimal(text.replace(",", "")))
    except InvalidOperation:
        raise NormalizeError("金额格式不正确") from None
