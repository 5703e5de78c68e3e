"""Regenerate the Chinese translation from the sources, then compile it.

    python scripts/update_translations.py          # update .ts, compile .qm
    python scripts/update_translations.py --check  # exit 1 if anything is untranslated

1. pyside6-lupdate collects every tr()/translate() string of gridsvc_desktop/ui
   and app.py into resources/i18n/gridsvc_zh_CN.ts, keeping the translations
   already there and dropping strings no longer used;
2. translate the new entries (Qt Linguist: `pyside6-linguist <ts>`, or by hand:
   fill <translation> and remove type="unfinished");
   or list them in a UTF-8 TSV file (context<TAB>English source<TAB>Chinese)
   and pass it with `--fill FILE` (several may be given; escapes \\n and \\t);
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


def fill(ts_file: Path, tsv_files: list[Path]) -> int:
    """Fill unfinished entries from TSV rows (context, source, translation).

    Returns how many entries were filled. ElementTree rewrites the layout;
    main() runs lupdate again afterwards to restore it.
    """
    pairs: dict[tuple[str, str], str] = {}
    for tsv in tsv_files:
        for number, line in enumerate(tsv.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) != 3:
                raise SystemExit(f"{tsv}:{number}: expected context<TAB>source<TAB>translation")
            context, source, translation = (
                p.replace("\\n", "\n").replace("\\t", "\t") for p in parts
            )
            pairs[(context, source)] = translation
    tree = ET.parse(ts_file)
    filled = 0
    for context in tree.getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            key = (name, message.findtext("source", ""))
            translation = message.find("translation")
            if key not in pairs or translation is None:
                continue
            if translation.get("type") == "unfinished" or not (translation.text or "").strip():
                translation.text = pairs[key]
                translation.attrib.pop("type", None)
                filled += 1
    tree.write(ts_file, encoding="utf-8", xml_declaration=True)
    return filled


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="only report untranslated strings (exit 1 if any)"
    )
    parser.add_argument(
        "--fill",
        action="append",
        type=Path,
        default=[],
        metavar="TSV",
        help="fill untranslated entries from context<TAB>source<TAB>translation lines",
    )
    args = parser.parse_args(argv)
    if not args.check:
        I18N.mkdir(parents=True, exist_ok=True)
        lupdate(TS_FILE)
        if args.fill:
            print(f"filled {fill(TS_FILE, args.fill)} entries")
            lupdate(TS_FILE)  # back to lupdate's own layout
        lrelease(TS_FILE, QM_FILE)
    missing = unfinished(TS_FILE)
    for context, source in missing:
        print(f"untranslated: [{context}] {source}")
    if not args.check:
        print(f"{TS_FILE.relative_to(ROOT)}, {QM_FILE.relative_to(ROOT)} updated")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
