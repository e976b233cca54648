"""Network security zones (tinklo saugos zonos) and routing domains (VRF)."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from irtis.core import collation
from irtis.core.models import TaggedModel
from irtis.core.names import NameField
from irtis.core.registry import register

# ASN:number (65010:100) or IPv4:number (10.0.0.1:100), RFC 4364.
RD = re.compile(r"^(\d{1,10}|\d{1,3}(\.\d{1,3}){3}):\d{1,10}$")


@register(
    group="networks",
    columns=("code", "name", "trust_level", "description"),
    filters=("trust_level",),
    search=("code", "description"),
    key="code",
)
class SecurityZone(TaggedModel):
    """A network security zone: networks of equal trust, separated from others by a firewall."""

    class Trust(models.IntegerChoices):
        UNTRUSTED = 0, _("untrusted (internet)")
        EXTERNAL = 1, _("external partners")
        DMZ = 2, _("demilitarised zone")
        INTERNAL = 3, _("internal")
        RESTRICTED = 4, _("restricted")
        CRITICAL = 5, _("critical, isolated")

    code = NameField(_("code"), max_length=20, unique=True)
    name = NameField(_("name"), max_length=100, unique=True)
    trust_level = models.PositiveSmallIntegerField(_("trust level"), choices=Trust.choices, default=Trust.INTERNAL)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("security zone")
        verbose_name_plural = _("security zones")
        ordering = ["code"]
        indexes = [collation.index("code", "network_securityzone_lt")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


@register(
    group="networks",
    columns=("name", "rd", "zone", "description"),
    filters=("zone",),
    search=("rd", "description"),
)
class VRF(TaggedModel):
    """A routing domain with its own address space; prefixes without one are in the global table."""

    name = NameField(_("name"), max_length=100, unique=True)
    rd = NameField(
        _("route distinguisher"),
        max_length=30,
        unique=True,
        null=True,
        blank=True,
        help_text=_("ASN:number or IPv4:number, e.g. 65010:100."),
    )
    zone = models.ForeignKey(
        SecurityZone,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="vrfs",
        verbose_name=_("security zone"),
    )
    description = models.TextField(_("description"), blank=True)
    import_targets = models.ManyToManyField("network.RouteTarget", blank=True, related_name="importing_vrfs",
                                            verbose_name=_("import targets"))
    export_targets = models.ManyToManyField("network.RouteTarget", blank=True, related_name="exporting_vrfs",
                                            verbose_name=_("export targets"))

    class Meta:
        verbose_name = _("VRF")
        verbose_name_plural = _("VRFs")
        ordering = ["name"]
        indexes = [collation.index("name", "network_vrf_lt")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.rd == "":
            self.rd = None
        if self.rd and not RD.match(self.rd):
            raise ValidationError({"rd": _("Write the route distinguisher as ASN:number or IPv4:number.")})
