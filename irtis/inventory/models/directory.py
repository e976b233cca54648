"""Active Directory as a managed service (statute 2.9); e-mail is irtis.mail."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from irtis.core import collation
from irtis.core.models import TaggedModel
from irtis.core.names import NameField
from irtis.core.registry import register

from .devices import Device
from .places import Site

FSMO_ROLES = ("schema", "naming", "pdc", "rid", "infrastructure")


@register(
    group="inventory",
    columns=("fqdn", "netbios_name", "functional_level"),
    filters=("functional_level",),
    search=("netbios_name", "description"),
    key="fqdn",
)
class DirectoryDomain(TaggedModel):
    """An Active Directory domain."""

    class Level(models.TextChoices):
        WIN2008R2 = "2008R2", "Windows Server 2008 R2"
        WIN2012 = "2012", "Windows Server 2012"
        WIN2012R2 = "2012R2", "Windows Server 2012 R2"
        WIN2016 = "2016", "Windows Server 2016"
        WIN2025 = "2025", "Windows Server 2025"

    fqdn = NameField(_("domain name (FQDN)"), max_length=255, unique=True)
    netbios_name = NameField(_("NetBIOS name"), max_length=15, unique=True)
    functional_level = models.CharField(_("functional level"), max_length=10, choices=Level.choices)
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("directory domain")
        verbose_name_plural = _("directory domains")
        ordering = ["fqdn"]
        indexes = [collation.index("fqdn", "inventory_directorydomai_lt")]

    def __str__(self) -> str:
        return self.fqdn

    def clean(self) -> None:
        self.fqdn = self.fqdn.lower()
        self.netbios_name = self.netbios_name.upper()


@register(
    group="inventory",
    columns=("name", "domain", "site", "device", "global_catalog", "read_only", "fsmo_roles"),
    filters=("domain", "site", "device", "global_catalog", "read_only"),
    search=("fsmo_roles", "description"),
)
class DomainController(TaggedModel):
    """A domain controller; `device` is set when it is a physical server (else a virtual machine)."""

    domain = models.ForeignKey(
        DirectoryDomain, models.PROTECT, related_name="controllers", verbose_name=_("domain"),
    )
    name = NameField(_("host name"), max_length=100, unique=True)
    site = models.ForeignKey(Site, models.PROTECT, related_name="domain_controllers", verbose_name=_("site"))
    device = models.ForeignKey(
        Device, models.PROTECT, null=True, blank=True, related_name="domain_controllers",
        verbose_name=_("device"),
    )
    global_catalog = models.BooleanField(_("global catalogue"), default=True)
    read_only = models.BooleanField(_("read-only (RODC)"), default=False)
    fsmo_roles = models.CharField(
        _("FSMO roles"), max_length=100, blank=True,
        help_text=_("Comma-separated: schema, naming, pdc, rid, infrastructure."),
    )
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("domain controller")
        verbose_name_plural = _("domain controllers")
        ordering = ["name"]
        indexes = [collation.index("name", "inventory_domaincontroll_lt")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        roles = [r for r in re.split(r"[\s,]+", self.fsmo_roles.lower()) if r]
        unknown = sorted(set(roles) - set(FSMO_ROLES))
        if unknown:
            raise ValidationError({"fsmo_roles": _("Unknown FSMO roles: %(roles)s") % {"roles": ", ".join(unknown)}})
        self.fsmo_roles = ", ".join(r for r in FSMO_ROLES if r in roles)
        if self.fsmo_roles and self.read_only:
            raise ValidationError({"fsmo_roles": _("A read-only domain controller holds no FSMO role.")})
        if self.device_id and self.site_id and self.device and self.device.site_id != self.site_id:
            raise ValidationError({"device": _("The device must be at the domain controller's site.")})
