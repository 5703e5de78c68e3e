"""网格服务公示牌: the card posted in a compound, readable from a metre away.

Grid name, the grid customer manager's name and phone (large), the grid's
people and what each does, the station teams behind them, the communities and
compounds the grid covers, the service commitments (repair arrival limit for
the grid's area class and the rest, from the SLA policy) and the hotline.

Phones on the card are the grid staff's published service numbers and are
printed in full; the card carries no customer data.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from reportlab.lib import colors
from reportlab.platypus import Flowable, KeepInFrame, Paragraph, Spacer
from sqlalchemy import func, select
from sqlmodel import Session, col

from gridsvc_desktop.db.models import (
    AdminArea,
    Compound,
    Customer,
    Grid,
    GridMember,
    Staff,
    StaffSpecialty,
    TransformerArea,
)
from gridsvc_desktop.domain.enums import AreaClass, GridRole, ServiceMode, Specialty
from gridsvc_desktop.domain.sla import SlaPolicy
from gridsvc_desktop.reports.common import page_info
from gridsvc_desktop.reports.tables import Column, PagedTable
from gridsvc_desktop.reports.template import (
    ACCENT,
    ACCENT_LIGHT,
    INK,
    MUTED,
    Document,
    bold_text,
    escape,
    plain_text,
    style,
)
from gridsvc_desktop.services.common import NotFound
from gridsvc_desktop.services.reports import ReportContext

#: What a person of each specialty does for the customers of a grid.
DUTIES: dict[Specialty, str] = {
    Specialty.general: "网格用电服务总负责，受理诉求、协调办理",
    Specialty.new_connection: "新装、增容、过户等业务",
    Specialty.metering_billing: "抄表、电费、缴费与复电",
    Specialty.inspection: "用电检查、计量装置",
    Specialty.repair: "故障报修、停电抢修",
}


@dataclass
class Person:
    name: str
    position: str
    phone: str
    role: GridRole
    specialties: list[Specialty]

    @property
    def duties(self) -> str:
        if self.role is GridRole.manager:
            extra = [DUTIES[s] for s in self.specialties if s is not Specialty.general]
            return "；".join([DUTIES[Specialty.general], *extra])
        return "；".join(DUTIES[s] for s in self.specialties) or "网格服务"


@dataclass
class CardData:
    code: str
    name: str
    area_class: AreaClass
    mode: ServiceMode
    manager: Person | None
    people: list[Person]
    #: Station teams behind the grid, with the specialties they bring that the
    #: grid's own people do not cover.
    backing: list[tuple[str, list[Specialty]]]
    #: community → compounds (empty list: the community as a whole, e.g. a village)
    places: dict[str, list[str]] = field(default_factory=dict)
    transformer_areas: int = 0
    customers: int = 0


def collect(session: Session, grid_id: int) -> CardData:
    grid = session.get(Grid, grid_id)
    if grid is None:
        raise NotFound(f"找不到网格（{grid_id}）。")
    specs: dict[int, list[Specialty]] = defaultdict(list)
    for sid, sp in session.execute(
        select(col(StaffSpecialty.staff_id), col(StaffSpecialty.specialty))
    ).all():
        specs[sid].append(Specialty(sp))
    members = session.execute(
        select(Staff, col(GridMember.role))
        .join(GridMember, col(GridMember.staff_id) == col(Staff.id))
        .where(col(GridMember.grid_id) == grid_id, col(Staff.active).is_(True))
        .order_by(col(Staff.employee_no))
    ).all()  # fmt: skip
    people: list[Person] = []
    manager: Person | None = None
    for staff, role in members:
        order = [s for s in Specialty if s in specs.get(staff.id, [])]
        is_manager = staff.id == grid.manager_id
        person = Person(
            staff.name, staff.position, staff.phone,
            GridRole.manager if is_manager else GridRole(role), order,
        )  # fmt: skip
        if is_manager:
            manager = person
        else:
            people.append(person)
    if manager is None and grid.manager_id is not None:
        staff = session.get(Staff, grid.manager_id)
        if staff is not None and staff.active:
            manager = Person(
                staff.name, staff.position, staff.phone, GridRole.manager,
                [s for s in Specialty if s in specs.get(staff.id, [])],
            )  # fmt: skip
    covered = {s for p in ([manager] if manager else []) + people for s in p.specialties}
    backing = _backing(session, specs, covered)
    places, tas, customers = _places(session, grid)
    return CardData(
        code=grid.code, name=grid.name, area_class=AreaClass(grid.area_class),
        mode=ServiceMode(grid.service_mode), manager=manager, people=people, backing=backing,
        places=places, transformer_areas=tas, customers=customers,
    )  # fmt: skip


def _backing(
    session: Session, specs: dict[int, list[Specialty]], covered: set[Specialty]
) -> list[tuple[str, list[Specialty]]]:
    """The station teams behind the grid: for each specialty the grid's own people
    lack, the team (of people holding no grid place) with most people in it."""
    placed = set(session.execute(select(col(GridMember.staff_id))).scalars())
    placed |= {m for m in session.execute(select(col(Grid.manager_id))).scalars() if m is not None}
    staff = session.execute(
        select(col(Staff.id), col(Staff.team))
        .where(col(Staff.active).is_(True))
        .order_by(col(Staff.employee_no))
    ).all()  # fmt: skip
    teams: dict[str, list[Specialty]] = {}
    for specialty in (
        Specialty.repair, Specialty.new_connection, Specialty.metering_billing,
        Specialty.inspection,
    ):  # fmt: skip
        if specialty in covered:
            continue
        sizes: dict[str, int] = defaultdict(int)
        for sid, team in staff:
            if sid not in placed and team and specialty in specs.get(sid, []):
                sizes[team] += 1
        if sizes:
            team = max(sizes.items(), key=lambda kv: kv[1])[0]
            teams.setdefault(team, []).append(specialty)
    return list(teams.items())


def _places(session: Session, grid: Grid) -> tuple[dict[str, list[str]], int, int]:
    ta_ids = list(
        session.execute(
            select(col(TransformerArea.id)).where(col(TransformerArea.grid_id) == grid.id)
        ).scalars()
    )
    places: dict[str, list[str]] = defaultdict(list)
    customers = 0
    if ta_ids:
        rows = session.execute(
            select(col(AdminArea.name), col(Compound.name), func.count())
            .select_from(Customer)
            .outerjoin(AdminArea, col(AdminArea.id) == col(Customer.community_id))
            .outerjoin(Compound, col(Compound.id) == col(Customer.compound_id))
            .where(col(Customer.transformer_area_id).in_(ta_ids))
            .group_by(col(AdminArea.name), col(Compound.name))
            .order_by(col(AdminArea.name), col(Compound.name))
        ).all()  # fmt: skip
        for community, compound, n in rows:
            customers += int(n)
            if not community:
                continue
            bucket = places[community]
            if compound and compound not in bucket:
                bucket.append(compound)
    if not places and grid.community_id is not None:
        area = session.get(AdminArea, grid.community_id)
        if area is not None:
            places[area.name] = list(
                session.execute(
                    select(col(Compound.name))
                    .where(col(Compound.community_id) == area.id)
                    .order_by(col(Compound.name))
                ).scalars()
            )
    return dict(places), len(ta_ids), customers


def commitments(policy: SlaPolicy, area: AreaClass) -> list[tuple[str, str, str]]:
    """(what, the figure, the rest) of the service commitments, from the policy."""
    lim = policy.limits
    out = []

    def amount(key: str) -> int | None:
        return lim[key].amount if key in lim else None

    arrival = amount(f"repair.arrival.{area.value}")
    if arrival is not None:
        out.append(("故障抢修", f"{arrival} 分钟", f"内到达现场（本网格属{area.label}）"))
    restore = amount(f"repair.restore.{area.value}")
    if restore is not None:
        out.append(("恢复供电", f"{restore} 小时", "内恢复供电（自到达时限起算，特殊情况除外）"))
    for key, what, rest in (
        ("new_connection.residential", "居民新装", "个工作日内完成全部流程"),
        ("new_connection.low_voltage", "低压非居民新装", "个工作日内完成全部流程"),
        ("meter_calibration", "电能表校验", "个工作日内答复结果"),
    ):
        n = amount(key)
        if n is not None:
            out.append((what, f"{n}", rest))
    reconnection = amount("reconnection")
    if reconnection is not None:
        out.append(("欠费复电", f"{reconnection} 小时", "内恢复供电（缴清欠费后）"))
    planned = amount("outage.notice.planned")
    if planned is not None:
        out.append(("计划停电", f"提前 {planned} 天", "公告停电范围和时间"))
    return out


# --------------------------------------------------------------------------- drawing


class _Band(Flowable):
    """The coloured band at the top: station left, "网格化供电服务" right."""

    def __init__(self, station: str) -> None:
        super().__init__()
        self.station = station

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width, self.height = aw, 40
        return aw, self.height

    def draw(self) -> None:
        c = self.canv
        c.setFillColor(ACCENT)
        c.rect(0, 0, self.width, self.height, stroke=0, fill=1)
        bold_text(c, 14, 14, self.station, 15, color=colors.white)
        plain_text(c, self.width - 14, 15, "网格化供电服务", 13, color=colors.white, align="right")


class _Title(Flowable):
    def __init__(self, title: str, name: str, sub: str) -> None:
        super().__init__()
        self.title, self.name, self.sub = title, name, sub

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width, self.height = aw, 102
        return aw, self.height

    def draw(self) -> None:
        c, w = self.canv, self.width
        bold_text(c, w / 2, 62, self.title, 34, color=ACCENT, align="center", weight=0.045)
        bold_text(c, w / 2, 29, self.name, 23, color=INK, align="center")
        plain_text(c, w / 2, 9, self.sub, 11.5, color=MUTED, align="center")


class _ManagerPanel(Flowable):
    """Photo frame, the manager's name and phone in large type."""

    def __init__(self, manager: Person | None) -> None:
        super().__init__()
        self.manager = manager

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width, self.height = aw, 124
        return aw, self.height

    def draw(self) -> None:
        c, w, h = self.canv, self.width, self.height
        c.setFillColor(ACCENT_LIGHT)
        c.roundRect(0, 0, w, h, 6, stroke=0, fill=1)
        # Photo frame (the printed card gets a photo pasted on).
        c.setStrokeColor(MUTED)
        c.setDash(3, 2)
        c.setFillColor(colors.white)
        c.rect(16, 12, 75, 100, stroke=1, fill=1)
        c.setDash()
        plain_text(c, 53.5, 58, "照片", 12, color=MUTED, align="center")
        x = 114
        if self.manager is None:
            bold_text(c, x, 70, "网格客户经理待定", 24, color=INK)
            plain_text(c, x, 40, "请拨打供电服务热线", 14, color=MUTED)
            return
        plain_text(c, x, 96, "网格客户经理", 13, color=MUTED)
        bold_text(c, x, 64, self.manager.name, 29, color=INK, weight=0.045)
        plain_text(c, x, 40, "联系电话", 13, color=MUTED)
        bold_text(c, x, 11, self.manager.phone or "—", 29, color=ACCENT, weight=0.045)


