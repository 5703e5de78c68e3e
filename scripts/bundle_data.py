"""What goes into the PyInstaller bundle: the one list build.spec and the tests share.

build.spec imports this module to know which files to carry, which modules
PyInstaller cannot see (lazy imports, Alembic's migration scripts) and which
modules, Qt plugins and libraries to leave out. tests/test_bundle.py imports
it too and checks, without building anything, that every file under
resources/ the code refers to is in the list.

Nothing here imports PyInstaller or Qt at module level, so the test stays fast
and the module runs in a plain environment.

    python scripts/bundle_data.py            # print the data list (source → bundle folder)
    python scripts/bundle_data.py icon OUT   # render resources/icons/app.svg into OUT (.ico)
"""

from __future__ import annotations

import ast
import fnmatch
import subprocess
import sys
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "gridsvc_desktop"
MIGRATIONS = PurePosixPath(PACKAGE, "db", "migrations")

#: Under resources/: files that are sources or notes, never read at run time.
RESOURCE_SKIP = ("*.ts", "README*", "*.pro", "*.psd", "*.xcf", ".*")

#: Python packages the program never uses that PyInstaller would otherwise pull in
#: (optional imports of Pillow, openpyxl, SQLAlchemy… or the test tools).
EXCLUDED_PACKAGES = (
    "numpy",
    "pandas",
    "tkinter",
    "_tkinter",
    "matplotlib",
    "IPython",
    "jedi",
    "pytest",
    "_pytest",
    "pytestqt",
    "hypothesis",
    "mypy",
    "ruff",
    "pypdf",
    "psutil",
    "setuptools",
    "pkg_resources",
    "pip",
    "PyInstaller",
    "PIL.ImageQt",  # would pull PyQt/PySide bindings of its own
    "PIL.ImageTk",
    # Pillow codecs reportlab never needs (PNG/JPEG/GIF stay): 6 MB of libraries
    "PIL._avif",
    "PIL.AvifImagePlugin",
    "PIL._webp",
    "PIL.WebPImagePlugin",
    "PIL._imagingcms",
    "PIL.ImageCms",
    "lib2to3",
    "pydoc_data",
)

#: Qt modules (PySide6.<name>) we never import. Excluding the Python module also
#: keeps its libraries, plugins, QML files and translations out of the bundle.
#: tests/test_bundle.py fails if ui/qt.py starts importing one of them.
EXCLUDED_QT_MODULES = (
    "Qt3DAnimation",
    "Qt3DCore",
    "Qt3DExtras",
    "Qt3DInput",
    "Qt3DLogic",
    "Qt3DRender",
    "QtBluetooth",
    "QtCharts",
    "QtConcurrent",
    "QtDataVisualization",
    "QtDBus",
    "QtDesigner",
    "QtGraphs",
    "QtHelp",
    "QtHttpServer",
    "QtLabsStyleKit",
    "QtLocation",
    "QtMultimedia",
    "QtMultimediaWidgets",
    "QtNetwork",
    "QtNetworkAuth",
    "QtNfc",
    "QtOpenGL",
    "QtOpenGLWidgets",
    "QtPdf",
    "QtPdfWidgets",
    "QtPositioning",
    "QtQml",
    "QtQmlFeatures",
    "QtQuick",
    "QtQuick3D",
    "QtQuickControls2",
    "QtQuickTest",
    "QtQuickWidgets",
    "QtRemoteObjects",
    "QtScxml",
    "QtSensors",
    "QtSerialBus",
    "QtSerialPort",
    "QtSpatialAudio",
    "QtSql",
    "QtStateMachine",
    "QtTest",
    "QtTextToSpeech",
    "QtUiTools",
    "QtWebChannel",
    "QtWebEngineCore",
    "QtWebEngineQuick",
    "QtWebEngineWidgets",
    "QtWebSockets",
    "QtWebView",
    "QtXml",
)

