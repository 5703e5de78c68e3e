"""Outage rules: the statutory notice periods, the status flow, what "active" means.

Pure functions, no I/O. The notice periods are limits of the SLA policy
(`outage.notice.planned`: 7 days, `outage.notice.temporary`: 24 hours); a fault
outage is published at once and has none.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gridsvc_desktop.domain.enums import OutageKind, OutageStatus
from gridsvc_desktop.domain.sla import SlaPolicy

#: Statuses in which an outage is still to come or going on.
ACTIVE_STATUSES: tuple[OutageStatus, ...] = (OutageStatus.announced, OutageStatus.in_progress)

#: The status flow: announced → in progress → restored, or announced → cancelled.
NEXT_STATUSES: dict[OutageStatus, frozenset[OutageStatus]] = {
    OutageStatus.announced: frozenset({OutageStatus.in_progress, OutageStatus.cancelled}),
    OutageStatus.in_progress: frozenset({OutageStatus.restored}),
    OutageStatus.restored: frozenset(),
    OutageStatus.cancelled: frozenset(),
}


class OutageRuleError(ValueError):
    """A rule refuses the change; the message is for the user (Chinese)."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


def notice_key(kind: OutageKind) -> str | None:
    """The SLA policy key of the notice period for `kind` (None for faults)."""
    kind = OutageKind(kind)
    if kind is OutageKind.fault:
        return None
    return f"outage.notice.{kind.value}"


@dataclass(frozen=True)
class NoticeCheck:
    """How far ahead an outage was announced against what the policy asks."""

    required: dt.timedelta | None  # None: no notice period (fault)
    ahead: dt.timedelta
    label: str  # the policy's wording, e.g. 计划停电提前7天公告

    @property
    def late(self) -> bool:
        return self.required is not None and self.ahead < self.required

    def describe(self) -> str:
        if self.required is None:
            return "故障停电，随即发布"
        hours = self.ahead.total_seconds() / 3600
        said = f"提前 {hours / 24:.1f} 天（{hours:.0f} 小时）公告，要求{self.label}"
        return said + ("，不足" if self.late else "")


def check_notice(
    kind: OutageKind, planned_start: dt.datetime, announced_at: dt.datetime, policy: SlaPolicy
) -> NoticeCheck:
    """Whether an announcement at `announced_at` gives the notice the policy asks."""
    key = notice_key(kind)
    ahead = planned_start - announced_at
    if key is None or key not in policy.limits:
        return NoticeCheck(None, ahead, "")
    latest = policy.ahead(key, planned_start)
    return NoticeCheck(planned_start - latest, ahead, policy.limits[key].label)


def check_window(planned_start: dt.datetime, planned_end: dt.datetime) -> None:
    if planned_end <= planned_start:
        raise OutageRuleError("计划结束时间必须晚于计划开始时间。", "planned_end")
    if planned_end - planned_start > dt.timedelta(days=7):
        raise OutageRuleError("一次停电不能超过 7 天，请检查计划时间。", "planned_end")


def check_transition(current: OutageStatus, target: OutageStatus) -> None:
    current, target = OutageStatus(current), OutageStatus(target)
    if target not in NEXT_STATUSES[current]:
        raise OutageRuleError(f"停电已{current.label}，不能改为“{target.label}”。", "status")


def is_active(
    status: OutageStatus, planned_start: dt.datetime, planned_end: dt.datetime, at: dt.datetime
) -> bool:
    """In progress, or announced with `at` inside the planned window: the power is
    (or is to be taken for) off now."""
    status = OutageStatus(status)
    if status is OutageStatus.in_progress:
        return True
    return status is OutageStatus.announced and planned_start <= at <= planned_end
