"""Optional encryption of the database file at rest (SQLCipher).

What it protects: the station's database and every backup of it are
AES-256 encrypted page by page by SQLCipher (the `sqlcipher3-wheels` binding,
which ships SQLCipher 4 built in for Windows and Linux on x86-64). Whoever copies
the data folder, a backup or the PC's disk without the key reads nothing; a
signed-in user of the running program sees what their role allows, as before.

The key: the admin sets a passphrase (or has a random key written to a key
file, for example on a USB stick or a folder only the station's accounts can
read). The passphrase is stretched once per start with PBKDF2-HMAC-SHA512 at
256,000 iterations (SQLCipher 4's own default) and a random salt; every
connection then uses the resulting raw 256-bit key, so opening the pool's
connections, backups and checks costs no further key derivation.

`encryption.json` beside the database says that the file is encrypted and how
the key is found (salt, iterations, key file); it holds no secret. Where the
key comes from at start: the key file it names, else the environment variable
GRIDSVC_DB_PASSPHRASE, else the program asks (the GUI before sign-in, the CLI
on the terminal).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from gridsvc_desktop.db.errors import StoreError

INFO_FILE = "encryption.json"
PASSPHRASE_ENV = "GRIDSVC_DB_PASSPHRASE"
KDF_ITERATIONS = 256_000
MIN_PASSPHRASE = 10


class EncryptionUnavailable(StoreError):
    """SQLCipher is not installed on this PC."""


class KeyRequired(StoreError):
    """The database is encrypted and no key was found: ask for the passphrase."""


class WrongKey(StoreError):
    """The key does not open the database."""


@dataclass(frozen=True)
class EncryptionInfo:
    """The contents of encryption.json (no secret)."""

    salt: bytes
    iterations: int = KDF_ITERATIONS
    key_file: Path | None = None

    def to_json(self) -> str:
        data: dict[str, Any] = {
            "cipher": "sqlcipher4",
            "kdf": "pbkdf2-hmac-sha512",
            "salt": base64.b64encode(self.salt).decode(),
            "iterations": self.iterations,
        }
        if self.key_file is not None:
            data["key_file"] = str(self.key_file)
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def dbapi() -> ModuleType:
    """The SQLCipher DB-API module; EncryptionUnavailable with a message if it is missing."""
    try:
        import sqlcipher3.dbapi2 as module
    except ImportError as exc:
        raise EncryptionUnavailable(
            "本机没有安装 SQLCipher（sqlcipher3-wheels），无法打开或建立加密的数据库。"
            "请安装本程序的完整版本。"
        ) from exc
    return module


def available() -> bool:
    try:
        dbapi()
    except EncryptionUnavailable:
        return False
    return True


def read_info(folder: Path) -> EncryptionInfo | None:
    """The folder's encryption.json, or None when its database is not encrypted."""
    path = folder / INFO_FILE
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        salt = base64.b64decode(data["salt"])
        iterations = int(data.get("iterations", KDF_ITERATIONS))
        key_file = Path(data["key_file"]) if data.get("key_file") else None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise StoreError(
            f"加密设置文件“{path}”读不出来（{exc}）。没有它无法打开加密的数据库；"
            "请从别处恢复该文件。"
        ) from exc
    return EncryptionInfo(salt=salt, iterations=iterations, key_file=key_file)


def write_info(folder: Path, info: EncryptionInfo) -> Path:
    path = folder / INFO_FILE
    tmp = path.with_suffix(".json.part")
    tmp.write_text(info.to_json(), encoding="utf-8")
    tmp.replace(path)
    return path


def new_info(key_file: Path | None = None) -> EncryptionInfo:
    return EncryptionInfo(salt=secrets.token_bytes(16), key_file=key_file)


def derive_key(passphrase: str, info: EncryptionInfo) -> str:
    """The raw key (64 hex digits) for a passphrase."""
    raw = hashlib.pbkdf2_hmac("sha512", passphrase.encode("utf-8"), info.salt, info.iterations, 32)
    return raw.hex()


