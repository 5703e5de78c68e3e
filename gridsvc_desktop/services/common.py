"""Small helpers every service shares: lookups, optimistic updates, errors."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from sqlmodel import Session, SQLModel

from gridsvc_desktop.db.errors import ConcurrentEdit
from gridsvc_desktop.db.models import row_dict
from gridsvc_desktop.services import audit
from gridsvc_desktop.services.actor import Actor

T = TypeVar("T", bound=SQLModel)


class NotFound(LookupError):
    """A record the user referred to does not exist (message for the user)."""


class InvalidInput(ValueError):
    """Input that breaks a rule; `field` names the offending field, if any."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


def get_or_raise(session: Session, model: type[T], key: Any, what: str) -> T:
    obj = session.get(model, key)
    if obj is None:
        raise NotFound(f"找不到{what}（{key}）。")
    return obj


def apply_update(
    session: Session,
    actor: Actor,
    obj: SQLModel,
    changes: Mapping[str, Any],
    *,
    entity: str,
    expected_version: int | None = None,
) -> bool:
    """Set `changes` on `obj`, bump its version, audit it. False if nothing changed.

    With `expected_version`, refuses (ConcurrentEdit) when someone else saved the
    row since the caller read it, naming the fields that differ.
    """
    current_version = getattr(obj, "version", None)
    if expected_version is not None and current_version != expected_version:
        raise ConcurrentEdit(
            f"{entity} 已被他人修改（您读取的是第 {expected_version} 版，现在是第 {current_version} 版）。"
            "请刷新后再保存。"
        )
    before = row_dict(obj)
    changed = {k: v for k, v in changes.items() if getattr(obj, k) != v}
    if not changed:
        return False
    for key, value in changed.items():
        setattr(obj, key, value)
    if current_version is not None:
        obj.version = current_version + 1
    session.add(obj)
    session.flush()
    audit.record(session, actor, "update", entity, getattr(obj, "id", ""), before=before, after=obj)
    return True
