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


def _clip(spans: Iterable[Interval], start: dt.datetime, end: dt.datetime) -> list[Interval]:
    return [(max(start, a), min(end, b)) for a, b in spans if a < end and b > start]


def availability(system_ids: Iterable[int], start: dt.datetime, end: dt.datetime,
                 now: dt.datetime | None = None) -> dict[int, Measure]:
    """Each system's availability over [start, end), up to `now`."""
    return availability_in(system_ids, {"": (start, end)}, now)[""]


def availability_in(system_ids: Iterable[int], periods: dict[str, Interval],
                    now: dt.datetime | None = None) -> dict[str, dict[int, Measure]]:
    """Each system's availability over each named period, up to `now`, from one reading of the
    state changes and maintenance that cover them all."""
    ids, now = list(system_ids), now or timezone.now()
    start = min(a for a, _ in periods.values())
    end = min(max(b for _, b in periods.values()), now)
    down = downtime(ids, start, end) if end > start else {pk: [] for pk in ids}
    planned = approved_intervals(ids, start, end) if end > start else {}
    out: dict[str, dict[int, Measure]] = {}
    for name, (a, b) in periods.items():
        b = min(b, now)
        out[name] = {}
        for pk in ids:
            if b <= a:
                out[name][pk] = Measure(0, 0)
                continue
            holes = merge(_clip(planned.get(pk, []), a, b))
            measured = (b - a).total_seconds() - _seconds(holes)
            out[name][pk] = Measure(measured, _seconds(_subtract(_clip(down[pk], a, b), holes)))
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
        span, holes = _clip(down, a, b), _clip(planned, a, b)
        measured = (b - a).total_seconds() - _seconds(holes)
        out.append((day, Measure(measured, _seconds(span)).percent))
    return out
