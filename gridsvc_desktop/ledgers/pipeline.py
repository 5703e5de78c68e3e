"""Read → map → coerce → validate: a ledger file becomes records keyed by its
natural key, plus refused rows and warnings. No database here: linking, diffing
and applying are done by the kind modules (`ledgers/kinds/`) driven by
`services.imports`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gridsvc_desktop.domain.normalize import NormalizeError
from gridsvc_desktop.ledgers import coerce
from gridsvc_desktop.ledgers.detect import Layout, detect
from gridsvc_desktop.ledgers.errors import LedgerFileError
from gridsvc_desktop.ledgers.readers import Source, open_source
from gridsvc_desktop.ledgers.safety import DEFAULT_MAX_ROWS
from gridsvc_desktop.ledgers.spec import LedgerSpec
from gridsvc_desktop.services.progress import NullProgress, Progress, checkpoint

PROGRESS_EVERY = 10_000
_TOTAL_WORDS = ("合计", "总计", "小计", "共计")


@dataclass(frozen=True)
class Issue:
    """A refusal reason or a warning: row (as Excel numbers it; 0 for the file),
    column (header text as in the file) and message (Chinese)."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"第 {self.row} 行" if self.row else ""
        if self.column:
            where += f"“{self.column}”"
        return f"{where}：{self.message}" if where else self.message


@dataclass
class RefusedRow:
    row: int
    reasons: list[Issue]
    raw: list[Any] | None = None  # the cells as read; None when rebuilt from values
    values: tuple[Any, ...] | None = None  # coerced values, when the row itself was fine

    @property
    def reason(self) -> str:
        return "；".join((f"“{i.column}”" if i.column else "") + i.message for i in self.reasons)


@dataclass
class ImportOptions:
    """What the user may say instead of letting the importer find it."""

    kind: str | None = None  # LedgerKind value
    sheet: str | None = None
    header_row: int | None = None  # 1-based
    mapping: dict[str, str] | None = None  # header text → column name ("" to ignore)
    max_rows: int = DEFAULT_MAX_ROWS


@dataclass
class Parsed:
    """A ledger file read and checked row by row."""

    path: Path
    layout: Layout
    fields: tuple[str, ...]  # spec column names present, in spec order
    records: dict[Any, tuple[Any, ...]]  # key → values (aligned with fields) + (row,)
    refused: dict[int, RefusedRow] = field(default_factory=dict)
    warnings: list[Issue] = field(default_factory=list)
    rows_read: int = 0  # data rows, blank and totals rows excluded
    skipped: int = 0

    @property
    def spec(self) -> LedgerSpec:
        return self.layout.spec

    def index(self, name: str) -> int:
        return self.fields.index(name)

    def refuse(self, row: int, column: str, message: str, raw: list[Any] | None = None) -> None:
        entry = self.refused.get(row)
        if entry is None:
            self.refused[row] = RefusedRow(row, [Issue(row, column, message)], raw)
        else:
            entry.reasons.append(Issue(row, column, message))

    def header(self, name: str) -> str:
        return self.layout.header_of(self.spec.column(name))


# A per-kind row check, made once per file: adds warnings, or refuses the row
# (parsed.refuse) and returns False.
RowCheck = Callable[[tuple[Any, ...]], bool]
CheckFactory = Callable[["Parsed"], RowCheck | None]


def parse(
    path: Path,
    options: ImportOptions | None = None,
    *,
    account_length: int = 10,
    spec: LedgerSpec | None = None,
    check: CheckFactory | None = None,
    progress: Progress | None = None,
    on_open: Callable[[], None] | None = None,
) -> Parsed:
    """Open, detect and read the whole file. Raises LedgerFileError for the file as a whole.

    `on_open` is called once the file has passed the safety checks, before its
    sheet is loaded (the longest wait, spent outside Python)."""
    options = options or ImportOptions()
    progress = progress or NullProgress()
    source = open_source(path, max_rows=options.max_rows)
    try:
        if on_open is not None:
            on_open()
        progress.report(0, 1, "正在识别表头")
        layout = detect(
            source,
            spec=spec,
            sheet=options.sheet,
            header_row=options.header_row,
            overrides=options.mapping,
        )
        return _read(source, layout, account_length, check, progress, options.max_rows)
    finally:
        source.close()


