"""Schedules, the runs page, the API and the progress partial (no worker needed)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from irtis.audit.models import AuditEntry
from irtis.tasks.models import Run, Schedule, Status
from irtis.tasks.worker import start_due_schedules

pytestmark = pytest.mark.django_db

VERIFY = "irtis.tasks.jobs.verify_audit_trail"


def test_a_due_schedule_starts_its_task_once_and_moves_on() -> None:
    schedule = Schedule(name="Kasnakt", task=VERIFY, cron="0 3 * * *")
    schedule.full_clean()
    schedule.save()
    assert schedule.next_run > timezone.now()
    Schedule.objects.filter(pk=schedule.pk).update(next_run=timezone.now() - timedelta(minutes=1))
    assert start_due_schedules() == 1
    assert start_due_schedules() == 0  # not due again until tomorrow, 3 o'clock
    run = Run.objects.get()
    assert (run.task, run.status, run.started_by) == (VERIFY, Status.QUEUED, None)
    schedule.refresh_from_db()
    assert timezone.localtime(schedule.next_run).hour == 3 and schedule.next_run > timezone.now()
    entries = AuditEntry.objects.filter(object_id=str(schedule.pk), content_type__model="schedule")
    assert entries.count() == 2  # created, then moved on


@pytest.mark.parametrize(("values", "field"), [
    ({"cron": "kas naktį"}, "cron"), ({"task": "os.system"}, "task"), ({"queue": "nera"}, "queue")])
def test_a_bad_schedule_is_refused_by_field(values: dict, field: str) -> None:
    schedule = Schedule(name="Blogas", **{"task": VERIFY, "cron": "* * * * *", **values})
    with pytest.raises(ValidationError) as error:
        schedule.full_clean()
    assert field in error.value.message_dict


def make_runs(admin_user: object) -> list[Run]:
    now = timezone.now()
    return [
        Run.objects.create(task=VERIFY, status=Status.DONE, started_by=admin_user, started_at=now,
                           finished_at=now + timedelta(seconds=3), progress=100, attempts=1),
        Run.objects.create(task=VERIFY, status=Status.FAILED, error="RuntimeError: sugedo", attempts=3),
        Run.objects.create(task=VERIFY, status=Status.QUEUED),
    ]


def test_the_runs_page_and_api_list_runs(admin_client, admin_user, django_assert_max_num_queries) -> None:
    make_runs(admin_user)
    with django_assert_max_num_queries(12):
        page = admin_client.get(reverse("tasks_pages:runs"))
    assert page.status_code == 200 and "RuntimeError: sugedo" in page.content.decode()
    assert "Tikrinti audito žurnalą" in page.content.decode() and "verify_audit_trail" not in page.content.decode()
    failed = admin_client.get(reverse("tasks_pages:runs"), {"status": "failed"}).content.decode()
    assert "sugedo" in failed and "3.0 s" not in failed
    api = admin_client.get(reverse("api:tasks_run_list")).json()
    assert [r["status"] for r in api] == ["queued", "failed", "done"]
    assert api[2]["duration"] == 3.0 and api[2]["started_by"] == "admin" and api[2]["progress"] == 100
    assert (api[2]["task"], api[2]["label"]) == (VERIFY, "Tikrinti audito žurnalą")
    assert admin_client.get(reverse("api:tasks_run_list"), {"status": "bloga"}).status_code == 422
    one = admin_client.get(reverse("api:tasks_run_detail", args=[api[1]["id"]])).json()
    assert one["error"] == "RuntimeError: sugedo"


def test_others_see_only_their_own_runs(client, admin_user, django_user_model) -> None:
    runs = make_runs(admin_user)
    user = django_user_model.objects.create_user("kitas", password="Sl4ptas-Kito!")
    mine = Run.objects.create(task=VERIFY, started_by=user)
    client.force_login(user)
    assert [r["id"] for r in client.get(reverse("api:tasks_run_list")).json()] == [str(mine.pk)]
    assert client.get(reverse("tasks_pages:progress", args=[runs[0].pk])).status_code == 404
    assert client.get(reverse("api:tasks_run_detail", args=[runs[0].pk])).status_code == 404


def test_the_progress_partial_polls_while_the_run_is_active(admin_client, admin_user) -> None:
    done, _, queued = make_runs(admin_user)
    url = reverse("tasks_pages:progress", args=[queued.pk])
    assert 'hx-trigger="every 1s"' in admin_client.get(url).content.decode()
    finished = admin_client.get(reverse("tasks_pages:progress", args=[done.pk]), {"next": "/audit/"}).content.decode()
    assert "hx-get" not in finished and 'href="/audit/"' in finished
    foreign = admin_client.get(reverse("tasks_pages:progress", args=[done.pk]), {"next": "https://kitur.lt/"})
    assert "kitur.lt" not in foreign.content.decode()


def test_the_audit_page_starts_a_verification_run(admin_client) -> None:
    response = admin_client.post(reverse("tasks_pages:verify_audit_trail"))
    run = Run.objects.get()
    assert response.status_code == 200 and str(run.pk) in response.content.decode()
    assert (run.task, run.started_by.username) == (VERIFY, "admin")
