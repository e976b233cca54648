"""The architecture description of one information system, read from the live database."""

from collections import defaultdict
from typing import Any, cast

from django.db import models
from django.utils.translation import gettext as _

from irtis.inventory.models import Device
from irtis.virtualization.models import ClusterHost, Environment, VirtualMachine

from . import graphs, sources, stack
from .common import field_text, label, link, text, unique, visible
from .document import Cell, Document, Table


def describe(system: Any, user: object) -> Document:
    doc = Document(kind="system", code=system.code, target=system,
                   title=_("Architecture description of the information system %(code)s") % {
                       "code": system.code},
                   subtitle=system.name)
    _overview(doc, system)
    components = list(visible(system.components.all(), user).order_by("environment", "name"))
    deployments = list(
        visible(cast(type[Any], sources.model("Deployment")).objects.filter(component__in=components), user)
        .select_related("virtual_machine__cluster__site", "virtual_machine__operating_system",
                        "device__site", "dbms_instance__software_version", "database__instance")
    )
    _components(doc, components, deployments)
    machines = _stack(doc, user, deployments, system)
    _interconnections(doc, system, user, machines)
    graphs.system_sections(doc, system, user)
    findings = stack.unsupported(user, machines)
    section = doc.section("unsupported", _("Out-of-support software in the stack"),
                          empty=_("No software in this system's stack is past its vendor support or "
                                  "end of life."))
    if findings:
        section.tables.append(stack.unsupported_table(findings))
    return doc


def _overview(doc: Document, system: Any) -> None:
    model = type(system)
    section = doc.section("overview", _("Purpose and importance"), text=system.purpose)
    category = system.category
    section.fact(label(model, "code"), system.code)
    section.fact(label(model, "name"), system.name)
    section.fact(label(model, "category"), category if category else _("not set"), warn=category is None)
    section.fact(label(model, "lifecycle"), field_text(system, "lifecycle"))
    for name in ("owner_unit", "controller", "processor", "security_officer"):
        section.fact(label(model, name), field_text(system, name))
    section.fact(_("Recovery time objective (RTO)"),
                 _("%(hours)s h") % {"hours": text(system.rto_hours)} if system.rto_hours is not None
                 else _("not set"), warn=system.rto_hours is None)
    section.fact(_("Recovery point objective (RPO)"),
                 _("%(minutes)s min") % {"minutes": system.rpo_minutes}
                 if system.rpo_minutes is not None else _("not set"), warn=system.rpo_minutes is None)
    section.fact(_("Availability target"),
                 f"{text(system.availability_target)} %" if system.availability_target is not None
                 else _("not set"), warn=system.availability_target is None)
    if system.description:
        section.fact(label(model, "description"), system.description)


def redundancy(deployed: int, required: int) -> Cell:
    """How many deployments may fail before the component stops: "N+1", "none", "too few"."""
    if deployed < required:
        return Cell(_("too few: %(deployed)d of %(required)d") % {
            "deployed": deployed, "required": required}, warn=True)
    if deployed == required:
        return Cell(_("none (N)"), warn=True)
    return Cell(f"N+{deployed - required}")


def _components(doc: Document, components: list, deployments: list) -> None:
    section = doc.section("components", _("Components per environment"),
                          empty=_("No components are recorded for this system."))
    per_component: dict[int, list] = defaultdict(list)
    for deployment in deployments:
        per_component[deployment.component_id].append(deployment)
    labels = dict(Environment.choices)
    for environment in Environment.values:
        rows = [c for c in components if c.environment == environment]
        if not rows:
            continue
        Component = type(rows[0])
        table = Table([label(Component, "name"), label(Component, "kind"),
                       label(Component, "required_instances"), _("Deployed"), _("Redundancy"),
                       _("Runs on")], caption=str(labels[environment]).capitalize())
        for component in rows:
            placed = per_component[component.pk]
            table.rows.append([
                link(component, component.name), Cell(field_text(component, "kind")),
                Cell(str(component.required_instances)), Cell(str(len(placed))),
                redundancy(len(placed), component.required_instances),
                Cell(", ".join(str(d.target) for d in placed) or "—", warn=not placed),
            ])
        section.tables.append(table)


