"""The report catalogue: what can be printed, with which parameters, and building it.

`CATALOGUE` lists the reports (name, Chinese title, parameters). `build_report`
checks the actor may print, fills in the parameters' defaults, collects the data
in one read transaction, lays the PDF out (gridsvc_desktop.reports, imported
only when a report is built: reportlab is not needed to start the program) and
writes an audit row; `record_output` audits a print or a saved file.

Personal data: phones and ID numbers are printed in full only when the actor's
role may unmask and the request does not ask for a masked copy. Documents for
posting (the grid service card, outage notices, reminder slips) never carry a
customer's phone in full, whoever prints them; the phones they do carry in full
are the grid staff's published service numbers.
"""

from __future__ import annotations

import datetime as dt
import importlib
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

from sqlalchemy import func, or_, select
from sqlmodel import Session, col

from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.db.models import (
    AdminArea,
    AppUser,
    Compound,
    Customer,
    Grid,
    Outage,
    Staff,
    Station,
)
from gridsvc_desktop.domain.enums import OutageKind, OutageStatus
from gridsvc_desktop.domain.masking import mask_phone
from gridsvc_desktop.domain.sla import SlaPolicy
from gridsvc_desktop.services import audit
from gridsvc_desktop.services.actor import Actor, Permission
from gridsvc_desktop.services.common import InvalidInput, NotFound
from gridsvc_desktop.services.progress import NullProgress, Progress, checkpoint
from gridsvc_desktop.services.sla_policy import load_policy

__all__ = [
    "CATALOGUE",
    "Choice",
    "Param",
    "ReportContext",
    "ReportParams",
    "ReportResult",
    "ReportSpec",
    "build_report",
    "choices",
    "get_spec",
    "period_of",
    "record_output",
]


class Param(StrEnum):
    """A parameter a report takes (the UI builds its form from these)."""

    period = "period"  # start and end dates
    grid = "grid"
    staff = "staff"
    outage = "outage"
    compound = "compound"  # of the chosen outage
    detail = "detail"  # include the full list


@dataclass(frozen=True)
class ReportSpec:
    name: str
    title: str
    description: str
    params: tuple[Param, ...] = ()
    required: tuple[Param, ...] = ()
    landscape: bool = False
    #: Posted in a compound or handed out: customers' personal data always masked.
    posted: bool = False
    #: Module of gridsvc_desktop.reports that builds it.
    module: str = ""


P = Param
CATALOGUE: tuple[ReportSpec, ...] = (
    ReportSpec(
        "grid_card", "网格服务公示牌",
        "张贴在小区的网格服务公示牌：网格客户经理及电话、服务团队分工、服务范围、"
        "抢修到达时限等服务承诺和服务热线，一米外可看清。",
        (P.grid,), (P.grid,), posted=True, module="grid_card",
    ),
    ReportSpec(
        "grid_roster", "网格人员花名册",
        "全部网格的客户经理、团队成员、专业、电话、台区和客户数。",
        (), (), landscape=True, module="grid_roster",
    ),
    ReportSpec(
        "work_orders", "工单统计报表",
        "一段时间内（日、周、月或任意起止日期）全所、某网格或某人的工单：按类型、渠道、"
        "状态统计，按时率，到达和办结用时，回访满意度，超期清单，图表和工单明细。",
        (P.period, P.grid, P.staff, P.detail), (P.period,), landscape=True,
        module="work_orders",
    ),
    ReportSpec(
        "call_log", "来电记录",
        "一段时间内的来电、去电记录，可按网格筛选，附渠道和类别统计。",
        (P.period, P.grid), (P.period,), landscape=True, module="call_log",
    ),
    ReportSpec(
        "outage_notice", "停电通知（张贴）",
        "按停电事件和小区生成的停电通知，张贴在小区公告栏；不选小区则为每个受影响的小区各生成一页。",
        (P.outage, P.compound), (P.outage,), posted=True, module="outage_notice",
    ),
    ReportSpec(
        "outage_record", "停电通知记录",
        "一次停电的范围、受影响客户，以及通知了谁、何时、以何种方式（含送电通知）。",
        (P.outage,), (P.outage,), landscape=True, module="outage_record",
    ),
    ReportSpec(
        "arrears_list", "欠费清单",
        "按网格、小区、楼栋列出未缴清的欠费客户、月份、金额、违约金和最近的催收。",
        (P.grid,), (), landscape=True, module="arrears",
    ),
    ReportSpec(
        "arrears_slips", "催费通知单",
        "发给欠费客户的电费催缴通知单，每页三张，按小区和楼栋排列，电话打码。",
        (P.grid,), (), posted=True, module="arrears",
    ),
    ReportSpec(
        "coverage", "网格覆盖检查",
        "台区、客户、网格是否都有人负责：未划网格的台区、台区不明的客户、"
        "无经理的网格、缺专业的团队、规模过大、无法按时到达等。",
        (), (), module="coverage",
    ),
)  # fmt: skip

