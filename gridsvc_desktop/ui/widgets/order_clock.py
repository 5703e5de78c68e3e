"""How the statutory clock looks: time left, overdue, and the colours that make
near-due and overdue orders stand out in every list."""

from __future__ import annotations

import datetime as dt

from gridsvc_desktop.domain.order_states import Clock
from gridsvc_desktop.ui.qt import QColor, QCoreApplication

OVERDUE_FG = "#b3261e"
OVERDUE_BG = "#fde4e1"
NEAR_FG = "#8a5300"
NEAR_BG = "#fff1cc"
DONE_FG = "#5f6b7a"


def duration_text(span: dt.timedelta) -> str:
    """ "2d 3h", "3h 05m", "45m" (sign dropped), translated."""
    seconds = abs(int(span.total_seconds()))
    minutes = seconds // 60
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return QCoreApplication.translate("OrderClock", "{days}d {hours}h").format(
            days=days, hours=hours
        )
    if hours:
        return QCoreApplication.translate("OrderClock", "{hours}h {minutes}m").format(
            hours=hours, minutes=f"{mins:02d}"
        )
    return QCoreApplication.translate("OrderClock", "{minutes}m").format(minutes=mins)


def clock_text(clock: Clock) -> str:
    """ "2h 05m left", "35m overdue"; which limit runs ("to arrive", "to contact")
    is said for repairs and complaints before it is met."""
    if clock.left is None:
        return ""
    span = duration_text(clock.left)
    if clock.state == "overdue":
        text = QCoreApplication.translate("OrderClock", "{time} overdue").format(time=span)
    else:
        text = QCoreApplication.translate("OrderClock", "{time} left").format(time=span)
    if clock.kind == "arrival":
        return QCoreApplication.translate("OrderClock", "Arrival: {clock}").format(clock=text)
    if clock.kind == "contact":
        return QCoreApplication.translate("OrderClock", "Contact: {clock}").format(clock=text)
    return text


def foreground(clock: Clock) -> QColor | None:
    if clock.state == "overdue":
        return QColor(OVERDUE_FG)
    if clock.state == "near":
        return QColor(NEAR_FG)
    return None


def background(clock: Clock) -> QColor | None:
    if clock.state == "overdue":
        return QColor(OVERDUE_BG)
    if clock.state == "near":
        return QColor(NEAR_BG)
    return None
