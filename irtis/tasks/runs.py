"""Jobs: Django tasks whose starts are `Run` rows, run in one transaction as the user who started them.

    @job(key="device_id")
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
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import wraps
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.core.cache import caches
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django_tasks.base import Task

from irtis.audit.context import changes_by, current
from irtis.audit.models import Source

from .models import ACTIVE, Run, Status

if TYPE_CHECKING:
    from irtis.identity.models import User

logger = logging.getLogger(__name__)



class Refused(Exception):
    """The run cannot succeed (bad input, an unreachable device): it fails at once with this message."""


class ObjectGone(Refused):
    """The object a run works on no longer exists."""


class Superseded(Exception):
    """This attempt was declared lost and retried elsewhere: its writes are rolled back."""


_jobs: dict[str, "Job"] = {}
_labels: dict[str, str | Promise] = {}


@dataclass(frozen=True, slots=True, kw_only=True)
class Job(Task):
    """A task run through `Run` rows. `func` takes the run id; `body` does the work."""

    body: Callable[..., Any]
    key: str = ""  # the keyword argument naming the object: one active run per object
    secrets: tuple[str, ...] = ()  # keyword arguments erased from the run once it is over
    max_attempts: int = 3
    backoff: float = 10.0  # seconds before the second attempt, doubled for each further one

    def start(self, *, queue: str = "default", user: object = None, **kwargs: Any) -> Run:
        """Queue a run; the run already queued or running for the same object if there is one.

        `user` defaults to the user of the current change context (the request's user)."""
        if user is None:
            user = current().user
        user = user if getattr(user, "is_authenticated", False) else None
        key = str(kwargs[self.key]) if self.key else ""
        try:
            with transaction.atomic():
                run = Run.objects.create(task=self.module_path, queue=queue, key=key,
                                         started_by=cast("User | None", user), arguments=kwargs)
        except IntegrityError:
            active = Run.objects.filter(task=self.module_path, key=key, status__in=ACTIVE).first()
            if active is None:
                raise
            return active
        if settings.IRTIS_TASKS == "database":
            with transaction.atomic():  # the run and its queue entry commit together
                submit(run)
        else:  # the engine must not see the run before it is committed
            transaction.on_commit(lambda: submit(run))
        return run

    def public(self, arguments: dict[str, Any]) -> dict[str, Any]:
        """The arguments without the secrets, kept once the run is over."""
        return {name: value for name, value in arguments.items() if name not in self.secrets}


def job(*, key: str = "", secrets: tuple[str, ...] = (), max_attempts: int = 3, backoff: float = 10.0,
        schedulable: str | Promise = "") -> Callable:
    """Make `func(run, **kwargs)` a job (see the module's docstring); `schedulable`: its name in
    the schedules' choice of tasks, for a job without arguments that schedules may start."""

    def wrap(func: Callable[..., Any]) -> Job:
        @wraps(func)
        def attempt(run_id: str) -> Any:
            return execute(run_id)

        result = Job(func=attempt, body=func, key=key, secrets=secrets, max_attempts=max_attempts, backoff=backoff)
        if schedulable:
            _jobs[result.module_path] = result
            _labels[result.module_path] = schedulable
        return result

    return wrap


def schedulable() -> dict[str, Job]:
    """Jobs without arguments that schedules may start, by path."""
    return _jobs


def schedulable_choices() -> list[tuple[str, str | Promise]]:
    """The schedulable jobs as the choices of a schedule's task."""
    return sorted(_labels.items(), key=lambda item: str(item[1]))


def submit(run: Run) -> None:
    """Hand the run to the engine; a run the engine refuses fails with the reason."""
    task: Job = import_string(run.task)
    try:
        result = task.using(queue_name=run.queue).enqueue(str(run.pk))
    except Exception as exc:  # the engine is unreachable or refuses the queue: say so on the run
        logger.exception("Run %s could not be queued", run.pk)
        Run.objects.filter(pk=run.pk).update(status=Status.FAILED, finished_at=timezone.now(),
                                             error=_("Could not be queued: %s") % exc)
        return
    Run.objects.filter(pk=run.pk).update(result_id=result.id)


def submit_due() -> int:
    """Hand the engine the retries whose backoff is over; how many. Kept here rather than in an
    engine's own scheduler, so that a retry waits the same way on every engine."""
    due = Run.objects.filter(status=Status.QUEUED, result_id="", run_after__lte=timezone.now())
    count = 0
    for run in due:
        if Run.objects.filter(pk=run.pk, result_id="", run_after=run.run_after).update(run_after=None):
            submit(run)
            count += 1
    return count


def execute(run_id: str) -> Any:
    """One attempt of a run, in the worker. Does nothing if the run is not queued (a duplicate)."""
    now = timezone.now()
    if not Run.objects.filter(pk=run_id, status=Status.QUEUED).update(
            status=Status.RUNNING, started_at=now, attempts=F("attempts") + 1, progress=0, message=""):
        return None
    run = Run.objects.select_related("started_by").get(pk=run_id)
    task: Job = import_string(run.task)
    progress = Progress(run)
    run.report = progress.report  # type: ignore[attr-defined]
    try:
        with progress, changes_by(user=run.started_by, source=Source.JOB), transaction.atomic():
            value = task.body(run, **run.arguments)
            done = Run.objects.filter(pk=run.pk, status=Status.RUNNING, attempts=run.attempts).update(
                status=Status.DONE, finished_at=timezone.now(), progress=100, result=value, error="",
                message=progress.message, arguments=task.public(run.arguments))
            if not done:
                raise Superseded(run.pk)
    except Superseded:
        return None
    except Exception as exc:
        retry_or_fail(run, exc)
        raise
    return value


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
    running = [run for run in Run.objects.filter(status=Status.RUNNING, started_at__lt=cutoff) if is_job(run.task)]
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


def is_job(path: str) -> bool:
    try:
        return isinstance(import_string(path), Job)
    except ImportError:
        return False


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
        self._stop = threading.Event()
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

    def _beat(self) -> None:
        while not self._stop.wait(settings.IRTIS_TASK_HEARTBEAT):
            self._write()

    def __enter__(self) -> "Progress":
        # The first mark comes after a heartbeat: a short run never touches the store.
        self._thread = threading.Thread(target=self._beat, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        if self._written:
            caches["tasks"].delete(self.key)
