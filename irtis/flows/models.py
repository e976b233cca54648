"""Network access between zones (statute 2.3): the approved flows (leidžiami srautai) between
security zones or prefixes, the firewalls (saugasienės) with their imported rule sets, and the
versions of those rule sets."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from irtis.audit import context
from irtis.core import collation
from irtis.core.models import BaseModel, TaggedModel
from irtis.core.names import NameField
from irtis.core.registry import register
from irtis.network.models import Prefix, SecurityZone
from irtis.systems.models import InformationSystem

from .syntax import validate_addresses, validate_ports


class Protocol(models.TextChoices):
    TCP = "tcp", "TCP"
    UDP = "udp", "UDP"
    ICMP = "icmp", "ICMP"
    ANY = "any", _("any protocol")


class FlowStatus(models.TextChoices):
    REQUESTED = "requested", _("requested")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
    EXPIRED = "expired", _("expired")


def _current_user() -> int | None:
    user = context.current().user
    return getattr(user, "pk", None) if getattr(user, "is_authenticated", False) else None


def _check_ports(protocol: str, ports: str) -> None:
    if ports.strip() and protocol not in (Protocol.TCP, Protocol.UDP):
        raise ValidationError({"ports": _("Only TCP and UDP have ports: leave them empty for ICMP or any protocol.")})


# What a flow allows: changing any of these sends an approved flow back for approval.
SCOPE = ("source_zone_id", "source_prefix_id", "destination_zone_id", "destination_prefix_id", "protocol", "ports")


@register(
    group="security",
    columns=("name", "from_zone", "to_zone", "protocol", "ports", "owner", "status", "review_by", "expires"),
    filters=("status", "from_zone", "to_zone", "protocol", "owner", "system", "requested_by"),
    search=("purpose", "ports"),
    panels=("flows/flow_panel.html",),
)
class Flow(TaggedModel):
    """An allowed flow between two zones or prefixes, approved by the system's owner and the
    security officer; each has a date by which it must be reviewed again."""

    name = NameField(_("name"), max_length=150, unique=True)
    source_zone = models.ForeignKey(SecurityZone, models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("source zone"))
    source_prefix = models.ForeignKey(Prefix, models.PROTECT, null=True, blank=True, related_name="+",
                                      verbose_name=_("source prefix"))
    destination_zone = models.ForeignKey(SecurityZone, models.PROTECT, null=True, blank=True, related_name="+",
                                         verbose_name=_("destination zone"))
    destination_prefix = models.ForeignKey(Prefix, models.PROTECT, null=True, blank=True, related_name="+",
                                           verbose_name=_("destination prefix"))
    # The zones of the two ends (a prefix's zone), kept for the matrix and its filtered lists.
    from_zone = models.ForeignKey(SecurityZone, models.SET_NULL, null=True, blank=True, editable=False,
                                  related_name="flows_from", verbose_name=_("from zone"))
    to_zone = models.ForeignKey(SecurityZone, models.SET_NULL, null=True, blank=True, editable=False,
                                related_name="flows_to", verbose_name=_("to zone"))
    protocol = models.CharField(_("protocol"), max_length=4, choices=Protocol.choices, default=Protocol.TCP)
    ports = models.CharField(_("ports"), max_length=200, blank=True, validators=[validate_ports],
                             help_text=_("E.g. 443,8000-8080; empty: every port."))
    purpose = models.TextField(_("purpose"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+",
                              verbose_name=_("owner"), help_text=_("Approves the flow for the system's owner."))
    system = models.ForeignKey(InformationSystem, models.PROTECT, null=True, blank=True, related_name="flows",
                               verbose_name=_("information system"))
    expires = models.DateField(_("expires"), null=True, blank=True)
    review_by = models.DateField(_("review by"))
    status = models.CharField(_("status"), max_length=10, choices=FlowStatus.choices, default=FlowStatus.REQUESTED,
                              editable=False, db_index=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                     editable=False, related_name="+", verbose_name=_("requested by"))
    owner_approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                          editable=False, related_name="+", verbose_name=_("approved by the owner"))
    owner_approved_at = models.DateTimeField(_("owner approved"), null=True, blank=True, editable=False)
    security_approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                             editable=False, related_name="+",
                                             verbose_name=_("approved by the security officer"))
    security_approved_at = models.DateTimeField(_("security officer approved"), null=True, blank=True,
                                                editable=False)

    class Meta:
        verbose_name = _("network flow")
        verbose_name_plural = _("network flows")
        ordering = ["name"]
        indexes = [collation.index("name", "flows_flow_lt")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        errors = {}
        for end in ("source", "destination"):
            if (getattr(self, f"{end}_zone_id") is None) == (getattr(self, f"{end}_prefix_id") is None):
                errors[f"{end}_zone"] = _("Choose either a zone or a prefix.")
        if errors:
            raise ValidationError(errors)
        _check_ports(self.protocol, self.ports)

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        self._derive()  # here too: the shell and demo loaders save without clean()
        super().save(*args, **kwargs)

    def _derive(self) -> None:
        if self._state.adding and self.requested_by_id is None:
            self.requested_by_id = _current_user()
        self.from_zone_id = self.source_zone_id or (self.source_prefix.zone_id if self.source_prefix else None)
        self.to_zone_id = self.destination_zone_id or (
            self.destination_prefix.zone_id if self.destination_prefix else None)
        loaded = getattr(self, "_loaded", {})
        widened = any(name in loaded and loaded[name] != getattr(self, name) for name in SCOPE)
        renewed = "expires" in loaded and loaded["expires"] != self.expires and self.status == FlowStatus.EXPIRED
        if (widened and self.status in (FlowStatus.APPROVED, FlowStatus.REJECTED)) or renewed:
            # an approval is for the flow it saw, until the expiry it saw
            self.status = FlowStatus.REQUESTED
            self.owner_approved_by, self.owner_approved_at = None, None
            self.security_approved_by, self.security_approved_at = None, None
        if self.status == FlowStatus.APPROVED and self.expires and self.expires < timezone.localdate():
            self.status = FlowStatus.EXPIRED

    @property
    def in_force(self) -> bool:
        return self.status == FlowStatus.APPROVED and not (self.expires and self.expires < timezone.localdate())


@register(
    group="security",
    columns=("name", "device", "zone", "rules_reviewed_at", "reviewed_by"),
    filters=("device", "zone", "reviewed_by"),
    search=("description",),
    panels=("flows/firewall_panel.html",),
)
class Firewall(TaggedModel):
    """A firewall (saugasienė) whose rule set is imported from its export and reviewed (LT-19)."""

    name = NameField(_("name"), max_length=100, unique=True)
    device = models.ForeignKey("inventory.Device", models.SET_NULL, null=True, blank=True, related_name="+",
                               verbose_name=_("device"))
    zone = models.ForeignKey(SecurityZone, models.SET_NULL, null=True, blank=True, related_name="firewalls",
                             verbose_name=_("security zone"))
    rules_reviewed_at = models.DateField(_("rules reviewed"), null=True, blank=True, editable=False)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                    editable=False, related_name="+", verbose_name=_("reviewed by"))
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("firewall")
        verbose_name_plural = _("firewalls")
        ordering = ["name"]
        indexes = [collation.index("name", "flows_firewall_lt")]

    def __str__(self) -> str:
        return self.name


class Action(models.TextChoices):
    ALLOW = "allow", _("allow")
    DENY = "deny", _("deny")


@register(
    group="security",
    columns=("firewall", "position", "name", "action", "source", "destination", "protocol", "ports"),
    filters=("firewall", "action", "protocol"),
    search=("name", "source", "destination", "comment"),
    key="id",
    brief=("id", "firewall", "position"),
)
class FirewallRule(BaseModel):
    """One rule of a firewall's rule set, in its order."""

    firewall = models.ForeignKey(Firewall, models.CASCADE, related_name="rules", verbose_name=_("firewall"))
    position = models.PositiveIntegerField(_("position"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=5, choices=Action.choices)
    source = models.TextField(_("source"), validators=[validate_addresses],
                              help_text=_("CIDR networks separated by commas, or “any”."))
    destination = models.TextField(_("destination"), validators=[validate_addresses],
                                   help_text=_("CIDR networks separated by commas, or “any”."))
    protocol = models.CharField(_("protocol"), max_length=4, choices=Protocol.choices)
    ports = models.CharField(_("ports"), max_length=200, blank=True, validators=[validate_ports],
                             help_text=_("E.g. 443,8000-8080; empty: every port."))
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("firewall rule")
        verbose_name_plural = _("firewall rules")
        ordering = ["firewall_id", "position"]
        constraints = [models.UniqueConstraint(fields=["firewall", "position"], name="flows_rule_position")]

    def __str__(self) -> str:
        return f"{self.firewall_id} #{self.position} {self.name}".rstrip()

    def clean(self) -> None:
        super().clean()
        _check_ports(self.protocol, self.ports)


@register(
    group="security",
    columns=("firewall", "uploaded_at", "uploaded_by", "sha256", "rules", "added", "removed"),
    filters=("firewall", "uploaded_by"),
    search=("sha256",),
    key="id",
    brief=("id", "firewall", "uploaded_at"),
)
class RuleSetVersion(BaseModel):
    """One import of a firewall's rule set: which file, by whom, what it changed."""

    firewall = models.ForeignKey(Firewall, models.CASCADE, related_name="versions", verbose_name=_("firewall"))
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64, editable=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                    editable=False, related_name="+", verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now, editable=False)
    rules = models.PositiveIntegerField(_("rules"), default=0, editable=False)
    added = models.PositiveIntegerField(_("added"), default=0, editable=False)
    removed = models.PositiveIntegerField(_("removed"), default=0, editable=False)

    class Meta:
        verbose_name = _("rule set version")
        verbose_name_plural = _("rule set versions")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.firewall_id} {self.sha256[:12]}"
