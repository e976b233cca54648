"""The DNS check of every accepted domain as a background run, on demand or on a schedule."""

from typing import Any

from django.utils.translation import gettext_lazy

from irtis.tasks.runs import job

from . import checks


@job(label=gettext_lazy("Check the mail domains' SPF, DKIM and DMARC"), schedulable=True, max_attempts=1)
def check_domains(run: Any) -> dict[str, int]:
    """Check every accepted domain; how many are in order, have warnings, have errors."""
    return checks.check_all(progress=run.report)
