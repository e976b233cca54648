"""Availability (prieinamumas) of information systems and of the objects checks watch.

A system is unavailable while its derived state is "down" (degraded still serves); an object
(device, virtual machine, DBMS instance, component …) while one of its checks is down or an
external alert about it fires. Only the counted time counts, as the system's service level says
(`hours`): its service hours (24×7, or working hours without Lithuanian public holidays) less
approved maintenance (irtis.changes.windows) unless its SLA counts maintenance. An object takes
the service level of the system it belongs to (a component), else 24×7; maintenance covering it
or anything it depends on is left out. Time not yet come is not measured.

The database does the heavy part: one query walks each system's state changes with LEAD() and
returns only the down intervals of the period, as POSIX seconds (no datetime per row); one pass
over them adds up each interval's counted part (`hours.Counted`, two bisections per interval).

    availability(ids, start, end)          -> {id: Measure}                      five queries
    availability_in(ids, {name: (a, b)})   -> {name: {id: Measure}}              five queries
    strip(id, days=90)                     -> [(date, percent or None), …]       per local day
    object_availability(node, periods)     -> {name: Measure}
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone

from irtis.changes.windows import approved_intervals, object_intervals
from irtis.systems.graph import Node
from irtis.systems.models import Component

from . import hours
from .hours import Counted, Hours, Span
from .models import Alert, AlertChange, Check, State, StateChange, SystemChange

Interval = tuple[dt.datetime, dt.datetime]
SUMMED_PERIODS = 4  # up to this many periods (day, month, year) the database sums plain systems' down time


@dataclass(frozen=True)
class Measure:
    measured: float  # seconds counted (the period's service hours less maintenance, up to now)
    down: float  # seconds down among them
    scheduled: float = 0.0  # seconds the whole period counts (to its end, now or not)

    @property
    def percent(self) -> float | None:
        return None if self.measured <= 0 else 100.0 * (1 - self.down / self.measured)


def epoch(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"EXTRACT(EPOCH FROM {column})::float8"
    # Stored as "YYYY-MM-DD HH:MM:SS[.ffffff]" in UTC: whole seconds, then the fraction as written
    # (julianday() would lose tens of microseconds).
    return f"(CAST(strftime('%%s', {column}) AS INTEGER) + COALESCE(CAST(substr({column}, 20) AS REAL), 0.0))"


def _down_query(table: str, owner: str, ids: list[int], start: dt.datetime, end: dt.datetime) -> tuple[
        str, list[Any]]:
    """The SQL of the down intervals of the owners' state changes that overlap [start, end), as
    rows (owner, a, b) of POSIX seconds, b null while still down: the state at `start` is the
    owner's last change before it."""
    adapt = connection.ops.adapt_datetimefield_value
    values = ", ".join(["(%s)"] * len(ids))
    # The end of each down interval is the owner's next change. PostgreSQL's LEAD() is fastest
    # there; SQLite finds it faster by an index seek per down row.
    if connection.vendor == "postgresql":
        inner = (f"SELECT c.{owner} AS owner, c.state AS state, c.at AS at,"
                 f" LEAD(c.at) OVER (PARTITION BY c.{owner} ORDER BY c.at) AS nx"
                 f" FROM {table} c JOIN firsts f ON f.owner = c.{owner} WHERE c.at >= f.since AND c.at < %s")
    else:
        inner = (f"SELECT c.{owner} AS owner, c.state AS state, c.at AS at,"
                 f" (SELECT MIN(n.at) FROM {table} n WHERE n.{owner} = c.{owner} AND n.at > c.at) AS nx"
                 f" FROM {table} c JOIN firsts f ON f.owner = c.{owner}"
                 f" WHERE c.at >= f.since AND c.at < %s AND c.state = 'down'")
    query = (
        f"WITH owners(owner) AS (VALUES {values}), "
        # Each owner's last change before the period: one index seek per owner.
        f"firsts(owner, since) AS (SELECT o.owner, COALESCE((SELECT MAX(p.at) FROM {table} p"
        f" WHERE p.{owner} = o.owner AND p.at < %s), %s) FROM owners o), "
        # Materialized: the next change is looked up once per row, not once per use below.
        f"w AS MATERIALIZED ({inner}), "
        f"d(owner, a, b) AS (SELECT w.owner, {epoch('w.at')}, {epoch('w.nx')} FROM w"
        f" WHERE w.state = %s AND (w.nx IS NULL OR w.nx > %s)) "
    )
    return query, [*ids, adapt(start), adapt(start), adapt(end), State.DOWN.value, adapt(start)]


