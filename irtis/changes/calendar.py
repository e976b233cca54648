"""The month and week maintenance calendar: occurrences of windows and blackout periods per
local day (an occurrence over midnight shows on each day it touches). Two queries whatever the
number of windows: the windows and the blackout periods overlapping the range."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from irtis.core import permissions

from .models import Blackout, MaintenanceWindow, Scheduled, Status

HIDDEN = (Status.CANCELLED, Status.REJECTED)


@dataclass
class Entry:
    start: dt.datetime  # local time
    end: dt.datetime
    item: Scheduled
    kind: str  # "window" or "blackout"


@dataclass
class Day:
    date: dt.date
    inside: bool  # in the month shown (a month grid starts and ends with days of its neighbours)
    today: bool
    entries: list[Entry] = field(default_factory=list)


@dataclass
class Calendar:
    view: str
    first: dt.date
    last: dt.date
    previous: dt.date
    next: dt.date
    weeks: list[list[Day]]

    @property
    def title_date(self) -> dt.date:
        return self.first if self.view == "week" else self.weeks[1][0].date.replace(day=1)


def _range(day: dt.date, view: str) -> tuple[dt.date, dt.date, dt.date, dt.date]:
    """(first, last) days shown and the dates of the previous and next pages."""
    if view == "week":
        first = day - dt.timedelta(days=day.weekday())
        return first, first + dt.timedelta(days=6), first - dt.timedelta(days=7), first + dt.timedelta(days=7)
    month = day.replace(day=1)
    following = (month + dt.timedelta(days=32)).replace(day=1)
    first = month - dt.timedelta(days=month.weekday())
    last_of_month = following - dt.timedelta(days=1)
    last = last_of_month + dt.timedelta(days=6 - last_of_month.weekday())
    return first, last, (month - dt.timedelta(days=1)).replace(day=1), following


def _local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()), timezone.get_default_timezone())


def items(user: Any, since: dt.datetime, until: dt.datetime) -> list[tuple[str, Scheduled]]:
    """The windows (not cancelled or rejected) and blackout periods the user may view that may
    occur in [since, until)."""
    found: list[tuple[str, Scheduled]] = []
    windows = MaintenanceWindow.objects.filter(start__lt=until, last_end__gt=since).exclude(status__in=HIDDEN)
    found += [("window", w) for w in permissions.restrict(windows, user)]
    if permissions.has(user, Blackout, "view"):
        blackouts = Blackout.objects.filter(start__lt=until, last_end__gt=since).select_related("system")
        found += [("blackout", b) for b in permissions.restrict(blackouts, user)]
    return found


def build(user: Any, day: dt.date, view: str) -> Calendar:
    first, last, previous, following = _range(day, view)
    since, until = _local_midnight(first), _local_midnight(last + dt.timedelta(days=1))
    today = timezone.localdate()
    month = day.month
    days = {first + dt.timedelta(days=n): Day(first + dt.timedelta(days=n),
                                              view == "week" or (first + dt.timedelta(days=n)).month == month,
                                              first + dt.timedelta(days=n) == today)
            for n in range((last - first).days + 1)}
    zone = timezone.get_default_timezone()
    for kind, item in items(user, since, until):
        for start, end in item.occurrences(since, until):
            entry = Entry(start.astimezone(zone), end.astimezone(zone), item, kind)
            touched = entry.start.date()
            while touched <= (entry.end - dt.timedelta(microseconds=1)).date():
                if touched in days:
                    days[touched].entries.append(entry)
                touched += dt.timedelta(days=1)
    for shown in days.values():
        shown.entries.sort(key=lambda e: (e.kind != "blackout", e.start, str(e.item)))
    ordered = list(days.values())
    weeks = [ordered[n:n + 7] for n in range(0, len(ordered), 7)]
    return Calendar(view, first, last, previous, following, weeks)
