"""Ledger import: dry run, apply (all or nothing, or skipping refused rows), error
workbook, history and undo of the last import.

The pipeline is read → map → coerce → validate (ledgers.pipeline, no database),
then link → diff → apply (ledgers.kinds, in one transaction). A GUI drives it in
two steps, `prepare_import` (the dry run it shows) then `apply_import`; the CLI
calls `import_ledger`. Long work reports through the Progress object it is
given and stops with `Cancelled`; whatever was written is then rolled back.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import hashlib
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from sqlalchemy import Connection, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.db.models import AppUser, ImportBatch, customer_derived, now
from gridsvc_desktop.db.search_index import suspended_customer_index
from gridsvc_desktop.domain.enums import LedgerKind
from gridsvc_desktop.ledgers.errors import LedgerFileError
from gridsvc_desktop.ledgers.kinds import KINDS, Kind
from gridsvc_desktop.ledgers.kinds.base import (
    BULK_THRESHOLD,
    VERSIONED,
    Diff,
    Field,
    Writer,
    compute_diff,
    run,
    start_prefetch,
)
from gridsvc_desktop.ledgers.kinds.prefetch import ExistingPrefetch
from gridsvc_desktop.ledgers.pipeline import ImportOptions, Issue, Parsed, RefusedRow, parse
from gridsvc_desktop.ledgers.safety import DEFAULT_MAX_ROWS
from gridsvc_desktop.ledgers.specs import spec_for
from gridsvc_desktop.services import audit
from gridsvc_desktop.services.actor import Actor, Permission
from gridsvc_desktop.services.backups import backup_before_import
from gridsvc_desktop.services.common import NotFound
from gridsvc_desktop.services.progress import NullProgress, Progress
from gridsvc_desktop.services.station import get_setting

__all__ = [
    "FieldChange",
    "ImportOptions",
    "ImportPlan",
    "ImportRecord",
    "ImportRefused",
    "LedgerFileError",
    "RowChange",
    "UndoRefused",
    "UndoResult",
    "apply_import",
    "import_history",
    "import_ledger",
    "import_records",
    "ledger_kinds",
    "prepare_import",
    "undo_last_import",
    "write_error_workbook",
]

MAX_ROWS_SETTING = "import_max_rows"
SAMPLE = 1_000  # created rows listed by key in the dry-run report


class ImportRefused(Exception):
    """Rows were refused and the caller asked for all or nothing: nothing was written."""

    def __init__(self, plan: ImportPlan) -> None:
        super().__init__(
            f"文件“{plan.file_name}”有 {len(plan.refused)} 行被拒绝，按“全部或全不”未导入任何数据。"
            "可修改后重新导入，或选择跳过被拒绝的行。"
        )
        self.plan = plan


class UndoRefused(Exception):
    """The last import cannot be undone exactly (rows changed or used since)."""


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class RowChange:
    row: int
    key: str
    changes: list[FieldChange]

    def __str__(self) -> str:
        parts = "；".join(f"{c.label}：{c.old} → {c.new}" for c in self.changes)
        return f"第 {self.row} 行 {self.key}：{parts}"


@dataclass
class ImportPlan:
    """The dry run: what the file would do, for the GUI to show and the CLI to print."""

    file_name: str
    file_hash: str
    kind: LedgerKind
    title: str
    sheet: str
    header_row: int
    columns: list[tuple[str, str]]  # (header in the file, header it was read as)
    sheets: list[str]  # every sheet in the file, for the wizard's picker
    ignored: list[str]
    missing: list[str]
    rows: int
    created: int = 0
    changed: list[RowChange] = field(default_factory=list)
    unchanged: int = 0
    refused: list[RefusedRow] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    side_effects: list[str] = field(default_factory=list)
    created_rows: list[tuple[int, str]] = field(default_factory=list)
    applied: bool = False
    batch_id: int | None = None
    skipped_refused: bool = False
    _parsed: Parsed | None = field(default=None, repr=False)
    _kind: Kind | None = field(default=None, repr=False)
    _fields: list[Field] = field(default_factory=list, repr=False)

    @property
    def counts(self) -> tuple[int, int, int, int]:
        return self.created, len(self.changed), self.unchanged, len(self.refused)

    def summary_line(self) -> str:
        c, ch, u, r = self.counts
        return f"新增 {c}，修改 {ch}，未变 {u}，拒绝 {r}"

    def describe(self, limit: int = 20) -> str:
        """The dry-run report as text (the CLI prints it; the GUI has its own view)."""
        lines = [
            f"文件：{self.file_name}（{self.title}，工作表“{self.sheet}”，表头在第 {self.header_row} 行，"
            f"数据 {self.rows} 行）"
        ]
        if self.ignored:
            lines.append("未使用的列：" + "、".join(self.ignored))
        if self.missing:
            lines.append("文件中没有的列（保持不变）：" + "、".join(self.missing))
        lines += self.side_effects
        for ch in self.changed[:limit]:
            lines.append(f"修改  {ch}")
        if len(self.changed) > limit:
            lines.append(f"……另有 {len(self.changed) - limit} 行修改")
        for r in self.refused[:limit]:
            lines.append(f"拒绝  第 {r.row} 行：{r.reason}")
        if len(self.refused) > limit:
            lines.append(f"……另有 {len(self.refused) - limit} 行被拒绝")
        for w in self.warnings[:limit]:
            lines.append(f"提醒  {w}")
        if len(self.warnings) > limit:
            lines.append(f"……另有 {len(self.warnings) - limit} 条提醒")
        return "\n".join(lines)


# --------------------------------------------------------------------------- running


_P = ParamSpec("_P")
_R = TypeVar("_R")


def _cyclic_gc_paused(func: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run `func` with Python's cyclic garbage collector off. An import keeps its
    records (hundreds of thousands of tuples) alive from start to end; every full
    collection walks all of them and frees nothing, 1.5 s in all at 500,000
    customers. The import makes no reference cycles worth collecting meanwhile."""

    @functools.wraps(func)
    def paused(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        if not gc.isenabled():
            return func(*args, **kwargs)
        gc.disable()
        try:
            return func(*args, **kwargs)
        finally:
            # What survived goes to the oldest generation unexamined (freeze, then
            # unfreeze), instead of one young collection walking it all (0.5 s).
            gc.freeze()
            gc.unfreeze()
            gc.enable()

    return paused


def file_hash(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def _max_rows(db: Database) -> int:
    with db.read() as s:
        value = get_setting(s, MAX_ROWS_SETTING)
    try:
        return int(value) if value else DEFAULT_MAX_ROWS
    except ValueError:
        return DEFAULT_MAX_ROWS


def _account_length(db: Database) -> int:
    with db.read() as s:
        rows = run(s.connection(), "SELECT account_no_length FROM station LIMIT 1")
    return int(rows[0][0]) if rows and rows[0][0] else 10


def _parse(
    db: Database,
    path: Path,
    options: ImportOptions,
    kind_name: str | None,
    progress: Progress,
    *,
    prefetch: bool = False,
) -> tuple[Parsed, Kind, ExistingPrefetch | None]:
    """The file read and checked, its kind, and (with `prefetch`) the rows its
    comparison needs, read while the file loaded (ledgers/kinds/prefetch.py)."""
    options.max_rows = options.max_rows if options.max_rows != DEFAULT_MAX_ROWS else _max_rows(db)
    spec = spec_for(kind_name) if kind_name else None
    kinds: dict[str, Kind] = {}
    # Only one kind reads ahead (the customers); the file may turn out to be another.
    likely = (
        KINDS[kind_name] if kind_name else next((k for k in KINDS.values() if k.prefetch), None)
    )
    early: ExistingPrefetch | None = None

    def check(parsed: Parsed) -> Any:
        kinds[parsed.spec.kind] = KINDS[parsed.spec.kind]()
        return kinds[parsed.spec.kind].row_check(parsed)

    def on_open() -> None:
        nonlocal early
        if prefetch and likely is not None:  # the sheet loads outside Python next
            early = start_prefetch(likely, db.engine)

    try:
        parsed = parse(
            path,
            options,
            account_length=_account_length(db),
            spec=spec,
            check=check,
            progress=progress,
            on_open=on_open,
        )
    except BaseException:
        if early is not None:
            early.close()
        raise
    kind = kinds.get(parsed.spec.kind) or KINDS[parsed.spec.kind]()
    if early is not None and likely is not None and not isinstance(kind, likely):
        early.close()
        early = None
    return parsed, kind, early


@contextmanager
def _closing(prefetched: ExistingPrefetch | None) -> Iterator[None]:
    try:
        yield
    finally:
        if prefetched is not None:
            prefetched.close()


def _new_plan(path: Path, digest: str, parsed: Parsed) -> ImportPlan:
    layout = parsed.layout
    return ImportPlan(
        file_name=path.name,
        file_hash=digest,
        kind=LedgerKind(parsed.spec.kind),
        title=parsed.spec.title,
        sheet=layout.sheet,
        header_row=layout.header_row,
        columns=[(layout.headers[i], col.header) for i, col in layout.mapping.items()],
        sheets=list(layout.sheet_names),
        ignored=list(layout.ignored),
        missing=[c.header for c in layout.missing],
        rows=parsed.rows_read,
    )


def _key_text(key: Any) -> str:
    if isinstance(key, tuple):
        return "+".join(str(k) for k in key if k not in (None, ""))
    return str(key)


def _fill(plan: ImportPlan, parsed: Parsed, fields: list[Field], diff: Diff) -> None:
    """Counts and details of a diff into the plan."""
    plan.created = len(diff.creates)
    key_pos = [parsed.fields.index(k) if k in parsed.fields else -1 for k in parsed.spec.key]
    plan.created_rows = []
    for rec in diff.creates[:SAMPLE]:
        key = (
            rec[key_pos[0]]
            if len(key_pos) == 1
            else tuple(rec[i] if i >= 0 else "" for i in key_pos)
        )
        plan.created_rows.append((int(rec[-1]), _key_text(key)))
    plan.changed = []
    for u in sorted(diff.updates, key=lambda u: u.row):
        changes = [
            FieldChange(f.label, f.show(u.old[i]), f.show(u.new[i]))
            for i, f in enumerate(fields)
            if u.old[i] != u.new[i]
        ]
        plan.changed.append(RowChange(u.row, _key_text(u.key), changes))
    plan.unchanged = diff.unchanged
    plan.refused = [parsed.refused[r] for r in sorted(parsed.refused)]
    plan.warnings = sorted(dict.fromkeys(parsed.warnings), key=lambda w: w.row)


@_cyclic_gc_paused
def prepare_import(
    db: Database,
    actor: Actor,
    path: Path,
    options: ImportOptions | None = None,
    *,
    progress: Progress | None = None,
) -> ImportPlan:
    """The dry run: read and check the file, compare with the database, write nothing."""
    actor.require(Permission.import_ledgers)
    options = options or ImportOptions()
    progress = progress or NullProgress()
    path = Path(path)
    digest = file_hash(path)
    parsed, kind, prefetched = _parse(db, path, options, options.kind, progress, prefetch=True)
    plan = _new_plan(path, digest, parsed)
    with db.read() as s, _closing(prefetched):
        conn = s.connection()
        fields = kind.fields(parsed)
        kind.link(conn, parsed, fields)
        diff = compute_diff(kind, conn, parsed, fields, progress, prefetched)
        plan.side_effects = kind.side_effects(conn, parsed, fields)
    _fill(plan, parsed, fields, diff)
    plan._parsed, plan._kind, plan._fields = parsed, kind, fields
    return plan


@_cyclic_gc_paused
def apply_import(
    db: Database,
    actor: Actor,
    plan: ImportPlan,
    *,
    skip_refused: bool = False,
    progress: Progress | None = None,
) -> ImportPlan:
    """Apply a prepared plan in one transaction: compared again under the write lock,
    written, recorded (ImportBatch + ImportChange + an audit row). With refused rows
    and not `skip_refused`, raises ImportRefused and writes nothing."""
    actor.require(Permission.import_ledgers)
    if plan.applied:
        raise ValueError("this plan has been applied already")
    parsed, kind, fields = plan._parsed, plan._kind, plan._fields
    if parsed is None or kind is None:
        raise ValueError("plan has no parsed ledger")
    if plan.refused and not skip_refused:
        raise ImportRefused(plan)
    progress = progress or NullProgress()
    with db.write() as session:
        conn = session.connection()
        diff = compute_diff(kind, conn, parsed, fields, progress)
        _backup_if_changing(db, diff)
        _write(session, conn, actor, plan, kind, fields, diff, progress)
        _fill(plan, parsed, fields, diff)
    plan.applied = True
    plan.skipped_refused = bool(plan.refused)
    return plan


def _write(
    session: Session,
    conn: Connection,
    actor: Actor,
    plan: ImportPlan,
    kind: Kind,
    fields: list[Field],
    diff: Diff,
    progress: Progress,
) -> None:
    started = now()
    batch = ImportBatch(
        kind=plan.kind,
        file_name=plan.file_name[:300],
        file_hash=plan.file_hash,
        user_id=actor.user_id,
        started_at=started,
    )
    session.add(batch)
    session.flush()
    assert batch.id is not None
    writer = Writer(
        session=session, conn=conn, actor=actor, batch_id=batch.id, now=started, progress=progress
    )
    if diff.creates or diff.updates:
        kind.write(writer, fields, diff)
    writer.flush_log()
    batch.created = len(diff.creates)
    batch.changed = len(diff.updates)
    batch.unchanged = diff.unchanged
    batch.refused = len(plan.refused)
    batch.finished_at = now()
    session.add(batch)
    after: dict[str, Any] = {
        "kind": plan.kind.value,
        "file": plan.file_name,
        "sha256": plan.file_hash,
        "created": batch.created,
        "changed": batch.changed,
        "unchanged": batch.unchanged,
        "refused": batch.refused,
    }
    if writer.created_names:
        after["also_created"] = {k: len(v) for k, v in writer.created_names.items()}
    audit.record(session, actor, "import", "import_batch", batch.id, after=after)
    session.flush()
    plan.batch_id = batch.id


def _backup_if_changing(db: Database, diff: Diff) -> None:
    """The pre-import backup, taken once the comparison shows that the import
    changes rows and before it writes any. An import that changes nothing
    records only its own history row and needs none: at 500,000 customers the
    verified backup (about 10 s) would be most of an unchanged re-import."""
    if diff.creates or diff.updates:
        backup_before_import(db)


@_cyclic_gc_paused
def import_ledger(
    db: Database,
    actor: Actor,
    path: Path,
    options: ImportOptions | None = None,
    *,
    dry_run: bool = False,
    skip_refused: bool = False,
    errors_path: Path | None = None,
    progress: Progress | None = None,
) -> ImportPlan:
    """Read, check and (unless `dry_run`) apply a ledger file in one go.

    Linking, comparing and writing share one write transaction, so what is
    compared is what is written. Raises LedgerFileError for an unreadable file,
    ImportRefused when rows were refused and `skip_refused` is not set (the
    error workbook is written first when `errors_path` is given).
    """
    actor.require(Permission.import_ledgers)
    options = options or ImportOptions()
    progress = progress or NullProgress()
    path = Path(path)
    if dry_run:
        plan = prepare_import(db, actor, path, options, progress=progress)
        if errors_path is not None and plan.refused:
            write_error_workbook(plan, errors_path)
        return plan
    digest = file_hash(path)
    parsed, kind, prefetched = _parse(db, path, options, options.kind, progress, prefetch=True)
    plan = _new_plan(path, digest, parsed)
    plan._parsed, plan._kind = parsed, kind
    with db.write() as session, _closing(prefetched):
        conn = session.connection()
        fields = kind.fields(parsed)
        kind.link(conn, parsed, fields)
        plan._fields = fields
        diff = compute_diff(kind, conn, parsed, fields, progress, prefetched)
        if prefetched is not None:
            prefetched.close()  # its connection back to the pool before the writing
        plan.side_effects = kind.side_effects(conn, parsed, fields)
        _fill(plan, parsed, fields, diff)
        if plan.refused and not skip_refused:
            if errors_path is not None:
                write_error_workbook(plan, errors_path)
            raise ImportRefused(plan)
        _backup_if_changing(db, diff)
        _write(session, conn, actor, plan, kind, fields, diff, progress)
    plan.applied = True
    plan.skipped_refused = bool(plan.refused)
    if errors_path is not None and plan.refused:
        write_error_workbook(plan, errors_path)
    return plan


def write_error_workbook(plan: ImportPlan, path: Path) -> int:
    """The refused rows, as read, in the ledger's layout plus a 错误原因 column; once
    fixed, the workbook imports like the original. Returns the number of rows."""
    from gridsvc_desktop.ledgers.writer import write_error_rows

    parsed = plan._parsed
    if parsed is None:
        raise ValueError("plan has no parsed ledger")
    return write_error_rows(parsed, plan.refused, Path(path))


# --------------------------------------------------------------------------- history and undo


def import_history(db: Database, limit: int = 50) -> list[ImportBatch]:
    with db.read() as s:
        return list(
            s.execute(select(ImportBatch).order_by(ImportBatch.id.desc()).limit(limit)).scalars()  # type: ignore[union-attr]
        )


@dataclass
class UndoResult:
    batch_id: int
    kind: LedgerKind
    file_name: str
    reverted: int


def undo_last_import(db: Database, actor: Actor, *, progress: Progress | None = None) -> UndoResult:
    """Undo the most recent import not yet undone, exactly: rows it created are
    deleted, rows it changed get their old values (and version) back. Refused
    (UndoRefused) when any of those rows was edited or came into use since."""
    actor.require(Permission.import_ledgers)
    progress = progress or NullProgress()
    with db.write() as session:
        undone = ImportBatch.undone_at.is_(None)  # type: ignore[union-attr]
        newest = ImportBatch.id.desc()  # type: ignore[union-attr]
        batch = session.execute(
            select(ImportBatch).where(undone).order_by(newest).limit(1)
        ).scalar_one_or_none()
        if batch is None:
            raise NotFound("没有可以撤销的导入。")
        conn = session.connection()
        changes = run(
            conn,
            "SELECT entity, entity_id, op, before_json FROM import_change WHERE batch_id = ? ORDER BY id DESC",
            [batch.id],
        )
        _check_undo(conn, changes)
        try:
            reverted = _revert(conn, changes, progress)
        except IntegrityError as exc:
            raise UndoRefused(
                f"导入“{batch.file_name}”新增的记录已被其他数据引用（例如已有工单、欠费或通话记录），不能撤销。"
            ) from exc
        batch.undone_at = now()
        session.add(batch)
        audit.record(
            session, actor, "undo_import", "import_batch", batch.id,
            after={"kind": batch.kind.value, "file": batch.file_name, "reverted": reverted},
        )  # fmt: skip
        return UndoResult(batch.id or 0, batch.kind, batch.file_name, reverted)


def _check_undo(conn: Connection, changes: list[Any]) -> None:
    updates: dict[tuple[str, int], list[dict[str, Any]]] = {}
    for entity, entity_id, op, before in changes:
        if op == "update":
            updates.setdefault((entity, entity_id), []).append(json.loads(before))
    problems: list[str] = []
    for entity, entity_id, op, before in changes:
        if entity not in VERSIONED:
            continue
        if op == "create":
            last = json.loads(before)["last"] if before else entity_id
            n_updates = len(updates.get((entity, entity_id), []))
            bad = run(
                conn,
                f'SELECT id FROM "{entity}" WHERE id BETWEEN ? AND ? AND version != ? LIMIT 5',
                [entity_id, last, 1 + n_updates],
            )
            problems += [f"{entity} #{r[0]}" for r in bad]
    for (entity, entity_id), befores in updates.items():
        if entity not in VERSIONED:
            continue
        # `changes` is newest first: the last `before` is the version before the import.
        first = befores[-1]
        if "version" not in first:
            continue
        rows = run(conn, f'SELECT version FROM "{entity}" WHERE id = ?', [entity_id])
        if not rows or rows[0][0] != first["version"] + len(befores):
            problems.append(f"{entity} #{entity_id}")
    if problems:
        raise UndoRefused(
            f"导入后又有 {len(problems)} 条相关记录被修改或删除（如 {'、'.join(problems[:5])}），"
            "无法精确撤销。"
        )


def _revert(conn: Connection, changes: list[Any], progress: Progress) -> int:
    big = sum(
        (json.loads(b)["last"] - i + 1) if (op == "create" and b) else 1
        for e, i, op, b in changes
        if e == "customer"
    )
    customer_ids: list[int] = []
    reverted = 0

    def revert_all() -> None:
        nonlocal reverted
        for n, (entity, entity_id, op, before) in enumerate(changes, 1):
            data = json.loads(before) if before else {}
            if op == "create":
                last = data.get("last", entity_id)
                if entity == "arrears_change":
                    run(conn, "DELETE FROM arrears_change WHERE id = ?", [entity_id])
                else:
                    run(conn, f'DELETE FROM "{entity}" WHERE id BETWEEN ? AND ?', [entity_id, last])
                reverted += last - entity_id + 1
            elif op == "update":
                # Back exactly as it was, version included: undoing two imports in a row
                # then finds each row as the earlier import left it.
                cols = list(data)
                sets = [f"{c} = ?" for c in cols]
                run(
                    conn,
                    f'UPDATE "{entity}" SET {", ".join(sets)} WHERE id = ?',
                    [*(data[c] for c in cols), entity_id],
                )
                if entity == "customer":
                    customer_ids.append(entity_id)
                reverted += 1
            elif op == "link":
                cols = list(data)
                run(
                    conn,
                    f'DELETE FROM "{entity}" WHERE {" AND ".join(f"{c} = ?" for c in cols)}',
                    list(data.values()),
                )
                reverted += 1
            elif op == "unlink":
                cols = list(data)
                run(
                    conn,
                    f'INSERT INTO "{entity}" ({", ".join(cols)}) VALUES ({", ".join("?" for _ in cols)})',
                    list(data.values()),
                )
                reverted += 1
            elif op == "role":
                run(
                    conn,
                    "UPDATE grid_member SET role = ? WHERE grid_id = ? AND staff_id = ?",
                    [data["role"], data["grid_id"], data["staff_id"]],
                )
                reverted += 1
            if n % 1000 == 0:
                progress.report(n, len(changes), "正在撤销")
        _rederive(conn, customer_ids)

    if big > BULK_THRESHOLD:
        with suspended_customer_index(conn):
            revert_all()
    else:
        revert_all()
    return reverted


def _rederive(conn: Connection, ids: list[int]) -> None:
    """Recompute the derived search columns of customers whose values were restored."""
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        rows = run(
            conn,
            f"SELECT id, name, address, phone FROM customer WHERE id IN ({', '.join('?' for _ in chunk)})",
            chunk,
        )
        params = []
        for cid, name, address, phone in rows:
            d = customer_derived(name, address, phone)
            params.append(
                [d["phone_digits"], d["phone_rev"], d["search_name"], d["search_address"], cid]
            )
        for p in params:
            run(
                conn,
                "UPDATE customer SET phone_digits = ?, phone_rev = ?, search_name = ?, search_address = ? WHERE id = ?",
                p,
            )


def ledger_kinds() -> list[tuple[str, str]]:
    """(value, Chinese title) of every importable kind, for pickers."""
    return [(k, spec_for(k).title) for k in KINDS]


@dataclass(frozen=True)
class ImportRecord:
    """One row of the import history as a window shows it (plain data, any thread)."""

    batch_id: int
    kind: LedgerKind
    title: str
    file_name: str
    username: str
    started_at: dt.datetime
    created: int
    changed: int
    unchanged: int
    refused: int
    undone_at: dt.datetime | None


def import_records(db: Database, limit: int = 50) -> list[ImportRecord]:
    """The import history, newest first, with who imported each file."""
    newest = ImportBatch.id.desc()  # type: ignore[union-attr]
    with db.read() as s:
        rows = s.execute(
            select(ImportBatch, col(AppUser.username))
            .outerjoin(AppUser, col(AppUser.id) == col(ImportBatch.user_id))
            .order_by(newest)
            .limit(limit)
        ).all()
    return [
        ImportRecord(
            batch_id=b.id or 0,
            kind=b.kind,
            title=spec_for(b.kind).title,
            file_name=b.file_name,
            username=username or "",
            started_at=b.started_at,
            created=b.created,
            changed=b.changed,
            unchanged=b.unchanged,
            refused=b.refused,
            undone_at=b.undone_at,
        )
        for b, username in rows
    ]