def _down_rows(table: str, owner: str, ids: list[int], start: dt.datetime, end: dt.datetime) -> Iterator[
        tuple[int, float, float | None]]:
    """(owner id, start, end or None) of each down interval overlapping [start, end). One
    query; rows are streamed."""
    if not ids:
        return
    query, params = _down_query(table, owner, ids, start, end)
    with connection.cursor() as cursor:
        cursor.execute(query + "SELECT owner, a, b FROM d", params)
        while batch := cursor.fetchmany(5000):
            yield from batch


def _down_sums(table: str, owner: str, ids: list[int], periods: dict[str, tuple[float, float]], start: dt.datetime,
               end: dt.datetime) -> dict[int, dict[str, float]]:
    """Each owner's down seconds in each period, clipped to it and to `end`, summed by the
    database (owners counted around the clock with no maintenance: 500 rows back, not 100,000).
    One query."""
    if not ids:
        return {}
    query, params = _down_query(table, owner, ids, start, end)
    low, high = ("GREATEST", "LEAST") if connection.vendor == "postgresql" else ("MAX", "MIN")
    names = list(periods)
    sums = []
    for name in names:
        a, b = periods[name]
        b = min(b, end.timestamp())
        sums.append(f"SUM({low}(0.0, {high}(COALESCE(d.b, %s), %s, %s) - {low}(d.a, %s)))")
        params += [end.timestamp(), end.timestamp(), b, a]
    with connection.cursor() as cursor:
        cursor.execute(query + f"SELECT d.owner, {', '.join(sums)} FROM d GROUP BY d.owner", params)
        return {int(row[0]): {name: float(value or 0) for name, value in zip(names, row[1:], strict=True)}
                for row in cursor.fetchall()}


def _counted(calendars: dict[int, Hours], planned: dict[int, list[Interval]], start: float,
             end: float) -> dict[int, Counted]:
    """Each owner's counted time over [start, end); owners with the same service hours and no
    maintenance share one calendar."""
    shared: dict[Hours, list[Span]] = {}
    out: dict[int, Counted] = {}
    plain: dict[Hours, Counted] = {}
    for pk, calendar in calendars.items():
        if calendar not in shared:
            shared[calendar] = hours.service_spans(calendar, start, end)
        holes = [(a.timestamp(), b.timestamp()) for a, b in planned.get(pk, [])] if calendar.exclude_maintenance \
            else []
        if holes:
            out[pk] = Counted(hours.subtract(shared[calendar], holes))
        else:
            out[pk] = plain.get(calendar) or plain.setdefault(calendar, Counted(shared[calendar]))
    return out


def _measure(rows: Iterable[tuple[int, float, float | None]], counted: dict[int, Counted],
             periods: dict[str, tuple[float, float]], end: float) -> dict[str, dict[int, Measure]]:
    """One pass over the down intervals: each owner's counted down time in each period."""
    bounds = {pk: {name: (c.upto(a), c.upto(min(b, end)), c.upto(b)) for name, (a, b) in periods.items()}
              for pk, c in counted.items()}
    down: dict[str, dict[int, float]] = {name: defaultdict(float) for name in periods}
    for pk, a, b in rows:
        calendar = counted[pk]
        b = end if b is None or b > end else b
        if calendar.whole:  # one span (24×7, no maintenance): counted time is clock time
            first, last = calendar.starts[0], calendar.ends[0]
            lo, hi = min(max(a, first), last) - first, min(max(b, first), last) - first
        else:
            lo, hi = calendar.upto(a), calendar.upto(b)
        if hi <= lo:
            continue
        for name, (p_lo, p_hi, _whole) in bounds[pk].items():
            part = min(hi, p_hi) - max(lo, p_lo)
            if part > 0:
                down[name][pk] += part
    return {name: {pk: Measure(max(0.0, bounds[pk][name][1] - bounds[pk][name][0]), down[name].get(pk, 0.0),
                               bounds[pk][name][2] - bounds[pk][name][0])
                   for pk in counted} for name in periods}


def availability(system_ids: Iterable[int], start: dt.datetime, end: dt.datetime,
                 now: dt.datetime | None = None) -> dict[int, Measure]:
    """Each system's availability over [start, end), up to `now`."""
    return availability_in(system_ids, {"": (start, end)}, now)[""]


