"""Choosing the interface language and installing Qt translators.

Source strings are English, wrapped in tr(); Simplified Chinese is the
default. English is used when asked for with `--lang en`, or when the locale
environment (LC_ALL, LC_MESSAGES, LANG, first one set) names an English locale.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path

from gridsvc_desktop.paths import resources_dir
from gridsvc_desktop.ui.qt import QCoreApplication, QLibraryInfo, QLocale, QTranslator

log = logging.getLogger(__name__)

CHINESE = "zh_CN"
ENGLISH = "en"
LANGUAGES = (CHINESE, ENGLISH)
TRANSLATION_BASENAME = "gridsvc"


def i18n_dir() -> Path:
    return resources_dir() / "i18n"


def qm_path(language: str = CHINESE) -> Path:
    return i18n_dir() / f"{TRANSLATION_BASENAME}_{language}.qm"


def choose_language(requested: str | None, environ: Mapping[str, str]) -> str:
    """`requested` if given, else English for an English locale, else Chinese."""
    if requested:
        return ENGLISH if requested.lower().startswith("en") else CHINESE
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(var, "").strip()
        if value:
            return ENGLISH if value.lower().startswith("en") else CHINESE
    return CHINESE


def install_translators(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Install our translation and Qt's own (dialog buttons…) for `language`.

    Returns the installed translators, so a caller can remove them again. For
    English nothing is installed: the source strings are English.
    """
    if language != CHINESE:
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        return []
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    installed: list[QTranslator] = []
    ours = QTranslator(app)
    if ours.load(str(qm_path(language))):
        app.installTranslator(ours)
        installed.append(ours)
    else:
        log.warning("translation %s could not be loaded", qm_path(language))
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    qt_base = QTranslator(app)
    if qt_base.load(f"qtbase_{language}", qt_dir):
        app.installTranslator(qt_base)
        installed.append(qt_base)
    return installed


def remove_translators(app: QCoreApplication, translators: list[QTranslator]) -> None:
    for translator in translators:
        app.removeTranslator(translator)
