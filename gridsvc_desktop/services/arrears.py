"""Arrears collection (欠费催收): the lists, the collectors' actions, the cut-off
path within the rules, reconnection after payment, and the collection figures.

An arrear is one (customer, bill month) the arrears ledger reported
(ledgers/kinds/billing.py keeps them in step with each ledger). The station's
work on it — reminders, promises, notices, cut-off, payment, its collector —
is recorded here, audited and version-checked, and never touched by an import.

Lists are filtered and sorted in SQL (grid of the customer's transformer area,
transformer area, compound, collector, category, status) and read in keyset
pages. "To do" is every unpaid arrear except the promises not yet due: a
promise whose date has passed comes back on the list.

Late fees are worked out by the supply rules (domain/late_fees.py) for the day
asked, beside the late fee the ledger gave. A cut-off is recorded only when
domain/cutoff.py allows it from the written and final notices on record for
the customer; paying off everything a cut-off customer owed creates the
reconnection order (工单类型 抄表收费, 子类 欠费复电, limit `reconnection`
of the SLA policy, 24 h).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import and_, case, func, or_
from sqlalchemy import select as sa_select
from sqlalchemy.sql import ColumnElement
from sqlmodel import Session, col, select

from gridsvc_desktop.db.errors import ConcurrentEdit
from gridsvc_desktop.db.models import (
    AppUser,
    Arrears,
    ArrearsChange,
    Building,
    CollectionAction,
    Compound,
    Customer,
    Grid,
    Staff,
    TransformerArea,
    WorkOrder,
    now,
)
from gridsvc_desktop.domain.cutoff import CutoffCheck, Notice, check_cutoff
from gridsvc_desktop.domain.enums import (
    ArrearsStatus,
    Channel,
    CollectionKind,
    CustomerCategory,
    OrderSubtype,
    OrderType,
)
from gridsvc_desktop.domain.late_fees import LateFee, late_fee, overdue_days
from gridsvc_desktop.domain.masking import mask_phone
from gridsvc_desktop.services import audit
from gridsvc_desktop.services.actor import Actor, Permission
from gridsvc_desktop.services.common import InvalidInput, NotFound
from gridsvc_desktop.services.sla_policy import load_policy

__all__ = [
    "AGEING_BUCKETS",
    "ArrearsDetail",
    "ArrearsFilter",
    "ArrearsRow",
    "CollectionFigures",
    "CollectionLine",
    "HistoryItem",
    "PaymentResult",
    "SortKey",
    "StatusFilter",
    "arrears_detail",
    "assign_collector",
    "collection_figures",
    "count_arrears",
    "cutoff_check",
    "export_arrears",
    "export_figures",
    "filter_choices",
    "list_arrears",
    "reconnect_if_cleared",
    "record_action",
    "record_cutoff",
    "record_payment",
]

S = ArrearsStatus
K = CollectionKind
REMINDERS = (K.phone, K.sms, K.wechat, K.visit, K.posted_notice)
NOTICES = (K.written_notice, K.final_notice)
UNPAID = (S.open, S.promised, S.notice_served, S.cut_off)


class SortKey(StrEnum):
    amount = "amount"  # largest first
    age = "age"  # oldest bill month first


class StatusFilter(StrEnum):
    todo = "todo"  # unpaid, less the promises not yet due
    unpaid = "unpaid"
    promise_overdue = "promise_overdue"
    open = "open"
    promised = "promised"
    notice_served = "notice_served"
    cut_off = "cut_off"
    paid = "paid"

    @property
    def label(self) -> str:
        return _STATUS_FILTER_LABELS.get(self.value) or S(self.value).label


_STATUS_FILTER_LABELS = {
    "todo": "待跟进（含逾期承诺）",
    "unpaid": "全部未缴",
    "promise_overdue": "承诺已逾期",
}


@dataclass
class ArrearsFilter:
    grid_id: int | None = None
    transformer_area_id: int | None = None
    compound_id: int | None = None
    collector_id: int | None = None
    category: CustomerCategory | None = None
    status: StatusFilter = StatusFilter.todo
    customer_id: int | None = None


@dataclass
class ArrearsRow:
    id: int
    version: int
    customer_id: int
    account_no: str
    name: str
    phone: str
    address: str
    category: CustomerCategory
    grid: str
    transformer_area: str
    compound: str
    building: str
    collector_id: int | None
    collector: str
    month: str
    amount_fen: int
    ledger_late_fee_fen: int
    status: ArrearsStatus
    first_seen: dt.date
    promised_on: dt.date | None
    paid_on: dt.date | None
    fee: LateFee
    last_action: str = ""
    last_action_at: dt.datetime | None = None

    @property
    def age_days(self) -> int:
        return self.fee.days if self.paid_on is None else overdue_days(self.month, self.paid_on)

    @property
    def since(self) -> str:
        return f"{self.month[:4]}-{self.month[4:]}"

    def promise_overdue(self, on: dt.date) -> bool:
        return self.status is S.promised and self.promised_on is not None and self.promised_on < on

    def cursor(self, key: SortKey) -> tuple[Any, ...]:
        return (self.amount_fen if key is SortKey.amount else self.month, self.id)

    def phone_shown(self, unmask: bool) -> str:
        return self.phone if unmask else mask_phone(self.phone)


def _columns() -> list[Any]:
    return [
        col(Arrears.id), col(Arrears.version), col(Arrears.customer_id), col(Customer.account_no),
        col(Customer.name), col(Customer.phone), col(Customer.address), col(Customer.category),
        col(Grid.code), col(Grid.name), col(TransformerArea.name), col(Compound.name),
        col(Building.name), col(Arrears.collector_id), col(Staff.name), col(Arrears.month),
        col(Arrears.amount_fen), col(Arrears.ledger_late_fee_fen), col(Arrears.status),
        col(Arrears.first_seen), col(Arrears.promised_on), col(Arrears.paid_on),
    ]  # fmt: skip


def _joined(stmt: Any) -> Any:
    return (
        stmt.join(Customer, col(Customer.id) == col(Arrears.customer_id))
        .outerjoin(TransformerArea, col(TransformerArea.id) == col(Customer.transformer_area_id))
        .outerjoin(Grid, col(Grid.id) == col(TransformerArea.grid_id))
        .outerjoin(Compound, col(Compound.id) == col(Customer.compound_id))
        .outerjoin(Building, col(Building.id) == col(Customer.building_id))
        .outerjoin(Staff, col(Staff.id) == col(Arrears.collector_id))
    )


def _conditions(f: ArrearsFilter, on: dt.date) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
    if f.grid_id is not None:
        conds.append(col(TransformerArea.grid_id) == f.grid_id)
    if f.transformer_area_id is not None:
        conds.append(col(Customer.transformer_area_id) == f.transformer_area_id)
    if f.compound_id is not None:
        conds.append(col(Customer.compound_id) == f.compound_id)
    if f.collector_id is not None:
        conds.append(col(Arrears.collector_id) == f.collector_id)
    if f.customer_id is not None:
        conds.append(col(Arrears.customer_id) == f.customer_id)
    if f.category is not None:
        conds.append(col(Customer.category) == CustomerCategory(f.category))
    status = StatusFilter(f.status)
    if status is StatusFilter.todo:
        conds.append(col(Arrears.status).in_(UNPAID))
        conds.append(
            or_(
                col(Arrears.status) != S.promised,
                col(Arrears.promised_on).is_(None),
                col(Arrears.promised_on) < on,
            )
        )
    elif status is StatusFilter.unpaid:
        conds.append(col(Arrears.status).in_(UNPAID))
    elif status is StatusFilter.promise_overdue:
        conds.append(col(Arrears.status) == S.promised)
        conds.append(col(Arrears.promised_on) < on)
    else:
        conds.append(col(Arrears.status) == S(status.value))
    return conds


def _row(r: Any, on: dt.date) -> ArrearsRow:
    category = CustomerCategory(r[7])
    paid_on = r[21]
    return ArrearsRow(
        id=r[0], version=r[1], customer_id=r[2], account_no=r[3], name=r[4], phone=r[5] or "",
        address=r[6] or "", category=category, grid=f"{r[8]} {r[9]}" if r[8] else "",
        transformer_area=r[10] or "", compound=r[11] or "", building=r[12] or "",
        collector_id=r[13], collector=r[14] or "", month=r[15], amount_fen=int(r[16]),
        ledger_late_fee_fen=int(r[17] or 0), status=S(r[18]), first_seen=r[19],
        promised_on=r[20], paid_on=paid_on,
        fee=late_fee(int(r[16]), r[15], category, paid_on or on),
    )  # fmt: skip


def _last_actions(session: Session, rows: list[ArrearsRow]) -> None:
    if not rows:
        return
    by_id = {r.id: r for r in rows}
    latest = (
        sa_select(col(CollectionAction.arrears_id), func.max(col(CollectionAction.id)).label("id"))
        .where(col(CollectionAction.arrears_id).in_(list(by_id)))
        .group_by(col(CollectionAction.arrears_id))
        .subquery()
    )
    for arrears_id, kind, at, result in session.execute(
        sa_select(
            col(CollectionAction.arrears_id),
            col(CollectionAction.kind),
            col(CollectionAction.at),
            col(CollectionAction.result),
        ).join(latest, latest.c.id == col(CollectionAction.id))
    ).all():
        row = by_id[arrears_id]
        row.last_action = K(kind).label + (f"：{result}" if result else "")
        row.last_action_at = at


def list_arrears(
    session: Session,
    f: ArrearsFilter | None = None,
    *,
    sort: SortKey = SortKey.amount,
    limit: int = 200,
    after: tuple[Any, ...] | None = None,
    on: dt.date | None = None,
) -> list[ArrearsRow]:
    """One keyset page of arrears: largest amount first, or oldest bill month first
    (ties by id); `after` is the last row's `cursor(sort)`."""
    f = f or ArrearsFilter()
    on = on or now().date()
    sort = SortKey(sort)
    conds = _conditions(f, on)
    order: list[Any]
    if sort is SortKey.amount:
        order = [col(Arrears.amount_fen).desc(), col(Arrears.id)]
        if after is not None:
            conds.append(
                or_(
                    col(Arrears.amount_fen) < after[0],
                    and_(col(Arrears.amount_fen) == after[0], col(Arrears.id) > after[1]),
                )
            )
    else:
        order = [col(Arrears.month), col(Arrears.id)]
        if after is not None:
            conds.append(
                or_(
                    col(Arrears.month) > after[0],
                    and_(col(Arrears.month) == after[0], col(Arrears.id) > after[1]),
                )
            )
    stmt = _joined(sa_select(*_columns())).where(*conds).order_by(*order).limit(limit)
    rows = [_row(r, on) for r in session.execute(stmt).all()]
    _last_actions(session, rows)
    return rows


