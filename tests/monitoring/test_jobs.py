"""Roll-ups of response times, the reporting clock's reminders, and the zone's job."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import Group

from irtis.monitoring import reports, retention
from irtis.monitoring.jobs import run_checks, start_checks
from irtis.monitoring.models import Incident, Rollup, Sample
from irtis.notifications.models import Notification
from irtis.tasks.models import Run
from tests.virtualization.factories import server

from .factories import tcp_check

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 12, 3, 12, 30, tzinfo=UTC)


def test_samples_are_rolled_up_by_hour_and_expire(settings) -> None:  # type: ignore[no-untyped-def]
    settings.IRTIS_MONITORING_RAW_HOURS = 48
    check = tcp_check(server("r"), 1)
    hour = datetime(2026, 12, 1, 9, tzinfo=UTC)
    Sample.objects.bulk_create([Sample(check_obj=check, at=hour + timedelta(minutes=m), ms=ms)
                                for m, ms in ((1, 2.0), (2, 4.0), (3, None), (70, 9.0))])
    assert retention.roll_up(NOW) == {"hours": 2, "deleted": 4}
    first = Rollup.objects.get(hour=hour)
    assert (first.count, first.failures, first.min_ms, first.avg_ms, first.max_ms) == (3, 1, 2.0, 3.0, 4.0)
    assert retention.roll_up(NOW) == {"hours": 0, "deleted": 0}  # again: nothing new, nothing lost
    assert Rollup.objects.count() == 2


def test_reports_of_significant_incidents_are_reminded(admin_user) -> None:  # type: ignore[no-untyped-def]
    admin_user.groups.add(Group.objects.get_or_create(name="security_officer")[0])
    Incident.objects.create(title="Išpirkos programinė įranga", significant=True, detected_at=NOW - timedelta(hours=20))
    Incident.objects.create(title="Smulkus", significant=False, detected_at=NOW - timedelta(hours=20))
    assert reports.remind(NOW) == 1  # the early warning is due in 4 hours
    assert reports.remind(NOW + timedelta(hours=5)) == 1  # overdue: reminded again, on the same row
    note = Notification.objects.get(kind="monitoring.report_due")
    assert note.count == 2 and note.context["report"] == "early_warning" and note.context["overdue"] is True


def test_the_deadlines_follow_the_law() -> None:
    incident = Incident(title="x", significant=True, detected_at=NOW)
    due = {code: when for code, when, _sent in incident.deadlines()}
    assert due == {"early_warning": NOW + timedelta(hours=24), "notification": NOW + timedelta(hours=72),
                   "final_report": NOW + timedelta(hours=72, days=30)}


def test_each_zone_has_one_run_at_a_time() -> None:
    tcp_check(server("z1"), 1, name="z1")
    assert start_checks.body(Run(queue="default")) == {"zones": ["default"]}
    start_checks.body(Run(queue="default"))  # the zone's run is still queued: no second one
    runs = Run.objects.filter(task=run_checks.module_path)
    assert list(runs.values_list("queue", "key", "status")) == [("default", "default", "queued")]
