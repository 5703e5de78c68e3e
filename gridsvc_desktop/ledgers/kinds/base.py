"""What every ledger kind shares: target fields, the diff, the change log for undo,
get-or-create of places and feeders, and the driver-level bulk statements."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from sqlalchemy import Connection, Engine
from sqlmodel import Session

from gridsvc_desktop.domain.enums import AreaClass, AreaLevel
from gridsvc_desktop.ledgers.kinds.prefetch import ExistingPrefetch
from gridsvc_desktop.ledgers.pipeline import Issue, Parsed
from gridsvc_desktop.ledgers.spec import LedgerSpec
from gridsvc_desktop.services.actor import Actor
from gridsvc_desktop.services.progress import NullProgress, Progress, checkpoint

VERSIONED = frozenset(
    {"grid", "transformer_area", "staff", "customer", "work_order", "outage", "arrears"}
)
BULK_THRESHOLD = 5_000  # rows: above this, suspend the search index and rebuild it once
CHUNK = 10_000


def show(value: Any) -> str:
    """A value as the dry-run report shows it."""
    if value is None or value == "":
        return "（空）"
    if isinstance(value, tuple | list):
        return "、".join(str(v) for v in value) or "（空）"
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return str(value)


@dataclass(frozen=True)
class Field:
    """One value a kind compares and writes: `name` is the database column (or a
    pseudo-field such as a set of grid names), `label` the header users know."""

    name: str
    label: str
    show: Any = show


@dataclass
class Update:
    entity_id: int
    key: Any
    old: tuple[Any, ...]
    new: tuple[Any, ...]  # target values + (row,)

    @property
    def row(self) -> int:
        return int(self.new[-1])


@dataclass
class Diff:
    creates: list[tuple[Any, ...]] = field(default_factory=list)
    updates: list[Update] = field(default_factory=list)
    unchanged: int = 0


# --------------------------------------------------------------------------- raw SQL


def cursor(conn: Connection) -> Any:
    """The DBAPI cursor of `conn`, inside its transaction (bulk statements)."""
    return conn.connection.cursor()


def sql(conn: Connection, text: str) -> str:
    """`text` written with ? placeholders, in the driver's parameter style."""
    if conn.dialect.paramstyle in ("format", "pyformat"):
        return text.replace("?", "%s")
    return text


def run(conn: Connection, text: str, params: Sequence[Any] = ()) -> list[Any]:
    cur = cursor(conn)
    try:
        cur.execute(sql(conn, text), tuple(params))
        return list(cur.fetchall()) if cur.description else []
    finally:
        cur.close()


def run_many(conn: Connection, text: str, rows: Iterable[Sequence[Any]]) -> None:
    cur = cursor(conn)
    try:
        cur.executemany(sql(conn, text), rows)
    finally:
        cur.close()


def iter_rows(conn: Connection, text: str, params: Sequence[Any] = ()) -> Iterator[tuple[Any, ...]]:
    cur = cursor(conn)
    try:
        cur.execute(sql(conn, text), tuple(params))
        while True:
            batch = cur.fetchmany(CHUNK)
            if not batch:
                break
            yield from batch
    finally:
        cur.close()


def stamp(value: dt.datetime) -> str:
    """A datetime as SQLAlchemy's SQLite DateTime type stores it."""
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


def db_datetime(conn: Connection, value: dt.datetime | None) -> Any:
    if value is None:
        return None
    return stamp(value) if conn.dialect.name == "sqlite" else value


def db_date(conn: Connection, value: dt.date | str | None) -> Any:
    if value is None:
        return None
    if conn.dialect.name == "sqlite":
        return value if isinstance(value, str) else value.isoformat()
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def from_db(value: Any) -> Any:
    """A value read back from the driver in the form records carry (dates as ISO text)."""
    if isinstance(value, dt.datetime):
        return value.replace(microsecond=0)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


# --------------------------------------------------------------------------- writing


