"""Background work: importing a scan report, and telling owners of their overdue findings.

An uploaded report is kept on the server (`$IRTIS_DATA_DIR/scan-uploads`) until its run ends: the
run's arguments name the file, never carry it. "Notify owners of overdue findings" takes no
arguments, so Administration → Schedules can start it (e.g. every morning).
"""

from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from irtis.notifications.events import notify
from irtis.tasks.runs import Refused, job

from . import importing, scans
from .models import Finding


def upload_dir() -> Path:
    return Path(settings.DATA_DIR) / "scan-uploads"


@job(label=gettext_lazy("Import a scan report"), max_attempts=1)
def import_scan(run: Any, name: str, reader: str, kind: str, scope: str, performer: str,
                performed_on: str, sha256: str) -> dict[str, Any]:
    """Read the kept upload `name` and write its findings; a bad file fails the run, writing nothing."""
    path = upload_dir() / Path(name).name
    try:
        with path.open("rb") as stream:
            run.report(0, 1, _("Reading the report"))
            report = scans.READERS[reader](stream)
        assessment = importing.new_assessment(report, kind, scope, performer,
                                              date.fromisoformat(performed_on) if performed_on else None, sha256)
        counts = importing.write(report, assessment, run.report)
    except FileNotFoundError:
        raise Refused(_("The uploaded report is no longer on the server; upload it again.")) from None
    except scans.ScanError as error:
        raise Refused(str(error)) from None
    except ValidationError as error:
        raise Refused(" ".join(error.messages)) from None
    finally:
        path.unlink(missing_ok=True)
    return {"assessment": assessment.pk, "results": len(report.results), **counts.as_dict()}


def overdue(today: date | None = None) -> Any:
    today = today or timezone.localdate()
    return Finding.objects.filter(status__in=Finding.UNRESOLVED, due_date__lt=today).select_related("owner")


@job(label=gettext_lazy("Notify owners of overdue findings"), schedulable=True)
def notify_overdue(run: Any) -> dict[str, Any]:
    """One notification per overdue finding to its owner; to the security officers if it has none, or
    if the owner may not see it (notify() tells nobody of what they may not view)."""
    told = 0
    for finding in overdue().iterator(chunk_size=500):
        context = {"due": finding.due_date.isoformat() if finding.due_date else "", "severity": finding.severity}
        sent = notify("risks.finding_overdue", users=[finding.owner], obj=finding, context=context) \
            if finding.owner else []
        if not sent:
            sent = notify("risks.finding_overdue", roles=["security_officer"], obj=finding, context=context)
        told += bool(sent)
    return {"notified": told}
