"""What the pages show of a system: state, availability today / this month / this year against
its SLA target, the month's error budget, the 90-day strip."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.safestring import SafeString

from irtis.systems.models import InformationSystem

from . import availability, hours, svg
from .models import ServiceLevel, State
from .state import current_system_states

DEFAULT_TARGET = Decimal("99.5")  # a system without its own target (InformationSystem.availability_target)
AT_RISK = 0.8  # share of the month's allowed downtime spent that raises a warning


def periods(now: dt.datetime) -> dict[str, tuple[dt.datetime, dt.datetime]]:
    """Today, this month and this year, in local time."""
    today = timezone.localdate(now)
    month = today.replace(day=1)
    next_month = (month + dt.timedelta(days=32)).replace(day=1)
    return {
        "day": (availability.day_start(today), availability.day_start(today + dt.timedelta(days=1))),
        "month": (availability.day_start(month), availability.day_start(next_month)),
        "year": (availability.day_start(today.replace(month=1, day=1)),
                 availability.day_start(today.replace(year=today.year + 1, month=1, day=1))),
    }


@dataclass
class Summary:
    system: InformationSystem
    state: str
    target: Decimal
    day: float | None
    month: float | None
    year: float | None
    budget_used: float  # share of the month's allowed downtime already down (1.0: the target is missed)

    @property
    def warning(self) -> str:
        return "breached" if self.budget_used >= 1 else "at_risk" if self.budget_used >= AT_RISK else ""

    @property
    def state_label(self) -> str:
        return str(State(self.state).label)

    @property
    def colour(self) -> str:
        return svg.COLOURS.get(self.state, svg.COLOURS["unknown"])


def summaries(systems: list[InformationSystem], now: dt.datetime | None = None) -> list[Summary]:
    """A summary of each system, in a fixed number of queries."""
    now = now or timezone.now()
    states = current_system_states()
    found = availability.availability_in([s.pk for s in systems], periods(now), now)
    return [_summary(system, states.get(system.pk, "unknown"), found) for system in systems]


def _summary(system: InformationSystem, state: str, found: dict[str, dict[int, availability.Measure]]) -> Summary:
    target = system.availability_target or DEFAULT_TARGET
    month = found["month"][system.pk]
    # The month's allowed down time: its service hours (less excluded maintenance) to its end.
    allowed = month.scheduled * float(100 - target) / 100
    used = month.down / allowed if allowed > 0 else (1.0 if month.down else 0.0)
    return Summary(system, state, target, found["day"][system.pk].percent, month.percent,
                   found["year"][system.pk].percent, used)


@dataclass
class Panel:
    """What a system's page shows: its summary, the 90-day strip and its service level."""

    summary: Summary
    strip: SafeString
    level: ServiceLevel | None


def panel(system: InformationSystem, now: dt.datetime | None = None, days: int = 90) -> Panel:
    """A system's panel from one reading of its service level, state changes and maintenance."""
    now = now or timezone.now()
    level = ServiceLevel.objects.filter(system=system).first()
    strip_days = availability.days(days, now)
    found = availability.availability_in([system.pk], {**periods(now), **strip_days}, now,
                                         calendars={system.pk: hours.Hours.of(level)})
    target = float(system.availability_target or DEFAULT_TARGET)
    strip = [(dt.date.fromisoformat(name), found[name][system.pk].percent) for name in strip_days]
    state = current_system_states([system.pk]).get(system.pk, "unknown")
    return Panel(_summary(system, state, found), svg.strip(strip, target), level)
