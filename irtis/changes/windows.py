"""The public API of maintenance windows, for monitoring and availability (irtis.monitoring).

    under_maintenance(at)                         -> {Node, …}  objects and systems under approved maintenance
    approved_intervals(system_ids, start, end)    -> {system id: [(start, end), …]}  approved windows' occurrences
    affected_systems(window)                      -> {system id, …}  what a window's work affects

Only approved windows count. A system is under maintenance when an object it depends on (or the
system itself) is covered by an approved window occurring at that time; recurrences are
expanded in the local time zone (`irtis.changes.recurrence`). Each call runs a fixed number of
queries (ContentType look-ups are cached by Django): the windows, their objects, and one
recursive query over the dependency graph for all the objects (`irtis.changes.impact`).
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from irtis.systems.graph import Node

from .impact import affected_systems as _affected
from .impact import system_type
from .models import MaintenanceWindow, Status, WindowObject
from .recurrence import Interval


def _approved(since: dt.datetime, until: dt.datetime) -> list[MaintenanceWindow]:
    """Approved windows with an occurrence that may overlap [since, until) (one query)."""
    return list(MaintenanceWindow.objects.filter(status=Status.APPROVED, start__lt=until, last_end__gt=since)
                .only("id", "start", "end", "recurrence", "last_end"))


def _objects(window_ids: Iterable[int]) -> dict[int, list[Node]]:
    """Each window's covered objects as nodes (one query)."""
    found: dict[int, list[Node]] = defaultdict(list)
    rows = WindowObject.objects.filter(window_id__in=list(window_ids)).values_list(
        "window_id", "object_type_id", "object_id")
    for window_id, type_id, object_id in rows:
        found[window_id].append((type_id, object_id))
    return found


def _check(*moments: dt.datetime) -> None:
    for moment in moments:
        if moment.tzinfo is None:
            raise ValueError("Times must be aware (timezone.now(), not datetime.now()).")


def under_maintenance(at: dt.datetime) -> set[Node]:
    """The objects covered by an approved window occurring at `at`, and the information systems
    they affect (impact analysis). Three queries."""
    _check(at)
    windows = [w for w in _approved(at, at + dt.timedelta(microseconds=1))
               if w.occurrences(at, at + dt.timedelta(microseconds=1))]
    if not windows:
        return set()
    covered = {node for nodes in _objects(w.pk for w in windows).values() for node in nodes}
    systems = system_type()
    found = set(covered)
    for ids in _affected(covered).values():
        found.update((systems, pk) for pk in ids)
    return found


def approved_intervals(system_ids: Iterable[int], start: dt.datetime,
                       end: dt.datetime) -> dict[int, list[Interval]]:
    """For each of the systems, the occurrences of approved windows affecting it that overlap
    [start, end), clipped to it, sorted and merged where they overlap. Every system asked for is
    a key (an empty list: no maintenance). Three queries."""
    _check(start, end)
    wanted = {int(pk) for pk in system_ids}
    result: dict[int, list[Interval]] = {pk: [] for pk in wanted}
    windows = _approved(start, end) if wanted and start < end else []
    if not windows:
        return result
    objects = _objects(w.pk for w in windows)
    affected = _affected(node for nodes in objects.values() for node in nodes)
    for window in windows:
        systems = {pk for node in objects.get(window.pk, []) for pk in affected.get(node, ())} & wanted
        if not systems:
            continue
        spans = [(max(a, start), min(b, end)) for a, b in window.occurrences(start, end)]
        for pk in systems:
            result[pk].extend(spans)
    return {pk: merge(spans) for pk, spans in result.items()}


def merge(spans: list[Interval]) -> list[Interval]:
    """Sorted intervals with overlapping or touching ones joined."""
    merged: list[Interval] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def affected_systems(window: MaintenanceWindow) -> set[int]:
    """The ids of the information systems a window's work affects, whatever its status."""
    nodes = list(WindowObject.objects.filter(window=window).values_list("object_type_id", "object_id"))
    return {pk for ids in _affected(nodes).values() for pk in ids}
