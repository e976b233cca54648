"""Lithuanian DOCX documents of procurement, written with python-docx as the architecture
descriptions are: the technical specification (techninė specifikacija) in the form public
procurement documents use (a numbered table: No., requirement, kind, how compliance is proven).
"""

import io
from typing import Any

from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from docx import Document as new_docx
from docx.document import Document as DocxDocument
from docx.shared import Cm, Pt

from .models import Specification

FONT = "DejaVu Sans"  # has every Lithuanian letter
AUTHOR = "irtis"


def _base(title: str) -> DocxDocument:
    doc = new_docx()
    style = doc.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(10)
    for section in doc.sections:
        section.left_margin = section.right_margin = Cm(2)
    doc.core_properties.author = AUTHOR
    doc.core_properties.title = title
    return doc


def _table(doc: DocxDocument, header: list[str], rows: list[list[str]], widths: list[float]) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for values in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            cell.text = text
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Cm(width)


def _save(doc: DocxDocument) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def specification(spec: Specification, language: str = "lt") -> bytes:
    """The specification as a DOCX in `language` (Lithuanian for the procurement documents)."""
    with translation.override(language):
        doc = _base(str(spec))
        doc.add_heading(_("TECHNICAL SPECIFICATION"), level=0)
        doc.add_paragraph(f"{spec.title}")
        status = spec.get_status_display()
        approved = (_("approved on %(date)s") % {"date": date_format(spec.approved_on, "DATE_FORMAT")}
                    if spec.approved_on else status)
        doc.add_paragraph(_("Code %(code)s, version %(version)s (%(status)s)")
                          % {"code": spec.code, "version": spec.revision, "status": approved})
        if spec.purpose:
            doc.add_heading(_("1. Purpose of the purchase"), level=1)
            doc.add_paragraph(spec.purpose)
        doc.add_heading(_("2. Requirements"), level=1)
        doc.add_paragraph(_("Mandatory requirements must all be met; an offer that does not meet one is rejected. "
                            "Evaluated requirements are scored by the quality criteria."))
        rows: list[list[str]] = []
        section = None
        for req in spec.requirements.all():
            if req.section and req.section != section:
                section = req.section
                rows.append(["", section, "", ""])
            rows.append([str(req.number), req.text, req.get_kind_display(), req.proof])
        _table(doc, [_("No."), _("Requirement"), _("Kind"), _("How compliance is proven")], rows,
               [1.2, 8.8, 2.5, 4.5])
        doc.add_heading(_("3. Proof of compliance"), level=1)
        doc.add_paragraph(_("The supplier gives, for each requirement, the page of its offer where compliance is "
                            "shown."))
        return _save(doc)


def evaluation_report(result: Any, language: str = "lt") -> bytes:
    """The evaluation report of a procurement (see `evaluation.Result`)."""
    from .evaluation import Result

    assert isinstance(result, Result)
    procurement = result.procurement
    with translation.override(language):
        doc = _base(str(procurement))
        doc.add_heading(_("OFFER EVALUATION REPORT"), level=0)
        doc.add_paragraph(f"{procurement.name} — {procurement.specification}")
        doc.add_heading(_("1. Criteria"), level=1)
        _table(doc, [_("Criterion"), _("Kind"), _("Weight")],
               [[c.name, c.get_kind_display(), f"{c.weight}"] for c in result.criteria], [9, 4, 4])
        doc.add_paragraph(_("Price score = lowest price ÷ offer's price × price weight; quality score = mean of the "
                            "evaluators' points ÷ maximum points × criterion weight."))
        doc.add_heading(_("2. Ranking"), level=1)
        rows = []
        for line in result.ranking:
            flags = []
            if line.abnormally_low:
                flags.append(_("abnormally low price"))
            if not line.compliant:
                flags.append(_("does not meet mandatory requirements"))
            rows.append([str(line.rank or "—"), str(line.offer.supplier), f"{line.offer.price:.2f}",
                         f"{line.price_score:.2f}", f"{line.quality_score:.2f}", f"{line.total:.2f}", "; ".join(flags)])
        _table(doc, [_("Rank"), _("Supplier"), _("Price"), _("Price score"), _("Quality score"), _("Total"),
                     _("Notes")], rows, [1.2, 4.5, 2.3, 2, 2, 2, 3])
        doc.add_heading(_("3. Disagreements between evaluators"), level=1)
        if result.disagreements:
            _table(doc, [_("Supplier"), _("Criterion"), _("Lowest"), _("Highest")],
                   [[str(d.offer.supplier), d.criterion.name, f"{d.low}", f"{d.high}"] for d in result.disagreements],
                   [6, 6, 2.5, 2.5])
        else:
            doc.add_paragraph(_("None above the threshold."))
        doc.add_heading(_("4. Evaluators"), level=1)
        for declaration in result.declarations:
            doc.add_paragraph(_("%(name)s declared impartiality on %(date)s.") % {
                "name": declaration.evaluator.get_full_name() or declaration.evaluator.get_username(),
                "date": date_format(declaration.declared_at, "DATE_FORMAT")})
        return _save(doc)
