"""The bundle's contents, checked without building it (the build itself runs in .ci/run).

scripts/bundle_data.py is the list build.spec builds from; these tests scan
the package's source for every file under resources/ it refers to and check
each is in that list, that the migrations and the modules PyInstaller cannot
see are carried, and that nothing the program imports is excluded.
"""

from __future__ import annotations

import ast
import functools
import importlib.util
import re
import sys
import types
from pathlib import Path, PurePosixPath

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "gridsvc_desktop"


def load_script(name: str) -> types.ModuleType:
    spec = importlib.util.spec_from_file_location(f"_test_{name}", ROOT / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


bundle_data = load_script("bundle_data")


# ---- what the code refers to


def _module_constants(tree: ast.Module) -> dict[str, str]:
    out: dict[str, str] = {}
    for node in tree.body:
        if (
            isinstance(node, ast.Assign | ast.AnnAssign)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name):
                    out[target.id] = node.value.value
    return out


def _call_name(node: ast.AST) -> str:
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Name):
            return func.id
        if isinstance(func, ast.Attribute):
            return func.attr
    return ""


def _division_parts(node: ast.AST) -> tuple[ast.AST, list[ast.AST]]:
    """`a / b / c` → (a, [b, c])."""
    parts: list[ast.AST] = []
    while isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        parts.insert(0, node.right)
        node = node.left
    return node, parts


