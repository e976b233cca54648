"""Recurrence of maintenance windows and blackout periods as RFC 5545 RRULEs (python-dateutil).

A rule is expanded in the local time zone (`TIME_ZONE`, Europe/Vilnius), so "02:00 on the second
Tuesday" stays 02:00 across daylight saving time; occurrences are returned in UTC. Every rule
must end (COUNT or UNTIL) and yield at most `MAX_OCCURRENCES` occurrences, so an expansion is
always bounded.

    normalise("FREQ=MONTHLY;BYDAY=2TU;UNTIL=20271231", start)  -> "FREQ=MONTHLY;BYDAY=2TU;UNTIL=20271231T215959Z"
    occurrences(start, end, rule, since, until)                 -> [(start, end), …] overlapping [since, until)
    last_end(start, end, rule)                                  -> the end of the last occurrence
"""

import datetime as dt
from itertools import islice

from dateutil.rrule import rrule, rrulestr
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

MAX_OCCURRENCES = 1000
FREQUENCIES = {"DAILY", "WEEKLY", "MONTHLY", "YEARLY"}
Interval = tuple[dt.datetime, dt.datetime]


def _parts(text: str) -> dict[str, str]:
    parts: dict[str, str] = {}
    for item in text.strip().upper().removeprefix("RRULE:").split(";"):
        name, sep, value = item.partition("=")
        if not sep or not name or not value or name in parts:
            raise ValidationError(_("Write the recurrence as RFC 5545 NAME=VALUE pairs separated by “;”, "
                                    "e.g. FREQ=MONTHLY;BYDAY=2TU;COUNT=12."))
        parts[name] = value
    return parts


def normalise(text: str, start: dt.datetime) -> str:
    """The rule, checked and written canonically (UNTIL in UTC); "" for no recurrence.

    Raises ValidationError for a rule that cannot be read, never ends, or yields too many
    occurrences."""
    if not text.strip():
        return ""
    parts = _parts(text)
    if "DTSTART" in parts or parts.get("FREQ") not in FREQUENCIES:
        raise ValidationError(_("The recurrence needs FREQ=DAILY, WEEKLY, MONTHLY or YEARLY (the start "
                                "is the window's own)."))
    if "COUNT" not in parts and "UNTIL" not in parts:
        raise ValidationError(_("A recurrence must end: give COUNT (number of occurrences) or UNTIL (last date)."))
    if "UNTIL" in parts and not parts["UNTIL"].endswith("Z"):
        parts["UNTIL"] = _utc_until(parts["UNTIL"])
    canonical = ";".join(f"{name}={value}" for name, value in parts.items())
    found = list(islice(_rule(canonical, start), MAX_OCCURRENCES + 1))
    if len(found) > MAX_OCCURRENCES:
        raise ValidationError(_("The recurrence yields more than %(max)s occurrences: shorten it.")
                              % {"max": MAX_OCCURRENCES})
    if not found:
        raise ValidationError(_("The recurrence yields no occurrence after the start."))
    return canonical


def _utc_until(value: str) -> str:
    """A local UNTIL date or date-time as UTC (RFC 5545 asks UTC when the start has a zone);
    a date means the end of that day."""
    try:
        if len(value) == 8:
            local = dt.datetime.strptime(value, "%Y%m%d") + dt.timedelta(days=1, seconds=-1)
        else:
            local = dt.datetime.strptime(value, "%Y%m%dT%H%M%S")
    except ValueError:
        raise ValidationError(_("UNTIL must be a date (20271231) or a date and time (20271231T235959).")) from None
    aware = timezone.make_aware(local, timezone.get_default_timezone())
    return aware.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _rule(text: str, start: dt.datetime) -> rrule:
    try:
        rule = rrulestr(text, dtstart=start.astimezone(timezone.get_default_timezone()))
    except (ValueError, TypeError) as error:
        raise ValidationError(_("The recurrence cannot be read: %(error)s") % {"error": error}) from None
    assert isinstance(rule, rrule)  # one RRULE, never a set: forceset is off and no RDATE is read
    return rule


def occurrences(start: dt.datetime, end: dt.datetime, rule: str, since: dt.datetime,
                until: dt.datetime) -> list[Interval]:
    """The occurrences (start, end) in UTC overlapping [since, until)."""
    duration = end - start
    if not rule:
        return [(start, end)] if start < until and end > since else []
    starts = _rule(rule, start).between(since - duration, until, inc=True)
    found = []
    for first in starts:
        begin = first.astimezone(dt.UTC)
        if begin < until and begin + duration > since:
            found.append((begin, begin + duration))
    return found


def last_end(start: dt.datetime, end: dt.datetime, rule: str) -> dt.datetime:
    """When the last occurrence ends (the rule is a normalised one: it ends)."""
    if not rule:
        return end
    found = list(islice(_rule(rule, start), MAX_OCCURRENCES))
    return found[-1].astimezone(dt.UTC) + (end - start)
