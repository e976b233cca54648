"""Technical specifications (techninės specifikacijos): numbered requirements, each mandatory or
evaluated, with how compliance is proven; versions, approval, and reusable requirement templates.

An approved specification is not edited (nor its requirements): a new version supersedes it
(`specs.new_version`), and the audit trail keeps both.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import ProtectedError
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from irtis.core import collation
from irtis.core.models import TaggedModel
from irtis.core.names import NameField
from irtis.core.registry import register


class RequirementKind(models.TextChoices):
    MANDATORY = "mandatory", _("mandatory")
    EVALUATED = "evaluated", _("evaluated")


@register(
    group="procurement",
    columns=("name", "category", "kind", "proof"),
    filters=("kind", "category"),
    search=("text", "proof", "category"),
)
class RequirementTemplate(TaggedModel):
    """A requirement worded once and reused in specifications (e.g. "support in Lithuanian")."""

    name = NameField(_("name"), max_length=200, unique=True)
    category = models.CharField(_("category"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=RequirementKind.choices,
                            default=RequirementKind.MANDATORY)
    text = models.TextField(_("requirement"))
    proof = models.TextField(_("how compliance is proven"), blank=True)

    class Meta:
        verbose_name = _("requirement template")
        verbose_name_plural = _("requirement templates")
        ordering = ["name"]
        indexes = [collation.index("name", "procurement_requirementtem_lt")]

    def __str__(self) -> str:
        return self.name


@register(
    group="procurement",
    columns=("code", "revision", "title", "status", "approved_by", "approved_on"),
    filters=("status", "code"),
    search=("title", "purpose"),
    key="id",
    brief=("id", "code", "revision"),
    panels=("procurement/specification_panel.html",),
)
class Specification(TaggedModel):
    """One version of a technical specification of a purchase."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        APPROVED = "approved", _("approved")
        SUPERSEDED = "superseded", _("superseded")

    code = models.CharField(_("code"), max_length=50, help_text=_("Shared by all versions, e.g. TS-2026-07."))
    revision = models.PositiveIntegerField(_("version"), default=1, validators=[MinValueValidator(1)])
    title = models.CharField(_("title"), max_length=300)
    purpose = models.TextField(_("purpose of the purchase"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT,
                              editable=False)
    previous = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="next_versions",
                                 verbose_name=_("previous version"), editable=False)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                    related_name="approved_specifications", verbose_name=_("approved by"),
                                    editable=False)
    approved_on = models.DateField(_("approved on"), null=True, blank=True, editable=False)
    contract = models.ForeignKey("procurement.Contract", models.SET_NULL, null=True, blank=True,
                                 related_name="specifications", verbose_name=_("contract"),
                                 help_text=_("The contract signed after the purchase."))
    systems = models.ManyToManyField("systems.InformationSystem", blank=True, related_name="specifications",
                                     verbose_name=_("information systems"))

    class Meta:
        verbose_name = _("specification")
        verbose_name_plural = _("specifications")
        ordering = ["code", "-revision"]
        indexes = [collation.index("code", "procurement_specification_lt")]
        constraints = [models.UniqueConstraint(fields=["code", "revision"], name="procurement_spec_revision")]

    def __str__(self) -> str:
        return f"{self.code} v{self.revision}"

    @property
    def locked(self) -> bool:
        """Approved or superseded as stored: no edit, only a new version."""
        return getattr(self, "_loaded", {}).get("status", self.Status.DRAFT) != self.Status.DRAFT

    def clean(self) -> None:
        if not self._state.adding and self.locked:
            loaded = getattr(self, "_loaded", {})
            editable = [f.attname for f in self._meta.concrete_fields if f.editable and f.attname != "contract_id"]
            if any(loaded.get(name) != getattr(self, name) for name in editable):
                raise ValidationError(_("An approved specification cannot be edited: make a new version."))


@register(
    group="procurement",
    columns=("specification", "number", "kind", "text", "proof"),
    filters=("specification", "kind", "template"),
    search=("text", "proof"),
    key="id",
    brief=("id", "specification", "number"),
)
class Requirement(TaggedModel):
    """A numbered requirement of a specification version."""

    specification = models.ForeignKey(Specification, models.CASCADE, related_name="requirements",
                                      verbose_name=_("specification"))
    number = models.PositiveIntegerField(_("number"), validators=[MinValueValidator(1)])
    section = models.CharField(_("section"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=RequirementKind.choices,
                            default=RequirementKind.MANDATORY)
    text = models.TextField(_("requirement"), blank=True)
    proof = models.TextField(_("how compliance is proven"), blank=True)
    template = models.ForeignKey(RequirementTemplate, models.SET_NULL, null=True, blank=True,
                                 related_name="requirements", verbose_name=_("template"),
                                 help_text=_("Empty fields are taken from the template."))
    source = models.CharField(
        _("drawn from"), max_length=60, blank=True, editable=False,
        help_text=_("The catalogue entry or architecture rule the requirement was drawn from (once per version)."),
    )

    class Meta:
        verbose_name = _("specification requirement")
        verbose_name_plural = _("specification requirements")
        ordering = ["specification", "number"]
        constraints = [
            models.UniqueConstraint(fields=["specification", "number"], name="procurement_req_number"),
            models.UniqueConstraint(fields=["specification", "source"], condition=~models.Q(source=""),
                                    name="procurement_req_source"),
        ]

    def __str__(self) -> str:
        return f"{self.specification} {self.number}"

    def clean(self) -> None:
        if self.template_id and self.template:
            self.text = self.text or self.template.text
            self.proof = self.proof or self.template.proof
        if not self.text:
            raise ValidationError({"text": _("This field is required.")})
        specs = {self.specification_id, getattr(self, "_loaded", {}).get("specification_id")} - {None}
        if Specification.objects.filter(pk__in=specs).exclude(status=Specification.Status.DRAFT).exists():
            raise ValidationError(_("An approved specification cannot be edited: make a new version."))


@receiver(pre_delete, sender=Requirement)
@receiver(pre_delete, sender=Specification)
def _keep_approved(sender: type, instance: Requirement | Specification, **kwargs: object) -> None:
    """An approved specification and its requirements stay as approved (the delete is refused, 409)."""
    spec = instance if isinstance(instance, Specification) else instance.specification
    if Specification.objects.filter(pk=spec.pk).exclude(status=Specification.Status.DRAFT).exists():
        raise ProtectedError(str(_("An approved specification cannot be edited: make a new version.")), {spec})
