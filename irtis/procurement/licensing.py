"""Licence compliance: what each product's licences cover against what the inventory deploys.

Deployments of a product are read from the inventory: installations on devices, devices whose
platform it is, virtual machines whose operating system it is, and DBMS instances of it (on a
server or a virtual machine); retired devices are left out. A licence's metric counts them:

- per instance: every deployment (installation, platform, operating system, DBMS instance);
- per device: distinct servers and virtual machines it runs on;
- per core: the physical cores of every host it *can* run on (Oracle's rule for virtualised
  estates without hard partitioning: an instance on a virtual machine needs the cores of every
  host of the VM's cluster; one on a server, the server's cores), each host counted once,
  × the licence's core factor, rounded up. A server's cores are known from its cluster-host
  record; deployments on a server without one are counted as "cores unknown";
- per named user: the number the licence records (the inventory does not count people).

All licences of a product with one metric are pooled. Six queries whatever the size of the estate.
"""

import math
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone

from irtis.databases.models import DBMSInstance
from irtis.inventory.models import Device, Installation
from irtis.virtualization.models import ClusterHost, VirtualMachine

from .models import Licence


@dataclass
class Usage:
    """Where a product is deployed: (device id | None, VM id | None, VM's cluster id | None) per deployment."""

    deployments: list[tuple[int | None, int | None, int | None]] = field(default_factory=list)


@dataclass
class Position:
    product_id: int
    product: str
    metric: str
    held: int
    needed: int | None  # None: cannot be counted (per user without a figure)
    unknown: int  # deployments whose cores are not known
    licences: list[Licence]

    @property
    def status(self) -> str:
        if self.needed is None:
            return "unknown"
        if self.needed > self.held:
            return "under"
        return "over" if self.needed < self.held else "ok"

    @property
    def difference(self) -> int | None:
        return None if self.needed is None else self.held - self.needed


def _usage(product_ids: set[int]) -> dict[int, Usage]:
    usage: dict[int, Usage] = defaultdict(Usage)
    for product, device in Installation.objects.filter(software_version__product_id__in=product_ids).exclude(
            device__status=Device.Status.RETIRED).values_list("software_version__product_id", "device_id"):
        usage[product].deployments.append((device, None, None))
    for product, device in Device.objects.filter(platform__product_id__in=product_ids).exclude(
            status=Device.Status.RETIRED).values_list("platform__product_id", "id"):
        usage[product].deployments.append((device, None, None))
    for product, vm, cluster in VirtualMachine.objects.filter(
            operating_system__product_id__in=product_ids).values_list("operating_system__product_id", "id",
                                                                        "cluster_id"):
        usage[product].deployments.append((None, vm, cluster))
    for product, device, vm, cluster in DBMSInstance.objects.filter(
            software_version__product_id__in=product_ids).values_list(
            "software_version__product_id", "device_id", "virtual_machine_id", "virtual_machine__cluster_id"):
        usage[product].deployments.append((device, vm, cluster))
    return usage


def compliance(licences: QuerySet[Licence] | None = None) -> list[Position]:
    """One position per product and metric of the licences in force (not expired today)."""
    today = timezone.localdate()
    if licences is None:
        licences = Licence.objects.all()
    held = list(licences.exclude(expiry__lt=today).select_related("product").order_by("product__name", "metric"))
    products = {lic.product_id for lic in held}
    usage = _usage(products)
    cores: dict[int, int] = {}
    clusters: dict[int, list[int]] = defaultdict(list)
    for server, group, count in ClusterHost.objects.values_list("device_id", "cluster_id", "cpu_cores"):
        cores[server] = count
        clusters[group].append(server)
    pools: dict[tuple[int, str], list[Licence]] = defaultdict(list)
    for lic in held:
        pools[(lic.product_id, lic.metric)].append(lic)
    positions = []
    for (product, metric), pool in pools.items():
        deployments = usage[product].deployments if product in usage else []
        unknown = 0
        needed: int | None
        if metric == Licence.Metric.INSTANCE:
            needed = len(deployments)
        elif metric == Licence.Metric.DEVICE:
            needed = len({(d, v) if v is None else (None, v) for d, v, _c in deployments})
        elif metric == Licence.Metric.USER:
            users = [lic.users for lic in pool if lic.users is not None]
            needed = max(users) if users else None
        else:
            hosts: set[int] = set()
            for device, vm, cluster in deployments:
                if vm is not None and cluster is not None:
                    hosts.update(clusters.get(cluster, ()))
                elif device is not None and device in cores:
                    hosts.add(device)
                else:
                    unknown += 1
            factor = max(lic.core_factor for lic in pool)
            needed = math.ceil(sum(cores[h] for h in hosts) * factor - Decimal("0.000001")) if hosts else 0
        positions.append(Position(product, str(pool[0].product), metric, sum(lic.quantity for lic in pool), needed,
                                  unknown, pool))
    return positions
