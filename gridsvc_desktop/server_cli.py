"""`gridsvc migrate-to-server URL` and `gridsvc migrate-from-server [URL]`.

To the server: the station's SQLite file is copied into an empty PostgreSQL
database (db/transfer.py verifies every table's row count and checksum), then
the data folder's settings point at the server. The file itself is not touched.

From the server: the server's data is copied into a new file beside the old
one; once it verifies it becomes the station's database, an older file there
is kept under a dated name (never overwritten), and the settings point at the
file again. The server database is only read.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

from gridsvc_desktop.db.engine import open_server, open_sqlite, server_url
from gridsvc_desktop.db.errors import StoreError
from gridsvc_desktop.db.store import configured_database_url, save_database_url
from gridsvc_desktop.db.transfer import copy_store
from gridsvc_desktop.encryption_cli import key_for
from gridsvc_desktop.paths import resolve_data_dir
from gridsvc_desktop.services.backups import move_aside

Command = Callable[[argparse.Namespace], int]


def add_parsers(sub: Any) -> dict[str, Command]:
    """Add both commands to `sub`; returns them by name for cli.COMMANDS."""
    p = sub.add_parser(
        "migrate-to-server",
        help="把本站的数据库复制到县公司服务器（空的 PostgreSQL 数据库），核对后改用服务器",
    )
    p.add_argument("url", help="服务器数据库地址：postgresql://用户名:密码@服务器:端口/数据库名")
    p.add_argument("--data-dir", help="数据文件夹（默认：用户数据目录）")
    p.add_argument("--keep-local", action="store_true", help="只复制核对，本站仍用本地数据库文件")
    p = sub.add_parser(
        "migrate-from-server",
        help="本站离开服务器：把服务器上的数据复制回本地数据库文件，核对后改用本地文件",
    )
    p.add_argument("url", nargs="?", help="服务器数据库地址（默认：设置中的地址）")
    p.add_argument("--data-dir", help="数据文件夹（默认：用户数据目录）")
    return {"migrate-to-server": cmd_to_server, "migrate-from-server": cmd_from_server}


def _progress(table: str, done: int, total: int) -> None:
    pct = 100 * done // total if total else 100
    print(f"\r复制 {table} {done}/{total}（{pct}%）", end="", file=sys.stderr, flush=True)
    if done >= total:
        print(file=sys.stderr)


def cmd_to_server(args: argparse.Namespace) -> int:
    paths = resolve_data_dir(args.data_dir)
    if not paths.database.exists():
        raise StoreError(f"找不到本站的数据库文件“{paths.database}”。")
    url = server_url(args.url)
    source = open_sqlite(paths.database, create=False, key=key_for(paths))  # encrypted or not
    target = open_server(url)
    try:
        report = copy_store(source, target, where="服务器数据库", progress=_progress)
    finally:
        source.dispose()
        target.dispose()
    print(report.describe())
    where = url.render_as_string(hide_password=True)
    print(f"已复制 {report.rows} 行到 {where}，各表行数和校验和一致。")
    print(f"本地数据库文件未改动：{paths.database}")
    if not args.keep_local:
        settings = save_database_url(paths, url.render_as_string(hide_password=False))
        print(f"本站此后使用服务器数据库（设置：{settings}）。")
    return 0


def cmd_from_server(args: argparse.Namespace) -> int:
    paths = resolve_data_dir(args.data_dir)
    raw = args.url or configured_database_url(paths)
    if not raw:
        raise StoreError("没有给出服务器数据库地址，设置中也没有。")
    source = open_server(server_url(raw))
    part = paths.database.with_name(paths.database.name + ".from-server")
    for stale in (part, part.with_name(part.name + "-wal"), part.with_name(part.name + "-shm")):
        stale.unlink(missing_ok=True)
    # An encrypted station stays encrypted: the new file gets the same key.
    target = open_sqlite(part, key=key_for(paths))
    try:
        report = copy_store(source, target, where="新的本地数据库", progress=_progress)
    except BaseException:
        target.dispose()
        part.unlink(missing_ok=True)
        raise
    finally:
        source.dispose()
    target.dispose()
    print(report.describe())
    if paths.database.exists():
        aside = move_aside(paths.database, "before-server")
        print(f"原有的本地数据库文件已改名保留：{aside}")
    part.replace(paths.database)
    save_database_url(paths, None)
    print(f"已复制 {report.rows} 行到 {paths.database}，各表行数和校验和一致。")
    print("本站此后使用本地数据库文件；服务器上的数据未改动。")
    return 0
