"""services/arrears: lists (filters, sort, keyset pages), collection actions,
the cut-off path within the rules, reconnection on payment, figures, export."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select
from test_ui_sample import seed_county

from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.db.errors import ConcurrentEdit
from gridsvc_desktop.db.models import Arrears, Customer, Staff, TransformerArea, WorkOrder
from gridsvc_desktop.domain.enums import (
    ArrearsStatus,
    CollectionKind,
    CustomerCategory,
    OrderSubtype,
)
from gridsvc_desktop.services import arrears as ar
from gridsvc_desktop.services.actor import Actor, PermissionDenied
from gridsvc_desktop.services.common import InvalidInput

TODAY = dt.date.today()
NOW = dt.datetime.now().replace(microsecond=0)


def month_back(n: int) -> str:
    y, m = divmod(TODAY.year * 12 + TODAY.month - 1 - n, 12)
    return f"{y:04d}{m + 1:02d}"


def add_arrears(db: Database, n: int = 30) -> list[int]:
    """Arrears for the first n customers: amounts 10.00 … and ages 1 … 12 months back,
    collector the manager of the customer's grid; returns their ids."""
    with db.write() as s:
        rows = s.execute(
            select(Customer.id, TransformerArea.grid_id)  # type: ignore[call-overload]
            .join(TransformerArea, TransformerArea.id == Customer.transformer_area_id)
            .order_by(Customer.id)
            .limit(n)
        ).all()
        staff = list(s.execute(select(Staff.id).order_by(Staff.id)).scalars())  # type: ignore[call-overload]
        ids = []
        for i, (cid, grid_id) in enumerate(rows):
            a = Arrears(
                customer_id=cid,
                month=month_back(1 + i % 12),
                amount_fen=1000 * (i + 1),
                first_seen=TODAY - dt.timedelta(days=40),
                last_seen=TODAY,
                collector_id=staff[(grid_id or 1) - 1] if staff else None,
            )
            s.add(a)
            s.flush()
            ids.append(a.id)
    return ids


@pytest.fixture
def county(db: Database) -> list[int]:
    seed_county(db, customers=60)
    return add_arrears(db)


def test_list_filters_sorts_and_pages_in_sql(db: Database, county: list[int]) -> None:
    with db.read() as s:
        every = ar.list_arrears(s, ar.ArrearsFilter(status=ar.StatusFilter.unpaid), limit=1000)
        # the seed's own two months for the first customer are in as well
        assert len(every) == 32
        amounts = [r.amount_fen for r in every]
        assert amounts == sorted(amounts, reverse=True)
        # keyset pages give the same rows in the same order
        paged, after = [], None
        while True:
            page = ar.list_arrears(
                s, ar.ArrearsFilter(status=ar.StatusFilter.unpaid), limit=7, after=after
            )
            paged += page
            if len(page) < 7:
                break
            after = page[-1].cursor(ar.SortKey.amount)
        assert [r.id for r in paged] == [r.id for r in every]
        by_age = ar.list_arrears(
            s, ar.ArrearsFilter(status=ar.StatusFilter.unpaid), sort=ar.SortKey.age, limit=1000
        )
        assert [r.month for r in by_age] == sorted(r.month for r in by_age)
        paged, after = [], None
        while True:
            page = ar.list_arrears(
                s,
                ar.ArrearsFilter(status=ar.StatusFilter.unpaid),
                sort=ar.SortKey.age,
                limit=5,
                after=after,
            )
            paged += page
            if len(page) < 5:
                break
            after = page[-1].cursor(ar.SortKey.age)
        assert [r.id for r in paged] == [r.id for r in by_age]
        grid1 = every[0].grid
        in_grid = ar.list_arrears(
            s, ar.ArrearsFilter(grid_id=1, status=ar.StatusFilter.unpaid), limit=1000
        )
        assert in_grid and all(
            r.grid == grid1 or r.grid.startswith(grid1.split()[0]) for r in in_grid
        )
        assert len({r.grid for r in in_grid}) == 1
        com = ar.list_arrears(s, ar.ArrearsFilter(category=CustomerCategory.commercial), limit=1000)
        assert com and all(r.category is CustomerCategory.commercial for r in com)
        who = next(r.collector_id for r in every if r.collector_id is not None)
        mine = ar.list_arrears(s, ar.ArrearsFilter(collector_id=who), limit=1000)
        assert mine and all(r.collector_id == who for r in mine)
        assert len(mine) < len(every)
        n, fen = ar.count_arrears(s, ar.ArrearsFilter(status=ar.StatusFilter.unpaid))
        assert (n, fen) == (32, sum(amounts))
        # late fee by the rules beside the ledger's, with the rule named
        old = by_age[0]
        assert old.fee.fee_fen > 0 and "‰" in old.fee.rule