def resource_references(source: str) -> tuple[set[str], set[str]]:
    """(files, folders) under resources/ that a module's code names.

    Recognised: `resources_dir() / "x" / "y"` (names of module-level string
    constants are resolved; the walk stops at anything computed, leaving a
    folder), string literals containing "resources/…", `icon("name")` calls and
    `icon_name = "name"` attributes (resources/icons/<name>.svg).
    """
    tree = ast.parse(source)
    constants = _module_constants(tree)
    files: set[str] = set()
    folders: set[str] = set()
    inner = {
        id(node.left)
        for node in ast.walk(tree)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div)
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div) and id(node) not in inner:
            base, parts = _division_parts(node)
            if _call_name(base) != "resources_dir":
                continue
            names: list[str] = []
            complete = True
            for part in parts:
                if isinstance(part, ast.Constant) and isinstance(part.value, str):
                    names.append(part.value)
                elif isinstance(part, ast.Name) and part.id in constants:
                    names.append(constants[part.id])
                else:
                    complete = False
                    break
            if not names:
                continue
            path = "resources/" + "/".join(names)
            if complete and "." in names[-1]:
                files.add(path)
            else:
                folders.add(path)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            for match in re.finditer(r"resources/[\w./-]+\.\w+", node.value):
                files.add(match.group(0))
        elif (
            _call_name(node) == "icon"
            and isinstance(node, ast.Call)
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            files.add(f"resources/icons/{node.args[0].value}.svg")
        elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
            value = node.value.value
            for target in node.targets:
                if isinstance(target, ast.Name) and target.id == "icon_name" and value:
                    files.add(f"resources/icons/{value}.svg")
    return files, folders


@functools.cache
def parsed_modules() -> tuple[tuple[Path, str, ast.Module], ...]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        out.append((path, source, ast.parse(source)))
    return tuple(out)


@functools.cache
def code_references() -> tuple[set[str], set[str]]:
    files: set[str] = set()
    folders: set[str] = set()
    for path, source, _tree in parsed_modules():
        if "migrations" in path.parts:
            continue
        f, d = resource_references(source)
        files |= f
        folders |= d
    return files, folders


def test_the_scan_finds_what_the_code_is_known_to_load() -> None:
    files, folders = code_references()
    assert {
        "resources/fonts/wqy-microhei.ttc",
        "resources/icons/app.svg",
        "resources/icons/customers.svg",
    } <= files
    assert {"resources/i18n", "resources/icons"} <= folders


def test_the_scan_understands_the_shapes_it_claims() -> None:
    source = (
        'FONT = "x.ttc"\n'
        'a = resources_dir() / "fonts" / FONT\n'
        'b = resources_dir() / "templates" / f"{kind}.xlsx"\n'
        'c = paths.resources_dir() / "samples"\n'
        'd = "see resources/templates/客户档案模板.xlsx"\n'
        'icon("calls")\n'
        "class P:\n    icon_name = 'grids'\n"
    )
    files, folders = resource_references(source)
    assert files == {
        "resources/fonts/x.ttc",
        "resources/templates/客户档案模板.xlsx",
        "resources/icons/calls.svg",
        "resources/icons/grids.svg",
    }
    assert folders == {"resources/templates", "resources/samples"}


def test_every_resource_the_code_refers_to_is_in_the_bundle() -> None:
    bundled = {str(p) for p in bundle_data.data_files(ROOT)}
    files, folders = code_references()
    missing_files = sorted(f for f in files if f not in bundled)
    assert missing_files == [], f"referred to in the code but not bundled: {missing_files}"
    for folder in sorted(folders):
        present = [
            p.relative_to(ROOT).as_posix()
            for p in (ROOT / folder).rglob("*")
            if p.is_file() and not bundle_data._skipped(PurePosixPath(p.name))
        ]
        assert (ROOT / folder).is_dir(), f"the code refers to {folder}, which does not exist"
        assert present, f"{folder} holds nothing the bundle would carry"
        assert sorted(set(present) - bundled) == [], f"files of {folder} not bundled"


def test_every_file_the_code_refers_to_exists() -> None:
    files, _ = code_references()
    assert sorted(f for f in files if not (ROOT / f).is_file()) == []


def test_data_files_exist_and_leave_sources_out() -> None:
    files = bundle_data.data_files(ROOT)
    assert all((ROOT / f).is_file() for f in files)
    names = {str(f) for f in files}
    assert "resources/fonts/LICENSE-wqy-microhei.txt" in names  # the licence travels with the font
    assert "resources/i18n/gridsvc_zh_CN.qm" in names
    assert not any(n.endswith(".ts") or "README" in n for n in names)


def test_migrations_travel_as_files_with_their_imports() -> None:
    names = {str(f) for f in bundle_data.data_files(ROOT)}
    migrations = ROOT / "gridsvc_desktop" / "db" / "migrations"
    expected = {
        "gridsvc_desktop/db/migrations/env.py",
        "gridsvc_desktop/db/migrations/script.py.mako",
        *(p.relative_to(ROOT).as_posix() for p in (migrations / "versions").glob("*.py")),
    }
    assert expected <= names
    hidden = set(bundle_data.hidden_imports(ROOT))
    assert {"alembic", "sqlalchemy", "sqlmodel", "gridsvc_desktop.db.models"} <= hidden
    assert set(bundle_data.migration_imports(ROOT)) <= hidden
    # the datas put each file where db.migrate.MIGRATIONS_DIR looks, relative to the bundle root
    pairs = dict(bundle_data.datas(ROOT))
    assert pairs[str(migrations / "env.py")] == "gridsvc_desktop/db/migrations"


def test_lazily_imported_modules_are_hidden_imports() -> None:
    """Modules loaded through importlib (the demo county, pages…) are named explicitly."""
    hidden = set(bundle_data.hidden_imports(ROOT))
    lazy: set[str] = set()
    for _path, _source, tree in parsed_modules():
        for node in ast.walk(tree):
            if (
                _call_name(node) == "import_module"
                and isinstance(node, ast.Call)
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                lazy.add(str(node.args[0].value))
    assert "gridsvc_desktop.demo" in lazy
    assert lazy <= hidden
    assert "gridsvc_desktop.__main__" not in hidden  # importing it would start the program


def _imported_top_levels() -> set[str]:
    names: set[str] = set()
    for _path, _source, tree in parsed_modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.add(node.module)
                names.update(f"{node.module}.{a.name}" for a in node.names)
    return names


def test_nothing_the_program_imports_is_excluded() -> None:
    """Adding `from PySide6.QtNetwork import …` to ui/qt.py must come with a spec change."""
    imported = _imported_top_levels()
    excluded = bundle_data.excludes()
    clash = sorted(
        name for name in imported for ex in excluded if name == ex or name.startswith(ex + ".")
    )
    assert clash == []
    qt_used = {n.split(".")[1] for n in imported if n.startswith("PySide6.")}
    assert {"QtCore", "QtGui", "QtWidgets"} <= qt_used
    assert not qt_used & set(bundle_data.EXCLUDED_QT_MODULES)


@pytest.mark.parametrize(
    ("dest", "kept"),
    [
        ("PySide6/Qt/plugins/platforms/libqxcb.so", True),
        ("PySide6/Qt/plugins/platforms/libqoffscreen.so", True),
        ("PySide6\\plugins\\platforms\\qwindows.dll", True),
        ("PySide6/Qt/plugins/platforms/libqvnc.so", False),
        ("PySide6/Qt/plugins/imageformats/libqsvg.so", True),
        ("PySide6\\plugins\\imageformats\\qsvg.dll", True),
        ("PySide6/Qt/plugins/imageformats/libqpdf.so", False),
        ("PySide6/Qt/plugins/iconengines/libqsvgicon.so", True),
        ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", False),
        ("PySide6/Qt/plugins/platforminputcontexts/libibusplatforminputcontextplugin.so", True),
        ("PySide6/Qt/plugins/tls/libqopensslbackend.so", False),
        ("PySide6/Qt/lib/libQt6Widgets.so.6", True),
        ("PySide6/Qt/lib/libQt6Pdf.so.6", False),
        ("PySide6\\opengl32sw.dll", False),
        ("libcairo.so.2", False),
        ("libsqlite3.so.0", True),
    ],
)
def test_keep_binary(dest: str, kept: bool) -> None:
    assert bundle_data.keep_binary(dest) is kept


def test_a_dropped_library_returns_when_something_kept_needs_it() -> None:
    toc = [
        ("PySide6/Qt/lib/libQt6Gui.so.6", "/q/libQt6Gui.so.6", "BINARY"),
        ("PySide6/Qt/lib/libQt6Network.so.6", "/q/libQt6Network.so.6", "BINARY"),
        ("libQt6Network.so.6", "PySide6/Qt/lib/libQt6Network.so.6", "SYMLINK"),
        ("libgssapi_krb5.so.2", "/usr/lib/libgssapi_krb5.so.2", "BINARY"),
        ("libkrb5.so.3", "/usr/lib/libkrb5.so.3", "BINARY"),
        ("libcairo.so.2", "/usr/lib/libcairo.so.2", "BINARY"),
    ]
    links = {
        "/q/libQt6Gui.so.6": {"libQt6Network.so.6"},
        "/q/libQt6Network.so.6": {"libgssapi_krb5.so.2"},
        "/usr/lib/libgssapi_krb5.so.2": {"libkrb5.so.3"},
    }
    kept, dropped = bundle_data.prune_binaries(toc, lambda src: links.get(src, set()))
    assert {e[0] for e in kept} == {e[0] for e in toc} - {"libcairo.so.2"}
    assert dropped == ["libcairo.so.2"]
    kept, dropped = bundle_data.prune_binaries(toc, lambda src: set())
    assert [e[0] for e in kept] == ["PySide6/Qt/lib/libQt6Gui.so.6"]
    assert len(dropped) == 5


def test_only_chinese_qt_translations_and_no_qml() -> None:
    assert bundle_data.keep_data("PySide6/Qt/translations/qtbase_zh_CN.qm")
    assert not bundle_data.keep_data("PySide6/Qt/translations/qtbase_de.qm")
    assert not bundle_data.keep_data("PySide6\\translations\\qt_fr.qm")
    assert not bundle_data.keep_data("PySide6/Qt/qml/QtQuick/qmldir")
    assert bundle_data.keep_data("resources/i18n/gridsvc_zh_CN.qm")
    assert bundle_data.keep_data("reportlab/fonts/Vera.ttf")


def test_name_and_version_come_from_pyproject() -> None:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    info = bundle_data.project(ROOT)
    assert (info.name, info.version) == (project["name"], project["version"])
    assert bundle_data.Project("x", "1.2.3rc1", "").version_tuple == (1, 2, 3, 0)
    assert bundle_data.Project("x", "2", "").version_tuple == (2, 0, 0, 0)


def test_windows_version_resource_is_built_from_the_project(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pytest.importorskip("PyInstaller")
    # PyInstaller's versioninfo imports pefile and pywin32 (Windows-only) to read and
    # write executables; building and serialising the structure uses neither.
    import PyInstaller.compat

    monkeypatch.setitem(
        sys.modules, "pefile", sys.modules.get("pefile", types.ModuleType("pefile"))
    )
    monkeypatch.setattr(PyInstaller.compat, "win32api", None, raising=False)
    info = bundle_data.project(ROOT)
    resource = bundle_data.version_resource(info)
    text = str(resource)
    assert info.version in text and "gridsvc" in text
    assert resource.ffi.fileVersionMS == (info.version_tuple[0] << 16) | info.version_tuple[1]
    raw = resource.toRaw()  # what PyInstaller writes into the .exe
    assert "网格化供电服务".encode("utf-16-le") in raw


def test_the_spec_builds_from_the_shared_list() -> None:
    spec = (ROOT / "build.spec").read_text(encoding="utf-8")
    ast.parse(spec)
    for name in ("datas(", "hidden_imports(", "excludes(", "prune_binaries(", "keep_data"):
        assert f"bundle_data.{name}" in spec
    assert "GRIDSVC_ONEFILE" in spec
    assert 'CLI_NAME = "gridsvc"' in spec
    assert "console=console" in spec and "version=version" in spec and "icon=icon" in spec


def test_the_app_icon_renders_into_a_windows_ico(tmp_path: Path) -> None:
    pil = pytest.importorskip("PIL.Image")
    ico = bundle_data.make_icon(ROOT / "resources" / "icons" / "app.svg", tmp_path / "app.ico")
    assert ico.read_bytes()[:4] == b"\x00\x00\x01\x00"  # ICONDIR, type 1 = icon
    with pil.open(ico) as image:
        sizes = set(image.info["sizes"])
    assert {(16, 16), (32, 32), (48, 48), (256, 256)} <= sizes


def test_the_entry_script_picks_the_program_by_executable_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    entry = load_script("bundle_entry")
    calls: list[tuple[str, object]] = []
    cli = types.ModuleType("gridsvc_desktop.cli")
    cli.main = lambda: calls.append(("cli", None)) or 0  # type: ignore[attr-defined]
    app = types.ModuleType("gridsvc_desktop.app")
    app.main = lambda argv=None: calls.append(("app", argv)) or 0  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "gridsvc_desktop.cli", cli)
    monkeypatch.setitem(sys.modules, "gridsvc_desktop.app", app)
    monkeypatch.setattr(sys, "executable", "/opt/gridsvc-desktop/gridsvc.exe")
    monkeypatch.setattr(sys, "argv", ["gridsvc", "info"])
    assert entry.main() == 0
    monkeypatch.setattr(sys, "argv", ["gridsvc", "self-test"])
    assert entry.main() == 0
    monkeypatch.setattr(sys, "executable", "/opt/gridsvc-desktop/gridsvc-desktop")
    monkeypatch.setattr(sys, "argv", ["gridsvc-desktop"])
    assert entry.main() == 0
    assert calls == [("cli", None), ("app", ["--self-test"]), ("app", None)]
