"""Background work: evaluating the controls (on a schedule, Administration → Schedules, e.g.
hourly) and writing an evidence pack for auditors."""

from typing import Any

from django.utils.translation import gettext_lazy

from irtis.tasks.runs import job

from . import pack as packs
from . import run


# A second attempt when an evidence record changed under the first (its stale save is refused).
@job(label=gettext_lazy("Evaluate the security controls"), schedulable=True, max_attempts=2)
def evaluate_controls(job_run: Any) -> dict[str, Any]:
    """Every control that applies: one result each, stored with its data (see run.py)."""
    results = run.evaluate(progress=job_run.report)
    counts: dict[str, int] = {}
    for result in results:
        counts[result.status] = counts.get(result.status, 0) + 1
    return {"results": len(results), **counts}


@job(label=gettext_lazy("Write an evidence pack"), key="pack", max_attempts=1)
def evidence_pack(job_run: Any, pack: str, language: str = "lt") -> dict[str, Any]:
    """The framework's statement of applicability as PDF, the evidence files and a SHA-256
    manifest, in one ZIP kept for the user who started it (see pack.py). `pack` is
    "<framework id>/<user id>": one run at a time per framework and user."""
    return packs.write(int(pack.split("/")[0]), job_run, language)


def start_pack(framework_id: int, user: Any, language: str) -> Any:
    return evidence_pack.start(user=user, pack=f"{framework_id}/{user.pk}", language=language)
