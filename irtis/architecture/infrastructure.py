"""The architecture description of the whole infrastructure, read from the live database."""

from collections import Counter
from collections.abc import Callable

from django.db import models
from django.utils.translation import gettext as _

from irtis.databases.models import Database
from irtis.inventory.models import Device, Rack, Site, StorageCapacity
from irtis.network.models import VLAN, Prefix, SecurityZone

from . import graphs, services, sources, stack
from .common import field_text, label, link, text, visible
from .document import Cell, Document, Table

MAX_PREFIXES = 300  # the network section lists at most this many prefixes
# Sections of apps above this one (backups), each `build(document, reader)`: see `add_section`.
SECTIONS: list[Callable[[Document, object], None]] = []


def add_section(build: Callable[[Document, object], None]) -> None:
    """Add a section of another app to the infrastructure description (from its ready(); once)."""
    if build not in SECTIONS:
        SECTIONS.append(build)


def describe(user: object) -> Document:
    doc = Document(kind="infrastructure", code="infrastructure",
                   title=_("Architecture description of the ICT infrastructure"),
                   subtitle=_("Lithuanian Customs Information Systems Centre"))
    vms = list(stack.vms_query(user).order_by("cluster__name", "name"))
    devices = list(stack.devices_query(user).exclude(status=Device.Status.RETIRED)
                   .order_by("site__code", "name"))
    instances = list(stack.dbms_query(user).order_by("engine", "name"))
    clusters = list(stack.clusters_query(user).order_by("site__code", "name"))
    systems = _systems_list(user)

    section = doc.section("overview", _("Overview"), text=_(
        "This description is generated from the records of irtis: it shows the infrastructure as "
        "it is recorded at the moment of generation."))
    section.fact(_("Information systems"), len(systems))
    section.fact(_("Sites"), visible(Site.objects.all(), user).count())
    section.fact(_("Physical devices"), len(devices))
    section.fact(_("Virtualisation clusters"), len(clusters))
    section.fact(_("Virtual machines"), len(vms))
    section.fact(_("DBMS instances"), len(instances))
    section.fact(_("Databases"), visible(Database.objects.all(), user).count())
    section.fact(_("Security zones"), visible(SecurityZone.objects.all(), user).count())
    section.fact(_("VLANs"), visible(VLAN.objects.all(), user).count())
    section.fact(_("Prefixes"), visible(Prefix.plain.all(), user).count())

    _systems(doc, systems, user)
    _sites(doc, devices, vms, user)
    section = doc.section("hosting", _("Virtualisation and servers"))
    if clusters:
        section.tables.append(_caption(stack.cluster_table(clusters), _("Virtualisation clusters")))
    roles = Counter((d.site.code, str(d.role)) for d in devices)
    table = Table([_("Site"), _("Role"), _("Devices")], caption=_("Physical devices per site and role"))
    for (site, role), count in sorted(roles.items()):
        table.add(site, role, count)
    section.tables.append(table)
    arrays = list(visible(StorageCapacity.objects.all(), user).select_related("device__site"))
    if arrays:
        table = Table([_("Disk array"), _("Site"), label(StorageCapacity, "raw_tb"),
                       label(StorageCapacity, "usable_tb"), label(StorageCapacity, "used_tb")],
                      caption=_("Disk arrays"))
        for array in arrays:
            table.rows.append([link(array.device), Cell(array.device.site.code), Cell(text(array.raw_tb)),
                               Cell(text(array.usable_tb)),
                               Cell(text(array.used_tb), warn=array.used_percent > 80)])
        section.tables.append(table)

    section = doc.section("databases", _("Databases"), empty=_("No DBMS instances are recorded."))
    if instances:
        section.tables.append(_caption(stack.engine_table(instances), _("DBMS engines and versions")))
        section.tables.append(_caption(stack.dbms_table(instances, user), _("DBMS instances")))
    _network(doc, user)
    services.sections(doc, user)
    _eu(doc, user)
    for build in SECTIONS:
        build(doc, user)
    graphs.infrastructure_sections(doc, systems, user)
    findings = stack.unsupported(user)
    section = doc.section("unsupported", _("Out-of-support software"),
                          empty=_("No software is past its vendor support or end of life."))
    if findings:
        section.tables.append(stack.unsupported_table(findings))
    return doc


def _caption(table: Table, caption: str) -> Table:
    table.caption = caption
    return table


def _systems_list(user: object) -> list:
    model = sources.system_model()
    if model is None:
        return []
    return list(visible(model.objects.all(), user).select_related("category")
                .annotate(n_components=models.Count("components", distinct=True))
                .order_by("category__rank", "code"))


def _systems(doc: Document, systems: list, user: object) -> None:
    section = doc.section("systems", _("Information systems"),
                          empty=_("No information systems are recorded."))
    if not systems:
        return
    model = type(systems[0])
    table = Table([label(model, "code"), label(model, "name"), label(model, "category"),
                   label(model, "lifecycle"), _("RTO (h)"), _("RPO (min)"), _("Availability (%)"),
                   _("Components")])
    for system in systems:
        table.rows.append([
            link(system, system.code), Cell(system.name),
            Cell(str(system.category) if system.category_id else "—"),
            Cell(field_text(system, "lifecycle")),
            Cell(text(system.rto_hours), warn=system.rto_hours is None),
            Cell(text(system.rpo_minutes), warn=system.rpo_minutes is None),
            Cell(text(system.availability_target)), Cell(str(system.n_components)),
        ])
    section.tables.append(table)