def count_arrears(
    session: Session, f: ArrearsFilter | None = None, *, on: dt.date | None = None
) -> tuple[int, int]:
    """(arrears, amount in fen) the filter selects."""
    f = f or ArrearsFilter()
    on = on or now().date()
    stmt = _joined(
        sa_select(func.count(), func.coalesce(func.sum(col(Arrears.amount_fen)), 0)).select_from(
            Arrears
        )
    ).where(*_conditions(f, on))
    n, fen = session.execute(stmt).one()
    return int(n), int(fen)


def arrears_row(session: Session, arrears_id: int, *, on: dt.date | None = None) -> ArrearsRow:
    on = on or now().date()
    stmt = _joined(sa_select(*_columns())).where(col(Arrears.id) == arrears_id)
    r = session.execute(stmt).first()
    if r is None:
        raise NotFound(f"找不到欠费记录（{arrears_id}）。")
    row = _row(r, on)
    _last_actions(session, [row])
    return row


# --------------------------------------------------------------------------- detail


@dataclass(frozen=True)
class HistoryItem:
    at: dt.datetime
    what: str
    detail: str
    by: str = ""


@dataclass
class ArrearsDetail:
    row: ArrearsRow
    history: list[HistoryItem]
    cutoff: CutoffCheck
    #: The customer's other unpaid months.
    others: list[ArrearsRow] = field(default_factory=list)


