"""Scheduled work of management reports (Administration → Schedules starts them every morning):

- "Remind of recommendations due": each open recommendation's owner is told DAYS_BEFORE days
  before its due date (and when it is late), once per due date (`RecommendationReminder`), as
  projects remind of their tasks.
- "Record capacity": each day's use of clusters, disk arrays and address space, for the trends.
- "Issue the management reports": once a month (quarter) is over, its report is written once as
  PDF and DOCX, kept (`IssuedReport`), audited, and its subscribers are notified with links to
  both files. A period already issued writes nothing.
"""

import datetime as dt
import hashlib
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from irtis.core import permissions
from irtis.notifications.events import notify
from irtis.notifications.mail import absolute
from irtis.tasks.runs import job

from . import capacity, document, periods, sections
from .models import Frequency, IssuedReport, Recommendation, RecommendationReminder

DAYS_BEFORE = 7


def due(today: dt.date) -> list[Recommendation]:
    """Open recommendations due within DAYS_BEFORE days (or late) not yet reminded of that date."""
    found = Recommendation.objects.filter(status__in=Recommendation.OPEN,
                                          due__lte=today + dt.timedelta(days=DAYS_BEFORE)).select_related("owner")
    reminded = set(RecommendationReminder.objects.filter(recommendation__in=found).values_list("recommendation", "due"))
    return [r for r in found if (r.pk, r.due) not in reminded]


@job(label=gettext_lazy("Remind of recommendations due"), schedulable=True)
def remind_recommendations(run: Any) -> dict[str, Any]:
    today = timezone.localdate()
    told = 0
    for item in due(today):
        try:
            with transaction.atomic():  # reminded once, even by two runs at a time
                RecommendationReminder.objects.create(recommendation=item, due=item.due)
                sent = notify("reports.recommendation_due", users=[item.owner], obj=item,
                              context={"date": item.due.isoformat(), "days": (item.due - today).days})
                if not sent:  # the owner may not see it (or is inactive): tried again tomorrow
                    transaction.set_rollback(True)
        except IntegrityError:
            continue
        told += bool(sent)
    return {"reminded": told}


def subscribers(kind: str) -> list[Any]:
    """Active subscribers of `kind` who may read management reports."""
    users = get_user_model().objects.filter(report_subscriptions__frequency=kind, is_active=True).distinct()
    return [u for u in users if permissions.has(u, Recommendation, "view")]


def issue(period: periods.Period, recipients: list[Any], now: dt.datetime | None = None) -> IssuedReport | None:
    """Write the report of `period` once, keep it, audit it and tell `recipients`; None when it
    was issued already."""
    if IssuedReport.objects.filter(period=period.code).exists():
        return None
    now = now or timezone.now()
    made = document.files(period, sections.collect(period, None, now), now)
    try:
        with transaction.atomic():
            issued = IssuedReport.objects.create(
                period=period.code, pdf=made["pdf"], docx=made["docx"],
                pdf_sha256=hashlib.sha256(made["pdf"]).hexdigest(),
                docx_sha256=hashlib.sha256(made["docx"]).hexdigest())
            document.audit(period, made)
            links = {fmt: absolute(reverse("reports_pages:issued", args=[period.code, fmt])) for fmt in made}
            notify("reports.issued", users=recipients, context={"period": period.code, **links})
    except IntegrityError:  # another run issued it meanwhile
        return None
    return issued


@job(label=gettext_lazy("Issue the management reports"), schedulable=True)
def issue_reports(run: Any) -> dict[str, Any]:
    today = timezone.localdate()
    written = []
    for kind in Frequency.values:
        recipients = subscribers(kind)
        if recipients and issue(periods.last_complete(kind, today), recipients):
            written.append(periods.last_complete(kind, today).code)
    return {"issued": written}


@job(label=gettext_lazy("Record capacity"), schedulable=True)
def record_capacity(run: Any) -> dict[str, Any]:
    """Today's use of every cluster, disk array and address container, for the reports' trends."""
    return {"samples": capacity.record(timezone.localdate())}
