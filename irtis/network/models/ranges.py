"""IP ranges (IP adresų intervalai): a run of addresses from a start to an end address, e.g. a
DHCP pool inside a VLAN's prefix, that need not be a whole prefix.

A range keeps the same hidden key columns as prefixes (`irtis.network.ip`), so "the addresses
inside" and "overlaps another range" are index range scans. Two ranges of one VRF never overlap.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, FloatField, When
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from irtis.core.models import TaggedModel
from irtis.core.registry import register

from .. import ip
from ..fields import ComputedField, ContainedInField, KeyField
from .ipam import IPAddress, address_count, same_vrf
from .zones import VRF


def range_utilisation() -> Case:
    """Per cent of the range's addresses that are recorded IP addresses of its VRF."""
    share = {
        global_table: Cast(address_count(global_table), FloatField()) * 100.0 / Cast(F("size"), FloatField())
        for global_table in (True, False)
    }
    return Case(When(vrf__isnull=True, then=share[True]), default=share[False], output_field=ComputedField())


class IPRangeManager(models.Manager):
    """Every range read through `IPRange.objects` carries its utilisation (one query per page)."""

    def get_queryset(self) -> models.QuerySet:
        queryset = super().get_queryset()
        queryset.query.add_annotation(range_utilisation(), "utilisation")  # see PrefixManager
        return queryset


@register(
    group="networks",
    columns=("start_address", "end_address", "size", "vrf", "status", "role", "utilisation", "description"),
    filters=("parent", "status", "role", "vrf"),
    search=("start_address", "end_address", "description"),
    key="id",
    brief=("id", "start_address", "end_address", "vrf"),
    panels=("network/iprange_panel.html",),
    hidden=("start_key", "end_key"),
)
class IPRange(TaggedModel):
    """Addresses from `start_address` to `end_address` of one family, in a VRF or the global table."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        RESERVED = "reserved", _("reserved")
        DEPRECATED = "deprecated", _("deprecated")

    class Role(models.TextChoices):
        DHCP = "dhcp", _("DHCP pool")
        STATIC = "static", _("static address pool")
        RESERVED = "reserved", _("reserved")

    start_address = models.CharField(_("start address"), max_length=39, help_text=_("e.g. 10.10.100.100"))
    end_address = models.CharField(_("end address"), max_length=39, help_text=_("e.g. 10.10.100.199"))
    vrf = models.ForeignKey(
        VRF,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="ip_ranges",
        verbose_name=_("VRF"),
        help_text=_("Empty: the global table."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.STATIC)
    description = models.CharField(_("description"), max_length=200, blank=True)
    family = models.PositiveSmallIntegerField(_("IP version"), default=4, editable=False)
    # Exact for IPv6 too: an IPv6 range may hold more addresses than a 64-bit integer counts.
    size = models.DecimalField(_("size"), max_digits=39, decimal_places=0, default=0, editable=False)
    start_key = KeyField(_("first address key"))
    end_key = KeyField(_("last address key"))
    utilisation = ComputedField(_("utilisation"))
    parent = ContainedInField(_("within prefix"), key_fields=("start_key", "end_key"))

    objects = IPRangeManager()
    plain = models.Manager()

    class Meta:
        verbose_name = _("IP range")
        verbose_name_plural = _("IP ranges")
        ordering = ["start_key", "vrf_id", "pk"]
        indexes = [
            models.Index(fields=["start_key", "end_key"], name="network_iprange_keys"),
            models.Index(fields=["vrf", "start_key"], name="network_iprange_vrf_start"),
        ]

    def __str__(self) -> str:
        return f"{self.start_address}–{self.end_address}"

    def _derive(self) -> None:
        """Normalise both addresses (a mask written with them is dropped) and set the keys."""
        found: dict[str, ip.Address] = {}
        errors: dict[str, list[str]] = {}
        for name in ("start_address", "end_address"):
            try:
                found[name] = ip.parse_interface(getattr(self, name)).ip
            except ValidationError as error:
                errors[name] = error.messages
        if errors:
            raise ValidationError(errors)
        start, end = found["start_address"], found["end_address"]
        if start.version != end.version:
            raise ValidationError({"end_address": _("The start and end address must both be IPv4 or both IPv6.")})
        if int(start) > int(end):
            raise ValidationError({"end_address": _("The end address must not come before the start address.")})
        self.start_address, self.end_address = str(start), str(end)
        self.family, self.size = start.version, int(end) - int(start) + 1
        self.start_key, self.end_key = ip.key(start), ip.key(end)

    def clean(self) -> None:
        self._derive()
        other = (
            IPRange.plain.filter(same_vrf(self.vrf_id), start_key__lte=self.end_key, end_key__gte=self.start_key)
            .exclude(pk=self.pk)
            .order_by("start_key")
            .first()
        )
        if other is not None:
            message = (
                _("The range overlaps the range %(other)s of VRF “%(vrf)s”.")
                if self.vrf_id
                else _("The range overlaps the range %(other)s of the global table.")
            )
            raise ValidationError({"start_address": message % {"other": other, "vrf": self.vrf}})

    def save(self, *args: Any, **kwargs: Any) -> None:
        self._derive()
        super().save(*args, **kwargs)

    def addresses(self) -> models.QuerySet:
        """The IP addresses of the same VRF inside the range."""
        return IPAddress.objects.filter(
            same_vrf(self.vrf_id), address_key__gte=self.start_key, address_key__lte=self.end_key
        )