def _yuan(fen: int) -> str:
    return f"{fen / 100:,.2f}"


def _notices(session: Session, customer_id: int) -> list[Notice]:
    rows = session.execute(
        sa_select(col(CollectionAction.kind), col(CollectionAction.at))
        .join(Arrears, col(Arrears.id) == col(CollectionAction.arrears_id))
        .where(
            col(Arrears.customer_id) == customer_id,
            col(CollectionAction.kind).in_(NOTICES),
        )
    ).all()
    return [Notice(K(kind), at.date()) for kind, at in rows]


def _cutoff_check(
    session: Session, customer_id: int, category: CustomerCategory, on: dt.date
) -> CutoffCheck:
    limits = load_policy(session).limits
    res = limits.get("arrears.notice.residential")
    other = limits.get("arrears.notice.other")
    return check_cutoff(
        category,
        _notices(session, customer_id),
        on,
        residential_days=res.amount if res is not None else 7,
        other_days=other.amount if other is not None else 3,
    )


def cutoff_check(session: Session, arrears_id: int, on: dt.date | None = None) -> CutoffCheck:
    """May a cut-off be recorded for this arrear's customer on `on` (today)?"""
    arrear = session.get(Arrears, arrears_id)
    if arrear is None:
        raise NotFound(f"找不到欠费记录（{arrears_id}）。")
    customer = session.get(Customer, arrear.customer_id)
    assert customer is not None
    return _cutoff_check(session, customer.id or 0, customer.category, on or now().date())


