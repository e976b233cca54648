"""The platform's own jobs. The audit trail is the floor every app writes to, so its
verification is started from here (the audit page, or a schedule), not from the audit app."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from irtis.audit.verify import verify_trail

from .models import ACTIVE, Run
from .runs import job


@job(label=_("Verify the audit trail"), schedulable=True)
def verify_audit_trail(run: Any) -> dict[str, Any]:
    """Walk the whole trail (see `irtis audit verify`); the run's result is the report."""
    report = verify_trail(progress=run.report)
    return {"intact": report.intact, "checked": report.checked, "checkpoints": report.checkpoints,
            "problem": str(report.problem) if report.problem else "", "warnings": report.warnings}


@job(label=_("Delete old runs"), schedulable=True)
def delete_old_runs(run: Any) -> dict[str, int]:
    """Delete the runs that ended more than IRTIS_TASK_RUNS_DAYS days ago (their work is in the
    audit trail; a run is only its record of progress)."""
    cutoff = timezone.now() - timedelta(days=settings.IRTIS_TASK_RUNS_DAYS)
    deleted, _per_model = Run.objects.exclude(status__in=ACTIVE).filter(finished_at__lt=cutoff).delete()
    return {"deleted": deleted}
