"""`gridsvc import|export|undo-import`: the ledger commands, wired into gridsvc_desktop.cli.

`gridsvc import KIND FILE` applies nothing when a row is refused unless given
--skip-refused; it exits 0 when the file was applied (or, with --dry-run, would
be), 1 when rows were refused, 2 when the file itself was refused; its last line
on stdout is always the counts: 新增 N，修改 N，未变 N，拒绝 N.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gridsvc_desktop.ledgers.specs import CLI_KINDS, SPECS

IMPORT_KINDS = [k for k, v in CLI_KINDS.items() if SPECS[v].importable]
EXPORT_KINDS = list(CLI_KINDS)
ZERO_COUNTS = "新增 0，修改 0，未变 0，拒绝 0"

Opener = Callable[[argparse.Namespace], tuple[Any, Any]]


def add_parsers(sub: Any, common: Callable[[argparse.ArgumentParser], None]) -> None:
    kinds = "、".join(f"{k}（{SPECS[v].title}）" for k, v in CLI_KINDS.items())
    p = sub.add_parser("import", help="导入台账（.xlsx/.xls/.csv），先比对再写入，可撤销")
    common(p)
    p.add_argument("kind", choices=IMPORT_KINDS, metavar="KIND", help="台账类型：" + kinds)
    p.add_argument("file", help="台账文件")
    p.add_argument(
        "--dry-run", action="store_true", help="只比对，报告将新增、修改、拒绝什么，不写入"
    )
    p.add_argument(
        "--errors", metavar="OUT.xlsx", help="把被拒绝的行（含原因）写成工作簿，修改后可再导入"
    )
    p.add_argument("--skip-refused", action="store_true", help="跳过被拒绝的行，导入其余的行")
    p.add_argument("--sheet", help="数据所在的工作表（默认自动识别）")
    p.add_argument(
        "--header-row", type=int, metavar="N", help="表头所在行（从 1 起，默认自动识别）"
    )

    p = sub.add_parser("export", help="导出台账为 .xlsx（与导入的版式相同）")
    common(p)
    p.add_argument("kind", choices=EXPORT_KINDS, metavar="KIND", help="台账类型：" + kinds)
    p.add_argument("file", help="输出文件（.xlsx）")
    p.add_argument("--template", action="store_true", help="只导出空白模板（含填写说明）")
    p.add_argument("--masked", action="store_true", help="电话、证件号打码（对外发送时用）")

    p = sub.add_parser("undo-import", help="撤销最近一次导入")
    common(p)


def cmd_import(args: argparse.Namespace, open_db: Opener, progress: Any) -> int:
    from gridsvc_desktop.ledgers.errors import LedgerFileError
    from gridsvc_desktop.services import imports
    from gridsvc_desktop.services.actor import PermissionDenied
    from gridsvc_desktop.services.station import actor_for

    _, db = open_db(args)
    try:
        with db.read() as s:
            actor = actor_for(s, args.user)
        options = imports.ImportOptions(
            kind=CLI_KINDS[args.kind], sheet=args.sheet, header_row=args.header_row
        )
        plan = imports.import_ledger(
            db,
            actor,
            Path(args.file),
            options,
            dry_run=args.dry_run,
            skip_refused=args.skip_refused,
            errors_path=Path(args.errors) if args.errors else None,
            progress=progress,
        )
    except imports.ImportRefused as exc:
        print(exc.plan.describe())
        if args.errors:
            print(f"被拒绝的行已写入：{args.errors}")
        print(f"错误：{exc}", file=sys.stderr)
        print(exc.plan.summary_line())
        return 1
    except (LedgerFileError, PermissionDenied, LookupError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        print(ZERO_COUNTS)
        return 2
    print(plan.describe())
    if args.errors and plan.refused:
        print(f"被拒绝的行已写入：{args.errors}")
    if args.dry_run:
        print("（试导入：未写入数据库）")
        code = 1 if plan.refused else 0
    else:
        print(f"已导入（批次 {plan.batch_id}，可用 gridsvc undo-import 撤销）")
        code = 0
    print(plan.summary_line())
    return code


def cmd_export(args: argparse.Namespace, open_db: Opener, progress: Any) -> int:
    from gridsvc_desktop.services import exports
    from gridsvc_desktop.services.station import actor_for

    _, db = open_db(args)
    with db.read() as s:
        actor = actor_for(s, args.user)
    kind = CLI_KINDS[args.kind]
    if args.template:
        path = exports.export_template(db, actor, kind, Path(args.file))
        print(f"模板：{path}")
        return 0
    result = exports.export_ledger(
        db, actor, kind, Path(args.file), masked=True if args.masked else None, progress=progress
    )
    note = "（电话已打码）" if result.masked else ""
    print(f"已导出 {result.rows} 行{note}：{result.path}")
    return 0


def cmd_undo(args: argparse.Namespace, open_db: Opener) -> int:
    from gridsvc_desktop.services import imports
    from gridsvc_desktop.services.station import actor_for

    _, db = open_db(args)
    with db.read() as s:
        actor = actor_for(s, args.user)
    try:
        result = imports.undo_last_import(db, actor)
    except imports.UndoRefused as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    print(
        f"已撤销导入：{result.file_name}（批次 {result.batch_id}，恢复 {result.reverted} 条记录）"
    )
    return 0


def commands(
    open_db: Opener, progress: Callable[[], Any]
) -> dict[str, Callable[[argparse.Namespace], int]]:
    return {
        "import": lambda a: cmd_import(a, open_db, progress()),
        "export": lambda a: cmd_export(a, open_db, progress()),
        "undo-import": lambda a: cmd_undo(a, open_db),
    }
