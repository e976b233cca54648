"""The platform's own jobs. The audit trail is the floor every app writes to, so its
verification is started from here (the audit page, or a schedule), not from the audit app."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from irtis.audit.verify import verify_trail
from irtis.core import imports
from irtis.core.models import ImportUpload

from .models import ACTIVE, Run
from .runs import Refused, job


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


@job(key="upload_id", label=_("Import a file"))
def import_file(run: Any, upload_id: str, confirm: bool, skip_invalid: bool, language: str) -> dict[str, Any]:
    """Check (and, when confirmed, write) an import file too large for a request; the outcome is
    kept on the upload, where the import page shows it (started by `irtis.core.importviews`)."""
    upload = ImportUpload.objects.select_related("user").filter(pk=upload_id).first()
    if upload is None:
        raise Refused(str(_("The file read for this import has expired; upload it again.")))
    with translation.override(language):
        try:
            result = imports.process(upload, confirm, skip_invalid, progress=run.report)
        except imports.UploadGone as gone:
            raise Refused(str(gone)) from None
    return {key: result[key] for key in ("applied", "created", "updated", "unchanged", "invalid")}
