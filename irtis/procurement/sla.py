"""Measured SLAs of external services, month by month, from monitoring's availability records.

A month's availability is that of the information system the service is measured as
(`irtis.monitoring.availability`: its derived state, counted in its service hours, approved
maintenance left out). Below the target it is a breach; the penalty is, by the service's terms,
`penalty_rate` % of the monthly fee for each started `penalty_step` percentage points below the
target, at most `penalty_cap` %:

    steps = ceil((target − measured) / step);  penalty = min(steps × rate, cap) / 100 × fee

Five queries for all the months of a statement.
"""

import datetime as dt
import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from irtis.monitoring.availability import availability_in

from .models import ExternalService


@dataclass
class Month:
    start: dt.date
    measured: Decimal | None  # percent, two decimals; None when nothing was measured
    target: Decimal | None
    down_minutes: int
    breach: bool
    shortfall: Decimal
    penalty: Decimal


def _months(count: int, today: dt.date) -> list[dt.date]:
    first = today.replace(day=1)
    months = []
    for _ in range(count):
        months.append(first)
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return list(reversed(months))


def _bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    following = (month + dt.timedelta(days=32)).replace(day=1)
    zone = timezone.get_current_timezone()
    return (dt.datetime.combine(month, dt.time(), zone), dt.datetime.combine(following, dt.time(), zone))


def statement(service: ExternalService, months: int = 6, now: dt.datetime | None = None) -> list[Month]:
    now = now or timezone.now()
    starts = _months(max(1, min(months, 36)), timezone.localtime(now).date())
    periods = {m.isoformat(): _bounds(m) for m in starts}
    measured = availability_in([service.system_id], periods, now)
    target = service.target
    result = []
    for month in starts:
        measure = measured[month.isoformat()].get(service.system_id)
        percent = measure.percent if measure is not None else None
        value = Decimal(str(percent)).quantize(Decimal("0.01"), ROUND_HALF_UP) if percent is not None else None
        exact = Decimal(str(percent)) if percent is not None else None
        shortfall = (target - exact) if (target is not None and exact is not None and exact < target) else Decimal(0)
        penalty = Decimal("0")
        if shortfall > 0:
            steps = math.ceil(shortfall / service.penalty_step)
            rate = min(Decimal(steps) * service.penalty_rate, service.penalty_cap)
            penalty = (rate / 100 * service.monthly_fee).quantize(Decimal("0.01"), ROUND_HALF_UP)
        result.append(Month(month, value, target, round((measure.down if measure else 0) / 60), shortfall > 0,
                            shortfall.quantize(Decimal("0.001"), ROUND_HALF_UP), penalty))
    return result
