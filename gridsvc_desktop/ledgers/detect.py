"""Finding the ledger in a file: the sheet, the header row under any title rows,
the kind, and which cell holds which column. Each can be given instead."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gridsvc_desktop.ledgers.errors import LedgerFileError
from gridsvc_desktop.ledgers.readers import Source
from gridsvc_desktop.ledgers.spec import Column, LedgerSpec, normalize_header
from gridsvc_desktop.ledgers.specs import IMPORTABLE

HEADER_SCAN_ROWS = 30


@dataclass
class Layout:
    sheet: str
    header_row: int  # 1-based, as Excel numbers rows
    spec: LedgerSpec
    mapping: dict[int, Column]  # cell index → column
    headers: list[str]  # the header row as text
    ignored: list[str] = field(default_factory=list)  # headers matched to no column
    missing: list[Column] = field(default_factory=list)  # optional columns not in the file
    sheet_names: list[str] = field(default_factory=list)  # every sheet, for a picker

    @property
    def present(self) -> set[str]:
        return {c.name for c in self.mapping.values()}

    def header_of(self, column: Column) -> str:
        for idx, col in self.mapping.items():
            if col is column:
                return self.headers[idx]
        return column.header


@dataclass
class _Candidate:
    sheet: str
    row: int  # 0-based
    spec: LedgerSpec
    mapping: dict[int, Column]
    complete: bool

    @property
    def score(self) -> tuple[bool, int, float]:
        n = len(self.mapping)
        return (self.complete, n, n / len(self.spec.columns))


def _cell_text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def match_row(
    row: list[Any], spec: LedgerSpec, overrides: dict[str, str] | None = None
) -> dict[int, Column]:
    """Cell index → column for one candidate header row (first cell wins a column)."""
    mapping: dict[int, Column] = {}
    taken: set[str] = set()
    norm_overrides = {normalize_header(k): v for k, v in (overrides or {}).items()}
    for idx, cell in enumerate(row):
        if not isinstance(cell, str) or not cell.strip():
            continue
        col: Column | None
        forced = norm_overrides.get(normalize_header(cell))
        if forced is not None:
            col = spec.column(forced) if forced else None
        else:
            col = spec.match_header(cell)
        if col is not None and col.name not in taken:
            mapping[idx] = col
            taken.add(col.name)
    return mapping


def detect(
    source: Source,
    *,
    spec: LedgerSpec | None = None,
    sheet: str | None = None,
    header_row: int | None = None,
    overrides: dict[str, str] | None = None,
) -> Layout:
    """The best (sheet, header row, kind) in `source`; raises LedgerFileError if none fits."""
    name = source.file_name
    if sheet is not None and sheet not in source.sheet_names:
        raise LedgerFileError(
            name, f"没有名为“{sheet}”的工作表（有：{'、'.join(source.sheet_names)}）。"
        )
    sheets = [sheet] if sheet is not None else list(source.sheet_names)
    specs = list(IMPORTABLE)
    best: _Candidate | None = None
    best_wanted: _Candidate | None = None
    heads: dict[str, list[list[Any]]] = {}
    for sname in sheets:
        sh = source.sheet(sname)
        rows_needed = header_row if header_row is not None else HEADER_SCAN_ROWS
        head = sh.head(rows_needed)
        heads[sname] = head
        indices = [header_row - 1] if header_row is not None else range(len(head))
        for i in indices:
            if i < 0 or i >= len(head):
                continue
            row = head[i]
            for sp in specs:
                mapping = match_row(row, sp, overrides if sp is spec or spec is None else None)
                if len(mapping) < 2 and not (mapping and len(sp.columns) <= 2):
                    continue
                complete = all(c in mapping.values() for c in sp.required)
                cand = _Candidate(sname, i, sp, mapping, complete)
                if best is None or cand.score > best.score:
                    best = cand
                if (
                    spec is not None
                    and sp is spec
                    and (best_wanted is None or cand.score > best_wanted.score)
                ):
                    best_wanted = cand
        if best is not None and best.complete and spec is None and best.score[2] >= 0.99:
            break  # a perfect match: no need to load further sheets
    chosen = best_wanted if spec is not None else best
    if chosen is None or not chosen.complete:
        raise LedgerFileError(name, _explain(spec, chosen, best, header_row))
    if (
        spec is not None
        and best is not None
        and best.complete
        and best.spec is not spec
        and best.score[1] > chosen.score[1] + 2
    ):
        raise LedgerFileError(
            name,
            f"这看起来是“{best.spec.title}”（工作表“{best.sheet}”第 {best.row + 1} 行的表头），"
            f"不是“{spec.title}”。请选择正确的台账类型。",
        )
    source.release(keep=chosen.sheet)
    header_cells = heads[chosen.sheet][chosen.row]
    headers = [_cell_text(v) for v in header_cells]
    ignored = [h for i, h in enumerate(headers) if h and i not in chosen.mapping]
    present = set(chosen.mapping.values())
    missing = [c for c in chosen.spec.columns if c not in present]
    return Layout(
        sheet=chosen.sheet,
        header_row=chosen.row + 1,
        spec=chosen.spec,
        mapping=dict(sorted(chosen.mapping.items())),
        headers=headers,
        ignored=ignored,
        missing=missing,
        sheet_names=list(source.sheet_names),
    )


def _explain(
    spec: LedgerSpec | None,
    chosen: _Candidate | None,
    best: _Candidate | None,
    header_row: int | None,
) -> str:
    where = f"第 {header_row} 行" if header_row is not None else f"前 {HEADER_SCAN_ROWS} 行"
    if spec is not None:
        if chosen is None:
            hint = ""
            if best is not None and best.complete:
                hint = f"这看起来是“{best.spec.title}”。"
            return (
                f"不是“{spec.title}”：{where}中找不到它的表头（应有 {'、'.join(c.header for c in spec.required)} 等列）。"
                + hint
            )
        lacking = [c.header for c in spec.required if c not in chosen.mapping.values()]
        return (
            f"工作表“{chosen.sheet}”第 {chosen.row + 1} 行像是“{spec.title}”的表头，"
            f"但缺少必需的列：{'、'.join(lacking)}。"
        )
    if best is not None:
        lacking = [c.header for c in best.spec.required if c not in best.mapping.values()]
        return (
            f"工作表“{best.sheet}”第 {best.row + 1} 行像是“{best.spec.title}”的表头，"
            f"但缺少必需的列：{'、'.join(lacking)}。"
        )
    return f"{where}中找不到任何一种台账的表头（如 户号、台区编号、网格名称、工号…），文件里可能没有数据，或不是台账。"