def _sites(doc: Document, devices: list, vms: list, user: object) -> None:
    section = doc.section("sites", _("Sites"), empty=_("No sites are recorded."))
    sites = list(visible(Site.objects.all(), user).order_by("code"))
    if not sites:
        return
    per_site = Counter(d.site_id for d in devices)
    vms_per_site = Counter(v.cluster.site_id for v in vms)
    racks = Counter(visible(Rack.objects.all(), user).values_list("site_id", flat=True))
    table = Table([label(Site, "code"), label(Site, "name"), label(Site, "kind"), label(Site, "status"),
                   label(Site, "city"), _("Racks"), _("Devices"), _("Virtual machines")])
    for site in sites:
        table.rows.append([
            link(site, site.code), Cell(site.name), Cell(field_text(site, "kind")),
            Cell(field_text(site, "status"), warn=site.status != Site.Status.ACTIVE),
            Cell(site.city or "—"), Cell(str(racks[site.pk])), Cell(str(per_site[site.pk])),
            Cell(str(vms_per_site[site.pk])),
        ])
    section.tables.append(table)


def _network(doc: Document, user: object) -> None:
    section = doc.section("network", _("Network zones, VLANs and prefixes"),
                          empty=_("No networks are recorded."))
    zones = list(visible(SecurityZone.objects.all(), user).annotate(
        n_vlans=models.Count("vlans", distinct=True), n_prefixes=models.Count("prefixes", distinct=True)))
    if zones:
        table = Table([label(SecurityZone, "code"), label(SecurityZone, "name"),
                       label(SecurityZone, "trust_level"), _("VLANs"), _("Prefixes")],
                      caption=_("Security zones"))
        for zone in zones:
            table.rows.append([link(zone, zone.code), Cell(zone.name), Cell(field_text(zone, "trust_level")),
                               Cell(str(zone.n_vlans)), Cell(str(zone.n_prefixes))])
        section.tables.append(table)
    vlans = list(visible(VLAN.objects.all(), user).select_related("site", "group", "zone"))
    if vlans:
        table = Table([label(VLAN, "vid"), label(VLAN, "name"), label(VLAN, "group"), label(VLAN, "site"),
                       label(VLAN, "zone"), label(VLAN, "status")], caption=_("VLANs"))
        for vlan in vlans:
            table.rows.append([Cell(str(vlan.vid)), link(vlan, vlan.name), link(vlan.group),
                               Cell(vlan.site.code if vlan.site_id else "—"),
                               Cell(vlan.zone.code if vlan.zone_id else "—"),
                               Cell(field_text(vlan, "status"))])
        section.tables.append(table)
    prefixes = visible(Prefix.objects.exclude(status=Prefix.Status.DEPRECATED), user).select_related(
        "vrf", "vlan", "zone", "site")
    total = prefixes.count()
    if total:
        table = Table([label(Prefix, "prefix"), label(Prefix, "vrf"), label(Prefix, "status"),
                       label(Prefix, "vlan"), label(Prefix, "zone"), label(Prefix, "site"),
                       _("Utilisation (%)"), label(Prefix, "description")], caption=_("Prefixes"))
        for prefix in prefixes[:MAX_PREFIXES]:
            used = prefix.utilisation
            table.rows.append([
                link(prefix), Cell(str(prefix.vrf) if prefix.vrf_id else _("global")),
                Cell(field_text(prefix, "status")), Cell(str(prefix.vlan) if prefix.vlan_id else "—"),
                Cell(prefix.zone.code if prefix.zone_id else "—"),
                Cell(prefix.site.code if prefix.site_id else "—"),
                Cell(text(round(used, 1)) if used is not None else "—", warn=(used or 0) > 90),
                Cell(prefix.description or "—"),
            ])
        if total > MAX_PREFIXES:
            table.caption += " " + _("(the first %(shown)d of %(total)d)") % {
                "shown": MAX_PREFIXES, "total": total}
        section.tables.append(table)


def _eu(doc: Document, user: object) -> None:
    from .system import certificate_table

    section = doc.section("interconnections", _("EU interconnections and certificates"),
                          empty=_("No EU interconnections or certificates are recorded."))
    Interconnection, Certificate = sources.model("Interconnection"), sources.model("Certificate")
    if Interconnection is None or Certificate is None:
        return
    links = list(visible(Interconnection.objects.all(), user)
                 .select_related("system", "eu_system", "gateway_vm", "gateway_device")
                 .order_by("eu_system__code", "system__code"))
    if links:
        table = Table([label(Interconnection, "eu_system"), label(Interconnection, "system"),
                       label(Interconnection, "name"), label(Interconnection, "protocol"),
                       _("Gateway"), label(Interconnection, "status")], caption=_("EU interconnections"))
        for item in links:
            table.rows.append([
                link(item.eu_system, f"{item.eu_system.code} {item.eu_system.name}"),
                link(item.system, item.system.code), link(item), Cell(field_text(item, "protocol")),
                link(item.gateway_vm or item.gateway_device), Cell(field_text(item, "status")),
            ])
        section.tables.append(table)
    certificates = list(visible(Certificate.objects.all(), user)
                        .select_related("interconnection", "virtual_machine", "device").order_by("expires"))
    if certificates:
        section.tables.append(certificate_table(certificates))
