"""`irtis worker`'s parts: the embedded engine's worker loop, and what every worker does beside
working off its queues (start the schedules that are due, hand the engine the retries whose
backoff is over, retry the runs whose worker was lost). Several workers may do it at once: each
schedule and each run is taken by one of them."""

import logging
import threading
import time
from typing import Any

from django.conf import settings
from django.db import OperationalError, close_old_connections, transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from irtis.audit.context import changes_by
from irtis.audit.models import Source

from .models import JOBS, Run, Schedule, next_time
from .runs import attempt, claim, job_at, keep_alive, reap, submit_due, unclaim
from .sql import update_row

logger = logging.getLogger(__name__)


def start_due_schedules() -> int:
    """Start a run of every enabled schedule whose time has come; how many were started."""
    now = timezone.now()
    with transaction.atomic(), changes_by(source=Source.JOB):
        due = list(Schedule.objects.select_for_update(skip_locked=True).filter(enabled=True, next_run__lte=now))
        for schedule in due:
            if (job := JOBS.get(schedule.task)) and job.schedulable:
                job.start(queue=schedule.queue)
            else:
                logger.error("Schedule %s names no schedulable task %s", schedule, schedule.task)
            schedule.next_run = next_time(schedule.cron, now)
            schedule.save()
    return len(due)


class Beat(threading.Thread):
    """Every heartbeat (IRTIS_TASK_HEARTBEAT): due schedules, retries due, then lost runs."""

    def __init__(self) -> None:
        super().__init__(name="irtis-beat", daemon=True)
        self.interval = settings.IRTIS_TASK_HEARTBEAT
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(self.interval):
            try:
                close_old_connections()
                start_due_schedules()
                submit_due()
                reap()
            except Exception:  # a locked SQLite or a lost connection: next round
                logger.exception("Schedules or lost runs could not be handled")


class DatabaseWorker(Worker):
    """django-tasks-db's worker, with jobs' runs claimed in the engine's claim transaction and each
    marked done in the job's own: a run costs one commit, plus a share of its batch's claim.

    A batch holds as many runs as took about BATCH_SECONDS lately (one, while they are slow): the
    runs waiting in it are marked alive, and their durations count from their own start."""

    BATCH_SECONDS = 0.2
    BATCH_MAX = 50

    def run(self) -> None:
        took = 1.0  # seconds a task took lately (a moving average)
        while self.running:
            close_old_connections()  # a dropped connection is replaced; a live one is kept
            try:
                batch = self.claim(max(1, min(self.BATCH_MAX, int(self.BATCH_SECONDS / took))))
            except OperationalError as error:  # SQLite's lock held past its timeout: look again
                if not is_locked_database_exception(error):
                    raise
                continue
            if not batch:
                if self.batch:
                    return
                time.sleep(self.interval)
                continue
            began, size = time.monotonic(), len(batch)
            try:
                while batch and self.running:
                    self.work(*batch.pop(0))
            finally:  # stopped half way: the runs not begun go back to the queue
                release(batch)
            took = 0.5 * took + 0.5 * (time.monotonic() - began) / size

    def claim(self, size: int) -> list[tuple[DBTaskResult, Run | None]]:
        """Up to `size` ready entries of our queues, taken; with their jobs' runs, taken in the same transaction."""
        ready = DBTaskResult.objects.ready().filter(backend_name=self.backend_name, queue_name__in=self.queue_names)
        if not ready.exists():  # a plain read first: an idle worker does not take SQLite's write lock
            return []
        with exclusive_transaction(ready.db):
            entries = list(ready.select_for_update(skip_locked=True)[:size])
            if not entries:
                return []
            now = timezone.now()
            DBTaskResult.objects.filter(pk__in=[entry.pk for entry in entries]).update(
                status=TaskResultStatus.RUNNING, started_at=now, worker_ids=[self.worker_id])
            for entry in entries:
                entry.status, entry.started_at, entry.worker_ids = TaskResultStatus.RUNNING, now, [self.worker_id]
            runs = claim([entry.args_kwargs["args"][0] for entry in entries if job_at(entry.task_path)])
        keep_alive(list(runs.values()))
        return [(entry, runs.get(str(next(iter(entry.args_kwargs["args"]), "")))) for entry in entries]

    def work(self, entry: DBTaskResult, run: Run | None) -> None:
        if not job_at(entry.task_path):
            self.run_task(entry)
            return
        self.running_task = True
        try:
            if run is not None:
                attempt(run, finish=lambda value: finished(entry, value))
            if entry.status == TaskResultStatus.RUNNING:  # a duplicate, or an attempt declared lost meanwhile
                entry.set_successful(None)
        except BaseException as exc:  # the run itself is retried or failed by attempt()
            entry.set_failed(exc)
        finally:
            self.running_task = False
            self._run_tasks += 1


def release(batch: list[tuple[DBTaskResult, Run | None]]) -> None:
    """Put claimed entries and their runs back, as they were before the claim."""
    if not batch:
        return
    with transaction.atomic():
        DBTaskResult.objects.filter(pk__in=[entry.pk for entry, _run in batch]).update(
            status=TaskResultStatus.READY, started_at=None, worker_ids=[])
        unclaim([run for _entry, run in batch if run])


def finished(entry: DBTaskResult, value: Any) -> None:
    """The engine's entry done, inside the job's transaction."""
    entry.status, entry.finished_at, entry.return_value = TaskResultStatus.SUCCESSFUL, timezone.now(), value
    update_row(DBTaskResult, {"id": entry.pk}, status=entry.status, finished_at=entry.finished_at, return_value=value)
