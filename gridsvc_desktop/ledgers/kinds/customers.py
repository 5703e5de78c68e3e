"""Customer ledger (客户档案): the big one, written through the driver in bulk.

The ledger owns account_no, name, address, category, metering, transformer area
(by 台区编号), meter number, phone, community (by name), opening date and
contract capacity; notes, compound and building are the station's and are never
touched. 台区名称 and 所属线路 are read for the eye only.

Unknown 台区编号: the customer is imported without a transformer area and the
row gets a warning (the dry run shows it as a change when it had one). Importing
the transformer-area ledger first avoids it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from typing import Any, ClassVar

from sqlalchemy import Connection

from gridsvc_desktop.db.bulk import insert_rows
from gridsvc_desktop.db.search_index import suspended_customer_index
from gridsvc_desktop.domain import normalize
from gridsvc_desktop.domain.enums import CustomerCategory, Metering
from gridsvc_desktop.domain.search_text import _SEPARATORS, search_chars
from gridsvc_desktop.ledgers.kinds.base import (
    BULK_THRESHOLD,
    CodeMatcher,
    Diff,
    Field,
    Kind,
    Writer,
    db_date,
    iter_rows,
    lost_in_gbk,
    run,
    run_many,
    show,
    stamp,
    warn,
)
from gridsvc_desktop.ledgers.pipeline import Issue, Parsed
from gridsvc_desktop.ledgers.specs import CUSTOMERS

# ledger column → customer column
_COLUMN = {"ta_code": "transformer_area_id", "community": "community_id"}
_DEFAULTS: dict[str, Any] = {
    "address": "",
    "category": CustomerCategory.residential.value,
    "metering": Metering.individual.value,
    "transformer_area_id": None,
    "meter_no": "",
    "phone": "",
    "community_id": None,
    "opened_on": None,
    "contract_kva": 0,
}
_DERIVED = ("phone_digits", "phone_rev", "search_name", "search_address")
_DROP = re.compile("[" + re.escape("".join(sorted(_SEPARATORS))) + r"\s]+")
INSERT_BATCH = 20_000
BULK_REBUILD_MIN = 50_000  # creates: below this, indexes are kept in step as rows go in


def fast_search_chars(text: str) -> str:
    """domain.search_text.search_chars for text already through clean_text (NFKC);
    the test suite checks the two agree."""
    if text.isalnum():  # no separators, no spaces: every character is a token
        return _spaced(text.lower())
    if not text.isascii() and not unicodedata.is_normalized("NFKC", text):
        return search_chars(text)
    return _spaced(_DROP.sub("", text.lower()))


def _spaced(text: str) -> str:
    """ " ".join(text), three times faster: replacing "" puts the space between
    every two characters (and at both ends) in one C loop."""
    return text.replace("", " ")[1:-1]


def derived(name: str, address: str, phone: str) -> tuple[str, str, str, str]:
    digits = phone if phone.isdigit() else normalize.phone_digits(phone)
    return digits, digits[::-1], fast_search_chars(name), fast_search_chars(address)


def _compile_builder(names: list[str], cols: list[str], constants: dict[str, Any]) -> Any:
    """One function turning a target record into the INSERT row: owned values, defaults
    for the columns this file lacks, derived search columns (names memoised)."""
    pos = {n: i for i, n in enumerate(names)}
    ns: dict[str, Any] = {"sc": fast_search_chars, "pd": normalize.phone_digits, "names": {}}
    ns.update(constants)
    lines = ["def build(rec):"]
    lines.append(f"    n = rec[{pos['name']}]")
    lines.append(f"    a = rec[{pos['address']}]" if "address" in pos else "    a = ''")
    lines.append(f"    p = rec[{pos['phone']}]" if "phone" in pos else "    p = ''")
    lines += [
        "    d = p if p.isdigit() else pd(p)",
        "    sn = names.get(n)",
        "    if sn is None:",
        "        sn = sc(n)",
        "        if len(names) < 100000:",
        "            names[n] = sn",
    ]
    out = []
    for c in cols:
        if c in pos:
            out.append(f"rec[{pos[c]}]" if c != "opened_on" else f"DATE(rec[{pos[c]}])")
        elif c == "phone_digits":
            out.append("d")
        elif c == "phone_rev":
            out.append("d[::-1]")
        elif c == "search_name":
            out.append("sn")
        elif c == "search_address":
            out.append("sc(a)")
        else:
            out.append(f"K_{c}")
    lines.append("    return (" + ", ".join(out) + ",)")
    exec(compile("\n".join(lines), "<customer-insert>", "exec"), ns)  # our own code only
    return ns["build"]


def _compile_relink(width: int, ta_pos: int, comm_pos: int) -> Any:
    """relink(rec, ta_id, comm_id): `rec` (of `width` values) with the transformer-area
    code and community name at their positions (-1: absent) replaced by their ids,
    as one tuple display (half the time of list → assign → tuple)."""
    items = ["t" if i == ta_pos else "c" if i == comm_pos else f"rec[{i}]" for i in range(width)]
    ns: dict[str, Any] = {}
    body = f"def relink(rec, t, c):\n    return ({', '.join(items)},)"
    exec(compile(body, "<customer-relink>", "exec"), ns)  # our own code only
    return ns["relink"]


class CustomersKind(Kind):
    spec = CUSTOMERS
    entity = "customer"
    big: ClassVar[bool] = True
    prefetch = (
        "customer",
        "account_no",
        tuple(_COLUMN.get(c.name, c.name) for c in CUSTOMERS.columns if c.stored),
    )

    def row_check(self, parsed: Parsed) -> Callable[[tuple[Any, ...]], bool] | None:
        pos = {n: i for i, n in enumerate(parsed.fields)}
        i_phone, i_addr, i_kva = (pos.get(n, -1) for n in ("phone", "address", "contract_kva"))
        h_phone, h_addr, h_kva = (
            parsed.header(n) if n in pos else "" for n in ("phone", "address", "contract_kva")
        )
        warnings = parsed.warnings

        def check(record: tuple[Any, ...]) -> bool:
            if i_phone >= 0:
                p = record[i_phone]
                if not p:
                    warnings.append(Issue(record[-1], h_phone, "联系电话为空"))
                elif _maybe_placeholder(p) and normalize.is_placeholder_phone(p):
                    warnings.append(
                        Issue(record[-1], h_phone, f"联系电话“{p}”疑似无效号码（重复或顺序数字）")
                    )
            if i_addr >= 0 and not record[i_addr]:
                warnings.append(Issue(record[-1], h_addr, "用电地址为空"))
            if i_kva >= 0 and record[i_kva] == 0:
                warnings.append(Issue(record[-1], h_kva, "合同容量为 0"))
            return True

        return check

    def adjust(
        self, fields: list[Field], old: tuple[Any, ...], new: tuple[Any, ...], parsed: Parsed
    ) -> tuple[Any, ...]:
        out = list(new)
        for i, f in enumerate(fields):
            if f.name in ("name", "address") and lost_in_gbk(old[i], new[i]):
                out[i] = old[i]
                warn(
                    parsed, new[-1], f.label,
                    f"“{new[i]}”中的“?”是导出时无法编码的生僻字（原为“{old[i]}”），保留原值",
                )  # fmt: skip
        return tuple(out)

    def fields(self, parsed: Parsed) -> list[Field]:
        out = []
        for name in parsed.fields:
            col = CUSTOMERS.column(name)
            out.append(Field(_COLUMN.get(name, name), col.header))
        return out

    def link(self, conn: Connection, parsed: Parsed, fields: list[Field]) -> None:
        ta_pos = parsed.fields.index("ta_code") if "ta_code" in parsed.fields else -1
        comm_pos = parsed.fields.index("community") if "community" in parsed.fields else -1
        self._labels(conn, fields)
        if ta_pos < 0 and comm_pos < 0:
            return
        tas = {
            code: (ta_id, comm)
            for ta_id, code, comm in run(
                conn, "SELECT id, code, community_id FROM transformer_area"
            )
        }
        matcher = CodeMatcher(tas)
        communities: dict[str, list[int]] = {}
        for area_id, name in run(conn, "SELECT id, name FROM admin_area WHERE level = 'community'"):
            communities.setdefault(name, []).append(int(area_id))
        ta_header = parsed.header("ta_code") if ta_pos >= 0 else ""
        comm_header = parsed.header("community") if comm_pos >= 0 else ""

        def resolve(code: str | None, name: str | None) -> tuple[Any, Any, list[tuple[str, str]]]:
            notes: list[tuple[str, str]] = []
            ta = None
            if code:
                found = matcher.find(code)  # a number cell may have lost leading zeros
                ta = tas[found] if found is not None else None
                if ta is None:
                    notes.append((ta_header, f"台区编号“{code}”不存在，客户已导入但未关联台区"))
            comm_id = None
            if name:
                ids = communities.get(name, [])
                if len(ids) == 1:
                    comm_id = ids[0]
                elif ta is not None and ta[1] in ids:
                    comm_id = ta[1]
                elif ids:
                    notes.append((comm_header, f"社区“{name}”有重名，无法确定，未关联社区"))
                else:
                    notes.append((comm_header, f"社区“{name}”不存在，未关联社区"))
            return (ta[0] if ta is not None else None), comm_id, notes

        # (台区编号, 社区) pairs repeat: resolve each pair once.
        resolved: dict[tuple[Any, Any], tuple[Any, Any, list[tuple[str, str]]]] = {}
        records = parsed.records
        warnings = parsed.warnings
        relink = _compile_relink(len(parsed.fields) + 1, ta_pos, comm_pos)
        for key, rec in records.items():
            pair = (rec[ta_pos] if ta_pos >= 0 else None, rec[comm_pos] if comm_pos >= 0 else None)
            hit = resolved.get(pair)
            if hit is None:
                hit = resolved[pair] = resolve(*pair)
            ta_id, comm_id, notes = hit
            if notes:
                for header, message in notes:
                    warnings.append(Issue(rec[-1], header, message))
            records[key] = relink(rec, ta_id, comm_id)

    def _labels(self, conn: Connection, fields: list[Field]) -> None:
        """Show transformer areas by code and communities by name in the report."""
        for i, f in enumerate(fields):
            if f.name == "transformer_area_id":
                codes = dict(run(conn, "SELECT id, code FROM transformer_area"))
                fields[i] = Field(f.name, f.label, lambda v, c=codes: show(c.get(v, v)))
            elif f.name == "community_id":
                names = dict(run(conn, "SELECT id, name FROM admin_area"))
                fields[i] = Field(f.name, f.label, lambda v, n=names: show(n.get(v, v)))
            elif f.name == "category":
                fields[i] = Field(
                    f.name, f.label, lambda v: show(CustomerCategory(v).label if v else v)
                )
            elif f.name == "metering":
                fields[i] = Field(f.name, f.label, lambda v: show(Metering(v).label if v else v))

    def existing(
        self, conn: Connection, fields: list[Field], keys: Iterable[Any] | None = None
    ) -> Iterator[tuple[Any, int, tuple[Any, ...]]]:
        cols = ", ".join(f.name for f in fields)
        text = f"SELECT account_no, id, {cols} FROM customer"
        if keys is None:
            rows = iter_rows(conn, text)
        else:
            keys = list(keys)
            rows = iter(
                run(conn, text + f" WHERE account_no IN ({', '.join('?' for _ in keys)})", keys)
            )
        dates = [i + 2 for i, f in enumerate(fields) if f.name == "opened_on"]
        sqlite = conn.dialect.name == "sqlite"
        for row in rows:
            values = tuple(row[2:])
            if dates and not sqlite:
                values = tuple(
                    v.isoformat() if i + 2 in dates and v is not None else v
                    for i, v in enumerate(values)
                )
            yield row[0], int(row[1]), values

    def write(self, w: Writer, fields: list[Field], diff: Diff) -> None:
        conn = w.conn
        names = [f.name for f in fields]
        bulk = len(diff.creates) + len(diff.updates) > BULK_THRESHOLD
        with ExitStack() as stack:
            if bulk:
                # Entered first, left last: the index and FTS rebuilds on leaving the
                # contexts below sort in the bigger cache too.
                stack.enter_context(_bulk_pragmas(conn))
                stack.enter_context(suspended_customer_index(conn))
                if _rebuild_cheaper(conn, len(diff.creates)):
                    stack.enter_context(_dropped_indexes(conn))
            self._insert(w, names, diff.creates)
            self._update(w, names, diff.updates)
            w.checkpoint(1, 1, "正在重建索引")

    def _insert(self, w: Writer, names: list[str], creates: list[tuple[Any, ...]]) -> None:
        if not creates:
            return
        conn = w.conn
        cols = ["account_no", "name", *_DEFAULTS, "notes", *_DERIVED, "updated_at", "version"]
        sqlite = conn.dialect.name == "sqlite"
        constants: dict[str, Any] = {f"K_{c}": v for c, v in _DEFAULTS.items()}
        constants.update(
            K_notes="", K_updated_at=stamp(w.now) if sqlite else w.now, K_version=1,
            DATE=(lambda v: v) if sqlite else (lambda v: db_date(conn, v)),
        )  # fmt: skip
        build = _compile_builder(names, cols, constants)
        before = run(conn, "SELECT coalesce(max(id), 0) FROM customer")[0][0]
        total = len(creates)
        # Built and inserted batch after batch on this thread. A thread building the
        # next batch while sqlite3 inserted this one was slower: the inserting thread
        # needs the GIL back after every row, and waits for it.
        for start in range(0, total, INSERT_BATCH):
            w.checkpoint(start, total, "正在写入新客户")
            batch = [build(rec) for rec in creates[start : start + INSERT_BATCH]]
            insert_rows(conn, "customer", cols, batch)
        first, last, count = run(
            conn, "SELECT min(id), max(id), count(*) FROM customer WHERE id > ?", [before]
        )[0]
        if count and last - first + 1 == count:
            w.log("customer", int(first), "create", {"last": int(last)})
        else:
            for (cid,) in run(conn, "SELECT id FROM customer WHERE id > ?", [before]):
                w.log("customer", int(cid), "create")

    def _update(self, w: Writer, names: list[str], updates: list[Any]) -> None:
        if not updates:
            return
        conn = w.conn
        stamp_now = stamp(w.now) if conn.dialect.name == "sqlite" else w.now
        extra = ["phone_digits", "phone_rev", "search_name", "search_address", "updated_at"]
        sets = ", ".join(f"{n} = ?" for n in [*names, *extra]) + ", version = version + 1"
        meta = {
            row[0]: (row[1], row[2], row[3], row[4], row[5])
            for start in range(0, len(updates), 500)
            for row in run(
                conn,
                "SELECT id, version, updated_at, name, address, phone FROM customer WHERE id IN ("
                + ", ".join("?" for _ in updates[start : start + 500])
                + ")",
                [u.entity_id for u in updates[start : start + 500]],
            )
        }
        pos = {n: i for i, n in enumerate(names)}
        params = []
        for u in updates:
            version, updated_at, old_name, old_address, old_phone = meta[u.entity_id]
            before = dict(zip(names, u.old, strict=True))
            before["version"] = version
            before["updated_at"] = str(updated_at)
            w.log("customer", u.entity_id, "update", before)
            new = list(u.new[:-1])
            name = new[pos["name"]] if "name" in pos else old_name
            address = new[pos["address"]] if "address" in pos else old_address
            phone = new[pos["phone"]] if "phone" in pos else old_phone
            params.append([*new, *derived(name, address, phone), stamp_now, u.entity_id])
        run_many(conn, f"UPDATE customer SET {sets} WHERE id = ?", params)


_KNOWN_FILLERS = frozenset({"12345678901", "12345678910", "13800138000", "10000000000"})


def _maybe_placeholder(p: str) -> bool:
    """Cheap pre-filter for normalize.is_placeholder_phone (a superset of its hits)."""
    if len(p) == 11 and p.isdigit():
        return p[3:] == p[-1] * 8 or p in _KNOWN_FILLERS or p in _RUNS
    return True


_RUNS = "0123456789012345678901234567890" + "0987654321098765432109876543210"


def _rebuild_cheaper(conn: Connection, creates: int) -> bool:
    """Whether dropping the customer indexes and building them again after the load
    beats keeping them in step row by row: for big loads that at least double the
    table (sorting once is far cheaper than that many random inserts)."""
    if creates <= BULK_REBUILD_MIN:
        return False
    rows = run(conn, "SELECT coalesce(max(id), 0) FROM customer")[0][0]
    return creates >= int(rows)


class _dropped_indexes:
    """Drop the customer table's secondary indexes (all but the unique 户号 one) for a
    bulk load and build them again afterwards, in the same transaction."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.saved: list[tuple[str, str]] = []

    def __enter__(self) -> None:
        if self.conn.dialect.name != "sqlite":
            return
        self.saved = run(
            self.conn,
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'customer' AND sql IS NOT NULL",
        )
        for name, _ in self.saved:
            run(self.conn, f'DROP INDEX "{name}"')

    def __exit__(self, *exc: object) -> None:
        if exc[0] is not None:
            return  # the transaction rolls back, indexes and all
        for _, text in self.saved:
            run(self.conn, text)


class _bulk_pragmas:
    """SQLite settings for a bulk load, put back afterwards: a larger page cache (the
    default is 64 MB a connection), which the index and FTS rebuilds sort in, and a
    helper thread for those sorts."""

    def __init__(self, conn: Connection, mb: int = 192) -> None:
        self.conn, self.mb = conn, mb

    def __enter__(self) -> None:
        if self.conn.dialect.name != "sqlite":
            return
        self.old = [run(self.conn, f"PRAGMA {p}")[0][0] for p in ("cache_size", "threads")]
        run(self.conn, f"PRAGMA cache_size = -{self.mb * 1024}")
        run(self.conn, "PRAGMA threads = 2")

    def __exit__(self, *exc: object) -> None:
        if self.conn.dialect.name != "sqlite":
            return
        run(self.conn, f"PRAGMA cache_size = {int(self.old[0])}")
        run(self.conn, f"PRAGMA threads = {int(self.old[1])}")
