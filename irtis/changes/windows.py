"""The public API of maintenance windows, for monitoring and availability (irtis.monitoring).

    under_maintenance(at)                         -> {Node, …}  objects and systems under approved maintenance
    approved_intervals(system_ids, start, end)    -> {system id: [(start, end), …]}  approved windows' occurrences
    affected_systems(window)                      -> {system id, …}  what a window's work affects
    object_intervals(nodes, start, end)           -> {Node: [(start, end), …]}  maintenance of each object

Only approved windows count. A system is under maintenance when an object it depends on (or the
system itself) is covered by an approved window occurring at that time; recurrences are
expanded in the local time zone (`irtis.changes.recurrence`). Each call runs a fixed number of
queries (ContentType look-ups are cached by Django): the windows, their objects, and one
recursive query over the dependency graph for all the objects (`irtis.changes.impact`).
"""

import datetime as dt
from collections.abc import Iterable

from irtis.systems.graph import Node, walk

from .impact import affected_systems as _affected
from .impact import covered, system_type
from .models import MaintenanceWindow, Status, WindowObject
from .recurrence import Interval


def _approved(since: dt.datetime, until: dt.datetime) -> list[MaintenanceWindow]:
    """Approved windows with an occurrence that may overlap [since, until) (one query)."""
    return list(MaintenanceWindow.objects.filter(status=Status.APPROVED, start__lt=until, last_end__gt=since)
                .only("id", "start", "end", "recurrence", "last_end"))


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
    nodes = {node for found in covered(w.pk for w in windows).values() for node in found}
    systems = system_type()
    found = set(nodes)
    for ids in _affected(nodes).values():
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
    objects = covered(w.pk for w in windows)
    affected = _affected(node for nodes in objects.values() for node in nodes)
    for window in windows:
        systems = {pk for node in objects.get(window.pk, []) for pk in affected.get(node, ())} & wanted
        if not systems:
            continue
        spans = [(max(a, start), min(b, end)) for a, b in window.occurrences(start, end)]
        for pk in systems:
            result[pk].extend(spans)
    return {pk: merge(spans) for pk, spans in result.items()}


def object_intervals(nodes: Iterable[Node], start: dt.datetime, end: dt.datetime) -> dict[Node, list[Interval]]:
    """For each object, the occurrences of approved windows covering it or anything it depends
    on (a virtual machine under its host's maintenance) that overlap [start, end), clipped,
    sorted and merged. Every object asked for is a key."""
    _check(start, end)
    wanted = list(dict.fromkeys(nodes))
    result: dict[Node, list[Interval]] = {node: [] for node in wanted}
    windows = _approved(start, end) if wanted and start < end else []
    if not windows:
        return result
    objects = covered(w.pk for w in windows)
    below = {node: set(walk([node], "down")) | {node} for node in wanted}
    for window in windows:
        touched = set(objects.get(window.pk, []))
        spans = [(max(a, start), min(b, end)) for a, b in window.occurrences(start, end)]
        for node in wanted:
            if touched & below[node]:
                result[node].extend(spans)
    return {node: merge(spans) for node, spans in result.items()}


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