def _read(
    source: Source,
    layout: Layout,
    account_length: int,
    check: CheckFactory | None,
    progress: Progress,
    max_rows: int = DEFAULT_MAX_ROWS,
) -> Parsed:
    spec = layout.spec
    present = layout.present
    fields = tuple(c.name for c in spec.columns if c.name in present and c.stored)
    parsed = Parsed(path=source.path, layout=layout, fields=fields, records={})
    by_name = {col.name: (idx, col) for idx, col in layout.mapping.items()}
    plan: list[tuple[int, Any, bool, Any, str]] = []
    for name in fields:
        idx, col = by_name[name]
        conv = coerce.coercer_for(
            col.type, account_length=account_length, repeats=col.repeats, default=col.default
        )
        default = () if col.type == "list" and col.default == "" else col.default
        plan.append((idx, conv, col.not_empty, default, layout.headers[idx]))
    row_fn = _compile_row(plan)
    # A key column may be optional (小区 in the contact list): absent, it counts as "".
    key_pos = [fields.index(k) if k in fields else -1 for k in spec.key]
    single_key = key_pos[0] if len(key_pos) == 1 else -1
    key_headers = [layout.headers[by_name[k][0]] for k in spec.key if k in by_name]
    sheet = source.sheet(layout.sheet)
    total = max(sheet.height - layout.header_row, 1)
    records = parsed.records
    conflicted: dict[Any, int] = {}
    warnings = parsed.warnings
    rowno = layout.header_row
    errs: list[tuple[str, str]] = []
    row_check = check(parsed) if check is not None else None
    for raw in sheet.rows(layout.header_row):
        rowno += 1
        if not any(raw):
            continue
        record = row_fn(raw, rowno, errs, warnings)
        if rowno % PROGRESS_EVERY == 0:
            checkpoint(progress, rowno - layout.header_row, total, "正在读取和检查")
            if parsed.rows_read > max_rows:
                raise LedgerFileError(source.file_name, _too_many(max_rows))
        if errs:
            bad = [Issue(rowno, h, m) for h, m in errs]
            errs.clear()
            if _skippable(raw, bad, key_headers, rowno, parsed):
                continue
            parsed.rows_read += 1
            parsed.refused[rowno] = RefusedRow(rowno, bad, list(raw))
            continue
        parsed.rows_read += 1
        if row_check is not None and not row_check(record):
            parsed.refused[rowno].raw = list(raw)
            continue
        key = (
            record[single_key]
            if single_key >= 0
            else tuple(record[i] if i >= 0 else "" for i in key_pos)
        )
        first = records.get(key)
        if first is None:
            if key in conflicted:
                parsed.refuse(
                    rowno,
                    key_headers[0],
                    _dup_message(spec, key, conflicted[key], rowno),
                    list(raw),
                )
                continue
            records[key] = record
            continue
        if first[:-1] == record[:-1]:
            warnings.append(
                Issue(
                    rowno,
                    key_headers[0],
                    f"与第 {first[-1]} 行完全相同（{_key_text(key)}），已合并为一行",
                )
            )
            continue
        # Same key, different values: refuse both, naming both rows.
        del records[key]
        conflicted[key] = first[-1]
        message = _dup_message(
            spec, key, first[-1], rowno, _diff_text(fields, layout, first, record)
        )
        parsed.refused[first[-1]] = RefusedRow(
            first[-1], [Issue(first[-1], key_headers[0], message)], None, first
        )
        parsed.refuse(rowno, key_headers[0], message, list(raw))
    if parsed.rows_read > max_rows:
        raise LedgerFileError(source.file_name, _too_many(max_rows))
    checkpoint(progress, total, total, "读取完毕")
    return parsed


def _too_many(max_rows: int) -> str:
    return (
        f"数据超过 {max_rows:,} 行的导入上限。请把台账按乡镇拆成几个文件分别导入，"
        "或请管理员在设置中调高上限（import_max_rows）。"
    )


