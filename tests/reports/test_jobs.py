"""Scheduled work: reminders of recommendations due, and the monthly and quarterly reports
issued once and e-mailed (through notifications, to a real SMTP server) to their subscribers."""

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from irtis.audit.models import Action, AuditEntry
from irtis.identity import roles
from irtis.notifications import delivery
from irtis.notifications.models import Notification
from irtis.reports import jobs, periods
from irtis.reports.models import IssuedReport, RecommendationReminder, ReportSubscription
from irtis.tasks.runs import execute
from tests.notifications.conftest import person
from tests.support.smtp import SMTPServer

from . import factories as f

pytestmark = pytest.mark.django_db


def _run(job: Any) -> dict:
    run = job.start()
    execute(str(run.pk))
    run.refresh_from_db()
    return run.result


def test_a_recommendation_due_soon_is_reminded_once_and_again_when_moved() -> None:
    roles.sync()
    owner = f.person("savininkas")
    owner.groups.add(Group.objects.get(name="manager"))
    outsider = f.person("pasalinis")  # may not view recommendations
    today = timezone.localdate()
    soon = f.recommendation("Greitai", owner=owner, raised_on=today - dt.timedelta(days=3),
                            due=today + dt.timedelta(days=5))
    f.recommendation("Vėluoja", owner=owner, raised_on=today - dt.timedelta(days=30), due=today - dt.timedelta(days=1))
    f.recommendation("Toli", owner=owner, raised_on=today, due=today + dt.timedelta(days=60))
    f.recommendation("Įgyvendinta", owner=owner, raised_on=today, due=today, status="done")
    f.recommendation("Nemato", owner=outsider, raised_on=today, due=today)
    assert _run(jobs.remind_recommendations) == {"reminded": 2}
    told = Notification.objects.filter(kind="reports.recommendation_due")
    assert sorted(n.object_repr for n in told) == ["Greitai", "Vėluoja"]
    assert _run(jobs.remind_recommendations) == {"reminded": 0}
    soon.due += dt.timedelta(days=1)
    soon.full_clean()
    soon.save()
    assert _run(jobs.remind_recommendations) == {"reminded": 1}
    assert not RecommendationReminder.objects.filter(recommendation__owner=outsider).exists()  # tried tomorrow


def test_the_monthly_report_is_issued_once_and_e_mailed_to_its_subscribers(smtp: SMTPServer, client: Any) -> None:
    roles.sync()
    head = person("skyriaus_vadove", superuser=False)
    head.groups.add(Group.objects.get(name="manager"))
    quarterly = person("direktorius", superuser=False, language="en")
    quarterly.groups.add(Group.objects.get(name="manager"))
    unallowed = person("stazuotojas", superuser=False)  # subscribed, but may not read reports
    ReportSubscription.objects.create(recipient=head, frequency="month")
    ReportSubscription.objects.create(recipient=unallowed, frequency="month")
    ReportSubscription.objects.create(recipient=quarterly, frequency="quarter")
    today = timezone.localdate()
    month, quarter = periods.last_complete("month", today), periods.last_complete("quarter", today)
    result = _run(jobs.issue_reports)
    assert result == {"issued": [month.code, quarter.code]}
    assert _run(jobs.issue_reports) == {"issued": []}  # once a period
    issued = IssuedReport.objects.get(period=month.code)
    assert bytes(issued.pdf).startswith(b"%PDF") and bytes(issued.docx).startswith(b"PK")
    audited = AuditEntry.objects.filter(action=Action.DOCUMENT_GENERATED)
    assert sorted((e.after["period"], e.after["format"]) for e in audited) == sorted(
        (p.code, fmt) for p in (month, quarter) for fmt in ("docx", "pdf"))
    assert delivery.send_due(timezone.now() + dt.timedelta(minutes=1)) == 2
    mails = {r.rcpt_tos[0]: r.message for r in smtp.mailbox.received}
    assert set(mails) == {"skyriaus_vadove@muitine.lt", "direktorius@muitine.lt"}
    body = mails["skyriaus_vadove@muitine.lt"].get_content()
    assert f"Valdymo ataskaita už {month.code} parengta." in body
    assert f"https://irtis.muitine.lt/reports/issued/{month.code}/pdf/" in body
    assert mails["skyriaus_vadove@muitine.lt"]["Subject"] == f"Valdymo ataskaita už {month.code}"
    assert f"The management report for {quarter.code} is ready." in mails["direktorius@muitine.lt"].get_content()
    client.force_login(head)
    response = client.get(f"/reports/issued/{month.code}/pdf/")
    assert response.status_code == 200 and response.content == bytes(issued.pdf)
    client.force_login(unallowed)
    assert client.get(f"/reports/issued/{month.code}/pdf/").status_code == 403
