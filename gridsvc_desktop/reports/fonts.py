"""The bundled CJK font, registered with reportlab once per process.

reportlab embeds TrueType outlines only (CFF/OTF fonts such as Noto CJK will
not do); WenQuanYi Micro Hei ships as a TrueType collection, so the face is
picked with `subfontIndex=0`. Every glyph a document uses is embedded as a
subset, so the PDF shows Chinese on a PC without any CJK font.
"""

from __future__ import annotations

import threading
from pathlib import Path

from gridsvc_desktop.paths import resources_dir

#: The name documents use for the bundled font.
FONT = "WQYMicroHei"
FONT_FILE_NAME = "wqy-microhei.ttc"

_LOCK = threading.Lock()
_registered = False


def font_file() -> Path:
    return resources_dir() / "fonts" / FONT_FILE_NAME


def register_fonts() -> str:
    """Register the bundled font (idempotent, thread-safe); returns its name.

    The font has one weight; it is registered as its own bold and italic so that
    markup such as <b> in a paragraph cannot fail (headings get their weight
    from the template's faux bold instead).
    """
    global _registered
    if _registered:
        return FONT
    with _LOCK:
        if _registered:
            return FONT
        from reportlab.lib.fonts import addMapping
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        path = font_file()
        if not path.is_file():
            raise FileNotFoundError(f"找不到报表字体文件：{path}")
        pdfmetrics.registerFont(TTFont(FONT, str(path), subfontIndex=0))
        for bold in (0, 1):
            for italic in (0, 1):
                addMapping(FONT, bold, italic, FONT)
        _registered = True
    return FONT
