"""Allocation against capacity per cluster.

Sums are taken in SQL, one correlated subquery per figure, so a list of clusters costs one query
whatever its length (`Cluster.objects.with_capacity()`); ratios and warnings are computed from
those figures in Python.

What counts:
- capacity: the physical cores and memory of the cluster's hosts, the datastore capacity
  recorded on the cluster;
- CPU and memory allocation: virtual machines that run or are about to (active, staged,
  planned: a planned machine reserves its place);
- disk allocation: every virtual machine, since a stopped one keeps its disks.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar, cast

from django.db import models
from django.db.models.functions import Coalesce
from django.utils.formats import number_format
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from .models import VirtualMachine

COMPUTE_STATUSES = ("active", "staged", "planned")
MB_PER_GB = 1024
GB_PER_TB = 1024


def _total(rows: models.QuerySet, aggregate: models.Aggregate) -> Coalesce:
    return Coalesce(
        models.Subquery(rows.annotate(total=aggregate).values("total")[:1]),
        0,
        output_field=models.BigIntegerField(),
    )


class CapacityQuerySet(models.QuerySet):
    def with_capacity(self) -> "CapacityQuerySet":
        """Annotate each cluster with its capacity and allocation (see `Capacity.of`)."""
        from .models import ClusterHost, VirtualMachine

        hosts = (
            ClusterHost.objects.filter(cluster=models.OuterRef("pk")).order_by().values("cluster")
        )
        vms = (
            VirtualMachine.objects.filter(cluster=models.OuterRef("pk"))
            .order_by()
            .values("cluster")
        )
        running = vms.filter(status__in=COMPUTE_STATUSES)
        return self.annotate(
            capacity_hosts=_total(hosts, models.Count("pk")),
            capacity_cores=_total(hosts, models.Sum("cpu_cores")),
            capacity_memory_gb=_total(hosts, models.Sum("memory_gb")),
            capacity_largest_cores=_total(hosts, models.Max("cpu_cores")),
            capacity_largest_memory_gb=_total(hosts, models.Max("memory_gb")),
            allocated_vms=_total(vms, models.Count("pk")),
            allocated_vcpus=_total(running, models.Sum("vcpus")),
            allocated_memory_mb=_total(running, models.Sum("memory_mb")),
            allocated_disk_gb=_total(vms, models.Sum("disk_gb")),
        )


def _ratio(allocated: float, available: float) -> float | None:
    return allocated / available if available > 0 else None


def _number(value: float | Decimal, places: int = 1) -> str:
    return number_format(cast(float | Decimal, round(value, places)), places)


@dataclass(frozen=True)
class Problem:
    """A capacity warning: `level` is a Bootstrap colour (danger, warning)."""

    level: str
    message: str


@dataclass(frozen=True)
class Capacity:
    """A cluster's capacity and what its virtual machines are allocated."""

    COMPUTE_STATUSES: ClassVar[tuple[str, ...]] = COMPUTE_STATUSES

    hosts: int
    cores: int
    memory_gb: int
    largest_cores: int
    largest_memory_gb: int
    storage_tb: Decimal | None
    vms: int
    vcpus: int
    memory_mb: int
    disk_gb: int
    vcpu_limit: Decimal
    memory_limit: Decimal

    @classmethod
    def of(cls, cluster: Any) -> "Capacity":  # a Cluster with the annotations
        """From a cluster annotated by `CapacityQuerySet.with_capacity`."""
        return cls(
            hosts=cluster.capacity_hosts,
            cores=cluster.capacity_cores,
            memory_gb=cluster.capacity_memory_gb,
            largest_cores=cluster.capacity_largest_cores,
            largest_memory_gb=cluster.capacity_largest_memory_gb,
            storage_tb=cluster.storage_tb,
            vms=cluster.allocated_vms,
            vcpus=cluster.allocated_vcpus,
            memory_mb=cluster.allocated_memory_mb,
            disk_gb=cluster.allocated_disk_gb,
            vcpu_limit=cluster.vcpu_ratio_limit,
            memory_limit=cluster.memory_ratio_limit,
        )

    # --- figures ----------------------------------------------------------------------------

    @property
    def memory_allocated_gb(self) -> float:
        return self.memory_mb / MB_PER_GB

    @property
    def storage_gb(self) -> float | None:
        return None if self.storage_tb is None else float(self.storage_tb) * GB_PER_TB

    @property
    def vcpu_ratio(self) -> float | None:
        """Virtual CPUs per physical core (the x of x:1); None without hosts."""
        return _ratio(self.vcpus, self.cores)

    @property
    def memory_ratio(self) -> float | None:
        """Allocated virtual memory per unit of host memory; above 1 is overcommitted."""
        return _ratio(self.memory_allocated_gb, self.memory_gb)

    @property
    def memory_ratio_after_failure(self) -> float | None:
        """The memory ratio if the largest host fails (N+1); None with fewer than two hosts."""
        if self.hosts < 2:
            return None
        return _ratio(self.memory_allocated_gb, self.memory_gb - self.largest_memory_gb)

    @property
    def storage_ratio(self) -> float | None:
        storage = self.storage_gb
        return None if storage is None else _ratio(self.disk_gb, storage)

    @property
    def vcpu_headroom(self) -> int:
        """Virtual CPUs that still fit under the cluster's limit (negative when over)."""
        return int(self.cores * self.vcpu_limit) - self.vcpus

    @property
    def memory_headroom_gb(self) -> float:
        return float(self.memory_gb * self.memory_limit) - self.memory_allocated_gb

    @staticmethod
    def percent(ratio: float | None, limit: Decimal | float = 1) -> int:
        """How full, in percent of the limit, capped at 100 for drawing bars."""
        if ratio is None or not limit:
            return 0
        return min(100, round(ratio / float(limit) * 100))

    @property
    def vcpu_percent(self) -> int:
        return self.percent(self.vcpu_ratio, self.vcpu_limit)

    @property
    def memory_percent(self) -> int:
        return self.percent(self.memory_ratio, self.memory_limit)

    @property
    def storage_percent(self) -> int:
        return self.percent(self.storage_ratio)

    # --- warnings ---------------------------------------------------------------------------

    def problems(self) -> list[Problem]:
        """What is wrong with the cluster's capacity, worst first."""
        found = []
        if self.hosts == 0:
            found.append(Problem("danger", _(
                "The cluster has no hosts recorded: its virtual machines have no capacity "
                "to run on.")))
        if self.vcpu_ratio is not None and self.vcpu_ratio > self.vcpu_limit:
            found.append(Problem("danger", _(
                "Virtual CPUs are overcommitted %(ratio)s:1, above the cluster's limit of "
                "%(limit)s:1.") % {"ratio": _number(self.vcpu_ratio),
                                   "limit": _number(self.vcpu_limit)}))
        if self.memory_ratio is not None and self.memory_ratio > self.memory_limit:
            found.append(Problem("danger", _(
                "Virtual memory is %(ratio)s times the hosts' memory, above the cluster's limit "
                "of %(limit)s.") % {"ratio": _number(self.memory_ratio, 2),
                                     "limit": _number(self.memory_limit, 2)}))
        if self.storage_ratio is not None and self.storage_ratio > 1:
            found.append(Problem("danger", _(
                "Virtual disks (%(allocated)s GB) exceed the datastore capacity (%(capacity)s GB)."
            ) % {"allocated": _number(self.disk_gb, 0), "capacity": _number(self.storage_gb or 0, 0)}))
        return found + self._resilience_problems()

    def _resilience_problems(self) -> list[Problem]:
        found = []
        after = self.memory_ratio_after_failure
        if self.hosts == 1 and self.vcpus:
            found.append(Problem("warning", _(
                "The cluster has a single host: if it fails, every virtual machine on it stops.")))
        elif self.hosts >= 2 and self.vcpus and (after is None or after > self.memory_limit):
            found.append(Problem("warning", _(
                "If the largest host fails, the others cannot hold the virtual machines' memory.")))
        if self.storage_tb is None and self.disk_gb:
            found.append(Problem("warning", _(
                "The datastore capacity is not recorded, so disk allocation cannot be checked.")))
        return found

    def problems_for(self, vm: "VirtualMachine") -> list[Problem]:
        """The cluster's problems, and whether this machine fits on any single host."""
        found = []
        if self.hosts and vm.vcpus > self.largest_cores:
            found.append(Problem("danger", _(
                "The machine's vCPUs (%(vcpus)d) exceed the physical cores of the largest host "
                "of its cluster (%(cores)d).") % {"vcpus": vm.vcpus, "cores": self.largest_cores}))
        if self.hosts and vm.memory_mb > self.largest_memory_gb * MB_PER_GB:
            found.append(Problem("danger", _(
                "The machine has more memory than the largest host of its cluster "
                "(%(memory)d GB).") % {"memory": self.largest_memory_gb}))
        return found + self.problems()
