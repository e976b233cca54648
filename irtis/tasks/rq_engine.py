"""RQ's side of jobs: the job class and worker class `irtis worker` uses, and the jobs that
`engines.hand_over` pushes. Each trims a per-job cost that only the Tasks API's signals or RQ's
monitoring need, and that a job's own `Run` already records: RQ's worker made 18 Redis round
trips per trivial job, its own path here makes 7, and a batch (`RunWorker`) about 3 per batch
(docs/performance.md, "Background tasks")."""

import sys
import time
import uuid
from typing import Any

import django_rq
from django.db import transaction
from django_tasks_rq.backend import Job as TaskJob
from redis.client import Pipeline
from rq.defaults import RQ_KEY_PREFIX
from rq.exceptions import StopRequested
from rq.executions import Execution, ExecutionRegistry
from rq.job import Job as BaseJob
from rq.job import JobStatus
from rq.job_lifecycle import format_exc_info
from rq.queue import EnqueueData, Queue
from rq.results import Result
from rq.timeouts import JobTimeoutException
from rq.utils import now, utcformat
from rq.worker import SimpleWorker, WorkerStatus

from .models import Run
from .runs import attempt, claim, job_at, keep_alive, unclaim


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
            pipeline.delete(*finished_keys(self))
            return
        super().cleanup(ttl, pipeline, remove_from_queue)


def finished_keys(job: BaseJob) -> list[str]:
    """The Redis keys of a finished job kept for no time: the job, its dependents and
    dependencies, its result and its executions' registry."""
    return [job.key, job.dependents_key, job.dependencies_key, Result.get_key(job.id),
            ExecutionRegistry(job.id, job.connection).key]


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


# Take up to ARGV[1] jobs off the first of the queues (KEYS) that has any, and record them as RQ's
# worker does when it starts a job, in the same step: the job's status, worker and start, its
# execution (hash, the job's executions, the worker's), the queue's started registry, the worker
# busy. A worker killed with jobs taken leaves them where RQ's registry cleanup finds them; their
# runs, claimed next, are retried by `reap`. Returns the queue's index, then per job its id, its
# execution's id and its hash; nothing if the queues are empty. Jobs deleted meanwhile are skipped.
TAKE = """
local count, worker, worker_key, worker_executions = tonumber(ARGV[1]), ARGV[2], ARGV[3], ARGV[4]
local stamp, clock, started, busy = ARGV[5], tonumber(ARGV[6]), ARGV[7], ARGV[8]
local job_prefix, execution_prefix, executions_prefix = ARGV[9], ARGV[10], ARGV[11]
local first = 12 + 2 * #KEYS
for q = 1, #KEYS do
  local ids = redis.call('LPOP', KEYS[q], count)
  if ids then
    local registry, ttl = ARGV[10 + 2 * q], tonumber(ARGV[11 + 2 * q])
    local taken = {q}
    for i, id in ipairs(ids) do
      local job_key = job_prefix .. id
      if redis.call('EXISTS', job_key) == 1 then
        local execution = ARGV[first + i - 1]
        local composite = id .. ':' .. execution
        redis.call('HSET', job_key, 'status', started, 'worker_name', worker, 'started_at', stamp,
                   'last_heartbeat', stamp)
        redis.call('PERSIST', job_key)
        redis.call('HSET', execution_prefix .. composite, 'id', execution, 'job_id', id, 'created_at', ARGV[6],
                   'last_heartbeat', ARGV[6], 'worker_name', worker)
        redis.call('EXPIRE', execution_prefix .. composite, ttl)
        redis.call('ZADD', executions_prefix .. id, clock + ttl + 60, execution)
        redis.call('EXPIRE', executions_prefix .. id, ttl + 60)
        redis.call('ZADD', registry, math.floor(clock) + ttl, composite)
        redis.call('SADD', worker_executions, composite)
        redis.call('EXPIRE', worker_executions, ttl + 60)
        table.insert(taken, id)
        table.insert(taken, execution)
        table.insert(taken, redis.call('HGETALL', job_key))
      end
    end
    redis.call('HSET', worker_key, 'state', busy)
    return taken
  end
end
return nil
"""


