"""The Cyber Security Law's reporting clock of significant incidents: reminders before each
report is due (and while it is overdue), to the security officers and the incident's assignee.
A reminder repeats on the same notification row while it is unread (notifications group
repeats), so an hourly schedule does not flood anyone."""

from datetime import datetime, timedelta

from django.utils.formats import date_format
from django.utils.timezone import localtime

from irtis.notifications.events import notify

from .models import Incident

SOON = timedelta(hours=6)  # remind this long before a report is due
ROLES = ("security_officer",)


def remind(now: datetime) -> int:
    """Notify about each report due within SOON or overdue; how many reminders."""
    count = 0
    incidents = Incident.objects.filter(significant=True).exclude(final_report_at__isnull=False).select_related(
        "assignee")
    for incident in incidents:
        for code, due, sent in incident.deadlines():
            if sent is None and due - now <= SOON:
                notify("monitoring.report_due", roles=ROLES, users=[u for u in [incident.assignee] if u],
                       obj=incident, context={"report": code, "due": date_format(localtime(due), "DATETIME_FORMAT"),
                                              "overdue": due < now})
                count += 1
                break  # the first report not sent is the one to write
    return count