#: Qt plugins kept, by folder; every other plugin of these folders is dropped
#: (PyInstaller collects whole folders). Names without the lib prefix/suffix.
QT_PLUGINS_KEPT = {
    # windows = Windows; xcb = Linux desktops; offscreen/minimal = CI and the self-test.
    "platforms": {"qwindows", "qdirect2d", "qxcb", "qoffscreen", "qminimal", "qcocoa"},
    # SVG icons, and the formats a station's logo or a pasted image may come in.
    "imageformats": {"qsvg", "qico", "qjpeg", "qgif"},
    "iconengines": {"qsvgicon"},
}
#: Plugin folders dropped whole: no network, no SQL drivers (SQLAlchemy talks to
#: sqlite3 itself), no QML, no Linux framebuffer/touch/Wayland/GTK integration
#: (stations run Windows; the Linux build is for CI and uses xcb or offscreen).
#: Kept: platforminputcontexts (Chinese input methods on Linux), xcbglintegrations,
#: styles, accessible and Windows' own folders.
QT_PLUGIN_FOLDERS_DROPPED = (
    "tls",
    "networkinformation",
    "sqldrivers",
    "qmltooling",
    "designer",
    "vectorimageformats",
    "position",
    "multimedia",
    "generic",
    "egldeviceintegrations",
    "platformthemes",
    "wayland-decoration-client",
    "wayland-graphics-integration-client",
    "wayland-graphics-integration-server",
    "wayland-shell-integration",
)
#: Libraries that come in as dependencies of the plugins dropped above, or that a
#: widgets program does not need (file-name patterns, lower case). A library is
#: only dropped if nothing kept links to it: see prune_binaries().
DROPPED_BINARIES = (
    "opengl32sw.dll",  # Mesa software OpenGL for Windows, 20 MB: widgets draw with the raster engine
    "*qt6pdf*",
    "*qt6quick*",
    "*qt6qml*",
    "*qt6virtualkeyboard*",
    "*qt6network*",
    "*qt6opengl*",
    "*qt6eglfs*",
    "*qt6wayland*",
    "*qt6wlshell*",
    # GTK's stack, pulled in by the GTK platform theme
    "libgtk-*",
    "libgdk-*",
    "libgdk_pixbuf*",
    "libatk*",
    "libcairo*",
    "libpango*",
    "libthai*",
    "libdatrie*",
    "libfribidi*",
    "libpixman*",
    "libepoxy*",
    "libwayland-*",
    "libgssapi_krb5*",
    "libkrb5*",
    "libk5crypto*",
    "libcom_err*",
    "libkeyutils*",
)
#: Qt's own translations: only the language we ship (dialog buttons and the like).
QT_TRANSLATIONS_KEPT = ("qtbase_zh_CN.qm", "qt_zh_CN.qm")


@dataclass(frozen=True)
class Project:
    name: str
    version: str
    description: str

    @property
    def version_tuple(self) -> tuple[int, int, int, int]:
        """Four numbers for the Windows version resource (0.1.0rc1 → 0, 1, 0, 0)."""
        numbers: list[int] = []
        for part in self.version.split(".")[:4]:
            digits = ""
            for ch in part:
                if not ch.isdigit():
                    break
                digits += ch
            numbers.append(int(digits or 0))
        while len(numbers) < 4:
            numbers.append(0)
        return (numbers[0], numbers[1], numbers[2], numbers[3])


def project(root: Path = ROOT) -> Project:
    """Name, version and description from pyproject.toml."""
    data = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return Project(data["name"], data["version"], data.get("description", ""))


def _skipped(path: PurePosixPath) -> bool:
    return any(fnmatch.fnmatch(path.name, pattern) for pattern in RESOURCE_SKIP)


