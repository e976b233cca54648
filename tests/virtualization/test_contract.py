"""Cluster types, clusters, hosts and virtual machines through the generic platform contract."""

from decimal import Decimal

from irtis.core.models import Tag
from irtis.network.models import IPAddress
from irtis.virtualization.models import (
    Cluster,
    ClusterHost,
    ClusterType,
    Environment,
    VirtualDisk,
    VirtualMachine,
    VMAddressAssignment,
    VMInterface,
)
from tests.support.contract import ModelContract

from .factories import cluster, host, server, site, vm


class TestClusterType(ModelContract):
    model = ClusterType
    change = {"description": "Virtualizacijos platforma - atnaujinta"}

    def make(self, n: int) -> ClusterType:
        return ClusterType.objects.create(name=f"Hipervizorius{n}")

    def new_values(self) -> dict:
        return {"name": "Proxmox VE", "description": "Atvirojo kodo platforma"}


class TestCluster(ModelContract):
    model = Cluster
    change = {"description": "Gamybinis klasteris - pakeista"}

    def make(self, n: int) -> Cluster:
        return cluster(f"CL-{n:02}")  # hosts and machines would protect it from deletion

    def new_values(self) -> dict:
        kind = ClusterType.objects.create(name="Microsoft Hyper-V")
        tag = Tag.objects.create(name="Kritinė", slug="kritine")
        return {
            "name": "CL-NAUJAS",
            "type": kind,
            "site": site("DC2"),
            "status": Cluster.Status.PLANNED,
            "storage_tb": Decimal("20.50"),
            "vcpu_ratio_limit": Decimal("3.00"),
            "memory_ratio_limit": Decimal("1.00"),
            "tags": [tag],
        }


class TestClusterHost(ModelContract):
    model = ClusterHost
    change = {"memory_gb": 1024}

    def make(self, n: int) -> ClusterHost:
        owner = Cluster.objects.first() or cluster()
        return host(owner, f"esx{n:02}")

    def new_values(self) -> dict:
        owner = cluster("CL-MGMT")
        return {
            "cluster": owner,
            "device": server("esx-naujas"),
            "cpu_cores": 48,
            "memory_gb": 768,
            "description": "Naujas ESXi mazgas",
        }


class TestVirtualMachine(ModelContract):
    model = VirtualMachine
    change = {"memory_mb": 16384}

    def make(self, n: int) -> VirtualMachine:
        owner = Cluster.objects.first() or cluster()
        return vm(f"mdas-app-{n:02}.prod", owner, primary_ip=f"10.1.100.{n + 10}")

    def new_values(self) -> dict:
        return {
            "name": "ntks-web-01.test",
            "cluster": cluster("CL-DC2", site=site("DC2")),
            "status": VirtualMachine.Status.PLANNED,
            "environment": Environment.TEST,
            "vcpus": 4,
            "memory_mb": 8192,
            "disk_gb": 120,
            "description": "NTKS bandomosios aplinkos žiniatinklio serveris",
        }


def machine() -> VirtualMachine:
    return VirtualMachine.objects.filter(name="mdas-db-01.prod").first() or vm(
        "mdas-db-01.prod", Cluster.objects.first() or cluster(), disk_gb=10_000)


class TestVMInterface(ModelContract):
    model = VMInterface
    change = {"mtu": 9000, "enabled": False}

    def make(self, n: int) -> VMInterface:
        return VMInterface.objects.create(virtual_machine=machine(), name=f"eth{n}",
                                          mac_address=f"00:50:56:00:00:{n:02x}")

    def new_values(self) -> dict:
        return {"virtual_machine": vm("ntks-app-01.prod", cluster("CL-DC2", site=site("DC2"))), "name": "ens192",
                "mac_address": "00:50:56:aa:bb:cc", "mtu": 1500, "description": "Taikomųjų programų tinklas"}


class TestVirtualDisk(ModelContract):
    model = VirtualDisk
    change = {"size_gb": 20, "datastore": "CL-PROD-DS02"}

    def make(self, n: int) -> VirtualDisk:
        return VirtualDisk.objects.create(virtual_machine=machine(), name=f"Hard disk {n}", size_gb=10 + n)

    def new_values(self) -> dict:
        return {"virtual_machine": vm("ntks-app-01.prod", cluster("CL-DC2", site=site("DC2")), disk_gb=200),
                "name": "Hard disk 1", "size_gb": 80, "datastore": "CL-DC2-DS01", "description": "Sisteminis diskas"}


class TestVMAddressAssignment(ModelContract):
    model = VMAddressAssignment

    @property
    def change(self) -> dict:  # type: ignore[override]  # another interface of the same machine
        return {"interface": VMInterface.objects.get_or_create(virtual_machine=machine(), name="eth9")[0]}

    def make(self, n: int) -> VMAddressAssignment:
        interface = VMInterface.objects.get_or_create(virtual_machine=machine(), name="eth0")[0]
        return VMAddressAssignment.objects.create(
            interface=interface, ip_address=IPAddress.objects.create(address=f"10.1.110.{n + 10}/24"))

    def new_values(self) -> dict:
        interface = VMInterface.objects.create(
            virtual_machine=vm("ntks-app-01.prod", cluster("CL-DC2", site=site("DC2"))), name="eth0")
        return {"interface": interface, "ip_address": IPAddress.objects.create(address="10.2.160.21/24")}
