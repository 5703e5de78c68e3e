"""Every report of the catalogue, built from one demo county and read back.

The county (2,000 customers) is built once for the module. Each report's text
is extracted with pypdf and checked against figures computed here, in SQL,
independently of the report code: counts, names, sums and the on-time rate.
Also: the font is embedded, phones are masked for roles that may not see them,
building and printing are audited, and the CLI writes the file. (20,000 rows:
tests/test_reports_tables.py here, and bench/bench_reports.py end to end.)
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from sqlalchemy import text

from gridsvc_desktop import cli
from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.db.store import open_store
from gridsvc_desktop.demo import build_county
from gridsvc_desktop.domain.enums import OrderType, Role
from gridsvc_desktop.domain.masking import mask_name, mask_phone
from gridsvc_desktop.paths import DataPaths
from gridsvc_desktop.services import reports as svc
from gridsvc_desktop.services.actor import Actor
from gridsvc_desktop.services.common import InvalidInput, NotFound
from gridsvc_desktop.services.reports import CATALOGUE, ReportParams, build_report
from gridsvc_desktop.services.station import actor_for

TODAY = dt.date(2026, 11, 20)
NOW = dt.datetime(2026, 11, 20, 8, 0)
START, END = dt.date(2026, 10, 21), dt.date(2026, 11, 20)
STAFF = Actor(user_id=None, username="营业员甲", role=Role.staff)
LEAD = Actor(user_id=None, username="班长乙", role=Role.lead)


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    db = open_store(DataPaths(tmp_path_factory.mktemp("report_county")))
    build_county(db, customers=2000, seed=1, today=TODAY)
    yield db
    db.dispose()


@pytest.fixture(scope="module")
def admin(county: Database) -> Actor:
    with county.read() as s:
        return actor_for(s, "admin")


def rows(db: Database, sql: str, **params: Any) -> list[Any]:
    with db.engine.connect() as conn:
        return list(conn.execute(text(sql), params))


def scalar(db: Database, sql: str, **params: Any) -> Any:
    return rows(db, sql, **params)[0][0]


def stamp(value: dt.datetime | dt.date) -> str:
    """How the store writes a time (text compares in order)."""
    if not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time())
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


def pdf_text(data: bytes) -> list[str]:
    return [p.extract_text() for p in PdfReader(io.BytesIO(data)).pages]


def build(db: Database, actor: Actor, name: str, **params: Any) -> tuple[svc.ReportResult, str]:
    result = build_report(db, actor, name, ReportParams(**params), now=NOW)
    pages = pdf_text(result.data)
    assert len(pages) == result.pages
    return result, "\n".join(pages)


def first_id(db: Database, sql: str) -> int:
    return int(scalar(db, sql))


# --------------------------------------------------------------------------- every report


def params_for(db: Database, spec: svc.ReportSpec) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if svc.Param.period in spec.params:
        out.update(start=START, end=END)
    if svc.Param.grid in spec.required:
        out["grid_id"] = first_id(db, "SELECT id FROM grid ORDER BY code LIMIT 1")
    if svc.Param.outage in spec.required:
        out["outage_id"] = first_id(db, "SELECT id FROM outage WHERE kind = 'planned' LIMIT 1")
    return out


@pytest.mark.parametrize("spec", CATALOGUE, ids=[s.name for s in CATALOGUE])
def test_every_report_builds_with_the_template_and_the_embedded_font(
    county: Database, admin: Actor, spec: svc.ReportSpec
) -> None:
    result, _ = build(county, admin, spec.name, **params_for(county, spec))
    assert result.data.startswith(b"%PDF") and result.pages >= 1
    reader = PdfReader(io.BytesIO(result.data))
    for number, page in enumerate(reader.pages, 1):
        w, h = float(page.mediabox.width), float(page.mediabox.height)
        assert sorted((round(w), round(h))) == [595, 842]  # A4
        assert (w > h) == spec.landscape
        page_text = page.extract_text()
        assert f"第 {number} 页 / 共 {result.pages} 页" in page_text
        assert "生成：2026-11-20 08:00" in page_text and "制表：管理员（admin）" in page_text
        if not spec.posted:
            assert "清河县城关供电所" in page_text and spec.title in page_text
    fonts = set()
    for page in reader.pages:
        for ref in page["/Resources"].get_object().get("/Font", {}).values():
            font = ref.get_object()
            descriptor = font["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor, f"{font['/BaseFont']} is not embedded"
            fonts.add(str(font["/BaseFont"]))
    assert fonts and all("WenQuanYiMicroHei" in f for f in fonts)
    assert result.file_name.startswith(result.title) and result.file_name.endswith(".pdf")


# --------------------------------------------------------------------------- work orders


def order_figures(db: Database, where: str = "", **params: Any) -> dict[str, Any]:
    """The report's figures, computed here from the rows (see reports/work_orders.py)."""
    base = "FROM work_order WHERE received_at >= :s AND received_at < :e" + (
        f" AND {where}" if where else ""
    )
    p = {"s": stamp(START), "e": stamp(END + dt.timedelta(days=1)), "now": stamp(NOW), **params}
    late = (
        "((contact_due IS NOT NULL AND ((contacted_at IS NOT NULL AND contacted_at > contact_due)"
        " OR (contacted_at IS NULL AND :now > contact_due)))"
        " OR (arrival_due IS NOT NULL AND ((arrived_at IS NOT NULL AND arrived_at > arrival_due)"
        " OR (arrived_at IS NULL AND :now > arrival_due)))"
        " OR (resolved_at IS NOT NULL AND resolved_at > resolve_due)"
        " OR (resolved_at IS NULL AND :now > resolve_due))"
    )
    done = (
        "(resolved_at IS NOT NULL AND (contact_due IS NULL OR contacted_at IS NOT NULL)"
        " AND (arrival_due IS NULL OR arrived_at IS NOT NULL))"
    )
    valid = "status NOT IN ('cancelled', 'merged')"
    total = scalar(db, f"SELECT count(*) {base}", **p)
    n_late = scalar(db, f"SELECT count(*) {base} AND {valid} AND {late}", **p)
    n_on_time = scalar(db, f"SELECT count(*) {base} AND {valid} AND NOT {late} AND {done}", **p)
    arrival = scalar(
        db,
        f"SELECT avg((julianday(arrived_at) - julianday(received_at)) * 1440) {base}"
        f" AND {valid} AND type = 'repair' AND arrived_at IS NOT NULL",
        **p,
    )
    by_type = dict(rows(db, f"SELECT type, count(*) {base} GROUP BY type", **p))
    scores = rows(db, f"SELECT satisfaction {base} AND {valid} AND satisfaction IS NOT NULL", **p)
    return {
        "total": total,
        "late": n_late,
        "on_time": n_on_time,
        "arrival": arrival,
        "by_type": by_type,
        "satisfied": sum(1 for (s,) in scores if s >= 4),
        "scored": len(scores),
    }


