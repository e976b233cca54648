"""Availability (prieinamumas) of information systems from their recorded state changes.

A system is unavailable while its derived state is "down" (degraded still serves). Approved
maintenance (irtis.changes.windows.approved_intervals) is left out of both the downtime and the
time measured, as an SLA excluding planned work counts it. Time not yet come is not measured.

    downtime(ids, start, end)        -> {id: [(start, end), …]}   three queries
    availability(ids, start, end)    -> {id: Measure}              six queries (three of maintenance)
    strip(id, days=90)               -> [(date, percent or None), …] per local day
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Max
from django.utils import timezone

from irtis.changes.windows import Interval, approved_intervals, merge

from .models import State, SystemChange


@dataclass(frozen=True)
class Measure:
    measured: float  # seconds counted (the period less maintenance, up to now)
    down: float  # seconds down among them

    @property
    def percent(self) -> float | None:
        return None if self.measured <= 0 else 100.0 * (1 - self.down / self.measured)


def downtime(system_ids: Iterable[int], start: dt.datetime, end: dt.datetime) -> dict[int, list[Interval]]:
    """Each system's down intervals within [start, end): the state it was in at `start` (its
    last change before) and its changes in the period."""
    ids = list(system_ids)
    out: dict[int, list[Interval]] = {pk: [] for pk in ids}
    before = dict(SystemChange.objects.filter(system_id__in=ids, at__lt=start).values("system_id")
                  .annotate(last=Max("at")).values_list("system_id", "last"))
    initial = [(pk, at, state) for pk, at, state in SystemChange.objects.filter(
        system_id__in=list(before), at__in=set(before.values())).values_list("system_id", "at", "state")
        if before[pk] == at]
    within = SystemChange.objects.filter(system_id__in=ids, at__gte=start, at__lt=end).values_list(
        "system_id", "at", "state")
    rows = sorted([*initial, *within], key=lambda row: (row[0], row[1]))
    opened: dict[int, dt.datetime | None] = defaultdict(lambda: None)
    for pk, at, current in rows:
        at = max(at, start)
        began = opened[pk]
        if current == State.DOWN and began is None:
            opened[pk] = at
        elif current != State.DOWN and began is not None:
            if at > began:
                out[pk].append((began, at))
            opened[pk] = None
    for pk, began in opened.items():
        if began is not None and end > began:
            out[pk].append((began, end))
    return out


def _subtract(spans: list[Interval], holes: list[Interval]) -> list[Interval]:
    """The parts of sorted, disjoint `spans` outside sorted, disjoint `holes`."""
    out: list[Interval] = []
    for a, b in spans:
        for h1, h2 in holes:
            if h2 <= a or h1 >= b:
                continue
            if h1 > a:
                out.append((a, h1))
            a = max(a, h2)
            if a >= b:
                break
        if a < b:
            out.append((a, b))
    return out


def _seconds(spans: Iterable[Interval]) -> float:
    return sum((b - a).total_seconds() for a, b in spans)


def availability(system_ids: Iterable[int], start: dt.datetime, end: dt.datetime,
                 now: dt.datetime | None = None) -> dict[int, Measure]:
    """Each system's availability over [start, end), up to `now`."""
    ids = list(system_ids)
    end = min(end, now or timezone.now())
    if end <= start:
        return {pk: Measure(0, 0) for pk in ids}
    down = downtime(ids, start, end)
    planned = approved_intervals(ids, start, end)
    out = {}
    for pk in ids:
        holes = merge(planned.get(pk, []))
        measured = (end - start).total_seconds() - _seconds(holes)
        out[pk] = Measure(measured, _seconds(_subtract(down[pk], holes)))
    return out


def day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def strip(system_id: int, days: int = 90, now: dt.datetime | None = None) -> list[tuple[dt.date, float | None]]:
    """The system's availability on each of the last `days` local days (today included)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    first = today - dt.timedelta(days=days - 1)
    start = day_start(first)
    down = downtime([system_id], start, now)[system_id]
    planned = merge(approved_intervals([system_id], start, now).get(system_id, []))
    down = _subtract(down, planned)
    out = []
    for n in range(days):
        day = first + dt.timedelta(days=n)
        a, b = day_start(day), min(day_start(day + dt.timedelta(days=1)), now)
        span = [(max(a, x), min(b, y)) for x, y in down if x < b and y > a]
        holes = [(max(a, x), min(b, y)) for x, y in planned if x < b and y > a]
        measured = (b - a).total_seconds() - _seconds(holes)
        out.append((day, Measure(measured, _seconds(span)).percent))
    return out
