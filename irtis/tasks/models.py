"""A run of a background task, and the schedules that start runs."""

import uuid
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from croniter import croniter
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from irtis.core import collation
from irtis.core.models import BaseModel
from irtis.core.names import NameField
from irtis.core.registry import register

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from .runs import Job

# Every job declared with `@job`, by path (filled as their modules are imported: each app's
# jobs.py at start-up). Kept here, beside the runs and schedules that name jobs by path.
JOBS: dict[str, "Job"] = {}


class Status(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


ACTIVE = (Status.QUEUED, Status.RUNNING)


class Run(models.Model):
    """One start of a task, over all its attempts. Bookkeeping of the engine: not audited."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    task = models.CharField(_("task"), max_length=200)
    queue = models.CharField(_("queue"), max_length=32, default="default")
    key = models.CharField(_("object"), max_length=200, blank=True,
                           help_text=_("The object the run works on: one active run per task and object."))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("started by"))
    arguments = models.JSONField(_("arguments"), default=dict)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    result_id = models.CharField(_("engine's id"), max_length=64, blank=True)
    enqueued_at = models.DateTimeField(_("enqueued"), default=timezone.now)
    run_after = models.DateTimeField(_("not before"), null=True, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress, %"), default=0)
    message = models.CharField(_("message"), max_length=500, blank=True)
    result = models.JSONField(_("result"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("task run")
        verbose_name_plural = _("task runs")
        ordering = ["-enqueued_at"]
        indexes = [models.Index(fields=["-enqueued_at"], name="tasks_run_enqueued"),
                   models.Index(fields=["status", "started_at"], name="tasks_run_status")]
        constraints = [
            # The same task never runs twice at once for the same object.
            models.UniqueConstraint(fields=["task", "key"], condition=models.Q(status__in=ACTIVE) & ~models.Q(key=""),
                                    name="tasks_run_one_active_per_object"),
        ]

    def __str__(self) -> str:
        return f"{self.label} {self.key}".strip()

    @property
    def label(self) -> "str | Promise":
        """The job's label; a plain django-tasks task's function name."""
        job = JOBS.get(self.task)
        return job.label if job is not None else self.task.rsplit(".", 1)[-1]

    @property
    def duration(self) -> timedelta | None:
        if self.started_at is None:
            return None
        return (self.finished_at or timezone.now()) - self.started_at

    @property
    def active(self) -> bool:
        return self.status in ACTIVE


def next_time(cron: str, after: datetime) -> datetime:
    """The first moment after `after` that the cron expression names, in the server's time zone."""
    return croniter(cron, timezone.localtime(after)).get_next(datetime)


def validate_cron(value: str) -> None:
    if not croniter.is_valid(value):
        raise ValidationError(_("Not a cron expression (minute hour day month weekday, e.g. `0 3 * * *`)."))


def schedulable_choices() -> list[tuple[str, "str | Promise"]]:
    """The jobs that schedules may start (`@job(schedulable=True)`), by label."""
    return sorted(((path, job.label) for path, job in JOBS.items() if job.schedulable), key=lambda c: str(c[1]))


def queue_choices() -> list[tuple[str, str]]:
    """`default` and the zones' queues (IRTIS_TASK_QUEUES)."""
    return [(queue, queue) for queue in settings.IRTIS_TASK_QUEUES]


@register(group="admin", columns=("name", "task", "cron", "queue", "enabled", "next_run"),
          filters=("task", "enabled", "queue"), search=("task",))
class Schedule(BaseModel):
    """A task started by the worker at the times a cron expression names; kept over restarts."""

    name = NameField(_("name"), max_length=100, unique=True)
    task = models.CharField(_("task"), max_length=200, choices=schedulable_choices)
    cron = models.CharField(_("cron expression"), max_length=100, validators=[validate_cron],
                            help_text=_("minute hour day month weekday, in the server's time zone"))
    queue = models.CharField(_("queue"), max_length=32, default="default", choices=queue_choices)
    enabled = models.BooleanField(_("enabled"), default=True)
    next_run = models.DateTimeField(_("next run"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("schedule")
        verbose_name_plural = _("schedules")
        ordering = ["name"]
        indexes = [collation.index("name", "tasks_schedule_lt")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        if self.cron != getattr(self, "_loaded", {}).get("cron") or self.next_run is None:
            self.next_run = next_time(self.cron, timezone.now())
        super().save(*args, **kwargs)
