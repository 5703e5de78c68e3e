"""The bundled CJK font, registered with Qt before the first widget is built.

Station PCs (and this build machine) may have no Chinese font at all, and Qt
then draws every Chinese character as an empty box. We ship WenQuanYi Micro Hei
(resources/fonts, Apache-2.0 / GPLv3, licence beside it) and make it the
application font, so the program looks the same everywhere.
"""

from __future__ import annotations

import logging
from pathlib import Path

from gridsvc_desktop.paths import resources_dir
from gridsvc_desktop.ui.qt import QApplication, QFont, QFontDatabase

log = logging.getLogger(__name__)

BUNDLED_FONT_FILE = "wqy-microhei.ttc"
BUNDLED_FAMILY = "WenQuanYi Micro Hei"
DEFAULT_POINT_SIZE = 10


def bundled_font_path() -> Path:
    return resources_dir() / "fonts" / BUNDLED_FONT_FILE


def register_bundled_font(path: Path | None = None) -> list[str]:
    """Add the bundled font file to Qt's font database; the families it holds.

    Registering the same file twice is harmless (Qt returns the same families).
    Returns [] and logs when the file is missing or unreadable: the program
    still runs, with whatever fonts the machine has.
    """
    path = path or bundled_font_path()
    if not path.is_file():
        log.warning("bundled font %s is missing; Chinese may not render", path)
        return []
    font_id = QFontDatabase.addApplicationFont(str(path))
    if font_id < 0:
        log.warning("Qt could not load the bundled font %s", path)
        return []
    return list(QFontDatabase.applicationFontFamilies(font_id))


def application_font(families: list[str], point_size: int = DEFAULT_POINT_SIZE) -> QFont:
    """The UI font: the bundled family first, then the platform's default."""
    font = QFont(QApplication.font())
    chosen = BUNDLED_FAMILY if BUNDLED_FAMILY in families else (families[0] if families else "")
    if chosen:
        font.setFamilies([chosen, *[f for f in font.families() if f != chosen]])
    if font.pointSize() < point_size:  # -1 when the size was given in pixels
        font.setPointSize(point_size)
    return font


def install_bundled_font(app: QApplication) -> str | None:
    """Register the bundled font and make it the application font.

    Returns the family now in use, or None when the font could not be loaded.
    """
    families = register_bundled_font()
    if not families:
        return None
    app.setFont(application_font(families))
    return BUNDLED_FAMILY if BUNDLED_FAMILY in families else families[0]
