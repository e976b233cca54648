"""Virtualisation (statute 2.5): cluster types, clusters, their hosts and virtual machines."""

import ipaddress
from decimal import Decimal
from functools import cached_property

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from irtis.core import collation
from irtis.core.graph import GraphEdge
from irtis.core.models import TaggedModel
from irtis.core.names import NameField
from irtis.core.registry import register

from .capacity import Capacity, CapacityQuerySet, Problem
from .disks import VirtualDisk as VirtualDisk
from .disks import disks_total
from .interfaces import VMAddressAssignment as VMAddressAssignment
from .interfaces import VMInterface as VMInterface


class Environment(models.TextChoices):
    """The stage of the life cycle a machine or service serves; shared with irtis.databases."""

    PRODUCTION = "production", _("production")
    PRE_PRODUCTION = "pre-production", _("pre-production")
    TEST = "test", _("test")
    DEVELOPMENT = "development", _("development")


@register(
    group="inventory",
    columns=("name", "description"),
    search=("description",),
    panels=("virtualization/clustertype_clusters.html",),
)
class ClusterType(TaggedModel):
    """A kind of virtualisation platform: VMware vSphere, Hyper-V, Proxmox VE …"""

    name = NameField(_("name"), max_length=100, unique=True)
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("cluster type")
        verbose_name_plural = _("cluster types")
        ordering = ["name"]
        indexes = [collation.index("name", "virtualiz_clustertype_lt")]

    def __str__(self) -> str:
        return self.name

    def clusters_with_capacity(self) -> models.QuerySet:
        """The type's clusters with capacity figures, in one query (the type's detail panel)."""
        return self.clusters.with_capacity().select_related("site")