_BY_NAME = {s.name: s for s in CATALOGUE}


def get_spec(name: str) -> ReportSpec:
    try:
        return _BY_NAME[name]
    except KeyError:
        raise NotFound(f"没有名为“{name}”的报表。") from None


@dataclass(frozen=True)
class ReportParams:
    start: dt.date | None = None
    end: dt.date | None = None
    grid_id: int | None = None
    staff_id: int | None = None
    outage_id: int | None = None
    compound_id: int | None = None
    detail: bool = True
    #: Ask for a masked copy even if the role may see full numbers.
    masked: bool = False

    def for_audit(self) -> dict[str, Any]:
        return {
            k: (v.isoformat() if isinstance(v, dt.date) else v)
            for k, v in asdict(self).items()
            if v is not None
        }


def period_of(kind: str, anchor: dt.date) -> tuple[dt.date, dt.date]:
    """The day, week (Monday–Sunday) or month that contains `anchor`."""
    if kind == "day":
        return anchor, anchor
    if kind == "week":
        start = anchor - dt.timedelta(days=anchor.weekday())
        return start, start + dt.timedelta(days=6)
    if kind == "month":
        start = anchor.replace(day=1)
        nxt = (start + dt.timedelta(days=32)).replace(day=1)
        return start, nxt - dt.timedelta(days=1)
    raise InvalidInput(f"未知的统计周期“{kind}”（应为 day、week 或 month）。", "period")


@dataclass
class ReportContext:
    """What a report module is given besides the session."""

    spec: ReportSpec
    params: ReportParams
    station: str
    county: str
    hotline: str
    generated_at: dt.datetime
    generated_by: str
    #: Phones and ID numbers in full (never for customers on posted documents).
    unmask: bool
    policy: SlaPolicy
    progress: Progress = field(default_factory=NullProgress)

    @property
    def masked(self) -> bool:
        return not self.unmask

    def phone(self, phone: str) -> str:
        return phone if self.unmask else mask_phone(phone)

    @property
    def period_text(self) -> str:
        p = self.params
        if p.start is None or p.end is None:
            return ""
        if p.start == p.end:
            return f"统计日期：{p.start:%Y-%m-%d}"
        return f"统计期间：{p.start:%Y-%m-%d} 至 {p.end:%Y-%m-%d}"

    @property
    def period_bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """[start 00:00, the day after end 00:00) of the period."""
        p = self.params
        assert p.start is not None and p.end is not None
        start = dt.datetime.combine(p.start, dt.time())
        return start, dt.datetime.combine(p.end + dt.timedelta(days=1), dt.time())


@dataclass
class ReportResult:
    name: str
    title: str
    data: bytes
    pages: int
    page_sizes: list[tuple[float, float]]
    masked: bool
    landscape: bool
    generated_at: dt.datetime
    params: ReportParams
    elapsed_s: float = 0.0

    @property
    def file_name(self) -> str:
        """A file name to offer when saving: 工单统计报表_20261120_1015.pdf."""
        return f"{self.title}_{self.generated_at:%Y%m%d_%H%M}.pdf"


# --------------------------------------------------------------------------- choices


@dataclass(frozen=True)
class Choice:
    id: int
    label: str


def grid_choices(session: Session) -> list[Choice]:
    rows = session.execute(
        select(col(Grid.id), col(Grid.code), col(Grid.name)).order_by(col(Grid.code))
    ).all()
    return [Choice(r[0], f"{r[1]} {r[2]}") for r in rows]


def staff_choices(session: Session) -> list[Choice]:
    rows = session.execute(
        select(col(Staff.id), col(Staff.name), col(Staff.employee_no), col(Staff.active))
        .order_by(col(Staff.active).desc(), col(Staff.employee_no))
    ).all()  # fmt: skip
    return [Choice(r[0], f"{r[1]}（{r[2]}{'' if r[3] else '，已停用'}）") for r in rows]


