"""网格人员花名册: every grid with its manager, team, specialties, phones,
transformer areas and customer counts (customer counts from services.grid_figures).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from reportlab.platypus import Flowable
from sqlalchemy import select
from sqlmodel import Session, col

from gridsvc_desktop.db.models import (
    AdminArea,
    Feeder,
    Grid,
    GridMember,
    Staff,
    StaffLeave,
    StaffSpecialty,
    TransformerArea,
)
from gridsvc_desktop.domain.enums import AreaClass, GridRole, ServiceMode, Specialty
from gridsvc_desktop.reports.common import page_info
from gridsvc_desktop.reports.tables import Column, GroupRow, PagedTable, TotalRow
from gridsvc_desktop.reports.template import Document, KpiStrip, TitleBlock, section
from gridsvc_desktop.services.grid_figures import all_grid_figures
from gridsvc_desktop.services.reports import ReportContext

GRID_COLUMNS = [
    Column("编号", 5), Column("网格名称", 10), Column("社区/村", 8), Column("区域", 4),
    Column("服务模式", 7), Column("网格客户经理", 7), Column("经理电话", 8.5),
    Column("人员", 4, "right"), Column("台区", 4, "right"), Column("客户数", 5.5, "right"),
]  # fmt: skip

PEOPLE_COLUMNS = [
    Column("角色", 7), Column("姓名", 6), Column("工号", 6), Column("班组", 9), Column("岗位", 8),
    Column("专业", 11, lines=2), Column("电话", 9), Column("状态", 12, lines=2),
]  # fmt: skip

TA_COLUMNS = [
    Column("台区编号", 9), Column("台区名称", 14), Column("10kV 线路", 12),
    Column("容量（kVA）", 7, "right"), Column("客户数", 6, "right"),
]  # fmt: skip


def build(session: Session, ctx: ReportContext) -> Document:
    figures = all_grid_figures(session, now=ctx.generated_at)
    grids = list(session.execute(select(Grid).order_by(col(Grid.code))).scalars())
    communities = dict(session.execute(select(col(AdminArea.id), col(AdminArea.name))).all())
    staff = {s.id: s for s in session.execute(select(Staff)).scalars()}
    specialties: dict[int, list[Specialty]] = defaultdict(list)
    for sid, sp in session.execute(
        select(col(StaffSpecialty.staff_id), col(StaffSpecialty.specialty))
    ).all():
        specialties[sid].append(Specialty(sp))
    members: dict[int, list[tuple[int, GridRole]]] = defaultdict(list)
    for gid, sid, role in session.execute(
        select(col(GridMember.grid_id), col(GridMember.staff_id), col(GridMember.role))
    ).all():
        members[gid].append((sid, GridRole(role)))
    today = ctx.generated_at.date()
    on_leave = {
        sid: (sub, end)
        for sid, sub, end in session.execute(
            select(col(StaffLeave.staff_id), col(StaffLeave.substitute_id), col(StaffLeave.end))
            .where(col(StaffLeave.start) <= today, col(StaffLeave.end) >= today)
        ).all()
    }  # fmt: skip

    def status(sid: int) -> str:
        person = staff[sid]
        if not person.active:
            return "已停用"
        if sid in on_leave:
            sub, end = on_leave[sid]
            who = staff[sub].name if sub in staff else "无"
            return f"请假至{end:%m-%d}，代班{who}"
        return "在岗"

    grid_rows: list[Any] = []
    people_rows: list[Any] = []
    ta_rows: list[Any] = []
    for g in grids:
        assert g.id is not None
        f = figures.grid(g.id)
        manager = staff.get(g.manager_id) if g.manager_id is not None else None
        grid_rows.append(
            [
                g.code, g.name, communities.get(g.community_id, "") if g.community_id else "",
                AreaClass(g.area_class).label, ServiceMode(g.service_mode).label,
                manager.name if manager else "（未指定）",
                ctx.phone(manager.phone) if manager else "", f"{f.staff:,}",
                f"{f.transformer_areas:,}", f"{f.customers:,}",
            ]
        )  # fmt: skip
        people_rows.append(GroupRow(f"{g.code} {g.name}"))
        seats = list(members.get(g.id, []))
        if g.manager_id is not None and all(sid != g.manager_id for sid, _ in seats):
            seats.insert(0, (g.manager_id, GridRole.manager))
        seats.sort(key=lambda s: (s[0] != g.manager_id, staff[s[0]].employee_no))
        for sid, role in seats:
            person = staff[sid]
            is_manager = sid == g.manager_id
            people_rows.append(
                [
                    GridRole.manager.label if is_manager else role.label, person.name,
                    person.employee_no, person.team, person.position,
                    "、".join(s.label for s in Specialty if s in specialties.get(sid, [])),
                    ctx.phone(person.phone), status(sid),
                ]
            )  # fmt: skip
        if not seats:
            people_rows.append(["（无人员）", "", "", "", "", "", "", ""])
    total = figures.total
    grid_rows.append(
        TotalRow(
            ["合计", f"{len(grids)} 个网格", "", "", "", "", "", f"{total.staff:,}",
             f"{total.transformer_areas:,}", f"{total.customers:,}"]
        )
    )  # fmt: skip

    feeders = dict(session.execute(select(col(Feeder.id), col(Feeder.name))).all())
    tas: dict[int | None, list[TransformerArea]] = defaultdict(list)
    for ta in session.execute(
        select(TransformerArea).order_by(col(TransformerArea.code))
    ).scalars():
        tas[ta.grid_id].append(ta)
    names = {g.id: f"{g.code} {g.name}" for g in grids}
    for gid in [g.id for g in grids] + [None]:
        if not tas.get(gid):
            continue
        label = names.get(gid) if gid is not None else "未划入网格的台区"
        ta_rows.append(GroupRow(f"{label}（{len(tas[gid])} 个台区）"))
        for ta in tas[gid]:
            ta_rows.append(
                [
                    ta.code, ta.name, feeders.get(ta.feeder_id, "") if ta.feeder_id else "",
                    f"{ta.capacity_kva:,}", f"{figures.ta_customers.get(ta.id or 0, 0):,}",
                ]
            )  # fmt: skip

    info = page_info(ctx, scope=f"截至 {ctx.generated_at:%Y-%m-%d %H:%M}")
    story: list[Flowable] = [
        TitleBlock(info),
        KpiStrip(
            [
                ("网格", f"{len(grids):,}"),
                ("网格人员", f"{total.staff:,}"),
                ("台区", f"{figures.total.transformer_areas:,}"),
                ("客户", f"{total.customers:,}"),
                ("未划入网格的台区", f"{figures.no_grid.transformer_areas:,}"),
            ]
        ),
        *section("网格一览"),
        PagedTable(GRID_COLUMNS, grid_rows),
        *section("网格人员"),
        PagedTable(PEOPLE_COLUMNS, people_rows),
        *section("台区与客户"),
        PagedTable(TA_COLUMNS, ta_rows),
    ]
    return Document(info, story)
