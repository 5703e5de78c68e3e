"""`gridsvc-desktop --self-test`: prove that this installation works, end to end.

Run on a station PC after copying the bundle, and by CI on every build. In a
temporary folder it

1. checks the files the program loads at run time are there (font, translation,
   icons, migrations);
2. creates a fresh database and runs every migration;
3. asks the working-day clock about dates only China's official calendar knows;
4. writes a small customer ledger and transformer-area ledger with the demo
   writer and imports them through the import service;
5. builds a PDF with Chinese text in the bundled font and checks the font is
   embedded with a ToUnicode map (so the text prints and can be searched);
6. writes the rotating log file;
7. starts the main window (offscreen when there is no display), lets it show
   the imported customers, and closes it (the Qt half is handed in by app.py:
   nothing below ui/ imports Qt).

It prints one line per check, ✓ or ✗ with what was checked and how long it
took, and exits 0 only if every check passed. The user's own data folder is
never touched.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shutil
import sys
import tempfile
import time
import traceback
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from gridsvc_desktop import __version__
from gridsvc_desktop.paths import DataPaths, program_dir, resources_dir

PASS = "✓"
FAIL = "✗"
#: Customers in the sample county the ledgers are written from.
SAMPLE_CUSTOMERS = 1000
#: Chinese text drawn into the PDF; every character must be in its ToUnicode map.
PDF_TEXT = "网格化供电服务 自检 台区 户号"
REPORT_FILE_NAME = "gridsvc-selftest.txt"


class CheckFailed(Exception):
    """A check found something wrong; the message says what."""


@dataclass
class SelfTest:
    """What the checks share: the scratch folder and what earlier checks made."""

    workdir: Path
    paths: DataPaths
    db: Any = None  # gridsvc_desktop.db.engine.Database once the database check ran
    customers: int = 0
    notes: dict[str, Any] = field(default_factory=dict)

    def close(self) -> None:
        if self.db is not None:
            self.db.dispose()
            self.db = None


Check = Callable[[SelfTest], str]


@dataclass(frozen=True)
class Result:
    name: str
    ok: bool
    detail: str
    seconds: float

    def line(self) -> str:
        mark = PASS if self.ok else FAIL
        return f"{mark} {self.name}：{self.detail}（{self.seconds:.2f} 秒）"


# ---- the checks


def check_files(_st: SelfTest) -> str:
    """The files loaded at run time are where the program looks for them."""
    from gridsvc_desktop.db.migrate import MIGRATIONS_DIR

    res = resources_dir()
    wanted = [
        res / "fonts" / "wqy-microhei.ttc",
        res / "fonts" / "LICENSE-wqy-microhei.txt",
        res / "i18n" / "gridsvc_zh_CN.qm",
        res / "icons" / "app.svg",
        MIGRATIONS_DIR / "env.py",
        MIGRATIONS_DIR / "script.py.mako",
    ]
    missing = [str(p) for p in wanted if not p.is_file()]
    versions = sorted((MIGRATIONS_DIR / "versions").glob("*.py"))
    if not versions:
        missing.append(str(MIGRATIONS_DIR / "versions" / "*.py"))
    if missing:
        raise CheckFailed("缺少文件：" + "、".join(missing))
    if getattr(sys, "frozen", False) and __version__.startswith("0.0.0"):
        raise CheckFailed("程序包里没有版本信息（gridsvc_desktop 的 dist-info 未打包）")
    count = sum(1 for p in res.rglob("*") if p.is_file())
    return f"资源 {count} 个文件、迁移脚本 {len(versions)} 个，位于 {res.parent}"


def check_database(st: SelfTest) -> str:
    """A new database in the scratch folder, migrated to the newest schema."""
    from gridsvc_desktop.db.migrate import current_revision, head_revision
    from gridsvc_desktop.db.store import open_store
    from gridsvc_desktop.services import station

    if st.paths.database.exists():
        raise CheckFailed(f"临时文件夹里已有数据库：{st.paths.database}")
    st.db = open_store(st.paths)
    head = head_revision()
    current = current_revision(st.db)
    if current != head:
        raise CheckFailed(f"迁移后结构版本为 {current}，应为 {head}")
    with st.db.write() as session:
        station.initialize(session, name="自检供电所", county="自检县")
    st.db.quick_check()
    return f"新建并迁移到结构版本 {head}，完整性检查通过"


def check_calendar(_st: SelfTest) -> str:
    """China's official calendar data: a holiday and a make-up workday (调休)."""
    from gridsvc_desktop.domain.workdays import WorkCalendar

    cal = WorkCalendar()
    national_day, makeup = dt.date(2024, 10, 1), dt.date(2024, 10, 12)  # Tue off, Sat worked
    if cal.is_workday(national_day) or not cal.is_workday(makeup):
        raise CheckFailed("2024 年国庆假期与调休上班日判断有误（chinese_calendar 数据缺失？）")
    return "2024-10-01 休息、2024-10-12（周六）调休上班，判断正确"