def outage_label(o: Outage) -> str:
    return (
        f"{o.planned_start:%Y-%m-%d %H:%M} {OutageKind(o.kind).label}"
        f"·{OutageStatus(o.status).label} {o.reason}"
    )


def outage_choices(session: Session, *, limit: int = 300) -> list[Choice]:
    rows = session.execute(
        select(Outage).order_by(col(Outage.planned_start).desc()).limit(limit)
    ).scalars()
    return [Choice(o.id, outage_label(o)) for o in rows if o.id is not None]


@dataclass(frozen=True)
class AffectedCompound:
    compound_id: int | None
    name: str
    community: str
    customers: int


def affected_compounds(session: Session, outage_id: int) -> list[AffectedCompound]:
    """Compounds whose customers an outage reaches, largest first; customers
    with no compound are gathered per community (compound_id None)."""
    from gridsvc_desktop.services.outages import area_ids

    ta_ids = area_ids(session, outage_id)
    if not ta_ids:
        return []
    rows = session.execute(
        select(
            col(Customer.compound_id), col(Compound.name), col(AdminArea.name), func.count()
        )
        .outerjoin(Compound, col(Compound.id) == col(Customer.compound_id))
        .outerjoin(AdminArea, col(AdminArea.id) == col(Customer.community_id))
        .where(col(Customer.transformer_area_id).in_(ta_ids))
        .group_by(col(Customer.compound_id), col(Compound.name), col(AdminArea.name))
    ).all()  # fmt: skip
    out = [AffectedCompound(r[0], r[1] or "", r[2] or "", int(r[3])) for r in rows]
    return sorted(out, key=lambda a: (a.compound_id is None, -a.customers, a.name))


def compound_choices(session: Session, outage_id: int) -> list[Choice]:
    return [
        Choice(a.compound_id, f"{a.name}（{a.community}，{a.customers} 户）")
        for a in affected_compounds(session, outage_id)
        if a.compound_id is not None
    ]


def choices(session: Session, param: Param, params: ReportParams | None = None) -> list[Choice]:
    """The values the UI offers for `param` (compounds: those of the chosen outage)."""
    if param is Param.grid:
        return grid_choices(session)
    if param is Param.staff:
        return staff_choices(session)
    if param is Param.outage:
        return outage_choices(session)
    if param is Param.compound:
        if params is None or params.outage_id is None:
            return []
        return compound_choices(session, params.outage_id)
    return []


# --------------------------------------------------------------------------- building


def _normalised(spec: ReportSpec, params: ReportParams, today: dt.date) -> ReportParams:
    values = asdict(params)
    if Param.period in spec.params:
        start, end = params.start, params.end
        if start is None and end is None:
            start, end = today.replace(day=1), today
        elif start is None:
            start = end
        elif end is None:
            end = start
        assert start is not None and end is not None
        if end < start:
            raise InvalidInput("统计期间的结束日期早于开始日期。", "period")
        if (end - start).days > 3660:
            raise InvalidInput("统计期间不能超过十年。", "period")
        values.update(start=start, end=end)
    else:
        values.update(start=None, end=None)
    for param, key in (
        (Param.grid, "grid_id"),
        (Param.staff, "staff_id"),
        (Param.outage, "outage_id"),
        (Param.compound, "compound_id"),
    ):
        if param not in spec.params:
            values[key] = None
        elif param in spec.required and values[key] is None:
            raise InvalidInput(f"“{spec.title}”需要选择{_PARAM_WORDS[param]}。", param.value)
    if Param.detail not in spec.params:
        values["detail"] = True
    return ReportParams(**values)


_PARAM_WORDS = {
    Param.grid: "网格",
    Param.staff: "人员",
    Param.outage: "停电事件",
    Param.compound: "小区",
    Param.period: "统计期间",
}


def _who(session: Session, actor: Actor) -> str:
    if actor.user_id is not None:
        user = session.get(AppUser, actor.user_id)
        if user is not None and user.display_name and user.display_name != user.username:
            return f"{user.display_name}（{user.username}）"
    return actor.username


def _check_refs(session: Session, params: ReportParams) -> None:
    for model, key, what in (
        (Grid, params.grid_id, "网格"),
        (Staff, params.staff_id, "人员"),
        (Outage, params.outage_id, "停电事件"),
        (Compound, params.compound_id, "小区"),
    ):
        if key is not None and session.get(model, key) is None:
            raise NotFound(f"找不到{what}（{key}）。")