def resource_files(root: Path = ROOT) -> list[PurePosixPath]:
    """Every file under resources/ the program may load (relative to the root)."""
    base = root / "resources"
    found = [
        PurePosixPath(p.relative_to(root).as_posix())
        for p in sorted(base.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    ]
    return [p for p in found if not _skipped(p)]


def migration_files(root: Path = ROOT) -> list[PurePosixPath]:
    """Alembic's environment and revision scripts: Alembic loads them as files."""
    base = root / MIGRATIONS
    wanted = [base / "env.py", base / "script.py.mako", *sorted((base / "versions").glob("*.py"))]
    return [PurePosixPath(p.relative_to(root).as_posix()) for p in wanted if p.is_file()]


def data_files(root: Path = ROOT) -> list[PurePosixPath]:
    """Every data file of the bundle, as a path relative to the root.

    In the bundle each keeps its relative path (resources/fonts/…,
    gridsvc_desktop/db/migrations/versions/…), which is where paths.resources_dir()
    and db.migrate.MIGRATIONS_DIR look for them.
    """
    return [*resource_files(root), *migration_files(root)]


def datas(root: Path = ROOT) -> list[tuple[str, str]]:
    """data_files() in PyInstaller's form: (source file, folder inside the bundle)."""
    return [(str(root / p), str(p.parent)) for p in data_files(root)]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
    return found


def migration_imports(root: Path = ROOT) -> list[str]:
    """What the migration scripts import: they are data to PyInstaller, so it cannot see it."""
    names: set[str] = set()
    for rel in migration_files(root):
        if rel.suffix == ".py":
            names |= _imports(root / rel)
    names.discard("__future__")
    return sorted(names)


def hidden_imports(root: Path = ROOT) -> list[str]:
    """Modules loaded in ways PyInstaller's import scan cannot follow.

    Every module of the package (pages, the demo generator, importers and
    reports are imported lazily, some through importlib), what the migration
    scripts import, and Alembic's dialect implementations (found by name).
    """
    package = root / PACKAGE
    modules = []
    for path in sorted(package.rglob("*.py")):
        rel = path.relative_to(root).with_suffix("")
        if "migrations" in rel.parts or "__pycache__" in rel.parts:
            continue
        if rel.name == "__main__":
            continue  # runs the program when imported
        parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
        modules.append(".".join(parts))
    extra = ["alembic.ddl.sqlite", "alembic.ddl.postgresql", "sqlalchemy.dialects.sqlite"]
    return sorted({*modules, *migration_imports(root), *extra})


def excludes() -> list[str]:
    return [*EXCLUDED_PACKAGES, *(f"PySide6.{m}" for m in EXCLUDED_QT_MODULES)]


def _plugin_stem(name: str) -> str:
    stem = name.split(".")[0]
    return stem[3:] if stem.startswith("lib") else stem


def keep_binary(dest: str) -> bool:
    """Whether a binary PyInstaller collected (by its place in the bundle) is wanted."""
    path = PurePosixPath(dest.replace("\\", "/"))
    lowered = path.name.lower()
    if any(fnmatch.fnmatch(lowered, pattern) for pattern in DROPPED_BINARIES):
        return False
    parts = path.parts
    if "plugins" in parts:
        i = parts.index("plugins")
        if len(parts) > i + 2:
            folder = parts[i + 1]
            if folder in QT_PLUGIN_FOLDERS_DROPPED:
                return False
            kept = QT_PLUGINS_KEPT.get(folder)
            if kept is not None and _plugin_stem(path.name) not in kept:
                return False
    return True


def prune_binaries(
    toc: list[Any], imports_of: Callable[[str], set[str]], keep: Callable[[str], bool] = keep_binary
) -> tuple[list[Any], list[str]]:
    """Drop the binaries `keep` does not want, unless something kept links to them.

    `toc` holds PyInstaller entries (dest, source, kind); `imports_of(source)`
    gives the file names a binary links to. A dropped library that a kept one
    needs comes back (and then what it needs, and so on), so the filter can
    never leave a library missing. Returns the kept entries and the dropped
    destinations.
    """
    kept = [e for e in toc if keep(e[0])]
    dropped: dict[str, list[Any]] = {}
    for entry in toc:
        if not keep(entry[0]):
            name = PurePosixPath(entry[0].replace("\\", "/")).name.lower()
            dropped.setdefault(name, []).append(entry)
    todo = [e for e in kept if len(e) < 3 or e[2] != "SYMLINK"]
    while todo and dropped:
        entry = todo.pop()
        for name in imports_of(entry[1]):
            back = dropped.pop(name.lower(), [])
            kept.extend(back)
            todo.extend(e for e in back if len(e) < 3 or e[2] != "SYMLINK")
    return kept, sorted(e[0] for entries in dropped.values() for e in entries)


def keep_data(dest: str) -> bool:
    """Whether a data file PyInstaller collected (by its place in the bundle) stays."""
    path = PurePosixPath(dest.replace("\\", "/"))
    if "translations" in path.parts and "PySide6" in path.parts:
        return path.name in QT_TRANSLATIONS_KEPT
    return not ("PySide6" in path.parts and ("qml" in path.parts or "metatypes" in path.parts))


def filter_toc(toc: Any, keep: Any) -> list[Any]:
    """PyInstaller TOC entries (dest, source, kind) for which keep(dest) holds."""
    return [entry for entry in toc if keep(entry[0])]


def version_resource(info: Project) -> Any:
    """The Windows version resource (file properties → Details), built from pyproject.toml."""
    from PyInstaller.utils.win32 import versioninfo as vi

    numbers = info.version_tuple
    strings = [
        vi.StringStruct("CompanyName", "网格化供电服务"),
        vi.StringStruct("FileDescription", "网格化供电服务（桌面程序）"),
        vi.StringStruct("FileVersion", info.version),
        vi.StringStruct("InternalName", info.name),
        vi.StringStruct("LegalCopyright", "Proprietary"),
        vi.StringStruct("OriginalFilename", f"{info.name}.exe"),
        vi.StringStruct("ProductName", "网格化供电服务 gridsvc_desktop"),
        vi.StringStruct("ProductVersion", info.version),
    ]
    return vi.VSVersionInfo(
        ffi=vi.FixedFileInfo(filevers=numbers, prodvers=numbers, OS=0x40004, fileType=0x1),
        kids=[
            # 0804 = Chinese (PRC), 04B0 = Unicode
            vi.StringFileInfo([vi.StringTable("080404B0", strings)]),
            vi.VarFileInfo([vi.VarStruct("Translation", [0x0804, 1200])]),
        ],
    )


ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)

