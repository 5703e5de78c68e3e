"""What a ledger looks like, as data: columns, header synonyms, types, key, links.

A `LedgerSpec` lists its `Column`s in the order the exporter writes them. Each
column names the header a station's own export uses, the synonyms other
systems use, the value type (a key of `coerce.COERCERS`), whether the column
must be present (`required`) and whether each row must fill it (`not_empty`).
`links` says in words and data how a column ties rows to what is already in
the database; the per-kind code in `ledgers/kinds/` follows it.

Adding a synonym or a column is one line in `specs.py`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from gridsvc_desktop.domain.enums import LedgerKind


@dataclass(frozen=True)
class Column:
    name: str  # field name in a parsed record
    header: str  # the header this program writes
    type: str = "text"  # a key of coerce.COERCERS
    synonyms: tuple[str, ...] = ()
    required: bool = False  # the header must be present
    not_empty: bool = False  # every data row must fill it
    default: object = ""  # value of an empty cell
    stored: bool = True  # False: context only (read for the eye, never written)
    sensitive: str = ""  # "phone" | "id": masked in exports unless the actor may unmask
    repeats: bool = False  # few distinct values (community, feeder, …): coercion is memoised
    width: float = 14  # column width in exported workbooks
    note: str = ""  # one line for the instructions sheet (说明)
    example: str = ""


@dataclass(frozen=True)
class Link:
    """How a column ties a row to an existing record."""

    column: str  # Column.name
    target: str  # "table.column" it is matched against
    missing: str  # "warn" (row kept, link left empty) | "refuse" | "create"
    note: str = ""


@dataclass(frozen=True)
class LedgerSpec:
    kind: str  # LedgerKind value, or an export-only kind (work_orders, calls, collections)
    title: str  # 客户档案
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    links: tuple[Link, ...] = ()
    importable: bool = True
    key_label: str = ""
    _by_header: dict[str, Column] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        names = [c.name for c in self.columns]
        if len(set(names)) != len(names):
            raise ValueError(f"{self.kind}: duplicate column names")
        table: dict[str, Column] = {}
        for col in self.columns:
            for text in (col.header, *col.synonyms):
                norm = normalize_header(text)
                other = table.get(norm)
                if other is not None and other is not col:
                    raise ValueError(
                        f"{self.kind}: header {text!r} names {other.name} and {col.name}"
                    )
                table[norm] = col
        self._by_header.update(table)
        for k in self.key:
            if k not in names:
                raise ValueError(f"{self.kind}: key {k} is not a column")

    @property
    def ledger_kind(self) -> LedgerKind | None:
        try:
            return LedgerKind(self.kind)
        except ValueError:
            return None

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)

    def match_header(self, text: object) -> Column | None:
        """The column a header cell names, or None."""
        if not isinstance(text, str):
            return None
        return self._by_header.get(normalize_header(text))

    @property
    def required(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.required)

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]


_UNIT = re.compile(r"[(\[][^()\[\]]*[)\]]$")
_DROP = re.compile(r"[\s*＊:：_\-]+")


def normalize_header(text: str) -> str:
    """Header text folded for matching: NFKC (full-width brackets → ASCII), lower case,
    no spaces, no required-marks (*), a trailing unit in brackets dropped:
    "变压器容量（kVA）", "*变压器容量", "变压器 容量" all give "变压器容量"."""
    folded = unicodedata.normalize("NFKC", text).strip().lower()
    folded = _DROP.sub("", folded)
    stripped = _UNIT.sub("", folded)
    return stripped or folded
