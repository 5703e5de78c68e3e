"""Formatting shared by the report modules (plain functions, no drawing)."""

from __future__ import annotations

import datetime as dt

from gridsvc_desktop.reports.template import PageInfo
from gridsvc_desktop.services.reports import ReportContext

__all__ = ["date_time", "hours", "minutes", "money", "page_info", "pct"]


def page_info(
    ctx: ReportContext,
    *,
    title: str | None = None,
    scope: str = "",
    notice: bool | None = None,
    landscape: bool | None = None,
) -> PageInfo:
    return PageInfo(
        station=ctx.station,
        title=title or ctx.spec.title,
        generated_at=ctx.generated_at,
        generated_by=ctx.generated_by,
        period=ctx.period_text,
        scope=scope,
        landscape=ctx.spec.landscape if landscape is None else landscape,
        notice=ctx.spec.posted if notice is None else notice,
        masked=ctx.masked,
        subject=ctx.spec.description,
    )


def money(fen: int) -> str:
    """Integer fen as yuan with thousands separators: 123450 → "1,234.50"."""
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(int(fen)), 100)
    return f"{sign}{yuan:,}.{cents:02d}"


def pct(part: int, whole: int) -> str:
    """ "97.5%"; "—" when there is nothing to divide by."""
    return f"{100 * part / whole:.1f}%" if whole else "—"


def minutes(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f}"


def hours(value: float | None) -> str:
    return "—" if value is None else f"{value:,.1f}"


def date_time(value: dt.datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value is not None else ""
