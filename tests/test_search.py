"""Customer search: every query kind, short Chinese queries, bulk index upkeep."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from gridsvc_desktop.db.engine import Database
from gridsvc_desktop.db.models import Customer, customer_derived
from gridsvc_desktop.db.search_index import suspended_customer_index
from gridsvc_desktop.services.maintenance import check_database
from gridsvc_desktop.services.search import browse_customers, search_customers

PEOPLE = [
    ("0567685639", "庞国", "清河县东城街道新华社区教师公寓2栋2单元604", "17258562632"),
    ("3171059034", "龚华", "清河县城关镇西门社区滨河湾19栋2单元1801", "18888689171"),
    ("0672789906", "齐霞浩", "清河县城关镇北街社区滨河湾20栋3单元1203", "15081723910"),
    ("3137902028", "罗英芳", "清河县南湖街道桂花社区和平里18栋3单元304", "0838-2345678"),
    ("3137902029", "罗英", "清河县南湖街道桂花社区和平里18栋3单元304", "18845754415"),
    ("3179852357", "清河县解放街廖静霞超市", "清河县南湖街道解放街166号", "18845754415"),
]


@pytest.fixture
def people(db: Database) -> Database:
    rows = [
        {"account_no": a, "name": n, "address": ad, "phone": p, **customer_derived(n, ad, p)}
        for a, n, ad, p in PEOPLE
    ]
    with db.write_connection() as conn:
        conn.execute(Customer.__table__.insert(), rows)  # type: ignore[attr-defined]
    return db


def _accounts(db: Database, q: str) -> list[str]:
    with db.read() as s:
        return [r.account_no for r in search_customers(s, q)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("05676", ["0567685639"]),  # account prefix keeps the leading zero
        ("3137", ["3137902028", "3137902029"]),
        ("1725856", ["0567685639"]),  # phone prefix
        ("2632", ["0567685639"]),  # phone suffix
        ("0838 234", ["3137902028"]),  # landline with its area code, typed with a space
        ("18845754415", ["3137902029", "3179852357"]),  # one phone, two accounts
        ("罗", ["3137902028", "3137902029"]),  # one character
        ("罗英", ["3137902028", "3137902029"]),  # two characters: trigram would find nothing
        ("罗英芳", ["3137902028"]),
        ("英芳", ["3137902028"]),  # a fragment from the middle
        ("滨河湾", ["3171059034", "0672789906"]),
        ("滨河湾 20栋", ["0672789906"]),  # words AND-ed
        ("廖静霞", ["3179852357"]),  # a shop's name containing a person's name
        ("ＸＹＺ", []),
        ("河湾北", []),  # characters present, not adjacent
    ],
)
def test_query_kinds(people: Database, query: str, expected: list[str]) -> None:
    assert sorted(_accounts(people, query)) == sorted(expected)


def test_empty_and_punctuation_queries(people: Database) -> None:
    assert _accounts(people, "") == []
    assert _accounts(people, "  ，。 ") == []
    assert _accounts(people, '"') == []


def test_browse_pages_by_account(people: Database) -> None:
    with people.read() as s:
        first = browse_customers(s, limit=4)
        rest = browse_customers(s, after_account_no=first[-1].account_no, limit=4)
    got = [r.account_no for r in first + rest]
    assert got == sorted(a for a, *_ in PEOPLE)


def test_index_follows_orm_edits(people: Database) -> None:
    with people.write() as s:
        c = s.execute(text("SELECT id FROM customer WHERE account_no='0567685639'")).scalar_one()
        cust = s.get(Customer, c)
        assert cust is not None
        cust.name = "庞国强"
        s.add(cust)
    assert _accounts(people, "国强") == ["0567685639"]
    with people.write() as s:
        s.execute(text("DELETE FROM customer WHERE account_no='0567685639'"))
    assert _accounts(people, "庞国") == []
    assert check_database(people).ok


@pytest.mark.sqlite_only(
    "FTS5 triggers and index (the server's trigram index needs no suspending)"
)
def test_bulk_load_with_suspended_index(db: Database) -> None:
    rows = [
        {"account_no": f"{i:010d}", "name": f"王{'伟芳'[i % 2]}", "address": f"翰林苑{i}栋",
         "phone": "", **customer_derived(f"王{'伟芳'[i % 2]}", f"翰林苑{i}栋", "")}
        for i in range(500)
    ]  # fmt: skip
    with db.write_connection() as conn, suspended_customer_index(conn):
        conn.execute(Customer.__table__.insert(), rows)  # type: ignore[attr-defined]
    assert len(_accounts(db, "王伟")) == 200  # capped
    assert _accounts(db, "翰林苑499栋") == ["0000000499"]
    with db.read() as s:
        names = s.execute(
            text(
                "SELECT name FROM sqlite_master WHERE type='trigger' AND name LIKE 'customer_fts_%'"
            )
        ).scalars()
        assert sorted(names) == ["customer_fts_ad", "customer_fts_ai", "customer_fts_au"]
    assert check_database(db).ok


@pytest.mark.sqlite_only("FTS5 triggers (the server's trigram index needs no suspending)")
def test_failed_bulk_load_leaves_triggers(db: Database) -> None:
    with pytest.raises(RuntimeError), db.write_connection() as conn, suspended_customer_index(conn):
        raise RuntimeError("disk full, say")
    with db.read() as s:
        n = s.execute(
            text(
                "SELECT count(*) FROM sqlite_master WHERE type='trigger' AND name LIKE 'customer_fts_%'"
            )
        ).scalar_one()
    assert n == 3
