"""Portable mode: a `portable` file beside the program keeps the data (and backups) there."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from test_crash import fake_loop
from test_ui_sample import IGNORE_OFFSCREEN_SIZE_HINTS, workers_stopped  # noqa: F401

from gridsvc_desktop import app as app_module
from gridsvc_desktop import cli
from gridsvc_desktop import paths as paths_module
from gridsvc_desktop.db.engine import DB_FILE_NAME, Database
from gridsvc_desktop.paths import (
    ORIGIN_ENVIRONMENT,
    ORIGIN_OPTION,
    ORIGIN_PORTABLE,
    ORIGIN_USER,
    PORTABLE_MARKER,
    DataPaths,
    program_dir,
    resolve_data_dir,
)
from gridsvc_desktop.ui.main_window import MainWindow


@pytest.fixture
def program(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fake program folder, and a fake user data folder that must stay empty."""
    folder = tmp_path / "U盘" / "网格化供电服务"
    folder.mkdir(parents=True)
    monkeypatch.setattr(paths_module, "program_dir", lambda: folder)
    monkeypatch.setattr(
        paths_module, "user_data_path", lambda *a, **k: tmp_path / "user-data" / "gridsvc_desktop"
    )
    monkeypatch.delenv("GRIDSVC_DATA_DIR", raising=False)
    return folder


def test_without_the_marker_the_data_is_the_users(program: Path, tmp_path: Path) -> None:
    paths = resolve_data_dir()
    assert paths.root == tmp_path / "user-data" / "gridsvc_desktop"
    assert paths.origin == ORIGIN_USER and not paths.portable


def test_the_marker_keeps_data_and_backups_beside_the_program(program: Path) -> None:
    (program / PORTABLE_MARKER).write_text("")
    paths = resolve_data_dir()
    assert paths.portable and paths.origin == ORIGIN_PORTABLE
    assert paths.root == program / "data"
    assert paths.database == program / "data" / DB_FILE_NAME
    assert paths.backups == program / "data" / "backups"
    assert paths.logs == program / "data" / "logs"


def test_data_dir_and_environment_win_over_the_marker(
    program: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (program / PORTABLE_MARKER).write_text("")
    explicit = resolve_data_dir(tmp_path / "elsewhere")
    assert explicit.root == tmp_path / "elsewhere" and explicit.origin == ORIGIN_OPTION
    monkeypatch.setenv("GRIDSVC_DATA_DIR", str(tmp_path / "env"))
    from_env = resolve_data_dir()
    assert from_env.root == tmp_path / "env" and from_env.origin == ORIGIN_ENVIRONMENT
    assert not explicit.portable and not from_env.portable


def test_the_origin_does_not_change_what_a_data_folder_is(tmp_path: Path) -> None:
    assert DataPaths(tmp_path, ORIGIN_PORTABLE) == DataPaths(tmp_path)


def test_a_bundle_is_its_executables_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    exe = tmp_path / "dist" / "gridsvc-desktop" / "gridsvc-desktop.exe"
    exe.parent.mkdir(parents=True)
    exe.write_bytes(b"")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(exe))
    assert program_dir() == exe.parent.resolve()


def test_the_cli_backs_up_beside_the_program(
    program: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (program / PORTABLE_MARKER).write_text("")
    assert cli.main(["init"]) == 0
    assert cli.main(["backup"]) == 0
    assert (program / "data" / DB_FILE_NAME).is_file()
    backups = list((program / "data" / "backups").iterdir())
    assert len(backups) == 1
    assert str(program / "data" / "backups") in capsys.readouterr().out


@IGNORE_OFFSCREEN_SIZE_HINTS
@pytest.mark.usefixtures("workers_stopped")
def test_the_program_runs_portable_and_says_so(
    program: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot
) -> None:  # type: ignore[no-untyped-def]
    (program / PORTABLE_MARKER).write_text("")
    about: list[str] = []

    def look(window: MainWindow) -> int:
        about.append(window.about_text())
        return 0

    monkeypatch.setattr(app_module, "run_event_loop", fake_loop(qtbot, program / "data", look))
    assert app_module.main(["--lang", "en"]) == 0
    assert (program / "data" / DB_FILE_NAME).is_file()
    assert (program / "data" / "logs" / "gridsvc-desktop.log").is_file()
    assert not (tmp_path / "user-data").exists()
    text = about[0]
    assert f"Data folder: {program / 'data'}" in text
    assert "Portable installation" in text
    assert str(program / "data" / "logs" / "gridsvc-desktop.log") in text


ORIGIN_WORDS = {
    ORIGIN_PORTABLE: "Portable installation",
    ORIGIN_USER: "data folder of the user signed in to this computer",
    ORIGIN_OPTION: "chosen at start-up",
}


@pytest.mark.sqlite_only(
    "the About box says where the station file lives (on a server it names the server)"
)
@pytest.mark.usefixtures("workers_stopped")
@pytest.mark.parametrize("origin", list(ORIGIN_WORDS))
def test_about_says_where_the_data_lives(db: Database, tmp_path: Path, origin: str, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = app_module.create_main_window(db, DataPaths(tmp_path / "data", origin))
    qtbot.addWidget(window)
    text = window.about_text()
    assert [o for o, words in ORIGIN_WORDS.items() if words in text] == [origin]
