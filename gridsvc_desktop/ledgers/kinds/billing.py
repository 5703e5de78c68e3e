"""Arrears (欠费明细) and 95598 work orders (95598工单).

Arrears: one row per customer (by 户号; unknown 户号 is refused) and month
(YYYYMM), the amount and the ledger's late fee in fen. The ledger owns those
amounts; status, promises, collector and collection work are the station's and
an import never overwrites them. Each arrears ledger is a snapshot of what is
owed on the day it is imported:

- a new (户号, month) is a new arrear (status open, first seen today);
- an amount that changed is updated and kept as an ArrearsChange (kind "amount");
- an unpaid arrear missing from the ledger is recorded as paid on the import's
  date (status paid, paid_on, ArrearsChange kind "paid"); when that leaves a
  customer who was cut off with nothing owed, the reconnection order is created
  (services.arrears.reconnect_if_cleared) with its 24-hour limit;
- a paid arrear that is in the ledger again is open again (ArrearsChange kind
  "reopened"), its promises and actions kept.

The snapshot rule is carried by a pseudo-field (欠费状态: in the ledger or not):
missing arrears become records of their own (row 0) so that the dry run lists
them as changes and every write goes through Writer.patch / insert, logged for
an exact undo. When any row of the file was refused while reading, a missing
arrear may be a refused row, so nothing is marked paid (a warning says so).

95598 orders: idempotent on 工单编号 — an order already imported is left alone
whatever the ledger now says. A new one becomes a WorkOrder (status new, station
number GD + day received + NNNN as services.work_orders gives, type mapped from 业务类型, channel from 受理渠道,
due times from the SLA policy and the grid's area class) with a 'created' event.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import Connection

from gridsvc_desktop.domain.enums import (
    AreaClass,
    ArrearsStatus,
    Channel,
    LabelledEnum,
    OrderStatus,
    OrderSubtype,
    OrderType,
    Urgency,
)
from gridsvc_desktop.ledgers.kinds.base import (
    Diff,
    Field,
    Kind,
    Writer,
    db_date,
    db_datetime,
    refuse_record,
    run,
    show,
    warn,
)
from gridsvc_desktop.ledgers.kinds.network import station_area_class
from gridsvc_desktop.ledgers.pipeline import Parsed
from gridsvc_desktop.ledgers.specs import ARREARS, ORDERS_95598
from gridsvc_desktop.services.sla_policy import load_policy


def _yuan(fen: Any) -> str:
    return show(f"{fen / 100:.2f}" if isinstance(fen, int) else fen)


def _enum_show(enum: type[LabelledEnum]) -> Any:
    return lambda v: show(enum(v).label if v else v)


def customers_by_account(
    conn: Connection, accounts: Iterable[str]
) -> dict[str, tuple[int, int | None]]:
    """account_no → (customer id, transformer area id) for the accounts given."""
    out: dict[str, tuple[int, int | None]] = {}
    accounts = [a for a in dict.fromkeys(accounts) if a]
    for start in range(0, len(accounts), 500):
        chunk = accounts[start : start + 500]
        for acc, cid, ta in run(
            conn,
            f"SELECT account_no, id, transformer_area_id FROM customer WHERE account_no IN ({', '.join('?' for _ in chunk)})",
            chunk,
        ):
            out[acc] = (int(cid), ta)
    return out


IN_LEDGER = "in_ledger"  # pseudo-field: the arrear is in this ledger (True) or not


def _ledger_state(value: Any) -> str:
    return "未缴（在台账中）" if value else "已缴清（台账中已没有）"


class ArrearsKind(Kind):
    spec = ARREARS
    entity = "arrears"

    def fields(self, parsed: Parsed) -> list[Field]:
        rename = {"late_fee_fen": "ledger_late_fee_fen"}
        return [
            *(
                Field(
                    rename.get(n, n),
                    ARREARS.column(n).header,
                    _yuan if n.endswith("_fen") else show,
                )
                for n in parsed.fields
            ),
            Field(IN_LEDGER, "欠费状态", _ledger_state),
        ]

    def link(self, conn: Connection, parsed: Parsed, fields: list[Field]) -> None:
        refused_while_reading = bool(parsed.refused)
        a = parsed.index("account_no")
        known = customers_by_account(conn, (rec[a] for rec in parsed.records.values()))
        for key, rec in list(parsed.records.items()):
            if rec[a] not in known:
                refuse_record(
                    parsed, key, rec[-1], parsed.header("account_no"),
                    f"户号“{rec[a]}”不在客户档案中（请先导入客户档案）",
                )  # fmt: skip
        self._customers = {acc: cid for acc, (cid, _) in known.items()}
        for key, rec in parsed.records.items():
            parsed.records[key] = (*rec[:-1], True, rec[-1])
        self._missing = 0
        self._missing_fen = 0
        if refused_while_reading:
            warn(
                parsed, 0, "",
                "本文件有被拒绝的行，本次导入不把台账中没有的欠费记为已缴清"
                "（修正后重新导入完整的台账即可）",
            )  # fmt: skip
            return
        amount = [f.name for f in fields].index("amount_fen")
        for key, _entity_id, values in self._rows(conn, fields, unpaid_only=True):
            if key not in parsed.records:
                parsed.records[key] = (*values[:-1], False, 0)
                self._missing += 1
                self._missing_fen += int(values[amount])

    def side_effects(self, conn: Connection, parsed: Parsed, fields: list[Field]) -> list[str]:
        if not getattr(self, "_missing", 0):
            return []
        return [
            f"本台账中没有的 {self._missing} 笔未缴欠费（{self._missing_fen / 100:,.2f} 元）"
            "将记为已缴清，缴费日期为导入当日；原有的催收记录保留。"
        ]

    def _rows(
        self, conn: Connection, fields: list[Field], *, unpaid_only: bool = False
    ) -> Iterator[tuple[Any, int, tuple[Any, ...]]]:
        select = {
            "account_no": "c.account_no",
            "month": "a.month",
            "amount_fen": "a.amount_fen",
            "ledger_late_fee_fen": "a.ledger_late_fee_fen",
            IN_LEDGER: "a.status",
        }
        cols = ", ".join(select[f.name] for f in fields)
        where = " WHERE a.status != 'paid'" if unpaid_only else ""
        for row in run(
            conn,
            f"SELECT c.account_no, a.month, a.id, {cols} FROM arrears a JOIN customer c ON c.id = a.customer_id{where}",
        ):
            values = (*row[3:-1], row[-1] != ArrearsStatus.paid.value)
            yield (row[0], row[1]), int(row[2]), values

    def existing(
        self, conn: Connection, fields: list[Field], keys: Iterable[Any] | None = None
    ) -> Iterator[tuple[Any, int, tuple[Any, ...]]]:
        return self._rows(conn, fields)

    def write(self, w: Writer, fields: list[Field], diff: Diff) -> None:
        names = [f.name for f in fields]
        today = db_date(w.conn, w.today)
        for rec in diff.creates:
            v = dict(zip(names, rec, strict=False))
            w.insert(
                "arrears",
                {
                    "customer_id": self._customers[v["account_no"]],
                    "month": v["month"],
                    "amount_fen": v["amount_fen"],
                    "ledger_late_fee_fen": v.get("ledger_late_fee_fen", 0),
                    "status": "open",
                    "first_seen": today,
                    "last_seen": today,
                    "version": 1,
                },
            )
        cleared: set[int] = set()
        for u in diff.updates:
            v = dict(zip(names, u.new, strict=False))
            old = dict(zip(names, u.old, strict=False))
            after: dict[str, Any] = {
                n: v[n] for n in ("amount_fen", "ledger_late_fee_fen") if n in v
            }
            events: list[str] = []
            if v["amount_fen"] != old["amount_fen"]:
                events.append("amount")
            if v[IN_LEDGER]:
                after["last_seen"] = today
                if not old[IN_LEDGER]:
                    after.update(status=ArrearsStatus.open.value, paid_on=None)
                    events.append("reopened")
            elif old[IN_LEDGER]:
                after.update(status=ArrearsStatus.paid.value, paid_on=today)
                events.append("paid")
                cleared.add(u.entity_id)
            w.patch("arrears", u.entity_id, after)
            for kind in events:
                w.insert(
                    "arrears_change",
                    {
                        "arrears_id": u.entity_id,
                        "kind": kind,
                        "at": today,
                        "old_amount_fen": old["amount_fen"],
                        "new_amount_fen": v["amount_fen"],
                        "import_batch_id": w.batch_id,
                    },
                )
        if cleared:
            self._reconnect(w, cleared)

    def _reconnect(self, w: Writer, arrears_ids: set[int]) -> None:
        """Reconnection orders for customers cut off whose arrears are now all paid,
        logged so that undoing the import deletes them."""
        from gridsvc_desktop.services.arrears import reconnect_if_cleared

        ids = sorted(arrears_ids)
        customers: set[int] = set()
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            customers.update(
                int(r[0])
                for r in run(
                    w.conn,
                    f"SELECT DISTINCT customer_id FROM arrears WHERE id IN ({', '.join('?' for _ in chunk)})",
                    chunk,
                )
            )
        for customer_id in sorted(customers):
            order = reconnect_if_cleared(
                session=w.session, actor=w.actor, customer_id=customer_id, at=w.now
            )
            if order is None or order.id is None:
                continue
            w.session.flush()
            w.log("work_order", order.id, "create")
            for (event_id,) in run(
                w.conn, "SELECT id FROM work_order_event WHERE order_id = ? ORDER BY id", [order.id]
            ):
                w.log("work_order_event", int(event_id), "create")


# --------------------------------------------------------------------------- 95598 orders


class _Numbers:
    """Station numbers as services.work_orders gives them: GD + the day received +
    a four-digit running number of that day."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.last: dict[str, int] = {}

    def next(self, day: dt.date) -> str:
        prefix = f"GD{day:%Y%m%d}"
        if prefix not in self.last:
            rows = run(
                self.conn,
                "SELECT max(number) FROM work_order WHERE number >= ? AND number < ?",
                [prefix, prefix + "\x7f"],
            )
            last = rows[0][0] if rows else None
            tail = last[len(prefix) :] if last else ""
            self.last[prefix] = int(tail) if tail.isdigit() else 0
        self.last[prefix] += 1
        return f"{prefix}{self.last[prefix]:04d}"


