"""`gridsvc encrypt` and `gridsvc decrypt`: encryption at rest of the station's
database file and its backups (services/store_encryption.py, docs/security.md)."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gridsvc_desktop.db.encryption import PASSPHRASE_ENV, KeyRequired
from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.db.store import local_key
from gridsvc_desktop.paths import DataPaths
from gridsvc_desktop.services import station
from gridsvc_desktop.services.common import InvalidInput

Opener = Callable[[argparse.Namespace], tuple[DataPaths, Database]]


def add_parsers(sub: Any, common: Callable[[argparse.ArgumentParser], None]) -> None:
    p = sub.add_parser(
        "encrypt",
        help="加密数据库文件及其备份（SQLCipher）；先在所有电脑上关闭本程序",
    )
    common(p)
    p.add_argument(
        "--key-file",
        help="不用密码，改为生成随机密钥写入此文件（如 U 盘上）；启动时自动读取",
    )
    p = sub.add_parser("decrypt", help="取消数据库加密（数据库及其备份恢复为普通文件）")
    common(p)


def key_for(paths: DataPaths) -> str | None:
    """The key of the data folder's database file (None: not encrypted), asking
    for the passphrase on a terminal when no key file or environment variable gives it."""
    try:
        return local_key(paths)
    except KeyRequired as exc:
        if not sys.stdin.isatty():
            raise KeyRequired(f"{exc}（无人值守时请设置环境变量 {PASSPHRASE_ENV}）") from exc
        return local_key(paths, getpass.getpass("数据库密码："))


def read_new_passphrase() -> str:
    """The new passphrase: asked twice on a terminal, else one line of standard input."""
    if sys.stdin.isatty():
        first = getpass.getpass("新的数据库密码：")
        if getpass.getpass("再输入一次：") != first:
            raise InvalidInput("两次输入的密码不一致。", field="passphrase")
        return first
    return sys.stdin.readline().rstrip("\n")


def cmd_encrypt(args: argparse.Namespace, open_: Opener) -> int:
    from gridsvc_desktop.services.store_encryption import encrypt_store

    paths, db = open_(args)
    with db.read() as s:
        actor = station.actor_for(s, args.user)
    key_file = Path(args.key_file).expanduser() if args.key_file else None
    passphrase = None if key_file else read_new_passphrase()
    result = encrypt_store(paths, db, actor, passphrase=passphrase, key_file=key_file)
    print(f"数据库已加密：{result.database}；同时加密了 {len(result.backups)} 个备份。")
    if result.key_file:
        print(f"密钥在“{result.key_file}”：丢失它就再也打不开数据库，请另存一份放在安全的地方。")
    else:
        print("请牢记数据库密码：忘记它就再也打不开数据库和备份。")
    return 0


def cmd_decrypt(args: argparse.Namespace, open_: Opener) -> int:
    from gridsvc_desktop.services.store_encryption import decrypt_store

    paths, db = open_(args)
    with db.read() as s:
        actor = station.actor_for(s, args.user)
    result = decrypt_store(paths, db, actor)
    print(f"数据库已解密：{result.database}；同时解密了 {len(result.backups)} 个备份。")
    return 0


def commands(open_: Opener) -> dict[str, Callable[[argparse.Namespace], int]]:
    return {
        "encrypt": lambda args: cmd_encrypt(args, open_),
        "decrypt": lambda args: cmd_decrypt(args, open_),
    }
