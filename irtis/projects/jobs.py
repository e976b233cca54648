"""Scheduled work: remind each open task's responsible person a few days before it is due.

"Remind of project tasks due" takes no arguments, so Administration → Schedules can start it
every morning. Each due date of a task is reminded once (`TaskReminder`); a moved due date is
reminded again. A task without a responsible person reminds the project's manager; someone who may not
see the task is not told (and it is tried again the next day).
"""

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from irtis.notifications.events import notify
from irtis.tasks.runs import job

from .models import ProjectTask, TaskReminder

DAYS_BEFORE = 3


def due(today: dt.date) -> list[ProjectTask]:
    """Open tasks due within DAYS_BEFORE days (or late) whose due date was not yet reminded."""
    tasks = ProjectTask.objects.filter(end__lte=today + dt.timedelta(days=DAYS_BEFORE)) \
        .exclude(status__in=ProjectTask.CLOSED).select_related("responsible", "project__manager")
    reminded = set(TaskReminder.objects.filter(task__in=tasks).values_list("task_id", "due"))
    return [t for t in tasks if (t.pk, t.end) not in reminded]


@job(label=gettext_lazy("Remind of project tasks due"), schedulable=True)
def remind_due_tasks(run: Any) -> dict[str, Any]:
    today = timezone.localdate()
    told = 0
    for task in due(today):
        person = task.responsible or (task.project.manager if task.project else None)
        if person is None:
            continue
        try:
            with transaction.atomic():  # reminded once, even by two runs at a time
                TaskReminder.objects.create(task=task, due=task.end)
                sent = notify("projects.task_due", users=[person], obj=task,
                              context={"date": task.end.isoformat(), "days": (task.end - today).days})
                if not sent:  # the person may not see the task: tried again tomorrow
                    transaction.set_rollback(True)
        except IntegrityError:
            continue
        told += bool(sent)
    return {"reminded": told}
