"""Tables about a set of machines: where they run, their databases, networks and old software.

Used for one system's stack and for the whole estate alike.
"""

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from irtis.databases.models import Database, DBMSInstance
from irtis.inventory import reports
from irtis.inventory.models import Device
from irtis.network import ip
from irtis.network.models import IPAddress, Prefix
from irtis.virtualization.models import Cluster, VirtualMachine

from .common import address_network, field_text, label, link, text, unique, visible
from .document import Cell, Table


def _version(version: Any) -> Cell:
    """A software version, in red when its vendor support or life has ended."""
    if version is None:
        return Cell("—")
    return link(version, warn=version.out_of_support())


def vm_table(vms: Iterable[VirtualMachine]) -> Table:
    table = Table([label(VirtualMachine, "name"), label(VirtualMachine, "environment"),
                   label(VirtualMachine, "status"), label(VirtualMachine, "cluster"), _("Site"),
                   label(VirtualMachine, "operating_system"), _("vCPU / RAM (GB) / disk (GB)"),
                   label(VirtualMachine, "primary_ip")])
    for vm in vms:
        table.rows.append([
            link(vm), Cell(field_text(vm, "environment")), Cell(field_text(vm, "status")),
            link(vm.cluster), link(vm.cluster.site, vm.cluster.site.code),
            _version(vm.operating_system), Cell(f"{vm.vcpus} / {vm.memory_mb // 1024} / {vm.disk_gb}"),
            Cell(vm.primary_ip.address if vm.primary_ip else "—"),
        ])
    return table


def cluster_table(clusters: Iterable[Any]) -> Table:  # clusters `with_capacity`
    table = Table([label(Cluster, "name"), label(Cluster, "type"), label(Cluster, "site"),
                   label(Cluster, "status"), _("Hosts"), _("Physical cores"), _("Memory (GB)"),
                   _("Virtual machines"), _("Allocated vCPUs")])
    for cluster in clusters:
        capacity = cluster.capacity
        hosts = capacity.hosts
        table.rows.append([
            link(cluster), Cell(str(cluster.type)), link(cluster.site, cluster.site.code),
            Cell(field_text(cluster, "status")), Cell(str(hosts), warn=hosts < 2),
            Cell(text(capacity.cores)), Cell(text(capacity.memory_gb)),
            Cell(text(cluster.allocated_vms)), Cell(text(cluster.allocated_vcpus)),
        ])
    return table


def device_table(devices: Iterable[Device]) -> Table:
    table = Table([label(Device, "name"), label(Device, "role"), label(Device, "hardware_model"),
                   label(Device, "site"), label(Device, "rack"), label(Device, "position"),
                   label(Device, "platform"), label(Device, "status")])
    for device in devices:
        table.rows.append([
            link(device), Cell(str(device.role)), Cell(str(device.hardware_model)),
            link(device.site, device.site.code), link(device.rack) if device.rack_id else Cell("—"),
            Cell(text(device.position)), _version(device.platform),
            Cell(field_text(device, "status"), warn=device.status != Device.Status.ACTIVE),
        ])
    return table


def dbms_table(instances: Iterable[DBMSInstance], user: object) -> Table:
    instances = list(instances)
    names: dict[int, list[str]] = defaultdict(list)
    databases = visible(Database.objects.filter(instance__in=instances), user)
    for instance_id, name in databases.order_by("name").values_list("instance_id", "name"):
        names[instance_id].append(name)
    table = Table([label(DBMSInstance, "name"), label(DBMSInstance, "engine"),
                   label(DBMSInstance, "software_version"), label(DBMSInstance, "role"),
                   label(DBMSInstance, "cluster_name"), label(DBMSInstance, "environment"),
                   _("Runs on"), _("Databases")])
    for instance in instances:
        table.rows.append([
            link(instance), Cell(field_text(instance, "engine")),
            _version(instance.software_version),
            Cell(field_text(instance, "role")), Cell(instance.cluster_name or "—"),
            Cell(field_text(instance, "environment")), link(instance.host),
            Cell(", ".join(names[instance.pk]) or "—"),
        ])
    return table


