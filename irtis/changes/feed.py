"""The maintenance calendar as iCalendar (RFC 5545, written by the `icalendar` library).

Each window the user may view (not cancelled or rejected) is one VEVENT with its recurrence as
an RRULE, so calendar programs expand it themselves; drafts and submitted windows are
TENTATIVE, approved ones CONFIRMED. Blackout periods are events of the category "blackout"
that show as free time. UIDs are stable (`window-<id>@irtis`), SEQUENCE is the row's version.
"""

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vRecur

from .calendar import items
from .models import Blackout, MaintenanceWindow, Status

PAST_DAYS = 366
FUTURE_DAYS = 3 * 366


def _event(kind: str, item: MaintenanceWindow | Blackout, base: str) -> Event:
    event = Event()
    event.add("uid", f"{kind}-{item.pk}@irtis")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", item.start)
    event.add("dtend", item.end)
    event.add("sequence", item.version)
    event.add("last-modified", item.updated)
    event.add("url", base.rstrip("/") + item.get_absolute_url())
    if item.recurrence:
        event.add("rrule", vRecur.from_ical(item.recurrence))
    if isinstance(item, MaintenanceWindow):
        event.add("summary", item.name)
        event.add("status", "CONFIRMED" if item.status == Status.APPROVED else "TENTATIVE")
        event.add("categories", ["maintenance"])
        event.add("description", f"{item.get_status_display()}\n{item.description}".strip())
    else:
        system = item.system.code if item.system else _("all systems")
        event.add("summary", f"{_('Blackout')}: {item.name} ({system})")
        event.add("categories", ["blackout"])
        event.add("transp", "TRANSPARENT")
        event.add("description", item.description)
    return event


def render(user: Any, base: str) -> bytes:
    """The feed of what the user may view, from a year back to three years ahead."""
    now = timezone.now()
    cal = Calendar()
    cal.add("prodid", "-//irtis//maintenance calendar//LT")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", _("Maintenance calendar"))
    for kind, item in items(user, now - dt.timedelta(days=PAST_DAYS), now + dt.timedelta(days=FUTURE_DAYS)):
        assert isinstance(item, MaintenanceWindow | Blackout)
        cal.add_component(_event(kind, item, base))
    return cal.to_ical()
