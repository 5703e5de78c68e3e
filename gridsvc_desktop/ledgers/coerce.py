"""Cell value → canonical value, one plain function per column type.

Each coercer takes a non-empty cell value (the pipeline handles empty cells) and
returns the value in the form the database stores, or raises NormalizeError with
a short Chinese reason. The semantics are those of `domain.normalize`; the fast
paths in front of it only short-cut values that are already canonical (a
10-digit account number, an 11-digit mobile, clean text), so a 500,000-row
ledger costs a few microseconds a cell.

`Lenient` is raised by the lenient variants: the row is kept with `value`, and
the message becomes a warning.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from gridsvc_desktop.domain import enums, normalize
from gridsvc_desktop.domain.normalize import NormalizeError

Coercer = Callable[[Any], Any]


class Lenient(NormalizeError):
    """Keep the row with `value`; report the message as a warning."""

    def __init__(self, value: Any, message: str) -> None:
        super().__init__(message)
        self.value = value


_is_nfkc = unicodedata.is_normalized


def text(value: Any) -> str:
    """clean_text, with a fast path for text that is already clean.

    `isprintable()` is False for every whitespace character but the ASCII space and
    for the invisible ones clean_text removes, so printable NFKC text without
    leading, trailing or doubled spaces is exactly what clean_text would return.
    """
    if type(value) is str:
        if (
            value.isprintable()
            and (value.isascii() or _is_nfkc("NFKC", value))
            and value[0] != " "
            and value[-1] != " "
            and "  " not in value
        ):
            return value
        return normalize.clean_text(value)
    if type(value) is float:
        if value.is_integer() and abs(value) < 2**53:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return normalize.clean_text(value)


_FLOAT_TEXT = re.compile(r"(\d+)\.0+", re.ASCII)
_SCIENTIFIC = re.compile(r"[+-]?\d+(?:\.\d+)?[eE][+-]?\d+", re.ASCII)
_WS = re.compile(r"\s+")


def code(value: Any) -> str:
    """An identifier (台区编号, 表号, 工单编号): text without any whitespace; a number
    becomes its integral digits (a fraction or a float past 2^53 is refused)."""
    if type(value) is str:
        if value.isascii() and value.isalnum():
            return value
        out = _WS.sub("", normalize.clean_text(value))
        m = _FLOAT_TEXT.fullmatch(out)
        if m:
            return m.group(1)
        if _SCIENTIFIC.fullmatch(out):
            raise NormalizeError("编号为科学计数法，可能已丢失位数（请把该列设为文本后重新导出）")
        return out
    if isinstance(value, bool):
        raise NormalizeError("编号格式不正确")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value) or abs(value) >= 2**53:
            raise NormalizeError("编号数值过大，已丢失精度（请把该列设为文本后重新导出）")
        if not value.is_integer():
            raise NormalizeError("编号含小数")
        return str(int(value))
    return _WS.sub("", normalize.clean_text(value))


def employee_no(value: Any) -> str:
    return code(value).upper()


def make_account_no(length: int) -> Coercer:
    def account_no(value: Any) -> str:
        if type(value) is str and len(value) == length and value.isascii() and value.isdigit():
            return value
        return normalize.account_no(value, length)

    return account_no


_MOBILE_2ND = frozenset("3456789")


def phone(value: Any) -> str:
    if (
        type(value) is str
        and len(value) == 11
        and value.isascii()
        and value.isdigit()
        and value[0] == "1"
        and value[1] in _MOBILE_2ND
    ):
        return value
    if type(value) is str and "*" in value:
        raise NormalizeError("电话已打码（含*号），不能导入；请使用未打码的台账")
    return normalize.phone(value)


def phone_lenient(value: Any) -> str:
    try:
        return phone(value)
    except NormalizeError as exc:
        raise Lenient(text(value), f"电话“{text(value)}”{exc}，按原样保存") from None


def date_iso(value: Any) -> str:
    if type(value) is dt.date:
        return value.isoformat()
    if type(value) is dt.datetime:
        return value.date().isoformat()
    return normalize.parse_date(value).isoformat()


def datetime_(value: Any) -> dt.datetime:
    if type(value) is dt.datetime:
        return value.replace(microsecond=0)
    return normalize.parse_datetime(value).replace(microsecond=0)


def month(value: Any) -> str:
    return normalize.parse_month(value)


def money_fen(value: Any) -> int:
    amount = normalize.money(value)
    if amount < 0:
        raise NormalizeError("金额不能为负数")
    return int(amount * 100)


_KVA_UNIT = re.compile(r"\s*(?:kva|千伏安|kw|千瓦)\s*$", re.IGNORECASE)


def kva(value: Any) -> int:
    """A non-negative whole number of kVA: 630, 630.0, "630", "630kVA"."""
    if isinstance(value, bool):
        raise NormalizeError("容量格式不正确")
    if isinstance(value, int):
        number: Decimal | float | int = value
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise NormalizeError("容量格式不正确")
        number = value
    else:
        raw = _KVA_UNIT.sub("", normalize.clean_text(value)).replace(",", "")
        try:
            number = Decimal(raw)
        except InvalidOperation:
            raise NormalizeError("容量应为数字") from None
        if not number.is_finite():
            raise NormalizeError("容量格式不正确")
    if number < 0:
        raise NormalizeError("容量不能为负数")
    if number != int(number):
        raise NormalizeError("容量应为整数（kVA）")
    if number > 10_000_000:
        raise NormalizeError("容量数值异常")
    return int(number)


_LIST_SEP = re.compile(r"[、,，;；/\n]+|\s{1,}")


def text_list(value: Any) -> tuple[str, ...]:
    """ "A、B，C" → ("A", "B", "C"): trimmed, empty items dropped, duplicates removed."""
    if isinstance(value, float | int) and not isinstance(value, bool):
        return (code(value),)
    items = (normalize.clean_text(p) for p in _LIST_SEP.split(normalize.clean_text(value)))
    return tuple(dict.fromkeys(p for p in items if p))


def make_enum(name: str) -> Coercer:
    enum_cls: type[enums.LabelledEnum] = getattr(enums, name)
    folded = {m.value.lower(): m.value for m in enum_cls}

    def coerce_enum(value: Any) -> str:
        key = text(value)
        try:
            return str(enum_cls.from_label(key).value)
        except ValueError:
            hit = folded.get(key.lower())
            if hit is not None:
                return hit
            raise NormalizeError(
                f"无法识别“{key}”（可填：{'、'.join(enum_cls.labels())}）"
            ) from None

    return coerce_enum


class _Failed:  # a memoised refusal
    __slots__ = ("message",)

    def __init__(self, message: str) -> None:
        self.message = message


def cached(fn: Coercer, limit: int = 50_000) -> Coercer:
    """`fn` memoised (errors too) for low-cardinality columns; stops growing at `limit`."""
    memo: dict[Any, Any] = {}
    get = memo.get
    miss = _Failed("")

    def wrapper(value: Any) -> Any:
        hit = get(value, miss)
        if hit is miss:
            try:
                hit = fn(value)
            except Lenient:
                raise
            except NormalizeError as exc:
                hit = _Failed(str(exc))
            if len(memo) < limit:
                memo[value] = hit
        if hit.__class__ is _Failed:
            raise NormalizeError(hit.message)
        return hit

    wrapper.memo = memo  # type: ignore[attr-defined]  # read inline by pipeline._compile_row
    return wrapper


FAILED = _Failed


def lenient_enum(name: str, default: Any) -> Coercer:
    """An enum whose unknown values fall back to `default` with a warning."""
    strict = make_enum(name)

    def coerce_lenient(value: Any) -> str:
        try:
            return strict(value)
        except NormalizeError as exc:
            raise Lenient(default, f"{exc}，按默认值处理") from None

    return coerce_lenient


def coercer_for(
    type_name: str, *, account_length: int = 10, repeats: bool = False, default: Any = None
) -> Coercer:
    """The coercer of a spec column type (memoised when the column `repeats` values).
    "enum?:Name" is lenient: an unknown value becomes `default`, with a warning."""
    if repeats and type_name in ("text", "code"):
        return cached(text if type_name == "text" else code)
    if type_name.startswith("enum?:"):
        return lenient_enum(type_name[6:], default)
    if type_name.startswith("enum:"):
        return cached(make_enum(type_name[5:]))
    simple: dict[str, Coercer] = {
        "text": text,
        "code": code,
        "employee_no": employee_no,
        "phone": phone,
        "phone_lenient": phone_lenient,
        "datetime": datetime_,
        "money_fen": money_fen,
    }
    if type_name in simple:
        return simple[type_name]
    if type_name == "account_no":
        return make_account_no(account_length)
    memoised: dict[str, Coercer] = {
        "date": date_iso,
        "month": month,
        "kva": kva,
        "list": text_list,
    }
    if type_name in memoised:
        return cached(memoised[type_name])
    raise KeyError(f"unknown column type {type_name!r}")