@dataclass
class Writer:
    """Everything an apply needs: the transaction, who, the batch, and the change log
    that makes the import undoable."""

    session: Session
    conn: Connection
    actor: Actor
    batch_id: int
    now: dt.datetime
    progress: Progress = field(default_factory=NullProgress)
    changes: list[tuple[int, str, int, str, str]] = field(default_factory=list)
    created_names: dict[str, list[str]] = field(default_factory=dict)
    _areas: dict[tuple[int | None, str], int] = field(default_factory=dict)
    _feeders: dict[str, int] = field(default_factory=dict)
    _compounds: dict[tuple[int, str], int] = field(default_factory=dict)
    _buildings: dict[tuple[int, str], int] = field(default_factory=dict)

    @property
    def today(self) -> dt.date:
        return self.now.date()

    def log(
        self, entity: str, entity_id: int, op: str, before: dict[str, Any] | None = None
    ) -> None:
        body = json.dumps(before, ensure_ascii=False, default=str) if before is not None else ""
        self.changes.append((self.batch_id, entity, entity_id, op, body))

    def flush_log(self) -> None:
        if self.changes:
            run_many(
                self.conn,
                "INSERT INTO import_change (batch_id, entity, entity_id, op, before_json) VALUES (?, ?, ?, ?, ?)",
                self.changes,
            )
            self.changes.clear()

    def checkpoint(self, done: int, total: int, message: str) -> None:
        checkpoint(self.progress, done, total, message)

    def insert(self, table: str, values: dict[str, Any]) -> int:
        """Insert one row, log it as created, return its id."""
        cols = list(values)
        text = f'INSERT INTO "{table}" ({", ".join(cols)}) VALUES ({", ".join("?" for _ in cols)})'
        cur = cursor(self.conn)
        try:
            if self.conn.dialect.name == "postgresql":
                cur.execute(sql(self.conn, text + " RETURNING id"), tuple(values.values()))
                new_id = int(cur.fetchone()[0])
            else:
                cur.execute(sql(self.conn, text), tuple(values.values()))
                new_id = int(cur.lastrowid)
        finally:
            cur.close()
        self.log(table, new_id, "create")
        return new_id

    def update(
        self, table: str, entity_id: int, before: dict[str, Any], after: dict[str, Any]
    ) -> None:
        """Set `after` on one row (bumping its version if it has one), logging `before`."""
        sets = [f"{k} = ?" for k in after]
        params = list(after.values())
        if "version" in before:
            sets.append("version = version + 1")
        run(self.conn, f'UPDATE "{table}" SET {", ".join(sets)} WHERE id = ?', [*params, entity_id])
        self.log(table, entity_id, "update", before)

    def patch(self, table: str, entity_id: int, after: dict[str, Any]) -> bool:
        """Set the columns in `after` that differ, logging their old values (and the
        version) for undo. False if nothing differed."""
        cols = list(after)
        has_version = table in VERSIONED
        select = ", ".join([*cols, "version"] if has_version else cols)
        rows = run(self.conn, f'SELECT {select} FROM "{table}" WHERE id = ?', [entity_id])
        if not rows:
            return False
        current = dict(zip([*cols, "version"] if has_version else cols, rows[0], strict=True))
        changed = {k: v for k, v in after.items() if from_db(current[k]) != from_db(v)}
        if not changed:
            return False
        before = {k: current[k] for k in changed}
        if has_version:
            before["version"] = current["version"]
        self.update(table, entity_id, before, changed)
        return True

    def note_created(self, what: str, name: str) -> None:
        self.created_names.setdefault(what, []).append(name)

    # get-or-create of what ledgers name --------------------------------------------------

    def feeder(self, name: str) -> int | None:
        if not name:
            return None
        if name not in self._feeders:
            rows = run(self.conn, "SELECT id FROM feeder WHERE name = ?", [name])
            if rows:
                self._feeders[name] = int(rows[0][0])
            else:
                self._feeders[name] = self.insert("feeder", {"name": name})
                self.note_created("线路", name)
        return self._feeders[name]

    def area(
        self, name: str, level: AreaLevel, parent_id: int | None, area_class: AreaClass
    ) -> int:
        key = (parent_id, name)
        if key not in self._areas:
            if parent_id is None:
                rows = run(
                    self.conn,
                    "SELECT id FROM admin_area WHERE name = ? AND parent_id IS NULL AND level = ?",
                    [name, level.value],
                )
            else:
                rows = run(
                    self.conn,
                    "SELECT id FROM admin_area WHERE name = ? AND parent_id = ?",
                    [name, parent_id],
                )
            if rows:
                self._areas[key] = int(rows[0][0])
            else:
                self._areas[key] = self.insert(
                    "admin_area",
                    {
                        "name": name,
                        "level": level.value,
                        "parent_id": parent_id,
                        "area_class": area_class.value,
                    },
                )
                self.note_created("乡镇（街道）" if level is AreaLevel.town else "社区（村）", name)
        return self._areas[key]

    def community(self, town: str | None, name: str, area_class: AreaClass) -> int | None:
        """The community `name` (under `town` when given), created as needed.

        Without a town, an existing community of that name is used when there is
        exactly one; otherwise one is created at the top level."""
        if not name:
            return None
        if town:
            town_id = self.area(town, AreaLevel.town, None, area_class)
            return self.area(name, AreaLevel.community, town_id, area_class)
        rows = run(
            self.conn, "SELECT id FROM admin_area WHERE name = ? AND level = 'community'", [name]
        )
        if len(rows) == 1:
            return int(rows[0][0])
        return self.area(name, AreaLevel.community, None, area_class)

    def compound(self, community_id: int, name: str) -> int | None:
        if not name:
            return None
        key = (community_id, name)
        if key not in self._compounds:
            rows = run(
                self.conn,
                "SELECT id FROM compound WHERE community_id = ? AND name = ?",
                [community_id, name],
            )
            if rows:
                self._compounds[key] = int(rows[0][0])
            else:
                self._compounds[key] = self.insert(
                    "compound", {"community_id": community_id, "name": name}
                )
                self.note_created("小区", name)
        return self._compounds[key]

    def building(self, compound_id: int | None, name: str) -> int | None:
        if not name or compound_id is None:
            return None
        key = (compound_id, name)
        if key not in self._buildings:
            rows = run(
                self.conn,
                "SELECT id FROM building WHERE compound_id = ? AND name = ?",
                [compound_id, name],
            )
            if rows:
                self._buildings[key] = int(rows[0][0])
            else:
                self._buildings[key] = self.insert(
                    "building", {"compound_id": compound_id, "name": name}
                )
                self.note_created("楼栋", name)
        return self._buildings[key]


