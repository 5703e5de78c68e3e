"""Imports point one way: only the UI knows Qt, and the domain knows no storage.

Walks every module of the package with `ast` (nothing is imported), so a
violation is caught even in code no test runs; `importlib.import_module("…")`
with a literal name counts as an import too.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "gridsvc_desktop"
QT_MODULES = ("PySide6", "shiboken6", "PyQt5", "PyQt6", "PySide2")
STORAGE = ("sqlalchemy", "sqlmodel", "alembic", "gridsvc_desktop.db")
UI_ENTRY = ("gridsvc_desktop/app.py", "gridsvc_desktop/__main__.py")


def module_name(path: Path, root: Path) -> str:
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, root: Path = PACKAGE) -> set[str]:
    """Absolute names of every module `path` imports (relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                prefix = ".".join(base[: len(base) - (node.level - 1)])
                target = f"{prefix}.{node.module}" if node.module else prefix
            else:
                target = node.module or ""
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute | ast.Name)
            and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.add(node.args[0].value)
    return found


def matches(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def rel(path: Path) -> str:
    return path.relative_to(PACKAGE.parent).as_posix()


def violations(paths: list[Path], forbidden: tuple[str, ...]) -> list[str]:
    out = []
    for path in paths:
        bad = sorted(n for n in imports_of(path) if matches(n, forbidden))
        if bad:
            out.append(f"{rel(path)} imports {', '.join(bad)}")
    return out


ALL_MODULES = sorted(PACKAGE.rglob("*.py"))


def test_the_walk_sees_the_package() -> None:
    names = {rel(p) for p in ALL_MODULES}
    assert {"gridsvc_desktop/ui/qt.py", "gridsvc_desktop/app.py"} <= names
    assert any(n.startswith("gridsvc_desktop/domain/") for n in names)
    assert "PySide6.QtCore" in imports_of(PACKAGE / "ui" / "qt.py")
    assert "gridsvc_desktop.ui.qt" in imports_of(PACKAGE / "ui" / "main_window.py")


def test_only_ui_qt_imports_pyside6() -> None:
    """Qt is imported in one place; app.py and the rest of ui/ import from ui/qt.py."""
    others = [p for p in ALL_MODULES if rel(p) != "gridsvc_desktop/ui/qt.py"]
    assert violations(others, QT_MODULES) == []


def test_nothing_below_the_ui_imports_it() -> None:
    """db, domain, services, ledgers, reports, cli: no Qt, no ui, no app."""
    below = [
        p
        for p in ALL_MODULES
        if not rel(p).startswith("gridsvc_desktop/ui/") and rel(p) not in UI_ENTRY
    ]
    forbidden = ("gridsvc_desktop.ui", "gridsvc_desktop.app", *QT_MODULES)
    assert violations(below, forbidden) == []


def test_domain_is_pure() -> None:
    """The domain takes no I/O: no SQLAlchemy/SQLModel, no db, services or UI."""
    domain = sorted((PACKAGE / "domain").rglob("*.py"))
    assert domain, "no domain modules found"
    forbidden = (
        *STORAGE,
        "gridsvc_desktop.services",
        "gridsvc_desktop.ledgers",
        "gridsvc_desktop.reports",
        "gridsvc_desktop.ui",
        *QT_MODULES,
    )
    assert violations(domain, forbidden) == []


def test_the_checker_catches_violations(tmp_path: Path) -> None:
    root = tmp_path / "gridsvc_desktop"
    (root / "domain").mkdir(parents=True)
    probe = root / "domain" / "probe.py"
    probe.write_text(
        "from ..db import engine\nfrom . import enums\nimport PySide6.QtCore\n"
        "import importlib\nimportlib.import_module('sqlmodel')\n",
        encoding="utf-8",
    )
    names = imports_of(probe, root)
    assert {
        "gridsvc_desktop.db",
        "gridsvc_desktop.domain.enums",
        "PySide6.QtCore",
        "sqlmodel",
    } <= names
    assert matches("gridsvc_desktop.db.engine", STORAGE)
    assert not matches("gridsvc_desktop.dbx", STORAGE)
