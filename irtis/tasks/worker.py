"""What every `irtis worker` does beside working off its queues: start the schedules that are
due, hand the engine the retries whose backoff is over, and retry the runs whose worker was lost.
Several workers may do it at once: each schedule and each run is taken by one of them."""

import logging
import threading

from django.conf import settings
from django.db import close_old_connections, transaction
from django.utils import timezone

from irtis.audit.context import changes_by
from irtis.audit.models import Source

from .models import Schedule, next_time
from .runs import reap, schedulable, submit_due

logger = logging.getLogger(__name__)


def start_due_schedules() -> int:
    """Start a run of every enabled schedule whose time has come; how many were started."""
    now = timezone.now()
    jobs = schedulable()
    with transaction.atomic(), changes_by(source=Source.JOB):
        due = list(Schedule.objects.select_for_update(skip_locked=True).filter(enabled=True, next_run__lte=now))
        for schedule in due:
            if job := jobs.get(schedule.task):
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