def new_key_file(path: Path) -> str:
    """Write a random raw key to `path` (created, never overwritten); returns it."""
    key = secrets.token_hex(32)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="ascii") as fh:
        fh.write(key + "\n")
    return key


def read_key_file(path: Path) -> str:
    try:
        key = path.read_text(encoding="ascii").strip().lower()
    except (OSError, UnicodeDecodeError) as exc:
        raise KeyRequired(f"读不到数据库密钥文件“{path}”（{exc}）。") from exc
    if len(key) != 64 or any(c not in "0123456789abcdef" for c in key):
        raise WrongKey(f"密钥文件“{path}”的内容不是本程序写的密钥。")
    return key


def resolve_key(folder: Path, passphrase: str | None = None) -> str | None:
    """The raw key for the database in `folder`: None when it is not encrypted.

    Raises KeyRequired when it is encrypted and neither a key file, the
    environment variable nor `passphrase` gives a key.
    """
    info = read_info(folder)
    if info is None:
        return None
    if passphrase:
        return derive_key(passphrase, info)
    if info.key_file is not None and info.key_file.exists():
        return read_key_file(info.key_file)
    env = os.environ.get(PASSPHRASE_ENV)
    if env:
        return derive_key(env, info)
    where = f"（或插入存放密钥文件“{info.key_file}”的设备）" if info.key_file else ""
    raise KeyRequired(f"数据库已加密，请输入数据库密码{where}。")


def db_errors() -> tuple[type[Exception], ...]:
    """The DB-API error classes a connection from `connect` may raise (two families)."""
    if available():
        return (sqlite3.Error, dbapi().Error)
    return (sqlite3.Error,)


def connect(
    path: Path | str, key: str | None, *, readonly: bool = False, timeout: float = 30
) -> Any:
    """A DB-API connection: plain sqlite3 without a key, SQLCipher with one."""
    target, uri = (f"file:{path}?mode=ro", True) if readonly else (str(path), False)
    if key is None:
        return sqlite3.connect(target, uri=uri, timeout=timeout, check_same_thread=False)
    module = dbapi()
    con = module.connect(target, uri=uri, timeout=timeout, check_same_thread=False)
    con.execute("PRAGMA cipher_log_level = NONE")  # a wrong key is our message, not stderr noise
    con.execute(f"PRAGMA key = \"x'{key}'\"")
    return con


def check_key(path: Path, key: str) -> None:
    """WrongKey unless `key` opens the database at `path`."""
    con = connect(path, key, readonly=True)
    try:
        con.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except dbapi().DatabaseError as exc:
        raise WrongKey(f"密码或密钥不对，打不开数据库“{path}”。") from exc
    finally:
        con.close()


def export_copy(source: Path, dest: Path, *, source_key: str | None, dest_key: str | None) -> None:
    """Write a copy of `source` to a new file `dest`, re-keyed (SQLCipher's sqlcipher_export).

    `None` as a key means plain SQLite. The source is read in one transaction,
    so a concurrent writer cannot tear the copy.
    """
    if dest.exists():
        raise FileExistsError(dest)
    module = dbapi()
    con = module.connect(str(source), timeout=30, check_same_thread=False)
    try:
        con.isolation_level = None
        con.execute("PRAGMA cipher_log_level = NONE")
        if source_key is not None:
            con.execute(f"PRAGMA key = \"x'{source_key}'\"")
        attach_key = f"x'{dest_key}'" if dest_key is not None else ""
        con.execute("ATTACH DATABASE ? AS target KEY ?", (str(dest), attach_key))
        con.execute("BEGIN")
        con.execute("SELECT sqlcipher_export('target')").fetchall()
        version = con.execute("PRAGMA main.user_version").fetchone()[0]
        con.execute(f"PRAGMA target.user_version = {int(version)}")
        con.execute("COMMIT")
        con.execute("DETACH DATABASE target")
    finally:
        con.close()
