"""The demo's recommendations, subscriptions and schedules: on the demo estate, the dashboard
and the last month's report read every section of it, capacity trends included; reruns write
nothing."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from irtis.audit.models import AuditEntry
from irtis.reports import demo, periods, sections
from irtis.reports.models import CapacitySample, Recommendation, ReportSubscription
from irtis.tasks.models import Schedule

pytestmark = pytest.mark.django_db


def test_demo_loads_once_on_the_estate() -> None:
    call_command("demo")
    assert Recommendation.objects.filter(status__in=Recommendation.OPEN).count() == 2
    assert ReportSubscription.objects.filter(recipient__username=demo.HEAD).count() == 2
    assert set(Schedule.objects.filter(task__startswith="irtis.reports.").values_list("task", flat=True)) == {
        "irtis.reports.jobs.remind_recommendations", "irtis.reports.jobs.record_capacity",
        "irtis.reports.jobs.issue_reports"}
    parts = {p.key: p for p in sections.collect(periods.last_complete("month", timezone.localdate()), None)}
    for key in ("spof", "support", "security", "capacity", "follow_up"):  # held whatever the month
        assert not parts[key].empty, key
    trend = parts["capacity"].tables[-1]  # a year of made-up history: every capacity has its trend
    assert trend.caption == "Capacity trends" and len(trend.rows) == sections.SHOWN
    entries, samples = AuditEntry.objects.count(), CapacitySample.objects.count()
    demo.load()
    assert AuditEntry.objects.count() == entries and CapacitySample.objects.count() == samples


def test_a_demo_without_the_head_of_the_division_raises() -> None:
    with pytest.raises(Exception, match="does not exist"):
        demo.load()
