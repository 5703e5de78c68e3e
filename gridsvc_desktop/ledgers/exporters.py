"""Rows of each ledger kind, read from the database in the column order of its spec
(so that what is exported imports back unchanged), plus the export-only lists:
work orders, calls and collection records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

from sqlalchemy import Connection

from gridsvc_desktop.domain import enums
from gridsvc_desktop.ledgers.kinds.base import iter_rows, run

Rows = Iterator[list[Any]]


def _labeller(enum_name: str) -> Callable[[Any], str]:
    cls = getattr(enums, enum_name)
    labels = {m.value: m.label for m in cls}
    return lambda v: labels.get(v, v or "")


_category = _labeller("CustomerCategory")
_metering = _labeller("Metering")
_area_class = _labeller("AreaClass")
_mode = _labeller("ServiceMode")
_specialty = _labeller("Specialty")
_contact = _labeller("ContactKind")
_order_type = _labeller("OrderType")
_subtype = _labeller("OrderSubtype")
_channel = _labeller("Channel")
_urgency = _labeller("Urgency")
_status = _labeller("OrderStatus")
_direction = _labeller("CallDirection")
_collection = _labeller("CollectionKind")


def _date(v: Any) -> dt.date | None:
    if v is None or v == "":
        return None
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    return dt.date.fromisoformat(str(v)[:10])


def _datetime(v: Any) -> dt.datetime | None:
    if v is None or v == "":
        return None
    if isinstance(v, dt.datetime):
        return v
    return dt.datetime.fromisoformat(str(v)).replace(microsecond=0)


def _yuan(fen: Any) -> float | None:
    return None if fen is None else fen / 100


def count(conn: Connection, kind: str) -> int:
    table = {
        "customers": "customer",
        "transformer_areas": "transformer_area",
        "grids": "grid",
        "staff": "staff",
        "contacts": "contact",
        "arrears": "arrears WHERE status != 'paid'",  # the ledger lists what is owed
        "orders_95598": "work_order WHERE external_no IS NOT NULL",
        "work_orders": "work_order",
        "calls": "call",
        "collections": "collection_action",
    }[kind]
    return int(run(conn, f"SELECT count(*) FROM {table}")[0][0])


def customers(conn: Connection) -> Rows:
    sql = (
        "SELECT c.account_no, c.name, c.address, c.category, c.metering, ta.code, ta.name, f.name,"
        " c.meter_no, c.phone, comm.name, c.opened_on, c.contract_kva"
        " FROM customer c LEFT JOIN transformer_area ta ON ta.id = c.transformer_area_id"
        " LEFT JOIN feeder f ON f.id = ta.feeder_id LEFT JOIN admin_area comm ON comm.id = c.community_id"
        " ORDER BY c.id"
    )
    categories: dict[Any, str] = {}
    meterings: dict[Any, str] = {}
    dates: dict[Any, Any] = {}
    for r in iter_rows(conn, sql):
        cat = categories.get(r[3])
        if cat is None:
            cat = categories[r[3]] = _category(r[3])
        met = meterings.get(r[4])
        if met is None:
            met = meterings[r[4]] = _metering(r[4])
        d = r[11]
        if d is not None:
            day = dates.get(d)
            if day is None:
                day = dates[d] = _date(d)
            d = day
        yield [r[0], r[1], r[2], cat, met, r[5], r[6], r[7], r[8], r[9], r[10], d, r[12]]


def transformer_areas(conn: Connection) -> Rows:
    sql = (
        "SELECT ta.code, ta.name, f.name, ta.capacity_kva, town.name, comm.name, g.name, s.name"
        " FROM transformer_area ta LEFT JOIN feeder f ON f.id = ta.feeder_id"
        " LEFT JOIN admin_area comm ON comm.id = ta.community_id"
        " LEFT JOIN admin_area town ON town.id = comm.parent_id"
        " LEFT JOIN grid g ON g.id = ta.grid_id LEFT JOIN staff s ON s.id = ta.manager_id ORDER BY ta.id"
    )
    for r in iter_rows(conn, sql):
        yield list(r)


def grids(conn: Connection) -> Rows:
    codes: dict[int, list[str]] = {}
    for gid, code in run(
        conn, "SELECT grid_id, code FROM transformer_area WHERE grid_id IS NOT NULL"
    ):
        codes.setdefault(int(gid), []).append(code)
    sql = (
        "SELECT g.id, g.name, g.code, town.name, comm.name, s.name, s.phone, g.area_class, g.service_mode"
        " FROM grid g LEFT JOIN admin_area comm ON comm.id = g.community_id"
        " LEFT JOIN admin_area town ON town.id = comm.parent_id"
        " LEFT JOIN staff s ON s.id = g.manager_id ORDER BY g.id"
    )
    for r in iter_rows(conn, sql):
        tas = "、".join(sorted(codes.get(int(r[0]), [])))
        yield [r[1], r[2], r[3], r[4], r[5], r[6], tas, _area_class(r[7]), _mode(r[8])]


def staff(conn: Connection) -> Rows:
    specs: dict[int, list[str]] = {}
    for sid, value in run(conn, "SELECT staff_id, specialty FROM staff_specialty"):
        specs.setdefault(int(sid), []).append(_specialty(value))
    member: dict[int, list[str]] = {}
    for sid, name in run(
        conn, "SELECT m.staff_id, g.name FROM grid_member m JOIN grid g ON g.id = m.grid_id"
    ):
        member.setdefault(int(sid), []).append(name)
    for r in iter_rows(
        conn, "SELECT id, employee_no, name, position, phone, team FROM staff ORDER BY id"
    ):
        sid = int(r[0])
        yield [
            r[1], r[2], r[3], "、".join(sorted(specs.get(sid, []))), r[4],
            "、".join(sorted(member.get(sid, []))), r[5],
        ]  # fmt: skip


def contacts(conn: Connection) -> Rows:
    sql = (
        "SELECT a.name, cp.name, b.name, c.name, c.kind, c.phone, c.wechat_group FROM contact c"
        " LEFT JOIN admin_area a ON a.id = c.community_id LEFT JOIN compound cp ON cp.id = c.compound_id"
        " LEFT JOIN building b ON b.id = c.building_id ORDER BY c.id"
    )
    for r in iter_rows(conn, sql):
        building = r[2] if r[2] else ("全部" if r[1] else "")
        yield [r[0], r[1], building, r[3], _contact(r[4]), r[5], r[6]]


def arrears(conn: Connection) -> Rows:
    sql = (
        "SELECT c.account_no, c.name, c.address, ta.name, a.month, a.amount_fen, a.ledger_late_fee_fen, c.phone"
        " FROM arrears a JOIN customer c ON c.id = a.customer_id"
        " LEFT JOIN transformer_area ta ON ta.id = c.transformer_area_id"
        " WHERE a.status != 'paid' ORDER BY a.id"
    )
    for r in iter_rows(conn, sql):
        yield [r[0], r[1], r[2], r[3], r[4], _yuan(r[5]), _yuan(r[6]), r[7]]


def orders_95598(conn: Connection) -> Rows:
    sql = (
        "SELECT o.external_no, o.received_at, o.type, o.subtype, c.account_no, o.caller_name, o.caller_phone,"
        " o.address, o.description, o.channel, o.urgency FROM work_order o"
        " LEFT JOIN customer c ON c.id = o.customer_id WHERE o.external_no IS NOT NULL ORDER BY o.id"
    )
    for r in iter_rows(conn, sql):
        yield [
            r[0], _datetime(r[1]), _order_type(r[2]), _subtype(r[3]), r[4], r[5], r[6], r[7], r[8],
            _channel(r[9]), _urgency(r[10]),
        ]  # fmt: skip


def work_orders(conn: Connection) -> Rows:
    sql = (
        "SELECT o.number, o.external_no, o.type, o.subtype, o.status, o.urgency, o.channel, o.received_at,"
        " c.account_no, o.caller_name, o.caller_phone, o.address, o.description, g.name, ta.code, s.name,"
        " o.contact_due, o.arrival_due, o.resolve_due, o.dispatched_at, o.arrived_at, o.resolved_at,"
        " o.closed_at, o.satisfaction, o.resolution FROM work_order o"
        " LEFT JOIN customer c ON c.id = o.customer_id LEFT JOIN grid g ON g.id = o.grid_id"
        " LEFT JOIN transformer_area ta ON ta.id = o.transformer_area_id"
        " LEFT JOIN staff s ON s.id = o.assignee_id ORDER BY o.id"
    )
    for r in iter_rows(conn, sql):
        yield [
            r[0], r[1], _order_type(r[2]), _subtype(r[3]), _status(r[4]), _urgency(r[5]), _channel(r[6]),
            _datetime(r[7]), r[8], r[9], r[10], r[11], r[12], r[13], r[14], r[15],
            *(_datetime(v) for v in r[16:23]), r[23], r[24],
        ]  # fmt: skip


def calls(conn: Connection) -> Rows:
    sql = (
        "SELECT k.started_at, k.ended_at, k.duration_s, k.direction, k.channel, k.phone, k.caller_name,"
        " c.account_no, k.category, k.summary, u.display_name, o.number FROM call k"
        " LEFT JOIN customer c ON c.id = k.customer_id LEFT JOIN app_user u ON u.id = k.user_id"
        " LEFT JOIN work_order o ON o.id = k.work_order_id ORDER BY k.id"
    )
    for r in iter_rows(conn, sql):
        yield [
            _datetime(r[0]), _datetime(r[1]), r[2], _direction(r[3]), _channel(r[4]), r[5], r[6], r[7],
            _order_type(r[8]) if r[8] else "", r[9], r[10], r[11],
        ]  # fmt: skip


def collections(conn: Connection) -> Rows:
    sql = (
        "SELECT x.at, c.account_no, c.name, a.month, a.amount_fen, x.kind, x.result, x.promised_on, x.note,"
        " u.display_name FROM collection_action x JOIN arrears a ON a.id = x.arrears_id"
        " JOIN customer c ON c.id = a.customer_id LEFT JOIN app_user u ON u.id = x.user_id ORDER BY x.id"
    )
    for r in iter_rows(conn, sql):
        yield [
            _datetime(r[0]),
            r[1],
            r[2],
            r[3],
            _yuan(r[4]),
            _collection(r[5]),
            r[6],
            _date(r[7]),
            r[8],
            r[9],
        ]


EXPORTERS: dict[str, Callable[[Connection], Rows]] = {
    "customers": customers,
    "transformer_areas": transformer_areas,
    "grids": grids,
    "staff": staff,
    "contacts": contacts,
    "arrears": arrears,
    "orders_95598": orders_95598,
    "work_orders": work_orders,
    "calls": calls,
    "collections": collections,
}
