"""Active Directory domains and their domain controllers (moved from irtis.inventory; the tables
keep their names, see docs/directory.md "Moving the models")."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from irtis.core import collation
from irtis.core.models import TaggedModel
from irtis.core.names import NameField
from irtis.core.registry import register
from irtis.identity.directory import check_uri
from irtis.inventory.models import Device, Site
from irtis.virtualization.models import VirtualMachine

FSMO_ROLES = ("schema", "naming", "pdc", "rid", "infrastructure")


@register(
    group="inventory",
    columns=("fqdn", "netbios_name", "functional_level", "reading_enabled"),
    filters=("functional_level", "reading_enabled"),
    search=("netbios_name", "description"),
    key="fqdn",
    panels=("directory/domain_panel.html",),
)
class DirectoryDomain(TaggedModel):
    """An Active Directory domain, and how irtis reads it over LDAPS (the bind password is kept
    apart, encrypted: `DomainSecret`)."""

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
    ldap_urls = models.CharField(
        _("LDAPS addresses"), max_length=500, blank=True,
        help_text=_("ldaps://host:636 of the domain controllers to read, separated by spaces; tried in turn."))
    bind_account = models.CharField(
        _("bind account"), max_length=255, blank=True,
        help_text=_("A read-only service account: DN, user@domain or DOMAIN\\user."))
    ca_file = models.CharField(
        _("CA certificate file"), max_length=500, blank=True,
        help_text=_("Path on the server of the CA that signed the controllers' certificates; empty: the system's."))
    timeout = models.PositiveSmallIntegerField(
        _("timeout (s)"), default=5, validators=[MinValueValidator(1), MaxValueValidator(60)])
    reading_enabled = models.BooleanField(
        _("read on schedule"), default=False, help_text=_("Scheduled readings read only these domains."))

    class Meta:
        db_table = "inventory_directorydomain"
        verbose_name = _("directory domain")
        verbose_name_plural = _("directory domains")
        ordering = ["fqdn"]
        indexes = [collation.index("fqdn", "inventory_directorydomai_lt")]

    def __str__(self) -> str:
        return self.fqdn

    @property
    def urls(self) -> list[str]:
        return self.ldap_urls.replace(",", " ").split()

    def clean(self) -> None:
        self.fqdn = self.fqdn.lower()
        self.netbios_name = self.netbios_name.upper()
        for url in self.urls:
            if check_uri(url, starttls=False):  # its reason is in English, for the settings' check
                raise ValidationError({"ldap_urls": _("%(url)s is not an ldaps:// address.") % {"url": url}})
        self.ldap_urls = " ".join(self.urls)
        if self.reading_enabled and not (self.urls and self.bind_account):
            raise ValidationError({"reading_enabled": _("Reading needs the LDAPS addresses and the bind account.")})


class DomainSecret(models.Model):
    """A domain's bind password, encrypted with the key kept outside the database
    (irtis.core.secrets); set and read only through `irtis.directory.credentials`."""

    domain = models.OneToOneField(DirectoryDomain, models.CASCADE, primary_key=True, related_name="secret",
                                  verbose_name=_("directory domain"))
    ciphertext = models.BinaryField(_("encrypted password"))
    key_id = models.CharField(_("key fingerprint"), max_length=16)

    class Meta:
        verbose_name = _("bind password")
        verbose_name_plural = _("bind passwords")

    def __str__(self) -> str:
        return f"{self.domain_id}: bind password"


@register(
    group="inventory",
    columns=("name", "domain", "site", "device", "virtual_machine", "global_catalog", "read_only", "fsmo_roles"),
    filters=("domain", "site", "device", "virtual_machine", "global_catalog", "read_only"),
    search=("fsmo_roles", "description"),
)
class DomainController(TaggedModel):
    """A domain controller, running on a physical server (`device`) or a virtual machine."""

    domain = models.ForeignKey(
        DirectoryDomain, models.PROTECT, related_name="controllers", verbose_name=_("domain"),
    )
    name = NameField(_("host name"), max_length=100, unique=True)
    site = models.ForeignKey(Site, models.PROTECT, related_name="domain_controllers", verbose_name=_("site"))
    device = models.ForeignKey(
        Device, models.PROTECT, null=True, blank=True, related_name="domain_controllers",
        verbose_name=_("device"),
    )
    virtual_machine = models.ForeignKey(
        VirtualMachine, models.PROTECT, null=True, blank=True, related_name="domain_controllers",
        verbose_name=_("virtual machine"),
    )
    global_catalog = models.BooleanField(_("global catalogue"), default=True)
    read_only = models.BooleanField(_("read-only (RODC)"), default=False)
    fsmo_roles = models.CharField(
        _("FSMO roles"), max_length=100, blank=True,
        help_text=_("Comma-separated: schema, naming, pdc, rid, infrastructure."),
    )
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        db_table = "inventory_domaincontroller"
        verbose_name = _("domain controller")
        verbose_name_plural = _("domain controllers")
        ordering = ["name"]
        indexes = [collation.index("name", "inventory_domaincontroll_lt")]

    def __str__(self) -> str:
        return self.name

    @property
    def roles(self) -> list[str]:
        return [r for r in re.split(r"[\s,]+", self.fsmo_roles.lower()) if r]

    def clean(self) -> None:
        roles = self.roles
        unknown = sorted(set(roles) - set(FSMO_ROLES))
        if unknown:
            raise ValidationError({"fsmo_roles": _("Unknown FSMO roles: %(roles)s") % {"roles": ", ".join(unknown)}})
        self.fsmo_roles = ", ".join(r for r in FSMO_ROLES if r in roles)
        if self.fsmo_roles and self.read_only:
            raise ValidationError({"fsmo_roles": _("A read-only domain controller holds no FSMO role.")})
        if self.device_id and self.virtual_machine_id:
            raise ValidationError({"virtual_machine": _(
                "A domain controller runs either on a device or on a virtual machine, not on both.")})
        if self.device_id and self.site_id and self.device and self.device.site_id != self.site_id:
            raise ValidationError({"device": _("The device must be at the domain controller's site.")})
        machine = self.virtual_machine if self.virtual_machine_id else None
        if machine is not None and self.site_id and machine.cluster.site_id != self.site_id:
            raise ValidationError({"virtual_machine": _(
                "The virtual machine's cluster must be at the domain controller's site.")})
