"""The infrastructure description's sections on the services everything leans on: WAN circuits,
voice, Active Directory, e-mail and mobile access (statute 2.2, 2.4, 2.7–2.9)."""

from collections import Counter

from django.utils.translation import gettext as _

from irtis.directory.models import DirectoryDomain, DomainController
from irtis.inventory import mobile_access
from irtis.inventory.models import MobileDevice
from irtis.mail.models import MailServer, MailSystem
from irtis.network.models import Circuit, NumberRange, VoiceGateway

from .common import field_text, label, link, text, visible
from .document import Cell, Document, Table


def sections(doc: Document, user: object) -> None:
    _wan(doc, user)
    _voice(doc, user)
    _directory(doc, user)
    _mail(doc, user)
    _mobile(doc, user)


def _wan(doc: Document, user: object) -> None:
    section = doc.section("wan", _("WAN circuits"), empty=_("No circuits are recorded."))
    circuits = list(visible(Circuit.objects.exclude(status=Circuit.Status.DECOMMISSIONED), user)
                    .select_related("provider", "site_a", "site_b").order_by("site_a__code", "cid"))
    if circuits:
        table = Table([label(Circuit, "cid"), label(Circuit, "provider"), label(Circuit, "kind"),
                       label(Circuit, "site_a"), label(Circuit, "site_b"), label(Circuit, "bandwidth_mbps"),
                       label(Circuit, "status")], caption=_("WAN circuits"))
        for circuit in circuits:
            table.rows.append([link(circuit, circuit.cid), link(circuit.provider), Cell(field_text(circuit, "kind")),
                               Cell(circuit.site_a.code), Cell(circuit.site_b.code if circuit.site_b_id else "—"),
                               Cell(text(circuit.bandwidth_mbps)), Cell(field_text(circuit, "status"))])
        section.tables.append(table)


def _voice(doc: Document, user: object) -> None:
    section = doc.section("voice", _("Voice"), empty=_("No voice gateways are recorded."))
    gateways = list(visible(VoiceGateway.objects.all(), user).select_related("site", "device").order_by("name"))
    if not gateways:
        return
    ranges = Counter(visible(NumberRange.objects.all(), user).values_list("gateway_id", flat=True))
    table = Table([label(VoiceGateway, "name"), label(VoiceGateway, "site"), label(VoiceGateway, "device"),
                   _("Number ranges")], caption=_("Voice gateways"))
    for gateway in gateways:
        table.rows.append([link(gateway), Cell(gateway.site.code), link(gateway.device),
                           Cell(str(ranges[gateway.pk]))])
    section.tables.append(table)


def _directory(doc: Document, user: object) -> None:
    section = doc.section("directory", _("Active Directory"), empty=_("No directory domains are recorded."))
    domains = list(visible(DirectoryDomain.objects.all(), user).order_by("fqdn"))
    if not domains:
        return
    table = Table([label(DirectoryDomain, "fqdn"), label(DirectoryDomain, "netbios_name"),
                   label(DirectoryDomain, "functional_level")], caption=_("Directory domains"))
    for domain in domains:
        table.rows.append([link(domain, domain.fqdn), Cell(domain.netbios_name),
                           Cell(field_text(domain, "functional_level"))])
    section.tables.append(table)
    controllers = list(visible(DomainController.objects.all(), user)
                       .select_related("domain", "site", "device").order_by("domain__fqdn", "name"))
    if controllers:
        table = Table([label(DomainController, "name"), label(DomainController, "domain"),
                       label(DomainController, "site"), label(DomainController, "device"),
                       label(DomainController, "global_catalog"), label(DomainController, "read_only"),
                       label(DomainController, "fsmo_roles")], caption=_("Domain controllers"))
        for dc in controllers:
            table.rows.append([link(dc, dc.name), Cell(dc.domain.fqdn), Cell(dc.site.code), link(dc.device),
                               Cell(text(dc.global_catalog)), Cell(text(dc.read_only)),
                               Cell(field_text(dc, "fsmo_roles") or "—")])
        section.tables.append(table)


def _mail(doc: Document, user: object) -> None:
    section = doc.section("mail", _("E-mail"), empty=_("No mail systems are recorded."))
    systems = list(visible(MailSystem.objects.all(), user).select_related("software_version").order_by("name"))
    if not systems:
        return
    servers = list(visible(MailServer.objects.all(), user).select_related("mail_system", "device", "virtual_machine")
                   .order_by("mail_system__name", "name"))
    table = Table([label(MailServer, "name"), label(MailServer, "mail_system"), label(MailServer, "role"),
                   label(MailServer, "device"), label(MailServer, "virtual_machine")], caption=_("Mail servers"))
    for server in servers:
        table.rows.append([link(server, server.name), Cell(server.mail_system.name),
                           Cell(field_text(server, "role")), link(server.device),
                           link(server.virtual_machine)])
    summary = Table([label(MailSystem, "name"), label(MailSystem, "software_version"), label(MailSystem, "domains")],
                    caption=_("Mail systems"))
    for system in systems:
        summary.rows.append([link(system), link(system.software_version), Cell(system.domains)])
    section.tables.append(summary)
    if servers:
        section.tables.append(table)


def _mobile(doc: Document, user: object) -> None:
    section = doc.section("mobile", _("Mobile access"), empty=_("No mobile devices are recorded."))
    counts = Counter(visible(MobileDevice.objects.all(), user).values_list("kind", "mdm_state", "compliance"))
    if not counts:
        return
    kinds, states, compliance = (dict(MobileDevice.Kind.choices), dict(MobileDevice.MDMState.choices),
                                 dict(MobileDevice.Compliance.choices))
    table = Table([label(MobileDevice, "kind"), label(MobileDevice, "mdm_state"), label(MobileDevice, "compliance"),
                   _("Devices")], caption=_("Mobile devices by enrolment and compliance"))
    for (kind, state, complies), count in sorted(counts.items()):
        table.rows.append([Cell(str(kinds.get(kind, kind))), Cell(str(states.get(state, state))),
                           Cell(str(compliance.get(complies, complies)), warn=complies != "compliant"),
                           Cell(str(count))])
    section.fact(_("Mobile devices"), sum(counts.values()))
    section.tables.append(table)
    systems = Table([label(MobileDevice, "operating_system"), _("Vendor support end"), _("Devices")],
                    caption=_("Operating systems of mobile devices"))
    for row in mobile_access.operating_systems(user):
        ends = row.version.support_ends if row.version else None
        systems.rows.append([Cell(str(row.version or "—"), warn=row.state == "unsupported"),
                             Cell(ends.isoformat() if ends else "—", warn=row.state != "supported"),
                             Cell(str(row.devices))])
    section.tables.append(systems)