class OrdersKind(Kind):
    spec = ORDERS_95598
    entity = "work_order"
    create_only = True

    def fields(self, parsed: Parsed) -> list[Field]:
        labels: dict[str, type[LabelledEnum]] = {
            "type": OrderType,
            "subtype": OrderSubtype,
            "channel": Channel,
            "urgency": Urgency,
        }
        out = []
        for n in parsed.fields:
            enum = labels.get(n)
            out.append(Field(n, ORDERS_95598.column(n).header, _enum_show(enum) if enum else show))
        return out

    def link(self, conn: Connection, parsed: Parsed, fields: list[Field]) -> None:
        self._customers: dict[str, tuple[int, int | None]] = {}
        if "account_no" not in parsed.fields:
            return
        a = parsed.index("account_no")
        self._customers = customers_by_account(conn, (rec[a] for rec in parsed.records.values()))
        for rec in parsed.records.values():
            if rec[a] and rec[a] not in self._customers:
                warn(
                    parsed,
                    rec[-1],
                    parsed.header("account_no"),
                    f"户号“{rec[a]}”不在客户档案中，工单未关联客户",
                )

    def existing(
        self, conn: Connection, fields: list[Field], keys: Iterable[Any] | None = None
    ) -> Iterator[tuple[Any, int, tuple[Any, ...]]]:
        for ext, oid in run(
            conn, "SELECT external_no, id FROM work_order WHERE external_no IS NOT NULL"
        ):
            yield ext, int(oid), ()

    def write(self, w: Writer, fields: list[Field], diff: Diff) -> None:
        conn = w.conn
        names = [f.name for f in fields]
        policy = load_policy(w.session)
        default_class = station_area_class(conn)
        ta_grid = {int(t): (g, c) for t, g, c in run(
            conn,
            "SELECT ta.id, ta.grid_id, g.area_class FROM transformer_area ta LEFT JOIN grid g ON g.id = ta.grid_id",
        )}  # fmt: skip
        numbers = _Numbers(conn)
        for rec in sorted(diff.creates, key=lambda r: (r[names.index("received_at")], r[-1])):
            v = dict(zip(names, rec, strict=False))
            customer_id, ta_id = self._customers.get(v.get("account_no") or "", (None, None))
            grid_id, area = ta_grid.get(ta_id, (None, None)) if ta_id is not None else (None, None)
            area_class = AreaClass(area) if area else default_class
            subtype = v.get("subtype") or OrderSubtype.none.value
            due = policy.deadlines(
                OrderType(v["type"]), OrderSubtype(subtype), area_class, v["received_at"]
            )
            oid = w.insert(
                "work_order",
                {
                    "number": numbers.next(v["received_at"].date()),
                    "external_no": v["external_no"],
                    "type": v["type"],
                    "subtype": subtype,
                    "status": OrderStatus.new.value,
                    "urgency": v.get("urgency") or Urgency.normal.value,
                    "channel": v.get("channel") or Channel.hotline_95598.value,
                    "customer_id": customer_id,
                    "caller_name": v.get("caller_name", ""),
                    "caller_phone": v.get("caller_phone", ""),
                    "address": v.get("address", ""),
                    "description": v.get("description", ""),
                    "grid_id": grid_id,
                    "transformer_area_id": ta_id,
                    "received_at": db_datetime(conn, v["received_at"]),
                    "contact_due": db_datetime(conn, due.contact_due),
                    "arrival_due": db_datetime(conn, due.arrival_due),
                    "resolve_due": db_datetime(conn, due.resolve_due),
                    "callback_note": "",
                    "resolution": "",
                    "cancel_reason": "",
                    "created_by": w.actor.user_id,
                    "updated_at": db_datetime(conn, w.now),
                    "version": 1,
                },
            )
            w.insert(
                "work_order_event",
                {
                    "order_id": oid,
                    "at": db_datetime(conn, w.now),
                    "user_id": w.actor.user_id,
                    "kind": "created",
                    "to_status": OrderStatus.new.value,
                    "note": f"95598工单导入（工单编号 {v['external_no']}）",
                },
            )
