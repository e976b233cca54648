"""The conformance report of a proposal as DOCX (python-docx, as the architecture documents):
the proposal, its components and interfaces, every finding with what it cites, and the decision."""

import io

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from docx import Document
from docx.document import Document as DocxDocument
from docx.shared import Pt

from irtis.architecture.word import AUTHOR, FONT

from .proposals_models import Proposal, ProposalFinding


def _table(word: DocxDocument, headings: list[str], rows: list[list[str]]) -> None:
    grid = word.add_table(rows=1, cols=len(headings))
    grid.style = "Table Grid"
    for heading, cell in zip(headings, grid.rows[0].cells, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(heading).bold = True
    for row in rows:
        for value, cell in zip(row, grid.add_row().cells, strict=True):
            cell.text = value
    word.add_paragraph()


def build(proposal: Proposal) -> bytes:
    word = Document()
    word.styles["Normal"].font.name = FONT
    word.styles["Normal"].font.size = Pt(10)
    word.core_properties.author = AUTHOR
    word.core_properties.title = _("Conformance report: %(proposal)s") % {"proposal": proposal}
    word.add_heading(_("Conformance report: %(proposal)s") % {"proposal": proposal}, level=0)
    checked = date_format(timezone.localtime(proposal.checked), "DATETIME_FORMAT") if proposal.checked else "—"
    _table(word, [_("Field"), _("Value")], [
        [_("Kind"), proposal.get_kind_display()],
        [_("Information system"), str(proposal.system or "—")],
        [_("Importance category"), str(proposal.category or "—")],
        [_("Target cluster"), str(proposal.cluster or "—")],
        [_("Target prefix"), str(proposal.prefix or "—")],
        [_("Owner unit"), proposal.owner_unit or "—"],
        [_("Data categories"), proposal.data_categories or "—"],
        [_("Planned end of life"), str(proposal.planned_end or "—")],
        [_("Last checked"), checked],
        [_("Status"), proposal.get_status_display()],
    ])
    word.add_heading(_("Components"), level=1)
    _table(word, [_("Name"), _("Kind"), _("Technology version"), _("Operating system"), _("Zone"), _("Instances"),
                  _("vCPU"), _("Memory (GB)"), _("Storage (GB)"), _("IP addresses")], [
        [c.name, c.get_kind_display(), str(c.software_version or "—"), str(c.operating_system or "—"),
         str(c.zone.code if c.zone else "—"), str(c.instances), str(c.vcpu), str(c.memory_gb), str(c.storage_gb),
         str(c.ip_addresses)]
        for c in proposal.components.select_related("software_version", "operating_system", "zone").order_by("name")])
    interfaces = list(proposal.interfaces.select_related("system", "eu_system", "source_zone", "destination_zone"))
    if interfaces:
        word.add_heading(_("Interfaces"), level=1)
        _table(word, [_("Name"), _("To"), _("From zone"), _("To zone"), _("Protocol"), _("Ports")], [
            [i.name, str(i.system or i.eu_system or "—"), i.source_zone.code, i.destination_zone.code,
             i.get_protocol_display(), i.ports or "*"] for i in interfaces])
    word.add_heading(_("Findings"), level=1)
    findings = list(proposal.findings.order_by("automatic", "id"))
    order = list(ProposalFinding.Severity)
    findings.sort(key=lambda f: (order.index(ProposalFinding.Severity(f.severity)), not f.automatic, f.pk))
    if findings:
        _table(word, [_("No."), _("Severity"), _("Cites"), _("Finding"), _("Source")], [
            [str(n), f.get_severity_display(), f.citation, f.message, _("automatic") if f.automatic else _("manual")]
            for n, f in enumerate(findings, 1)])
    else:
        word.add_paragraph(_("No findings."))
    word.add_heading(_("Decision"), level=1)
    word.add_paragraph(proposal.get_status_display())
    if proposal.decided_by or proposal.decided_on:
        word.add_paragraph(_("Decided by %(who)s on %(date)s.") % {
            "who": proposal.decided_by or "—", "date": proposal.decided_on or "—"})
    if proposal.decision_note:
        word.add_paragraph(proposal.decision_note)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()
