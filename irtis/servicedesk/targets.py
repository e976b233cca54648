"""Priority and response targets of a request, counted in the desk's working hours.

The calendar is monitoring's (`irtis.monitoring.hours`: Mon–Fri 08:00–17:00 Europe/Vilnius,
Lithuanian public holidays left out), so there is one holiday calculator in irtis.

    priority(rank, effect)         -> "P1" … "P4"
    after(start, hours)            -> the moment `hours` working hours after `start`
"""

import datetime as dt

from irtis.monitoring.hours import Hours, service_spans

from . import settings as desk_settings

WORKING = Hours(always=False, days=frozenset(range(1, 6)), opens=dt.time(8), closes=dt.time(17),
                public_holidays=True)
# effect → its weight: the more people are stopped, the higher the priority
EFFECTS = {"many_blocked": 0, "one_blocked": 1, "degraded": 2, "question": 3}


def priority(rank: int | None, effect: str) -> str:
    """P1 (highest) … P4: the system's importance rank (1 most important; none: as rank 3) plus
    the effect's weight."""
    system = min(max(rank or 3, 1), 3) - 1
    return f"P{min(system + EFFECTS.get(effect, 3), 3) + 1}"


def after(start: dt.datetime, hours: float) -> dt.datetime:
    """The moment `hours` working hours after `start` (weeks scanned until they are used up)."""
    left = hours * 3600
    begin = start.timestamp()
    while True:
        end = begin + 14 * 86400
        for a, b in service_spans(WORKING, begin, end):
            if b - a >= left:
                return dt.datetime.fromtimestamp(a + left, dt.UTC)
            left -= b - a
        begin = end


def due(start: dt.datetime, priority_code: str) -> tuple[dt.datetime, dt.datetime]:
    """(response due, resolution due) of a request of `priority_code` received at `start`."""
    response, resolution = desk_settings.targets()[priority_code]
    return after(start, response), after(start, resolution)


def working_seconds(start: dt.datetime, end: dt.datetime) -> float:
    return sum(b - a for a, b in service_spans(WORKING, start.timestamp(), end.timestamp()))
