"""Chinese renders with the bundled font, also on a machine without any CJK font.

The in-process tests check registration. Because this build machine may have a
CJK font installed system-wide (which would hide a broken registration), the
decisive test runs a child process whose fontconfig sees *no* system fonts at
all: there, Chinese must render as boxes before registration and as real,
distinct glyphs after it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from gridsvc_desktop.ui import fonts
from gridsvc_desktop.ui.qt import (
    QApplication,
    QFont,
    QFontDatabase,
    QFontInfo,
    QFontMetrics,
    QRawFont,
)

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = "客户档案网格化供电服务欠费停电工单"


@pytest.fixture
def app_font_restored(qapp: QApplication) -> Iterator[None]:
    saved = QFont(QApplication.font())
    yield
    QApplication.setFont(saved)


def test_the_font_file_and_its_licence_are_bundled() -> None:
    path = fonts.bundled_font_path()
    assert path.is_file() and path.stat().st_size > 1_000_000
    assert (path.parent / "LICENSE-wqy-microhei.txt").is_file()


def test_registration_adds_the_family(qapp: QApplication) -> None:
    families = fonts.register_bundled_font()
    assert fonts.BUNDLED_FAMILY in families
    assert fonts.BUNDLED_FAMILY in QFontDatabase.families()


def test_bundled_font_has_the_glyphs(qapp: QApplication) -> None:
    fonts.register_bundled_font()
    font = QFont(fonts.BUNDLED_FAMILY, 12)
    assert QFontInfo(font).family() == fonts.BUNDLED_FAMILY
    metrics = QFontMetrics(font)
    assert all(metrics.inFontUcs4(ord(ch)) for ch in SAMPLE)
    raw = QRawFont.fromFont(font)
    assert raw.isValid() and raw.familyName() == fonts.BUNDLED_FAMILY
    assert all(raw.supportsCharacter(ord(ch)) for ch in SAMPLE)


def test_install_makes_it_the_application_font(qapp: QApplication, app_font_restored: None) -> None:
    family = fonts.install_bundled_font(qapp)
    assert family == fonts.BUNDLED_FAMILY
    assert QFontInfo(QApplication.font()).family() == fonts.BUNDLED_FAMILY
    assert QApplication.font().pointSize() >= fonts.DEFAULT_POINT_SIZE


def test_a_missing_font_file_is_survivable(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    assert fonts.register_bundled_font(tmp_path / "nope.ttc") == []
    assert "missing" in caplog.text


CHILD = textwrap.dedent(
    """
    import json
    from gridsvc_desktop.ui import fonts
    from gridsvc_desktop.ui.qt import (
        QApplication, QFontDatabase, QFontInfo, QFontMetrics, QLabel, QImage,
    )

    app = QApplication([])

    def render(text):
        label = QLabel(text)
        label.setFont(QApplication.font())
        label.resize(200, 40)
        return label.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)

    def state():
        a, b = render("客户档案"), render("停电通知")
        notdef = render("\\u0378\\u0379\\u0380\\u0381")  # unassigned code points
        return {
            "families": QFontDatabase.families(),
            "any_family_has_ke": any(
                QFontMetrics(__import__("PySide6.QtGui").QtGui.QFont(f)).inFontUcs4(ord("客"))
                for f in QFontDatabase.families()
            ),
            "app_font": QFontInfo(QApplication.font()).family(),
            "two_strings_differ": a != b,
            "differs_from_notdef": a != notdef,
            "inked": any(a.pixel(x, y) != a.pixel(0, 0) for x in range(200) for y in range(40)),
        }

    before = state()
    installed = fonts.install_bundled_font(app)
    after = state()
    print(json.dumps({"before": before, "installed": installed, "after": after}))
    """
)


@pytest.fixture
def no_system_fonts(tmp_path: Path) -> dict[str, str]:
    """Environment for a child process whose fontconfig knows no font at all."""
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n'
        f"<fontconfig><cachedir>{tmp_path / 'fc-cache'}</cachedir></fontconfig>\n",
        encoding="utf-8",
    )
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("FONTCONFIG", "QT_QPA_FONTDIR"))
    }
    env.update(FONTCONFIG_FILE=str(conf), QT_QPA_PLATFORM="offscreen")
    return env


@pytest.mark.skipif(sys.platform != "linux", reason="fontconfig isolation is Linux-only")
def test_chinese_renders_on_a_machine_without_cjk_fonts(no_system_fonts: dict[str, str]) -> None:
    out = subprocess.run(
        [sys.executable, "-c", CHILD],
        capture_output=True,
        text=True,
        env=no_system_fonts,
        cwd=ROOT,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout.strip().splitlines()[-1])
    before, after = result["before"], result["after"]
    # Without our font, the machine cannot draw Chinese: every string is the same boxes.
    assert not before["any_family_has_ke"], before["families"]
    assert not before["two_strings_differ"]
    # With it registered, Chinese is drawn in WenQuanYi Micro Hei, glyph by glyph.
    assert result["installed"] == fonts.BUNDLED_FAMILY
    assert fonts.BUNDLED_FAMILY in after["families"]
    assert after["any_family_has_ke"]
    assert after["app_font"] == fonts.BUNDLED_FAMILY
    assert after["inked"]
    assert after["two_strings_differ"]
    assert after["differs_from_notdef"]
