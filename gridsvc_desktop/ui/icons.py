"""Icons from resources/icons (SVG, drawn for this program)."""

from __future__ import annotations

from gridsvc_desktop.paths import resources_dir
from gridsvc_desktop.ui.qt import QIcon


def icon(name: str) -> QIcon:
    """resources/icons/<name>.svg, or an empty icon when there is none."""
    path = resources_dir() / "icons" / f"{name}.svg"
    return QIcon(str(path)) if path.is_file() else QIcon()
