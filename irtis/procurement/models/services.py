"""External services the centre buys (data-centre space, WAN circuits, software support,
maintenance of equipment) with their SLA targets, measured by `sla` from monitoring's records."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from irtis.core import collation
from irtis.core.models import TaggedModel
from irtis.core.names import NameField
from irtis.core.registry import register

from .contracts import Contract
from .suppliers import Supplier

PERCENT = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


@register(
    group="procurement",
    columns=("name", "kind", "supplier", "contract", "system", "availability_target", "monthly_fee"),
    filters=("kind", "supplier", "contract", "system"),
    search=("description",),
    panels=("procurement/service_panel.html",),
)
class ExternalService(TaggedModel):
    """A bought service whose availability irtis measures from the information system it provides."""

    class Kind(models.TextChoices):
        DATA_CENTRE = "data_centre", _("data-centre space")
        WAN = "wan", _("WAN circuits")
        SOFTWARE_SUPPORT = "software_support", _("software support")
        MAINTENANCE = "maintenance", _("maintenance of equipment")
        OTHER = "other", _("other")

    name = NameField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    supplier = models.ForeignKey(Supplier, models.PROTECT, related_name="services", verbose_name=_("supplier"))
    contract = models.ForeignKey(Contract, models.SET_NULL, null=True, blank=True, related_name="services",
                                 verbose_name=_("contract"))
    system = models.ForeignKey(
        "systems.InformationSystem", models.PROTECT, related_name="external_services",
        verbose_name=_("measured as"),
        help_text=_("The information system (or service) whose availability monitoring records measure it."),
    )
    availability_target = models.DecimalField(
        _("availability target (%)"), max_digits=6, decimal_places=3, null=True, blank=True, validators=PERCENT,
        help_text=_("Per month; empty: the contract's availability."),
    )
    monthly_fee = models.DecimalField(_("monthly fee"), max_digits=12, decimal_places=2, default=Decimal("0"),
                                      validators=[MinValueValidator(Decimal("0"))])
    penalty_step = models.DecimalField(
        _("penalty step (percentage points)"), max_digits=6, decimal_places=3, default=Decimal("0.1"),
        validators=[MinValueValidator(Decimal("0.001"))],
        help_text=_("Each started step of availability below the target costs the penalty rate."),
    )
    penalty_rate = models.DecimalField(_("penalty per step (% of the fee)"), max_digits=6, decimal_places=2,
                                       default=Decimal("0"), validators=PERCENT)
    penalty_cap = models.DecimalField(_("penalty cap (% of the fee)"), max_digits=6, decimal_places=2,
                                      default=Decimal("100"), validators=PERCENT)
    incident_penalty_rate = models.DecimalField(
        _("penalty per late response or resolution (% of the fee)"), max_digits=6, decimal_places=2,
        default=Decimal("0"), validators=PERCENT,
        help_text=_("Each incident answered or resolved later than the contract's time costs this; "
                    "the month's penalties together are at most the cap."),
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("external service")
        verbose_name_plural = _("external services")
        ordering = ["name"]
        indexes = [collation.index("name", "procurement_externalservi_lt")]

    def __str__(self) -> str:
        return self.name

    @property
    def target(self) -> Decimal | None:
        if self.availability_target is not None:
            return self.availability_target
        return self.contract.availability_percent if self.contract_id and self.contract else None
