"""Background work: reading repositories and running drills, on demand and on schedules.

A repository's work runs in its zone's queue (`BackupRepository.queue`), where a worker that
reaches it listens. "Read all backup repositories" and "Run the due restore drills" take no
arguments, so Administration → Schedules can start them (e.g. hourly and nightly).
"""

import logging
from datetime import timedelta
from typing import Any

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy

from irtis.architecture.pdf import PDFUnavailable
from irtis.tasks.runs import get_or_gone, job

from . import drills, ingest, report, tools
from .models import BackupPolicy, BackupRepository, RestoreDrill, Result, Snapshot, Trigger

logger = logging.getLogger(__name__)


@job(label=gettext_lazy("Read a backup repository"), key="repository_id", max_attempts=2)
def ingest_repository(run: Any, repository_id: int) -> dict[str, Any]:
    """Store the snapshots the tool reports; a failure is kept on the repository as its last error."""
    repository = get_or_gone(BackupRepository.objects.all(), pk=repository_id)
    try:
        written = ingest.ingest(repository)
    except (ingest.IngestError, tools.ToolError) as error:
        repository.last_error = str(error)[:500]
        repository.save()
        return {"written": 0, "error": repository.last_error}
    repository.last_ingested_at, repository.last_error = timezone.now(), ""
    repository.save()
    return {"written": written}


@job(label=gettext_lazy("Read all backup repositories"), schedulable=True)
def ingest_all(run: Any) -> dict[str, Any]:
    started = [ingest_repository.start(queue=r.queue, repository_id=r.pk).pk for r in BackupRepository.objects.all()]
    return {"started": len(started)}


@job(label=gettext_lazy("Run a restore drill"), key="policy_id", max_attempts=1)
def drill(run: Any, policy_id: int, snapshot_id: int | None = None, trigger: str = Trigger.ON_DEMAND) -> dict[str, Any]:
    """Restore, check and record one drill, then write its PDF report."""
    policy = get_or_gone(BackupPolicy.objects.select_related("repository"), pk=policy_id)
    snapshot = get_or_gone(Snapshot.objects.all(), pk=snapshot_id) if snapshot_id is not None else None
    done = drills.run(policy, snapshot, trigger=trigger, user=run.started_by)
    try:
        done.report_sha256 = report.write(done)
        done.save()
    except PDFUnavailable as error:  # the evidence stands without its PDF
        logger.warning("Drill %s: no PDF report: %s", done.pk, error)
    return {"drill": done.pk, "result": done.result, "reason": done.reason}


def start_drill(policy: BackupPolicy, user: Any = None, snapshot: Snapshot | None = None,
                trigger: str = Trigger.ON_DEMAND) -> Any:
    queue = policy.repository.queue if policy.repository_id and policy.repository else "default"
    return drill.start(queue=queue, user=user, policy_id=policy.pk,
                       snapshot_id=snapshot.pk if snapshot else None, trigger=trigger)


def due(now: Any = None) -> list[BackupPolicy]:
    """Policies with a repository whose last irtis drill is older than their period (or missing)."""
    now = now or timezone.now()
    found = []
    policies = BackupPolicy.objects.filter(repository__isnull=False, drill_every_days__isnull=False)
    last = dict(RestoreDrill.objects.exclude(trigger=Trigger.MANUAL).exclude(result=Result.NOT_RUN)
                .values("policy").annotate(last=Max("started_at"))
                .values_list("policy", "last"))
    for policy in policies.select_related("repository"):
        previous = last.get(policy.pk)
        if previous is None or previous < now - timedelta(days=policy.drill_every_days or 0):
            found.append(policy)
    return found


@job(label=gettext_lazy("Run the due restore drills"), schedulable=True)
def run_due_drills(run: Any) -> dict[str, Any]:
    started = [start_drill(policy, trigger=Trigger.SCHEDULE).pk for policy in due()]
    return {"started": len(started)}
