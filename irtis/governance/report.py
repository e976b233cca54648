"""The conformance report of a proposal as DOCX or PDF (`irtis.architecture.report`): the
proposal, its components and interfaces, every finding with what it cites, and the decision."""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from irtis.architecture import report
from irtis.architecture.report import Writer

from .proposals_models import Proposal, ProposalFinding


def title(proposal: Proposal) -> str:
    return _("Conformance report: %(proposal)s") % {"proposal": proposal}


def content(proposal: Proposal, word: Writer) -> None:
    word.heading(title(proposal), level=0)
    checked = date_format(timezone.localtime(proposal.checked), "DATETIME_FORMAT") if proposal.checked else "—"
    word.table([_("Field"), _("Value")], [
        [_("Kind"), proposal.get_kind_display()],
        [_("Information system"), str(proposal.system or "—")],
        [_("Importance category"), str(proposal.category or "—")],
        [_("Target cluster"), str(proposal.cluster or "—")],
        [_("Target disk array"), str(proposal.storage or "—")],
        [_("Target prefix"), str(proposal.prefix or "—")],
        [_("Owner unit"), proposal.owner_unit or "—"],
        [_("Data categories"), proposal.data_categories or "—"],
        [_("Planned end of life"), str(proposal.planned_end or "—")],
        [_("Last checked"), checked],
        [_("Status"), proposal.get_status_display()],
    ])
    word.heading(_("Components"))
    word.table([_("Name"), _("Kind"), _("Technology version"), _("Operating system"), _("Zone"), _("Instances"),
                _("vCPU"), _("Memory (GB)"), _("Storage (GB)"), _("IP addresses")], [
        [c.name, c.get_kind_display(), str(c.software_version or "—"), str(c.operating_system or "—"),
         str(c.zone.code if c.zone else "—"), str(c.instances), str(c.vcpu), str(c.memory_gb), str(c.storage_gb),
         str(c.ip_addresses)]
        for c in proposal.components.select_related("software_version", "operating_system", "zone").order_by("name")])
    interfaces = list(proposal.interfaces.select_related("system", "eu_system", "source_zone", "destination_zone"))
    if interfaces:
        word.heading(_("Interfaces"))
        word.table([_("Name"), _("To"), _("From zone"), _("To zone"), _("Protocol"), _("Ports")], [
            [i.name, str(i.system or i.eu_system or "—"), i.source_zone.code, i.destination_zone.code,
             i.get_protocol_display(), i.ports or "*"] for i in interfaces])
    word.heading(_("Findings"))
    findings = list(proposal.findings.order_by("automatic", "id"))
    order = list(ProposalFinding.Severity)
    findings.sort(key=lambda f: (order.index(ProposalFinding.Severity(f.severity)), not f.automatic, f.pk))
    if findings:
        word.table([_("No."), _("Severity"), _("Cites"), _("Finding"), _("Source")], [
            [str(n), f.get_severity_display(), f.citation, f.message, _("automatic") if f.automatic else _("manual")]
            for n, f in enumerate(findings, 1)])
    else:
        word.paragraph(_("No findings."))
    word.heading(_("Decision"))
    word.paragraph(proposal.get_status_display())
    if proposal.decided_by or proposal.decided_on:
        word.paragraph(_("Decided by %(who)s on %(date)s.") % {
            "who": proposal.decided_by or "—", "date": proposal.decided_on or "—"})
    if proposal.decision_note:
        word.paragraph(proposal.decision_note)


def build(proposal: Proposal, fmt: str = "docx") -> bytes:
    return report.write(fmt, title(proposal), lambda word: content(proposal, word))
