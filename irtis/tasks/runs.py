"""Jobs: Django tasks whose starts are `Run` rows, run in one transaction as the user who started them.

    @job(label=_("Read a device's agent"), key="device_id")
    def scan(run: Run, device_id: int) -> dict:
        run.report(done, total)           # progress, seen by the runs page while the run works
        ...

    scan.start(device_id=device.pk)       # → Run; the active Run if one already works on that device

A job's writes commit together with its "done", or not at all: a failed attempt or a worker killed
half way leaves nothing behind, and the attempt is retried after 10 s, 20 s, 40 s… up to
`max_attempts`. `Refused` (e.g. `ObjectGone`: the object was deleted before the run) fails at
once, with its message, and is not retried.
"""

import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import wraps
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.core.cache import caches
from django.db import connections, router, transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django_tasks.base import Task

from irtis.audit.context import changes_by, current
from irtis.audit.models import Source

from .models import ACTIVE, JOBS, Run, Status
from .sql import commit_lazily, update_row

if TYPE_CHECKING:
    from irtis.identity.models import User

logger = logging.getLogger(__name__)



class Refused(Exception):
    """The run cannot succeed (bad input, an unreachable device): it fails at once with this message."""


class ObjectGone(Refused):
    """The object a run works on no longer exists."""


