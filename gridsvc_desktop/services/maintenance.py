"""Integrity checks and counts, for `gridsvc check` / `gridsvc info` and the GUI."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import text
from sqlmodel import SQLModel

from gridsvc_desktop.db.engine import Database, table_counts
from gridsvc_desktop.db.search_index import rebuild_fts
from gridsvc_desktop.services.audit import verify_chain


@dataclass
class CheckReport:
    problems: list[str] = field(default_factory=list)
    passed: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def counts(db: Database) -> dict[str, int]:
    return table_counts(db, sorted(SQLModel.metadata.tables))


def check_database(db: Database) -> CheckReport:
    report = CheckReport()
    with db.engine.connect() as conn:
        if db.dialect == "sqlite":
            rows = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check").fetchall()]
            if rows == ["ok"]:
                report.passed.append("integrity_check: ok")
            else:
                report.problems.append("integrity_check: " + "; ".join(rows[:5]))
            fk = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if fk:
                report.problems.append(f"foreign_key_check: {len(fk)} 行外键指向不存在的记录")
            else:
                report.passed.append("foreign_key_check: ok")
            try:
                conn.exec_driver_sql(
                    "INSERT INTO customer_fts(customer_fts, rank) VALUES('integrity-check', 1)"
                )
                report.passed.append("customer search index: ok")
            except Exception as exc:
                report.problems.append(
                    f"客户搜索索引与客户表不一致（{exc}）；可运行 gridsvc check --repair"
                )
            conn.rollback()
        else:
            conn.execute(text("SELECT 1"))
            report.passed.append("server reachable")
    with db.read() as session:
        bad = verify_chain(session)
    if bad is None:
        report.passed.append("audit chain: ok")
    else:
        report.problems.append(f"审计日志第 {bad} 行被篡改或损坏")
    return report


def rebuild_search_index(db: Database) -> None:
    if db.dialect != "sqlite":
        return
    with db.write_connection() as conn:
        rebuild_fts(conn, "customer_fts")
