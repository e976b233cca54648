"""Stamping, rendering and auditing a generation: HTML, DOCX or PDF.

Each generation gets a stamp (time, data version, SHA-256 of what the document says) printed on
its title page and footer, and writes one audit-trail entry naming the document, the format,
the stamp and the SHA-256 of the file served.

The data version is the id of the last create, update or delete in the audit trail: every write
in irtis is audited, so two documents with the same data version were generated from the same
data (generations themselves are left out of the count).
"""

import hashlib
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from irtis.audit import context, trail
from irtis.audit.models import Action, AuditEntry

from . import diagram, pdf, word
from .document import Document, Stamp

FORMATS = ("html", "docx", "pdf")
CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
DATA_ACTIONS = (Action.CREATE, Action.UPDATE, Action.DELETE)


def data_version() -> int:
    changes = AuditEntry.objects.filter(action__in=DATA_ACTIONS)
    return changes.order_by("-id").values_list("id", flat=True).first() or 0


def stamp(doc: Document, user: object = None) -> Stamp:
    name = getattr(user, "get_username", lambda: "")() if user is not None else ""
    doc.stamp = Stamp(generated=timezone.now(), data_version=data_version(),
                      sha256=doc.content_sha256(), generator=name)
    return doc.stamp


@dataclass
class Picture:
    title: str
    svg: str = ""
    png: bytes = b""
    width_pt: float = 0.0  # printed width of the PNG: its drawn width scaled into the page box
    note: str = ""  # why this diagram could not be drawn


def pictures(doc: Document, fmt: str) -> list[Picture]:
    """The diagrams in the form a format needs: SVG for HTML and PDF, PNG for DOCX."""
    result = []
    for drawing in doc.diagrams:
        if not drawing.dot:
            continue
        try:
            if fmt == "docx":
                width, _height = diagram.printed_size(drawing.dot)
                result.append(Picture(drawing.title, png=diagram.render(drawing.dot, "png"), width_pt=width))
            else:
                result.append(Picture(drawing.title, svg=diagram.svg(drawing.dot)))
        except diagram.DiagramUnavailable as problem:
            result.append(Picture(drawing.title, note=str(problem)))
    return result


def render_html(doc: Document, template: str, **extra: object) -> str:
    return render_to_string(template, {"doc": doc, "pictures": pictures(doc, "html"), **extra})


def render(doc: Document, fmt: str) -> bytes:
    """The DOCX or PDF file of a stamped document."""
    if fmt == "docx":
        return word.build(doc, pictures(doc, "docx"))
    if fmt == "pdf":
        return pdf.write_pdf(render_html(doc, "architecture/print.html", author=word.AUTHOR))
    raise ValueError(fmt)


def audit(doc: Document, fmt: str, body: bytes) -> AuditEntry:
    """One audit entry for one generation."""
    assert doc.stamp is not None
    target = doc.target
    entry = context.current().entry(
        action=Action.DOCUMENT_GENERATED,
        content_type=ContentType.objects.get_for_model(target) if target is not None else None,
        object_id=target.pk if target is not None else None,
        object_repr=(_("Architecture description: %(name)s") % {"name": doc.code})[:200],
        after={
            "document": f"architecture/{doc.kind}/{doc.code}",
            "format": fmt,
            "version": doc.stamp.label,
            "data_version": doc.stamp.data_version,
            "sha256": doc.stamp.sha256,
            "file_sha256": hashlib.sha256(body).hexdigest(),
            "generated": doc.stamp.generated.isoformat(),
        },
    )
    return trail.append([entry])[0]
