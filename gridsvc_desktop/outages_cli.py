"""`gridsvc outages …`: outages from the command line, wired into gridsvc_desktop.cli.

gridsvc outages list                 # outages still to come or going on
gridsvc outages list --all --limit 20
gridsvc outages affected 12          # who outage 12 reaches
gridsvc outages affected 12 --contacts
gridsvc outages proposals            # repair calls bunched with no outage recorded
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from typing import Any

from gridsvc_desktop.domain.enums import OutageStatus
from gridsvc_desktop.domain.masking import mask_phone

Opener = Callable[[argparse.Namespace], tuple[Any, Any]]


def add_parsers(sub: Any, common: Callable[[argparse.ArgumentParser], None]) -> None:
    p = sub.add_parser("outages", help="停电：列表、受影响范围、故障停电提示")
    outages_sub = p.add_subparsers(dest="outages_command", required=True)
    q = outages_sub.add_parser("list", help="列出未结束的停电（已发布、停电中）")
    common(q)
    q.add_argument("--all", action="store_true", help="也列已送电、已取消的")
    q.add_argument("--limit", type=int, default=50, help="最多列几次（0：全部）")
    q = outages_sub.add_parser("affected", help="一次停电影响到的客户、网格、小区、楼栋和联系人")
    common(q)
    q.add_argument("id", type=int, metavar="ID", help="停电事件序号（见 outages list）")
    q.add_argument("--contacts", action="store_true", help="列出全部联系人（楼长、物业、网格员…）")
    q = outages_sub.add_parser("proposals", help="同一台区或线路短时间内多起报修而未登记停电的")
    common(q)


def _t(value: dt.datetime | None) -> str:
    return f"{value:%Y-%m-%d %H:%M}" if value else "—"


def cmd_outages(args: argparse.Namespace, open_db: Opener) -> int:
    from gridsvc_desktop.services import outages
    from gridsvc_desktop.services.actor import Permission
    from gridsvc_desktop.services.station import actor_for

    _, db = open_db(args)
    with db.read() as s:
        actor = actor_for(s, args.user)
        actor.require(Permission.view)
        if args.outages_command == "list":
            statuses = () if args.all else (OutageStatus.announced, OutageStatus.in_progress)
            limit = args.limit if args.limit > 0 else 10**9
            rows = outages.list_outages(s, statuses=statuses, limit=limit)
            for r in rows:
                late = "　公告不足：" + r.late_notice_reason if r.late_notice_reason else ""
                print(
                    f"{r.id:>5}  {r.kind.label}  {r.status.label:<4}  "
                    f"{_t(r.planned_start)} 至 {_t(r.planned_end)}  {r.scope}  {r.reason}"
                    + (f"　待通知 {r.pending}" if r.pending else "")
                    + late
                )
            print(f"共 {len(rows)} 次", file=sys.stderr)
            return 0
        if args.outages_command == "proposals":
            found = outages.propose_fault_outages(s)
            for p in found:
                print(
                    f"{p.where}：{p.size} 起报修（{_t(p.first_at)} 至 {p.last_at:%H:%M}），"
                    f"来电 {len(p.call_ids)}，工单 {len(p.order_ids)}"
                )
            if not found:
                print("没有需要登记的故障停电。", file=sys.stderr)
            return 0
        detail = outages.outage_detail(s, args.id)
        unmask = actor.may(Permission.unmask)
    print(format_affected(detail, contacts=args.contacts, unmask=unmask))
    return 0


def format_affected(detail: Any, *, contacts: bool = False, unmask: bool = False) -> str:
    """The affected set as text (`detail`: outages.OutageDetail)."""
    r, a = detail.row, detail.affected
    phone = (lambda p: p) if unmask else mask_phone
    lines = [
        f"停电 {r.id}：{r.kind.label}，{r.status.label}，{r.reason}",
        f"计划 {_t(r.planned_start)} 至 {_t(r.planned_end)}；实际 {_t(r.actual_start)} 至 "
        f"{_t(r.actual_end)}",
        f"范围：{r.scope}",
        f"提前公告：{detail.notice.describe()}"
        + (f"；说明：{r.late_notice_reason}" if r.late_notice_reason else ""),
        "",
        "　".join(f"{k} {v:,}" for k, v in a.counts().items()),
        "",
        "网格（客户数，网格经理）：",
    ]
    for g in a.grids:
        manager = f"{g.manager} {phone(g.manager_phone)}".strip() or "未指定网格经理"
        lines.append(f"  {g.name}　{g.customers:,} 户　{manager}")
    lines.append("小区 / 村（客户数，楼栋）：")
    for p in a.places:
        where = f"{p.name}（{p.community}）" if p.name else f"{p.community}（小区以外）"
        buildings = "、".join(p.buildings[:10]) + ("等" if len(p.buildings) > 10 else "")
        lines.append(f"  {where}　{p.customers:,} 户　{buildings}".rstrip())
    if a.important:
        lines.append("重要客户：")
        for c in a.important:
            lines.append(
                f"  {c.account_no}　{c.name}　{c.category.label}　{c.contract_kva} kVA　"
                f"{phone(c.phone)}　{c.transformer_area}"
            )
    if contacts:
        lines.append("联系人：")
        for c in a.contacts:
            where = "　".join(x for x in (c.community, c.compound, c.building) if x)
            lines.append(f"  {c.kind.label}　{c.name}　{phone(c.phone)}　{where}")
    lines.append(f"相关来电 {detail.calls:,}，相关工单 {detail.orders:,}")
    return "\n".join(lines)


def commands(open_db: Opener) -> dict[str, Callable[[argparse.Namespace], int]]:
    return {"outages": lambda args: cmd_outages(args, open_db)}
