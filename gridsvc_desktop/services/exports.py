"""Exports of every ledger kind (and of work orders, calls and collection records)
as .xlsx in the layout the importer reads, and blank templates.

Phones and ID numbers are masked unless the acting user's role may unmask (an
admin may also ask for a masked file to send outside). Each export is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.domain.enums import LedgerKind
from gridsvc_desktop.ledgers.exporters import EXPORTERS, count
from gridsvc_desktop.ledgers.kinds.base import run
from gridsvc_desktop.ledgers.specs import SPECS, spec_for
from gridsvc_desktop.ledgers.writer import LedgerWriter, write_template
from gridsvc_desktop.services import audit
from gridsvc_desktop.services.actor import Actor, Permission
from gridsvc_desktop.services.progress import NullProgress, Progress, checkpoint

__all__ = ["EXPORT_KINDS", "ExportResult", "export_ledger", "export_template"]

EXPORT_KINDS: tuple[str, ...] = tuple(SPECS)
PROGRESS_EVERY = 10_000


@dataclass
class ExportResult:
    path: Path
    kind: str
    rows: int
    masked: bool


def _kind_name(kind: str | LedgerKind) -> str:
    return spec_for(kind).kind


def export_ledger(
    db: Database,
    actor: Actor,
    kind: str | LedgerKind,
    path: Path,
    *,
    masked: bool | None = None,
    progress: Progress | None = None,
) -> ExportResult:
    """Write all rows of `kind` to `path` (.xlsx). `masked` None: masked unless the
    actor may unmask; True: always masked."""
    actor.require(Permission.export)
    progress = progress or NullProgress()
    name = _kind_name(kind)
    spec = SPECS[name]
    mask = True if masked else not actor.may(Permission.unmask)
    path = Path(path)
    with db.read() as s:
        conn = s.connection()
        station = run(conn, "SELECT name FROM station LIMIT 1")
        total = count(conn, name)
        writer = LedgerWriter(
            path,
            spec,
            station=station[0][0] if station else "",
            exported_by=actor.username,
            masked=mask,
        )
        try:
            for n, row in enumerate(EXPORTERS[name](conn), 1):
                writer.write_row(row)
                if n % PROGRESS_EVERY == 0:
                    checkpoint(progress, n, total, f"正在导出{spec.title}")
        except BaseException:
            writer.close()
            path.unlink(missing_ok=True)
            raise
        rows = writer.close()
    progress.report(total, total, "导出完毕")
    with db.write() as s:
        audit.record(
            s, actor, "export", name, "",
            after={"file": path.name, "rows": rows, "masked": mask},
        )  # fmt: skip
    return ExportResult(path=path, kind=name, rows=rows, masked=mask)


def export_template(db: Database, actor: Actor, kind: str | LedgerKind, path: Path) -> Path:
    """A blank ledger with an instructions sheet (说明) first."""
    actor.require(Permission.view)
    name = _kind_name(kind)
    with db.read() as s:
        station = run(s.connection(), "SELECT name FROM station LIMIT 1")
    out = write_template(Path(path), SPECS[name], station=station[0][0] if station else "")
    with db.write() as s:
        audit.record(s, actor, "export_template", name, "", after={"file": Path(path).name})
    return out