_ICON_SCRIPT = """
import io, sys
from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QGuiApplication, QIcon
from PIL import Image
app = QGuiApplication([])
icon = QIcon(sys.argv[1])
images = []
for size in map(int, sys.argv[3].split(",")):
    pixmap = icon.pixmap(size, size)
    if pixmap.isNull():
        raise SystemExit(f"cannot render {sys.argv[1]} at {size}px (Qt SVG plugin missing?)")
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    pixmap.toImage().save(buffer, "PNG")
    images.append(Image.open(io.BytesIO(bytes(data))).convert("RGBA"))
largest = images[-1]
largest.save(sys.argv[2], format="ICO", sizes=[im.size for im in images], append_images=images[:-1])
"""


def make_icon(svg: Path, ico: Path, sizes: tuple[int, ...] = ICON_SIZES) -> Path:
    """Render `svg` with Qt at every size and pack the images into a Windows .ico (Pillow).

    Runs in a child process, so the spec (or a test) does not start Qt itself.
    """
    ico.parent.mkdir(parents=True, exist_ok=True)
    env = {**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"}
    subprocess.run(
        [sys.executable, "-c", _ICON_SCRIPT, str(svg), str(ico), ",".join(map(str, sizes))],
        check=True,
        env=env,
        timeout=120,
    )
    return ico


def main(argv: list[str]) -> int:
    if argv[:1] == ["icon"] and len(argv) == 2:
        print(make_icon(ROOT / "resources" / "icons" / "app.svg", Path(argv[1])))
        return 0
    for source, folder in datas():
        print(f"{Path(source).relative_to(ROOT)} → {folder}")
    print("hidden imports:", ", ".join(hidden_imports()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
