"""欠费清单 and 催费通知单: the arrears still owed, per grid, compound and building.

An arrears row counts while its status is not "paid"; a customer's months are
added up (amount and the late fee the arrears ledger last gave). A customer
belongs to the grid of its transformer area ("未划入网格" when it has none).

The list is for the collectors (phones in full only if the role may see them).
The reminder slips (催费通知单) are laid out by reports/reminder_slips.py from
the same debtors (`collect`), in the order a collector walks: compound,
building, account number.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from reportlab.platypus import Flowable
from sqlalchemy import func, select
from sqlmodel import Session, col

from gridsvc_desktop.db.models import (
    AdminArea,
    Arrears,
    Building,
    CollectionAction,
    Compound,
    Customer,
    Grid,
    Staff,
    TransformerArea,
)
from gridsvc_desktop.domain.enums import ArrearsStatus, CollectionKind, CustomerCategory
from gridsvc_desktop.reports.common import money, page_info
from gridsvc_desktop.reports.tables import Column, GroupRow, PagedTable, TotalRow
from gridsvc_desktop.reports.template import (
    Document,
    KpiStrip,
    TitleBlock,
    section,
)
from gridsvc_desktop.services.reports import ReportContext

NO_GRID = "未划入网格"


@dataclass
class Debtor:
    customer_id: int
    account_no: str
    name: str
    address: str
    phone: str
    category: CustomerCategory
    grid_id: int | None
    grid: str
    manager: str
    manager_phone: str
    community: str
    compound: str
    building: str
    months: list[tuple[str, int, int]] = field(default_factory=list)  # (YYYYMM, fen, late fee)
    statuses: set[ArrearsStatus] = field(default_factory=set)
    last_action: tuple[dt.datetime, CollectionKind] | None = None

    @property
    def amount_fen(self) -> int:
        return sum(m[1] for m in self.months)

    @property
    def late_fee_fen(self) -> int:
        return sum(m[2] for m in self.months)

    @property
    def total_fen(self) -> int:
        return self.amount_fen + self.late_fee_fen

    @property
    def status_text(self) -> str:
        order = list(ArrearsStatus)
        return "、".join(s.label for s in sorted(self.statuses, key=order.index))


def _building_key(name: str) -> tuple[int, str]:
    digits = "".join(ch for ch in name if ch.isdigit())
    return (int(digits) if digits else 10**6, name)


def collect(session: Session, grid_id: int | None = None) -> list[Debtor]:
    """Customers with arrears not paid, in walking order (grid, compound, building, account)."""
    stmt: Any = (
        select(
            col(Arrears.id), col(Arrears.customer_id), col(Arrears.month), col(Arrears.amount_fen),
            col(Arrears.ledger_late_fee_fen), col(Arrears.status), col(Customer.account_no),
            col(Customer.name), col(Customer.address), col(Customer.phone), col(Customer.category),
            col(TransformerArea.grid_id), col(Grid.code), col(Grid.name), col(Staff.name),
            col(Staff.phone), col(AdminArea.name), col(Compound.name), col(Building.name),
        )
        .join(Customer, col(Customer.id) == col(Arrears.customer_id))
        .outerjoin(TransformerArea, col(TransformerArea.id) == col(Customer.transformer_area_id))
        .outerjoin(Grid, col(Grid.id) == col(TransformerArea.grid_id))
        .outerjoin(Staff, col(Staff.id) == col(Grid.manager_id))
        .outerjoin(AdminArea, col(AdminArea.id) == col(Customer.community_id))
        .outerjoin(Compound, col(Compound.id) == col(Customer.compound_id))
        .outerjoin(Building, col(Building.id) == col(Customer.building_id))
        .where(col(Arrears.status) != ArrearsStatus.paid)
        .order_by(col(Customer.account_no), col(Arrears.month))
    )  # fmt: skip
    if grid_id is not None:
        stmt = stmt.where(col(TransformerArea.grid_id) == grid_id)
    debtors: dict[int, Debtor] = {}
    arrears_of: dict[int, int] = {}
    for r in session.execute(stmt):
        d = debtors.get(r[1])
        if d is None:
            d = debtors[r[1]] = Debtor(
                customer_id=r[1], account_no=r[6], name=r[7], address=r[8] or "",
                phone=r[9] or "", category=CustomerCategory(r[10]), grid_id=r[11],
                grid=f"{r[12]} {r[13]}" if r[12] else NO_GRID, manager=r[14] or "",
                manager_phone=r[15] or "", community=r[16] or "", compound=r[17] or "",
                building=r[18] or "",
            )  # fmt: skip
        d.months.append((r[2], int(r[3]), int(r[4] or 0)))
        d.statuses.add(ArrearsStatus(r[5]))
        arrears_of[r[0]] = r[1]
    if arrears_of:
        latest = (
            select(col(CollectionAction.arrears_id), func.max(col(CollectionAction.at)).label("at"))
            .where(col(CollectionAction.kind) != CollectionKind.payment)
            .group_by(col(CollectionAction.arrears_id))
            .subquery()
        )
        for arrears_id, at, kind in session.execute(
            select(latest.c.arrears_id, latest.c.at, col(CollectionAction.kind)).join(
                CollectionAction,
                (col(CollectionAction.arrears_id) == latest.c.arrears_id)
                & (col(CollectionAction.at) == latest.c.at),
            )
        ).all():
            cid = arrears_of.get(arrears_id)
            if cid is None:
                continue
            d = debtors[cid]
            if d.last_action is None or at > d.last_action[0]:
                d.last_action = (at, CollectionKind(kind))
    return sorted(
        debtors.values(),
        key=lambda d: (
            d.grid == NO_GRID, d.grid, d.community, d.compound == "", d.compound,
            _building_key(d.building), d.account_no,
        ),
    )  # fmt: skip


def _months_text(d: Debtor) -> str:
    months = [f"{m[:4]}-{m[4:]}" for m, _, _ in d.months]
    return "、".join(months)


LIST_COLUMNS = [
    Column("户号", 8), Column("户名", 7, lines=2), Column("楼栋", 4), Column("地址", 15, lines=2),
    Column("联系电话", 8), Column("欠费月份", 11, lines=2), Column("欠费金额", 6.5, "right"),
    Column("违约金", 5.5, "right"), Column("合计", 6.5, "right"), Column("状态", 6, lines=2),
    Column("最近催收", 8, lines=2),
]  # fmt: skip


def _list(debtors: list[Debtor], ctx: ReportContext) -> list[Any]:
    rows: list[Any] = []
    by_grid: dict[str, list[Debtor]] = defaultdict(list)
    for d in debtors:
        by_grid[d.grid].append(d)
    for grid, people in by_grid.items():
        place = None
        for d in people:
            here = (d.community, d.compound)
            if here != place:
                place = here
                where = (
                    f"{d.compound}（{d.community}）"
                    if d.compound
                    else f"{d.community or '其他'}（无小区信息）"
                )
                rows.append(GroupRow(f"{grid}　·　{where}"))
            action = ""
            if d.last_action is not None:
                action = f"{d.last_action[0]:%m-%d} {d.last_action[1].label}"
            rows.append(
                [
                    d.account_no, d.name, d.building, d.address, ctx.phone(d.phone),
                    _months_text(d), money(d.amount_fen), money(d.late_fee_fen),
                    money(d.total_fen), d.status_text, action,
                ]
            )  # fmt: skip
        rows.append(
            TotalRow(
                ["小计", f"{len(people):,} 户", "", "", "",
                 f"{sum(len(d.months) for d in people):,} 笔",
                 money(sum(d.amount_fen for d in people)),
                 money(sum(d.late_fee_fen for d in people)),
                 money(sum(d.total_fen for d in people)), "", ""]
            )
        )  # fmt: skip
    if len(by_grid) > 1:
        rows.append(
            TotalRow(
                ["合计", f"{len(debtors):,} 户", "", "", "",
                 f"{sum(len(d.months) for d in debtors):,} 笔",
                 money(sum(d.amount_fen for d in debtors)),
                 money(sum(d.late_fee_fen for d in debtors)),
                 money(sum(d.total_fen for d in debtors)), "", ""]
            )
        )  # fmt: skip
    return rows


def scope_text(session: Session, ctx: ReportContext) -> str:
    if ctx.params.grid_id is None:
        return "范围：全所"
    grid = session.get(Grid, ctx.params.grid_id)
    return f"网格：{grid.code} {grid.name}" if grid else ""


def build_list(session: Session, ctx: ReportContext) -> Document:
    debtors = collect(session, ctx.params.grid_id)
    info = page_info(ctx, scope=f"{scope_text(session, ctx)}　截至 {ctx.generated_at:%Y-%m-%d}")
    amount = sum(d.amount_fen for d in debtors)
    fee = sum(d.late_fee_fen for d in debtors)
    story: list[Flowable] = [
        TitleBlock(info),
        KpiStrip(
            [
                ("欠费户数", f"{len(debtors):,}"),
                ("欠费笔数", f"{sum(len(d.months) for d in debtors):,}"),
                ("欠费金额（元）", money(amount)),
                ("违约金（元）", money(fee)),
                ("合计（元）", money(amount + fee)),
            ]
        ),
        *section("欠费明细（按网格、小区、楼栋）"),
        PagedTable(LIST_COLUMNS, _list(debtors, ctx), size=8, empty_text="没有未缴清的欠费"),
    ]
    return Document(info, story)


def build(session: Session, ctx: ReportContext) -> Document:
    if ctx.spec.name == "arrears_slips":
        from gridsvc_desktop.reports.reminder_slips import build_slips

        return build_slips(session, ctx)
    return build_list(session, ctx)