def engine_table(instances: Iterable[DBMSInstance]) -> Table:
    """Instances per DBMS engine and version: what the estate runs."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for instance in instances:
        version = str(instance.software_version) if instance.software_version_id else "—"
        counts[(field_text(instance, "engine"), version)] += 1
    table = Table([label(DBMSInstance, "engine"), label(DBMSInstance, "software_version"),
                   _("Instances")])
    for (engine, version), count in sorted(counts.items()):
        table.add(engine, version, count)
    return table


def vms_query(user: object) -> models.QuerySet:
    return visible(VirtualMachine.objects.all(), user).select_related(
        "cluster__site", "operating_system", "primary_ip")


def devices_query(user: object) -> models.QuerySet:
    return visible(Device.objects.all(), user).select_related(
        "site", "rack", "role", "hardware_model", "platform")


def dbms_query(user: object) -> models.QuerySet:
    return visible(DBMSInstance.objects.all(), user).select_related(
        "software_version", "device", "virtual_machine")


def clusters_query(user: object) -> models.QuerySet:
    return visible(Cluster.objects.with_capacity(), user).select_related("type", "site")


# --- networks ---------------------------------------------------------------------------------

def _prefixes_of(address: str, vrf_id: int | None = None, any_vrf: bool = True) -> list[Prefix]:
    """The prefixes that hold the address, the most specific first."""
    network = address_network(address)
    if network is None:
        return []
    key = ip.key(network.ip)
    found = Prefix.objects.filter(start_key__lte=key, end_key__gte=key, family=network.version)
    if not any_vrf or vrf_id is not None:
        found = found.filter(vrf_id=vrf_id)  # type: ignore[misc]  # None: the global table (IS NULL)
    return list(found.select_related("vlan__zone", "zone", "site", "vrf").order_by("-length"))


def _zone(prefix: Prefix) -> Any:
    return prefix.zone or (prefix.vlan.zone if prefix.vlan else None)


def addresses_of(vms: Iterable[VirtualMachine], devices: Iterable[Device],
                 user: object) -> list[tuple[models.Model, str, int | None]]:
    """(machine, address, VRF id) of every known address of the machines."""
    vms = list(vms)
    by_vm = {v.pk: v for v in vms}
    found: list[tuple[models.Model, str, int | None]] = []
    on_vms = visible(IPAddress.objects.filter(vm_assignments__interface__virtual_machine__in=vms), user)
    for vm_id, address, vrf_id in on_vms.values_list(
            "vm_assignments__interface__virtual_machine_id", "address", "vrf_id"):
        found.append((by_vm[vm_id], address, vrf_id))
    devices = list(devices)
    by_id = {d.pk: d for d in devices}
    rows = visible(IPAddress.objects.filter(interface__device__in=devices), user)
    for device_id, address, vrf_id in rows.values_list("interface__device_id", "address", "vrf_id"):
        found.append((by_id[device_id], address, vrf_id))
    return found


def network_table(addresses: list[tuple[models.Model, str, int | None]]) -> Table:
    """Each machine's address with the network it is in, its VLAN and security zone. The network
    is the most specific prefix that is not a mere container (an address plan's /8 says nothing of
    where a machine is connected); the zone, that of the most specific prefix that names one."""
    table = Table([_("Machine"), _("Address"), _("Prefix"), _("VLAN"), _("Security zone")])
    for machine, address, vrf_id in addresses:
        prefixes = _prefixes_of(address, vrf_id, any_vrf=vrf_id is None)
        prefix = next((p for p in prefixes if p.status != Prefix.Status.CONTAINER), None)
        zone = next((_zone(p) for p in prefixes if _zone(p) is not None), None)
        table.rows.append([link(machine), Cell(address),
                           link(prefix) if prefix else Cell(_("in no recorded network"), warn=True),
                           link(prefix.vlan if prefix else None),
                           link(zone) if zone else Cell(_("unknown"), warn=True)])
    return table


def zones_of(table: Table) -> list[str]:
    return sorted({row[4].text for row in table.rows if row[4].url})


# --- software past its support -----------------------------------------------------------------

def unsupported(user: object, targets: Iterable[models.Model] | None = None) -> list[Any]:
    """The inventory's out-of-support findings, for `targets` only when given."""
    findings = reports.out_of_support(user)
    if targets is None:
        return findings
    wanted = {(type(t), t.pk) for t in unique(targets)}
    return [f for f in findings if f.target is not None and (type(f.target), f.target.pk) in wanted]


def unsupported_table(findings: list[Any]) -> Table:
    table = Table([_("Runs on"), _("Software version"), _("Recorded as"), _("Site"),
                   _("Support ended"), _("Days since")])
    for finding in findings:
        table.rows.append([
            link(finding.target), link(finding.version, warn=True), Cell(finding.via),
            link(finding.site, finding.site.code) if finding.site else Cell("—"),
            Cell(text(finding.ended), warn=True), Cell(str(finding.days)),
        ])
    return table
