"""`gridsvc`: the same services, headless."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from gridsvc_desktop import __version__, arrears_cli, encryption_cli, outages_cli, server_cli
from gridsvc_desktop.db.encryption import KeyRequired
from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.db.errors import StoreError
from gridsvc_desktop.db.store import open_store
from gridsvc_desktop.encryption_cli import key_for
from gridsvc_desktop.ledgers import cli as ledger_cli
from gridsvc_desktop.paths import DataPaths, resolve_data_dir
from gridsvc_desktop.reports import cli as report_cli
from gridsvc_desktop.services import station as station_svc
from gridsvc_desktop.services.actor import PermissionDenied
from gridsvc_desktop.services.common import InvalidInput, NotFound
from gridsvc_desktop.services.maintenance import check_database, counts, rebuild_search_index

DEFAULT_STATION = "清河县城关供电所"


class PrintProgress:
    """Progress on stderr, one line that rewrites itself."""

    def __init__(self) -> None:
        self._last = -1

    def report(self, done: int, total: int, message: str = "") -> None:
        pct = int(100 * done / total) if total else 100
        if pct != self._last:
            self._last = pct
            print(f"\r{message} {pct:3d}%", end="", file=sys.stderr, flush=True)
            if pct >= 100:
                print(file=sys.stderr)

    def is_cancelled(self) -> bool:
        return False


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data-dir", help="数据文件夹（默认：用户数据目录）")
    p.add_argument(
        "--database-url",
        metavar="URL",
        help="用县公司服务器的数据库（postgresql://用户名:密码@服务器:端口/数据库名）"
        "代替数据文件夹里的数据库文件；默认：数据文件夹 settings.toml 中的地址",
    )
    p.add_argument("--user", default="admin", help="以哪个用户的身份操作（默认 admin）")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gridsvc", description="网格化供电服务 命令行工具")
    parser.add_argument("--version", action="version", version=f"gridsvc {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("init", help="建立数据库并登记供电所")
    _common(p)
    p.add_argument("--station", default=DEFAULT_STATION, help="供电所名称")
    p.add_argument("--county", default="", help="所属县")

    p = sub.add_parser("demo", help="生成演示县的数据（直接写入数据库，可另存台账文件）")
    _common(p)
    p.add_argument("--customers", type=int, default=5000, help="客户数（1000 至 500000）")
    p.add_argument("--seed", type=int, default=1, help="随机种子（同一种子生成同样的数据）")
    p.add_argument("--ledgers", metavar="DIR", help="另把各类台账写成文件放到该文件夹")

    p = sub.add_parser("info", help="各表记录数")
    _common(p)

    p = sub.add_parser("check", help="检查数据库完整性")
    _common(p)
    p.add_argument("--repair", action="store_true", help="重建客户搜索索引")

    p = sub.add_parser(
        "backup",
        help="备份数据库（SQLite 备份接口，校验后保存）；list 列出备份，restore FILE 从备份恢复",
    )
    _common(p)
    p.add_argument(
        "action", nargs="?", default="create", choices=["create", "list", "restore"],
        help="create（默认）、list 或 restore",
    )  # fmt: skip
    p.add_argument("file", nargs="?", help="restore 时：要恢复的备份文件")
    p.add_argument("--out", metavar="DIR", help="备份文件夹（默认：数据文件夹下的 backups）")

    p = sub.add_parser("audit", help="审计日志")
    audit_sub = p.add_subparsers(dest="audit_command", required=True)
    q = audit_sub.add_parser("verify", help="校验审计日志的哈希链；被篡改时指出第一行，退出码 1")
    _common(q)

    p = sub.add_parser("users", help="用户账户")
    users_sub = p.add_subparsers(dest="users_command", required=True)
    q = users_sub.add_parser("list", help="列出用户")
    _common(q)
    q = users_sub.add_parser("add", help="新建用户（密码从标准输入或提示读取）")
    _common(q)
    q.add_argument("username")
    q.add_argument("--role", choices=["staff", "lead", "admin"], default="staff")
    q.add_argument("--name", default="", help="显示名")
    q = users_sub.add_parser("unlock", help="解除锁定")
    _common(q)
    q.add_argument("username")
    q = users_sub.add_parser("passwd", help="设置密码（从标准输入或提示读取）")
    _common(q)
    q.add_argument("username")

    p = sub.add_parser("grids", help="网格：覆盖检查、网格统计")
    grids_sub = p.add_subparsers(dest="grids_command", required=True)
    q = grids_sub.add_parser(
        "check", help="网格覆盖检查（每类问题的数量和逐条清单）；有问题时退出码为 1"
    )
    _common(q)
    q.add_argument("--limit", type=int, default=50, help="每类最多列出几条（0：全部）")
    q = grids_sub.add_parser("figures", help="各网格的客户、台区、人员、工单、欠费统计")
    _common(q)

    p = sub.add_parser("orders", help="工单")
    orders_sub = p.add_subparsers(dest="orders_command", required=True)
    q = orders_sub.add_parser("list", help="列出未办结工单（时限最近的在前）")
    _common(q)
    q.add_argument("--overdue", action="store_true", help="只列已超时的")
    q.add_argument("--grid", metavar="G", help="只列该网格的（网格编号、名称或序号）")
    q.add_argument(
        "--all", action="store_true", help="也列已办结、已撤销、已合并的（受理时间新的在前）"
    )
    q.add_argument("--limit", type=int, default=100, help="最多列几张（0：全部）")

    ledger_cli.add_parsers(sub, _common)  # import, export, undo-import
    report_cli.add_parser(sub, _common)  # report
    arrears_cli.add_parser(sub, _common)  # arrears list / figures
    outages_cli.add_parsers(sub, _common)  # outages list / affected / proposals
    COMMANDS.update(server_cli.add_parsers(sub))  # migrate-to-server, migrate-from-server
    encryption_cli.add_parsers(sub, _common)  # encrypt, decrypt
    return parser


def _open(args: argparse.Namespace) -> tuple[DataPaths, Database]:
    paths = resolve_data_dir(args.data_dir)
    try:
        return paths, open_store(paths, database_url=args.database_url)
    except KeyRequired:  # an encrypted file: ask on a terminal (or say how to give the key)
        return paths, open_store(paths, database_url=args.database_url, key=key_for(paths))


def cmd_init(args: argparse.Namespace) -> int:
    _, db = _open(args)
    with db.write() as s:
        st = station_svc.initialize(s, name=args.station, county=args.county)
        name = st.name
    print(f"数据库：{db.path or db.engine.url}\n供电所：{name}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    if not 1000 <= args.customers <= 500_000:
        print("客户数应在 1000 至 500000 之间。", file=sys.stderr)
        return 2
    from gridsvc_desktop.demo import build_county, write_ledgers  # heavy: only when asked

    _, db = _open(args)
    summary = build_county(db, customers=args.customers, seed=args.seed, progress=PrintProgress())
    print(summary.describe())
    if args.ledgers:
        files = write_ledgers(Path(args.ledgers), db=db, seed=args.seed)
        for f in files:
            print(f"台账：{f}")
    print(f"数据库：{db.path or db.engine.url}")
    return 0


def cmd_info(args: argparse.Namespace) -> int:
    paths, db = _open(args)
    with db.read() as s:
        st = station_svc.get_station(s)
    print(f"数据库：{paths.database if db.path else db.engine.url}")
    print(f"供电所：{st.name if st else '（未初始化，请运行 gridsvc init）'}")
    for table, n in counts(db).items():
        print(f"{table:24} {n:>10}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    _, db = _open(args)
    if args.repair:
        rebuild_search_index(db)
    report = check_database(db)
    for line in report.passed:
        print(f"通过  {line}")
    for line in report.problems:
        print(f"问题  {line}")
    return 0 if report.ok else 1


def cmd_backup(args: argparse.Namespace) -> int:
    from gridsvc_desktop.services import backups

    if args.action == "restore":
        return _restore(args)
    paths, db = _open(args)
    out = Path(args.out) if args.out else paths.backups
    if args.action == "list":
        for b in backups.list_backups(out):
            print(f"{b.taken_at:%Y-%m-%d %H:%M:%S}  {b.reason:12} {b.size:>12,}  {b.path}")
        return 0
    target = backups.take_backup(db, "manual", out)
    print(f"已备份到：{target}")
    return 0


def _restore(args: argparse.Namespace) -> int:
    from gridsvc_desktop.services import backups

    if not args.file:
        print("请给出要恢复的备份文件：gridsvc backup restore FILE", file=sys.stderr)
        return 2
    paths = resolve_data_dir(args.data_dir)
    out = Path(args.out) if args.out else paths.backups
    result = backups.restore(paths.database, Path(args.file), out, key_for(paths))
    if result.safety_copy:
        print(f"恢复前的数据库已备份到：{result.safety_copy}")
    if result.moved_aside:
        print(f"恢复前的数据库已损坏，已改名保留：{result.moved_aside}")
    _, db = _open(args)  # migrates a backup from an older version
    with db.write() as s:
        from gridsvc_desktop.services import audit
        from gridsvc_desktop.services.actor import SYSTEM

        audit.record(s, SYSTEM, "restore", "database", "", after={"file": Path(args.file).name})
    print(f"已从“{args.file}”恢复。")
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    from gridsvc_desktop.services import audit_view

    _, db = _open(args)
    with db.read() as s:
        actor = station_svc.actor_for(s, args.user)
        bad = audit_view.verify(s, actor)
        total = audit_view.count_audit(s, actor)
    if bad is None:
        print(f"审计日志完整：{total} 行，哈希链全部吻合。")
        return 0
    print(f"审计日志第 {bad} 行被篡改或损坏（其后各行无法再证明）。", file=sys.stderr)
    return 1


def _read_password(prompt: str) -> str:
    import getpass

    if sys.stdin.isatty():
        first = getpass.getpass(prompt)
        if getpass.getpass("再输入一次：") != first:
            raise InvalidInput("两次输入的密码不一致。")
        return first
    return sys.stdin.readline().rstrip("\n")


def cmd_users(args: argparse.Namespace) -> int:
    from sqlmodel import select

    from gridsvc_desktop.db.models import AppUser
    from gridsvc_desktop.domain.enums import Role
    from gridsvc_desktop.services import auth

    _, db = _open(args)
    if args.users_command == "list":
        with db.read() as s:
            actor = station_svc.actor_for(s, args.user)
            for u in auth.list_users(s, actor):
                state = "停用" if not u.active else ("锁定" if auth.is_locked(u) else "正常")
                print(f"{u.username:20} {u.role.label:6} {state:4} {u.display_name}")
        return 0
    password = _read_password("密码：") if args.users_command in ("add", "passwd") else ""
    with db.write() as s:
        actor = station_svc.actor_for(s, args.user)
        if args.users_command == "add":
            auth.create_user(
                s, actor, username=args.username, password=password,
                role=Role(args.role), display_name=args.name,
            )  # fmt: skip
        else:
            user = s.execute(
                select(AppUser).where(AppUser.username == args.username)
            ).scalar_one_or_none()
            if user is None or user.id is None:
                raise NotFound(f"没有名为“{args.username}”的用户。")
            if args.users_command == "unlock":
                auth.unlock(s, actor, user.id)
            else:
                auth.set_password(s, actor, user.id, password)
    print("完成。")
    return 0


def cmd_grids(args: argparse.Namespace) -> int:
    from gridsvc_desktop.services.coverage import coverage_report, format_report
    from gridsvc_desktop.services.grid_figures import all_grid_figures, format_figures

    _, db = _open(args)
    with db.read() as s:
        if args.grids_command == "check":
            limit = args.limit if args.limit > 0 else 10**9
            report = coverage_report(s, max_lines_per_kind=limit)
            print(format_report(report))
            return 0 if report.ok else 1
        print(format_figures(s, all_grid_figures(s)))
    return 0


def cmd_orders(args: argparse.Namespace) -> int:
    import datetime as dt

    from gridsvc_desktop.domain.order_states import OPEN_STATUSES
    from gridsvc_desktop.services import work_orders as wo
    from gridsvc_desktop.services.sla_policy import near_due_fraction

    _, db = _open(args)
    at = dt.datetime.now().replace(microsecond=0)
    with db.read() as s:
        f = wo.OrderFilter(
            statuses=() if args.all else OPEN_STATUSES,
            overdue=args.overdue,
            grid_id=wo.find_grid(s, args.grid) if args.grid else None,
        )
        sort = wo.SortKey.received_at if args.all and not args.overdue else wo.SortKey.next_due
        limit = args.limit if args.limit > 0 else 10**9
        rows = []
        for row in wo.iter_orders(
            s, f, sort=sort, descending=sort == wo.SortKey.received_at, at=at
        ):
            rows.append(row)
            if len(rows) >= limit:
                break
        total = wo.count_orders(s, f, at=at)
        if rows:
            print(wo.format_orders(rows, at, near_due_fraction(s)))
    more = f"，列出前 {len(rows)} 张" if total > len(rows) else ""
    print(f"共 {total} 张{more}", file=sys.stderr)
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "init": cmd_init,
    "demo": cmd_demo,
    "info": cmd_info,
    "check": cmd_check,
    "backup": cmd_backup,
    "audit": cmd_audit,
    "users": cmd_users,
    "grids": cmd_grids,
    "orders": cmd_orders,
    **ledger_cli.commands(_open, PrintProgress),
    "report": lambda args: report_cli.cmd_report(args, _open, PrintProgress()),
    "arrears": lambda args: arrears_cli.cmd_arrears(args, _open),
    **outages_cli.commands(_open),
    **encryption_cli.commands(_open),
}


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except (StoreError, InvalidInput, NotFound, PermissionDenied, LookupError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
