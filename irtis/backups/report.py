"""A drill's report as PDF (WeasyPrint, as architecture descriptions are: irtis.architecture.pdf).

The report prints the SHA-256 of the drill's evidence (the canonical JSON of what was restored,
from where, when, by whom, how long and with what result); the SHA-256 of the PDF file itself is
kept on the drill (`report_sha256`, audited with it), so a copy of the report can be checked.
"""

import hashlib
import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from irtis.architecture import pdf

from .models import RestoreDrill


def report_dir() -> Path:
    return Path(settings.DATA_DIR) / "drill-reports"


def report_path(drill: RestoreDrill) -> Path:
    return report_dir() / f"drill-{drill.pk}.pdf"


def evidence(drill: RestoreDrill) -> dict[str, Any]:
    policy = drill.policy
    return {
        "drill": drill.pk,
        "policy": policy.name,
        "protected_object": policy.protected_label(),
        "repository": policy.repository.name if policy.repository else "",
        "snapshot": drill.snapshot_ref,
        "trigger": drill.trigger,
        "started_by": drill.started_by.get_username() if drill.started_by else "",
        "started_at": drill.started_at.isoformat() if drill.started_at else "",
        "duration_seconds": str(drill.duration_seconds) if drill.duration_seconds is not None else None,
        "rto_hours": str(policy.rto_hours) if policy.rto_hours is not None else None,
        "rto_met": drill.rto_met,
        "files": drill.files,
        "bytes": drill.size_bytes,
        "rows": drill.rows,
        "scratch": drill.scratch,
        "checksum": drill.checksum,
        "result": drill.result,
        "reason": drill.reason,
    }


def evidence_sha256(drill: RestoreDrill) -> str:
    return hashlib.sha256(json.dumps(evidence(drill), sort_keys=True).encode()).hexdigest()


def write(drill: RestoreDrill) -> str:
    """Render, store and return the SHA-256 of the drill's PDF report (in Lithuanian)."""
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string("backups/drill_report.html", {
            "drill": drill, "evidence": evidence(drill), "evidence_sha256": evidence_sha256(drill),
        })
    data = pdf.write_pdf(html)
    path = report_path(drill)
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_suffix(".part")
    temp.write_bytes(data)
    temp.replace(path)
    return hashlib.sha256(data).hexdigest()
