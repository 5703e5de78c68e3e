"""The station row, settings and the seeded policy tables."""

from __future__ import annotations

from sqlmodel import Session, select

from gridsvc_desktop.db.models import AppUser, Setting, SlaRule, Station
from gridsvc_desktop.domain.enums import AreaClass, Role
from gridsvc_desktop.domain.sla import DEFAULT_LIMITS
from gridsvc_desktop.services import audit
from gridsvc_desktop.services.actor import SYSTEM, Actor, Permission

DEFAULT_SETTINGS: dict[str, str] = {
    # Repair calls from one transformer area within this many minutes are offered for merging.
    "duplicate_window_minutes": "120",
    # An order is "near due" when less than this share of its time is left.
    "near_due_fraction": "0.25",
}


def get_station(session: Session) -> Station | None:
    return session.execute(select(Station).limit(1)).scalar_one_or_none()


def initialize(
    session: Session,
    *,
    name: str,
    county: str = "",
    area_class: AreaClass = AreaClass.urban,
    account_no_length: int = 10,
) -> Station:
    """First-start set-up: station row, SLA rules, settings, the admin account.

    Idempotent: an existing station is returned untouched.
    """
    existing = get_station(session)
    if existing is not None:
        return existing
    station = Station(
        name=name, county=county, default_area_class=area_class, account_no_length=account_no_length
    )
    session.add(station)
    for key, limit in DEFAULT_LIMITS.items():
        session.add(SlaRule(key=key, amount=limit.amount, unit=limit.unit.value, label=limit.label))
    for key, value in DEFAULT_SETTINGS.items():
        session.add(Setting(key=key, value=value))
    if session.execute(select(AppUser).limit(1)).first() is None:
        session.add(AppUser(username="admin", display_name="管理员", role=Role.admin))
    session.flush()
    audit.record(session, SYSTEM, "init", "station", station.id, after=station)
    from gridsvc_desktop.services.assistant import ensure_library  # (imports the call services)

    ensure_library(session)  # the standard answers; stores older than 0003 get them on first use
    return station


def get_setting(session: Session, key: str) -> str:
    row = session.get(Setting, key)
    if row is not None:
        return row.value
    return DEFAULT_SETTINGS.get(key, "")


def set_setting(session: Session, actor: Actor, key: str, value: str) -> None:
    actor.require(Permission.manage_settings)
    row = session.get(Setting, key)
    before = {"value": row.value} if row else None
    if row is None:
        row = Setting(key=key, value=value)
    else:
        row.value = value
    session.add(row)
    audit.record(session, actor, "update", "setting", key, before=before, after={"value": value})


def actor_for(session: Session, username: str) -> Actor:
    """The Actor of a local user account (sign-in comes with the trust issue)."""
    user = session.execute(select(AppUser).where(AppUser.username == username)).scalar_one_or_none()
    if user is None or not user.active:
        raise LookupError(f"没有名为“{username}”的有效用户。")
    return Actor(user_id=user.id, username=user.username, role=user.role)
