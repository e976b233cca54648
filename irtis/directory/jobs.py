"""Reading domains as background runs: one domain ("Read now"), or every domain marked to be read
on schedule (`read_all`, which schedules may start like discovery's sweeps)."""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from irtis.tasks.runs import get_or_gone, job

from . import readings
from .models import DirectoryDomain


@job(label=gettext_lazy("Read an Active Directory domain"), key="domain_id", max_attempts=1)
def read(run: Any, domain_id: int) -> dict[str, Any]:
    """Read the domain and keep the reading; an unreadable domain is a reading with its error."""
    domain = get_or_gone(DirectoryDomain.objects.all(), pk=domain_id)
    run.report(0, 1, _("Reading the domain %(domain)s") % {"domain": domain})
    reading = readings.run(domain)
    return {"reading": reading.pk, "ok": reading.ok, "error": reading.error,
            "differences": len(readings.differences(domain, reading))}


@job(label=gettext_lazy("Read the Active Directory domains"), schedulable=True)
def read_all(run: Any) -> dict[str, int]:
    """Start a reading of every domain read on schedule; how many were started."""
    ids = list(DirectoryDomain.objects.filter(reading_enabled=True).values_list("pk", flat=True))
    read.start_many([{"domain_id": pk} for pk in ids], user=run.started_by)
    return {"started": len(ids)}