class _Heading(Flowable):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text
        self.spaceBefore = 8
        self.spaceAfter = 4

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width, self.height = aw, 22
        return aw, self.height

    def draw(self) -> None:
        c = self.canv
        c.setFillColor(ACCENT)
        c.rect(0, 2, 5, 17, stroke=0, fill=1)
        bold_text(c, 13, 4.5, self.text, 16.5, color=INK)


class _Commitments(Flowable):
    """One commitment a line: what, the figure in large accent type, the rest."""

    LINE = 23

    def __init__(self, items: list[tuple[str, str, str]]) -> None:
        super().__init__()
        self.items = items

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width, self.height = aw, self.LINE * len(self.items)
        return aw, self.height

    def draw(self) -> None:
        c = self.canv
        y = self.height - 17
        label_w = 112
        for what, figure, rest in self.items:
            c.setFillColor(ACCENT)
            c.circle(5, y + 5, 2.6, stroke=0, fill=1)
            plain_text(c, 14, y, what, 13.5, color=INK)
            fw = bold_text(c, 14 + label_w, y - 1, figure, 17, color=ACCENT)
            plain_text(c, 14 + label_w + fw + 4, y, rest, 13, color=INK)
            y -= self.LINE


class _Hotline(Flowable):
    def __init__(self, hotline: str, manager: Person | None) -> None:
        super().__init__()
        self.hotline = hotline
        self.manager = manager
        self.spaceBefore = 10

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width, self.height = aw, 66
        return aw, self.height

    def draw(self) -> None:
        c, w, h = self.canv, self.width, self.height
        c.setFillColor(ACCENT)
        c.roundRect(0, 0, w, h, 6, stroke=0, fill=1)
        plain_text(c, 20, h - 25, "供电服务热线", 14, color=colors.white)
        bold_text(c, 20, 12, self.hotline, 30, color=colors.white, weight=0.05)
        if self.manager is not None and self.manager.phone:
            plain_text(c, w - 20, h - 25, "网格客户经理电话", 14, color=colors.white, align="right")
            bold_text(c, w - 20, 12, self.manager.phone, 26, color=colors.white, align="right")


