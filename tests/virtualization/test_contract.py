"""Cluster types, clusters, hosts and virtual machines through the generic platform contract."""

from decimal import Decimal

from irtis.core.models import Tag
from irtis.virtualization.models import (
    Cluster,
    ClusterHost,
    ClusterType,
    Environment,
    VirtualMachine,
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
            "primary_ip": "10.2.160.21/24",
            "description": "NTKS bandomosios aplinkos žiniatinklio serveris",
        }
