"""Demo schedules of notifications: e-mail sent every minute, old notifications deleted nightly."""

from irtis.core.demo import ensure
from irtis.tasks.models import Schedule


def load() -> None:
    ensure(Schedule, "name", {"name": "El. laiškų siuntimas", "task": "irtis.notifications.jobs.deliver_pending",
                              "cron": "* * * * *"})
    ensure(Schedule, "name", {"name": "Senų pranešimų valymas",
                              "task": "irtis.notifications.jobs.delete_old_notifications", "cron": "30 3 * * *"})
