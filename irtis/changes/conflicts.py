"""Conflicts of a maintenance window: another window affecting one of the same information
systems at the same time, or an occurrence inside a blackout period of a system it affects (or
a global one). Windows that are drafts, rejected or cancelled conflict with nothing.

A fixed number of queries per window: the candidate windows and blackouts overlapping its whole
span, their objects, one impact walk for all the objects, and the names of the systems.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q

from irtis.systems.models import InformationSystem

from .impact import affected_systems, covered
from .models import Blackout, MaintenanceWindow, Status
from .recurrence import Interval

LIVE = (Status.SUBMITTED, Status.APPROVED)


@dataclass
class Conflict:
    kind: str  # "window" or "blackout"
    other: MaintenanceWindow | Blackout
    start: dt.datetime  # the first time they overlap
    end: dt.datetime
    systems: list[InformationSystem] = field(default_factory=list)  # empty for a global blackout
    hidden: bool = False  # the reader may not view the other window or period (pages leave it unnamed)


def overlap(first: list[Interval], second: list[Interval]) -> Interval | None:
    """The first overlap of two sorted lists of intervals (a sweep of both)."""
    i = j = 0
    while i < len(first) and j < len(second):
        (a, b), (c, d) = first[i], second[j]
        if a < d and c < b:
            return (max(a, c), min(b, d))
        if b <= d:
            i += 1
        else:
            j += 1
    return None


def conflicts(window: MaintenanceWindow) -> list[Conflict]:
    """Every window and blackout period the window conflicts with, by first overlap."""
    if window.pk is None:
        return []
    span = (window.start, window.last_end)
    others = list(MaintenanceWindow.objects.filter(status__in=LIVE, start__lt=span[1], last_end__gt=span[0])
                  .exclude(pk=window.pk))
    objects = covered([window.pk, *(w.pk for w in others)])
    affected = affected_systems(node for nodes in objects.values() for node in nodes)

    def systems_of(pk: int) -> set[int]:
        return {s for node in objects.get(pk, []) for s in affected.get(node, ())}

    mine = systems_of(window.pk)
    found: list[tuple[str, MaintenanceWindow | Blackout, Interval, set[int]]] = []
    own = window.occurrences(*span)
    for other in others:
        shared = mine & systems_of(other.pk)
        hit = overlap(own, other.occurrences(*span)) if shared else None
        if hit:
            found.append(("window", other, hit, shared))
    blackouts = Blackout.objects.filter(Q(system__isnull=True) | Q(system__in=mine), start__lt=span[1],
                                        last_end__gt=span[0])
    for blackout in blackouts:
        hit = overlap(own, blackout.occurrences(*span))
        if hit:
            found.append(("blackout", blackout, hit, {blackout.system_id} if blackout.system_id else set()))
    names = InformationSystem.objects.in_bulk({s for *_, shared in found for s in shared})
    result = [Conflict(kind, other, hit[0], hit[1], sorted((names[s] for s in shared), key=lambda s: s.code))
              for kind, other, hit, shared in found]
    return sorted(result, key=lambda c: (c.start, c.kind, str(c.other)))
