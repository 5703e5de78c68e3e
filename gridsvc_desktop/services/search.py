"""Finding customers as the user types, at county scale.

Three kinds of query, told apart by their characters:
- digits: account-number prefix, phone prefix and (4+ digits) phone suffix,
  each an index range scan (`>= q AND < q + '\\x7f'`), never `LIKE 'q%'`, which
  SQLite cannot serve from an index;
- anything else: a phrase of single characters in the FTS index (name and
  address), a substring match of any length — see domain/search_text.py.

The text search is the one store-specific piece (`_text_match`): FTS5 on
SQLite; on PostgreSQL the same phrase match as a LIKE of the query's
two-character pieces in order over `gridsvc_bigrams(search_name)` (" 张三 三丰 "),
served by pg_trgm GIN indexes (migration 0001); a one-character query scans.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select, text
from sqlmodel import Session, col

from gridsvc_desktop.db.models import Customer, Grid, TransformerArea
from gridsvc_desktop.domain.enums import CustomerCategory
from gridsvc_desktop.domain.search_text import fold, phrase_query, search_chars

DIGITS = re.compile(r"^[\d\s\-+()]+$")
MAX_RESULTS = 200


@dataclass(frozen=True)
class CustomerRow:
    id: int
    account_no: str
    name: str
    address: str
    phone: str
    category: str
    transformer_area: str
    grid: str


def _base() -> Select[int | None, str, str, str, str, CustomerCategory, str, str]:
    return (
        select(
            col(Customer.id),
            col(Customer.account_no),
            col(Customer.name),
            col(Customer.address),
            col(Customer.phone),
            col(Customer.category),
            col(TransformerArea.name),
            col(Grid.name),
        )
        .outerjoin(TransformerArea, col(TransformerArea.id) == col(Customer.transformer_area_id))
        .outerjoin(Grid, col(Grid.id) == col(TransformerArea.grid_id))
    )


def _rows(session: Session, stmt: Select[Any, *tuple[Any, ...]]) -> list[CustomerRow]:
    return [
        CustomerRow(
            id=r[0],
            account_no=r[1],
            name=r[2],
            address=r[3],
            phone=r[4],
            category=CustomerCategory(r[5]).label,
            transformer_area=r[6] or "",
            grid=r[7] or "",
        )
        for r in session.execute(stmt).all()
    ]


def browse_customers(
    session: Session, *, after_account_no: str = "", limit: int = 200
) -> list[CustomerRow]:
    """All customers by account number, one keyset page at a time."""
    stmt = _base().where(col(Customer.account_no) > after_account_no).order_by(Customer.account_no)
    return _rows(session, stmt.limit(limit))


def search_customers(
    session: Session, query: str, *, limit: int = MAX_RESULTS
) -> list[CustomerRow]:
    """Customers matching `query`; at most `limit` of them, best kinds first."""
    q = fold(query).strip()
    if not q:
        return []
    if DIGITS.match(q):
        digits = re.sub(r"\D", "", q)
        if not digits:
            return []
        return _digit_search(session, digits, limit)
    return _text_search(session, q, limit)


def _prefix(column: object, value: str) -> object:
    return (column >= value) & (column < value + "\x7f")  # type: ignore[operator]


def _digit_search(session: Session, digits: str, limit: int) -> list[CustomerRow]:
    seen: set[int] = set()
    out: list[CustomerRow] = []
    filters = [
        (_prefix(Customer.account_no, digits), Customer.account_no),
        (_prefix(Customer.phone_digits, digits), Customer.phone_digits),
    ]
    if len(digits) >= 4:
        filters.append((_prefix(Customer.phone_rev, digits[::-1]), Customer.phone_rev))
    for where, order in filters:
        if len(out) >= limit:
            break
        for row in _rows(session, _base().where(where).order_by(order).limit(limit)):  # type: ignore[arg-type]
            if row.id not in seen:
                seen.add(row.id)
                out.append(row)
    return out[:limit]


def _text_search(session: Session, q: str, limit: int) -> list[CustomerRow]:
    ids = _text_match(session, q, limit)
    if not ids:
        return []
    rows = {r.id: r for r in _rows(session, _base().where(Customer.id.in_(ids)))}  # type: ignore[union-attr]
    return [rows[i] for i in ids if i in rows]


def _text_match(session: Session, q: str, limit: int) -> list[int]:
    """Ids of customers whose name or address contains every word of `q`."""
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        match = phrase_query(q)
        if match is None:
            return []
        return list(
            session.execute(
                text("SELECT rowid FROM customer_fts WHERE customer_fts MATCH :m LIMIT :n"),
                {"m": match, "n": limit},
            ).scalars()
        )
    stmt = select(col(Customer.id))
    for word in q.split():
        chars = search_chars(word).replace(" ", "")
        if len(chars) >= 2:  # its two-character pieces in order, on the bigram index
            pattern = "% " + " ".join(_like_escape(chars[i : i + 2]) for i in range(len(chars) - 1))
            name, address = (
                func.gridsvc_bigrams(c) for c in (Customer.search_name, Customer.search_address)
            )
            stmt = stmt.where(
                name.like(pattern + " %", escape="\\") | address.like(pattern + " %", escape="\\")
            )
        elif chars:
            pattern = "%" + _like_escape(chars) + "%"
            stmt = stmt.where(
                col(Customer.search_name).like(pattern, escape="\\")
                | col(Customer.search_address).like(pattern, escape="\\")
            )
    if stmt.whereclause is None:
        return []
    return [i for i in session.execute(stmt.limit(limit)).scalars() if i is not None]


def _like_escape(text_: str) -> str:
    return text_.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
