"""More demo outages, so the outage page shows every case it handles.

The county (demo/county.py) already has a fault in progress, a planned outage
next week, a temporary one tomorrow, a cancelled planned one and past restored
ones. This adds, deterministically from the seed and the demo's "now":
- a temporary maintenance outage later today, announced this morning (a late
  notice, with the lead's reason recorded): the customers under it see it on
  their card this afternoon;
- a temporary outage called off (cancelled, with the reason);
- a planned outage in twelve days over a whole feeder plus one of its own
  areas (counted once) and an area of another feeder.

It draws from a copy of the county's random stream, so the rest of the county
is the same as without it. `county.py` calls `more_outages` once, in `build_outages`.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from gridsvc_desktop.domain.enums import OutageKind, OutageStatus

if TYPE_CHECKING:
    from gridsvc_desktop.demo.county import _TA, _Generator, _OutagePlan

LATE_REASON = "10kV开关柜发热，需当日紧急处理"
CANCEL_REASON = "用户申请暂缓，检修改期"


def more_outages(
    gen: _Generator, ids: Iterator[int], areas: Sequence[_TA], feeders: Sequence[int]
) -> list[_OutagePlan]:
    """The extra outage plans (ids drawn from `ids`), to be written with the rest."""
    from gridsvc_desktop.demo.county import _OutagePlan  # county imports this module

    if not areas or not feeders:
        return []
    rng = random.Random()
    rng.setstate(gen.rng.getstate())  # a copy: the county's own stream is not consumed
    today, now = gen.today, gen.now

    def at(day: dt.date, hour: int) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(hour))

    late = _OutagePlan(
        next(ids), OutageKind.temporary, OutageStatus.announced, "开关柜缺陷临时检修",
        at(today, 14), at(today, 16), None, None, now, late_notice_reason=LATE_REASON,
        tas=[rng.choice(list(areas))],
    )  # fmt: skip
    off_day = today + dt.timedelta(days=2)
    called_off = _OutagePlan(
        next(ids), OutageKind.temporary, OutageStatus.cancelled, "低压线路临时检修",
        at(off_day, 9), at(off_day, 11), None, None, now - dt.timedelta(hours=20),
        cancel_reason=CANCEL_REASON, tas=[rng.choice(list(areas))],
    )  # fmt: skip
    feeder = rng.choice(list(feeders))
    own = [ta for ta in areas if ta.feeder_id == feeder]
    other = [ta for ta in areas if ta.feeder_id != feeder]
    day = today + dt.timedelta(days=12)
    overlap = _OutagePlan(
        next(ids), OutageKind.planned, OutageStatus.announced, "线路改造及台区增容",
        at(day, 8), at(day, 12), None, None, now - dt.timedelta(hours=1), feeders=[feeder],
        tas=[rng.choice(pool) for pool in (own, other) if pool],  # overlap + one more
    )  # fmt: skip
    return [late, called_off, overlap]