def test_work_order_report_figures_match_the_database(county: Database, admin: Actor) -> None:
    f = order_figures(county)
    assert f["total"] > 20 and f["late"] > 0  # the demo has late orders in every window
    _, body = build(county, admin, "work_orders", start=START, end=END)
    flat = re.sub(r"\s+", " ", body)
    assert f"{f['total']}\n受理工单" in body
    rate = f["on_time"] / (f["on_time"] + f["late"])
    assert f"{rate:.1%}\n按时率" in body
    assert f"{f['late']}\n超期工单" in body
    assert f"{f['arrival']:,.0f}\n平均到达（分钟）" in body
    assert f"{100 * f['satisfied'] / f['scored']:.1f}%\n回访满意率" in body
    for value, n in f["by_type"].items():
        assert re.search(rf"^{OrderType(value).label} {n} ", body, re.M), value
    assert f"按时 {f['on_time']} 张，超期 {f['late']} 张" in flat
    assert f"超期工单（{f['late']} 张" in flat
    assert f"工单明细（{f['total']} 张）" in flat
    # Every order of the period is listed, and only those.
    numbers = set(re.findall(r"GD\d{12}", body))
    listed = {
        n
        for (n,) in rows(
            county,
            "SELECT number FROM work_order WHERE received_at >= :s AND received_at < :e",
            s=stamp(START),
            e=stamp(END + dt.timedelta(days=1)),
        )
    }
    assert listed <= numbers
    assert "统计期间：2026-10-21 至 2026-11-20" in body and "范围：全所" in body


