"""Sign-in: Argon2id hashes, rehash on login, lock-out counted in the database."""

from __future__ import annotations

import datetime as dt

import pytest
from argon2 import PasswordHasher
from sqlmodel import select

from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.db.models import AppUser, AuditLog
from gridsvc_desktop.db.store import open_store
from gridsvc_desktop.domain.enums import Role
from gridsvc_desktop.paths import DataPaths
from gridsvc_desktop.services import auth
from gridsvc_desktop.services.actor import Actor, PermissionDenied
from gridsvc_desktop.services.common import InvalidInput

PASSWORD = "correct horse 1"


def _set_admin(db: Database) -> Actor:
    with db.write() as s:
        return auth.set_first_admin_password(s, PASSWORD)


def test_first_start_asks_for_admin_password(db: Database) -> None:
    with db.read() as s:
        assert auth.needs_admin_password(s)
    with pytest.raises(auth.SignInFailed):
        auth.sign_in(db, "admin", "")
    actor = _set_admin(db)
    assert actor.role == Role.admin
    with db.read() as s:
        assert not auth.needs_admin_password(s)
        user = s.execute(select(AppUser).where(AppUser.username == "admin")).scalar_one()
        assert user.password_hash.startswith("$argon2id$")
        assert "m=19456,t=2,p=1" in user.password_hash
    with db.write() as s, pytest.raises(InvalidInput):
        auth.set_first_admin_password(s, "another password")
    assert auth.sign_in(db, "admin", PASSWORD).username == "admin"


def test_short_password_refused(db: Database) -> None:
    with db.write() as s, pytest.raises(InvalidInput, match="至少"):
        auth.set_first_admin_password(s, "short")


def test_rehash_when_parameters_rise(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    with db.write() as s:
        user = s.execute(select(AppUser).where(AppUser.username == "admin")).scalar_one()
        user.password_hash = weak.hash(PASSWORD)
        s.add(user)
    auth.sign_in(db, "admin", PASSWORD)
    with db.read() as s:
        user = s.execute(select(AppUser).where(AppUser.username == "admin")).scalar_one()
        assert not auth.HASHER.check_needs_rehash(user.password_hash)
        assert user.last_login is not None


def test_five_failures_lock_across_restarts(db: Database, data_paths: DataPaths) -> None:
    _set_admin(db)
    at = dt.datetime(2026, 5, 1, 9, 0)
    for n in range(4):
        with pytest.raises(auth.SignInFailed, match=f"再错 {4 - n} 次"):
            auth.sign_in(db, "admin", "wrong password", at=at)
    db.dispose()  # a restart: a new engine on the same file
    db2 = open_store(data_paths)
    try:
        with pytest.raises(auth.AccountLocked):
            auth.sign_in(db2, "admin", "wrong password", at=at)
        # locked: even the right password is refused for 15 minutes
        with pytest.raises(auth.AccountLocked):
            auth.sign_in(db2, "admin", PASSWORD, at=at + dt.timedelta(minutes=14))
        assert auth.sign_in(db2, "admin", PASSWORD, at=at + dt.timedelta(minutes=16))
        with db2.read() as s:
            actions = [r.action for r in s.execute(select(AuditLog)).scalars()]
        assert actions.count("login_failed") == 4
        assert "lock" in actions and "login_locked" in actions and "login" in actions
    finally:
        db2.dispose()


def test_admin_unlocks_and_manages_users(db: Database, staff_actor: Actor) -> None:
    admin = _set_admin(db)
    with db.write() as s:
        user = auth.create_user(
            s, admin, username="clerk", password="clerk password", role=Role.staff
        )
        clerk_id = user.id
    assert clerk_id is not None
    at = dt.datetime(2026, 5, 1, 9, 0)
    for _ in range(5):
        with pytest.raises(auth.SignInFailed):
            auth.sign_in(db, "clerk", "nope nope", at=at)
    with pytest.raises(auth.AccountLocked):
        auth.sign_in(db, "clerk", "clerk password", at=at)
    with db.write() as s, pytest.raises(PermissionDenied):
        auth.unlock(s, staff_actor, clerk_id)
    with db.write() as s:
        auth.unlock(s, admin, clerk_id)
    clerk = auth.sign_in(db, "clerk", "clerk password", at=at)
    assert clerk.role == Role.staff
    # a user changes their own password; another user's needs manage_users
    with db.write() as s:
        auth.set_password(s, clerk, clerk_id, "new clerk password")
    with db.write() as s, pytest.raises(PermissionDenied):
        auth.set_password(s, clerk, admin.user_id or 0, "hijacked password")
    with db.write() as s:
        auth.update_user(s, admin, clerk_id, role=Role.lead)
        with pytest.raises(InvalidInput, match="管理员"):
            auth.update_user(s, admin, admin.user_id or 0, active=False)
    assert auth.sign_in(db, "clerk", "new clerk password").role == Role.lead
    with db.write() as s:
        auth.update_user(s, admin, clerk_id, active=False)
    with pytest.raises(auth.SignInFailed):
        auth.sign_in(db, "clerk", "new clerk password")


def test_audit_never_holds_password_hashes(db: Database) -> None:
    admin = _set_admin(db)
    with db.write() as s:
        auth.create_user(s, admin, username="clerk", password="clerk password")
    with db.read() as s:
        for row in s.execute(select(AuditLog)).scalars():
            assert "argon2" not in row.after_json + row.before_json
            assert "clerk password" not in row.after_json


def test_unknown_user_and_duplicate(db: Database) -> None:
    admin = _set_admin(db)
    with pytest.raises(auth.SignInFailed, match="用户名或密码不正确"):
        auth.sign_in(db, "ghost", PASSWORD)
    with db.write() as s, pytest.raises(InvalidInput, match="已存在"):
        auth.create_user(s, admin, username="admin", password="whatever123")
