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
from .runs import attempt, claim, job_at, reap, submit_due

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
    """django-tasks-db's worker, with a job's run claimed in the engine's claim transaction and
    marked done in the job's own: two commits a run (claim, work) instead of four. Plain tasks
    run as django-tasks-db runs them."""

    def run(self) -> None:
        while self.running:
            close_old_connections()  # a dropped connection is replaced; a live one is kept
            try:
                claimed = self.claim()
            except OperationalError as error:  # SQLite's lock held past its timeout: look again
                if not is_locked_database_exception(error):
                    raise
                continue
            if claimed is not None:
                self.work(*claimed)
            elif self.batch:
                return
            elif self.running:
                time.sleep(self.interval)

    def claim(self) -> tuple[DBTaskResult, Run | None] | None:
        """The next ready entry of our queues, taken; with its job's run, taken in the same transaction."""
        ready = DBTaskResult.objects.ready().filter(backend_name=self.backend_name, queue_name__in=self.queue_names)
        with exclusive_transaction(ready.db):
            entry = ready.get_locked()
            if entry is None:
                return None
            entry.claim(self.worker_id)
            run = claim(entry.args_kwargs["args"][0]) if job_at(entry.task_path) else None
        return entry, run

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


def finished(entry: DBTaskResult, value: Any) -> None:
    """The engine's entry done, inside the job's transaction."""
    entry.status, entry.finished_at, entry.return_value = TaskResultStatus.SUCCESSFUL, timezone.now(), value
    DBTaskResult.objects.filter(pk=entry.pk).update(status=entry.status, finished_at=entry.finished_at,
                                                     return_value=value, exception_class_path="", traceback="")
