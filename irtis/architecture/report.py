"""Reports of other apps (a proposal's conformance, a specification, an evaluation, a statement)
written once as headings, paragraphs and tables, then as DOCX (python-docx, with the
architecture documents' table writer) or as PDF (print HTML through WeasyPrint, as the
architecture documents are): both formats say the same thing.

A generation is recorded in the audit trail as `document_generated` with the file's SHA-256.
"""

import base64
import hashlib
import html
import io
from collections.abc import Callable, Sequence
from typing import Protocol

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from docx import Document as new_docx
from docx.shared import Cm, Pt

from irtis.audit import context, trail
from irtis.audit.models import Action

from . import pdf, word
from .document import Table, cell

FORMATS = ("docx", "pdf")
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


class Writer(Protocol):
    def heading(self, text: str, level: int = 1) -> None: ...

    def paragraph(self, text: str) -> None: ...

    def table(self, columns: Sequence[str], rows: Sequence[Sequence[object]],
              widths: Sequence[float] | None = None) -> None: ...

    def picture(self, title: str, svg: str, png: Callable[[], bytes], width_cm: float) -> None: ...


class DocxWriter:
    def __init__(self, title: str) -> None:
        self.word = new_docx()
        style = self.word.styles["Normal"]
        style.font.name, style.font.size = word.FONT, Pt(10)
        for section in self.word.sections:
            section.left_margin = section.right_margin = Cm(2)
        self.word.core_properties.author = word.AUTHOR
        self.word.core_properties.title = title

    def heading(self, text: str, level: int = 1) -> None:
        self.word.add_heading(text, level=level)

    def paragraph(self, text: str) -> None:
        self.word.add_paragraph(text)

    def table(self, columns: Sequence[str], rows: Sequence[Sequence[object]],
              widths: Sequence[float] | None = None) -> None:
        word.table(self.word, Table(list(columns), [[cell(v) for v in row] for row in rows]),
                   list(widths) if widths else None)

    def picture(self, title: str, svg: str, png: Callable[[], bytes], width_cm: float) -> None:
        """A chart: Word shows the raster `png()` (drawn only for DOCX), the PDF the `svg`."""
        self.word.add_paragraph(title, style="Heading 3")
        self.word.add_picture(io.BytesIO(png()), width=Cm(width_cm))

    def finish(self) -> bytes:
        out = io.BytesIO()
        self.word.save(out)
        return out.getvalue()


class PdfWriter:
    """Collects escaped HTML; `finish` lays it out on A4 pages."""

    def __init__(self, title: str) -> None:
        self.title = title
        self.parts: list[str] = []

    def heading(self, text: str, level: int = 1) -> None:
        self.parts.append(f"<h{level + 1}>{html.escape(text)}</h{level + 1}>")  # DOCX's title is level 0

    def paragraph(self, text: str) -> None:
        self.parts.append(f"<p>{html.escape(text)}</p>")

    def table(self, columns: Sequence[str], rows: Sequence[Sequence[object]],
              widths: Sequence[float] | None = None) -> None:
        cols = "".join(f'<col style="width:{w}cm">' for w in widths) if widths else ""
        head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
        body = "".join("<tr>" + "".join(f"<td>{html.escape(str(cell(v)))}</td>" for v in row) + "</tr>"
                       for row in rows)
        self.parts.append(f"<table>{cols}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")

    def picture(self, title: str, svg: str, png: Callable[[], bytes], width_cm: float) -> None:
        data = base64.b64encode(svg.encode()).decode()
        self.parts.append(f"<h4>{html.escape(title)}</h4>"
                          f'<img src="data:image/svg+xml;base64,{data}" style="width:{width_cm}cm" alt="">')

    def finish(self) -> bytes:
        page = render_to_string("architecture/report.html", {
            "title": self.title, "author": word.AUTHOR, "body": mark_safe("\n".join(self.parts))})
        return pdf.write_pdf(page)


def write(fmt: str, title: str, content: Callable[[Writer], None]) -> bytes:
    """The report `content` writes, as a DOCX or PDF file."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    writer = DocxWriter(title) if fmt == "docx" else PdfWriter(title)
    content(writer)
    return writer.finish()


def record(body: bytes, fmt: str, target: models.Model | type[models.Model], document: str,
           label: str = "", **more: str) -> None:
    """Record a generated file in the audit trail with its hash (and `more`, e.g. where it was
    sent); `target` is the object it is about, or the model of a document about none (`label`
    then names it)."""
    model = target if isinstance(target, type) else type(target)
    entry = context.current().entry(
        action=Action.DOCUMENT_GENERATED, content_type=ContentType.objects.get_for_model(model),
        object_id=None if isinstance(target, type) else target.pk, object_repr=(label or str(target))[:200],
        after={"document": document, "format": fmt, "file_sha256": hashlib.sha256(body).hexdigest(), **more},
    )
    trail.append([entry])


def attachment(body: bytes, filename: str, fmt: str) -> HttpResponse:
    """The file as a download."""
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def download(body: bytes, filename: str, fmt: str, target: models.Model, document: str) -> HttpResponse:
    """The file as an attachment, its generation recorded in the audit trail with its hash."""
    record(body, fmt, target, document)
    return attachment(body, filename, fmt)
