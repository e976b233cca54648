"""Offer evaluation: a procurement (pirkimas) of an approved specification version, its criteria
with weights, offers with their compliance matrix, and the evaluators' independent scores.

Scores, declarations of impartiality and submissions are not generic pages: an evaluator sees
the others' scores only after submitting their own (`irtis.procurement.scoring`). They are
change-logged like every object (the audit trail records each write).
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from irtis.core import collation
from irtis.core.models import BaseModel, TaggedModel
from irtis.core.names import NameField
from irtis.core.registry import register

from .specs import Requirement, Specification
from .suppliers import Supplier

POSITIVE = [MinValueValidator(Decimal("0"))]


@register(
    group="procurement",
    columns=("name", "specification", "deadline", "max_points", "disagreement_threshold", "abnormal_percent"),
    filters=("specification", "deadline"),
    search=("description",),
    panels=("procurement/procurement_panel.html",),
)
class Procurement(TaggedModel):
    """A purchase whose offers are evaluated against one approved specification version."""

    name = NameField(_("name"), max_length=200, unique=True)
    specification = models.ForeignKey(Specification, models.PROTECT, related_name="procurements",
                                      verbose_name=_("specification"),
                                      help_text=_("An approved version: offers answer its requirements."))
    deadline = models.DateTimeField(_("scoring deadline"), help_text=_("No score is accepted after it."))
    max_points = models.PositiveSmallIntegerField(_("maximum points"), default=10,
                                                  validators=[MinValueValidator(1), MaxValueValidator(1000)])
    disagreement_threshold = models.DecimalField(
        _("disagreement threshold (points)"), max_digits=6, decimal_places=2, default=Decimal("3"),
        validators=POSITIVE,
        help_text=_("Evaluators' points for one criterion further apart than this are flagged."),
    )
    abnormal_percent = models.DecimalField(
        _("abnormally low price (%)"), max_digits=5, decimal_places=2, default=Decimal("30"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text=_("A price this many percent below the average of the other offers is flagged."),
    )
    evaluators = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="evaluated_procurements",
                                        verbose_name=_("evaluators"))
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("procurement")
        verbose_name_plural = _("procurements")
        ordering = ["name"]
        indexes = [collation.index("name", "procurement_procurement_lt")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.specification_id and self.specification.status == Specification.Status.DRAFT:
            raise ValidationError({"specification": _("Offers are evaluated against an approved specification.")})


@register(
    group="procurement",
    columns=("procurement", "name", "kind", "weight"),
    filters=("procurement", "kind"),
    key="id",
)
class Criterion(TaggedModel):
    """A criterion of the price-quality ratio with its weight (all weights of a procurement sum to 100)."""

    class Kind(models.TextChoices):
        PRICE = "price", _("price")
        QUALITY = "quality", _("quality")

    procurement = models.ForeignKey(Procurement, models.CASCADE, related_name="criteria",
                                    verbose_name=_("procurement"))
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.QUALITY)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2,
                                 validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))])
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["procurement", "kind", "id"]
        constraints = [models.UniqueConstraint(fields=["procurement", "name"], name="procurement_criterion_name")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not self.procurement_id or self.weight is None:
            return
        others = Criterion.objects.filter(procurement_id=self.procurement_id).exclude(pk=self.pk)
        total = sum((c.weight for c in others), Decimal("0")) + self.weight
        if total > 100:
            raise ValidationError({"weight": _("The weights of a procurement's criteria would sum to %(total)s; "
                                               "they must sum to 100.") % {"total": total}})
        if self.kind == self.Kind.PRICE and others.filter(kind=self.Kind.PRICE).exists():
            raise ValidationError({"kind": _("A procurement has one price criterion.")})


@register(
    group="procurement",
    columns=("procurement", "supplier", "price", "received_on"),
    filters=("procurement", "supplier", "received_on"),
    key="id",
)
class Offer(TaggedModel):
    """A supplier's offer in a procurement."""

    procurement = models.ForeignKey(Procurement, models.CASCADE, related_name="offers", verbose_name=_("procurement"))
    supplier = models.ForeignKey(Supplier, models.PROTECT, related_name="offers", verbose_name=_("supplier"))
    price = models.DecimalField(_("price"), max_digits=14, decimal_places=2,
                                validators=[MinValueValidator(Decimal("0.01"))], help_text=_("Without VAT."))
    received_on = models.DateField(_("received on"), null=True, blank=True)

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["procurement", "price", "id"]
        constraints = [models.UniqueConstraint(fields=["procurement", "supplier"], name="procurement_offer_supplier")]

    def __str__(self) -> str:
        return f"{self.procurement}: {self.supplier}"


