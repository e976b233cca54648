"""The monitoring jobs.

- "Run the due checks of a zone" (`run_checks`, one active run per zone, queued on the zone's
  queue so that the zone's worker runs it): a batch of the zone's due checks; once it commits,
  its next run is queued for when the next check is due (at least a second on).
- "Start the checks of every zone" (schedulable, every minute): starts `run_checks` for each
  zone with enabled checks; a zone that already has a queued or running run keeps it (the
  one-run-per-key rule), so this only restarts a chain that stopped (a worker was down).
- "Roll up response times" (schedulable, hourly): see `retention`.
- "Remind of due incident reports" (schedulable, hourly): see `reports`.
- "Apply waiting alert notifications" (schedulable, every few minutes if wanted): see `inbox`;
  a safety net, for notifications whose worker died after accepting them and before any other
  notification came.
"""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from irtis.tasks.models import Run
from irtis.tasks.runs import job

from . import inbox, reports, retention, runner
from .models import CheckState

PAUSE = 1.0  # seconds between two runs of a zone at least


@job(label=_("Run the due checks of a zone"), key="zone", max_attempts=2, backoff=1.0)
def run_checks(run: Run, zone: str) -> dict[str, Any]:
    outcome = runner.run_zone(zone)
    transaction.on_commit(lambda: _next(zone))
    return outcome.as_dict()


def _next(zone: str) -> None:
    """Queue the zone's next run for when its next check is due."""
    soonest = CheckState.objects.filter(check_obj__enabled=True, check_obj__zone=zone).aggregate(t=Min("due_at"))["t"]
    now = timezone.now()
    at = max(soonest or now + timedelta(seconds=60), now + timedelta(seconds=PAUSE))
    run_checks.start(zone=zone, queue=zone, user=None, run_after=at)


@job(label=_("Start the checks of every zone"), schedulable=True)
def start_checks(run: Run) -> dict[str, Any]:
    from .models import Check

    zones = sorted(set(Check.objects.filter(enabled=True).values_list("zone", flat=True))
                   & set(settings.IRTIS_TASK_QUEUES))
    for zone in zones:
        run_checks.start(zone=zone, queue=zone, user=None)
    return {"zones": zones}


@job(label=_("Roll up response times"), schedulable=True)
def roll_up(run: Run) -> dict[str, Any]:
    return retention.roll_up(timezone.now())


@job(label=_("Remind of due incident reports"), schedulable=True)
def remind_reports(run: Run) -> dict[str, Any]:
    return {"reminded": reports.remind(timezone.now())}


@job(label=_("Apply waiting alert notifications"), schedulable=True)
def apply_alerts(run: Run) -> dict[str, Any]:
    return {"applied": inbox.work_off()}