def test_work_order_report_per_grid_and_per_person(county: Database, admin: Actor) -> None:
    grid_id, code, name = rows(
        county,
        "SELECT g.id, g.code, g.name FROM grid g JOIN work_order w ON w.grid_id = g.id"
        " GROUP BY g.id ORDER BY count(*) DESC LIMIT 1",
    )[0]
    f = order_figures(county, "grid_id = :g", g=grid_id)
    _, body = build(county, admin, "work_orders", start=START, end=END, grid_id=grid_id)
    assert f"网格：{code} {name}" in body
    assert f"{f['total']}\n受理工单" in body
    staff_id, person = rows(
        county,
        "SELECT s.id, s.name FROM staff s JOIN work_order w ON w.assignee_id = s.id"
        " GROUP BY s.id ORDER BY count(*) DESC LIMIT 1",
    )[0]
    f = order_figures(county, "assignee_id = :a", a=staff_id)
    _, body = build(county, admin, "work_orders", start=START, end=END, staff_id=staff_id)
    assert f"责任人：{person}" in body
    assert f"{f['total']}\n受理工单" in body


def test_a_day_without_orders_still_makes_a_report(county: Database, admin: Actor) -> None:
    day = dt.date(2020, 1, 1)
    _, body = build(county, admin, "work_orders", start=day, end=day)
    assert "统计日期：2020-01-01" in body and "本期无超期工单" in body
    assert "无数据" in body and "0\n受理工单" in body


def test_the_period_is_checked(county: Database, admin: Actor) -> None:
    with pytest.raises(InvalidInput):
        build_report(county, admin, "work_orders", ReportParams(start=END, end=START), now=NOW)
    with pytest.raises(InvalidInput):
        build_report(county, admin, "grid_card", ReportParams(), now=NOW)
    with pytest.raises(NotFound):
        build_report(county, admin, "no_such_report", ReportParams(), now=NOW)
    with pytest.raises(NotFound):
        build_report(county, admin, "grid_card", ReportParams(grid_id=10**6), now=NOW)
    assert svc.period_of("week", dt.date(2026, 11, 20)) == (
        dt.date(2026, 11, 16),
        dt.date(2026, 11, 22),
    )
    assert svc.period_of("month", dt.date(2026, 2, 10)) == (
        dt.date(2026, 2, 1),
        dt.date(2026, 2, 28),
    )


# --------------------------------------------------------------------------- grids


def test_grid_card_names_the_manager_team_places_and_the_arrival_limit(
    county: Database, admin: Actor
) -> None:
    for area, minutes in (("urban", 45), ("rural", 90), ("remote", 120)):
        grid_id, name, manager, phone = rows(
            county,
            "SELECT g.id, g.name, s.name, s.phone FROM grid g JOIN staff s ON s.id = g.manager_id"
            " WHERE g.area_class = :a ORDER BY g.code LIMIT 1",
            a=area,
        )[0]
        result, body = build(county, admin, "grid_card", grid_id=grid_id)
        assert result.pages == 1
        assert name in body and manager in body
        assert phone in body  # the manager's published number, in full
        assert f"{minutes} 分钟" in body and "95598" in body
        members = rows(
            county,
            "SELECT s.name FROM grid_member m JOIN staff s ON s.id = m.staff_id"
            " WHERE m.grid_id = :g AND s.active",
            g=grid_id,
        )
        assert all(m in body for (m,) in members)
        compounds = rows(
            county,
            "SELECT DISTINCT cp.name FROM customer c JOIN transformer_area t"
            " ON t.id = c.transformer_area_id JOIN compound cp ON cp.id = c.compound_id"
            " WHERE t.grid_id = :g",
            g=grid_id,
        )
        assert all(c in body for (c,) in compounds)


