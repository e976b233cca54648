"""Software licences held, by metric, against what the inventory shows deployed (`licensing`)."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from irtis.core import collation
from irtis.core.models import TaggedModel
from irtis.core.names import NameField
from irtis.core.registry import register

from .contracts import Contract


@register(
    group="procurement",
    columns=("name", "product", "kind", "metric", "quantity", "expiry", "contract"),
    filters=("product", "kind", "metric", "contract", "expiry"),
    search=("description",),
)
class Licence(TaggedModel):
    """Licences of one software product bought under one metric (e.g. 16 Oracle processor licences)."""

    class Kind(models.TextChoices):
        PERPETUAL = "perpetual", _("perpetual")
        SUBSCRIPTION = "subscription", _("subscription")
        TERM = "term", _("term")

    class Metric(models.TextChoices):
        CORE = "core", _("per core (processor)")
        USER = "user", _("per named user")
        DEVICE = "device", _("per device")
        INSTANCE = "instance", _("per instance")

    name = NameField(_("name"), max_length=200, unique=True)
    product = models.ForeignKey("inventory.SoftwareProduct", models.PROTECT, related_name="licences",
                                verbose_name=_("software product"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PERPETUAL)
    metric = models.CharField(_("metric"), max_length=10, choices=Metric.choices)
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MaxValueValidator(10_000_000)])
    core_factor = models.DecimalField(
        _("core factor"), max_digits=4, decimal_places=2, default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("4"))],
        help_text=_("Per core: licences needed per physical core (Oracle's table: 0.5 for x86)."),
    )
    users = models.PositiveIntegerField(
        _("users in use"), null=True, blank=True,
        help_text=_("Per named user: how many users use it (the inventory does not count people)."),
    )
    expiry = models.DateField(_("expiry"), null=True, blank=True, help_text=_("Empty for perpetual licences."))
    contract = models.ForeignKey(Contract, models.SET_NULL, null=True, blank=True, related_name="licences",
                                 verbose_name=_("contract"))
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("licence")
        verbose_name_plural = _("licences")
        ordering = ["name"]
        indexes = [collation.index("name", "procurement_licence_lt")]

    def __str__(self) -> str:
        return self.name
