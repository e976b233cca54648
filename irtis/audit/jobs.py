"""The trail's verification as a background job: from the audit page, or on a schedule."""

from typing import Any

from irtis.tasks.runs import job

from .verify import verify_trail


@job(schedulable=True)
def verify(run: Any) -> dict[str, Any]:
    """Walk the whole trail (see `irtis audit verify`); the run's result is the report."""
    report = verify_trail(progress=run.report)
    return {"intact": report.intact, "checked": report.checked, "checkpoints": report.checkpoints,
            "problem": str(report.problem) if report.problem else "", "warnings": report.warnings}
