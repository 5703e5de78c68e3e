"""`gridsvc`: the same services, headless."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from gridsvc_desktop import __version__
from gridsvc_desktop.db.backup import backup_database
from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.db.errors import StoreError
from gridsvc_desktop.db.store import open_store
from gridsvc_desktop.paths import DataPaths, resolve_data_dir
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
    p.add_argument("--database-url", help=argparse.SUPPRESS)
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

    p = sub.add_parser("backup", help="备份数据库（SQLite 备份接口，校验后保存）")
    _common(p)
    p.add_argument("--out", metavar="DIR", help="备份文件夹（默认：数据文件夹下的 backups）")
    return parser


def _open(args: argparse.Namespace) -> tuple[DataPaths, Database]:
    paths = resolve_data_dir(args.data_dir)
    return paths, open_store(paths, database_url=args.database_url)


def cmd_init(args: argparse.Namespace) -> int:
    paths, db = _open(args)
    with db.write() as s:
        st = station_svc.initialize(s, name=args.station, county=args.county)
        name = st.name
    print(f"数据库：{paths.database}\n供电所：{name}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    if not 1000 <= args.customers <= 500_000:
        print("客户数应在 1000 至 500000 之间。", file=sys.stderr)
        return 2
    from gridsvc_desktop.demo import build_county, write_ledgers  # heavy: only when asked

    paths, db = _open(args)
    summary = build_county(db, customers=args.customers, seed=args.seed, progress=PrintProgress())
    print(summary.describe())
    if args.ledgers:
        files = write_ledgers(Path(args.ledgers), db=db, seed=args.seed)
        for f in files:
            print(f"台账：{f}")
    print(f"数据库：{paths.database}")
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
    paths, db = _open(args)
    out = Path(args.out) if args.out else paths.backups
    target = backup_database(db, out, reason="manual")
    print(f"已备份到：{target}")
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "init": cmd_init,
    "demo": cmd_demo,
    "info": cmd_info,
    "check": cmd_check,
    "backup": cmd_backup,
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