def _compile_row(plan: list[tuple[int, Any, bool, Any, str]]) -> Any:
    """One function per file layout that turns a row of cells into a record tuple:
    the column loop unrolled, coercers and defaults bound as constants. A refusal
    reason goes to `errs` as (header, message), a lenient value's note to `warns`."""
    ns: dict[str, Any] = {
        "Lenient": coerce.Lenient,
        "NormalizeError": NormalizeError,
        "Issue": Issue,
        "str": str,
        "MISS": object(),
        "FAILED": coerce.FAILED,
    }
    lines = ["def row_fn(raw, rowno, errs, warns):", "    n = len(raw)"]
    for j, (idx, conv, not_empty, default, header) in enumerate(plan):
        ns[f"C{j}"], ns[f"D{j}"], ns[f"H{j}"] = conv, default, header
        lines += [
            f"    v = raw[{idx}] if {idx} < n else None",
            "    if v is None or v == '' or (v.__class__ is str and v.isspace()):",
            f"        x{j} = D{j}",
        ]
        if not_empty:
            lines.append(f"        errs.append((H{j}, '不能为空'))")
        memo = getattr(conv, "memo", None)
        if memo is not None:  # memoised coercer: look the value up inline
            ns[f"M{j}"] = memo
            call = [
                f"            x{j} = M{j}.get(v, MISS)",
                f"            if x{j} is MISS or x{j}.__class__ is FAILED:",
                f"                x{j} = C{j}(v)",
            ]
        else:
            call = [f"            x{j} = C{j}(v)"]
        lines += [
            "    else:",
            "        try:",
            *call,
            "        except Lenient as e:",
            f"            x{j} = e.value",
            f"            warns.append(Issue(rowno, H{j}, str(e)))",
            "        except NormalizeError as e:",
            f"            x{j} = None",
            f"            errs.append((H{j}, str(e)))",
        ]
    lines.append("    return (" + "".join(f"x{j}, " for j in range(len(plan))) + "rowno)")
    exec(compile("\n".join(lines), "<ledger-row>", "exec"), ns)  # our own code: no cell text in it
    return ns["row_fn"]


def _key_text(key: Any) -> str:
    if isinstance(key, tuple):
        return "+".join(str(k) for k in key if k not in (None, ""))
    return str(key)


def _dup_message(spec: LedgerSpec, key: Any, first: int, second: int, diff: str = "") -> str:
    label = spec.key_label or "关键字段"
    text = f"{label}“{_key_text(key)}”在第 {first} 行和第 {second} 行重复且内容不同"
    return text + (f"（{diff}）" if diff else "") + "，两行都未导入"


def _diff_text(
    fields: tuple[str, ...], layout: Layout, a: tuple[Any, ...], b: tuple[Any, ...]
) -> str:
    parts = []
    for i, name in enumerate(fields):
        if a[i] != b[i]:
            header = layout.header_of(layout.spec.column(name))
            parts.append(f"{header}：{_show(a[i])} / {_show(b[i])}")
    return "；".join(parts[:3])


def _show(v: Any) -> str:
    if v is None or v == "":
        return "（空）"
    if isinstance(v, tuple):
        return "、".join(str(x) for x in v) or "（空）"
    return str(v)


def _skippable(
    raw: list[Any], bad: list[Issue], key_headers: list[str], rowno: int, parsed: Parsed
) -> bool:
    """A totals row, a note under the table, or a row of blanks: skipped, not refused."""
    texts = [str(v).strip() for v in raw if v not in (None, "") and str(v).strip()]
    if not texts:
        return True
    head = "".join(texts[:3])
    if any(w in head.replace(" ", "") for w in _TOTAL_WORDS):
        parsed.skipped += 1
        parsed.warnings.append(Issue(rowno, "", "合计行，已跳过"))
        return True
    key_empty = any(i.column in key_headers and i.message == "不能为空" for i in bad)
    if key_empty and len(texts) == 1:
        parsed.skipped += 1
        parsed.warnings.append(Issue(rowno, "", f"不是数据行（“{texts[0][:20]}”），已跳过"))
        return True
    return False
