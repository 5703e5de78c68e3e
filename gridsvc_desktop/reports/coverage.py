"""网格覆盖检查: is every transformer area, customer and grid answered for?

The checks, counts and wording are services.coverage's (the same report the
grids page shows); this lays them out: a count per check, then each thing to
fix under its check. Lines are capped per check by the service; the counts are
complete, and a capped list says how many more there are.
"""

from __future__ import annotations

from typing import Any

from reportlab.platypus import Flowable
from sqlmodel import Session

from gridsvc_desktop.reports.common import page_info
from gridsvc_desktop.reports.tables import Column, GroupRow, PagedTable, TotalRow, WarnRow
from gridsvc_desktop.reports.template import Document, KpiStrip, TitleBlock, para, section
from gridsvc_desktop.services.coverage import CheckKind, coverage_report
from gridsvc_desktop.services.reports import ReportContext

WHAT_TO_DO: dict[CheckKind, str] = {
    CheckKind.ta_no_grid: "在网格页把台区划入网格",
    CheckKind.ta_two_grids: "核对网格划分台账，确定唯一归属",
    CheckKind.customer_no_ta: "核对客户档案中的台区编号",
    CheckKind.grid_no_manager: "为网格指定在岗的客户经理",
    CheckKind.team_missing_specialty: "为服务团队补充所缺专业人员",
    CheckKind.grid_oversized: "增配人员或拆分网格",
    CheckKind.staff_unreachable: "安排驻当地乡镇的人员",
    CheckKind.order_on_old_grid: "班长改派工单到新网格",
}


def build(session: Session, ctx: ReportContext) -> Document:
    report = coverage_report(session, now=ctx.generated_at)
    info = page_info(
        ctx,
        scope=f"截至 {ctx.generated_at:%Y-%m-%d %H:%M}　每人服务客户上限 {report.threshold:,} 户",
    )
    count_rows: list[Any] = []
    for kind in CheckKind:
        n = report.counts[kind]
        cells = [kind.label, f"{n:,}", "需处理" if n else "通过", WHAT_TO_DO[kind] if n else ""]
        count_rows.append(WarnRow(cells) if n else cells)
    count_rows.append(
        TotalRow(["合计", f"{report.total:,}", "需处理" if report.total else "全部通过", ""])
    )
    line_rows: list[Any] = []
    for kind in CheckKind:
        lines = report.lines_of(kind)
        if not lines:
            continue
        line_rows.append(GroupRow(f"{kind.label}（{report.counts[kind]:,} 项）"))
        for n, line in enumerate(lines, 1):
            line_rows.append([str(n), line.subject, line.problem])
        hidden = report.counts[kind] - len(lines)
        if hidden > 0:
            line_rows.append(["", f"另有 {hidden:,} 项未列出", "请在网格页查看全部"])
    story: list[Flowable] = [
        TitleBlock(info),
        KpiStrip(
            [
                ("待处理事项", f"{report.total:,}"),
                ("未划网格的台区", f"{report.counts[CheckKind.ta_no_grid]:,}"),
                ("台区不明的客户", f"{report.counts[CheckKind.customer_no_ta]:,}"),
                ("无经理的网格", f"{report.counts[CheckKind.grid_no_manager]:,}"),
            ]
        ),
        *section("检查结果"),
        PagedTable(
            [
                Column("检查项", 12),
                Column("数量", 6, "right"),
                Column("结论", 7),
                Column("处理办法", 22),
            ],
            count_rows,
        ),
    ]
    if report.ok:
        story.append(para("所有台区、客户和网格均有人负责，未发现问题。", "body"))
    else:
        story += [
            *section("需处理的事项"),
            PagedTable(
                [
                    Column("序号", 4, "right"),
                    Column("对象", 16, lines=2),
                    Column("问题", 40, lines=3),
                ],
                line_rows,
            ),
        ]
    return Document(info, story)
