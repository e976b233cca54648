"""The platform's own schedulable jobs."""

from datetime import timedelta

import pytest
from django.utils import timezone

from irtis.tasks import jobs
from irtis.tasks.models import Run, Schedule, Status

pytestmark = pytest.mark.django_db


def test_delete_old_runs_keeps_recent_and_active_ones(settings) -> None:
    settings.IRTIS_TASK_RUNS_DAYS = 30
    now = timezone.now()
    old = Run.objects.create(task="x.y", status=Status.DONE, finished_at=now - timedelta(days=31))
    recent = Run.objects.create(task="x.y", status=Status.FAILED, finished_at=now - timedelta(days=29))
    running = Run.objects.create(task="x.z", status=Status.RUNNING)
    assert jobs.delete_old_runs.body(None) == {"deleted": 1}
    assert set(Run.objects.values_list("pk", flat=True)) == {recent.pk, running.pk}
    assert not Run.objects.filter(pk=old.pk).exists()


def test_a_schedule_chooses_among_schedulable_jobs_and_queues(settings) -> None:
    settings.IRTIS_TASK_QUEUES = ["default", "pkp-medininkai"]
    field = Schedule._meta.get_field("task")
    assert {value for value, _label in field.choices} >= {
        "irtis.tasks.jobs.verify_audit_trail", "irtis.tasks.jobs.delete_old_runs"}
    schedule = Schedule(name="Naktinis", task="irtis.tasks.jobs.delete_old_runs", cron="0 3 * * *",
                        queue="pkp-medininkai")
    schedule.full_clean()
    schedule.task, schedule.queue = "os.system", "kita-zona"
    with pytest.raises(Exception) as refused:
        schedule.full_clean()
    assert set(refused.value.message_dict) == {"task", "queue"}
