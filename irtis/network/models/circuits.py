"""Links and circuits of the data and voice networks, and the providers that deliver them."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from irtis.core import collation
from irtis.core.graph import GraphEdge
from irtis.core.models import TaggedModel
from irtis.core.names import NameField
from irtis.core.registry import register
from irtis.inventory.models import Site


@register(
    group="networks",
    columns=("name", "account", "contact", "description"),
    search=("account", "contact", "description"),
)
class Provider(TaggedModel):
    """An operator delivering circuits: the secure state network (SVDPT), mobile or fixed-line operators."""

    name = NameField(_("name"), max_length=100, unique=True)
    account = models.CharField(_("customer account"), max_length=100, blank=True)
    contact = models.CharField(_("service desk contact"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("provider")
        verbose_name_plural = _("providers")
        ordering = ["name"]
        indexes = [collation.index("name", "network_provider_lt")]

    def __str__(self) -> str:
        return self.name


@register(
    group="networks",
    columns=("cid", "provider", "kind", "bandwidth_mbps", "site_a", "site_b", "status"),
    filters=("kind", "status", "provider", "site_a", "site_b", "bandwidth_mbps"),
    search=("contract_ref", "description"),
    key="cid",
    edges=(
        GraphEdge("terminates_at", _("terminates at"), target="site_a"),
        GraphEdge("terminates_at", _("terminates at"), target="site_b"),
    ),
)
class Circuit(TaggedModel):
    """A link between two sites, or from a site to a provider's network (internet, LTE, voice trunk)."""

    class Kind(models.TextChoices):
        SVDPT = "svdpt", _("secure state data network (SVDPT)")
        MPLS = "mpls", _("MPLS")
        LTE = "lte", _("LTE backup")
        FIBRE = "fibre", _("dark fibre")
        VOICE = "voice", _("voice / telephony trunk")
        INTERNET = "internet", _("internet")

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        PROVISIONING = "provisioning", _("provisioning")
        ACTIVE = "active", _("active")
        OFFLINE = "offline", _("offline")
        DECOMMISSIONED = "decommissioned", _("decommissioned")

    cid = NameField(_("circuit ID"), max_length=100, unique=True)
    provider = models.ForeignKey(Provider, models.PROTECT, related_name="circuits", verbose_name=_("provider"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    bandwidth_mbps = models.PositiveIntegerField(_("bandwidth, Mbps"))
    commit_rate_mbps = models.PositiveIntegerField(
        _("commit rate, Mbps"),
        null=True,
        blank=True,
        help_text=_("Guaranteed rate, if the contract sets one."),
    )
    site_a = models.ForeignKey(Site, models.PROTECT, related_name="circuits_a", verbose_name=_("site A"))
    site_b = models.ForeignKey(
        Site,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="circuits_b",
        verbose_name=_("site B"),
        help_text=_("Empty when the circuit ends in the provider's network (internet, LTE, trunk)."),
    )
    contract_ref = models.CharField(_("contract reference"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("circuit")
        verbose_name_plural = _("circuits")
        ordering = ["cid"]
        indexes = [collation.index("cid", "network_circuit_lt")]

    def __str__(self) -> str:
        return self.cid

    def clean(self) -> None:
        errors = {}
        if self.site_a_id and self.site_a_id == self.site_b_id:
            errors["site_b"] = _("A circuit joins two different sites.")
        if self.kind == self.Kind.FIBRE and not self.site_b_id:
            errors["site_b"] = _("A dark fibre ends at a site: choose site B.")
        if self.commit_rate_mbps and self.bandwidth_mbps is not None and self.commit_rate_mbps > self.bandwidth_mbps:
            errors["commit_rate_mbps"] = _("The commit rate cannot exceed the bandwidth.")
        if errors:
            raise ValidationError(errors)