# --------------------------------------------------------------------------- kinds


class Kind:
    """One ledger kind's database side. Subclasses set the class attributes and
    implement `fields`, `link`, `existing` and `write`."""

    spec: ClassVar[LedgerSpec]
    entity: ClassVar[str]  # main table
    big: ClassVar[bool] = False  # compare by hash, fetch old rows only for suspects
    create_only: ClassVar[bool] = False  # rows already in the database are left alone
    #: (table, key column, columns) a big kind's comparison may read while the file
    #: loads (kinds/prefetch.py); the columns are the fields' names it may compare.
    prefetch: ClassVar[tuple[str, str, tuple[str, ...]] | None] = None

    def row_check(self, parsed: Parsed) -> Callable[[tuple[Any, ...]], bool] | None:
        """A row-level check for this file while reading: warnings, or refuse (False)."""
        return None

    def fields(self, parsed: Parsed) -> list[Field]:
        raise NotImplementedError

    def link(self, conn: Connection, parsed: Parsed, fields: list[Field]) -> None:
        """Turn parsed records into target tuples (aligned with `fields`, + row) in place,
        resolving names and codes; unknown links become warnings or refusals."""
        raise NotImplementedError

    def existing(
        self, conn: Connection, fields: list[Field], keys: Iterable[Any] | None = None
    ) -> Iterator[tuple[Any, int, tuple[Any, ...]]]:
        """(key, id, values aligned with fields) of rows in the database."""
        raise NotImplementedError

    def write(self, w: Writer, fields: list[Field], diff: Diff) -> None:
        raise NotImplementedError

    def side_effects(self, conn: Connection, parsed: Parsed, fields: list[Field]) -> list[str]:
        """What applying would create besides the rows (for the dry run)."""
        return []

    def adjust(
        self, fields: list[Field], old: tuple[Any, ...], new: tuple[Any, ...], parsed: Parsed
    ) -> tuple[Any, ...]:
        """A last look at a changed row (new = target values + row); may keep old values."""
        return new


def start_prefetch(kind: Kind | type[Kind], engine: Engine) -> ExistingPrefetch | None:
    """Begin reading what `kind` compares against on a thread (SQLite, big kinds)."""
    if kind.prefetch is None or engine.dialect.name != "sqlite":
        return None
    return ExistingPrefetch(engine, *kind.prefetch)


