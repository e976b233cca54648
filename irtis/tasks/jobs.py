"""The platform's own jobs. The audit trail is the floor every app writes to, so its
verification is started from here (the audit page, or a schedule), not from the audit app."""

from typing import Any

from irtis.audit.verify import verify_trail

from .runs import job


@job(schedulable=True)
def verify_audit_trail(run: Any) -> dict[str, Any]:
    """Walk the whole trail (see `irtis audit verify`); the run's result is the report."""
    report = verify_trail(progress=run.report)
    return {"intact": report.intact, "checked": report.checked, "checkpoints": report.checkpoints,
            "problem": str(report.problem) if report.problem else "", "warnings": report.warnings}
