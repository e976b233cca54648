"""Contracts (sutartys) with their obligations, the objects they cover, and their amendments.

An amendment (pakeitimas) is a version of the contract: saving it writes the new end date or
value into the contract, so the audit trail holds the contract as it was before and after each.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from irtis.core.models import TaggedModel
from irtis.core.names import NameField
from irtis.core.registry import register

from .suppliers import Supplier


class Currency(models.TextChoices):
    EUR = "EUR", "EUR"
    USD = "USD", "USD"
    GBP = "GBP", "GBP"
    PLN = "PLN", "PLN"


@register(
    group="procurement",
    columns=("number", "supplier", "subject", "value", "currency", "start", "end", "status"),
    filters=("supplier", "status", "currency", "start", "end"),
    search=("subject", "renewal_options", "deliverables"),
    key="number",
)
class Contract(TaggedModel):
    """A contract with a supplier: its subject, value, term, renewal and notice, and obligations."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        ACTIVE = "active", _("in force")
        ENDED = "ended", _("ended")
        TERMINATED = "terminated", _("terminated")

    number = NameField(_("number"), max_length=50, unique=True)
    supplier = models.ForeignKey(Supplier, models.PROTECT, related_name="contracts", verbose_name=_("supplier"))
    subject = models.CharField(_("subject"), max_length=300)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2,
                                validators=[MinValueValidator(Decimal("0"))],
                                help_text=_("Without VAT."))
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, default=Currency.EUR)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    renewal_options = models.TextField(_("renewal options"), blank=True,
                                       help_text=_("e.g. may be extended twice by 12 months"))
    notice_days = models.PositiveIntegerField(
        _("notice period (days)"), default=0, validators=[MaxValueValidator(3650)],
        help_text=_("How many days before the end notice of termination or renewal must be given."),
    )
    response_hours = models.DecimalField(_("response time (h)"), max_digits=7, decimal_places=2, null=True,
                                         blank=True, validators=[MinValueValidator(Decimal("0"))])
    resolution_hours = models.DecimalField(_("resolution time (h)"), max_digits=7, decimal_places=2, null=True,
                                           blank=True, validators=[MinValueValidator(Decimal("0"))])
    working_hours = models.BooleanField(
        _("response and resolution in working hours"), default=False,
        help_text=_("Counted Mon–Fri 08:00–17:00 without Lithuanian public holidays; otherwise around the clock."),
    )
    availability_percent = models.DecimalField(
        _("availability (%)"), max_digits=6, decimal_places=3, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    deliverables = models.TextField(_("deliverables"), blank=True)
    security_clauses = models.TextField(_("cyber-security clauses"), blank=True,
                                        help_text=_("e.g. incident reporting within 24 h, audits, data location"))
    penalty_terms = models.TextField(_("penalty terms"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="supervised_contracts",
        verbose_name=_("supervisor"), help_text=_("Who supervises the contract and is alerted before its deadlines."),
    )
    devices = models.ManyToManyField("inventory.Device", blank=True, related_name="contracts",
                                     verbose_name=_("devices"))
    software_products = models.ManyToManyField("inventory.SoftwareProduct", blank=True, related_name="contracts",
                                               verbose_name=_("software products"))
    systems = models.ManyToManyField("systems.InformationSystem", blank=True, related_name="contracts",
                                     verbose_name=_("information systems"))
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["end", "id"]

    def __str__(self) -> str:
        return self.number

    @property
    def notice_date(self) -> date | None:
        """The last day notice can be given; None without a notice period."""
        return self.end - timedelta(days=self.notice_days) if self.notice_days and self.end else None

    def clean(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("A contract cannot end before it starts.")})
        if self.signed_on and self.end and self.signed_on > self.end:
            raise ValidationError({"signed_on": _("A contract cannot be signed after it ends.")})


@register(
    group="procurement",
    columns=("contract", "number", "signed_on", "new_end", "new_value", "description"),
    filters=("contract", "signed_on"),
    search=("description",),
    key="id",
)
class ContractAmendment(TaggedModel):
    """A change of a contract (sutarties pakeitimas): a new end date or value from its signing.

    Saving a new amendment writes its values into the contract (one more audited change of the
    contract, so the trail keeps each version); an amendment once made is changed by a further one.
    """

    contract = models.ForeignKey(Contract, models.PROTECT, related_name="amendments", verbose_name=_("contract"))
    number = models.PositiveIntegerField(_("number"), validators=[MinValueValidator(1)])
    signed_on = models.DateField(_("signed on"))
    new_end = models.DateField(_("new end"), null=True, blank=True)
    new_value = models.DecimalField(_("new value"), max_digits=14, decimal_places=2, null=True, blank=True,
                                    validators=[MinValueValidator(Decimal("0"))])
    previous_end = models.DateField(_("previous end"), null=True, blank=True, editable=False)
    previous_value = models.DecimalField(_("previous value"), max_digits=14, decimal_places=2, null=True,
                                         blank=True, editable=False)
    description = models.TextField(_("description"))

    class Meta:
        verbose_name = _("contract amendment")
        verbose_name_plural = _("contract amendments")
        ordering = ["contract", "number"]
        constraints = [models.UniqueConstraint(fields=["contract", "number"], name="procurement_amendment_number")]

    def __str__(self) -> str:
        return f"{self.contract} / {self.number}"

    def clean(self) -> None:
        if not self.contract_id:
            return
        if not self._state.adding:
            loaded = getattr(self, "_loaded", {})
            if any(loaded.get(f) != getattr(self, f) for f in ("contract_id", "new_end", "new_value")):
                raise ValidationError(_("A signed amendment is not changed: record a further amendment."))
            return
        if self.new_end is None and self.new_value is None and not self.description.strip():
            raise ValidationError(_("Say what the amendment changes."))
        if self.new_end and self.new_end < self.contract.start:
            raise ValidationError({"new_end": _("A contract cannot end before it starts.")})

    def save(self, *args: object, **kwargs: object) -> None:
        with transaction.atomic():
            if self._state.adding and self.contract_id:
                contract = Contract.objects.select_for_update().get(pk=self.contract_id)
                self.previous_end, self.previous_value = contract.end, contract.value
                changed = False
                if self.new_end is not None and self.new_end != contract.end:
                    contract.end, changed = self.new_end, True
                if self.new_value is not None and self.new_value != contract.value:
                    contract.value, changed = self.new_value, True
                if changed:
                    contract.full_clean()
                    contract.save()
            super().save(*args, **kwargs)
