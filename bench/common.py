"""Shared bits of the benchmarks: timing, percentiles, memory, the table printer."""

from __future__ import annotations

import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * pct / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def time_each(fn: Callable[[str], object], inputs: list[str]) -> list[float]:
    """Milliseconds per call of fn(x) for each x."""
    out = []
    for x in inputs:
        t = time.perf_counter()
        fn(x)
        out.append((time.perf_counter() - t) * 1000)
    return out


@dataclass
class Row:
    what: str
    value: str
    target: str = ""
    baseline: str = ""
    ratio: str = ""
    verdict: str = ""


def print_table(title: str, rows: list[Row]) -> str:
    head = ["measure", "value", "target", "plain baseline", "ratio", ""]
    cells = [head] + [[r.what, r.value, r.target, r.baseline, r.ratio, r.verdict] for r in rows]
    widths = [max(len(c[i]) for c in cells) for i in range(len(head))]
    lines = [f"## {title}", ""]
    for n, c in enumerate(cells):
        lines.append("| " + " | ".join(v.ljust(widths[i]) for i, v in enumerate(c)) + " |")
        if n == 0:
            lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    text = "\n".join(lines)
    print(text, flush=True)
    return text


def machine() -> str:
    import os

    try:
        import psutil

        mem = f"{psutil.virtual_memory().total / 2**30:.0f} GiB"
    except ImportError:  # pragma: no cover
        mem = "?"
    return f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, {mem}, Python {platform.python_version()}, {platform.system()}"


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")