def arrears_detail(
    session: Session, arrears_id: int, *, on: dt.date | None = None
) -> ArrearsDetail:
    """The arrear, its history (ledger changes and collection actions, oldest
    first), what the cut-off rule says today, and the customer's other months."""
    on = on or now().date()
    row = arrears_row(session, arrears_id, on=on)
    users = dict(session.execute(sa_select(col(AppUser.id), col(AppUser.display_name))).all())
    items: list[HistoryItem] = [
        HistoryItem(
            dt.datetime.combine(row.first_seen, dt.time()),
            "出现在欠费台账",
            f"{row.since} 欠费（台账首次出现）",
        )
    ]
    for ch in session.execute(
        select(ArrearsChange)
        .where(col(ArrearsChange.arrears_id) == arrears_id)
        .order_by(col(ArrearsChange.id))
    ).scalars():
        at = dt.datetime.combine(ch.at, dt.time())
        if ch.kind == "paid":
            items.append(HistoryItem(at, "台账中已没有", "按导入日期记为已缴清"))
        elif ch.kind == "reopened":
            items.append(HistoryItem(at, "重新出现在台账", "已缴清的欠费又出现，重新列为未缴"))
        else:
            items.append(
                HistoryItem(
                    at,
                    "台账金额变化",
                    f"{_yuan(ch.old_amount_fen)} 元 → {_yuan(ch.new_amount_fen)} 元",
                )
            )
    for a in session.execute(
        select(CollectionAction)
        .where(col(CollectionAction.arrears_id) == arrears_id)
        .order_by(col(CollectionAction.at), col(CollectionAction.id))
    ).scalars():
        parts = [a.result] if a.result else []
        if a.promised_on is not None:
            parts.append(f"承诺 {a.promised_on:%Y-%m-%d} 前缴费")
        if a.note:
            parts.append(a.note)
        by = users.get(a.user_id, "") if a.user_id is not None else ""
        items.append(HistoryItem(a.at, K(a.kind).label, "；".join(parts), by or ""))
    items.sort(key=lambda h: h.at)
    others = [
        r
        for r in list_arrears(
            session,
            ArrearsFilter(customer_id=row.customer_id, status=StatusFilter.unpaid),
            sort=SortKey.age,
            on=on,
        )
        if r.id != row.id
    ]
    check = _cutoff_check(session, row.customer_id, row.category, on)
    return ArrearsDetail(row, items, check, others)


# --------------------------------------------------------------------------- writing


def _load(session: Session, arrears_id: int, expected_version: int | None) -> Arrears:
    arrear = session.get(Arrears, arrears_id)
    if arrear is None:
        raise NotFound(f"找不到欠费记录（{arrears_id}）。")
    if expected_version is not None and arrear.version != expected_version:
        raise ConcurrentEdit(
            f"这笔欠费（{arrear.month}）已被他人修改（您打开的是第 {expected_version} 版，"
            f"现在是第 {arrear.version} 版），您的这次操作没有保存。请刷新后再操作。"
        )
    return arrear


def _set(session: Session, actor: Actor, arrear: Arrears, changes: dict[str, Any]) -> None:
    """Apply `changes` to the arrear, bump its version, audit it."""
    before = {k: getattr(arrear, k) for k in changes}
    for k, v in changes.items():
        setattr(arrear, k, v)
    arrear.version += 1
    session.add(arrear)
    session.flush()
    audit.record(session, actor, "update", "arrears", arrear.id, before=before, after=changes)


def _add_action(
    session: Session,
    actor: Actor,
    arrear: Arrears,
    kind: CollectionKind,
    at: dt.datetime,
    *,
    result: str = "",
    note: str = "",
    promised_on: dt.date | None = None,
) -> CollectionAction:
    action = CollectionAction(
        arrears_id=arrear.id or 0,
        kind=kind,
        at=at,
        user_id=actor.user_id,
        result=result.strip()[:300],
        promised_on=promised_on,
        note=note.strip(),
    )
    session.add(action)
    session.flush()
    audit.record(session, actor, "create", "collection_action", action.id, after=action)
    return action