def test_promise_leaves_the_list_until_overdue(
    db: Database, county: list[int], admin: Actor
) -> None:
    aid = county[3]
    with db.write() as s:
        ar.record_action(
            session=s, actor=admin, arrears_id=aid, kind=CollectionKind.phone,
            result="客户说周五缴", promised_on=TODAY + dt.timedelta(days=3),
        )  # fmt: skip
    todo = ar.ArrearsFilter(status=ar.StatusFilter.todo)
    with db.read() as s:
        assert aid not in {r.id for r in ar.list_arrears(s, todo, limit=1000)}
        later = TODAY + dt.timedelta(days=4)
        back = ar.list_arrears(s, todo, limit=1000, on=later)
        row = next(r for r in back if r.id == aid)
        assert row.status is ArrearsStatus.promised and row.promise_overdue(later)
        assert row.last_action.startswith("电话催费")
        overdue = ar.list_arrears(
            s, ar.ArrearsFilter(status=ar.StatusFilter.promise_overdue), on=later
        )
        assert [r.id for r in overdue] == [aid]


def test_actions_are_version_checked_and_audited(
    db: Database, county: list[int], admin: Actor
) -> None:
    aid = county[0]
    with db.write() as s:
        ar.record_action(
            session=s, actor=admin, arrears_id=aid, kind=CollectionKind.sms, expected_version=1
        )
    with db.write() as s, pytest.raises(ConcurrentEdit):
        ar.record_action(
            session=s, actor=admin, arrears_id=aid, kind=CollectionKind.visit, expected_version=1
        )
    with db.read() as s:
        audits = (
            s.connection()
            .exec_driver_sql(
                "SELECT action, entity FROM audit_log WHERE entity IN ('arrears', 'collection_action')"
            )
            .fetchall()
        )
        assert sorted(tuple(a) for a in audits) == [
            ("create", "collection_action"),
            ("update", "arrears"),
        ]
    with db.write() as s, pytest.raises(InvalidInput):
        ar.record_action(session=s, actor=admin, arrears_id=aid, kind=CollectionKind.cut_off)


def _residential(db: Database, ids: list[int]) -> int:
    with db.read() as s:
        for aid in ids:
            a = s.get(Arrears, aid)
            assert a is not None
            c = s.get(Customer, a.customer_id)
            assert c is not None
            if c.category is CustomerCategory.residential:
                return aid
    raise AssertionError


def _commercial(db: Database, ids: list[int]) -> int:
    with db.read() as s:
        for aid in ids:
            a = s.get(Arrears, aid)
            c = s.get(Customer, a.customer_id)  # type: ignore[union-attr]
            if c is not None and c.category is CustomerCategory.commercial:
                return aid
    raise AssertionError


def test_cut_off_only_after_the_notice_period_then_reconnection(
    db: Database, county: list[int], admin: Actor, staff_actor: Actor
) -> None:
    aid = _residential(db, county[1:])
    with db.write() as s, pytest.raises(InvalidInput, match="没有书面停电通知"):
        ar.record_cutoff(session=s, actor=admin, arrears_id=aid)
    with db.write() as s:
        ar.record_action(
            session=s, actor=admin, arrears_id=aid, kind=CollectionKind.written_notice,
            at=NOW - dt.timedelta(days=6),
        )  # fmt: skip
    with db.read() as s:
        check = ar.cutoff_check(s, aid)
        assert not check.allowed and check.earliest == TODAY + dt.timedelta(days=1)
        assert ar.arrears_detail(s, aid).row.status is ArrearsStatus.notice_served
    with db.write() as s, pytest.raises(InvalidInput, match="最早"):
        ar.record_cutoff(session=s, actor=admin, arrears_id=aid)
    # staff may not cut off at all
    with db.write() as s, pytest.raises(PermissionDenied):
        ar.record_cutoff(
            session=s, actor=staff_actor, arrears_id=aid, at=NOW + dt.timedelta(days=1)
        )
    with db.write() as s:
        ar.record_cutoff(session=s, actor=admin, arrears_id=aid, at=NOW + dt.timedelta(days=1))
    with db.read() as s:
        a = s.get(Arrears, aid)
        assert a is not None and a.status is ArrearsStatus.cut_off
        customer_id = a.customer_id
        others = list(
            s.execute(
                select(Arrears.id).where(  # type: ignore[call-overload]
                    Arrears.customer_id == customer_id, Arrears.id != aid
                )
            ).scalars()
        )
    # paying one month of several: no reconnection yet
    with db.write() as s:
        extra = Arrears(customer_id=customer_id, month="202001", amount_fen=500,
                        first_seen=TODAY, last_seen=TODAY)  # fmt: skip
        s.add(extra)
        s.flush()
        extra_id = extra.id
    at = NOW + dt.timedelta(days=1, hours=1)
    with db.write() as s:
        res = ar.record_payment(session=s, actor=staff_actor, arrears_id=aid, at=at)
        assert res.reconnection is None
    for other in [*others, extra_id]:
        with db.write() as s:
            res = ar.record_payment(session=s, actor=staff_actor, arrears_id=other, at=at)
    assert res.reconnection is not None
    with db.read() as s:
        order = s.execute(
            select(WorkOrder).where(WorkOrder.subtype == OrderSubtype.reconnection)
        ).scalar_one()
        assert order.subtype is OrderSubtype.reconnection
        assert order.customer_id == customer_id
        assert order.resolve_due - order.received_at == dt.timedelta(hours=24)
        history = [h.what for h in ar.arrears_detail(s, aid).history]
        assert history == ["出现在欠费台账", "书面停电通知", "欠费停电", "已缴费"]


