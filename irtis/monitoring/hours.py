"""Service hours of the SLA: when an information system's availability is counted.

A system's service level (`ServiceLevel`) is around the clock (24×7) or working hours: given
weekdays between two local times in a time zone (Mon–Fri 08:00–17:00 Europe/Vilnius), Lithuanian
public holidays left out (the `holidays` package, country LT). A system without one is 24×7 with
approved maintenance left out. Times here are POSIX seconds (floats): the availability report
adds up a year of outages of hundreds of systems and does no datetime arithmetic per outage.

    levels(system_ids)                 -> {id: Hours}                  one query
    service_spans(hours, start, end)   -> [(start, end), …]            seconds, sorted, disjoint
    Counted(spans).upto(t)                                             counted seconds before t
"""

import datetime as dt
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate
from zoneinfo import ZoneInfo

import holidays

from .models import ServiceLevel, clock, parse_days

Span = tuple[float, float]
COUNTRY = "LT"


@dataclass(frozen=True)
class Hours:
    """A system's service calendar, as its service level says."""

    always: bool = True
    days: frozenset[int] = frozenset(range(1, 8))
    opens: dt.time = dt.time(0)
    closes: dt.time = dt.time(0)
    zone: str = "Europe/Vilnius"
    public_holidays: bool = False
    exclude_maintenance: bool = True

    @classmethod
    def of(cls, level: ServiceLevel | None) -> "Hours":
        if level is None:
            return cls()
        if level.hours == ServiceLevel.Hours.ALWAYS:
            return cls(exclude_maintenance=level.exclude_maintenance)
        return cls(False, parse_days(level.days), clock(level.opens), clock(level.closes), level.time_zone,
                   level.public_holidays, level.exclude_maintenance)


ALWAYS = Hours()


def levels(system_ids: Iterable[int]) -> dict[int, Hours]:
    """Each system's service calendar (24×7 for a system without a service level). One query."""
    ids = list(system_ids)
    found = {level.system_id: Hours.of(level) for level in ServiceLevel.objects.filter(system_id__in=ids)}
    return {pk: found.get(pk, ALWAYS) for pk in ids}


@lru_cache(maxsize=16)
def public_holidays(first_year: int, last_year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays(COUNTRY, years=range(first_year, last_year + 1)))


def service_spans(hours: Hours, start: float, end: float) -> list[Span]:
    """The service time within [start, end), as sorted disjoint spans of POSIX seconds."""
    if end <= start:
        return []
    if hours.always:
        return [(start, end)]
    zone = ZoneInfo(hours.zone)
    first = dt.datetime.fromtimestamp(start, zone).date()
    last = dt.datetime.fromtimestamp(end, zone).date()
    off = public_holidays(first.year, last.year) if hours.public_holidays else frozenset()
    out: list[Span] = []
    day = first
    while day <= last:
        if day.isoweekday() in hours.days and day not in off:
            a = dt.datetime.combine(day, hours.opens, zone).timestamp()
            b = dt.datetime.combine(day, hours.closes, zone).timestamp()
            a, b = max(a, start), min(b, end)
            if a < b:
                out.append((a, b))
        day += dt.timedelta(days=1)
    return out


def subtract(spans: list[Span], holes: list[Span]) -> list[Span]:
    """The parts of sorted disjoint `spans` outside sorted disjoint `holes` (one merged walk)."""
    out: list[Span] = []
    i = 0
    for a, b in spans:
        while i < len(holes) and holes[i][1] <= a:
            i += 1
        j = i
        while j < len(holes) and holes[j][0] < b:
            h1, h2 = holes[j]
            if h1 > a:
                out.append((a, h1))
            a = max(a, h2)
            if a >= b:
                break
            j += 1
        if a < b:
            out.append((a, b))
    return out


@dataclass
class Counted:
    """The counted time of a system (service hours less excluded maintenance) as a function:
    `upto(t)` is the counted seconds before `t`, so the counted part of any [a, b) is
    upto(b) − upto(a): two bisections per outage, whatever its length."""

    spans: list[Span]
    starts: list[float] = field(init=False)
    ends: list[float] = field(init=False)
    before: list[float] = field(init=False)
    whole: bool = field(init=False)  # a single span: upto() is a clamp

    def __post_init__(self) -> None:
        self.whole = len(self.spans) == 1
        self.starts = [a for a, _ in self.spans]
        self.ends = [b for _, b in self.spans]
        self.before = [0.0, *accumulate(b - a for a, b in self.spans)]

    def upto(self, t: float) -> float:
        i = bisect_right(self.starts, t) - 1
        if i < 0:
            return 0.0
        return self.before[i] + min(t, self.ends[i]) - self.starts[i]

    def between(self, a: float, b: float) -> float:
        return self.upto(b) - self.upto(a) if b > a else 0.0
