"""The demo county's ledgers, in every messy shape the demo writer produces, import
back into the county they came from without a change; the dirty one refuses its
conflicting duplicates and nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest

from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.services.actor import Actor
from gridsvc_desktop.services.exports import export_ledger
from gridsvc_desktop.services.imports import prepare_import

demo = pytest.importorskip("gridsvc_desktop.demo")


@pytest.fixture(scope="module")
def demo_county(tmp_path_factory: pytest.TempPathFactory) -> tuple[Database, Actor, list[Path]]:
    from gridsvc_desktop.db.store import open_store
    from gridsvc_desktop.paths import DataPaths
    from gridsvc_desktop.services import station

    root = tmp_path_factory.mktemp("demo")
    db = open_store(DataPaths(root / "data"))
    demo.build_county(db, customers=1000, seed=3)
    files = demo.write_ledgers(root / "ledgers", db=db, seed=3)
    with db.read() as s:
        admin = station.actor_for(s, "admin")
    return db, admin, [f for f in files if f.suffix != ".txt"]


def test_every_demo_ledger_reads_back_unchanged(
    demo_county: tuple[Database, Actor, list[Path]],
) -> None:
    db, admin, files = demo_county
    assert len(files) >= 20
    for path in files:
        plan = prepare_import(db, admin, path)
        label = f"{path.name}: {plan.summary_line()}\n{plan.describe(5)}"
        assert plan.created == 0 and not plan.changed, label
        if "脏数据" in path.name:
            assert len(plan.refused) == 10 and all(
                "重复且内容不同" in r.reason for r in plan.refused
            ), label
        else:
            assert not plan.refused, label
        if "GBK" in path.name and plan.kind.value == "customers":
            assert any("生僻字" in str(w) for w in plan.warnings), label


@pytest.mark.parametrize(
    "kind",
    ["customers", "transformer_areas", "grids", "staff", "contacts", "arrears", "orders_95598"],
)
def test_demo_export_round_trip(
    demo_county: tuple[Database, Actor, list[Path]], tmp_path: Path, kind: str
) -> None:
    db, admin, _ = demo_county
    result = export_ledger(db, admin, kind, tmp_path / f"{kind}.xlsx")
    plan = prepare_import(db, admin, result.path)
    assert plan.counts == (0, 0, result.rows, 0), plan.describe(5)


def test_demo_exports_of_orders_calls_collections(
    demo_county: tuple[Database, Actor, list[Path]], tmp_path: Path
) -> None:
    db, admin, _ = demo_county
    for kind in ("work_orders", "calls", "collections"):
        assert export_ledger(db, admin, kind, tmp_path / f"{kind}.xlsx").rows > 0