def test_non_residential_needs_a_final_notice(
    db: Database, county: list[int], admin: Actor
) -> None:
    aid = _commercial(db, county)
    with db.write() as s:
        ar.record_action(
            session=s, actor=admin, arrears_id=aid, kind=CollectionKind.written_notice,
            at=NOW - dt.timedelta(days=3),
        )  # fmt: skip
    with db.write() as s, pytest.raises(InvalidInput, match="最后通知"):
        ar.record_cutoff(session=s, actor=admin, arrears_id=aid)
    with db.write() as s:
        ar.record_action(session=s, actor=admin, arrears_id=aid, kind=CollectionKind.final_notice)
        ar.record_cutoff(session=s, actor=admin, arrears_id=aid)


def test_figures_rate_recovered_and_ageing(db: Database, county: list[int], admin: Actor) -> None:
    with db.write() as s:
        for aid in county[:4]:
            ar.record_payment(session=s, actor=admin, arrears_id=aid)
    with db.read() as s:
        fig = ar.collection_figures(s, start=TODAY.replace(day=1), end=TODAY)
        paid = sum(1000 * (i + 1) for i in range(4))
        owed = sum(1000 * (i + 1) for i in range(30)) + 12_345 + 111_105
        assert (fig.total.recovered_fen, fig.total.owed_fen) == (paid, owed)
        assert fig.total.rate == pytest.approx(100 * paid / owed)
        assert sum(ln.owed_fen for ln in fig.by_collector) == owed
        assert sum(ln.recovered_count for ln in fig.by_grid) == 4
        assert [b.label for b in fig.ageing] == ["0–30天", "31–90天", "91–180天", "180天以上"]
        assert sum(b.fen for b in fig.ageing) == owed - paid
        # the seed's 2024 months are far past 180 days
        assert fig.ageing[3].fen >= 12_345 + 111_105
        # a period before anything was paid recovers nothing
        before = ar.collection_figures(
            s, start=TODAY - dt.timedelta(days=60), end=TODAY - dt.timedelta(days=50)
        )
        assert before.total.recovered_fen == 0


def test_export_masks_phones_for_staff_roles(
    db: Database, county: list[int], admin: Actor, lead_actor: Actor, tmp_path: Path
) -> None:
    import openpyxl

    with db.write() as s:
        n = ar.export_arrears(session=s, actor=admin, path=tmp_path / "a.xlsx")
        ar.export_figures(
            session=s, actor=lead_actor, path=tmp_path / "f.xlsx",
            figures=ar.collection_figures(s, start=TODAY.replace(day=1), end=TODAY),
        )  # fmt: skip
    assert n == 32
    ws = openpyxl.load_workbook(tmp_path / "a.xlsx").active
    assert [c.value for c in ws[3]][:3] == ["户号", "户名", "联系电话"]
    assert "13812345678" in [ws.cell(r, 3).value for r in range(4, 4 + n)]
    wb = openpyxl.load_workbook(tmp_path / "f.xlsx")
    assert wb.sheetnames == ["按网格", "按催收人", "账龄"]
    with db.write() as s, pytest.raises(PermissionDenied):
        ar.export_arrears(
            session=s,
            actor=Actor(None, "x", admin.role.__class__("staff")),
            path=tmp_path / "b.xlsx",
        )


def test_desk_carries_the_collection_figures(db: Database, county: list[int], admin: Actor) -> None:
    from gridsvc_desktop.services.desk import desk_figures

    with db.write() as s:
        ar.record_payment(session=s, actor=admin, arrears_id=county[0])
    with db.read() as s:
        fig = desk_figures(s)
    assert fig.collection is not None
    assert fig.collection.total.recovered_fen == 1000
    assert fig.collection.start == TODAY.replace(day=1)
