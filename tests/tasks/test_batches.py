"""A worker taking runs in batches (both engines): a failing run in a batch fails alone; a worker
killed mid-batch has each of its runs retried and done once; a stopped worker puts the runs of
its batch it has not begun back. On RQ, the jobs leave nothing in RQ's registries."""

import signal
import time
from collections.abc import Callable
from subprocess import Popen

from django.conf import settings

from irtis.inventory.models import Site
from irtis.tasks.models import Run, Status
from irtis.tasks.runs import progress_of

from .conftest import stop, wait_for
from .jobs import noop, rename_pausing


def warmed_up(start_worker: Callable[[], Popen]) -> Popen:
    """A worker that has worked off trivial runs: it now takes them many at a time."""
    worker = start_worker()
    for run in noop.start_many([{"n": n} for n in range(40)]):
        wait_for(run, Status.DONE)
    return worker


def batch(count: int, pause: float) -> list[Run]:
    """`count` runs started together, the first working `pause` seconds at its first attempt;
    returned once it works, the others waiting their turn in the worker's batch."""
    runs = rename_pausing.start_many([{"site_id": site(f"B{n}").pk, "name": f"Vieta {n}", "pause": 0 if n else pause}
                                      for n in range(count)])
    first = wait_for(runs[0], Status.RUNNING)
    while not first.message:  # its first attempt has written and says it is working
        first = wait_for(first, Status.RUNNING)
        progress_of([first])
    return runs


def site(code: str) -> Site:
    return Site.objects.create(code=code, name="Vilniaus muitinė", kind="datacentre", address="Adresas")


def rq_ended(job_ids: list[str], failed: tuple[str, ...] = ()) -> None:
    """On RQ: these jobs neither wait nor are recorded started; only the `failed` ones are kept
    (in RQ's failed registry). Redis is shared with other tests: only these jobs are looked at."""
    if settings.IRTIS_TASKS != "rq":
        return
    import django_rq

    queue = django_rq.get_queue("default")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:  # a worker ends its batch's jobs in Redis after their runs
        started = set(queue.started_job_registry.get_job_ids(cleanup=False))
        kept = {job_id for job_id in job_ids if queue.connection.exists(f"rq:job:{job_id}")}
        if not set(job_ids) & (set(queue.job_ids) | started) and kept == set(failed):
            break
        time.sleep(0.05)
    assert not set(job_ids) & (set(queue.job_ids) | started) and kept == set(failed)
    assert set(failed) <= set(queue.failed_job_registry.get_job_ids(cleanup=False))


def test_a_failing_run_in_a_batch_fails_alone_with_nothing_written(start_worker) -> None:
    warmed_up(start_worker)
    sites = [site(f"F{n}") for n in range(12)]
    runs = rename_pausing.start_many([{"site_id": s.pk, "name": f"Vieta {n}", "fail": n == 5}
                                      for n, s in enumerate(sites)])
    runs = [wait_for(run, Status.DONE, Status.FAILED) for run in runs]
    assert [(run.status, run.attempts) for run in runs] == [(Status.DONE, 1)] * 5 + [(Status.FAILED, 2)] + [
        (Status.DONE, 1)] * 6
    assert runs[5].error == "RuntimeError: attempt 2 failed"
    assert [s.name for s in Site.objects.filter(code__startswith="F").order_by("pk")] == [
        f"Vieta {n}" if n != 5 else "Vilniaus muitinė" for n in range(12)]
    rq_ended([run.result_id for run in runs], failed=(runs[5].result_id,))


def test_a_worker_killed_mid_batch_has_each_of_its_runs_retried_and_done_once(start_worker) -> None:
    worker = warmed_up(start_worker)
    runs = batch(6, pause=120)
    taken = [run.result_id for run in Run.objects.filter(pk__in=[run.pk for run in runs])]
    assert {run.status for run in Run.objects.filter(pk__in=[run.pk for run in runs])} == {Status.RUNNING}  # claimed
    stop(worker, signal.SIGKILL)
    worker.wait()
    start_worker()
    runs = [wait_for(run, Status.DONE, Status.FAILED) for run in runs]
    assert [(run.status, run.attempts, run.result) for run in runs] == [
        (Status.DONE, 2, f"Vieta {n}") for n in range(6)]
    # Each site written once: the killed attempt's write was rolled back, the others never began.
    sites = Site.objects.filter(code__startswith="B").order_by("pk")
    assert [(s.name, s.version) for s in sites] == [(f"Vieta {n}", 2) for n in range(6)]
    rq_ended([run.result_id for run in runs])
    if settings.IRTIS_TASKS == "rq":  # the jobs the killed worker had taken are left for RQ's own cleanup
        import django_rq

        assert set(taken) <= set(django_rq.get_queue("default").started_job_registry.get_job_ids(cleanup=False))


def test_a_stopped_worker_finishes_its_run_and_puts_the_rest_of_its_batch_back(start_worker) -> None:
    worker = warmed_up(start_worker)
    runs = batch(6, pause=5)
    stop(worker, signal.SIGTERM)
    worker.wait(30)
    runs = [Run.objects.get(pk=run.pk) for run in runs]
    assert [(run.status, run.attempts) for run in runs] == [(Status.DONE, 1)] + [(Status.QUEUED, 0)] * 5
    assert all(run.started_at is None for run in runs[1:])
    if settings.IRTIS_TASKS == "rq":
        import django_rq

        queue = django_rq.get_queue("default")
        assert queue.job_ids == [run.result_id for run in runs[1:]]
        assert not {run.result_id for run in runs} & set(queue.started_job_registry.get_job_ids(cleanup=False))
    start_worker()
    runs = [wait_for(run, Status.DONE, Status.FAILED) for run in runs]
    assert [(run.status, run.attempts) for run in runs] == [(Status.DONE, 1)] * 6
    rq_ended([run.result_id for run in runs])
