"""RQ's side of jobs: the job class and worker class `irtis worker` uses, and the jobs that
`engines.hand_over` pushes. Each trims a per-job cost that only the Tasks API's signals or RQ's
monitoring need, and that a job's own `Run` already records: RQ's worker made 18 Redis round
trips per trivial job, these make 7 (docs/performance.md, "Background tasks")."""

import time
from typing import Any

import django_rq
from django_tasks_rq.backend import Job as TaskJob
from redis.client import Pipeline
from rq.executions import ExecutionRegistry
from rq.job import Job as BaseJob
from rq.queue import EnqueueData, Queue
from rq.results import Result
from rq.utils import now
from rq.worker import SimpleWorker, WorkerStatus

from .models import Run
from .runs import job_at


class RunJob(TaskJob):
    """django-tasks-rq's job; for a job's run, without the `task_started` signal, whose task result
    (built from two Redis reads) only plain tasks' runs use."""

    def perform(self) -> Any:
        if self.func_name and job_at(self.func_name) is not None:
            return BaseJob.perform(self)
        return super().perform()

    def cleanup(self, ttl: int | None = None, pipeline: Pipeline | None = None, remove_from_queue: bool = True) -> None:
        """A finished job kept for no time (`result_ttl=0`: ours), deleted in the worker's pipeline
        without RQ's reads of its status and executions (8 round trips): its one execution is the
        worker's, which `cleanup_execution` removes in the same pipeline."""
        if ttl == 0 and pipeline is not None and not remove_from_queue and not self.group_id \
                and not self.has_rate_limit:
            pipeline.delete(self.key, self.dependents_key, self.dependencies_key, Result.get_key(self.id),
                            ExecutionRegistry(self.id, self.connection).key)
            return
        super().cleanup(ttl, pipeline, remove_from_queue)


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
    """RQ's in-process worker, marking itself alive and looking for `rq suspend` at most once a
    second rather than for each job (its time to live is minutes), writing its state only when
    it changes, and not marking a job alive once it has ended (it is deleted next)."""

    HEARTBEAT_EVERY = 1.0
    _state_written: str | None = None
    _suspension_seen: float = 0.0

    def heartbeat(self, timeout: int | None = None, pipeline: Any = None) -> None:
        if (timeout is None and pipeline is None and self.last_heartbeat is not None
                and (now() - self.last_heartbeat).total_seconds() < self.HEARTBEAT_EVERY):
            return
        super().heartbeat(timeout, pipeline)

    def check_for_suspension(self, burst: bool) -> None:
        if time.monotonic() - self._suspension_seen >= self.HEARTBEAT_EVERY:
            super().check_for_suspension(burst)
            self._suspension_seen = time.monotonic()

    def set_state(self, state: str, pipeline: Any = None) -> None:
        if pipeline is None and state == self._state_written:
            return
        super().set_state(state, pipeline)
        self._state_written = state

    def cleanup_execution(self, job: BaseJob, pipeline: Pipeline, execution: Any = None) -> None:
        """Idle again, said in the pipeline that ends the job rather than in a call of its own."""
        super().cleanup_execution(job, pipeline, execution)
        self.set_state(WorkerStatus.IDLE, pipeline=pipeline)

    def handle_execution_ended(self, job: BaseJob, queue: Queue, heartbeat_ttl: int) -> None:
        job.ended_at = now()
