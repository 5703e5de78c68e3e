"""`gridsvc arrears …`: the arrears lists and the collection figures, headless.

    gridsvc arrears list --grid WG001 [--status todo|unpaid|promise_overdue|open|…]
                         [--sort amount|age] [--category residential] [--limit 50]
    gridsvc arrears figures [--from 2026-11-01 --to 2026-11-30] [--grid WG001]

Wired into gridsvc_desktop.cli like the ledger and report commands. Phones are
masked unless the user's role may see them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from typing import Any

from gridsvc_desktop.domain.enums import CustomerCategory

Opener = Callable[[argparse.Namespace], tuple[Any, Any]]
STATUSES = [
    "todo",
    "unpaid",
    "promise_overdue",
    "open",
    "promised",
    "notice_served",
    "cut_off",
    "paid",
]


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期应为 YYYY-MM-DD：{text}") from None


def add_parser(sub: Any, common: Callable[[argparse.ArgumentParser], None]) -> None:
    p = sub.add_parser("arrears", help="欠费：清单、回收率统计")
    arrears_sub = p.add_subparsers(dest="arrears_command", required=True)
    q = arrears_sub.add_parser("list", help="欠费清单（默认：待跟进，金额大的在前）")
    common(q)
    q.add_argument("--grid", metavar="G", help="网格（编号、名称或序号）")
    q.add_argument("--collector", metavar="S", help="催收人（工号或姓名）")
    q.add_argument("--status", choices=STATUSES, default="todo", help="状态（默认 todo：待跟进）")
    q.add_argument("--category", choices=[c.value for c in CustomerCategory], help="用电类别")
    q.add_argument("--sort", choices=["amount", "age"], default="amount", help="按金额或账龄排序")
    q.add_argument("--limit", type=int, default=100, help="最多列出多少笔（默认 100）")
    q = arrears_sub.add_parser("figures", help="电费回收率（按网格、按催收人）和账龄")
    common(q)
    q.add_argument("--grid", metavar="G", help="只统计一个网格")
    q.add_argument("--from", dest="start", type=_date, metavar="D", help="开始日期（默认本月1日）")
    q.add_argument("--to", dest="end", type=_date, metavar="D", help="结束日期（默认今天）")


def _yuan(fen: int) -> str:
    return f"{fen / 100:,.2f}"


def _rate(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}%"


def cmd_arrears(args: argparse.Namespace, open_db: Opener) -> int:
    from gridsvc_desktop.services import arrears as ar
    from gridsvc_desktop.services.actor import Permission
    from gridsvc_desktop.services.reports import find_grid, find_staff
    from gridsvc_desktop.services.station import actor_for

    _, db = open_db(args)
    with db.read() as s:
        actor = actor_for(s, args.user)
        actor.require(Permission.view)
        grid_id = find_grid(s, args.grid) if args.grid else None
        if args.arrears_command == "figures":
            today = dt.date.today()
            start, end = args.start or today.replace(day=1), args.end or today
            fig = ar.collection_figures(s, start=start, end=end, grid_id=grid_id)
            print(f"统计期间：{start} 至 {end}")
            for title, lines in (("网格", fig.by_grid), ("催收人", fig.by_collector)):
                print(f"\n{title}\t应收笔数\t应收金额\t回收笔数\t回收金额\t回收率")
                for ln in [*lines, fig.total]:
                    name = ln.name or ("未划入网格" if title == "网格" else "未分配")
                    print(
                        f"{name}\t{ln.owed_count}\t{_yuan(ln.owed_fen)}\t{ln.recovered_count}"
                        f"\t{_yuan(ln.recovered_fen)}\t{_rate(ln.rate)}"
                    )
            print("\n账龄（未缴）\t笔数\t金额")
            for b in fig.ageing:
                print(f"{b.label}\t{b.count}\t{_yuan(b.fen)}")
            return 0
        f = ar.ArrearsFilter(
            grid_id=grid_id,
            collector_id=find_staff(s, args.collector) if args.collector else None,
            category=CustomerCategory(args.category) if args.category else None,
            status=ar.StatusFilter(args.status),
        )
        rows = ar.list_arrears(s, f, sort=ar.SortKey(args.sort), limit=max(args.limit, 1))
        total, fen = ar.count_arrears(s, f)
    unmask = actor.may(Permission.unmask)
    print(
        "户号\t户名\t电话\t网格\t小区\t楼栋\t欠费月份\t欠费金额\t违约金(按规定)\t违约金规则\t状态\t承诺日期\t催收人\t最近催收"
    )
    for r in rows:
        print(
            "\t".join(
                [
                    r.account_no,
                    r.name,
                    r.phone_shown(unmask),
                    r.grid,
                    r.compound,
                    r.building,
                    r.since,
                    _yuan(r.amount_fen),
                    _yuan(r.fee.fee_fen),
                    r.fee.rule,
                    r.status.label,
                    str(r.promised_on or ""),
                    r.collector,
                    r.last_action,
                ]
            )
        )
    more = f"，列出前 {len(rows)} 笔" if total > len(rows) else ""
    print(f"共 {total} 笔，欠费 {_yuan(fen)} 元{more}", file=sys.stderr)
    return 0
