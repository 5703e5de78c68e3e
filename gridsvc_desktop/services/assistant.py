"""The call assistant (智能辅助): ready answers for the customer on the line,
drawn from local data only (works offline), and the library of standard
answers the leads keep.

- `answers_for_customer`: the answers drawn from the records (outage status
  and expected restoration, arrears and how to pay, the grid manager, the
  progress of open orders) followed by the active library answers, each
  filled from the customer's data (domain/templates.py; a blank is a visible
  gap, 【未登记：网格经理】). Residents' phones are masked unless the actor may unmask;
  the grid manager's work phone, posted for customers, is given in full.
- The library: `ensure_library` seeds the standard answers of
  domain/answer_library.py (missing keys only: idempotent);
  `create_template` / `update_template` for the leads (the `dispatch`
  right, as for the outage notice templates), validated (unknown
  placeholders refused), version-checked and audited. Answers are never
  deleted, only retired (`active`), because calls name them by key.
- `record_answer_given`: the call remembers which answers it gave.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from gridsvc_desktop.db.models import (
    AnswerTemplate,
    Arrears,
    Call,
    Customer,
    Grid,
    Outage,
    SlaRule,
    Staff,
    Station,
    TransformerArea,
    WorkOrder,
    now,
)
from gridsvc_desktop.domain import templates
from gridsvc_desktop.domain.answer_library import (
    LIVE_KEYS,
    LIVE_TEXTS,
    PLACEHOLDERS,
    STANDARD_ANSWERS,
)
from gridsvc_desktop.domain.enums import (
    AreaClass,
    ArrearsStatus,
    ContactKind,
    OrderStatus,
    OrderType,
    OutageKind,
    OutageStatus,
)
from gridsvc_desktop.domain.masking import mask_phone
from gridsvc_desktop.domain.order_states import current_deadline
from gridsvc_desktop.services import audit, outages
from gridsvc_desktop.services.actor import SYSTEM, Actor, Permission
from gridsvc_desktop.services.calls import open_orders_of_customer
from gridsvc_desktop.services.common import InvalidInput, NotFound, apply_update, get_or_raise
from gridsvc_desktop.services.customers import CustomerCard, customer_card

__all__ = [
    "ANSWER_KEYS_LENGTH",
    "Answer",
    "TemplateInput",
    "answers_for_customer",
    "create_template",
    "customer_values",
    "ensure_library",
    "library",
    "preview",
    "preview_values",
    "record_answer_given",
    "spoken_time",
    "update_template",
]

#: Call.answer_key holds the keys given, comma-separated, in the order given.
ANSWER_KEYS_LENGTH = 64
KEY_PATTERN = re.compile(r"[a-z][a-z0-9_]{1,31}")
#: Upcoming planned outages are mentioned when they start within this many days.
SOON = dt.timedelta(days=14)


@dataclass(frozen=True)
class Answer:
    """One ready answer: what to say, and what the records lack (gaps)."""

    key: str
    title: str
    category: str
    text: str
    gaps: tuple[str, ...] = ()
    #: Drawn from the records (outage, arrears, manager, orders), not the library.
    live: bool = False


@dataclass
class TemplateInput:
    """A library answer as the lead edits it."""

    title: str
    body: str
    category: str = ""
    key: str = ""
    sort_order: int | None = None
    active: bool = True


# --------------------------------------------------------------------------- values


@dataclass(frozen=True)
class Filled:
    """A filled text and the names left as gaps in it."""

    text: str
    gaps: tuple[str, ...]


def _render(text: str, values: dict[str, str], known: tuple[str, ...] | None = None) -> Filled:
    """`text` filled through the one filler (domain/templates.fill): a blank
    value is a visible gap; a name outside `known` (default: the names given)
    shows as unknown."""
    filled = templates.fill(text, values, tuple(values) if known is None else known)
    return Filled(filled, tuple(dict.fromkeys(templates.gaps_in(filled))))


def _yuan(fen: int) -> str:
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}{whole:,}.{cents:02d}元"


def _month(yyyymm: str) -> str:
    if len(yyyymm) == 6 and yyyymm.isdigit():
        return f"{yyyymm[:4]}年{int(yyyymm[4:])}月"
    return yyyymm


def spoken_time(value: dt.datetime, at: dt.datetime) -> str:
    """A time as the desk says it: 今天16:30, 明天8:00, 昨天…, else 11月30日8:00."""
    days = (value.date() - at.date()).days
    day = {-1: "昨天", 0: "今天", 1: "明天"}.get(days, f"{value.month}月{value.day}日")
    return f"{day}{value.hour}:{value:%M}"


def _limit_text(session: Session, key: str) -> str | None:
    rule = session.get(SlaRule, key)
    if rule is None:
        return None
    unit = {"minutes": "分钟", "hours": "小时", "workdays": "个工作日", "days": "天"}
    return f"{rule.amount}{unit.get(rule.unit, rule.unit)}"


def _area_class(session: Session, customer: Customer) -> AreaClass:
    """The grid's area class (as routing takes it), else the station's default."""
    if customer.transformer_area_id is not None:
        grid_class = session.execute(
            select(Grid.area_class)
            .join(TransformerArea, col(TransformerArea.grid_id) == col(Grid.id))
            .where(col(TransformerArea.id) == customer.transformer_area_id)
        ).scalar_one_or_none()
        if grid_class is not None:
            return AreaClass(grid_class)
    station = session.execute(select(Station).limit(1)).scalar_one_or_none()
    return AreaClass(station.default_area_class) if station else AreaClass.urban


def customer_values(
    session: Session, card: CustomerCard, *, unmask: bool, today: dt.date | None = None
) -> dict[str, str]:
    """The placeholder values of one customer (PLACEHOLDERS), as text; a value
    the records lack is "" and shows as a gap when filled."""
    c = card.customer
    station = session.execute(select(Station).limit(1)).scalar_one_or_none()
    phone = (lambda p: p) if unmask else mask_phone
    leader = next(
        (x for x in card.contacts if x.kind_label == ContactKind.building_leader.label), None
    )
    area = _area_class(session, c)
    months = [_month(a.month) for a in card.arrears]
    return {
        "户名": c.name,
        "户号": c.account_no,
        "地址": c.address,
        "用电类别": card.category_label,
        "电表号": c.meter_no,
        "台区": card.transformer_area,
        "线路": card.feeder,
        "网格": card.grid,
        "网格经理": card.manager_name,
        # The grid manager's work phone is posted on every grid's notice board for
        # customers to call: given in full. A building leader is a resident: masked.
        "经理电话": card.manager_phone,
        "楼长": leader.name if leader else "",
        "楼长电话": phone(leader.phone) if leader else "",
        "欠费金额": _yuan(card.arrears_total_fen) if card.arrears else "0.00元",
        "欠费月份": "、".join(months) if months else "无",
        "到场时限": _limit_text(session, f"repair.arrival.{area.value}") or "",
        "复电时限": _limit_text(session, f"repair.restore.{area.value}") or "",
        "热线": station.hotline if station else "95598",
        "供电所": station.name if station else "",
        "今天": f"{(today or dt.date.today()):%Y年%m月%d日}".replace("年0", "年").replace(
            "月0", "月"
        ),
    }


# --------------------------------------------------------------------------- answers


def answers_for_customer(
    *,
    session: Session,
    actor: Actor,
    customer_id: int,
    at: dt.datetime | None = None,
    reveal: bool = True,
) -> list[Answer]:
    """Every ready answer for this customer: the four drawn from the records
    first (outage, arrears, manager, orders), then the active library answers
    in the library's order, all filled from the customer's data.

    Phones are in full only when the actor may unmask and `reveal` is set (the
    window passes whether the user has revealed personal data); else masked."""
    actor.require(Permission.view)
    at = at or now()
    card = customer_card(session, customer_id, recent_calls=0)
    unmask = reveal and actor.may(Permission.unmask)
    values = customer_values(session, card, unmask=unmask, today=at.date())
    out = [
        _outage_answer(session, card, values, at),
        _arrears_answer(session, card, values),
        _manager_answer(card, values),
        _orders_answer(session, card, values, at),
    ]
    for row in _active_library(session):
        filled = _render(row.body, values, tuple(PLACEHOLDERS))
        out.append(Answer(row.key, row.title, row.category, filled.text, filled.gaps))
    return out


def _live(key: str, title: str, parts: list[Filled]) -> Answer:
    gaps: dict[str, None] = {}
    for part in parts:
        for gap in part.gaps:
            gaps.setdefault(gap, None)
    return Answer(key, title, "本户情况", "".join(p.text for p in parts), tuple(gaps), live=True)


def _outage_answer(
    session: Session, card: CustomerCard, values: dict[str, str], at: dt.datetime
) -> Answer:
    key, title = LIVE_KEYS[0], "停电情况"
    ta_id = card.customer.transformer_area_id
    active = outages.active_outages_for_area(session, ta_id, at) if ta_id is not None else []
    if active:
        parts = []
        for outage in active:
            data = {**values, **_outage_values(outage, at)}
            late = outage.status == OutageStatus.in_progress and outage.planned_end < at
            text = LIVE_TEXTS["outage_late" if late else "outage_now"]
            parts.append(_render(text, data))
        return _live(key, title, parts)
    coming = [o for o in card.outages if at < o.planned_start <= at + SOON]
    if coming:
        upcoming = session.get(Outage, coming[0].id)
        assert upcoming is not None
        data = {**values, **_outage_values(upcoming, at)}
        return _live(key, title, [_render(LIVE_TEXTS["outage_soon"], data)])
    return _live(key, title, [_render(LIVE_TEXTS["outage_none"], values)])


def _outage_values(outage: Outage, at: dt.datetime) -> dict[str, str]:
    restore = outage.actual_end or outage.planned_end
    return {
        "停电类型": OutageKind(outage.kind).label,
        "停电原因": outage.reason,
        "开始时间": spoken_time(outage.actual_start or outage.planned_start, at),
        "结束时间": spoken_time(outage.planned_end, at),
        "恢复时间": spoken_time(restore, at),
    }


def _arrears_answer(session: Session, card: CustomerCard, values: dict[str, str]) -> Answer:
    key, title = LIVE_KEYS[1], "欠费情况"
    if not card.arrears:
        return _live(key, title, [_render(LIVE_TEXTS["arrears_none"], values)])
    seen = session.execute(
        select(func.max(Arrears.last_seen)).where(
            col(Arrears.customer_id) == card.customer.id,
            col(Arrears.status) != ArrearsStatus.paid,
        )
    ).scalar_one_or_none()
    data = {**values, "台账日期": f"{seen.month}月{seen.day}日" if seen else ""}
    return _live(key, title, [_render(LIVE_TEXTS["arrears"], data)])


def _manager_answer(card: CustomerCard, values: dict[str, str]) -> Answer:
    parts = [_render(LIVE_TEXTS["manager"], values)]
    if values["楼长"]:
        parts.append(_render(LIVE_TEXTS["leader"], values))
    return _live(LIVE_KEYS[2], "网格经理", parts)


_LIMIT_WORDS = {"contact": "联系您", "arrival": "到达现场", "resolve": "处理完毕"}


def _orders_answer(
    session: Session, card: CustomerCard, values: dict[str, str], at: dt.datetime
) -> Answer:
    key, title = LIVE_KEYS[3], "工单进度"
    assert card.customer.id is not None
    orders = open_orders_of_customer(session, card.customer.id)
    if not orders:
        return _live(key, title, [_render(LIVE_TEXTS["orders_none"], values)])
    parts = []
    for i, order in enumerate(orders):
        parts.append(
            _render(("\n" if i else "") + LIVE_TEXTS["order"], _order_values(session, order, at))
        )
    return _live(key, title, parts)


def _order_values(session: Session, order: WorkOrder, at: dt.datetime) -> dict[str, str]:
    kind, due = current_deadline(
        contact_due=order.contact_due, contacted_at=order.contacted_at,
        arrival_due=order.arrival_due, arrived_at=order.arrived_at,
        resolve_due=order.resolve_due,
    )  # fmt: skip
    verb = _LIMIT_WORDS[kind]
    if due < at:
        limit = f"按承诺应在{spoken_time(due, at)}前{verb}，已经超时，我们马上催办"
    else:
        limit = f"按承诺将在{spoken_time(due, at)}前{verb}"
    assignee = session.get(Staff, order.assignee_id) if order.assignee_id else None
    return {
        "受理时间": spoken_time(order.received_at, at),
        "工单类型": OrderType(order.type).label,
        "工单号": order.number,
        "工单状态": OrderStatus(order.status).label,
        "处理人": assignee.name if assignee else "",
        "时限说明": limit,
    }


# --------------------------------------------------------------------------- library


def _active_library(session: Session) -> list[AnswerTemplate]:
    return list(
        session.execute(
            select(AnswerTemplate)
            .where(col(AnswerTemplate.active).is_(True))
            .order_by(col(AnswerTemplate.sort_order), col(AnswerTemplate.id))
        ).scalars()
    )


def library(session: Session, *, include_retired: bool = True) -> list[AnswerTemplate]:
    """The library in its order (retired answers last when included)."""
    stmt = select(AnswerTemplate).order_by(
        col(AnswerTemplate.active).desc(), col(AnswerTemplate.sort_order), col(AnswerTemplate.id)
    )
    if not include_retired:
        stmt = stmt.where(col(AnswerTemplate.active).is_(True))
    return list(session.execute(stmt).scalars())


def library_is_empty(session: Session) -> bool:
    return session.execute(select(AnswerTemplate.id).limit(1)).first() is None


def ensure_library(session: Session) -> int:
    """Seed the standard answers whose keys the library lacks (idempotent;
    an answer a lead edited or retired is left as it is). Returns how many."""
    have = set(session.execute(select(AnswerTemplate.key)).scalars())
    added = 0
    for order, answer in enumerate(STANDARD_ANSWERS, start=1):
        if answer.key in have:
            continue
        row = AnswerTemplate(
            key=answer.key, title=answer.title, category=answer.category, body=answer.body,
            sort_order=order * 10, updated_by=SYSTEM.username,
        )  # fmt: skip
        session.add(row)
        added += 1
    if added:
        session.flush()
        audit.record(session, SYSTEM, "seed", "answer_template", "", after={"added": added})
    return added


def _validated(data: TemplateInput) -> dict[str, object]:
    title = data.title.strip()
    if not title:
        raise InvalidInput("标题不能为空。", "title")
    if len(title) > 100:
        raise InvalidInput("标题不能超过100个字。", "title")
    category = data.category.strip()
    if len(category) > 32:
        raise InvalidInput("分类不能超过32个字。", "category")
    body = data.body.strip()
    if not body:
        raise InvalidInput("答复内容不能为空。", "body")
    _check_body(body)
    values: dict[str, object] = {"title": title, "category": category, "body": body}
    values["active"] = bool(data.active)
    if data.sort_order is not None:
        values["sort_order"] = int(data.sort_order)
    return values


def _check_body(body: str) -> None:
    """Refuse placeholders nobody fills and braces that make no placeholder."""
    unknown = templates.unknown_placeholders(body, tuple(PLACEHOLDERS))
    if unknown:
        raise InvalidInput(
            "答复内容：不认识的占位符 "
            + "、".join(f"{{{n}}}" for n in unknown)
            + "。可用的占位符："
            + "、".join(f"{{{n}}}" for n in PLACEHOLDERS)
            + "。",
            "body",
        )
    rest = body
    for name in templates.placeholders_in(body):
        rest = rest.replace(f"{{{name}}}", "")
    if "{" in rest or "}" in rest:
        raise InvalidInput(
            "答复内容：花括号只能用来写占位符，如 {户名}（括号里不能有空格，不能为空）。", "body"
        )


def create_template(*, session: Session, actor: Actor, data: TemplateInput) -> AnswerTemplate:
    """A new library answer; its key is the given one or made from the next id."""
    actor.require(Permission.dispatch)
    values = _validated(data)
    key = data.key.strip()
    if key:
        if not KEY_PATTERN.fullmatch(key) or key in LIVE_KEYS:
            raise InvalidInput(
                f"编号“{key}”不可用：请用小写英文字母开头的字母、数字或下划线（2–32位）。", "key"
            )
        if session.execute(select(AnswerTemplate.id).where(col(AnswerTemplate.key) == key)).first():
            raise InvalidInput(f"编号“{key}”已存在。", "key")
    if "sort_order" not in values:
        last = session.execute(select(func.max(AnswerTemplate.sort_order))).scalar_one_or_none()
        values["sort_order"] = (last or 0) + 10
    if not key:  # the next free custom_<n>
        n = session.execute(select(func.max(AnswerTemplate.id))).scalar_one_or_none() or 0
        taken = set(session.execute(select(AnswerTemplate.key)).scalars())
        while f"custom_{n + 1}" in taken:
            n += 1
        key = f"custom_{n + 1}"
    row = AnswerTemplate(key=key, updated_by=actor.username, **values)  # type: ignore[arg-type]
    session.add(row)
    session.flush()
    audit.record(session, actor, "create", "answer_template", row.id, after=row)
    return row


def update_template(
    *,
    session: Session,
    actor: Actor,
    template_id: int,
    data: TemplateInput,
    expected_version: int | None = None,
) -> AnswerTemplate:
    """Edit a library answer (title, category, body, order, active); refused
    when someone saved it since `expected_version` was read."""
    actor.require(Permission.dispatch)
    row = get_or_raise(session, AnswerTemplate, template_id, "标准答复")
    values = _validated(data)
    if data.key.strip() and data.key.strip() != row.key:
        raise InvalidInput("标准答复的编号不能修改（来电记录按编号记着给过的答复）。", "key")
    if apply_update(
        session, actor, row, values, entity="answer_template", expected_version=expected_version
    ):
        row.updated_by = actor.username
        row.updated_at = now()
        session.add(row)
        session.flush()
    return row


def preview_values(session: Session, customer_id: int | None, *, unmask: bool) -> dict[str, str]:
    """The placeholder values of a sample customer, for the editor's live
    preview (filled in the window as the lead types); {} without a customer."""
    if customer_id is None:
        return {}
    card = customer_card(session, customer_id, recent_calls=0)
    return customer_values(session, card, unmask=unmask)


def preview(session: Session, body: str, customer_id: int | None, *, unmask: bool) -> str:
    """A draft body filled for a sample customer; with no customer every
    placeholder shows as a gap."""
    values = preview_values(session, customer_id, unmask=unmask)
    return templates.fill(body, values, tuple(PLACEHOLDERS))


def sample_customer(session: Session) -> int | None:
    """A customer whose data fills the most placeholders, for the preview:
    one in a grid with a manager, with arrears if any has them."""
    with_arrears = session.execute(
        select(Arrears.customer_id).where(col(Arrears.status) != ArrearsStatus.paid).limit(1)
    ).scalar_one_or_none()
    if with_arrears is not None:
        return int(with_arrears)
    in_grid = session.execute(
        select(Customer.id)
        .join(TransformerArea, col(TransformerArea.id) == col(Customer.transformer_area_id))
        .where(col(TransformerArea.grid_id).is_not(None))
        .order_by(col(Customer.id))
        .limit(1)
    ).scalar_one_or_none()
    if in_grid is not None:
        return int(in_grid)
    first = session.execute(select(Customer.id).order_by(col(Customer.id)).limit(1)).scalar()
    return int(first) if first is not None else None


# --------------------------------------------------------------------------- calls


def record_answer_given(*, session: Session, actor: Actor, call_id: int, key: str) -> Call:
    """The desk gave this answer on this call. A call may give several: its
    `answer_key` lists them comma-separated in the order first given (each
    once); when the column is full, later ones are kept in the audit trail,
    where every answer given is recorded."""
    actor.require(Permission.edit)
    call = session.get(Call, call_id)
    if call is None:
        raise NotFound(f"找不到来电记录（{call_id}）。")
    known = (
        key in LIVE_KEYS
        or session.execute(select(AnswerTemplate.id).where(col(AnswerTemplate.key) == key)).first()
        is not None
    )
    if not known:
        raise InvalidInput(f"没有编号为“{key}”的答复。", "key")
    given = [k for k in call.answer_key.split(",") if k]
    before = call.answer_key
    if key not in given and len(",".join([*given, key])) <= ANSWER_KEYS_LENGTH:
        call.answer_key = ",".join([*given, key])
        session.add(call)
        session.flush()
    audit.record(
        session, actor, "answer", "call", call.id,
        before={"answer_key": before}, after={"answer_key": call.answer_key, "given": key},
    )  # fmt: skip
    return call