def test_grid_roster_lists_every_grid_manager_and_customer_count(
    county: Database, admin: Actor
) -> None:
    _, body = build(county, admin, "grid_roster")
    flat = re.sub(r"\s+", " ", body)
    grids = rows(
        county,
        "SELECT g.code, g.name, s.name, (SELECT count(*) FROM customer c JOIN transformer_area t"
        " ON t.id = c.transformer_area_id WHERE t.grid_id = g.id) FROM grid g"
        " LEFT JOIN staff s ON s.id = g.manager_id",
    )
    for code, name, manager, customers in grids:
        assert re.search(rf"{code} {name} .*{manager} .* {customers:,}$", body, re.M), code
    customers = scalar(county, "SELECT count(*) FROM customer")
    assert f"{customers:,}\n客户" in body
    for (code,) in rows(county, "SELECT code FROM transformer_area"):
        assert code in flat


def test_coverage_report_counts_what_is_not_covered(county: Database, admin: Actor) -> None:
    _, body = build(county, admin, "coverage")
    no_grid = scalar(county, "SELECT count(*) FROM transformer_area WHERE grid_id IS NULL")
    no_ta = scalar(county, "SELECT count(*) FROM customer WHERE transformer_area_id IS NULL")
    assert no_grid and no_ta  # the demo's deliberate flaws
    assert f"{no_grid}\n未划网格的台区" in body and f"{no_ta}\n台区不明的客户" in body
    assert re.search(rf"^台区未划入网格 {no_grid} 需处理", body, re.M)
    for (account,) in rows(
        county, "SELECT account_no FROM customer WHERE transformer_area_id IS NULL"
    ):
        assert account in body


# --------------------------------------------------------------------------- calls


def test_call_log_lists_every_call_of_the_period(county: Database, admin: Actor) -> None:
    s, e = dt.date(2026, 11, 1), dt.date(2026, 11, 20)
    p = {"s": stamp(s), "e": stamp(e + dt.timedelta(days=1))}
    total = scalar(
        county, "SELECT count(*) FROM call WHERE started_at >= :s AND started_at < :e", **p
    )
    inbound = scalar(
        county,
        "SELECT count(*) FROM call WHERE started_at >= :s AND started_at < :e"
        " AND direction = 'inbound'",
        **p,
    )
    _, body = build(county, admin, "call_log", start=s, end=e)
    assert f"{total}\n通话总数" in body and f"{inbound}\n来电" in body
    assert f"通话明细（{total} 次）" in re.sub(r"\s+", " ", body)
    assert re.search(rf"^{total} \d\d-\d\d \d\d:\d\d", body, re.M)  # the last row's number


# --------------------------------------------------------------------------- outages


def affected(db: Database, outage_id: int) -> list[tuple[int | None, str, int]]:
    return rows(
        db,
        "SELECT c.compound_id, cp.name, count(*) FROM customer c"
        " LEFT JOIN compound cp ON cp.id = c.compound_id"
        " WHERE c.transformer_area_id IN ("
        "  SELECT transformer_area_id FROM outage_scope WHERE outage_id = :o"
        "   AND transformer_area_id IS NOT NULL"
        "  UNION SELECT t.id FROM transformer_area t JOIN outage_scope sc"
        "   ON sc.feeder_id = t.feeder_id WHERE sc.outage_id = :o)"
        " GROUP BY c.compound_id, c.community_id",
        o=outage_id,
    )


def test_outage_notice_makes_a_page_per_affected_compound(county: Database, admin: Actor) -> None:
    outage_id = first_id(
        county, "SELECT id FROM outage WHERE kind = 'planned' AND status = 'announced'"
    )
    places = affected(county, outage_id)
    result, _ = build(county, admin, "outage_notice", outage_id=outage_id)
    assert result.pages == len(places)
    pages = pdf_text(result.data)
    for (_cid, name, _n), page in zip(
        sorted(places, key=lambda p: (p[0] is None, -p[2])), pages, strict=True
    ):
        if name:
            assert f"尊敬的{name}用户" in page
        assert "停 电 通 知" in page and "95598" in page and "温馨提示" in page
    compound_id, name, _ = next(p for p in places if p[0] is not None)
    one, body = build(county, admin, "outage_notice", outage_id=outage_id, compound_id=compound_id)
    assert one.pages == 1 and f"尊敬的{name}用户" in body
    reason, start = rows(
        county, "SELECT reason, planned_start FROM outage WHERE id = :o", o=outage_id
    )[0]
    start = dt.datetime.fromisoformat(start)
    assert reason in body and f"{start.year}年{start.month}月{start.day}日" in body