def _unpaid(arrear: Arrears) -> None:
    if arrear.status == S.paid:
        raise InvalidInput(f"这笔欠费（{arrear.month}）已缴清。", "status")


def record_action(
    *,
    session: Session,
    actor: Actor,
    arrears_id: int,
    kind: CollectionKind,
    result: str = "",
    note: str = "",
    promised_on: dt.date | None = None,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> CollectionAction:
    """A reminder (phone, SMS, WeChat, visit, posted notice) or a notice (written
    or final), with its result and the date the customer promised to pay, if any.

    A promise sets the arrear to 承诺缴费 until that date; a notice sets it to
    已送达停电通知 (a cut-off one stays 已停电)."""
    actor.require(Permission.edit)
    kind = K(kind)
    if kind not in REMINDERS + NOTICES:
        raise InvalidInput(f"“{kind.label}”请用对应的按钮登记。", "kind")
    moment = (at or now()).replace(microsecond=0)
    arrear = _load(session, arrears_id, expected_version)
    _unpaid(arrear)
    if promised_on is not None and promised_on < moment.date():
        raise InvalidInput("承诺缴费日期不能早于今天。", "promised_on")
    if kind in NOTICES and not result.strip():
        result = "已送达" + kind.label
    action = _add_action(
        session, actor, arrear, kind, moment, result=result, note=note, promised_on=promised_on
    )
    changes: dict[str, Any] = {}
    if promised_on is not None:
        changes.update(promised_on=promised_on)
        if arrear.status in (S.open, S.promised, S.notice_served):
            changes.update(status=S.promised)
    if kind in NOTICES and arrear.status != S.cut_off:
        changes.update(status=S.notice_served)
    _set(session, actor, arrear, changes)
    return action


def record_cutoff(
    *,
    session: Session,
    actor: Actor,
    arrears_id: int,
    note: str = "",
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> CollectionAction:
    """Record that the customer's supply was cut for this arrear, if the rules
    allow it on that day (InvalidInput naming the rule otherwise)."""
    actor.require(Permission.dispatch)
    moment = (at or now()).replace(microsecond=0)
    arrear = _load(session, arrears_id, expected_version)
    _unpaid(arrear)
    if arrear.status == S.cut_off:
        raise InvalidInput("这笔欠费已登记停电。", "status")
    customer = session.get(Customer, arrear.customer_id)
    assert customer is not None
    check = _cutoff_check(session, arrear.customer_id, customer.category, moment.date())
    if not check.allowed:
        raise InvalidInput(check.reason, "cut_off")
    action = _add_action(session, actor, arrear, K.cut_off, moment, result="欠费停电", note=note)
    _set(session, actor, arrear, {"status": S.cut_off})
    return action


@dataclass
class PaymentResult:
    action: CollectionAction
    #: The reconnection order, when the customer was cut off and owes nothing now.
    reconnection: WorkOrder | None = None


def record_payment(
    *,
    session: Session,
    actor: Actor,
    arrears_id: int,
    paid_on: dt.date | None = None,
    note: str = "",
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> PaymentResult:
    """The customer paid this arrear; a customer cut off who now owes nothing
    gets the reconnection order (24 h)."""
    actor.require(Permission.edit)
    moment = (at or now()).replace(microsecond=0)
    paid_on = paid_on or moment.date()
    if paid_on > moment.date():
        raise InvalidInput("缴费日期不能晚于今天。", "paid_on")
    arrear = _load(session, arrears_id, expected_version)
    _unpaid(arrear)
    action = _add_action(session, actor, arrear, K.payment, moment, result="已缴清", note=note)
    _set(session, actor, arrear, {"status": S.paid, "paid_on": paid_on})
    order = reconnect_if_cleared(
        session=session, actor=actor, customer_id=arrear.customer_id, at=moment
    )
    return PaymentResult(action, order)


def reconnect_if_cleared(
    *, session: Session, actor: Actor, customer_id: int, at: dt.datetime | None = None
) -> WorkOrder | None:
    """The reconnection order for a customer whose supply was cut for arrears and
    who owes nothing now; None when not cut off, still owing, or an order for
    that cut-off exists already."""
    actor.require(Permission.edit)
    moment = (at or now()).replace(microsecond=0)
    owing = session.execute(
        select(func.count())
        .select_from(Arrears)
        .where(col(Arrears.customer_id) == customer_id, col(Arrears.status) != S.paid)
    ).scalar_one()
    if owing:
        return None
    last_cut = session.execute(
        sa_select(func.max(col(CollectionAction.at)))
        .join(Arrears, col(Arrears.id) == col(CollectionAction.arrears_id))
        .where(col(Arrears.customer_id) == customer_id, col(CollectionAction.kind) == K.cut_off)
    ).scalar()
    if last_cut is None:
        return None
    done = session.execute(
        select(func.count())
        .select_from(WorkOrder)
        .where(
            col(WorkOrder.customer_id) == customer_id,
            col(WorkOrder.subtype) == OrderSubtype.reconnection,
            col(WorkOrder.received_at) >= last_cut,
        )
    ).scalar_one()
    if done:
        return None
    from gridsvc_desktop.services.work_orders import OrderInput, create_order

    return create_order(
        session=session,
        actor=actor,
        data=OrderInput(
            type=OrderType.billing,
            subtype=OrderSubtype.reconnection,
            channel=Channel.proactive,
            customer_id=customer_id,
            description=f"欠费已缴清，请在24小时内恢复供电（{last_cut:%Y-%m-%d %H:%M} 欠费停电）。",
            received_at=moment,
        ),
        at=moment,
    )


def assign_collector(
    *,
    session: Session,
    actor: Actor,
    arrears_ids: Sequence[int],
    collector_id: int | None,
) -> int:
    """Make `collector_id` (None: nobody) the collector of these arrears; returns
    how many changed."""
    actor.require(Permission.dispatch)
    if collector_id is not None:
        person = session.get(Staff, collector_id)
        if person is None:
            raise NotFound(f"找不到人员（{collector_id}）。")
        if not person.active:
            raise InvalidInput(f"{person.name} 已停用，不能再分配催收。", "collector_id")
    changed = 0
    for arrears_id in arrears_ids:
        arrear = _load(session, arrears_id, None)
        if arrear.collector_id != collector_id:
            _set(session, actor, arrear, {"collector_id": collector_id})
            changed += 1
    return changed


# --------------------------------------------------------------------------- figures

AGEING_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("0–30天", 0, 30),
    ("31–90天", 31, 90),
    ("91–180天", 91, 180),
    ("180天以上", 181, None),
)


@dataclass
class CollectionLine:
    """Arrears owed at some time in the period, and those paid in it."""

    id: int | None
    name: str
    owed_count: int = 0
    owed_fen: int = 0
    recovered_count: int = 0
    recovered_fen: int = 0

    @property
    def rate(self) -> float | None:
        """Collection rate: amount recovered ÷ amount owed during the period, in %."""
        return 100.0 * self.recovered_fen / self.owed_fen if self.owed_fen else None

    @property
    def outstanding_fen(self) -> int:
        return self.owed_fen - self.recovered_fen


@dataclass
class AgeingBucket:
    label: str
    count: int = 0
    fen: int = 0


@dataclass
class CollectionFigures:
    start: dt.date
    end: dt.date
    total: CollectionLine
    by_grid: list[CollectionLine]
    by_collector: list[CollectionLine]
    ageing: list[AgeingBucket]


def collection_figures(
    session: Session, *, start: dt.date, end: dt.date, grid_id: int | None = None
) -> CollectionFigures:
    """Collection rate per grid and per collector for [start, end]: the amount of
    the arrears paid in the period ÷ the amount of those owed at any time in it
    (in a ledger by `end`, not paid before `start`); ageing of what is unpaid
    now by days past the due date (domain.late_fees.due_date)."""
    if end < start:
        raise InvalidInput("统计期间的结束日期早于开始日期。", "period")
    paid_in = and_(
        col(Arrears.status) == S.paid, col(Arrears.paid_on) >= start, col(Arrears.paid_on) <= end
    )
    owed = and_(
        col(Arrears.first_seen) <= end,
        or_(
            col(Arrears.status) != S.paid,
            col(Arrears.paid_on).is_(None),
            col(Arrears.paid_on) >= start,
        ),
    )
    measures = (
        func.count(),
        func.coalesce(func.sum(col(Arrears.amount_fen)), 0),
        func.coalesce(func.sum(case((paid_in, 1), else_=0)), 0),
        func.coalesce(func.sum(case((paid_in, col(Arrears.amount_fen)), else_=0)), 0),
    )
    scope = [owed]
    if grid_id is not None:
        scope.append(col(TransformerArea.grid_id) == grid_id)

    def lines(key: Any, label: Iterable[Any]) -> list[CollectionLine]:
        stmt = _joined(sa_select(key, *label, *measures).select_from(Arrears)).where(*scope)
        stmt = stmt.group_by(key, *label)
        out = []
        for r in session.execute(stmt).all():
            n = len(tuple(label))
            name = " ".join(str(x) for x in r[1 : 1 + n] if x)
            out.append(CollectionLine(r[0], name, *(int(v) for v in r[1 + n :])))
        return sorted(out, key=lambda ln: (ln.id is None, -ln.owed_fen, ln.name))

    by_grid = lines(col(TransformerArea.grid_id), (col(Grid.code), col(Grid.name)))
    by_collector = lines(col(Arrears.collector_id), (col(Staff.name),))
    total = CollectionLine(None, "合计")
    for ln in by_grid:
        total.owed_count += ln.owed_count
        total.owed_fen += ln.owed_fen
        total.recovered_count += ln.recovered_count
        total.recovered_fen += ln.recovered_fen
    buckets = [AgeingBucket(label) for label, _, _ in AGEING_BUCKETS]
    stmt = _joined(
        sa_select(col(Arrears.month), func.count(), func.sum(col(Arrears.amount_fen))).select_from(
            Arrears
        )
    ).where(col(Arrears.status).in_(UNPAID), col(Arrears.first_seen) <= end)
    if grid_id is not None:
        stmt = stmt.where(col(TransformerArea.grid_id) == grid_id)
    for month, n, fen in session.execute(stmt.group_by(col(Arrears.month))).all():
        days = overdue_days(month, end)
        for bucket, (_, low, high) in zip(buckets, AGEING_BUCKETS, strict=True):
            if days >= low and (high is None or days <= high):
                bucket.count += int(n)
                bucket.fen += int(fen or 0)
                break
    return CollectionFigures(start, end, total, by_grid, by_collector, buckets)


# --------------------------------------------------------------------------- export

EXPORT_HEADERS = [
    "户号", "户名", "联系电话", "用电地址", "用电类别", "网格", "台区", "小区", "楼栋",
    "欠费月份", "欠费金额(元)", "违约金(台账)(元)", "违约金(按规定)(元)", "违约金规则",
    "逾期天数", "状态", "承诺缴费日期", "缴费日期", "催收人", "最近催收",
]  # fmt: skip


def export_arrears(
    *,
    session: Session,
    actor: Actor,
    path: Path,
    f: ArrearsFilter | None = None,
    sort: SortKey = SortKey.amount,
    on: dt.date | None = None,
) -> int:
    """The arrears the filter selects as .xlsx (phones masked unless the role may
    see them); returns the number of rows. Audited as an export."""
    actor.require(Permission.export)
    from gridsvc_desktop.ledgers.specs import ARREARS
    from gridsvc_desktop.ledgers.writer import LedgerWriter

    unmask = actor.may(Permission.unmask)
    on = on or now().date()
    writer = LedgerWriter(
        Path(path),
        ARREARS,
        headers=EXPORT_HEADERS,
        widths=[13, 12, 14, 30, 8, 16, 14, 14, 8, 9, 11, 11, 11, 28, 8, 12, 12, 11, 8, 30],
        title=f"欠费清单（截至 {on:%Y-%m-%d}）",
        info=f"导出时间：{now():%Y-%m-%d %H:%M:%S}    导出人：{actor.username}"
        + ("" if unmask else "    （电话已打码）"),
    )
    after: tuple[Any, ...] | None = None
    count = 0
    while True:
        page = list_arrears(session, f, sort=sort, limit=1000, after=after, on=on)
        for r in page:
            writer.write_row(
                [
                    r.account_no, r.name, r.phone_shown(unmask), r.address, r.category.label,
                    r.grid, r.transformer_area, r.compound, r.building, r.since,
                    r.amount_fen / 100, r.ledger_late_fee_fen / 100, r.fee.fee_fen / 100,
                    r.fee.rule, r.age_days, r.status.label, r.promised_on, r.paid_on,
                    r.collector, r.last_action,
                ]
            )  # fmt: skip
            count += 1
        if len(page) < 1000:
            break
        after = page[-1].cursor(sort)
    writer.close()
    audit.record(
        session, actor, "export", "arrears", "",
        after={"file": Path(path).name, "rows": count, "masked": not unmask},
    )  # fmt: skip
    return count


def export_figures(
    *, session: Session, actor: Actor, path: Path, figures: CollectionFigures
) -> Path:
    """The collection figures as .xlsx: per grid, per collector, ageing."""
    actor.require(Permission.export)
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_numbers": False})
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    pct = wb.add_format({"num_format": "0.0%"})
    period = f"{figures.start:%Y-%m-%d} 至 {figures.end:%Y-%m-%d}"
    for title, lines in (("按网格", figures.by_grid), ("按催收人", figures.by_collector)):
        ws = wb.add_worksheet(title)
        ws.write_string(0, 0, f"电费回收情况 {title}（{period}）")
        heads = ["名称", "应收笔数", "应收金额(元)", "回收笔数", "回收金额(元)", "回收率"]
        for i, h in enumerate(heads):
            ws.write_string(2, i, h, head)
        ws.set_column(0, 0, 22)
        ws.set_column(1, 5, 13)
        for n, ln in enumerate([*lines, figures.total], 3):
            ws.write_string(n, 0, ln.name or ("未划入网格" if title == "按网格" else "未分配"))
            ws.write_number(n, 1, ln.owed_count)
            ws.write_number(n, 2, ln.owed_fen / 100)
            ws.write_number(n, 3, ln.recovered_count)
            ws.write_number(n, 4, ln.recovered_fen / 100)
            if ln.rate is not None:
                ws.write_number(n, 5, ln.rate / 100, pct)
    ws = wb.add_worksheet("账龄")
    ws.write_string(0, 0, f"未缴欠费账龄（截至 {figures.end:%Y-%m-%d}，自缴费期限次日起算）")
    for i, h in enumerate(["账龄", "笔数", "金额(元)"]):
        ws.write_string(2, i, h, head)
    for n, b in enumerate(figures.ageing, 3):
        ws.write_string(n, 0, b.label)
        ws.write_number(n, 1, b.count)
        ws.write_number(n, 2, b.fen / 100)
    wb.close()
    audit.record(
        session, actor, "export", "collection_figures", "",
        after={"file": Path(path).name, "period": period},
    )  # fmt: skip
    return Path(path)


@dataclass
class FilterChoices:
    """(id, label) pairs the list's filters offer."""

    grids: list[tuple[int, str]]
    transformer_areas: list[tuple[int, str]]
    compounds: list[tuple[int, str]]
    collectors: list[tuple[int, str]]


def filter_choices(session: Session) -> FilterChoices:
    """Grids; the transformer areas and compounds that have unpaid arrears; the
    active staff (collectors)."""
    grids = [
        (r[0], f"{r[1]} {r[2]}")
        for r in session.execute(
            sa_select(col(Grid.id), col(Grid.code), col(Grid.name)).order_by(col(Grid.code))
        ).all()
    ]
    unpaid = col(Arrears.status).in_(UNPAID)
    tas = [
        (r[0], f"{r[1]}（{r[2]}）")
        for r in session.execute(
            sa_select(col(TransformerArea.id), col(TransformerArea.name), col(TransformerArea.code))
            .where(
                col(TransformerArea.id).in_(
                    sa_select(col(Customer.transformer_area_id))
                    .join(Arrears, col(Arrears.customer_id) == col(Customer.id))
                    .where(unpaid)
                )
            )
            .order_by(col(TransformerArea.name))
        ).all()
    ]
    compounds = [
        (r[0], r[1])
        for r in session.execute(
            sa_select(col(Compound.id), col(Compound.name))
            .where(
                col(Compound.id).in_(
                    sa_select(col(Customer.compound_id))
                    .join(Arrears, col(Arrears.customer_id) == col(Customer.id))
                    .where(unpaid)
                )
            )
            .order_by(col(Compound.name))
        ).all()
    ]
    collectors = [
        (r[0], f"{r[1]}（{r[2]}）")
        for r in session.execute(
            sa_select(col(Staff.id), col(Staff.name), col(Staff.employee_no))
            .where(col(Staff.active))
            .order_by(col(Staff.employee_no))
        ).all()
    ]
    return FilterChoices(grids, tas, compounds, collectors)
