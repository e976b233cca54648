"""How saved runs reach the engine: many at a time, and with the engine's id chosen before the run
is written, so that a start costs one INSERT of the run (plus, on the embedded engine, one of its
queue entry) in one commit, and a thousand starts one commit and one Redis pipeline.

The entries are the ones the Tasks API's backends write (django-tasks-db's row; on RQ,
django-tasks-rq's job: the same function path, arguments and `backend_name`), so that the
engines' own tools and `Task.get_result()` read them. Jobs' entries skip what only the Tasks
API's signals need (jobs keep their own runs): on RQ, the success and failure callbacks.
"""

import logging
import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Run, Status

if TYPE_CHECKING:
    from .runs import Job

logger = logging.getLogger(__name__)


def new_id() -> str:
    """An id for the engine's entry of a run (a UUID: django-tasks-db's key; any string for RQ)."""
    return str(uuid.uuid4())


def check_queue(task: "Job", queue: str) -> None:
    """Refuse a queue the engine does not serve (InvalidTaskError), before anything is written."""
    bound = task.using(queue_name=queue)
    bound.get_backend().validate_task(bound)


def hand_over(runs: Sequence[Run]) -> None:
    """Queue the engine's entries of these saved runs (their `result_id`s set, their task a job),
    inside the caller's transaction: on the embedded engine the entries commit with it; on RQ
    they are pushed once it has committed (a worker must find the runs), in one pipeline. Any
    other Tasks-API backend (the tests' immediate one) is handed each run at once."""
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_rq.backend import RQBackend

    from .runs import job_at

    embedded: list[Run] = []
    pushed: list[Run] = []
    others: list[Run] = []
    for run in runs:
        backend = job.get_backend() if (job := job_at(run.task)) else None
        (embedded if isinstance(backend, DatabaseBackend) else pushed if isinstance(backend, RQBackend)
         else others).append(run)
    if embedded:
        _insert_entries(embedded)
    if pushed:
        transaction.on_commit(lambda: _push(pushed))
    _enqueue(others)


def _insert_entries(runs: Sequence[Run]) -> None:
    from django_tasks_db.compat import normalize_json
    from django_tasks_db.models import DBTaskResult, get_date_max

    from .runs import job_at

    DBTaskResult.objects.bulk_create([
        DBTaskResult(id=run.result_id, args_kwargs=normalize_json({"args": [str(run.pk)], "kwargs": {}}),
                     priority=job.priority, task_path=run.task, queue_name=run.queue, backend_name=job.backend,
                     run_after=get_date_max())  # bulk_create skips the engine's pre_save that sets it
        for run in runs if (job := job_at(run.task))])


def _push(runs: Sequence[Run]) -> None:
    """RQ: all the runs' jobs in one pipeline per queue; runs that Redis refused fail, saying why."""
    from .rq_engine import job_data, queue_named

    by_queue: dict[str, list[Run]] = {}
    for run in runs:
        by_queue.setdefault(run.queue, []).append(run)
    for name, queued in by_queue.items():
        try:
            queue = queue_named(name)
            with queue.connection.pipeline() as pipeline:
                queue.enqueue_many([job_data(run) for run in queued], pipeline=pipeline)
                pipeline.execute()
        except Exception as exc:  # Redis unreachable: say so on the runs rather than lose them silently
            logger.exception("%d runs could not be queued on %s", len(queued), name)
            _failed(queued, exc)


def _enqueue(runs: Sequence[Run]) -> None:
    """Through the Tasks API, one run at a time, keeping the backend's own id."""
    from .runs import job_at

    for run in runs:
        task = job_at(run.task).using(queue_name=run.queue)  # type: ignore[union-attr]
        try:
            run.result_id = task.enqueue(str(run.pk)).id
        except Exception as exc:  # the backend refuses or is unreachable: say so on the run
            logger.exception("Run %s could not be queued", run.pk)
            _failed([run], exc)
            continue
        Run.objects.filter(pk=run.pk).update(result_id=run.result_id)


def _failed(runs: Sequence[Run], exc: Exception) -> None:
    error = _("Could not be queued: %s") % exc
    Run.objects.filter(pk__in=[run.pk for run in runs], status=Status.QUEUED).update(
        status=Status.FAILED, finished_at=timezone.now(), error=error)
    for run in runs:
        run.status, run.error = Status.FAILED, error
