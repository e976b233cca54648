"""What a reading of a domain found in Active Directory: derived data kept for comparison with the
records and for the domain's page, replaced by newer readings (the last `KEEP` are kept)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .records import DirectoryDomain

KEEP = 10  # readings kept per domain


class Reading(models.Model):
    """One reading of a domain: when, through which controller, the domain-wide figures, and the
    error that stopped it (in Lithuanian, for the page)."""

    domain = models.ForeignKey(DirectoryDomain, models.CASCADE, related_name="readings",
                               verbose_name=_("directory domain"))
    read_at = models.DateTimeField(_("read at"))
    ok = models.BooleanField(_("read"), default=False)
    error = models.TextField(_("error"), blank=True)
    server = models.CharField(_("answered by"), max_length=255, blank=True)
    domain_level = models.PositiveSmallIntegerField(_("domain functional level"), null=True)
    forest_level = models.PositiveSmallIntegerField(_("forest functional level"), null=True)
    fsmo = models.JSONField(_("FSMO role holders"), default=dict)
    replication_status = models.CharField(_("replication status source"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("directory reading")
        verbose_name_plural = _("directory readings")
        ordering = ["-read_at", "-pk"]
        indexes = [models.Index(fields=["domain", "-read_at"], name="directory_reading_latest")]

    def __str__(self) -> str:
        return f"{self.domain_id} @ {self.read_at:%Y-%m-%d %H:%M}"


class ReadSite(models.Model):
    reading = models.ForeignKey(Reading, models.CASCADE, related_name="sites", verbose_name=_("reading"))
    name = models.CharField(_("name"), max_length=255)
    description = models.CharField(_("description"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("AD site")
        verbose_name_plural = _("AD sites")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ReadSubnet(models.Model):
    reading = models.ForeignKey(Reading, models.CASCADE, related_name="subnets", verbose_name=_("reading"))
    prefix = models.CharField(_("prefix"), max_length=64)
    site = models.CharField(_("AD site"), max_length=255, blank=True)
    location = models.CharField(_("location"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("AD subnet")
        verbose_name_plural = _("AD subnets")
        ordering = ["prefix"]

    def __str__(self) -> str:
        return self.prefix


class ReadController(models.Model):
    """A domain controller as AD knows it (server and nTDSDSA objects), with its health."""

    reading = models.ForeignKey(Reading, models.CASCADE, related_name="controllers", verbose_name=_("reading"))
    name = models.CharField(_("host name"), max_length=255)
    dns_name = models.CharField(_("DNS name"), max_length=255, blank=True)
    site = models.CharField(_("AD site"), max_length=255, blank=True)
    global_catalog = models.BooleanField(_("global catalogue"), default=False)
    read_only = models.BooleanField(_("read-only (RODC)"), default=False)
    fsmo_roles = models.CharField(_("FSMO roles"), max_length=100, blank=True)
    reachable = models.BooleanField(_("reachable over LDAPS"), default=False)
    error = models.TextField(_("error"), blank=True)
    time_offset = models.FloatField(_("time offset (s)"), null=True)
    synchronized = models.BooleanField(_("synchronised"), null=True)
    gc_ready = models.BooleanField(_("global catalogue ready"), null=True)
    highest_usn = models.BigIntegerField(_("highest committed USN"), null=True)
    replication_failures = models.JSONField(_("replication failures"), default=list)

    class Meta:
        verbose_name = _("domain controller read")
        verbose_name_plural = _("domain controllers read")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ReplicationConnection(models.Model):
    """An nTDSConnection: `to_server` replicates from `from_server`."""

    reading = models.ForeignKey(Reading, models.CASCADE, related_name="connections", verbose_name=_("reading"))
    from_server = models.CharField(_("from server"), max_length=255)
    to_server = models.CharField(_("to server"), max_length=255)
    from_site = models.CharField(_("from site"), max_length=255, blank=True)
    to_site = models.CharField(_("to site"), max_length=255, blank=True)
    site_link = models.CharField(_("site link"), max_length=255, blank=True)
    enabled = models.BooleanField(_("enabled"), default=True)

    class Meta:
        verbose_name = _("replication connection")
        verbose_name_plural = _("replication connections")
        ordering = ["to_server", "from_server"]

    def __str__(self) -> str:
        return f"{self.from_server} → {self.to_server}"


class Trust(models.Model):
    """A trustedDomain object of the domain."""

    class Direction(models.IntegerChoices):
        DISABLED = 0, _("disabled")
        INBOUND = 1, _("inbound")
        OUTBOUND = 2, _("outbound")
        BOTH = 3, _("two-way")

    class Kind(models.IntegerChoices):
        DOWNLEVEL = 1, _("Windows NT (downlevel)")
        UPLEVEL = 2, _("Active Directory")
        MIT = 3, _("Kerberos realm (MIT)")
        DCE = 4, _("DCE")

    reading = models.ForeignKey(Reading, models.CASCADE, related_name="trusts", verbose_name=_("reading"))
    partner = models.CharField(_("trusted domain"), max_length=255)
    flat_name = models.CharField(_("NetBIOS name"), max_length=64, blank=True)
    direction = models.PositiveSmallIntegerField(_("direction"), choices=Direction.choices, null=True)
    kind = models.PositiveSmallIntegerField(_("type"), choices=Kind.choices, null=True)
    transitive = models.BooleanField(_("transitive"), default=False)
    forest = models.BooleanField(_("forest trust"), default=False)

    class Meta:
        verbose_name = _("trust")
        verbose_name_plural = _("trusts")
        ordering = ["partner"]

    def __str__(self) -> str:
        return self.partner
