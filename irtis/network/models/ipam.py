"""IP address management: prefixes in a hierarchy with utilisation, and IP addresses.

Each prefix and address keeps hidden key columns (see `irtis.network.ip`): "inside 10.2.0.0/16"
is an index range scan on SQLite and PostgreSQL alike, with no per-database network type.
The hierarchy is not stored: a prefix's parent and children follow from the keys, so
inserting or deleting a prefix never rewrites other rows.
"""

from collections.abc import Callable
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Exists, F, FloatField, Func, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Cast, Power
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from irtis.core.graph import GraphEdge
from irtis.core.models import TaggedModel
from irtis.core.registry import register
from irtis.inventory.models import Device, Interface, Site

from .. import ip
from ..fields import ComputedField, ContainedInField, KeyField
from .vlans import VLAN
from .zones import VRF, SecurityZone


def same_vrf(vrf_id: int | None) -> Q:
    """Objects in this VRF (None: the global table)."""
    return Q(vrf__isnull=True) if vrf_id is None else Q(vrf_id=vrf_id)


# --- utilisation, computed inside the query that lists the prefixes --------------------------


def _count(rows: models.QuerySet) -> Subquery:
    return Subquery(rows.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")[:1])


def _size(family: Any, length: Any) -> Power:
    """2 ** (32 or 128 − length), as a float (exact for powers of two)."""
    bits = Case(When(**{family: 4}, then=Value(32)), default=Value(128))
    return Power(Value(2.0), bits - F(length))


def address_count(global_table: bool) -> Subquery:
    """The number of IP addresses between the outer row's `start_key` and `end_key`, in its VRF."""
    vrf = Q(vrf__isnull=True) if global_table else Q(vrf=OuterRef("vrf"))
    return _count(
        IPAddress.objects.filter(
            vrf,
            address_key__gte=OuterRef("start_key"),
            address_key__lte=OuterRef("end_key"),
        )
    )


def _child_share(global_table: bool) -> Subquery:
    """Address space of the direct child prefixes (those no other child contains)."""
    vrf = Q(vrf__isnull=True) if global_table else Q(vrf=OuterRef("vrf"))
    between = Prefix.plain.filter(
        Q(vrf__isnull=True) if global_table else Q(vrf=OuterRef(OuterRef("vrf"))),
        start_key__lte=OuterRef("start_key"),
        end_key__gte=OuterRef("end_key"),
        length__lt=OuterRef("length"),
        length__gt=OuterRef(OuterRef("length")),
    )
    children = Prefix.plain.filter(
        vrf,
        start_key__gte=OuterRef("start_key"),
        end_key__lte=OuterRef("end_key"),
        length__gt=OuterRef("length"),
    ).filter(~Exists(between))
    total = Func(_size("family", "length"), function="SUM", output_field=FloatField())
    return Subquery(children.order_by().annotate(s=total).values("s")[:1], output_field=FloatField())


def utilisation() -> Case:
    """Per cent used: of a container, its space covered by child prefixes; else addresses used."""
    usable = _size("family", "length") - Case(
        When(family=4, length__lt=31, then=Value(2.0)),
        default=Value(0.0),
        output_field=FloatField(),
    )
    share = {}
    for global_table in (True, False):
        children = Func(_child_share(global_table), Value(0.0), function="COALESCE", output_field=FloatField())
        addresses = Cast(address_count(global_table), FloatField())
        share[global_table] = Case(
            When(status=Prefix.Status.CONTAINER, then=children * 100.0 / _size("family", "length")),
            default=addresses * 100.0 / usable,
            output_field=FloatField(),
        )
    return Case(
        When(vrf__isnull=True, then=share[True]),
        default=share[False],
        output_field=ComputedField(),
    )


class PrefixManager(models.Manager):
    """Every prefix read through `Prefix.objects` carries its utilisation (one query per page)."""

    def get_queryset(self) -> models.QuerySet:
        queryset = super().get_queryset()
        # add_annotation: the annotation fills the column-less `utilisation` field of the same
        # name (QuerySet.annotate refuses a name that a field already has).
        queryset.query.add_annotation(utilisation(), "utilisation")
        return queryset


@register(
    group="networks",
    columns=("prefix", "vrf", "status", "utilisation", "site", "vlan", "zone", "description"),
    filters=("parent", "status", "vrf", "site", "vlan", "zone", "length"),
    search=("description",),
    key="id",
    brief=("id", "prefix", "vrf"),
    panels=("network/prefix_panel.html",),
    hidden=("start_key", "end_key"),  # the index's byte keys, not something a person reads
)
class Prefix(TaggedModel):
    """An IPv4 or IPv6 network, e.g. 10.10.100.0/24, in a VRF or in the global table."""

    class Status(models.TextChoices):
        CONTAINER = "container", _("container")
        ACTIVE = "active", _("active")
        RESERVED = "reserved", _("reserved")
        DEPRECATED = "deprecated", _("deprecated")

    prefix = models.CharField(_("prefix"), max_length=43, help_text=_("Network and length, e.g. 10.10.100.0/24."))
    vrf = models.ForeignKey(
        VRF,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="prefixes",
        verbose_name=_("VRF"),
        help_text=_("Empty: the global table."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    vlan = models.ForeignKey(
        VLAN, models.PROTECT, null=True, blank=True, related_name="prefixes", verbose_name=_("VLAN")
    )
    site = models.ForeignKey(
        Site, models.PROTECT, null=True, blank=True, related_name="prefixes", verbose_name=_("site")
    )
    zone = models.ForeignKey(
        SecurityZone,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="prefixes",
        verbose_name=_("security zone"),
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    family = models.PositiveSmallIntegerField(_("IP version"), default=4, editable=False)
    length = models.PositiveSmallIntegerField(_("prefix length"), default=0, editable=False)
    start_key = KeyField(_("first address key"))
    end_key = KeyField(_("last address key"))
    utilisation = ComputedField(_("utilisation"))
    parent = ContainedInField(_("within prefix"), key_fields=("start_key", "end_key"), strict=True)

    objects = PrefixManager()
    plain = models.Manager()

    class Meta:
        verbose_name = _("prefix")
        verbose_name_plural = _("prefixes")
        ordering = ["vrf_id", "start_key", "length", "pk"]  # no join: bulk writes lock rows FOR UPDATE
        indexes = [
            models.Index(fields=["start_key", "end_key"], name="network_prefix_range"),
            models.Index(fields=["vrf", "start_key"], name="network_prefix_vrf_start"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["vrf", "prefix"], name="network_prefix_vrf_unique"),
            models.UniqueConstraint(
                fields=["prefix"], condition=Q(vrf__isnull=True), name="network_prefix_global_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.prefix

    @property
    def network(self) -> ip.Network:
        return ip.parse_network(self.prefix, strict=False)

    def _derive(self) -> None:
        """Normalise the prefix text and set the key columns from it."""
        try:
            network = ip.parse_network(self.prefix)
        except ValidationError as error:
            raise ValidationError({"prefix": error.messages}) from None
        self.prefix = str(network)
        self.family, self.length = network.version, network.prefixlen
        self.start_key, self.end_key = ip.bounds(network)

    def clean(self) -> None:
        self._derive()
        twin = Prefix.plain.filter(same_vrf(self.vrf_id), prefix=self.prefix).exclude(pk=self.pk)
        if twin.exists():
            message = (
                _("%(prefix)s already exists in VRF “%(vrf)s”.")
                if self.vrf_id
                else _("%(prefix)s already exists in the global table.")
            )
            raise ValidationError({"prefix": message % {"prefix": self.prefix, "vrf": self.vrf}})

    def save(self, *args: Any, **kwargs: Any) -> None:
        self._derive()
        super().save(*args, **kwargs)

    # --- hierarchy ------------------------------------------------------------------------

    def ancestors(self) -> models.QuerySet:
        """The prefixes of the same VRF that contain this one, outermost first."""
        return Prefix.objects.filter(
            same_vrf(self.vrf_id),
            start_key__lte=self.start_key,
            end_key__gte=self.end_key,
            length__lt=self.length,
        ).order_by("length")

    def children(self) -> models.QuerySet:
        """The direct child prefixes: inside this one, and inside no other child."""
        between = Prefix.plain.filter(
            same_vrf(self.vrf_id),
            start_key__lte=OuterRef("start_key"),
            end_key__gte=OuterRef("end_key"),
            length__lt=OuterRef("length"),
            length__gt=self.length,
        )
        return (
            Prefix.objects.filter(
                same_vrf(self.vrf_id),
                start_key__gte=self.start_key,
                end_key__lte=self.end_key,
                length__gt=self.length,
            )
            .filter(~Exists(between))
            .order_by("start_key")
        )

    def addresses(self) -> models.QuerySet:
        """The IP addresses of the same VRF inside this prefix."""
        return IPAddress.objects.filter(
            same_vrf(self.vrf_id),
            address_key__gte=self.start_key,
            address_key__lte=self.end_key,
        )


@register(
    group="networks",
    columns=("address", "vrf", "status", "role", "dns_name", "interface", "description"),
    filters=("parent", "status", "role", "vrf", "interface", "dns_name"),
    search=("dns_name", "description"),
    key="id",
    brief=("id", "address", "vrf"),
    panels=("network/nat_panel.html",),
    hidden=("address_key",),
    edges=(GraphEdge("assigned_to", _("assigned to"), target="interface"),),
    depends={"interface": ("device",)},
)
class IPAddress(TaggedModel):
    """An IP address with its network mask, e.g. 10.10.100.11/24."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        RESERVED = "reserved", _("reserved")
        DEPRECATED = "deprecated", _("deprecated")
        DHCP = "dhcp", _("DHCP")

    class Role(models.TextChoices):
        LOOPBACK = "loopback", _("loopback")
        SECONDARY = "secondary", _("secondary")
        GATEWAY = "gateway", _("gateway")
        VIP = "vip", _("virtual IP (VIP)")
        VRRP = "vrrp", _("VRRP")
        ANYCAST = "anycast", _("anycast")

    address = models.CharField(_("address"), max_length=50, help_text=_("Address and mask, e.g. 10.10.100.11/24."))
    vrf = models.ForeignKey(
        VRF,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="ip_addresses",
        verbose_name=_("VRF"),
        help_text=_("Empty: the global table."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True)
    dns_name = models.CharField(_("DNS name"), max_length=255, blank=True)
    interface = models.ForeignKey(
        Interface,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="ip_addresses",
        verbose_name=_("assigned interface"),
    )
    nat_inside = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="nat_outside",
        verbose_name=_("NAT inside address"),
        help_text=_("For an outside (public, translated) address: the inside address it is translated to."),
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    family = models.PositiveSmallIntegerField(_("IP version"), default=4, editable=False)
    length = models.PositiveSmallIntegerField(_("mask length"), default=32, editable=False)
    address_key = KeyField(_("address key"))
    parent = ContainedInField(_("within prefix"), key_fields=("address_key", "address_key"))

    class Meta:
        verbose_name = _("IP address")
        verbose_name_plural = _("IP addresses")
        # Address order first: a list or a `parent` range reads the index in order and stops
        # after one page instead of sorting every match.
        ordering = ["address_key", "vrf_id", "pk"]
        indexes = [models.Index(fields=["address_key", "vrf"], name="network_ip_key_vrf")]
        constraints = [
            models.UniqueConstraint(fields=["vrf", "address_key"], name="network_ip_vrf_unique"),
            models.UniqueConstraint(
                fields=["address_key"],
                condition=Q(vrf__isnull=True),
                name="network_ip_global_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.address

    @property
    def host(self) -> str:
        """The address without its mask (10.10.100.11)."""
        return self.address.split("/")[0]

    def _derive(self) -> None:
        try:
            interface = ip.parse_interface(self.address)
        except ValidationError as error:
            raise ValidationError({"address": error.messages}) from None
        self.address = str(interface)
        self.family, self.length = interface.version, interface.network.prefixlen
        self.address_key = ip.key(interface.ip)

    # Checks of the address's assignment against what layers above record (irtis.virtualization:
    # an address on a virtual machine's interface); each takes the address and returns an error
    # or None.
    assignment_checks: ClassVar[list[Callable[["IPAddress"], str | Promise | None]]] = []

    def clean(self) -> None:
        self._derive()
        self._check_assignment()
        self._check_nat()
        names = {"address": self.host, "vrf": self.vrf}
        if IPAddress.objects.filter(same_vrf(self.vrf_id), address_key=self.address_key).exclude(pk=self.pk).exists():
            message = (
                _("%(address)s is already recorded in VRF “%(vrf)s”.")
                if self.vrf_id
                else _("%(address)s is already recorded in the global table.")
            )
            raise ValidationError({"address": message % names})
        prefixes = Prefix.plain.filter(same_vrf(self.vrf_id), family=self.family)
        if (
            prefixes.exists()
            and not prefixes.filter(
                start_key__lte=self.address_key,
                end_key__gte=self.address_key,
            ).exists()
        ):
            message = (
                _("%(address)s is outside every prefix of VRF “%(vrf)s”: add the prefix first or choose another VRF.")
                if self.vrf_id
                else _(
                    "%(address)s is outside every prefix of the global table: add the prefix first or choose a VRF."
                )
            )
            raise ValidationError({"address": message % names})

    def _check_assignment(self) -> None:
        if self.interface_id and (found := next(
            (e for check in self.assignment_checks if (e := check(self)) is not None), None
        )):
            raise ValidationError({"interface": found})
        if not self.pk:
            return
        primary = DevicePrimaryAddress.objects.filter(ip_address_id=self.pk).select_related("device").first()
        if primary and (self.interface is None or self.interface.device_id != primary.device_id):
            raise ValidationError({"interface": _(
                "The address is the primary IP address of %(device)s: choose another primary first."
            ) % {"device": primary.device}})

    def _check_nat(self) -> None:
        """One level of NAT: an outside address points at an inside one of its family, and an
        inside address is never itself translated (no chains, no loops)."""
        inside = self.nat_inside
        if inside is not None:
            if self.pk and inside.pk == self.pk:
                raise ValidationError({"nat_inside": _("An address cannot be its own NAT inside address.")})
            if inside.family != self.family:
                raise ValidationError({"nat_inside": _(
                    "%(inside)s is an IPv%(other)d address and %(address)s an IPv%(family)d one: NAT pairs one family."
                ) % {"inside": inside.host, "other": inside.family, "address": self.host, "family": self.family}})
            if inside.nat_inside_id is not None:
                raise ValidationError({"nat_inside": _(
                    "%(inside)s is itself an outside address (of %(next)s): NAT chains are not recorded."
                ) % {"inside": inside.host, "next": inside.nat_inside}})
        if inside is not None and self.pk:
            outside = IPAddress.objects.filter(nat_inside_id=self.pk).order_by("address_key").first()
            if outside is not None:
                raise ValidationError({"nat_inside": _(
                    "%(address)s is the NAT inside address of %(outside)s, so it cannot be an outside address itself."
                ) % {"address": self.host, "outside": outside}})

    def validate_constraints(self, exclude: Any = None) -> None:
        # clean() reports a duplicate address with a clearer message than the key constraint.
        super().validate_constraints(exclude={*(exclude or ()), "address_key"})

    def save(self, *args: Any, **kwargs: Any) -> None:
        self._derive()
        super().save(*args, **kwargs)


@register(
    group="networks",
    columns=("device", "ip_address", "description"),
    filters=("device", "ip_address"),
    search=("description",),
    key="id",
    brief=("id", "device", "ip_address"),
    queryset=lambda rows: rows.select_related("ip_address__interface"),
)
class DevicePrimaryAddress(TaggedModel):
    """The primary IP address of a device: the one to reach it by, among its interfaces' addresses.

    A row here rather than a field of the device: the inventory is a layer below and cannot
    point at an address. The unique device makes one primary per device a database rule.
    """

    device = models.ForeignKey(
        Device, models.CASCADE, related_name="primary_addresses", verbose_name=_("device")
    )
    ip_address = models.ForeignKey(
        IPAddress, models.CASCADE, related_name="primary_of_devices", verbose_name=_("IP address"),
        help_text=_("One of the addresses assigned to the device's interfaces."),
    )
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("device primary IP address")
        verbose_name_plural = _("device primary IP addresses")
        ordering = ["device_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["device"],
                name="network_device_primary_once",
                violation_error_code="unique",
                violation_error_message=_("The device already has a primary IP address."),
            ),
            models.UniqueConstraint(fields=["ip_address"], name="network_device_primary_address_once"),
        ]

    def __str__(self) -> str:
        return f"{self.device} · {self.ip_address}" if self.device_id and self.ip_address_id else ""

    def clean(self) -> None:
        if not self.device_id or not self.ip_address_id:
            return
        interface = self.ip_address.interface
        if interface is None or interface.device_id != self.device_id:
            raise ValidationError({"ip_address": _(
                "The primary IP address must be one of the addresses assigned to the device's interfaces."
            )})