def test_outage_record_lists_every_notification(county: Database, admin: Actor) -> None:
    outage_id = first_id(
        county,
        "SELECT outage_id FROM outage_notification GROUP BY outage_id ORDER BY count(*) DESC LIMIT 1",
    )
    total, sent = rows(
        county,
        "SELECT count(*), count(sent_at) FROM outage_notification WHERE outage_id = :o",
        o=outage_id,
    )[0]
    customers = sum(n for *_, n in affected(county, outage_id))
    _, body = build(county, admin, "outage_record", outage_id=outage_id)
    assert f"{total}\n通知记录" in body and f"{sent}\n已发送" in body
    assert f"{customers:,}\n受影响客户" in body
    assert f"通知记录（{total} 条，未发送 {total - sent} 条）" in re.sub(r"\s+", " ", body)


# --------------------------------------------------------------------------- arrears


def debtors(db: Database, grid_id: int | None = None) -> list[Any]:
    return rows(
        db,
        "SELECT c.id, c.account_no, c.name, c.phone, sum(a.amount_fen), sum(a.ledger_late_fee_fen),"
        " count(*) FROM arrears a JOIN customer c ON c.id = a.customer_id"
        " LEFT JOIN transformer_area t ON t.id = c.transformer_area_id"
        " WHERE a.status != 'paid' AND (:g IS NULL OR t.grid_id = :g) GROUP BY c.id",
        g=grid_id,
    )


def yuan(fen: int) -> str:
    return f"{fen // 100:,}.{fen % 100:02d}"


def test_arrears_list_totals_match_the_database(county: Database, admin: Actor) -> None:
    owed = debtors(county)
    _, body = build(county, admin, "arrears_list")
    amount = sum(d[4] for d in owed)
    fee = sum(d[5] for d in owed)
    assert f"{len(owed)}\n欠费户数" in body and f"{sum(d[6] for d in owed)}\n欠费笔数" in body
    assert f"{yuan(amount)}\n欠费金额（元）" in body and f"{yuan(fee)}\n违约金（元）" in body
    assert re.search(rf"^合计 {len(owed)} 户 .*{re.escape(yuan(amount + fee))}", body, re.M)
    for _, account, *_ in owed:
        assert account in body
    grid_id = first_id(
        county,
        "SELECT t.grid_id FROM arrears a JOIN customer c ON c.id = a.customer_id"
        " JOIN transformer_area t ON t.id = c.transformer_area_id WHERE a.status != 'paid'"
        " GROUP BY t.grid_id ORDER BY count(*) DESC LIMIT 1",
    )
    owed = debtors(county, grid_id)
    _, body = build(county, admin, "arrears_list", grid_id=grid_id)
    assert f"{len(owed)}\n欠费户数" in body


def test_reminder_slips_three_to_a_page_masked_for_everyone(county: Database, admin: Actor) -> None:
    owed = debtors(county)
    result, body = build(county, admin, "arrears_slips")  # admin may unmask: still masked
    assert result.pages == math.ceil(len(owed) / 3) and result.masked
    assert body.count("电费催缴通知单") == len(owed)
    for _, account, name, phone, amount, fee, _ in owed:
        assert f"户号 {account}" in body
        assert f"¥{yuan(amount + fee)}" in body
        if len(name) > 1:
            assert name not in body and mask_name(name) in body
        if phone:
            assert phone not in body and mask_phone(phone) in body


# --------------------------------------------------------------------------- masking, audit, CLI


