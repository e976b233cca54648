"""Runs of plain django-tasks tasks (`@task`), recorded from the engine's signals.

Jobs (`irtis.tasks.runs.job`) keep their own runs; these get the same list, without progress,
retries or the one-run-per-object rule.
"""

from typing import TYPE_CHECKING, Any, cast

from django.dispatch import receiver
from django.utils import timezone
from django_tasks import TaskResult, TaskResultStatus
from django_tasks.signals import task_enqueued, task_finished, task_started

from irtis.audit.context import current

from .models import Run, Status
from .runs import Job

if TYPE_CHECKING:
    from irtis.identity.models import User


@receiver(task_enqueued)
def enqueued(sender: type, task_result: TaskResult, **kwargs: Any) -> None:
    if isinstance(task_result.task, Job):
        return
    user = current().user
    Run.objects.create(
        task=task_result.task.module_path, queue=task_result.task.queue_name, result_id=task_result.id,
        started_by=cast("User", user) if getattr(user, "is_authenticated", False) else None,
        arguments={"args": task_result.args, "kwargs": task_result.kwargs}, run_after=task_result.task.run_after)


@receiver(task_started)
def started(sender: type, task_result: TaskResult, **kwargs: Any) -> None:
    if not isinstance(task_result.task, Job):
        Run.objects.filter(result_id=task_result.id).update(status=Status.RUNNING, started_at=timezone.now(),
                                                            attempts=1)


@receiver(task_finished)
def finished(sender: type, task_result: TaskResult, **kwargs: Any) -> None:
    if isinstance(task_result.task, Job):
        return
    failed = task_result.status == TaskResultStatus.FAILED
    error = task_result.errors[-1].traceback.strip().rsplit("\n", 1)[-1] if failed and task_result.errors else ""
    Run.objects.filter(result_id=task_result.id).update(
        status=Status.FAILED if failed else Status.DONE, finished_at=timezone.now(), error=error,
        progress=0 if failed else 100)