def check_ledger_import(st: SelfTest) -> str:
    """Write a sample transformer-area and customer ledger, import them, count the customers."""
    from sqlalchemy import func, select

    from gridsvc_desktop.db.models import Customer, TransformerArea
    from gridsvc_desktop.db.store import open_store
    from gridsvc_desktop.demo import build_county, write_ledgers
    from gridsvc_desktop.services import imports
    from gridsvc_desktop.services import station as station_svc

    if st.db is None:
        raise CheckFailed("数据库检查未通过，无法导入")
    source_paths = DataPaths(st.workdir / "sample-county")
    source = open_store(source_paths)
    try:
        build_county(source, customers=SAMPLE_CUSTOMERS, seed=7)
        folder = st.workdir / "ledgers"
        files = write_ledgers(folder, db=source, seed=7)
    finally:
        source.dispose()
    by_kind = {kind: _pick_ledger(files, kind) for kind in ("台区", "客户")}
    with st.db.read() as session:
        actor = station_svc.actor_for(session, "admin")
    done = []
    for path in by_kind.values():
        try:  # all or nothing: the demo's clean ledgers must import without a refused row
            plan = imports.import_ledger(st.db, actor, path)
        except imports.ImportRefused as exc:
            first = "；".join(r.reason for r in exc.plan.refused[:3])
            raise CheckFailed(f"{path.name} 有 {len(exc.plan.refused)} 行被拒绝：{first}") from exc
        done.append(f"{path.name}（{plan.summary_line()}）")
    with st.db.read() as session:
        customers = session.execute(select(func.count()).select_from(Customer)).scalar_one()
        areas = session.execute(select(func.count()).select_from(TransformerArea)).scalar_one()
    if customers < SAMPLE_CUSTOMERS * 0.9 or areas == 0:
        raise CheckFailed(f"导入后只有 {customers} 户、{areas} 个台区")
    st.customers = customers
    return f"导入 {areas} 个台区、{customers} 户：" + "；".join(done)


def _pick_ledger(files: Sequence[Path], kind: str) -> Path:
    """The clean .xlsx of a ledger kind among write_ledgers' files (客户档案.xlsx, 台区档案.xlsx)."""
    candidates = [f for f in files if f.suffix == ".xlsx" and f.stem.startswith(kind)]
    if not candidates:
        raise CheckFailed(f"演示台账中没有“{kind}”台账")
    return min(candidates, key=lambda f: (len(f.stem), f.name))


def check_pdf(st: SelfTest) -> str:
    """A PDF with Chinese text in the bundled font: embedded, with a ToUnicode map."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from gridsvc_desktop.reports.fonts import register_fonts

    name = register_fonts()  # the reports' own registration of the bundled TTC
    target = st.workdir / "selftest.pdf"
    pdf = canvas.Canvas(str(target), pagesize=A4)
    pdf.setTitle("gridsvc self-test")
    pdf.setFont(name, 16)
    pdf.drawString(72, 760, PDF_TEXT)
    pdf.showPage()
    pdf.save()
    data = target.read_bytes()
    if not data.startswith(b"%PDF-"):
        raise CheckFailed("生成的文件不是 PDF")
    base = re.search(rb"/BaseFont\s*/([A-Z]{6}\+[^\s/>]+)", data)
    if base is None or b"/FontFile2" not in data:
        raise CheckFailed("PDF 中没有嵌入 TrueType 字体子集")
    if b"/ToUnicode" not in data:
        raise CheckFailed("PDF 字体没有 ToUnicode 映射，文字无法复制和搜索")
    mapped = _tounicode_chars(data)
    missing = sorted({c for c in PDF_TEXT if not c.isspace()} - mapped)
    if missing:
        raise CheckFailed("ToUnicode 映射中缺少：" + "".join(missing))
    st.notes["pdf"] = target
    font = base.group(1).decode("ascii", "replace")
    return f"{len(data):,} 字节，嵌入字体 {font}，“{PDF_TEXT}”可提取"


def _pdf_streams(data: bytes) -> Iterator[bytes]:
    for match in re.finditer(rb"stream\r?\n", data):
        start = match.end()
        end = data.find(b"endstream", start)
        if end < 0:
            continue
        raw = data[start:end].rstrip(b"\r\n")
        header = data[max(0, match.start() - 300) : match.start()]
        if b"/FlateDecode" in header:
            try:
                yield zlib.decompress(raw)
            except zlib.error:
                continue
        elif b"/ASCII85Decode" in header:
            continue  # reportlab only uses it when asked to
        else:
            yield raw


def _tounicode_chars(data: bytes) -> set[str]:
    """Characters mapped by the PDF's ToUnicode CMaps (bfchar and bfrange entries)."""
    chars: set[str] = set()
    for stream in _pdf_streams(data):
        if b"begincmap" not in stream:
            continue
        text = stream.decode("latin-1")
        for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
            for _src, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                chars.add(_utf16(dst))
        for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
            for lo, hi, dst in re.findall(
                r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block
            ):
                first = ord(_utf16(dst)[:1] or "\0")
                for offset in range(int(hi, 16) - int(lo, 16) + 1):
                    chars.add(chr(first + offset))
    return chars