def customer_phones(db: Database) -> set[str]:
    return {
        p
        for (p,) in rows(
            db,
            "SELECT caller_phone FROM work_order WHERE received_at >= :s AND received_at < :e"
            " AND caller_phone != ''",
            s=stamp(START),
            e=stamp(END + dt.timedelta(days=1)),
        )
    }


def test_phones_are_masked_unless_the_role_may_see_them(county: Database, admin: Actor) -> None:
    phones = customer_phones(county)
    assert phones
    for actor, params, shown in (
        (STAFF, {}, False),
        (LEAD, {}, True),
        (admin, {}, True),
        (admin, {"masked": True}, False),
    ):
        result, body = build(county, actor, "work_orders", start=START, end=END, **params)
        digits = re.sub(r"\s+", "", body)
        full = [p for p in phones if p in digits]
        assert bool(full) == shown, (actor.role, params)
        assert result.masked == (not shown)
        if not shown:
            assert all(mask_phone(p) in body for p in phones)
            assert "电话、证件号已脱敏" in body
        else:
            assert "含完整个人信息" in body
    # Outage records and arrears lists carry contact and customer phones too.
    _, body = build(county, STAFF, "arrears_list")
    owed = [d[3] for d in debtors(county) if d[3]]
    assert owed and not any(p in body for p in owed)


def test_building_and_printing_are_audited(county: Database, admin: Actor) -> None:
    before = scalar(county, "SELECT count(*) FROM audit_log WHERE entity = 'report'")
    result, _ = build(county, STAFF, "grid_roster")
    svc.record_output(county, STAFF, result, "print", target="办公室打印机", pages=2)
    entries = rows(
        county,
        "SELECT action, username, entity_id, after_json FROM audit_log WHERE entity = 'report'"
        " ORDER BY id DESC LIMIT 2",
    )
    assert scalar(county, "SELECT count(*) FROM audit_log WHERE entity = 'report'") == before + 2
    (printed, built) = entries
    assert built[:3] == ("report", "营业员甲", "grid_roster") and '"masked": true' in built[3]
    assert printed[:3] == ("report_print", "营业员甲", "grid_roster")
    assert "办公室打印机" in printed[3] and '"pages": 2' in printed[3]
    with pytest.raises(ValueError):
        svc.record_output(county, STAFF, result, "fax")


def test_cli_writes_the_pdf(county: Database, tmp_path: Path) -> None:
    grid_code = scalar(county, "SELECT code FROM grid ORDER BY code LIMIT 1")
    out = tmp_path / "工单.pdf"
    data_dir = str(county.path.parent) if county.path else ""
    code = cli.main(
        ["report", "work_orders", "--data-dir", data_dir, "--from", "2026-10-21",
         "--to", "2026-11-20", "--grid", grid_code, "--no-detail", "--out", str(out)]
    )  # fmt: skip
    assert code == 0 and out.read_bytes().startswith(b"%PDF")
    body = "\n".join(pdf_text(out.read_bytes()))
    assert f"网格：{grid_code}" in body and "工单明细" not in body
    assert cli.main(["report", "grid_card", "--data-dir", data_dir, "--out", str(out)]) == 2
    assert (
        cli.main(
            [
                "report",
                "work_orders",
                "--data-dir",
                data_dir,
                "--grid",
                "没有这个网格",
                "--out",
                str(out),
            ]
        )
        == 2
    )


def test_choices_for_the_form(county: Database) -> None:
    with county.read() as s:
        grids = svc.choices(s, svc.Param.grid)
        outages = svc.choices(s, svc.Param.outage)
        assert len(grids) == scalar(county, "SELECT count(*) FROM grid")
        assert len(outages) == scalar(county, "SELECT count(*) FROM outage")
        outage_id = first_id(county, "SELECT id FROM outage WHERE kind = 'planned' LIMIT 1")
        compounds = svc.choices(s, svc.Param.compound, ReportParams(outage_id=outage_id))
        assert {c.id for c in compounds} == {
            cid for cid, _, _ in affected(county, outage_id) if cid is not None
        }
        assert svc.find_grid(s, grids[0].label.split()[0]) == grids[0].id