def build_report(
    db: Database,
    actor: Actor,
    name: str,
    params: ReportParams | None = None,
    *,
    progress: Progress | None = None,
    now: dt.datetime | None = None,
) -> ReportResult:
    """Build report `name` as a PDF (in memory), audited as action "report"."""
    actor.require(Permission.print)
    spec = get_spec(name)
    progress = progress or NullProgress()
    started = time.perf_counter()
    at = (now or dt.datetime.now()).replace(microsecond=0)
    params = _normalised(spec, params or ReportParams(), at.date())
    unmask = actor.may(Permission.unmask) and not params.masked and not spec.posted
    checkpoint(progress, 0, 100, "正在查询数据")
    module = importlib.import_module(f"gridsvc_desktop.reports.{spec.module}")
    from gridsvc_desktop.reports import template

    with db.read() as session:
        _check_refs(session, params)
        station = session.execute(select(Station).limit(1)).scalar_one_or_none()
        ctx = ReportContext(
            spec=spec,
            params=params,
            station=station.name if station else "",
            county=station.county if station else "",
            hotline=station.hotline if station else "95598",
            generated_at=at,
            generated_by=_who(session, actor),
            unmask=unmask,
            policy=load_policy(session),
            progress=progress,
        )
        document: template.Document = module.build(session, ctx)
    checkpoint(progress, 10, 100, "正在排版")
    rendered = template.render(document.info, document.story, progress=progress)
    result = ReportResult(
        name=spec.name,
        title=document.info.title,
        data=rendered.data,
        pages=rendered.pages,
        page_sizes=rendered.page_sizes,
        masked=document.info.masked,
        landscape=document.info.landscape,
        generated_at=at,
        params=params,
        elapsed_s=time.perf_counter() - started,
    )
    with db.write() as session:
        audit.record(
            session, actor, "report", "report", spec.name,
            after={"title": result.title, "pages": result.pages, "masked": result.masked,
                   "params": params.for_audit()},
        )  # fmt: skip
    return result


def record_output(
    db: Database, actor: Actor, result: ReportResult, how: str, *, target: str = "", pages: int = 0
) -> None:
    """Audit that a built report was printed (`how` = "print") or saved ("save")."""
    if how not in ("print", "save"):
        raise ValueError(f"unknown output {how!r}")
    actor.require(Permission.print)
    with db.write() as session:
        audit.record(
            session, actor, f"report_{how}", "report", result.name,
            after={"title": result.title, "pages": pages or result.pages,
                   "masked": result.masked, "target": target,
                   "generated_at": result.generated_at.isoformat()},
        )  # fmt: skip


# --------------------------------------------------------------------------- lookups for the CLI


def find_grid(session: Session, text: str) -> int:
    """A grid by id, code or name (the CLI's --grid)."""
    text = text.strip()
    conds = [col(Grid.code) == text, col(Grid.name) == text]
    if text.isdigit():
        conds.append(col(Grid.id) == int(text))
    ids = list(dict.fromkeys(session.execute(select(col(Grid.id)).where(or_(*conds))).scalars()))
    if len(ids) != 1:
        raise NotFound(f"找不到网格“{text}”（可用编号、名称或序号）。")
    return int(ids[0])


def find_staff(session: Session, text: str) -> int:
    """A person by id, employee number or (unique) name (the CLI's --staff)."""
    text = text.strip()
    conds = [col(Staff.employee_no) == text, col(Staff.name) == text]
    if text.isdigit():
        conds.append(col(Staff.id) == int(text))
    ids = list(dict.fromkeys(session.execute(select(col(Staff.id)).where(or_(*conds))).scalars()))
    if len(ids) != 1:
        what = "重名，请用工号" if len(ids) > 1 else "不存在"
        raise NotFound(f"人员“{text}”{what}。")
    return int(ids[0])


def find_compound(session: Session, text: str, outage_id: int | None = None) -> int:
    text = text.strip()
    if text.isdigit() and session.get(Compound, int(text)) is not None:
        return int(text)
    stmt = select(col(Compound.id)).where(col(Compound.name) == text)
    ids: Sequence[int] = list(session.execute(stmt).scalars())
    if outage_id is not None and len(ids) > 1:
        affected = {a.compound_id for a in affected_compounds(session, outage_id)}
        ids = [i for i in ids if i in affected]
    if len(ids) != 1:
        raise NotFound(f"找不到小区“{text}”，或有重名（请用序号）。")
    return int(ids[0])
