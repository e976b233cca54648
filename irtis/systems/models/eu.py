"""The trans-European customs systems (statute 2.18): EU systems, the national interconnections
to them, the certificates those links use, and conformance-test campaigns."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from irtis.core import collation
from irtis.core.graph import GraphEdge
from irtis.core.models import TaggedModel
from irtis.core.names import NameField
from irtis.core.registry import register

from .catalogue import InformationSystem

CERTIFICATE_WARNING_DAYS = 30


@register(
    group="systems",
    columns=("code", "name", "area", "description"),
    filters=("area",),
    search=("code", "description"),
    key="code",
)
class EUSystem(TaggedModel):
    """A trans-European system run by DG TAXUD (CCN/CSI, NCTS, ICS2, EOS …)."""

    class Area(models.TextChoices):
        NETWORK = "network", _("network and messaging")
        TRANSIT = "transit", _("transit, security and export")
        CLASSIFICATION = "classification", _("classification and tariff")
        TRADERS = "traders", _("economic operators")
        RISK = "risk", _("risk and surveillance")
        GUARANTEES = "guarantees", _("guarantees")
        IDENTITY = "identity", _("identity and access")

    code = NameField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200)
    area = models.CharField(_("area"), max_length=20, choices=Area.choices)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("EU system")
        verbose_name_plural = _("EU systems")
        ordering = ["code"]
        indexes = [collation.index("code", "systems_eusystem_lt")]

    def __str__(self) -> str:
        return self.code


@register(
    group="systems",
    columns=("name", "system", "eu_system", "protocol", "gateway_device", "gateway_vm", "status"),
    filters=("system", "eu_system", "protocol", "status"),
    search=("queue", "ec_contact", "description"),
    edges=(
        GraphEdge("connects_through", _("connects through"), target="gateway_device"),
        GraphEdge("connects_through", _("connects through"), target="gateway_vm"),
        GraphEdge("connects_to", _("connects to"), target="eu_system"),
        GraphEdge("exchanges_via", _("exchanges data via"), source="system", mode="soft"),
    ),
)
class Interconnection(TaggedModel):
    """A link between a national system and an EU system, through a gateway."""

    class Protocol(models.TextChoices):
        CCN_CSI = "ccn_csi", _("CCN/CSI queue")
        CCN2 = "ccn2", _("CCN2 API")
        HTTPS = "https", _("HTTPS web service")
        AS4 = "as4", _("AS4 messaging")
        SMTP = "smtp", _("CCN Mail")
        OTHER = "other", _("other")

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        TESTING = "testing", _("in conformance testing")
        ACTIVE = "active", _("active")
        RETIRED = "retired", _("retired")

    name = NameField(_("name"), max_length=100, unique=True)
    system = models.ForeignKey(
        InformationSystem, models.CASCADE, related_name="interconnections", verbose_name=_("national system"),
    )
    eu_system = models.ForeignKey(
        EUSystem, models.PROTECT, related_name="interconnections", verbose_name=_("EU system"),
    )
    gateway_device = models.ForeignKey(
        "inventory.Device", models.PROTECT, null=True, blank=True, related_name="interconnections",
        verbose_name=_("gateway device"),
    )
    gateway_vm = models.ForeignKey(
        "virtualization.VirtualMachine", models.PROTECT, null=True, blank=True, related_name="interconnections",
        verbose_name=_("gateway virtual machine"),
    )
    protocol = models.CharField(_("protocol"), max_length=20, choices=Protocol.choices)
    queue = models.CharField(_("queue or endpoint"), max_length=200, blank=True)
    ec_contact = models.CharField(_("EC contact"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("interconnection")
        verbose_name_plural = _("interconnections")
        ordering = ["name"]
        indexes = [collation.index("name", "systems_interconnectio_lt")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.gateway_device_id and self.gateway_vm_id:
            raise ValidationError({"gateway_vm": _("Choose a gateway device or a virtual machine, not both.")})


@register(
    group="systems",
    columns=("subject", "issuer", "serial", "expires", "interconnection", "device", "virtual_machine"),
    filters=("issuer", "expires", "interconnection", "device", "virtual_machine"),
    search=("issuer", "serial", "description"),
    key="id",
    brief=("id", "subject", "expires"),
    panels=("systems/certificate_panel.html",),
    edges=(GraphEdge("authenticates_via", _("authenticates via"), source="interconnection"),),
)
class Certificate(TaggedModel):
    """A digital certificate (skaitmeninis sertifikatas) used by an interconnection or an object."""

    subject = models.CharField(_("subject"), max_length=300)
    issuer = models.CharField(_("issuer"), max_length=300)
    serial = models.CharField(_("serial number"), max_length=100)
    not_before = models.DateField(_("valid from"), null=True, blank=True)
    expires = models.DateField(_("expires"))
    interconnection = models.ForeignKey(
        Interconnection, models.SET_NULL, null=True, blank=True, related_name="certificates",
        verbose_name=_("interconnection"),
    )
    device = models.ForeignKey(
        "inventory.Device", models.SET_NULL, null=True, blank=True, related_name="certificates",
        verbose_name=_("device"),
    )
    virtual_machine = models.ForeignKey(
        "virtualization.VirtualMachine", models.SET_NULL, null=True, blank=True, related_name="certificates",
        verbose_name=_("virtual machine"),
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["expires", "subject"]
        constraints = [
            models.UniqueConstraint(fields=["issuer", "serial"], name="certificate_issuer_serial"),
        ]

    def __str__(self) -> str:
        return self.subject

    def clean(self) -> None:
        if self.not_before and self.expires and self.not_before > self.expires:
            raise ValidationError({"expires": _("A certificate cannot expire before it becomes valid.")})

    @property
    def days_left(self) -> int:
        return (self.expires - timezone.localdate()).days

    @property
    def expiry_state(self) -> str:
        """"expired", "expiring" (within the warning period) or "valid": the badge on the page."""
        days = self.days_left
        return "expired" if days < 0 else "expiring" if days <= CERTIFICATE_WARNING_DAYS else "valid"


def expiring(queryset: models.QuerySet, days: int) -> models.QuerySet:
    """Certificates that expire within `days` days from today (the expired ones included)."""
    return queryset.filter(expires__lte=timezone.localdate() + datetime.timedelta(days=days))


@register(
    group="systems",
    columns=("name", "eu_system", "system", "started", "ended", "result"),
    filters=("eu_system", "system", "result", "started", "ended"),
    search=("notes",),
)
class ConformanceCampaign(TaggedModel):
    """A conformance-test campaign of a national system against an EU system (e.g. NCTS P6)."""

    class Result(models.TextChoices):
        PLANNED = "planned", _("planned")
        RUNNING = "running", _("running")
        PASSED = "passed", _("passed")
        PASSED_WITH_REMARKS = "remarks", _("passed with remarks")
        FAILED = "failed", _("failed")

    name = NameField(_("name"), max_length=150, unique=True)
    eu_system = models.ForeignKey(
        EUSystem, models.PROTECT, related_name="campaigns", verbose_name=_("EU system"),
    )
    system = models.ForeignKey(
        InformationSystem, models.CASCADE, related_name="campaigns", verbose_name=_("national system"),
    )
    started = models.DateField(_("started"))
    ended = models.DateField(_("ended"), null=True, blank=True)
    result = models.CharField(_("result"), max_length=20, choices=Result.choices, default=Result.PLANNED)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("conformance campaign")
        verbose_name_plural = _("conformance campaigns")
        ordering = ["-started", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.started and self.ended and self.ended < self.started:
            raise ValidationError({"ended": _("A campaign cannot end before it starts.")})