def availability_in(system_ids: Iterable[int], periods: dict[str, Interval],
                    now: dt.datetime | None = None,
                    calendars: dict[int, Hours] | None = None) -> dict[str, dict[int, Measure]]:
    """Each system's availability over each named period, up to `now`, from one reading of the
    state changes, service levels (unless the caller has read their `calendars`) and
    maintenance that cover them all."""
    ids, now = list(system_ids), now or timezone.now()
    start = min(a for a, _ in periods.values())
    horizon = max(b for _, b in periods.values())  # the calendar to the periods' end: the month's budget
    end = min(horizon, now)
    calendars = hours.levels(ids) if calendars is None else calendars
    planned = approved_intervals(ids, start, horizon)
    counted = _counted(calendars, planned, start.timestamp(), horizon.timestamp())
    seconds = {name: (a.timestamp(), b.timestamp()) for name, (a, b) in periods.items()}
    table = SystemChange._meta.db_table
    if end <= start:
        return _measure(iter(()), counted, seconds, end.timestamp())
    # Around the clock without maintenance, counted time is clock time: the database sums it.
    plain = [pk for pk in ids if counted[pk].whole and counted[pk].starts[0] <= start.timestamp()
             and counted[pk].ends[0] >= horizon.timestamp()] if len(periods) <= SUMMED_PERIODS else []
    rest = sorted(set(ids) - set(plain))
    found = _measure(_down_rows(table, "system_id", rest, start, end), {pk: counted[pk] for pk in rest},
                     seconds, end.timestamp())
    summed = _down_sums(table, "system_id", plain, seconds, start, end)
    for name, (a, b) in seconds.items():
        measured = max(0.0, min(b, end.timestamp()) - a)
        for pk in plain:
            found[name][pk] = Measure(measured, summed.get(pk, {}).get(name, 0.0), b - a)
    return found


def day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def days(count: int, now: dt.datetime) -> dict[str, Interval]:
    """The last `count` local days (today included), named by their ISO dates."""
    first = timezone.localdate(now) - dt.timedelta(days=count - 1)
    return {(first + dt.timedelta(days=n)).isoformat(): (day_start(first + dt.timedelta(days=n)),
                                                          day_start(first + dt.timedelta(days=n + 1)))
            for n in range(count)}


# --- objects: devices, virtual machines, DBMS instances, components … -------------------------


def _object_down_rows(node: Node, start: dt.datetime, end: dt.datetime) -> list[tuple[int, float, float | None]]:
    """The object's down intervals: any of its checks down, or an external alert about it firing
    (from its history of statuses, in the order of their own times). Merged, as owner 0."""
    type_id, object_id = node
    checks = list(Check.objects.filter(target_type_id=type_id, target_id=object_id).values_list("pk", flat=True))
    spans: list[tuple[float, float]] = []
    horizon = end.timestamp()
    for _check, a, b in _down_rows(StateChange._meta.db_table, "check_obj_id", checks, start, end):
        spans.append((a, horizon if b is None else b))
    fired: dict[int, float] = {}  # alert id → since when it fires
    for alert_id, firing, at in AlertChange.objects.filter(
            alert__object_type_id=type_id, alert__object_id=object_id, at__lt=end,
    ).order_by("at", "alert_id").values_list("alert_id", "firing", "at"):
        if firing:
            fired.setdefault(alert_id, at.timestamp())
        elif alert_id in fired:
            spans.append((fired.pop(alert_id), at.timestamp()))
    spans += [(since, horizon) for since in fired.values()]
    merged: list[tuple[float, float]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return [(0, a, b) for a, b in merged]


def object_hours(node: Node) -> Hours:
    """A component is served in its system's service hours; anything else around the clock."""
    if node[0] == ContentType.objects.get_for_model(Component).id:
        system_id = Component.objects.filter(pk=node[1]).values_list("system_id", flat=True).first()
        if system_id is not None:
            return hours.levels([system_id])[system_id]
    return hours.ALWAYS


def object_availability(node: Node, periods: dict[str, Interval], now: dt.datetime | None = None) -> dict[
        str, Measure]:
    """An object's availability over each named period, up to `now`."""
    now = now or timezone.now()
    start = min(a for a, _ in periods.values())
    horizon = max(b for _, b in periods.values())
    end = min(horizon, now)
    calendar = object_hours(node)
    planned = {0: object_intervals([node], start, horizon).get(node, [])}
    counted = _counted({0: calendar}, planned, start.timestamp(), horizon.timestamp())
    seconds = {name: (a.timestamp(), b.timestamp()) for name, (a, b) in periods.items()}
    rows = _object_down_rows(node, start, end) if end > start else []
    found = _measure(rows, counted, seconds, end.timestamp())
    return {name: by_owner[0] for name, by_owner in found.items()}


def watched(node: Node) -> bool:
    """Whether anything reports on the object: a check, or an external alert."""
    type_id, object_id = node
    return (Check.objects.filter(target_type_id=type_id, target_id=object_id).exists()
            or Alert.objects.filter(object_type_id=type_id, object_id=object_id).exists())