class Superseded(Exception):
    """This attempt was declared lost and retried elsewhere: its writes are rolled back."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Job(Task):
    """A task run through `Run` rows. `func` takes the run id; `body` does the work."""

    body: Callable[..., Any]
    label: str | Promise  # its name on the runs page, in the API and in schedules
    schedulable: bool = False  # takes no arguments: schedules may start it
    key: str = ""  # the keyword argument naming the object: one active run per object
    secrets: tuple[str, ...] = ()  # keyword arguments erased from the run once it is over
    max_attempts: int = 3
    backoff: float = 10.0  # seconds before the second attempt, doubled for each further one

    def start(self, *, queue: str = "default", user: object = None, run_after: datetime | None = None,
              **kwargs: Any) -> Run:
        """Queue a run; the run already queued or running for the same object if there is one.

        `user` defaults to the user of the current change context (the request's user);
        `run_after`: not before then (handed to the engine by the workers, like a retry)."""
        return self.start_many([kwargs], queue=queue, user=user, run_after=run_after)[0]

    def start_many(self, arguments: Iterable[dict[str, Any]], *, queue: str = "default", user: object = None,
                   run_after: datetime | None = None) -> list[Run]:
        """Queue one run per dict of keyword arguments, all in one commit (and, on RQ, one Redis
        pipeline): the way to start many small runs. As `start()`, an object that has a run
        queued or running (or twice in `arguments`) gets that run; the runs come back in the
        order of `arguments`. An unknown queue raises InvalidTaskError, and nothing is started."""
        from .engines import check_queue, hand_over, new_id

        check_queue(self, queue)
        if user is None:
            user = current().user
        started_by = cast("User", user) if getattr(user, "is_authenticated", False) else None
        now = timezone.now()
        runs = [Run(task=self.module_path, queue=queue, key=str(kwargs[self.key]) if self.key else "",
                    started_by=started_by, arguments=kwargs, run_after=run_after, enqueued_at=now,
                    result_id="" if run_after else new_id())
                for kwargs in arguments]
        with transaction.atomic():
            # One active run per object: rows the partial unique index refuses are skipped,
            # and the run that holds the object is returned in their place.
            Run.objects.bulk_create(runs, ignore_conflicts=bool(self.key))
            saved = set(Run.objects.filter(pk__in=[run.pk for run in runs]).values_list("pk", flat=True)) \
                if self.key else {run.pk for run in runs}
            if run_after is None:
                hand_over([run for run in runs if run.pk in saved])
        if len(saved) == len(runs):
            return runs
        active = {run.key: run for run in Run.objects.filter(
            task=self.module_path, key__in=[run.key for run in runs if run.pk not in saved], status__in=ACTIVE)}
        # A run that ended between the insert and that read: start again, now that the object is free.
        return [run if run.pk in saved else active.get(run.key) or self.start(queue=queue, user=user,
                                                                              run_after=run_after, **run.arguments)
                for run in runs]

    def public(self, arguments: dict[str, Any]) -> dict[str, Any]:
        """The arguments without the secrets, kept once the run is over."""
        return {name: value for name, value in arguments.items() if name not in self.secrets}


def job(*, label: str | Promise, schedulable: bool = False, key: str = "", secrets: tuple[str, ...] = (),
        max_attempts: int = 3, backoff: float = 10.0) -> Callable:
    """Make `func(run, **kwargs)` a job (see the module's docstring) named `label`; `schedulable`:
    a job without arguments that schedules may start."""

    def wrap(func: Callable[..., Any]) -> Job:
        @wraps(func)
        def attempt(run_id: str) -> Any:
            return execute(run_id)

        result = Job(func=attempt, body=func, label=label, schedulable=schedulable, key=key, secrets=secrets,
                     max_attempts=max_attempts, backoff=backoff)
        JOBS[result.module_path] = result
        return result

    return wrap


def submit_due() -> int:
    """Hand the engine the retries whose backoff is over; how many. Kept here rather than in an
    engine's own scheduler, so that a retry waits the same way on every engine."""
    from .engines import hand_over, new_id

    count = 0
    for run in Run.objects.filter(status=Status.QUEUED, run_after__lte=timezone.now()):
        with transaction.atomic():  # on the database engine, the queue's entry commits with the hand-over
            run.result_id = new_id()
            if not Run.objects.filter(pk=run.pk, status=Status.QUEUED, run_after=run.run_after).update(
                    run_after=None, result_id=run.result_id):
                continue  # another worker took it
            hand_over([run])
        count += 1
    return count


def claim(run_ids: list[str]) -> dict[str, Run]:
    """Mark the queued ones of these runs running (one more attempt each) and load them, by id; a
    run that is not queued (a duplicate) is left out. Inside the caller's transaction, which
    commits lazily (`commit_lazily`: a claim lost in a crash of PostgreSQL leaves the run queued).

    One `UPDATE … RETURNING` in plain SQL (the ORM's SELECT FOR UPDATE, then UPDATE, cost more
    than a trivial job); the row lock it takes makes a duplicate wait, then find the run taken."""
    if not run_ids:
        return {}
    connection = connections[router.db_for_write(Run)]
    commit_lazily(connection)
    quote, opts = connection.ops.quote_name, Run._meta
    ids = [opts.pk.get_db_prep_value(run_id, connection) for run_id in run_ids]
    now = timezone.now()
    sql = (f"UPDATE {quote(opts.db_table)} SET status = %s, started_at = %s, attempts = attempts + 1, progress = 0, "
           f"message = '' WHERE id IN ({', '.join(['%s'] * len(ids))}) AND status = %s "
           f"RETURNING {', '.join(quote(field.column) for field in opts.concrete_fields)}")
    runs = list(Run.objects.raw(sql, [Status.RUNNING, opts.get_field("started_at").get_db_prep_save(now, connection),
                                      *ids, Status.QUEUED]))
    if users := {run.started_by_id for run in runs if run.started_by_id}:
        from django.contrib.auth import get_user_model

        by_id = get_user_model()._default_manager.in_bulk(users)
        for run in runs:
            if run.started_by_id in by_id:
                run.started_by = by_id[run.started_by_id]
    return {str(run.pk): run for run in runs}


def unclaim(runs: list[Run]) -> None:
    """Put claimed runs whose attempts have not begun back to queued, as they were before the
    claim, and no longer mark them alive (a worker stopping with a batch taken)."""
    stop_marking(runs)
    Run.objects.filter(pk__in=[run.pk for run in runs], status=Status.RUNNING).update(
        status=Status.QUEUED, started_at=None, attempts=F("attempts") - 1)


def attempt(run: Run, finish: Callable[[Any], None] | None = None) -> Any:
    """One attempt of a claimed run. The job's writes, the run's "done" and `finish(result)` (the
    engine's own record of the task, where it keeps one in this database) commit together, and
    durably: unlike the claim, this commit may append to the audit trail, whose signed head is
    written outside the database after it (`irtis.audit.head`); a commit PostgreSQL could still
    undo would leave the head ahead of the trail. Its flush also makes the lazy claim durable."""
    task: Job = import_string(run.task)
    progress = Progress(run)
    run.report = progress.report  # type: ignore[attr-defined]
    run.started_at = timezone.now()  # a run claimed in a batch waited for those before it
    try:
        with progress, changes_by(user=run.started_by, source=Source.JOB), transaction.atomic():
            value = task.body(run, **run.arguments)
            done = update_row(Run, {"id": run.pk, "status": Status.RUNNING, "attempts": run.attempts},
                              status=Status.DONE, started_at=run.started_at, finished_at=timezone.now(), progress=100,
                              result=value, error="", message=progress.message, arguments=task.public(run.arguments))
            if not done:
                raise Superseded(run.pk)
            if finish is not None:
                finish(value)
    except Superseded:
        return None
    except Exception as exc:
        retry_or_fail(run, exc)
        raise
    return value


def execute(run_id: str) -> Any:
    """A job's task as an engine calls it (RQ): claim the run, then attempt it."""
    with transaction.atomic():
        run = claim([run_id]).get(run_id)
    return None if run is None else attempt(run)


def retry_or_fail(run: Run, error: BaseException | str) -> None:
    """After a failed or lost attempt: queue the next one after a backoff, or fail the run."""
    task: Job = import_string(run.task)
    permanent = isinstance(error, Refused)
    text = str(error) if permanent or isinstance(error, str) else f"{type(error).__name__}: {error}"
    with transaction.atomic():
        changed = Run.objects.filter(pk=run.pk, status=Status.RUNNING, attempts=run.attempts)
        if permanent or run.attempts >= task.max_attempts:
            changed.update(status=Status.FAILED, finished_at=timezone.now(), error=text,
                           arguments=task.public(run.arguments))
            return
        delay = timedelta(seconds=task.backoff * 2 ** (run.attempts - 1))
        changed.update(status=Status.QUEUED, error=text, result_id="", run_after=timezone.now() + delay)


def lost_after() -> float:
    return 5 * settings.IRTIS_TASK_HEARTBEAT


def reap() -> int:
    """Retry the runs whose worker stopped marking them alive (killed mid-task); how many."""
    cutoff = timezone.now() - timedelta(seconds=lost_after())
    running = [run for run in Run.objects.filter(status=Status.RUNNING, started_at__lt=cutoff) if job_at(run.task)]
    if not running:
        return 0
    alive = caches["tasks"].get_many([_mark(run.pk) for run in running])
    lost = [run for run in running if _mark(run.pk) not in alive]
    for run in lost:
        logger.warning("Run %s lost its worker; retrying", run.pk)
        retry_or_fail(run, _("The worker stopped during the run."))
        if settings.IRTIS_TASKS == "database":
            from django_tasks_db.models import DBTaskResult

            DBTaskResult.objects.filter(id=run.result_id, status="RUNNING").update(
                status="FAILED", finished_at=timezone.now())
    return len(lost)


def job_at(path: str) -> Job | None:
    """The job at `path` (importing its module if this process has not yet); None for a plain task."""
    if path not in JOBS:
        try:
            import_string(path)
        except ImportError:
            return None
    return JOBS.get(path)


def get_or_gone(queryset: QuerySet, **lookup: Any) -> Any:
    """The object, or ObjectGone naming what was deleted before the run reached it."""
    obj = queryset.filter(**lookup).first()
    if obj is None:
        raise ObjectGone(_("%(what)s no longer exists: it was deleted before the run reached it.")
                         % {"what": str(queryset.model._meta.verbose_name).capitalize()})
    return obj


def _mark(run_id: object) -> str:
    return f"irtis-run-{run_id}"


def progress_of(runs: list[Run]) -> None:
    """Fill in the live progress of running runs (kept outside the database while they work)."""
    marks = caches["tasks"].get_many([_mark(run.pk) for run in runs if run.status == Status.RUNNING])
    for run in runs:
        if mark := marks.get(_mark(run.pk)):
            run.progress, run.message = mark["progress"], mark["message"]


class Progress:
    """Marks a working run alive every HEARTBEAT seconds, with its latest progress."""

    def __init__(self, run: Run) -> None:
        self.key = _mark(run.pk)
        self.percent = 0
        self.message = ""
        self._written = 0.0

    def report(self, done: int, total: int, message: str = "") -> None:
        """`done` of `total` steps are done; shown on the runs page (at most twice a second)."""
        self.percent = min(100, int(100 * done / total)) if total else 0
        self.message = message[:500]
        if time.monotonic() - self._written > 0.5:
            self._write()

    def _write(self) -> None:
        self._written = time.monotonic()
        caches["tasks"].set(self.key, {"progress": self.percent, "message": self.message}, lost_after())

    def __enter__(self) -> "Progress":
        _working[self.key] = self
        _pulse.start_once()
        return self

    def __exit__(self, *exc: object) -> None:
        _working.pop(self.key, None)
        if self._written:
            caches["tasks"].delete(self.key)


def keep_alive(runs: list[Run]) -> None:
    """Mark these claimed runs alive until their attempts begin (they wait in a worker's batch)."""
    for run in runs:
        _working.setdefault(_mark(run.pk), Progress(run))
    if runs:
        _pulse.start_once()


def stop_marking(runs: list[Run]) -> None:
    """No longer mark these runs alive (put back to the queue before their attempts began)."""
    for run in runs:
        _working.pop(_mark(run.pk), None)


_working: dict[str, Progress] = {}  # this process's working runs, by mark


class Pulse(threading.Thread):
    """One thread per worker process, marking its working runs alive every heartbeat (a thread
    per run would cost more than a trivial run itself)."""

    def __init__(self) -> None:
        super().__init__(name="irtis-run-pulse", daemon=True)
        self._lock = threading.Lock()

    def start_once(self) -> None:
        with self._lock:
            if not self.is_alive():
                self.start()

    def run(self) -> None:
        while True:
            time.sleep(settings.IRTIS_TASK_HEARTBEAT)
            for progress in list(_working.values()):
                progress._write()


_pulse = Pulse()
