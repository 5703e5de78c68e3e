"""Telling people about an outage: messages from editable templates, the
checklist of who was told (when, by which channel) and who is still pending,
restoration messages, and the contact list for a bulk-SMS platform.

Every contact who reaches the affected residents (building leaders, property
offices, community workers…, see `outages.affected`) and every affected grid's
manager gets one message of each kind (notice, restoration). A message is
filled from a template kept in the Setting table (`outage.template.<name>`);
missing data shows as a gap (【未登记：网格经理】), never as "None".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlmodel import Session, col

from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.db.models import (
    AdminArea,
    Building,
    Compound,
    Contact,
    Outage,
    OutageNotification,
    Setting,
    Staff,
    Station,
    now,
)
from gridsvc_desktop.domain import templates
from gridsvc_desktop.domain.enums import ContactKind, NotifyChannel, OutageKind, OutageStatus
from gridsvc_desktop.services import audit
from gridsvc_desktop.services.actor import Actor, Permission
from gridsvc_desktop.services.common import InvalidInput, NotFound
from gridsvc_desktop.services.outages import Affected, ContactHit, GridHit, PlaceHit, affected

__all__ = [
    "KINDS",
    "MessageTarget",
    "NotificationRow",
    "export_contacts",
    "generate",
    "get_template",
    "mark_sent",
    "notifications",
    "preview",
    "set_template",
    "targets",
    "template_name",
]

#: Notification kinds (OutageNotification.kind).
NOTICE, RESTORATION, CANCELLATION = "notice", "restoration", "cancellation"
KINDS = (NOTICE, RESTORATION, CANCELLATION)
#: The statuses in which messages of each kind may be prepared.
KIND_STATUSES: dict[str, tuple[OutageStatus, ...]] = {
    NOTICE: (OutageStatus.announced, OutageStatus.in_progress),
    RESTORATION: (OutageStatus.restored,),
    CANCELLATION: (OutageStatus.cancelled,),
}
KIND_REFUSED = {
    NOTICE: "停电已{status}，不再生成停电通知。",
    RESTORATION: "尚未恢复供电，不能生成送电通知。",
    CANCELLATION: "停电未取消，不能生成取消通知。",
}


def kind_for(status: OutageStatus) -> str:
    """The kind of message an outage in `status` calls for."""
    return next(k for k, sts in KIND_STATUSES.items() if OutageStatus(status) in sts)


#: Template name → (Chinese title, default text). Stored as Setting outage.template.<name>.
DEFAULT_TEMPLATES: dict[str, tuple[str, str]] = {
    "planned": (
        "计划停电通知",
        "【{供电所}】尊敬的用户：因{原因}，定于{开始时间}至{结束时间}对{范围}停电。"
        "请提前做好准备，给您带来不便敬请谅解。网格客户经理{网格经理}，电话{经理电话}；"
        "供电服务热线{热线}。",
    ),
    "temporary": (
        "临时检修停电通知",
        "【{供电所}】尊敬的用户：因{原因}，需于{开始时间}至{结束时间}对{范围}临时停电检修。"
        "给您带来不便敬请谅解。网格客户经理{网格经理}，电话{经理电话}；供电服务热线{热线}。",
    ),
    "fault": (
        "故障停电通知",
        "【{供电所}】尊敬的用户：因{原因}，{范围}自{开始时间}起停电，抢修人员正在全力抢修，"
        "预计{结束时间}前恢复供电。网格客户经理{网格经理}，电话{经理电话}；供电服务热线{热线}。",
    ),
    "restoration": (
        "送电通知",
        "【{供电所}】尊敬的用户：{范围}已于{恢复时间}恢复供电，感谢您的理解与支持。"
        "如仍无电，请联系网格客户经理{网格经理}（{经理电话}）或拨打{热线}。",
    ),
    "cancelled": (
        "取消停电通知",
        "【{供电所}】尊敬的用户：原定于{开始时间}至{结束时间}对{范围}的停电已取消（{取消原因}），"
        "届时正常供电。网格客户经理{网格经理}，电话{经理电话}；供电服务热线{热线}。",
    ),
}

TEMPLATE_KEY = "outage.template.{}"


def template_name(outage: Outage, kind: str) -> str:
    """Which template a message of `kind` about `outage` uses."""
    if kind == RESTORATION:
        return "restoration"
    if kind == CANCELLATION:
        return "cancelled"
    return OutageKind(outage.kind).value


def get_template(session: Session, name: str) -> str:
    if name not in DEFAULT_TEMPLATES:
        raise NotFound(f"没有名为“{name}”的通知模板。")
    row = session.get(Setting, TEMPLATE_KEY.format(name))
    return row.value if row is not None and row.value.strip() else DEFAULT_TEMPLATES[name][1]


def set_template(*, session: Session, actor: Actor, name: str, text: str) -> None:
    """Save an edited template (blank: back to the default). Refuses unknown
    placeholders, which would show in every message."""
    actor.require(Permission.dispatch)
    if name not in DEFAULT_TEMPLATES:
        raise NotFound(f"没有名为“{name}”的通知模板。")
    text = text.strip()
    unknown = templates.unknown_placeholders(text)
    if unknown:
        raise InvalidInput(
            "模板中有不认识的占位符：" + "、".join("{" + u + "}" for u in unknown)
            + "。可用：" + "、".join("{" + p + "}" for p in templates.PLACEHOLDERS),
            "template",
        )  # fmt: skip
    key = TEMPLATE_KEY.format(name)
    row = session.get(Setting, key)
    before = {"value": row.value} if row is not None else None
    if row is None:
        row = Setting(key=key, value=text)
    else:
        row.value = text
    session.add(row)
    audit.record(session, actor, "update", "setting", key, before=before, after={"value": text})


# =========================================================================== targets


@dataclass(frozen=True)
class MessageTarget:
    """One person to tell: a contact or a grid manager, with the message for them."""

    contact_id: int | None
    staff_id: int | None
    who: str  # 楼长 / 物业 / … / 网格经理
    name: str
    phone: str
    wechat_group: str
    where: str
    message: str


def _when(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    return f"{value.month}月{value.day}日{value:%H:%M}"


def _place_text(place: PlaceHit, building: str = "") -> str:
    where = place.name or place.community
    if building:
        return f"{where}{building}"
    if place.buildings:
        shown = place.buildings[:12]
        return f"{where}（{'、'.join(shown)}{'等' if len(place.buildings) > 12 else ''}）"
    return where


def _contact_scope(c: ContactHit, aff: Affected) -> str:
    if c.compound_id is not None:
        for p in aff.compounds:
            if p.compound_id == c.compound_id:
                return _place_text(p, c.building)
    places = [p for p in aff.places if p.community == c.community] or aff.places
    if c.compound_id is None and c.community and not places:
        return c.community
    names = [p.name or p.community for p in places[:8]]
    return "、".join(names) + ("等" if len(places) > 8 else "")


def _grid_scope(g: GridHit, aff: Affected) -> str:
    places = [p for p in aff.places if p.grid_id == g.id]
    names = [p.name or p.community for p in places[:8]]
    return f"{g.name}：" + ("、".join(names) + ("等" if len(places) > 8 else "") or "辖区")


def _values(session: Session, outage: Outage) -> dict[str, object]:
    station = session.execute(select(Station).limit(1)).scalar_one_or_none()
    kind = OutageKind(outage.kind)
    start = outage.actual_start if kind is OutageKind.fault and outage.actual_start else None
    return {
        "供电所": station.name if station else None,
        "类型": kind.label,
        "开始时间": _when(start or outage.planned_start),
        "结束时间": _when(outage.planned_end),
        "原因": outage.reason,
        "热线": station.hotline if station else None,
        "恢复时间": _when(outage.actual_end),
        "取消原因": outage.cancel_reason,
    }


def targets(session: Session, outage_id: int, kind: str = NOTICE) -> list[MessageTarget]:
    """Everyone to tell about the outage, each with the message filled in."""
    if kind not in KINDS:
        raise InvalidInput(f"未知的通知类别“{kind}”。", "kind")
    outage = session.get(Outage, outage_id)
    if outage is None:
        raise NotFound(f"找不到停电事件（{outage_id}）。")
    aff = affected(session, outage_id)
    text = get_template(session, template_name(outage, kind))
    base = _values(session, outage)
    grids = {g.id: g for g in aff.grids}
    out: list[MessageTarget] = []
    for c in aff.contacts:
        g = grids.get(c.grid_id) if c.grid_id is not None else None
        scope = _contact_scope(c, aff)
        values = base | {
            "范围": scope,
            "网格经理": g.manager if g else None,
            "经理电话": g.manager_phone if g else None,
        }
        out.append(
            MessageTarget(
                c.id, None, c.kind.label, c.name, c.phone, c.wechat_group,
                "　".join(x for x in (c.community, c.compound, c.building) if x),
                templates.fill(text, values),
            )
        )  # fmt: skip
    for g in aff.grids:
        if g.manager_id is None:
            continue
        scope = _grid_scope(g, aff)
        values = base | {"范围": scope, "网格经理": g.manager, "经理电话": g.manager_phone}
        out.append(
            MessageTarget(
                None, g.manager_id, "网格经理", g.manager, g.manager_phone, "", g.name,
                templates.fill(text, values),
            )
        )  # fmt: skip
    return out


#: What a template preview fills in when no outage is chosen.
SAMPLE_VALUES: dict[str, object] = {
    "供电所": "清河县城关供电所", "类型": "计划停电", "开始时间": "12月5日08:00",
    "结束时间": "12月5日18:00", "范围": "幸福小区1号楼", "原因": "10kV线路检修",
    "热线": "95598", "网格经理": "张伟", "经理电话": "13900001111",
    "恢复时间": "12月5日17:40", "取消原因": "天气原因",
}  # fmt: skip


def preview(session: Session, text: str, outage_id: int | None = None) -> str:
    """`text` as the first person told about `outage_id` would read it (sample
    values when no outage is given or it reaches nobody)."""
    values = dict(SAMPLE_VALUES)
    outage = session.get(Outage, outage_id) if outage_id is not None else None
    if outage is not None and outage.id is not None:
        values |= _values(session, outage)
        aff = affected(session, outage.id)
        if aff.contacts:
            c = aff.contacts[0]
            grid = next((g for g in aff.grids if g.id == c.grid_id), None)
            values |= {
                "范围": _contact_scope(c, aff),
                "网格经理": grid.manager if grid else None,
                "经理电话": grid.manager_phone if grid else None,
            }
    return templates.fill(text, values)


# =========================================================================== checklist


@dataclass(frozen=True)
class NotificationRow:
    id: int
    kind: str
    contact_id: int | None
    staff_id: int | None
    who: str
    name: str
    phone: str
    where: str
    channel: NotifyChannel
    message: str
    sent_at: dt.datetime | None

    @property
    def pending(self) -> bool:
        return self.sent_at is None


def generate(*, session: Session, actor: Actor, outage_id: int, kind: str = NOTICE) -> int:
    """Add a pending notification for each target that has none of this kind
    yet; refresh the text of those still pending. Returns how many were added.
    Notices need an outage still to come or going on, restoration messages the
    power back, cancellation messages a cancelled outage."""
    actor.require(Permission.edit)
    outage = session.get(Outage, outage_id)
    if outage is None:
        raise NotFound(f"找不到停电事件（{outage_id}）。")
    if kind not in KINDS:
        raise InvalidInput(f"未知的通知类别“{kind}”。", "kind")
    if outage.status not in KIND_STATUSES[kind]:
        raise InvalidInput(
            KIND_REFUSED[kind].format(status=OutageStatus(outage.status).label), "kind"
        )
    existing = {
        (n.contact_id, n.staff_id): n
        for n in session.execute(
            select(OutageNotification).where(
                col(OutageNotification.outage_id) == outage_id,
                col(OutageNotification.kind) == kind,
            )
        ).scalars()
    }
    added = 0
    for t in targets(session, outage_id, kind):
        note = existing.get((t.contact_id, t.staff_id))
        if note is None:
            session.add(
                OutageNotification(
                    outage_id=outage_id, kind=kind, contact_id=t.contact_id,
                    staff_id=t.staff_id, channel=NotifyChannel.wechat, message=t.message,
                )
            )  # fmt: skip
            added += 1
        elif note.sent_at is None and note.message != t.message:
            note.message = t.message
            session.add(note)
    session.flush()
    audit.record(
        session, actor, "generate", "outage_notification", outage_id,
        after={"kind": kind, "added": added},
    )  # fmt: skip
    return added


def notifications(
    session: Session, outage_id: int, kind: str | None = None
) -> list[NotificationRow]:
    """The checklist: pending first, then by when they were sent."""
    stmt = (
        select(
            OutageNotification, col(Contact.kind), col(Contact.name), col(Contact.phone),
            col(Staff.name), col(Staff.phone), col(AdminArea.name), col(Compound.name),
            col(Building.name),
        )
        .outerjoin(Contact, col(Contact.id) == col(OutageNotification.contact_id))
        .outerjoin(AdminArea, col(AdminArea.id) == col(Contact.community_id))
        .outerjoin(Compound, col(Compound.id) == col(Contact.compound_id))
        .outerjoin(Building, col(Building.id) == col(Contact.building_id))
        .outerjoin(Staff, col(Staff.id) == col(OutageNotification.staff_id))
        .where(col(OutageNotification.outage_id) == outage_id)
        .order_by(
            col(OutageNotification.kind), col(OutageNotification.sent_at).is_not(None),
            col(OutageNotification.sent_at), col(OutageNotification.id),
        )
    )  # fmt: skip
    if kind is not None:
        stmt = stmt.where(col(OutageNotification.kind) == kind)
    out = []
    for n, ckind, cname, cphone, sname, sphone, *places in session.execute(stmt).all():
        where = "　".join(x for x in places if x)
        who = ContactKind(ckind).label if ckind else ("网格经理" if n.staff_id else "")
        out.append(
            NotificationRow(
                n.id, n.kind, n.contact_id, n.staff_id, who, cname or sname or "",
                cphone or sphone or "", where, NotifyChannel(n.channel), n.message, n.sent_at,
            )
        )  # fmt: skip
    return out


def mark_sent(
    *,
    session: Session,
    actor: Actor,
    notification_id: int,
    channel: NotifyChannel,
    at: dt.datetime | None = None,
) -> OutageNotification:
    """Record that the message went out, by `channel`, at `at` (now)."""
    actor.require(Permission.edit)
    note = session.get(OutageNotification, notification_id)
    if note is None:
        raise NotFound(f"找不到通知记录（{notification_id}）。")
    if note.sent_at is not None:
        raise InvalidInput(f"这条通知已于 {note.sent_at:%m-%d %H:%M} 发出。", "sent_at")
    moment = (at or now()).replace(microsecond=0)
    if moment > now() + dt.timedelta(minutes=5):
        raise InvalidInput("发送时间不能晚于现在。", "sent_at")
    before = {"sent_at": None, "channel": note.channel.value}
    note.sent_at, note.channel, note.user_id = moment, NotifyChannel(channel), actor.user_id
    session.add(note)
    session.flush()
    audit.record(
        session, actor, "notify", "outage_notification", note.id, before=before,
        after={"sent_at": moment.isoformat(), "channel": NotifyChannel(channel).value},
    )  # fmt: skip
    return note


# =========================================================================== export

EXPORT_HEADERS = ("类别", "姓名", "手机号码", "微信群", "社区 / 小区 / 楼栋", "短信内容")


def export_contacts(
    db: Database,
    actor: Actor,
    outage_id: int,
    path: Path,
    *,
    kind: str = NOTICE,
    full_phones: bool = True,
) -> int:
    """The contact list with each one's message, as .xlsx for a bulk-SMS
    platform. Phones in full only for a role that may unmask; audited."""
    from gridsvc_desktop.ledgers.spec import Column, LedgerSpec  # lazy: xlsxwriter
    from gridsvc_desktop.ledgers.writer import LedgerWriter

    actor.require(Permission.export)
    masked = not (full_phones and actor.may(Permission.unmask))
    spec = LedgerSpec(
        kind="outage_contacts",
        title="停电通知联系人",
        importable=False,
        columns=(
            Column(name="who", header=EXPORT_HEADERS[0], width=10),
            Column(name="name", header=EXPORT_HEADERS[1], width=12),
            Column(name="phone", header=EXPORT_HEADERS[2], sensitive="phone", width=16),
            Column(name="wechat", header=EXPORT_HEADERS[3], width=18),
            Column(name="where", header=EXPORT_HEADERS[4], width=30),
            Column(name="message", header=EXPORT_HEADERS[5], width=90),
        ),
    )
    path = Path(path)
    with db.read() as session:
        rows = targets(session, outage_id, kind)
        station = session.execute(select(col(Station.name)).limit(1)).scalar() or ""
    writer = LedgerWriter(
        path, spec, station=station, exported_by=actor.username, masked=masked,
        title=f"{station} 停电通知联系人（停电事件 {outage_id}）".strip(),
    )  # fmt: skip
    try:
        for t in rows:
            writer.write_row([t.who, t.name, t.phone, t.wechat_group, t.where, t.message])
    finally:
        written = writer.close()
    with db.write() as session:
        audit.record(
            session, actor, "export", "outage_contacts", outage_id,
            after={"file": path.name, "rows": written, "masked": masked},
        )  # fmt: skip
    return written
