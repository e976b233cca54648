"""Objects the virtualisation and database tests build on: sites, servers, clusters, machines."""

from decimal import Decimal
from typing import Any

from irtis.inventory.models import Device, DeviceRole, HardwareModel, Manufacturer, Site
from irtis.network.models import IPAddress
from irtis.virtualization.models import (
    Cluster,
    ClusterHost,
    ClusterType,
    VirtualMachine,
    VMAddressAssignment,
    VMInterface,
)


def site(code: str = "DC1") -> Site:
    return Site.objects.get_or_create(
        code=code,
        defaults={"name": f"Duomenų centras {code}", "kind": Site.Kind.DATA_CENTRE},
    )[0]


def server(name: str, at: Site | None = None) -> Device:
    maker = Manufacturer.objects.get_or_create(name="Hewlett Packard Enterprise")[0]
    model = HardwareModel.objects.get_or_create(
        name="ProLiant DL380 Gen11", defaults={"manufacturer": maker, "u_height": 2}
    )[0]
    role = DeviceRole.objects.get_or_create(name="Tarnybinė stotis")[0]
    return Device.objects.create(name=name, role=role, hardware_model=model, site=at or site())


def cluster(name: str = "CL-PROD", **values: Any) -> Cluster:
    kind = ClusterType.objects.get_or_create(name="VMware vSphere")[0]
    values.setdefault("site", site())
    values.setdefault("storage_tb", Decimal("10"))
    return Cluster.objects.create(name=name, type=kind, **values)


def host(of: Cluster, name: str, cores: int = 32, memory_gb: int = 512) -> ClusterHost:
    return ClusterHost.objects.create(
        cluster=of, device=server(name, of.site), cpu_cores=cores, memory_gb=memory_gb
    )


def vm(
    name: str,
    on: Cluster,
    vcpus: int = 4,
    memory_mb: int = 8192,
    disk_gb: int = 100,
    primary_ip: str = "",
    **values: Any,
) -> VirtualMachine:
    """A machine; `primary_ip` (text) is recorded in the global table on its interface eth0."""
    machine = VirtualMachine.objects.create(
        name=name, cluster=on, vcpus=vcpus, memory_mb=memory_mb, disk_gb=disk_gb, **values
    )
    if primary_ip:
        machine.primary_ip = address_on(machine, primary_ip)
        machine.save()
    return machine


def address_on(machine: VirtualMachine, address: str, interface: str = "eth0") -> IPAddress:
    """An address (text, with or without mask) recorded and assigned to the machine's interface."""
    port = VMInterface.objects.get_or_create(virtual_machine=machine, name=interface)[0]
    record = IPAddress.objects.create(address=address if "/" in address else f"{address}/32")
    VMAddressAssignment.objects.create(interface=port, ip_address=record)
    return record
