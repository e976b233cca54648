"""Stamping, rendering and auditing a generation: HTML, DOCX or PDF.

Each generation gets a stamp (time, data version, SHA-256 of what the document says) printed on
its title page and footer, and writes one audit-trail entry naming the document, the format,
the stamp and the SHA-256 of the file served.

The data version is the id of the last create, update or delete in the audit trail: every write
in irtis is audited, so two documents with the same data version were generated from the same
data (generations themselves are left out of the count).
"""

import hashlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial

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
    url: str = ""  # in the PDF: the address WeasyPrint fetches the PNG from (see `_pdf`)


def pictures(doc: Document, fmt: str) -> list[Picture]:
    """The diagrams in the form a format needs: SVG (with links) on the page; PNG in print, at the
    width that keeps its labels at 7 pt or more (a raster is laid out in milliseconds where
    WeasyPrint spends seconds on the SVG's text)."""
    result = []
    # print needs each diagram's size (from its SVG) and its PNG
    diagram.draw_all((d.dot for d in doc.diagrams if d.dot), *(("svg",) if fmt == "html" else ("svg", "png")))
    for drawing in doc.diagrams:
        if not drawing.dot:
            continue
        try:
            if fmt == "html":
                result.append(Picture(drawing.title, svg=diagram.svg(drawing.dot)))
            else:
                width, _height = diagram.printed_size(drawing.dot)
                result.append(Picture(drawing.title, png=diagram.render(drawing.dot, "png"), width_pt=width))
        except diagram.DiagramUnavailable as problem:
            result.append(Picture(drawing.title, note=str(problem)))
    return result


def render(doc: Document, fmt: str, drawn: Callable[[], object] = lambda: None) -> bytes:
    """The DOCX or PDF file of a stamped document; `drawn` is called once its diagrams are drawn."""
    if fmt == "docx":
        drawings = pictures(doc, "docx")
        drawn()
        return word.build(doc, drawings)
    if fmt == "pdf":
        return _pdf(doc, drawn)
    raise ValueError(fmt)


def _pdf(doc: Document, drawn: Callable[[], object]) -> bytes:
    """The PDF, its diagrams' PNGs drawn by `dot` while WeasyPrint reads the HTML and its styles
    (on the second core): each <img> names its diagram ("diagram:3") and WeasyPrint's fetch of it
    waits for the drawing. Their printed sizes come from the SVGs the split already drew."""
    sources = [d.dot for d in doc.diagrams if d.dot]
    diagram.draw_all(sources, "svg")
    with ThreadPoolExecutor(1) as pool:
        drawing = pool.submit(diagram.draw_all, sources, "png")
        reported: list[bool] = []

        def png(source: str) -> bytes:
            drawing.result()
            if not reported:
                reported.append(True)
                drawn()
            return diagram.render(source, "png")  # raises (WeasyPrint prints the alt text) if dot failed

        result, images = [], {}
        for number, item in enumerate(d for d in doc.diagrams if d.dot):
            try:
                width, _height = diagram.printed_size(item.dot)
            except diagram.DiagramUnavailable as problem:
                result.append(Picture(item.title, note=str(problem)))
                continue
            images[f"diagram:{number}"] = partial(png, item.dot)
            result.append(Picture(item.title, url=f"diagram:{number}", width_pt=width))
        if not images:
            drawn()
        html = render_to_string("architecture/print.html", {"doc": doc, "pictures": result, "author": word.AUTHOR})
        return pdf.write_pdf(html, images)


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
