"""The rotating log file in the data folder."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from test_crash import fake_loop
from test_ui_sample import IGNORE_OFFSCREEN_SIZE_HINTS, workers_stopped  # noqa: F401

from gridsvc_desktop import app as app_module
from gridsvc_desktop.logs import (
    LOG_FILE_NAME,
    LogFile,
    log_file,
    remove_file_logging,
    setup_file_logging,
)
from gridsvc_desktop.paths import DataPaths


def our_handlers() -> list[logging.Handler]:
    return [h for h in logging.getLogger().handlers if isinstance(h, LogFile)]


def test_the_log_lives_in_the_data_folder_and_rotates(tmp_path: Path) -> None:
    paths = DataPaths(tmp_path / "data")
    root = logging.getLogger()
    level = root.level
    handler = setup_file_logging(paths, max_bytes=2_000, backup_count=2)
    assert handler is not None
    try:
        assert log_file(paths) == tmp_path / "data" / "logs" / LOG_FILE_NAME
        assert root.level <= logging.INFO
        for i in range(200):
            logging.getLogger("gridsvc_desktop.test").info("line %d %s", i, "供电" * 10)
        handler.flush()
    finally:
        remove_file_logging(handler)
    files = sorted(p.name for p in (tmp_path / "data" / "logs").iterdir())
    assert files == [LOG_FILE_NAME, f"{LOG_FILE_NAME}.1", f"{LOG_FILE_NAME}.2"]
    # the cap counts characters of the next record, so a file may pass it by one record
    assert all(p.stat().st_size <= 2_300 for p in (tmp_path / "data" / "logs").iterdir())
    assert "line 199" in log_file(paths).read_text(encoding="utf-8")
    assert our_handlers() == []
    assert root.level == level


def test_the_first_line_says_what_started(tmp_path: Path) -> None:
    paths = DataPaths(tmp_path / "data")
    handler = setup_file_logging(paths)
    remove_file_logging(handler)
    first = log_file(paths).read_text(encoding="utf-8").splitlines()[0]
    assert "gridsvc-desktop" in first and "started" in first and str(paths.root) in first


def test_an_unwritable_folder_means_no_file_log_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "logs").write_text("a file where the folder should be")
    assert setup_file_logging(DataPaths(tmp_path / "data")) is None
    assert our_handlers() == []
    remove_file_logging(None)


def test_the_console_stays_as_quiet_as_it_was(tmp_path: Path) -> None:
    root = logging.getLogger()
    console = logging.StreamHandler()
    root.addHandler(console)
    level = root.level
    root.setLevel(logging.WARNING)
    try:
        handler = setup_file_logging(DataPaths(tmp_path / "data"))
        assert console.level == logging.WARNING  # INFO goes to the file only
        remove_file_logging(handler)
        assert root.level == logging.WARNING
    finally:
        root.removeHandler(console)
        root.setLevel(level)


@IGNORE_OFFSCREEN_SIZE_HINTS
@pytest.mark.usefixtures("workers_stopped")
def test_the_program_logs_to_its_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(app_module, "run_event_loop", fake_loop(qtbot, tmp_path / "data"))
    assert app_module.main(["--data-dir", str(tmp_path / "data")]) == 0
    text = (tmp_path / "data" / "logs" / LOG_FILE_NAME).read_text(encoding="utf-8")
    assert "started" in text
    assert our_handlers() == []  # removed again at exit