def _places_text(places: dict[str, list[str]]) -> str:
    parts = []
    for community, compounds in places.items():
        parts.append(f"{community}：{'、'.join(compounds)}" if compounds else community)
    return "；".join(parts) or "—"


def build(session: Session, ctx: ReportContext) -> Document:
    assert ctx.params.grid_id is not None
    data = collect(session, ctx.params.grid_id)
    info = page_info(ctx, title=f"{ctx.spec.title}　{data.name}", notice=True, landscape=False)
    info.masked = True  # no customer data on the card
    info.privacy_note = ""
    sub = f"网格编号 {data.code}　·　{data.area_class.label}　·　{data.mode.label}"
    team_rows = []
    for p in ([data.manager] if data.manager else []) + data.people:
        role = "网格客户经理" if p.role is GridRole.manager else (p.position or "网格成员")
        team_rows.append([p.name, role, p.duties, p.phone])
    for team, specialties in data.backing:
        duties = "；".join(DUTIES[s] for s in specialties)
        team_rows.append([team, "专业支撑班组", duties, "由网格经理联系"])
    scope_style = style("large")
    card: list[Flowable] = [
        _Band(ctx.station),
        _Title(ctx.spec.title, data.name, sub),
        _ManagerPanel(data.manager),
        _Heading("服务团队与分工"),
        PagedTable(
            [
                Column("姓名 / 班组", 9),
                Column("岗位", 10),
                Column("负责事项", 24, lines=3),
                Column("联系电话", 11),
            ],
            team_rows,
            size=12,
            padding=3.6,
            empty_text="暂无人员",
        ),
        _Heading("服务范围"),
        Paragraph(escape(_places_text(data.places)), scope_style),
        Spacer(1, 2),
        Paragraph(
            escape(f"共 {data.transformer_areas} 个台区、{data.customers:,} 户客户。"),
            style("note"),
        ),
        _Heading("服务承诺"),
        _Commitments(commitments(ctx.policy, data.area_class)),
        _Hotline(ctx.hotline, data.manager),
    ]
    # One sheet, whatever the team's size: shrunk to fit if it has to be.
    width, height = info.frame_size()
    return Document(info, [KeepInFrame(width, height - 2, card, mode="shrink")])


__all__ = ["DUTIES", "CardData", "build", "collect", "commitments"]
