"""Community contacts (楼长, 物业, 门卫, 社区网格员, 社区服务中心): the offline channel
to residents, through which outage notices go.

A contact belongs to a community and, more narrowly, to a compound (小区) and a
building (楼栋) in it, given by name: a compound or building not yet known is
created (addresses and contact lists are how the station learns them). The
contact is linked to the grid laid over its community: the only one there, or
the one the user picks when a community has several. Each contact needs a way
to reach them: a phone or a WeChat group.

A contact that an outage notification names cannot be deleted (the record of
who was told must keep its name); edit it instead when the person changes.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from gridsvc_desktop.db.models import (
    AdminArea,
    Building,
    Compound,
    Contact,
    Grid,
    OutageNotification,
)
from gridsvc_desktop.domain import normalize
from gridsvc_desktop.domain.enums import AreaLevel, ContactKind
from gridsvc_desktop.services import audit
from gridsvc_desktop.services.actor import Actor, Permission
from gridsvc_desktop.services.common import InvalidInput, NotFound, apply_update, get_or_raise
from gridsvc_desktop.services.grids import community_grids, ensure_building, ensure_compound

#: Contacts listed at most at once (a county has a few thousand).
MAX_LIST = 20_000


@dataclass
class ContactInput:
    kind: ContactKind
    name: str
    community_id: int | None
    phone: str = ""
    wechat_group: str = ""
    compound: str = ""
    building: str = ""
    #: Which of the community's grids; None: the community's only grid.
    grid_id: int | None = None
    notes: str = ""


def _values(session: Session, actor: Actor, data: ContactInput) -> dict[str, object]:
    name = normalize.clean_text(data.name)
    if not name:
        raise InvalidInput("姓名（名称）不能为空。", "name")
    if data.community_id is None:
        raise InvalidInput("请选择所属社区（村）。", "community_id")
    community = get_or_raise(session, AdminArea, data.community_id, "社区")
    if community.level != AreaLevel.community:
        raise InvalidInput("联系人须属于社区（村）。", "community_id")
    phone = ""
    if normalize.clean_text(data.phone):
        try:
            phone = normalize.phone(data.phone)
        except normalize.NormalizeError as exc:
            raise InvalidInput(f"电话：{exc}", "phone") from exc
    group = normalize.clean_text(data.wechat_group)
    if not phone and not group:
        raise InvalidInput("电话和微信群至少填一项，否则无法联系。", "phone")
    compound_name = normalize.clean_text(data.compound)
    building_name = normalize.clean_text(data.building)
    if building_name and not compound_name:
        raise InvalidInput("填写楼栋时须同时填写小区。", "compound")
    compound_id = building_id = None
    if compound_name:
        compound_id = ensure_compound(session, actor, data.community_id, compound_name).id
        if building_name:
            assert compound_id is not None
            building_id = ensure_building(session, actor, compound_id, building_name).id
    grids = community_grids(session, data.community_id)
    if data.grid_id is not None:
        if data.grid_id not in grids:
            raise InvalidInput("所选网格不在该社区上。", "grid_id")
        grid_id: int | None = data.grid_id
    else:
        grid_id = grids[0] if len(grids) == 1 else None
    return {
        "kind": data.kind,
        "name": name,
        "phone": phone,
        "wechat_group": group,
        "community_id": data.community_id,
        "compound_id": compound_id,
        "building_id": building_id,
        "grid_id": grid_id,
        "notes": data.notes.strip(),
    }


def create_contact(*, session: Session, actor: Actor, data: ContactInput) -> Contact:
    actor.require(Permission.manage_grids)
    values = _values(session, actor, data)
    contact = Contact(**values)  # type: ignore[arg-type]
    session.add(contact)
    session.flush()
    audit.record(session, actor, "create", "contact", contact.id, after=contact)
    return contact


def update_contact(
    *, session: Session, actor: Actor, contact_id: int, data: ContactInput
) -> Contact:
    actor.require(Permission.manage_grids)
    contact = get_or_raise(session, Contact, contact_id, "联系人")
    apply_update(session, actor, contact, _values(session, actor, data), entity="contact")
    return contact


def delete_contact(*, session: Session, actor: Actor, contact_id: int) -> None:
    actor.require(Permission.manage_grids)
    contact = get_or_raise(session, Contact, contact_id, "联系人")
    used = session.execute(
        select(func.count())
        .select_from(OutageNotification)
        .where(OutageNotification.contact_id == contact_id)
    ).scalar_one()
    if used:
        raise InvalidInput(
            f"{contact.name} 已有 {used} 条停电通知记录，不能删除；人员变动请修改联系人信息。"
        )
    audit.record(session, actor, "delete", "contact", contact_id, before=contact)
    session.delete(contact)
    session.flush()


@dataclass(frozen=True)
class ContactRow:
    id: int
    kind: ContactKind
    name: str
    phone: str
    wechat_group: str
    community_id: int | None
    community: str
    compound: str
    building: str
    grid_id: int | None
    grid: str
    notes: str

    @property
    def kind_label(self) -> str:
        return self.kind.label


def list_contacts(
    session: Session,
    *,
    community_id: int | None = None,
    kind: ContactKind | None = None,
    grid_id: int | None = None,
    query: str = "",
    contact_id: int | None = None,
    limit: int = MAX_LIST,
) -> list[ContactRow]:
    """Contacts filtered in SQL (community, kind, grid, and text in name, phone,
    WeChat group, compound or building), by community, compound, building, kind."""
    stmt = (
        sa_select(
            Contact,
            col(AdminArea.name),
            col(Compound.name),
            col(Building.name),
            col(Grid.name),
        )
        .outerjoin(AdminArea, col(AdminArea.id) == col(Contact.community_id))
        .outerjoin(Compound, col(Compound.id) == col(Contact.compound_id))
        .outerjoin(Building, col(Building.id) == col(Contact.building_id))
        .outerjoin(Grid, col(Grid.id) == col(Contact.grid_id))
    )
    if community_id is not None:
        stmt = stmt.where(col(Contact.community_id) == community_id)
    if kind is not None:
        stmt = stmt.where(col(Contact.kind) == kind)
    if grid_id is not None:
        stmt = stmt.where(col(Contact.grid_id) == grid_id)
    if contact_id is not None:
        stmt = stmt.where(col(Contact.id) == contact_id)
    text = normalize.clean_text(query)
    if text:
        pattern = f"%{text.replace('%', '').replace('_', '')}%"
        stmt = stmt.where(
            col(Contact.name).like(pattern)
            | col(Contact.phone).like(pattern)
            | col(Contact.wechat_group).like(pattern)
            | col(Compound.name).like(pattern)
            | col(Building.name).like(pattern)
        )
    stmt = stmt.order_by(
        col(AdminArea.name),
        col(Compound.name),
        col(Building.name),
        col(Contact.kind),
        col(Contact.id),
    ).limit(limit)
    return [
        ContactRow(
            id=c.id,
            kind=c.kind,
            name=c.name,
            phone=c.phone,
            wechat_group=c.wechat_group,
            community_id=c.community_id,
            community=community or "",
            compound=compound or "",
            building=building or "",
            grid_id=c.grid_id,
            grid=grid or "",
            notes=c.notes,
        )
        for c, community, compound, building, grid in session.execute(stmt).all()
    ]


def get_contact(session: Session, contact_id: int) -> ContactRow:
    rows = list_contacts(session, contact_id=contact_id)
    if not rows:
        raise NotFound(f"找不到联系人（{contact_id}）。")
    return rows[0]


def compound_names(session: Session, community_id: int) -> list[str]:
    return list(
        session.execute(
            select(Compound.name)
            .where(Compound.community_id == community_id)
            .order_by(col(Compound.name))
        ).scalars()
    )


def building_names(session: Session, community_id: int, compound: str) -> list[str]:
    return list(
        session.execute(
            select(Building.name)
            .join(Compound, col(Compound.id) == col(Building.compound_id))
            .where(Compound.community_id == community_id, Compound.name == compound)
            .order_by(func.length(Building.name), col(Building.name))
        ).scalars()
    )
