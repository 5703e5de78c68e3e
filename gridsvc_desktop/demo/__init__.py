"""The demo county: realistic, deterministic data for demos, tests and benchmarks.

`build_county` fills a database; `write_ledgers` exports what is in it as the
seven ledger kinds, in every messy shape real ledgers come in.
"""

from __future__ import annotations

from gridsvc_desktop.demo.county import DemoSummary, build_county
from gridsvc_desktop.demo.ledgers import write_ledgers

__all__ = ["DemoSummary", "build_county", "write_ledgers"]
