"""Exporting what a page shows to an Excel workbook.

The rows are plain values the page already holds; `export_view` (no Qt, runs on
a worker) writes them with the ledger writer (`ledgers/writer.py`): xlsxwriter
loaded only now, every text cell written as text, so one starting with
= + - @ never becomes a formula. Phone columns are masked unless the acting
user may unmask and asked for full numbers. Each export is audited.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.services import audit
from gridsvc_desktop.services.actor import Actor, Permission
from gridsvc_desktop.ui.background import Task, error_text, run_in_background
from gridsvc_desktop.ui.context import UiContext
from gridsvc_desktop.ui.models.row_table import RowTableModel
from gridsvc_desktop.ui.qt import (
    QCheckBox,
    QCoreApplication,
    QFileDialog,
    QSortFilterProxyModel,
    QWidget,
)


@dataclass(frozen=True)
class ExportColumn:
    header: str
    width: float = 14
    phone: bool = False


@dataclass
class ExportSheet:
    """One table: its title, columns and rows (values: str, int, float, dates)."""

    title: str
    columns: list[ExportColumn]
    rows: list[Sequence[object]] = field(default_factory=list)


@dataclass(frozen=True)
class ExportDone:
    path: Path
    rows: int
    masked: bool


def export_view(
    db: Database,
    actor: Actor,
    path: Path,
    sheet: ExportSheet,
    *,
    kind: str,
    full_phones: bool = False,
    station: str = "",
) -> ExportDone:
    """Write `sheet` to `path` (.xlsx); phones masked unless full_phones and allowed."""
    actor.require(Permission.export)
    from gridsvc_desktop.ledgers.spec import Column, LedgerSpec
    from gridsvc_desktop.ledgers.writer import LedgerWriter

    masked = not (full_phones and actor.may(Permission.unmask))
    spec = LedgerSpec(
        kind=kind,
        title=sheet.title,
        importable=False,
        columns=tuple(
            Column(
                name=f"c{i}",
                header=c.header,
                sensitive="phone" if c.phone else "",
                width=c.width,
            )
            for i, c in enumerate(sheet.columns)
        ),
    )
    writer = LedgerWriter(
        Path(path), spec, station=station, exported_by=actor.username, masked=masked
    )
    try:
        writer.write_rows(sheet.rows)
    except BaseException:
        writer.close()
        Path(path).unlink(missing_ok=True)
        raise
    rows = writer.close()
    with db.write() as s:
        audit.record(
            s, actor, "export", kind, "",
            after={"file": Path(path).name, "rows": rows, "masked": masked},
        )  # fmt: skip
    return ExportDone(Path(path), rows, masked)


def ask_export_path(parent: QWidget, suggested: str, may_unmask: bool) -> tuple[Path, bool] | None:
    """Ask where to save (and, for users who may, whether to show full phone numbers)."""
    dialog = QFileDialog(parent)
    dialog.setObjectName("export_file_dialog")
    dialog.setWindowTitle(QCoreApplication.translate("ExportDialog", "Export to Excel"))
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setNameFilter(QCoreApplication.translate("ExportDialog", "Excel workbook (*.xlsx)"))
    dialog.setDefaultSuffix("xlsx")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.selectFile(suggested)
    full = QCheckBox(QCoreApplication.translate("ExportDialog", "Full phone numbers"))
    full.setObjectName("export_full_phones")
    full.setEnabled(may_unmask)
    layout = dialog.layout()
    if layout is not None:
        layout.addWidget(full)
    if not dialog.exec():
        return None
    files = dialog.selectedFiles()
    if not files:
        return None
    path = Path(files[0])
    if path.suffix.lower() != ".xlsx":
        path = path.with_suffix(".xlsx")
    return path, full.isChecked()


AskPath = Callable[[QWidget, str, bool], "tuple[Path, bool] | None"]


def sheet_of_view(
    title: str,
    model: RowTableModel[Any],
    proxy: QSortFilterProxyModel,
    row_role: int,
    widths: Sequence[float],
) -> ExportSheet:
    """The rows a row table shows now (filtered and sorted through `proxy`), phones
    unmasked here: the writer masks them unless the user may and asks for full numbers."""
    titles = model.column_titles()
    cols = [
        ExportColumn(t, w, phone=(i == model.PHONE_COLUMN))
        for i, (t, w) in enumerate(zip(titles, widths, strict=True))
    ]
    sheet = ExportSheet(title, cols)
    for r in range(proxy.rowCount()):
        row = proxy.data(proxy.index(r, 0), row_role)
        if row is not None:
            sheet.rows.append([model.text(row, c, unmask=True) for c in range(len(titles))])
    return sheet


def export_in_background(
    parent: QWidget,
    ctx: UiContext,
    actor: Actor,
    sheet: ExportSheet,
    *,
    kind: str,
    ask_path: AskPath,
    report: Callable[[str, bool], None],
) -> Task | None:
    """ "Export this view": ask where (and whether with full phones), write `sheet`
    on a worker, and `report(text, warn)` progress, the result or the failure.

    Returns the task, or None when the user cancelled the file dialog.
    """
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M")
    suggested = str(Path.home() / f"{sheet.title}-{stamp}.xlsx")
    answer = ask_path(parent, suggested, actor.may(Permission.unmask))
    if answer is None:
        return None
    path, full = answer
    db, station = ctx.db, ctx.station_name

    def done(result: ExportDone) -> None:
        report(
            QCoreApplication.translate("ExportDialog", "Exported {rows} rows to {path}").format(
                rows=result.rows, path=str(result.path)
            ),
            False,
        )

    def failed(error: BaseException) -> None:
        report(
            QCoreApplication.translate("ExportDialog", "Export failed: {error}").format(
                error=error_text(error)
            ),
            True,
        )

    report(QCoreApplication.translate("ExportDialog", "Exporting…"), False)
    return run_in_background(
        parent,
        lambda _p: export_view(
            db, actor, path, sheet, kind=kind, full_phones=full, station=station
        ),
        on_success=done,
        on_failure=failed,
    )
