"""Scheduled discovery: sweeps over many devices (registered), their stored SNMP credentials and
what each sweep last found on each device (derived data, reviewed before anything is applied)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from irtis.core import collation
from irtis.core.models import TaggedModel
from irtis.core.names import NameField
from irtis.core.registry import register
from irtis.inventory.models import Device, DeviceRole, Site
from irtis.network.models import VRF
from irtis.tasks.models import queue_choices

SNMP_PORT = 161


@register(
    group="inventory",
    columns=("name", "site", "role", "zone", "port", "enabled"),
    filters=("site", "role", "zone", "enabled"),
    search=("description",),
)
class Sweep(TaggedModel):
    """An SNMP discovery sweep (SNMP aptikimo apklausa): the devices it reads, with what credentials,
    by the worker of which network zone."""

    name = NameField(_("name"), max_length=100, unique=True)
    site = models.ForeignKey(Site, models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("site"), help_text=_("Empty: every site."))
    role = models.ForeignKey(DeviceRole, models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("device role"), help_text=_("Empty: every role."))
    devices = models.ManyToManyField(Device, blank=True, related_name="+", verbose_name=_("devices"),
                                     help_text=_("Named devices; when any are named, the site and role are not used."))
    vrf = models.ForeignKey(VRF, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("VRF"),
                            help_text=_("Of the agents' and the discovered addresses. Empty: the global table."))
    port = models.PositiveIntegerField(_("UDP port"), default=SNMP_PORT,
                                       validators=[MinValueValidator(1), MaxValueValidator(65535)])
    timeout = models.PositiveSmallIntegerField(_("timeout (s)"), default=2,
                                               validators=[MinValueValidator(1), MaxValueValidator(60)])
    retries = models.PositiveSmallIntegerField(_("retries"), default=1, validators=[MaxValueValidator(5)],
                                               help_text=_("Further attempts before an agent counts as silent."))
    zone = models.CharField(_("network zone"), max_length=32, default="default", choices=queue_choices,
                            help_text=_("The worker of this zone's queue reads the agents."))
    enabled = models.BooleanField(_("enabled"), default=True,
                                  help_text=_("Scheduled runs read only enabled sweeps."))
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("SNMP discovery sweep")
        verbose_name_plural = _("SNMP discovery sweeps")
        ordering = ["name"]
        indexes = [collation.index("name", "discovery_sweep_lt")]

    def __str__(self) -> str:
        return self.name


class SweepSecret(models.Model):
    """A sweep's community or SNMPv3 user and keys, as JSON encrypted with the key kept outside the
    database (irtis.core.secrets); set and read only through `irtis.discovery.credentials`."""

    sweep = models.OneToOneField(Sweep, models.CASCADE, primary_key=True, related_name="secret",
                                 verbose_name=_("SNMP discovery sweep"))
    ciphertext = models.BinaryField(_("encrypted credentials"))
    key_id = models.CharField(_("key fingerprint"), max_length=16)

    class Meta:
        verbose_name = _("SNMP credentials")
        verbose_name_plural = _("SNMP credentials")

    def __str__(self) -> str:
        return f"{self.sweep_id}: SNMP credentials"


class Finding(models.Model):
    """What a sweep last read from one device: the reading kept for review, and a summary of the
    plan it made then. Replaced at every run; never applied without a person's review."""

    class Outcome(models.TextChoices):
        CHANGES = "changes", _("differs from the records")
        MATCHES = "matches", _("matches the records")
        FAILED = "failed", _("not read")
        NO_ADDRESS = "no_address", _("no address to read")

    class Review(models.TextChoices):
        PENDING = "pending", _("to review")
        APPLIED = "applied", _("applied")
        DISMISSED = "dismissed", _("dismissed")

    sweep = models.ForeignKey(Sweep, models.CASCADE, related_name="findings", verbose_name=_("SNMP discovery sweep"))
    device = models.ForeignKey(Device, models.CASCADE, related_name="+", verbose_name=_("device"))
    address = models.CharField(_("agent address"), max_length=64, blank=True)
    read_at = models.DateTimeField(_("read at"))
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    message = models.TextField(_("message"), blank=True)
    reading = models.JSONField(_("reading"), null=True)
    summary = models.JSONField(_("summary"), default=dict)
    review = models.CharField(_("review"), max_length=10, choices=Review.choices, default=Review.PENDING)
    reviewed_by = models.ForeignKey("identity.User", models.SET_NULL, null=True, related_name="+",
                                    verbose_name=_("reviewed by"))
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True)

    class Meta:
        verbose_name = _("discovery finding")
        verbose_name_plural = _("discovery findings")
        ordering = ["device__name"]
        constraints = [models.UniqueConstraint(fields=["sweep", "device"], name="discovery_finding_unique")]

    def __str__(self) -> str:
        return f"{self.sweep} · {self.device}"