def compute_diff(
    kind: Kind,
    conn: Connection,
    parsed: Parsed,
    fields: list[Field],
    progress: Progress,
    prefetched: ExistingPrefetch | None = None,
) -> Diff:
    """Created / changed / unchanged, against the rows in the database now.

    A big kind compares digests first and reads the old values only of rows
    whose digest differs; the digests come from `prefetched` when it can vouch
    that they are still current, else from the database."""
    diff = Diff()
    records = parsed.records
    total = len(records)
    progress.report(0, total, "正在与数据库比对")
    if kind.big:
        known = prefetched.digests_for([f.name for f in fields]) if prefetched else None
        if known is None:
            known = {key: hash(values) for key, _id, values in kind.existing(conn, fields)}
        suspects: list[tuple[Any, tuple[Any, ...]]] = []
        for n, (key, rec) in enumerate(records.items(), 1):
            h = known.get(key)
            if h is None:
                diff.creates.append(rec)
            elif h == hash(rec[:-1]):
                diff.unchanged += 1
            else:
                suspects.append((key, rec))
            if n % CHUNK == 0:
                checkpoint(progress, n, total, "正在与数据库比对")
        del known
        olds: dict[Any, tuple[int, tuple[Any, ...]]] = {}
        for start in range(0, len(suspects), 500):
            chunk = [k for k, _ in suspects[start : start + 500]]
            for key, entity_id, values in kind.existing(conn, fields, chunk):
                olds[key] = (entity_id, values)
        for key, rec in suspects:
            entity_id, old = olds[key]
            rec = kind.adjust(fields, old, rec, parsed)
            if old == rec[:-1]:
                diff.unchanged += 1
            else:
                diff.updates.append(Update(entity_id, key, old, rec))
        return diff
    rows = {key: (entity_id, values) for key, entity_id, values in kind.existing(conn, fields)}
    for key, rec in records.items():
        hit = rows.get(key)
        if hit is None:
            diff.creates.append(rec)
        elif kind.create_only or hit[1] == rec[:-1]:
            diff.unchanged += 1
        else:
            rec = kind.adjust(fields, hit[1], rec, parsed)
            if hit[1] == rec[:-1]:
                diff.unchanged += 1
            else:
                diff.updates.append(Update(hit[0], key, hit[1], rec))
    return diff


def lost_in_gbk(old: Any, new: Any) -> bool:
    """True when `new` is `old` with the characters GBK cannot encode turned into "?"
    (what a GBK export does to rare characters in names)."""
    if (
        not (isinstance(old, str) and isinstance(new, str))
        or len(old) != len(new)
        or "?" not in new
    ):
        return False
    lost = False
    for a, b in zip(old, new, strict=True):
        if a == b:
            continue
        if b != "?":
            return False
        try:
            a.encode("gbk")
        except UnicodeEncodeError:
            lost = True
            continue
        return False
    return lost


class CodeMatcher:
    """Finds an existing code for one read from a number cell that lost its leading zeros."""

    def __init__(self, codes: Iterable[str]) -> None:
        self.codes = set(codes)
        self._stripped: dict[str, list[str]] = {}
        lengths: dict[int, int] = {}
        for code in self.codes:
            if code.isdigit():
                self._stripped.setdefault(code.lstrip("0"), []).append(code)
                lengths[len(code)] = lengths.get(len(code), 0) + 1
        total = sum(lengths.values())
        top = max(lengths.items(), key=lambda kv: kv[1], default=(0, 0))
        self.usual_length = top[0] if total and top[1] >= 0.9 * total else 0

    def find(self, code: str) -> str | None:
        if code in self.codes:
            return code
        if code.isdigit():
            near = self._stripped.get(code.lstrip("0"), [])
            if len(near) == 1:
                return near[0]
        return None

    def looks_truncated(self, code: str) -> bool:
        return bool(self.usual_length) and code.isdigit() and len(code) < self.usual_length


def warn(parsed: Parsed, row: int, column: str, message: str) -> None:
    parsed.warnings.append(Issue(row, column, message))


def refuse_record(parsed: Parsed, key: Any, row: int, column: str, message: str) -> None:
    """Refuse a record that was read fine but cannot be linked."""
    rec = parsed.records.pop(key, None)
    parsed.refuse(row, column, message)
    if rec is not None and parsed.refused[row].values is None:
        parsed.refused[row].values = rec
