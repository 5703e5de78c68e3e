"""Regenerate the Chinese translation from the sources, then compile it.

    python scripts/update_translations.py          # update .ts, compile .qm
    python scripts/update_translations.py --check  # exit 1 if anything is untranslated

1. pyside6-lupdate collects every tr()/translate() string of gridsvc_desktop/ui
   and app.py into resources/i18n/gridsvc_zh_CN.ts, keeping the translations
   already there and dropping strings no longer used;
2. translate the new entries (Qt Linguist: `pyside6-linguist <ts>`, or by hand:
   fill <translation> and remove type="unfinished");
3. pyside6-lrelease compiles the .ts into gridsvc_zh_CN.qm, which the program loads.

Commit both files. tests/test_translations.py fails while any string lacks a
finished translation or the .qm is stale.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "gridsvc_desktop"
I18N = ROOT / "resources" / "i18n"
LANGUAGE = "zh_CN"
TS_FILE = I18N / f"gridsvc_{LANGUAGE}.ts"
QM_FILE = I18N / f"gridsvc_{LANGUAGE}.qm"


def source_files() -> list[Path]:
    """Every file whose strings are translated: the UI package and app.py."""
    return [*sorted((PACKAGE / "ui").rglob("*.py")), PACKAGE / "app.py"]


def tool(name: str) -> str:
    """Path of a PySide6 tool (pyside6-lupdate, pyside6-lrelease)."""
    found = shutil.which(name)
    if found:
        return found
    candidate = Path(sys.executable).with_name(name)
    if candidate.exists():
        return str(candidate)
    raise SystemExit(f"{name} not found: install PySide6 (it ships the Qt Linguist tools)")


def lupdate(ts_file: Path, *, keep_obsolete: bool = False) -> None:
    args = [tool("pyside6-lupdate"), "-silent", "-locations", "none"]
    args += ["-target-language", LANGUAGE]
    if not keep_obsolete:
        args.append("-no-obsolete")
    args += [str(p.relative_to(ROOT)) for p in source_files()]
    args += ["-ts", str(ts_file)]
    subprocess.run(args, check=True, cwd=ROOT)


def lrelease(ts_file: Path, qm_file: Path) -> None:
    subprocess.run(
        [tool("pyside6-lrelease"), "-silent", str(ts_file), "-qm", str(qm_file)],
        check=True,
        cwd=ROOT,
    )


def unfinished(ts_file: Path) -> list[tuple[str, str]]:
    """(context, source) of every message without a finished translation."""
    out = []
    for context in ET.parse(ts_file).getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            translation = message.find("translation")
            if (
                translation is None
                or translation.get("type") in ("unfinished", "obsolete", "vanished")
                or not (translation.text or "").strip()
            ):
                out.append((name, message.findtext("source", "")))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="only report untranslated strings (exit 1 if any)"
    )
    args = parser.parse_args(argv)
    if not args.check:
        I18N.mkdir(parents=True, exist_ok=True)
        lupdate(TS_FILE)
        lrelease(TS_FILE, QM_FILE)
    missing = unfinished(TS_FILE)
    for context, source in missing:
        print(f"untranslated: [{context}] {source}")
    if not args.check:
        print(f"{TS_FILE.relative_to(ROOT)}, {QM_FILE.relative_to(ROOT)} updated")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
