"""`gridsvc-desktop --self-test`: all checks pass on a good install, and a broken one says why."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gridsvc_desktop import selftest
from gridsvc_desktop.paths import DataPaths
from gridsvc_desktop.selftest import FAIL, PASS, CheckFailed, SelfTest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_the_self_test_passes_from_the_source_tree_without_a_display(tmp_path: Path) -> None:
    """The real entry point, in a child process with no DISPLAY and no QT_QPA_PLATFORM."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    env["TMPDIR"] = str(tmp_path)  # the scratch folder goes here, and must be gone afterwards
    env["HOME"] = str(tmp_path / "home")  # the user's data folder must not be touched
    env["XDG_DATA_HOME"] = str(tmp_path / "home" / ".local" / "share")
    out = subprocess.run(
        [sys.executable, "-m", "gridsvc_desktop", "--self-test"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=ROOT,
        timeout=240,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    lines = out.stdout.strip().splitlines()
    checks = [line for line in lines if line[:1] in (PASS, FAIL)]
    names = [line[2:].split("：", 1)[0] for line in checks]
    assert names == [
        "程序文件",
        "数据库",
        "工作日历",
        "台账导入",
        "PDF 中文",
        "日志",
        "Qt 运行环境",
        "主窗口",
    ]
    assert all(line.startswith(PASS) and line.endswith("秒）") for line in checks)
    assert "平台插件 offscreen" in out.stdout
    assert lines[-1].startswith("自检通过：8 项")
    assert list(tmp_path.glob("gridsvc-selftest-*")) == []
    assert not (tmp_path / "home").exists()


def run_with(
    checks: list[tuple[str, selftest.Check]], monkeypatch: pytest.MonkeyPatch
) -> tuple[int, str]:
    monkeypatch.setattr(selftest, "standard_checks", lambda: checks)
    out = io.StringIO()
    code = selftest.run(out=out)
    return code, out.getvalue()


def test_a_failing_check_fails_the_self_test_and_says_why(monkeypatch: pytest.MonkeyPatch) -> None:
    def fine(_st: SelfTest) -> str:
        return "好的"

    def broken(_st: SelfTest) -> str:
        raise CheckFailed("缺少文件：wqy-microhei.ttc")

    def buggy(_st: SelfTest) -> str:
        raise ZeroDivisionError("division by zero")

    code, text = run_with([("甲", fine), ("乙", broken), ("丙", buggy)], monkeypatch)
    assert code == 1
    lines = text.splitlines()
    assert lines[1].startswith(f"{PASS} 甲：好的（")
    assert lines[2].startswith(f"{FAIL} 乙：缺少文件：wqy-microhei.ttc（")
    assert lines[3].startswith(f"{FAIL} 丙：ZeroDivisionError: division by zero（")
    assert "Traceback" in text
    assert "自检未通过：2/3 项失败" in text


def test_missing_resources_are_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(selftest, "resources_dir", lambda: tmp_path / "resources")
    with pytest.raises(CheckFailed, match=r"wqy-microhei\.ttc"):
        selftest.check_files(SelfTest(tmp_path, DataPaths(tmp_path / "data")))


def test_the_pdf_check_reads_what_a_pdf_reader_reads(tmp_path: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    st = SelfTest(tmp_path, DataPaths(tmp_path / "data"))
    detail = selftest.check_pdf(st)
    assert "WenQuanYiMicroHei" in detail
    reader = pypdf.PdfReader(st.notes["pdf"])
    assert reader.pages[0].extract_text().strip() == selftest.PDF_TEXT
    fonts = [f.get_object() for f in reader.pages[0]["/Resources"]["/Font"].values()]
    fonts = [f for f in fonts if "WenQuanYi" in f["/BaseFont"]]
    assert fonts and all(f["/Subtype"] == "/TrueType" for f in fonts)
    assert all("/FontFile2" in f["/FontDescriptor"].get_object() for f in fonts)  # embedded
    # and the check really looks: a CMap that lacks a character is caught
    assert "自" in selftest._tounicode_chars(st.notes["pdf"].read_bytes())
    assert "缺" not in selftest._tounicode_chars(st.notes["pdf"].read_bytes())


def test_the_ledger_check_needs_the_database(tmp_path: Path) -> None:
    with pytest.raises(CheckFailed, match="数据库"):
        selftest.check_ledger_import(SelfTest(tmp_path, DataPaths(tmp_path / "data")))


@pytest.mark.parametrize(
    ("platform", "environ", "offscreen"),
    [
        ("linux", {}, True),
        ("linux", {"DISPLAY": ":0"}, False),
        ("linux", {"WAYLAND_DISPLAY": "wayland-0"}, False),
        ("linux", {"QT_QPA_PLATFORM": "xcb"}, False),
        ("win32", {}, False),
    ],
)
def test_offscreen_only_without_a_display(
    platform: str, environ: dict[str, str], offscreen: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "platform", platform)
    assert selftest.needs_offscreen(environ) is offscreen
