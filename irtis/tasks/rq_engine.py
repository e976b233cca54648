"""RQ's side of jobs: the job class and worker class `irtis worker` uses, and the jobs that
`engines.hand_over` pushes. Each trims a per-job cost that only the Tasks API's signals or RQ's
monitoring need, and that a job's own `Run` already records."""

from typing import Any

import django_rq
from django_tasks_rq.backend import Job as TaskJob
from rq.job import Job as BaseJob
from rq.queue import EnqueueData, Queue
from rq.utils import now
from rq.worker import SimpleWorker

from .models import Run
from .runs import job_at


class RunJob(TaskJob):
    """django-tasks-rq's job; for a job's run, without the `task_started` signal, whose task result
    (built from two Redis reads) only plain tasks' runs use."""

    def perform(self) -> Any:
        if self.func_name and job_at(self.func_name) is not None:
            return BaseJob.perform(self)
        return super().perform()


_queues: dict[str, Queue] = {}


def queue_named(name: str) -> Queue:
    """This process's RQ queue of that name, kept: django-rq's `get_queue()` makes a new Redis
    client each time (a connection and its handshake, then RQ asks the server's version), which
    cost more than the jobs pushed."""
    if name not in _queues:
        _queues[name] = django_rq.get_queue(name, job_class=RunJob)
    return _queues[name]


def job_data(run: Run) -> EnqueueData:
    """The RQ job of a saved run, as django-tasks-rq writes it (function path, the run's id as the
    argument, `backend_name`), without its callbacks (they only feed the Tasks API's signals).
    RQ keeps no result once it is done: the run keeps it."""
    job = job_at(run.task)
    return Queue.prepare_data(run.task, args=[str(run.pk)], job_id=run.result_id, result_ttl=0,
                              meta={"backend_name": job.backend if job else "default"})


class RunWorker(SimpleWorker):
    """RQ's in-process worker, marking itself alive at most once a second rather than three
    times per job (three Redis calls each): its time to live is minutes."""

    HEARTBEAT_EVERY = 1.0

    def heartbeat(self, timeout: int | None = None, pipeline: Any = None) -> None:
        if (timeout is None and pipeline is None and self.last_heartbeat is not None
                and (now() - self.last_heartbeat).total_seconds() < self.HEARTBEAT_EVERY):
            return
        super().heartbeat(timeout, pipeline)
