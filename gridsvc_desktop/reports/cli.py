"""`gridsvc report NAME …`: build a report as a PDF file, wired into gridsvc_desktop.cli.

    gridsvc report work_orders --from 2026-11-01 --to 2026-11-30 --grid WG001 --out 11月.pdf
    gridsvc report work_orders --period month --out 本月工单.pdf
    gridsvc report grid_card --grid 建设社区网格 --out 公示牌.pdf

Reportlab is imported only when the command runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gridsvc_desktop.services.reports import CATALOGUE

Opener = Callable[[argparse.Namespace], tuple[Any, Any]]


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期应为 YYYY-MM-DD：{text}") from None


def add_parser(sub: Any, common: Callable[[argparse.ArgumentParser], None]) -> None:
    names = "；".join(f"{s.name}（{s.title}）" for s in CATALOGUE)
    p = sub.add_parser("report", help="生成报表 PDF（工单统计、公示牌、停电通知、欠费清单……）")
    common(p)
    p.add_argument("name", choices=[s.name for s in CATALOGUE], metavar="NAME", help=names)
    p.add_argument("--out", required=True, metavar="FILE.pdf", help="输出的 PDF 文件")
    p.add_argument("--grid", metavar="G", help="网格（编号、名称或序号）")
    p.add_argument("--staff", metavar="S", help="人员（工号或姓名），工单统计报表按人统计")
    p.add_argument("--outage", type=int, metavar="ID", help="停电事件序号")
    p.add_argument("--compound", metavar="C", help="小区（名称或序号），停电通知只生成该小区")
    p.add_argument("--from", dest="start", type=_date, metavar="D", help="开始日期 YYYY-MM-DD")
    p.add_argument("--to", dest="end", type=_date, metavar="D", help="结束日期 YYYY-MM-DD")
    p.add_argument(
        "--period", choices=["day", "week", "month"],
        help="今天、本周或本月（与 --from/--to 二选一；--from 给出时指含该日的日、周、月）",
    )  # fmt: skip
    p.add_argument("--masked", action="store_true", help="电话、证件号打码（即使有权查看）")
    p.add_argument("--no-detail", action="store_true", help="工单统计报表不附工单明细")


def cmd_report(args: argparse.Namespace, open_db: Opener, progress: Any) -> int:
    from gridsvc_desktop.services import reports
    from gridsvc_desktop.services.station import actor_for

    _, db = open_db(args)
    with db.read() as s:
        actor = actor_for(s, args.user)
        grid_id = reports.find_grid(s, args.grid) if args.grid else None
        staff_id = reports.find_staff(s, args.staff) if args.staff else None
        compound_id = (
            reports.find_compound(s, args.compound, args.outage) if args.compound else None
        )
    start, end = args.start, args.end
    if args.period:
        start, end = reports.period_of(args.period, start or dt.date.today())
    params = reports.ReportParams(
        start=start,
        end=end,
        grid_id=grid_id,
        staff_id=staff_id,
        outage_id=args.outage,
        compound_id=compound_id,
        detail=not args.no_detail,
        masked=args.masked,
    )
    result = reports.build_report(db, actor, args.name, params, progress=progress)
    out = Path(args.out)
    if out.parent and not out.parent.exists():
        out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(result.data)
    reports.record_output(db, actor, result, "save", target=out.name)
    masked = "电话已打码" if result.masked else "含完整电话"
    print(
        f"{result.title}：{result.pages} 页，{masked}，{result.elapsed_s:.1f} 秒", file=sys.stderr
    )
    print(out)
    return 0
