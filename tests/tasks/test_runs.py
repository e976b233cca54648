"""Jobs through a real worker process: done as the user who started them, one run per object,
retried with nothing half-written, a killed worker's run retried, a deleted object failed cleanly."""

import signal
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from irtis.audit.context import changes_by
from irtis.audit.models import AuditEntry, Source
from irtis.inventory.models import Site
from irtis.tasks.models import Run, Status
from irtis.tasks.runs import progress_of
from irtis.tasks.worker import DatabaseWorker, release

from .conftest import stop, wait_for
from .jobs import fail_after_writing, rename, slow_rename


def make_site(code: str = "VLN") -> Site:
    return Site.objects.create(code=code, name="Vilniaus muitinė", kind="datacentre", address="Adresas")


def test_a_run_is_done_by_a_worker_as_the_user_who_started_it(start_worker) -> None:
    user = get_user_model().objects.create_user("operatorius", password="Sl4ptas-Operatoriaus!")
    site = make_site()
    with changes_by(user=user, source=Source.UI):
        run = rename.start(site_id=site.pk, name="Naujas vardas")
    assert run.status == Status.QUEUED and run.started_by == user and run.key == str(site.pk)
    start_worker()
    run = wait_for(run, Status.DONE, Status.FAILED)
    assert (run.status, run.progress, run.result, run.attempts, run.error) == (Status.DONE, 100, "Naujas vardas", 1, "")
    assert run.duration is not None and run.finished_at >= run.started_at
    site.refresh_from_db()
    assert site.name == "Naujas vardas"
    entry = AuditEntry.objects.filter(object_id=str(site.pk), action="update", content_type__model="site").get()
    assert (entry.actor, entry.source) == (user, Source.JOB)


def test_one_active_run_per_object(transactional_db) -> None:
    first, second = make_site("VLN"), make_site("KLP")
    run = rename.start(site_id=first.pk, name="A")
    assert rename.start(site_id=first.pk, name="B").pk == run.pk  # queued already: the same run
    assert rename.start(site_id=second.pk, name="C").pk != run.pk
    Run.objects.filter(pk=run.pk).update(status=Status.DONE)
    assert rename.start(site_id=first.pk, name="D").pk != run.pk  # the earlier one is over


def test_an_object_deleted_before_the_run_fails_it_without_retries(start_worker) -> None:
    site = make_site()
    run = rename.start(site_id=site.pk, name="Niekada")
    site.delete()
    start_worker()
    run = wait_for(run, Status.DONE, Status.FAILED)
    assert run.status == Status.FAILED and run.attempts == 1
    assert run.error and "Traceback" not in run.error


def test_a_failing_run_is_retried_then_failed_with_nothing_written(start_worker) -> None:
    site = make_site()
    run = fail_after_writing.start(site_id=site.pk)
    start_worker()
    run = wait_for(run, Status.DONE, Status.FAILED)
    assert (run.status, run.attempts) == (Status.FAILED, 2)
    assert run.error == "RuntimeError: attempt 2 failed"
    site.refresh_from_db()
    assert site.name == "Vilniaus muitinė" and site.version == 1
    assert not AuditEntry.objects.filter(object_id=str(site.pk), action="update", content_type__model="site").exists()


def test_a_worker_killed_mid_run_has_the_run_retried_with_nothing_half_written(start_worker) -> None:
    site = make_site()
    first = start_worker()
    run = slow_rename.start(site_id=site.pk, name="Po pertraukos", seconds=120)
    run = wait_for(run, Status.RUNNING)
    while not run.message:  # the first attempt has written and says it is working
        run = wait_for(run, Status.RUNNING)
        progress_of([run])
    stop(first, signal.SIGKILL)
    first.wait()
    start_worker()
    run = wait_for(run, Status.DONE, Status.FAILED)
    assert (run.status, run.attempts, run.result) == (Status.DONE, 2, "Adresas+")
    site.refresh_from_db()
    assert (site.name, site.address, site.version) == ("Po pertraukos", "Adresas+", 3)


def test_many_runs_are_worked_off_each_in_its_own_transaction(start_worker) -> None:
    sites = [make_site(f"S{n:02}") for n in range(30)]
    runs = [rename.start(site_id=site.pk, name=f"Vieta {n}", steps=1) for n, site in enumerate(sites)]
    start_worker()
    runs = [wait_for(run, Status.DONE, Status.FAILED) for run in runs]
    assert {run.status for run in runs} == {Status.DONE} and {run.attempts for run in runs} == {1}
    assert all(run.enqueued_at <= run.started_at <= run.finished_at for run in runs)
    assert sorted(Site.objects.values_list("name", flat=True)) == sorted(f"Vieta {n}" for n in range(30))
    if settings.IRTIS_TASKS == "database":  # the engine's entries are done in the runs' transactions
        assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}


def test_a_run_to_start_later_waits_for_its_time(start_worker) -> None:
    site = make_site()
    when = timezone.now() + timedelta(seconds=2)
    run = rename.start(site_id=site.pk, name="Vėliau", run_after=when)
    assert (run.status, run.result_id) == (Status.QUEUED, "")  # not handed to the engine yet
    start_worker()
    run = wait_for(run, Status.DONE, Status.FAILED)
    assert run.status == Status.DONE and run.started_at >= when


def test_a_stopped_worker_puts_its_claimed_batch_back(transactional_db, settings) -> None:
    if settings.IRTIS_TASKS != "database":
        pytest.skip("the embedded engine's worker")
    runs = [rename.start(site_id=make_site(f"B{n}").pk, name="Niekada") for n in range(3)]
    worker = DatabaseWorker(queue_names=["default"], interval=0, batch=True, backend_name="default",
                            startup_delay=False, max_tasks=None, worker_id="testas", excluded_queue_names=[])
    batch = worker.claim(10)
    assert [run.status for _entry, run in batch] == [Status.RUNNING] * 3
    release(batch)
    for run in runs:
        run.refresh_from_db()
        assert (run.status, run.attempts, run.started_at) == (Status.QUEUED, 0, None)
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"READY"}
