"""Objects the virtualisation and database tests build on: sites, servers, clusters, machines."""

from decimal import Decimal
from typing import Any

from irtis.inventory.models import Device, DeviceRole, HardwareModel, Manufacturer, Site
from irtis.virtualization.models import Cluster, ClusterHost, ClusterType, VirtualMachine


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
    name: str, on: Cluster, vcpus: int = 4, memory_mb: int = 8192, disk_gb: int = 100, **values: Any
) -> VirtualMachine:
    return VirtualMachine.objects.create(
        name=name, cluster=on, vcpus=vcpus, memory_mb=memory_mb, disk_gb=disk_gb, **values
    )
