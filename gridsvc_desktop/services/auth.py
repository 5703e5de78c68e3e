"""Local accounts: sign-in, password hashing, lock-out, user management.

Passwords are hashed with Argon2id (argon2-cffi) at OWASP's second recommended
parameter set (19 MiB memory, 2 passes, 1 lane; RFC 9106 section 4 allows it
for memory-constrained machines). A hash made with weaker parameters is
replaced at the next successful sign-in. Five wrong passwords in a row lock the
account for 15 minutes; the counter and the lock live in the database, so a
restart does not reset them. An admin can unlock.

`sign_in` and `record_failure` commit on their own (a failure must be counted
even though the caller sees an exception); the management functions run in the
caller's transaction and write the audit trail there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlmodel import Session, select

from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.db.models import AppUser, now
from gridsvc_desktop.domain.enums import Role
from gridsvc_desktop.services import audit
from gridsvc_desktop.services.actor import SYSTEM, Actor, Permission
from gridsvc_desktop.services.common import InvalidInput, NotFound

MAX_FAILURES = 5
LOCK_MINUTES = 15
MIN_PASSWORD_LENGTH = 8
ADMIN_USERNAME = "admin"

#: Argon2id, OWASP "m=19456 (19 MiB), t=2, p=1". Raise these and old hashes are
#: replaced at the next sign-in (`check_needs_rehash`).
HASHER = PasswordHasher(time_cost=2, memory_cost=19_456, parallelism=1, hash_len=32, salt_len=16)


class SignInFailed(Exception):
    """Wrong user name or password, or the account is locked/disabled (message for the user)."""


class AccountLocked(SignInFailed):
    def __init__(self, until: dt.datetime) -> None:
        super().__init__(
            f"连续 {MAX_FAILURES} 次密码错误，账户已锁定至 {until:%H:%M}。"
            "请稍后再试，或请管理员解锁。"
        )
        self.until = until


def hash_password(password: str) -> str:
    check_password_policy(password)
    return HASHER.hash(password)


def check_password_policy(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"密码至少 {MIN_PASSWORD_LENGTH} 个字符。")
    if password.strip() != password:
        raise InvalidInput("密码首尾不能是空格。")


def _user_audit(user: AppUser) -> dict[str, object]:
    """What the audit trail keeps of an account: never the password hash."""
    return {
        "username": user.username,
        "display_name": user.display_name,
        "role": user.role.value,
        "staff_id": user.staff_id,
        "active": user.active,
        "locked_until": user.locked_until,
    }


def _actor(user: AppUser) -> Actor:
    return Actor(user_id=user.id, username=user.username, role=user.role)


def _find(session: Session, username: str) -> AppUser | None:
    return session.execute(
        select(AppUser).where(AppUser.username == username.strip())
    ).scalar_one_or_none()


# ---- first start


def needs_admin_password(session: Session) -> bool:
    """True until some active admin account has a password (first start)."""
    admins = session.execute(
        select(AppUser).where(AppUser.role == Role.admin, AppUser.active == True)  # noqa: E712
    ).scalars()
    return not any(u.password_hash for u in admins)


def set_first_admin_password(session: Session, password: str) -> Actor:
    """First start: give the built-in admin account its password (only while none has one)."""
    if not needs_admin_password(session):
        raise InvalidInput("管理员密码已设置，请用管理员账户登录后修改。")
    user = _find(session, ADMIN_USERNAME)
    if user is None:
        user = AppUser(username=ADMIN_USERNAME, display_name="管理员", role=Role.admin)
    user.password_hash = hash_password(password)
    user.active = True
    session.add(user)
    session.flush()
    audit.record(session, SYSTEM, "set_password", "app_user", user.id, after=_user_audit(user))
    return _actor(user)


# ---- sign-in


def sign_in(db: Database, username: str, password: str, *, at: dt.datetime | None = None) -> Actor:
    """Check the password; count failures and lock in the database. Commits."""
    at = at or now()
    error: SignInFailed | None = None
    actor: Actor | None = None
    with db.write() as session:
        user = _find(session, username)
        if user is None or not user.active or not user.password_hash:
            HASHER.hash("dummy-password")  # keep the timing of unknown users alike
            audit.record(session, SYSTEM, "login_failed", "app_user", username.strip()[:64])
            error = SignInFailed("用户名或密码不正确。")
        elif user.locked_until is not None and user.locked_until > at:
            audit.record(session, _actor(user), "login_locked", "app_user", user.id)
            error = AccountLocked(user.locked_until)
        else:
            try:
                HASHER.verify(user.password_hash, password)
            except (VerifyMismatchError, VerificationError, InvalidHashError):
                error = _count_failure(session, user, at)
            else:
                if HASHER.check_needs_rehash(user.password_hash):
                    user.password_hash = HASHER.hash(password)
                user.failed_logins = 0
                user.locked_until = None
                user.last_login = at
                session.add(user)
                actor = _actor(user)
                audit.record(session, actor, "login", "app_user", user.id)
    if error is not None:
        raise error
    assert actor is not None
    return actor


def _count_failure(session: Session, user: AppUser, at: dt.datetime) -> SignInFailed:
    user.failed_logins += 1
    after: dict[str, object] = {"failed_logins": user.failed_logins}
    if user.failed_logins >= MAX_FAILURES:
        user.locked_until = at + dt.timedelta(minutes=LOCK_MINUTES)
        user.failed_logins = 0
        after["locked_until"] = user.locked_until
        session.add(user)
        audit.record(session, _actor(user), "lock", "app_user", user.id, after=after)
        return AccountLocked(user.locked_until)
    session.add(user)
    audit.record(session, _actor(user), "login_failed", "app_user", user.id, after=after)
    left = MAX_FAILURES - user.failed_logins
    return SignInFailed(f"用户名或密码不正确（再错 {left} 次账户将锁定 {LOCK_MINUTES} 分钟）。")


# ---- management (admins)


def list_users(session: Session, actor: Actor) -> Sequence[AppUser]:
    actor.require(Permission.manage_users)
    return session.execute(select(AppUser).order_by(AppUser.username)).scalars().all()


def create_user(
    session: Session,
    actor: Actor,
    *,
    username: str,
    password: str,
    role: Role = Role.staff,
    display_name: str = "",
    staff_id: int | None = None,
) -> AppUser:
    actor.require(Permission.manage_users)
    username = username.strip()
    if not username or len(username) > 50:
        raise InvalidInput("用户名不能为空，且不超过 50 个字符。")
    if _find(session, username) is not None:
        raise InvalidInput(f"用户名“{username}”已存在。")
    user = AppUser(
        username=username,
        display_name=display_name.strip()[:50],
        role=role,
        staff_id=staff_id,
        password_hash=hash_password(password),
    )
    session.add(user)
    session.flush()
    audit.record(session, actor, "create", "app_user", user.id, after=_user_audit(user))
    return user


def _get(session: Session, user_id: int) -> AppUser:
    user = session.get(AppUser, user_id)
    if user is None:
        raise NotFound("没有这个用户。")
    return user


def _other_admins(session: Session, user: AppUser) -> int:
    rows = session.execute(
        select(AppUser).where(
            AppUser.role == Role.admin,
            AppUser.active == True,  # noqa: E712
            AppUser.id != user.id,
        )
    ).scalars()
    return sum(1 for _ in rows)


def update_user(
    session: Session,
    actor: Actor,
    user_id: int,
    *,
    role: Role | None = None,
    active: bool | None = None,
    display_name: str | None = None,
) -> AppUser:
    actor.require(Permission.manage_users)
    user = _get(session, user_id)
    before = _user_audit(user)
    demotes = (role is not None and role != Role.admin) or active is False
    if user.role == Role.admin and demotes and _other_admins(session, user) == 0:
        raise InvalidInput("至少要保留一个有效的管理员账户。")
    if role is not None:
        user.role = role
    if active is not None:
        user.active = active
    if display_name is not None:
        user.display_name = display_name.strip()[:50]
    session.add(user)
    audit.record(
        session, actor, "update", "app_user", user.id, before=before, after=_user_audit(user)
    )
    return user


def set_password(session: Session, actor: Actor, user_id: int, password: str) -> None:
    """An admin sets anyone's password; a user may change their own."""
    if actor.user_id != user_id:
        actor.require(Permission.manage_users)
    user = _get(session, user_id)
    user.password_hash = hash_password(password)
    user.failed_logins = 0
    session.add(user)
    audit.record(session, actor, "set_password", "app_user", user.id)


def unlock(session: Session, actor: Actor, user_id: int) -> None:
    actor.require(Permission.manage_users)
    user = _get(session, user_id)
    before = {"failed_logins": user.failed_logins, "locked_until": user.locked_until}
    user.failed_logins = 0
    user.locked_until = None
    session.add(user)
    audit.record(
        session,
        actor,
        "unlock",
        "app_user",
        user.id,
        before=before,
        after={"failed_logins": 0, "locked_until": None},
    )


def is_locked(user: AppUser, at: dt.datetime | None = None) -> bool:
    return user.locked_until is not None and user.locked_until > (at or now())


def record_unmask(session: Session, actor: Actor, scope: str = "screen") -> None:
    """The user asked to see full phone and ID numbers: allowed only with `unmask`, audited."""
    actor.require(Permission.unmask)
    audit.record(session, actor, "unmask", scope, "", after={"unmask": True})