class RunWorker(SimpleWorker):
    """RQ's in-process worker, taking jobs in batches while its queues have several waiting: one
    Redis script takes a batch and records it started (`TAKE`), one SQL statement claims the
    batch's runs, each run is attempted in its own transaction, and one pipeline ends the batch's
    finished jobs. A batch holds as many jobs as took about BATCH_SECONDS lately (one, while they
    are slow); its runs waiting their turn are marked alive. Stopped half way, the worker puts
    the runs and jobs not begun back. A job that fails, or one of a plain task, goes RQ's own
    way (failed registry, the Tasks API's signals); one taken while the queues were empty too.

    It marks itself alive and looks for `rq suspend` at most once a second rather than for each
    job (its time to live is minutes), writes its state only when it changes, and does not mark a
    job alive once it has ended (it is deleted next)."""

    HEARTBEAT_EVERY = 1.0
    BATCH_SECONDS = 0.2
    BATCH_MAX = 50
    _state_written: str | None = None
    _suspension_seen: float = 0.0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._take = self.connection.register_script(TAKE)
        self._taken: list[tuple[BaseJob, Queue, Execution]] = []  # in order, not begun
        self._runs: dict[str, Run] = {}  # the taken jobs' claimed runs, by job id
        self._ended: list[tuple[BaseJob, Queue, Execution]] = []  # done, still recorded started
        self._took = 1.0  # seconds a job took lately (a moving average)
        self._batch_began, self._batch_size = 0.0, 0

    def dequeue_job_and_maintain_ttl(self, timeout: int | None,
                                     max_idle_time: int | None = None) -> tuple[BaseJob, Queue] | None:
        size = max(1, min(self.BATCH_MAX, int(self.BATCH_SECONDS / self._took)))
        if not self._taken:
            self.end_batch()
            self.take_batch(size)
        if self._taken:
            job, queue, _execution = self._taken[0]
            return job, queue
        # The queues are empty: RQ waits for a job, which goes RQ's own way; those that came with it, a batch.
        result = super().dequeue_job_and_maintain_ttl(timeout, max_idle_time)
        if result is not None and size > 1:
            self.take_batch(size - 1)
        return result

    def take_batch(self, size: int) -> None:
        """Take up to `size` jobs off the first queue that has any, and claim their runs."""
        queues = self._ordered_queues
        clock = now()
        executions = [uuid.uuid4().hex for _ in range(size)]
        self._state = WorkerStatus.BUSY  # a stop asked for from here on waits for the batch's end
        taken = self._take(keys=[queue.key for queue in queues], args=[
            size, self.name, self.key, self.executions_key, utcformat(clock), clock.timestamp(), JobStatus.STARTED,
            WorkerStatus.BUSY, BaseJob.redis_job_namespace_prefix, f"{RQ_KEY_PREFIX}:execution:",
            ExecutionRegistry.key_template.format(""),
            *(value for queue in queues for value in (queue.started_job_registry.key,
                                                        self._ttl(queue))),
            *executions])
        if not taken:
            self._state = WorkerStatus.IDLE
            if self._stop_requested:  # asked for meanwhile: stop rather than wait for jobs
                raise StopRequested
            return
        self._state_written = WorkerStatus.BUSY
        queue = queues[int(taken[0]) - 1]
        for index in range(1, len(taken), 3):
            job_id, execution_id = taken[index].decode(), taken[index + 1].decode()
            job = self.job_class(job_id, connection=self.connection, serializer=self.serializer)
            job.restore(dict(zip(taken[index + 2][::2], taken[index + 2][1::2], strict=True)))
            execution = Execution(execution_id, job_id, self.connection, worker_name=self.name)
            execution.created_at = execution.last_heartbeat = clock
            self._taken.append((job, queue, execution))
        self._batch_began, self._batch_size = time.monotonic(), len(self._taken)
        run_ids = {job.id: str(job.args[0]) for job, _queue, _execution in self._taken if job_at(job.func_name or "")}
        with transaction.atomic():
            runs = claim(list(run_ids.values()))
        self._runs = {job_id: runs[run_id] for job_id, run_id in run_ids.items() if run_id in runs}
        keep_alive(list(self._runs.values()))

    @staticmethod
    def _ttl(queue: Queue) -> int:
        """How long a job of the queue stays recorded started: RQ's in-process worker's (its timeout and a minute)."""
        return int(queue._default_timeout) + 60

    def execute_job(self, job: BaseJob, queue: Queue) -> None:
        if not self._taken or self._taken[0][0] is not job:  # taken alone, from empty queues: RQ's own way
            super().execute_job(job, queue)
            return
        _job, _queue, execution = self._taken.pop(0)
        run = self._runs.pop(job.id, None)
        if not job_at(job.func_name or ""):
            self.perform_job(job, queue, execution)
            return
        try:
            with self.death_penalty_class(job.timeout or self.queue_class.DEFAULT_TIMEOUT, JobTimeoutException,
                                          job_id=job.id):
                if run is not None:  # else a duplicate, or a run no longer queued: nothing to do
                    attempt(run)
        except Exception:  # the run is retried or failed by attempt(); the job fails RQ's way
            job.ended_at = now()
            exc_info = sys.exc_info()
            self.handle_exception(job, *exc_info)
            self.handle_job_failure(job, queue, exc_string=format_exc_info(exc_info), execution=execution)
            return
        job.ended_at = now()
        self._ended.append((job, queue, execution))

    def end_batch(self) -> None:
        """The batch's finished jobs deleted, with their executions, in one pipeline; the worker idle."""
        if self._batch_size:
            self._took = 0.5 * self._took + 0.5 * (time.monotonic() - self._batch_began) / self._batch_size
            self._batch_size = 0
        if not self._ended:
            return
        keys: list[str] = []
        started: dict[str, list[str]] = {}
        composites: list[str] = []
        for job, queue, execution in self._ended:
            keys += [*finished_keys(job), execution.key]
            started.setdefault(queue.started_job_registry.key, []).append(execution.composite_key)
            composites.append(execution.composite_key)
        with self.connection.pipeline() as pipeline:
            pipeline.delete(*keys)
            for registry, members in started.items():
                pipeline.zrem(registry, *members)
            pipeline.srem(self.executions_key, *composites)
            pipeline.hincrby(self.key, "successful_job_count", len(self._ended))
            pipeline.hincrbyfloat(self.key, "total_working_time", sum(
                (job.ended_at - job.started_at).total_seconds() for job, _queue, _execution in self._ended
                if job.ended_at and job.started_at))
            self.set_state(WorkerStatus.IDLE, pipeline=pipeline)
            pipeline.execute()
        self._ended = []

    def put_back(self) -> None:
        """The jobs taken but not begun back at the head of their queue, their runs queued again."""
        if not self._taken:
            return
        unclaim([run for job, _queue, _execution in self._taken if (run := self._runs.pop(job.id, None))])
        with self.connection.pipeline() as pipeline:
            for job, queue, execution in reversed(self._taken):
                execution.delete(job, pipeline)
                job.set_status(JobStatus.QUEUED, pipeline=pipeline)
                pipeline.lpush(queue.key, job.id)
            pipeline.execute()
        self._taken = []

    def teardown(self) -> None:
        try:
            self.put_back()
            self.end_batch()
        finally:
            super().teardown()

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
        if state == WorkerStatus.IDLE and self._taken:  # idle once the batch is over: a stop waits for it
            return
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
