"""Reading the audit trail (admins): filters, paging, CSV export, chain check."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from gridsvc_desktop.db.models import AuditLog
from gridsvc_desktop.services import audit
from gridsvc_desktop.services.actor import Actor, Permission

COLUMNS = ("id", "at", "username", "action", "entity", "entity_id", "before_json", "after_json")
HEADERS = ("序号", "时间", "用户", "操作", "对象", "对象编号", "修改前", "修改后")


@dataclass(frozen=True)
class AuditFilter:
    username: str = ""
    action: str = ""
    entity: str = ""
    since: dt.datetime | None = None
    until: dt.datetime | None = None  # exclusive
    text: str = ""  # in before/after values or the entity id


def _filtered(stmt: Any, f: AuditFilter) -> Any:
    if f.username:
        stmt = stmt.where(AuditLog.username == f.username)
    if f.action:
        stmt = stmt.where(AuditLog.action == f.action)
    if f.entity:
        stmt = stmt.where(AuditLog.entity == f.entity)
    if f.since is not None:
        stmt = stmt.where(col(AuditLog.at) >= f.since)
    if f.until is not None:
        stmt = stmt.where(col(AuditLog.at) < f.until)
    if f.text:
        like = "%" + f.text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        stmt = stmt.where(
            col(AuditLog.before_json).like(like, escape="\\")
            | col(AuditLog.after_json).like(like, escape="\\")
            | col(AuditLog.entity_id).like(like, escape="\\")
        )
    return stmt


def query_audit(
    session: Session,
    actor: Actor,
    f: AuditFilter | None = None,
    *,
    limit: int = 500,
    before_id: int | None = None,
) -> Sequence[AuditLog]:
    """Newest first; `before_id` pages on (keyset) from the last row shown."""
    actor.require(Permission.view_audit)
    stmt = _filtered(select(AuditLog), f or AuditFilter())
    if before_id is not None:
        stmt = stmt.where(col(AuditLog.id) < before_id)
    stmt = stmt.order_by(col(AuditLog.id).desc()).limit(limit)
    return session.execute(stmt).scalars().all()


def count_audit(session: Session, actor: Actor, f: AuditFilter | None = None) -> int:
    actor.require(Permission.view_audit)
    stmt = _filtered(select(func.count()).select_from(AuditLog), f or AuditFilter())
    return int(session.execute(stmt).scalar_one())


def distinct_values(session: Session, actor: Actor, column: str) -> list[str]:
    """The users, actions or entities present, for the filter boxes."""
    actor.require(Permission.view_audit)
    attr = {"username": AuditLog.username, "action": AuditLog.action, "entity": AuditLog.entity}[
        column
    ]
    rows = session.execute(select(attr).distinct().order_by(attr)).scalars()
    return [r for r in rows if r]


def verify(session: Session, actor: Actor) -> int | None:
    """The id of the first tampered row, or None."""
    actor.require(Permission.view_audit)
    return audit.verify_chain(session)


def _cell(value: object, risky: Callable[[str], bool]) -> str:
    text = (
        ""
        if value is None
        else (value.isoformat(sep=" ") if isinstance(value, dt.datetime) else str(value))
    )
    return "'" + text if risky(text) else text


def export_audit(session: Session, actor: Actor, f: AuditFilter | None, path: Path) -> int:
    """Write the matching rows (oldest first) as CSV for Excel; the export is itself audited.

    Returns the number of rows written. The audit row joins the caller's transaction.
    """
    actor.require(Permission.view_audit)
    actor.require(Permission.export)
    from gridsvc_desktop.ledgers.writer import risky  # not at start-up: the audit page loads early

    f = f or AuditFilter()
    stmt = _filtered(select(AuditLog), f).order_by(col(AuditLog.id))
    n = 0
    tmp = path.with_name(path.name + ".part")
    try:
        with tmp.open("w", encoding="utf-8-sig", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(HEADERS)
            for row in session.execute(stmt).scalars():
                w.writerow([_cell(getattr(row, c), risky) for c in COLUMNS])
                n += 1
        tmp.replace(path)
    except OSError:
        tmp.unlink(missing_ok=True)
        raise
    audit.record(
        session,
        actor,
        "export",
        "audit_log",
        "",
        after={"file": path.name, "rows": n, "filter": {k: v for k, v in vars(f).items() if v}},
    )
    return n