@register(
    group="procurement",
    columns=("offer", "requirement", "answer", "page"),
    filters=("offer", "requirement", "answer"),
    key="id",
    queryset=lambda rows: rows.select_related("offer__procurement", "offer__supplier", "requirement__specification"),
)
class OfferAnswer(TaggedModel):
    """One cell of the compliance matrix: how an offer meets one requirement, and where it shows it."""

    class Answer(models.TextChoices):
        MEETS = "meets", _("meets")
        PARTLY = "partly", _("partly")
        DOES_NOT = "does_not", _("does not meet")

    offer = models.ForeignKey(Offer, models.CASCADE, related_name="answers", verbose_name=_("offer"))
    requirement = models.ForeignKey(Requirement, models.PROTECT, related_name="answers",
                                    verbose_name=_("requirement"))
    answer = models.CharField(_("answer"), max_length=10, choices=Answer.choices)
    page = models.CharField(_("reference page"), max_length=50, blank=True,
                            help_text=_("Where in the offer compliance is shown."))

    class Meta:
        verbose_name = _("offer answer")
        verbose_name_plural = _("offer answers")
        ordering = ["offer", "requirement__number"]
        constraints = [models.UniqueConstraint(fields=["offer", "requirement"], name="procurement_answer_once")]

    def __str__(self) -> str:
        return f"{self.offer} — {self.requirement.number}"

    def clean(self) -> None:
        if self.offer_id and self.requirement_id and \
                self.requirement.specification_id != self.offer.procurement.specification_id:
            raise ValidationError({"requirement": _(
                "Requirement %(requirement)s is not in the specification of this procurement.")
                % {"requirement": self.requirement}})


class Declaration(BaseModel):
    """An evaluator's declaration of impartiality (nešališkumo deklaracija), made before scoring."""

    procurement = models.ForeignKey(Procurement, models.CASCADE, related_name="declarations",
                                    verbose_name=_("procurement"))
    evaluator = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                  verbose_name=_("evaluator"))
    declared_at = models.DateTimeField(_("declared at"), auto_now_add=True)
    text = models.TextField(_("declaration"))
    submitted_at = models.DateTimeField(_("scores submitted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("declaration of impartiality")
        verbose_name_plural = _("declarations of impartiality")
        constraints = [models.UniqueConstraint(fields=["procurement", "evaluator"],
                                               name="procurement_declaration_once")]

    def __str__(self) -> str:
        return f"{self.procurement}: {self.evaluator}"


class Score(BaseModel):
    """An evaluator's points for one quality criterion of one offer."""

    offer = models.ForeignKey(Offer, models.CASCADE, related_name="scores", verbose_name=_("offer"))
    criterion = models.ForeignKey(Criterion, models.CASCADE, related_name="scores", verbose_name=_("criterion"))
    evaluator = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                  verbose_name=_("evaluator"))
    points = models.DecimalField(_("points"), max_digits=7, decimal_places=2, validators=POSITIVE)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [models.UniqueConstraint(fields=["offer", "criterion", "evaluator"],
                                               name="procurement_score_once")]

    def __str__(self) -> str:
        return f"{self.offer} / {self.criterion.name}: {self.points}"
