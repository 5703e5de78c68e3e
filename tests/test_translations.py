"""Every user-visible string has a finished Simplified Chinese translation.

The source strings are collected from gridsvc_desktop/ui/**.py and app.py with
`ast` (self.tr("…") in a class → context = class name;
QCoreApplication.translate("context", "…")), and compared with the committed
resources/i18n/gridsvc_zh_CN.ts. pyside6-lupdate, run into a temporary file,
must find the same strings (so what the tests check is what Linguist sees), and
the committed .qm must be what pyside6-lrelease makes of the .ts.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest

from gridsvc_desktop.ui import i18n
from gridsvc_desktop.ui.qt import QTranslator

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "gridsvc_desktop"
TS_FILE = ROOT / "resources" / "i18n" / "gridsvc_zh_CN.ts"
QM_FILE = ROOT / "resources" / "i18n" / "gridsvc_zh_CN.qm"
TRANSLATE_OWNERS = {"QCoreApplication", "QApplication", "QGuiApplication"}
PLACEHOLDER = re.compile(r"\{[a-z_]*\}")


def source_files() -> list[Path]:
    return [*sorted((PACKAGE / "ui").rglob("*.py")), PACKAGE / "app.py"]


@dataclass(frozen=True)
class Found:
    context: str
    source: str
    where: str


class Extractor(ast.NodeVisitor):
    """tr()/translate() calls of one module: strings, and calls lupdate cannot read."""

    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.classes: list[str] = []
        self.found: list[Found] = []
        self.problems: list[str] = []

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.classes.append(node.name)
        self.generic_visit(node)
        self.classes.pop()

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        where = f"{self.filename}:{node.lineno}"
        if isinstance(func, ast.Attribute) and func.attr == "tr":
            if not (isinstance(func.value, ast.Name) and func.value.id == "self" and self.classes):
                self.problems.append(f"{where}: tr() only as self.tr() inside a class")
            elif len(node.args) != 1 or node.keywords or not _literal(node.args[0]):
                self.problems.append(f"{where}: self.tr() needs one literal string")
            else:
                self.found.append(Found(self.classes[-1], _literal(node.args[0]) or "", where))
        elif (
            isinstance(func, ast.Attribute)
            and func.attr == "translate"
            and isinstance(func.value, ast.Name)
            and func.value.id in TRANSLATE_OWNERS
        ):
            if len(node.args) != 2 or node.keywords or not all(_literal(a) for a in node.args):
                self.problems.append(f"{where}: translate() needs a literal context and string")
            else:
                context, source = (_literal(a) or "" for a in node.args)
                self.found.append(Found(context, source, where))
        self.generic_visit(node)


def _literal(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def extract(paths: list[Path]) -> tuple[list[Found], list[str]]:
    found: list[Found] = []
    problems: list[str] = []
    for path in paths:
        extractor = Extractor(path.relative_to(path.parents[2]).as_posix())
        extractor.visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
        found += extractor.found
        problems += extractor.problems
    return found, problems


def read_ts(path: Path) -> dict[tuple[str, str], tuple[str, str | None]]:
    """(context, source) → (translation, type attribute)."""
    out = {}
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            translation = message.find("translation")
            assert translation is not None
            out[(name, message.findtext("source", ""))] = (
                translation.text or "",
                translation.get("type"),
            )
    return out


@pytest.fixture(scope="module")
def strings() -> list[Found]:
    found, problems = extract(source_files())
    assert problems == [], "strings lupdate cannot extract:\n" + "\n".join(problems)
    return found


@pytest.fixture(scope="module")
def ts() -> dict[tuple[str, str], tuple[str, str | None]]:
    return read_ts(TS_FILE)


def test_extraction_finds_the_strings(strings: list[Found]) -> None:
    keys = {(f.context, f.source) for f in strings}
    assert ("MainWindow", "&File") in keys
    assert ("CustomersPage", "Customers") in keys
    assert ("CustomerTableModel", "Account no.") in keys
    assert len(keys) > 50


def test_extractor_flags_what_lupdate_cannot_read(tmp_path: Path) -> None:
    pkg = tmp_path / "a" / "b"
    pkg.mkdir(parents=True)
    bad = pkg / "bad.py"
    bad.write_text(
        "class W:\n"
        "    def f(self, name):\n"
        "        self.tr(f'Hello {name}')\n"
        "        self.tr(name)\n"
        "        self.tr('Fine')\n"
        "def g(ctx):\n"
        "    QCoreApplication.translate(ctx, 'x')\n",
        encoding="utf-8",
    )
    found, problems = extract([bad])
    assert [(f.context, f.source) for f in found] == [("W", "Fine")]
    assert len(problems) == 3


def test_every_string_has_a_finished_chinese_translation(
    strings: list[Found], ts: dict[tuple[str, str], tuple[str, str | None]]
) -> None:
    missing = []
    for f in strings:
        text, kind = ts.get((f.context, f.source), ("", "missing"))
        if kind is not None or not text.strip():
            missing.append(f"{f.where} [{f.context}] {f.source!r}: {kind or 'empty'}")
    assert missing == [], (
        "untranslated strings (run scripts/update_translations.py, then translate):\n"
        + "\n".join(missing)
    )


def test_no_stale_entries_in_the_ts(
    strings: list[Found], ts: dict[tuple[str, str], tuple[str, str | None]]
) -> None:
    used = {(f.context, f.source) for f in strings}
    assert sorted(set(ts) - used) == []


def test_translations_keep_placeholders_and_accelerators(
    ts: dict[tuple[str, str], tuple[str, str | None]],
) -> None:
    wrong = []
    for (context, source), (text, _kind) in ts.items():
        if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(text)):
            wrong.append(f"[{context}] {source!r} → {text!r}: placeholders differ")
        if "&" in source and not re.search(r"\(&[A-Z]\)|&\w", text):
            wrong.append(f"[{context}] {source!r} → {text!r}: accelerator lost")
        if (
            source.strip()
            and text.strip()
            and re.fullmatch(r"[\x00-\x7f]*", text)
            and re.search("[a-z]{3}", text)
        ):
            wrong.append(f"[{context}] {source!r} → {text!r}: looks untranslated")
    assert wrong == []


def test_qm_loads_and_translates(qapp) -> None:  # type: ignore[no-untyped-def]
    translator = QTranslator()
    assert translator.load(str(i18n.qm_path(i18n.CHINESE)))
    assert i18n.qm_path(i18n.CHINESE) == QM_FILE
    assert translator.translate("MainWindow", "&File") == "文件(&F)"
    assert translator.translate("CustomersPage", "Customers") == "客户"
    assert (
        translator.translate(
            "CustomersPage",
            "Showing the first {count} matches; type more characters to narrow the search",
        )
        == "显示前 {count} 条，请输入更多字符缩小范围"
    )


def _tool(name: str) -> str:
    found = shutil.which(name) or str(Path(sys.executable).with_name(name))
    if not Path(found).exists():
        pytest.skip(f"{name} is not installed")
    return found


def test_committed_qm_is_compiled_from_the_ts(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.qm"
    subprocess.run(
        [_tool("pyside6-lrelease"), "-silent", str(TS_FILE), "-qm", str(fresh)], check=True
    )
    assert fresh.read_bytes() == QM_FILE.read_bytes(), (
        "gridsvc_zh_CN.qm is stale: run scripts/update_translations.py"
    )


def test_lupdate_sees_the_same_strings(strings: list[Found], tmp_path: Path) -> None:
    out = tmp_path / "fresh.ts"
    files = [str(p.relative_to(ROOT)) for p in source_files()]
    subprocess.run(
        [_tool("pyside6-lupdate"), "-silent", "-locations", "none", *files, "-ts", str(out)],
        check=True,
        cwd=ROOT,
    )
    assert set(read_ts(out)) == {(f.context, f.source) for f in strings}