def _utf16(hex_text: str) -> str:
    try:
        return bytes.fromhex(hex_text).decode("utf-16-be")
    except (ValueError, UnicodeDecodeError):
        return ""


def check_log(st: SelfTest) -> str:
    """The rotating log file can be written in a data folder."""
    import logging

    from gridsvc_desktop.logs import log_file, remove_file_logging, setup_file_logging

    handler = setup_file_logging(st.paths)
    if handler is None:
        raise CheckFailed(f"无法写日志文件 {log_file(st.paths)}")
    try:
        logging.getLogger("gridsvc_desktop.selftest").info("self-test log line")
        handler.flush()
    finally:
        remove_file_logging(handler)
    text = log_file(st.paths).read_text(encoding="utf-8")
    if "self-test log line" not in text:
        raise CheckFailed("日志文件里没有写入的内容")
    return f"{log_file(st.paths).name} 可写，满 {handler.maxBytes // 1000} KB 轮换，保留 {handler.backupCount} 份"


def standard_checks() -> list[tuple[str, Check]]:
    """The checks that need no Qt; app.py appends the main window's."""
    return [
        ("程序文件", check_files),
        ("数据库", check_database),
        ("工作日历", check_calendar),
        ("台账导入", check_ledger_import),
        ("PDF 中文", check_pdf),
        ("日志", check_log),
    ]


# ---- running


def run_checks(checks: Sequence[tuple[str, Check]], st: SelfTest, out: IO[str]) -> list[Result]:
    results = []
    for name, check in checks:
        started = time.perf_counter()
        try:
            detail = check(st)
            ok = True
        except CheckFailed as exc:
            detail, ok = str(exc), False
        except Exception as exc:
            detail = f"{type(exc).__name__}: {exc}"
            ok = False
            st.notes.setdefault("tracebacks", []).append(traceback.format_exc())
        result = Result(name, ok, detail, time.perf_counter() - started)
        results.append(result)
        print(result.line(), file=out, flush=True)
    return results


def needs_offscreen(environ: dict[str, str] | os._Environ[str] = os.environ) -> bool:
    """No display to show a window on (Linux without X11 or Wayland)."""
    if environ.get("QT_QPA_PLATFORM"):
        return False
    if sys.platform.startswith("linux") or "bsd" in sys.platform:
        return not (environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"))
    return False


@contextlib.contextmanager
def _report_stream() -> Iterator[IO[str]]:
    """stdout; a windowed program on Windows has none, so a file in the temp folder then."""
    if sys.stdout is not None:
        with contextlib.suppress(AttributeError, ValueError):
            sys.stdout.reconfigure(errors="replace")  # type: ignore[union-attr]
        yield sys.stdout
        return
    path = Path(tempfile.gettempdir()) / REPORT_FILE_NAME
    with path.open("w", encoding="utf-8") as fh:
        yield fh


def run(
    extra_checks: Sequence[tuple[str, Check]] = (),
    *,
    keep: bool = False,
    out: IO[str] | None = None,
) -> int:
    """Run every check in a fresh temporary folder; 0 if all passed, else 1."""
    if needs_offscreen():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    checks = [*standard_checks(), *extra_checks]
    workdir = Path(tempfile.mkdtemp(prefix="gridsvc-selftest-"))
    st = SelfTest(workdir=workdir, paths=DataPaths(workdir / "data"))
    with contextlib.ExitStack() as stack:
        stream = out if out is not None else stack.enter_context(_report_stream())
        kind = "程序包" if getattr(sys, "frozen", False) else "源码"
        print(
            f"gridsvc-desktop {__version__} 自检（{kind}：{program_dir()}；临时文件夹 {workdir}）",
            file=stream,
        )
        started = time.perf_counter()
        try:
            results = run_checks(checks, st, stream)
        finally:
            st.close()
            if not keep:
                shutil.rmtree(workdir, ignore_errors=True)
        failed = [r for r in results if not r.ok]
        total = time.perf_counter() - started
        for tb in st.notes.get("tracebacks", []):
            print(tb, file=stream)
        if failed:
            print(
                f"自检未通过：{len(failed)}/{len(results)} 项失败（共 {total:.1f} 秒）", file=stream
            )
            return 1
        print(f"自检通过：{len(results)} 项全部正常（共 {total:.1f} 秒）", file=stream)
        return 0
