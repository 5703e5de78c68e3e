"""Every service action against every role: the matrix is enforced in the services.

TABLE lists each public service function that takes an `actor` with the
permission that gates it. The test fails when a new actor-taking function
appears that is not in the table, when a role without the permission gets
past the gate, or when a role with it is refused.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from typing import Any

import pytest
from sqlmodel import Session

import gridsvc_desktop.services as services_pkg
from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.domain.enums import Role
from gridsvc_desktop.services.actor import PERMISSIONS, Actor, Permission, PermissionDenied

P = Permission
#: "module.function" → the permission that gates it, plus permissions some of its
#: options need on top (checked to be mentioned in the function's code).
TABLE: dict[str, tuple[Permission | None, frozenset[Permission]]] = {
    "assistant.answers_for_customer": (P.view, frozenset()),
    "assistant.create_template": (P.dispatch, frozenset()),
    "assistant.record_answer_given": (P.edit, frozenset()),
    "assistant.update_template": (P.dispatch, frozenset()),
    "arrears.assign_collector": (P.dispatch, frozenset()),
    "arrears.export_arrears": (P.export, frozenset({P.unmask})),
    "arrears.export_figures": (P.export, frozenset()),
    "arrears.reconnect_if_cleared": (P.edit, frozenset()),
    "arrears.record_action": (P.edit, frozenset()),
    "arrears.record_cutoff": (P.dispatch, frozenset()),
    "arrears.record_payment": (P.edit, frozenset()),
    "audit_view.count_audit": (P.view_audit, frozenset()),
    "audit_view.distinct_values": (P.view_audit, frozenset()),
    "audit_view.export_audit": (P.view_audit, frozenset({P.export})),
    "audit_view.query_audit": (P.view_audit, frozenset()),
    "audit_view.verify": (P.view_audit, frozenset()),
    "auth.create_user": (P.manage_users, frozenset()),
    "auth.list_users": (P.manage_users, frozenset()),
    "auth.record_unmask": (P.unmask, frozenset()),
    "auth.unlock": (P.manage_users, frozenset()),
    "auth.update_user": (P.manage_users, frozenset()),
    "calls.attach_to_order": (P.edit, frozenset()),
    "calls.attach_to_outage": (P.edit, frozenset()),
    "calls.link_customer": (P.edit, frozenset()),
    "calls.log_call": (P.edit, frozenset()),
    "calls.order_from_call": (P.edit, frozenset()),
    "calls.stop_call": (P.edit, frozenset()),
    "calls.update_call": (P.edit, frozenset()),
    "contacts.create_contact": (P.manage_grids, frozenset()),
    "contacts.delete_contact": (P.manage_grids, frozenset()),
    "contacts.update_contact": (P.manage_grids, frozenset()),
    "coverage.set_customers_threshold": (P.manage_settings, frozenset()),
    "customers.create_customer": (P.edit, frozenset()),
    "customers.update_customer": (P.edit, frozenset()),
    "exports.export_ledger": (P.export, frozenset({P.unmask})),
    "exports.export_template": (P.view, frozenset()),
    "grids.assign_transformer_areas": (P.manage_grids, frozenset()),
    "grids.create_grid": (P.manage_grids, frozenset()),
    "grids.create_transformer_area": (P.manage_grids, frozenset()),
    "grids.ensure_area": (P.manage_grids, frozenset()),
    "grids.ensure_building": (P.manage_grids, frozenset()),
    "grids.ensure_compound": (P.manage_grids, frozenset()),
    "grids.ensure_feeder": (P.manage_grids, frozenset()),
    "grids.move_feeder": (P.manage_grids, frozenset()),
    "grids.move_transformer_areas": (P.manage_grids, frozenset()),
    "grids.record_layout_claims": (P.manage_grids, frozenset()),
    # A helper the grid actions call after their own check; it does not check itself.
    "grids.relink_contacts": (None, frozenset()),
    "grids.set_customer_transformer_area": (P.edit, frozenset()),
    "grids.update_grid": (P.manage_grids, frozenset()),
    "grids.update_transformer_area": (P.manage_grids, frozenset()),
    "imports.apply_import": (P.import_ledgers, frozenset()),
    "imports.import_ledger": (P.import_ledgers, frozenset()),
    "imports.prepare_import": (P.import_ledgers, frozenset()),
    "imports.undo_last_import": (P.import_ledgers, frozenset()),
    "outage_notices.export_contacts": (P.export, frozenset({P.unmask})),
    "outage_notices.generate": (P.edit, frozenset()),
    "outage_notices.mark_sent": (P.edit, frozenset()),
    "outage_notices.set_template": (P.dispatch, frozenset()),
    "outages.accept_fault_proposal": (P.dispatch, frozenset()),
    # Any desk user announces in time; a late notice needs a lead (`dispatch`).
    "outages.announce": (P.edit, frozenset({P.dispatch})),
    "outages.cancel": (P.dispatch, frozenset()),
    "outages.restore": (P.edit, frozenset()),
    "outages.start": (P.edit, frozenset()),
    "reports.build_report": (P.print, frozenset({P.unmask})),
    "reports.record_output": (P.print, frozenset()),
    "roster.add_leave": (P.manage_grids, frozenset()),
    "roster.cancel_leave": (P.manage_grids, frozenset()),
    "roster.create_staff": (P.manage_grids, frozenset()),
    "roster.deactivate_staff": (P.manage_grids, frozenset()),
    "roster.reactivate_staff": (P.manage_grids, frozenset()),
    "roster.set_grid_member": (P.manage_grids, frozenset()),
    "roster.update_staff": (P.manage_grids, frozenset()),
    "station.set_setting": (P.manage_settings, frozenset()),
    "store_encryption.decrypt_store": (P.manage_settings, frozenset()),
    "store_encryption.encrypt_store": (P.manage_settings, frozenset()),
    "work_orders.add_note": (P.edit, frozenset()),
    "work_orders.call_back": (P.edit, frozenset()),
    "work_orders.cancel": (P.dispatch, frozenset()),
    "work_orders.close": (P.edit, frozenset()),
    "work_orders.create_order": (P.edit, frozenset()),
    # Desk staff may dispatch to the routed person; choosing another needs `dispatch`.
    "work_orders.dispatch": (P.edit, frozenset({P.dispatch})),
    "work_orders.export_orders": (P.export, frozenset({P.unmask})),
    "work_orders.mark_on_site": (P.edit, frozenset()),
    "work_orders.merge_orders": (P.dispatch, frozenset()),
    "work_orders.reassign": (P.dispatch, frozenset()),
    "work_orders.record_contact": (P.edit, frozenset()),
    "work_orders.resolve": (P.edit, frozenset()),
    "work_orders.update_order": (P.edit, frozenset()),
}
#: Taking an actor only to name it: the audit writer, and `set_password`, which
#: lets a user change their own password (tested in test_auth.py).
NOT_ACTIONS = {"audit.record", "common.apply_update", "auth.set_password"}


def actor_functions() -> dict[str, Callable[..., Any]]:
    found: dict[str, Callable[..., Any]] = {}
    for info in pkgutil.iter_modules(services_pkg.__path__):
        module = importlib.import_module(f"{services_pkg.__name__}.{info.name}")
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ != module.__name__ or name.startswith("_"):
                continue
            if "actor" in inspect.signature(fn).parameters:
                found[f"{info.name}.{name}"] = fn
    return found


def test_every_actor_function_is_in_the_table() -> None:
    found = set(actor_functions()) - NOT_ACTIONS
    assert found - set(TABLE) == set(), "add these service actions to TABLE"
    assert set(TABLE) - found == set(), "TABLE names functions that no longer exist"


def test_conditional_permissions_are_checked_in_code() -> None:
    funcs = actor_functions()
    for name, (_, extra) in TABLE.items():
        source = inspect.getsource(funcs[name])
        for perm in extra:
            assert f"Permission.{perm.name}" in source, (name, perm)


#: Find-or-create helpers: finding needs no right, creating needs the gate.
#: Checked in the code: the permission check comes before the row is added.
CREATE_ONLY = {"grids.ensure_building", "grids.ensure_compound"}

#: Valid values for arguments a function checks before its permission (the
#: permission check then still comes before anything is written).
VALID_ARGS: dict[str, dict[str, Any]] = {
    "coverage.set_customers_threshold": {"value": 500},
}


def test_find_or_create_checks_before_creating() -> None:
    funcs = actor_functions()
    for name in CREATE_ONLY:
        source = inspect.getsource(funcs[name])
        gate = TABLE[name][0]
        assert gate is not None
        assert (
            0
            < source.index(f"actor.require(Permission.{gate.name})")
            < source.index("session.add(")
        )


class Bogus:
    """Stands for every argument after the actor: a role that passes the gate
    fails on it, a role that does not never reaches it."""


def _call(
    fn: Callable[..., Any], session: Session, db: Database, actor: Actor, valid: dict[str, Any]
) -> None:
    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    for param in inspect.signature(fn).parameters.values():
        if param.default is not inspect.Parameter.empty and param.name not in {"session", "db"}:
            continue
        known = {"session": session, "db": db, "actor": actor, **valid}
        value = known.get(param.name, Bogus())
        if param.kind is inspect.Parameter.KEYWORD_ONLY:
            kwargs[param.name] = value
        elif param.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD:
            args.append(value)
    fn(*args, **kwargs)


@pytest.mark.parametrize("role", list(Role))
def test_matrix_walk(db: Database, role: Role) -> None:
    actor = Actor(user_id=None, username=f"测试{role.value}", role=role)
    allowed = PERMISSIONS[role]
    funcs = actor_functions()
    wrong: list[str] = []
    for name, (gate, _) in sorted(TABLE.items()):
        if gate is None or name in CREATE_ONLY:
            continue
        with Session(db.engine) as session:
            try:
                _call(funcs[name], session, db, actor, VALID_ARGS.get(name, {}))
            except PermissionDenied:
                if gate in allowed:
                    wrong.append(f"{name}: {role} refused although it has {gate}")
            except Exception:  # the bogus arguments: the gate was passed
                if gate not in allowed:
                    wrong.append(f"{name}: {role} got past the {gate} gate")
            else:
                if gate not in allowed:
                    wrong.append(f"{name}: {role} got past the {gate} gate")
            finally:
                session.rollback()
    assert wrong == []


def test_matrix_shape() -> None:
    """Admins hold everything; staff and leads never manage users, settings or imports."""
    assert PERMISSIONS[Role.admin] == frozenset(Permission)
    for role in (Role.staff, Role.lead):
        for perm in (P.manage_users, P.manage_settings, P.import_ledgers, P.view_audit):
            assert perm not in PERMISSIONS[role]
    assert P.unmask not in PERMISSIONS[Role.staff]
    assert P.export not in PERMISSIONS[Role.staff]
