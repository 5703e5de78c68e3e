"""The audit trail: who, when, what, before and after, hash-chained."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlmodel import Session, SQLModel, select

from gridsvc_desktop.db.models import AuditLog, now, row_dict
from gridsvc_desktop.services.actor import Actor


def _dump(value: dict[str, Any] | None) -> str:
    if value is None:
        return ""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def _row_hash(entry: AuditLog) -> str:
    payload = "\x1f".join(
        [
            entry.prev_hash,
            entry.at.isoformat(),
            str(entry.user_id),
            entry.username,
            entry.action,
            entry.entity,
            entry.entity_id,
            entry.before_json,
            entry.after_json,
        ]
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def record(
    session: Session,
    actor: Actor,
    action: str,
    entity: str = "",
    entity_id: object = "",
    *,
    before: dict[str, Any] | SQLModel | None = None,
    after: dict[str, Any] | SQLModel | None = None,
) -> AuditLog:
    """Append one audit row in the caller's transaction."""
    if isinstance(before, SQLModel):
        before = row_dict(before)
    if isinstance(after, SQLModel):
        after = row_dict(after)
    if before is not None and after is not None:  # keep only what changed
        keys = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
        before = {k: before.get(k) for k in sorted(keys)}
        after = {k: after.get(k) for k in sorted(keys)}
    last = session.execute(select(AuditLog.hash).order_by(AuditLog.id.desc()).limit(1)).scalar()  # type: ignore[union-attr]
    entry = AuditLog(
        at=now(),
        user_id=actor.user_id,
        username=actor.username,
        action=action,
        entity=entity,
        entity_id=str(entity_id),
        before_json=_dump(before),
        after_json=_dump(after),
        prev_hash=last or "",
    )
    entry.hash = _row_hash(entry)
    session.add(entry)
    return entry


def verify_chain(session: Session) -> int | None:
    """The id of the first row whose hash does not match, or None if all hold."""
    prev = ""
    for entry in session.execute(select(AuditLog).order_by(AuditLog.id)).scalars():  # type: ignore[arg-type]
        if entry.prev_hash != prev or _row_hash(entry) != entry.hash:
            return entry.id
        prev = entry.hash
    return None