def _stack(doc: Document, user: object, deployments: list, system: Any) -> list:
    """Hosting, databases and networks of the deployments; returns every machine in the stack."""
    vms = unique(d.virtual_machine for d in deployments)
    devices = unique(d.device for d in deployments)
    instances = unique([d.dbms_instance for d in deployments]
                       + [d.database.instance for d in deployments if d.database_id])
    gateways = list(visible(system.interconnections.all(), user)
                    .select_related("gateway_vm", "gateway_device"))
    vms = unique(vms + [i.gateway_vm for i in gateways])
    devices = unique(devices + [i.gateway_device for i in gateways])
    # Database instances on the system's machines, and the machines the instances run on.
    instances = unique(instances + list(stack.dbms_query(user).filter(
        models.Q(virtual_machine__in=vms) | models.Q(device__in=devices))))
    vms = unique(vms + [i.virtual_machine for i in instances])
    vms = list(stack.vms_query(user).filter(pk__in=[v.pk for v in vms]).order_by("environment", "name"))
    clusters = list(stack.clusters_query(user).filter(pk__in={v.cluster_id for v in vms}))
    hosts = visible(ClusterHost.objects.filter(cluster__in=clusters), user).values_list("device_id", flat=True)
    device_ids = {d.pk for d in devices} | {i.device_id for i in instances if i.device_id} | set(hosts)
    devices = list(stack.devices_query(user).filter(pk__in=device_ids).order_by("site__code", "name"))

    section = doc.section("hosting", _("Hosting"), empty=_("No hosting is recorded for this system."))
    if vms:
        section.tables.append(_caption(stack.vm_table(vms), _("Virtual machines")))
    if clusters:
        section.tables.append(_caption(stack.cluster_table(clusters), _("Virtualisation clusters")))
    if devices:
        section.tables.append(_caption(stack.device_table(devices), _("Physical devices")))
    sites = unique([v.cluster.site for v in vms] + [d.site for d in devices])
    if sites:
        section.fact(_("Sites"), ", ".join(f"{s.code} {s.name}" for s in sites))
        racks = unique(d.rack for d in devices if d.rack_id)
        section.fact(_("Racks"), ", ".join(str(r) for r in racks) or "—")

    section = doc.section("databases", _("Databases"),
                          empty=_("No DBMS instances are recorded for this system."))
    if instances:
        instances = list(stack.dbms_query(user).filter(pk__in=[i.pk for i in instances]))
        section.tables.append(stack.dbms_table(instances, user))

    section = doc.section("network", _("Network zones, VLANs and prefixes"),
                          empty=_("No addresses of this system's machines are recorded."))
    addresses = stack.addresses_of(vms, devices, user)
    if addresses:
        table = stack.network_table(addresses)
        section.fact(_("Security zones"), ", ".join(stack.zones_of(table)) or _("unknown"))
        section.tables.append(table)
    machines: list[Any] = [*vms, *devices, *instances]
    return machines


def _caption(table: Table, caption: str) -> Table:
    table.caption = caption
    return table


def _interconnections(doc: Document, system: Any, user: object, machines: list) -> None:
    section = doc.section("interconnections", _("Interconnections and certificates"),
                          empty=_("No interconnections or certificates are recorded."))
    graphs.dependency_tables(section, system, user)
    links = list(visible(system.interconnections.all(), user)
                 .select_related("eu_system", "gateway_vm", "gateway_device").order_by("name"))
    if links:
        Interconnection = type(links[0])
        table = Table([label(Interconnection, "name"), label(Interconnection, "eu_system"),
                       label(Interconnection, "protocol"), label(Interconnection, "queue"),
                       _("Gateway"), label(Interconnection, "status"),
                       label(Interconnection, "ec_contact")], caption=_("EU interconnections"))
        for item in links:
            table.rows.append([
                link(item), link(item.eu_system, f"{item.eu_system.code} {item.eu_system.name}"),
                Cell(field_text(item, "protocol")), Cell(item.queue or "—"),
                link(item.gateway_vm or item.gateway_device), Cell(field_text(item, "status")),
                Cell(item.ec_contact or "—"),
            ])
        section.tables.append(table)
    Certificate = sources.model("Certificate")
    if Certificate is None:
        return
    vms = [m.pk for m in machines if isinstance(m, VirtualMachine)]
    devices = [m.pk for m in machines if isinstance(m, Device)]
    certificates = list(visible(Certificate.objects.filter(
        models.Q(interconnection__in=links) | models.Q(virtual_machine__in=vms)
        | models.Q(device__in=devices)), user)
        .select_related("interconnection", "virtual_machine", "device").order_by("expires"))
    if certificates:
        section.tables.append(certificate_table(certificates))


def certificate_table(certificates: list) -> Table:
    model = type(certificates[0])
    table = Table([label(model, "subject"), label(model, "issuer"), label(model, "serial"),
                   label(model, "expires"), _("Days left"), _("Used by")], caption=_("Certificates"))
    for certificate in certificates:
        days = certificate.days_left
        warn = certificate.expiry_state != "valid"
        user_of = certificate.interconnection or certificate.virtual_machine or certificate.device
        table.rows.append([
            link(certificate, certificate.subject), Cell(certificate.issuer), Cell(certificate.serial),
            Cell(text(certificate.expires), warn=warn),
            Cell(_("expired") if days < 0 else str(days), warn=warn), link(user_of),
        ])
    return table