@register(
    group="inventory",
    columns=(
        "name",
        "type",
        "site",
        "status",
        "storage_tb",
        "vcpu_ratio_limit",
        "memory_ratio_limit",
    ),
    filters=("type", "site", "status"),
    search=("description",),
    panels=("virtualization/cluster_capacity.html",),
)
class Cluster(TaggedModel):
    """A group of hypervisor hosts sharing storage and networks, on which virtual machines run."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        STAGED = "staged", _("staged")
        ACTIVE = "active", _("active")
        OFFLINE = "offline", _("offline")
        DECOMMISSIONING = "decommissioning", _("decommissioning")

    name = NameField(_("name"), max_length=100, unique=True)
    type = models.ForeignKey(
        ClusterType, models.PROTECT, related_name="clusters", verbose_name=_("type")
    )
    site = models.ForeignKey(
        "inventory.Site",
        models.PROTECT,
        related_name="clusters",
        verbose_name=_("site"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    storage_tb = models.DecimalField(
        _("datastore capacity (TB)"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_(
            "Capacity of the datastores presented to the cluster; virtual disks are allocated "
            "from it."
        ),
    )
    vcpu_ratio_limit = models.DecimalField(
        _("vCPU:pCPU limit"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("4.00"),
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(100)],
        help_text=_(
            "The most virtual CPUs allowed per physical core before the cluster is overcommitted."
        ),
    )
    memory_ratio_limit = models.DecimalField(
        _("memory overcommit limit"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(10)],
        help_text=_(
            "The most virtual memory allowed per unit of host memory (1.00: no overcommit)."
        ),
    )
    description = models.TextField(_("description"), blank=True)

    objects = CapacityQuerySet.as_manager()

    class Meta:
        verbose_name = _("cluster")
        verbose_name_plural = _("clusters")
        ordering = ["name"]
        indexes = [collation.index("name", "virtualiz_cluster_lt")]

    def __str__(self) -> str:
        return self.name

    @cached_property
    def capacity(self) -> Capacity:
        """Allocation against capacity: from `with_capacity()` annotations, else one query."""
        if hasattr(self, "capacity_cores"):
            return Capacity.of(self)
        return Capacity.of(type(self).objects.with_capacity().get(pk=self.pk))

    def host_list(self) -> models.QuerySet:
        """The hosts with their servers, for the detail panel (one query)."""
        return self.hosts.select_related("device").order_by("device__name")


@register(
    group="inventory",
    columns=("device", "cluster", "cpu_cores", "memory_gb", "description"),
    filters=("cluster", "device", "cpu_cores", "memory_gb"),
    search=("description",),
    key="id",
    brief=("id", "device", "cluster"),
    edges=(GraphEdge("runs_on", _("runs on"), source="cluster", target="device", mode="group"),),
)
class ClusterHost(TaggedModel):
    """A physical server (inventory device) that hosts a cluster's hypervisor, with its capacity.

    A device hosts at most one cluster.
    """

    cluster = models.ForeignKey(
        Cluster, models.PROTECT, related_name="hosts", verbose_name=_("cluster")
    )
    # A foreign key with a unique constraint rather than a one-to-one field: the platform's
    # forms, API schemas and import columns treat foreign keys as references by key.
    device = models.ForeignKey(
        "inventory.Device",
        models.PROTECT,
        related_name="cluster_hosts",
        verbose_name=_("device"),
        help_text=_("The physical server; a server belongs to one cluster at most."),
    )
    cpu_cores = models.PositiveIntegerField(
        _("physical CPU cores"),
        validators=[MinValueValidator(1), MaxValueValidator(4096)],
        help_text=_("Cores of all sockets, without hyper-threading."),
    )
    memory_gb = models.PositiveIntegerField(
        _("memory (GB)"),
        validators=[MinValueValidator(1), MaxValueValidator(1_048_576)],
    )
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("cluster host")
        verbose_name_plural = _("cluster hosts")
        ordering = ["cluster__name", "device__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["device"],
                name="cluster_host_device",
                violation_error_code="unique",
                violation_error_message=_("This server is already a host of a cluster."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.device) if self.device_id else ""

    def clean(self) -> None:
        if self.cluster_id and self.device_id and self.device.site_id != self.cluster.site_id:
            raise ValidationError({"device": _("The server must be at the cluster's site.")})


def validate_ip(value: str) -> None:
    """The check of the former free-text primary IP address; migration 0001 refers to it."""
    try:
        ipaddress.ip_interface(value)
    except ValueError:
        raise ValidationError(
            _("Write an IPv4 or IPv6 address, optionally with a prefix length (10.1.2.3/24)."),
        ) from None


@register(
    group="inventory",
    columns=(
        "name",
        "cluster",
        "status",
        "environment",
        "vcpus",
        "memory_mb",
        "disk_gb",
        "operating_system",
        "primary_ip",
    ),
    filters=(
        "cluster",
        "status",
        "environment",
        "operating_system",
        "team",
        "vcpus",
        "memory_mb",
        "disk_gb",
    ),
    search=("description",),
    panels=("virtualization/vm_network.html", "virtualization/vm_capacity.html"),
    edges=(GraphEdge("runs_on", _("runs on"), target="cluster"),),
)
class VirtualMachine(TaggedModel):
    """A virtual machine (virtualioji mašina) running on a cluster."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        PLANNED = "planned", _("planned")
        STAGED = "staged", _("staged")
        OFFLINE = "offline", _("offline")
        DECOMMISSIONING = "decommissioning", _("decommissioning")

    name = NameField(_("name"), max_length=100, unique=True)
    cluster = models.ForeignKey(
        Cluster,
        models.PROTECT,
        related_name="virtual_machines",
        verbose_name=_("cluster"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    environment = models.CharField(
        _("environment"),
        max_length=20,
        choices=Environment.choices,
        default=Environment.PRODUCTION,
    )
    vcpus = models.PositiveSmallIntegerField(
        _("vCPUs"),
        validators=[MinValueValidator(1), MaxValueValidator(768)],
    )
    memory_mb = models.PositiveIntegerField(
        _("memory (MB)"),
        validators=[MinValueValidator(4), MaxValueValidator(25_165_824)],
    )
    disk_gb = models.PositiveIntegerField(
        _("disk (GB)"),
        default=0,
        validators=[MaxValueValidator(10_000_000)],
        help_text=_("The storage allocated to the machine; its virtual disks itemise it."),
    )
    operating_system = models.ForeignKey(
        "inventory.SoftwareVersion",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="virtual_machines",
        verbose_name=_("operating system"),
    )
    primary_ip = models.ForeignKey(
        "network.IPAddress",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="primary_of_virtual_machines",
        verbose_name=_("primary IP address"),
        help_text=_("One of the addresses assigned to the machine's interfaces."),
    )
    team = models.ForeignKey(
        "inventory.Team",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="virtual_machines",
        verbose_name=_("responsible team"),
    )
    description = models.TextField(_("description"), blank=True)

    # Paths the out-of-support report (irtis.inventory.reports) follows from this model.
    support_report = {
        "version": "operating_system",
        "site": "cluster__site",
        "team": "team",
        "fallback_team": "team",
    }

    class Meta:
        verbose_name = _("virtual machine")
        verbose_name_plural = _("virtual machines")
        ordering = ["name"]
        indexes = [collation.index("name", "virtualiz_virtualmachine_lt")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, str | Promise] = {}
        if self.primary_ip_id and not VMAddressAssignment.objects.filter(
            ip_address_id=self.primary_ip_id, interface__virtual_machine_id=self.pk
        ).exists():
            errors["primary_ip"] = _(
                "The primary IP address must be one of the addresses assigned to the machine's interfaces."
            )
        if self.pk and self.disk_gb is not None and (total := disks_total(self.pk)) > self.disk_gb:
            errors["disk_gb"] = _(
                "The machine's virtual disks take %(total)d GB: the allocation cannot be smaller."
            ) % {"total": total}
        if errors:
            raise ValidationError(errors)

    @property
    def consumes_compute(self) -> bool:
        """Does the machine hold CPU and memory (running or about to run)?"""
        return self.status in Capacity.COMPUTE_STATUSES

    def capacity_problems(self) -> list[Problem]:
        """Why the machine's cluster may not have room for it (empty when it has)."""
        return self.cluster.capacity.problems_for(self)
