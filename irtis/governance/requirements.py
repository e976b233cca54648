"""Infrastructure requirements for a new system of an importance category (statute 1.4, 2.14),
generated from the catalogue and the rules as a numbered DOCX a procurement specification can
include: the principles, each rule of the category as a requirement, and the technologies by
area and status."""

import io

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from docx import Document
from docx.shared import Pt

from irtis.architecture.word import AUTHOR, FONT
from irtis.systems.models import ImportanceCategory

from .models import Lifecycle, Principle, Rule, RuleKind, Technology


def requirement(rule: Rule) -> str:
    """What the rule asks of a new system, as one sentence."""
    tolerated = rule.accept_tolerated
    texts = {
        RuleKind.DBMS_APPROVED: _("The database management system shall be of a version approved in the technology "
                                  "catalogue (section 3).") if not tolerated else _(
            "The database management system shall be of a version approved or tolerated in the technology catalogue "
            "(section 3)."),
        RuleKind.SOFTWARE_APPROVED: _("All software and hardware shall be of versions and models approved in the "
                                      "technology catalogue (section 3).") if not tolerated else _(
            "All software and hardware shall be of versions and models approved or tolerated in the technology "
            "catalogue (section 3)."),
        RuleKind.NOTHING_FORBIDDEN: _("No technology that the catalogue lists as forbidden or retiring shall be "
                                      "used."),
        RuleKind.DATA_CENTRES: _("The system shall run in at least %(count)s data centres.") % {
            "count": rule.minimum or 1},
        RuleKind.INTERNET_IN_DMZ: _("Components reachable from the internet shall be placed only in a demilitarised "
                                    "zone (DMZ)."),
        RuleKind.OS_SUPPORTED: _("The operating systems shall be supported by their vendors until the planned end "
                                 "of the system's life."),
        RuleKind.OWNER_AND_BACKUP: _("The system shall have an owner unit and a backup policy agreed with the "
                                     "division."),
    }
    return texts[RuleKind(rule.kind)]


def build(category: ImportanceCategory) -> bytes:
    word = Document()
    word.styles["Normal"].font.name = FONT
    word.styles["Normal"].font.size = Pt(10)
    word.core_properties.author = AUTHOR
    title = _("Infrastructure requirements for a new information system of category %(category)s") % {
        "category": category}
    word.core_properties.title = title
    word.add_heading(title, level=0)
    word.add_paragraph(_("Generated %(when)s from the technology catalogue and the architecture rules.") % {
        "when": date_format(timezone.localtime(), "DATETIME_FORMAT")})
    rules = list(Rule.objects.filter(enabled=True).filter(category__isnull=True).select_related("principle")
                 .order_by("code")) + list(Rule.objects.filter(enabled=True, category=category)
                                           .select_related("principle").order_by("code"))
    word.add_heading(_("1. Architecture principles"), level=1)
    for n, principle in enumerate(Principle.objects.order_by("code"), 1):
        word.add_paragraph(f"1.{n}. {principle.name} ({principle.code}). {principle.statement}")
    word.add_heading(_("2. Requirements"), level=1)
    for n, rule in enumerate(rules, 1):
        word.add_paragraph(f"2.{n}. {requirement(rule)} " + _("(Rule %(rule)s, principle %(principle)s.)") % {
            "rule": rule.code, "principle": rule.principle.code})
    if not rules:
        word.add_paragraph(_("No architecture rule applies to this category."))
    word.add_heading(_("3. Technology catalogue"), level=1)
    technologies = list(Technology.objects.prefetch_related("software_versions", "hardware_models").order_by("name"))
    for n, status in enumerate((Lifecycle.APPROVED, Lifecycle.TOLERATED, Lifecycle.RETIRING, Lifecycle.FORBIDDEN), 1):
        word.add_heading(f"3.{n}. {Lifecycle(status).label.capitalize()}", level=2)
        chosen = [t for t in technologies if t.status == status]
        for m, tech in enumerate(chosen, 1):
            covered = ", ".join([*(v.name for v in tech.software_versions.all()),
                                 *(h.name for h in tech.hardware_models.all())])
            line = f"3.{n}.{m}. {tech.name} – {tech.get_area_display()}"
            if covered:
                line += f" ({covered})"
            if tech.retire_by:
                line += ". " + _("Must be gone by %(date)s.") % {"date": tech.retire_by.isoformat()}
            word.add_paragraph(line)
        if not chosen:
            word.add_paragraph("—")
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()
