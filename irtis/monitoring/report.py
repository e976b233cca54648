"""The Cyber Security Law's reports of an incident as a PDF document, in Lithuanian: the early
warning (24 h), the incident notification (72 h) and the final report (within a month of it),
with the contents NIS2 art. 23 asks of each: what happened and when, the affected systems, the
severity and impact, the cause and the measures taken.

Rendered by WeasyPrint as architecture descriptions and restore-drill reports are
(`irtis.architecture.pdf`). The document prints the SHA-256 of its content (the canonical JSON of
the facts it states), so that a copy can be checked against irtis; each generation is recorded
in the audit trail as `document_generated` with that hash and the file's own.
"""

import hashlib
import json
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from irtis.architecture import pdf
from irtis.audit import context, trail
from irtis.audit.models import Action
from irtis.core.models import JournalEntry
from irtis.systems.graph import describe

from .models import REPORTS, Incident


def _when(value: Any) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def content(incident: Incident, kind: str) -> dict[str, Any]:
    """The facts a report states, as JSON values (the hash is taken over them)."""
    if kind not in REPORTS:
        raise ValueError(kind)
    kind_id = ContentType.objects.get_for_model(Incident).id
    notes = JournalEntry.objects.filter(content_type_id=kind_id, object_id=incident.pk).select_related(
        "author").order_by("created")
    timeline = [(incident.detected_at, _("Detected"), ""),
                (incident.acknowledged_at, _("Acknowledged"), str(incident.acknowledged_by or "")),
                (incident.resolved_at, _("Resolved"), str(incident.resolved_by or "")),
                (incident.early_warning_at, _("Early warning sent"), ""),
                (incident.notification_at, _("Incident notification sent"), ""),
                (incident.final_report_at, _("Final report sent"), "")]
    timeline += [(n.created, _("Note"), f"{n.author or ''}: {n.comments}".strip(": ")) for n in notes]
    linked = list(incident.linked.values_list("object_type_id", "object_id", "is_cause"))
    names = describe([(t, i) for t, i, _cause in linked]) if linked else {}
    return {
        "report": kind,
        "number": incident.number,
        "title": incident.title,
        "severity": incident.severity,
        "significant": incident.significant,
        "status": incident.status,
        "source": incident.source,
        "detected": _when(incident.detected_at),
        "acknowledged": _when(incident.acknowledged_at),
        "resolved": _when(incident.resolved_at),
        "cause": incident.cause,
        "root_cause": incident.root_cause,
        "measures": incident.review,
        "systems": [f"{code} {name}" for code, name in incident.systems.order_by("code").values_list("code", "name")],
        "objects": sorted(f"{names[(t, i)].label}{' *' if cause else ''}" for t, i, cause in linked
                          if (t, i) in names),
        "timeline": [[_when(at), str(what), who] for at, what, who in sorted(
            ((at, what, who) for at, what, who in timeline if at is not None), key=lambda row: row[0])],
        "deadlines": [[code, _when(due), _when(sent)] for code, due, sent in incident.deadlines()],
        "assignee": str(incident.assignee or ""),
    }


def sha256(facts: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(facts, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def build(incident: Incident, kind: str) -> tuple[bytes, str]:
    """The report's PDF, in Lithuanian, and the SHA-256 of its content; recorded in the audit trail."""
    with translation.override(settings.LANGUAGE_CODE):
        facts = content(incident, kind)
        digest = sha256(facts)
        html = render_to_string("monitoring/incident_report.html", {
            "incident": incident, "facts": facts, "digest": digest, "kind": kind, "title": REPORTS[kind],
            "generated": timezone.localtime(), "deadlines": [(REPORTS[c], due, sent) for c, due, sent in
                                                              incident.deadlines()],
        })
    body = pdf.write_pdf(html)
    entry = context.current().entry(
        action=Action.DOCUMENT_GENERATED, content_type=ContentType.objects.get_for_model(Incident),
        object_id=incident.pk, object_repr=f"{REPORTS[kind]}: {incident.number}"[:200],
        after={"document": f"monitoring/incident/{incident.number}/{kind}", "format": "pdf",
               "sha256": digest, "file_sha256": hashlib.sha256(body).hexdigest()},
    )
    trail.append([entry])
    return body, digest
