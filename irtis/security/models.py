"""Security controls (statute 2.11): catalogues of requirements, controls that map onto them, the
results of evaluating them over time and the evidence behind the manual ones.

A control gives evidence for requirements of several frameworks at once (its `requirements`,
widened by `RequirementMapping`), so one result or one uploaded file serves every framework.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from irtis.core import collation
from irtis.core.models import BaseModel, TaggedModel
from irtis.core.names import NameField
from irtis.core.registry import register

from . import conf
from .evaluation import EVALUATORS, Status


class ResultStatus(models.TextChoices):
    PASSED = Status.PASSED.value, _("passed")
    FAILED = Status.FAILED.value, _("failed")
    UNKNOWN = Status.UNKNOWN.value, _("unknown")
    NOT_APPLICABLE = Status.NOT_APPLICABLE.value, _("not applicable")


@register(
    group="security",
    columns=("code", "name", "edition", "in_force", "description"),
    search=("name", "edition", "description"),
    key="code",
    panels=("security/framework_panel.html",),
)
class Framework(TaggedModel):
    """A catalogue of requirements in one edition: the Cyber Security Law, KSRA, Res. 716,
    ISO/IEC 27001:2022 Annex A, the division's LT checklist."""

    code = NameField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=300)
    edition = models.CharField(_("edition"), max_length=100, help_text=_("The version or edition loaded, e.g. 2022."))
    in_force = models.DateField(_("in force since"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("framework")
        verbose_name_plural = _("frameworks")
        ordering = ["code"]
        indexes = [collation.index("code", "security_framework_lt")]

    def __str__(self) -> str:
        return f"{self.code} ({self.edition})"


@register(
    group="security",
    columns=("code", "framework", "topic", "title", "withdrawn"),
    filters=("framework", "topic", "withdrawn"),
    search=("title", "topic", "description"),
    key="code",
)
class Requirement(TaggedModel):
    """One requirement of a framework. Codes are unique across frameworks (`LT-13`, `A.8.13`,
    `KSRA-45`), as evaluators name them. A requirement missing from a newer edition is kept,
    marked withdrawn, so the history of results stays readable."""

    framework = models.ForeignKey(Framework, models.PROTECT, related_name="requirements", verbose_name=_("framework"))
    code = NameField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=500)
    topic = models.CharField(_("topic"), max_length=200, blank=True,
                             help_text=_("The heading or section the requirement belongs to."))
    description = models.TextField(_("description"), blank=True)
    withdrawn = models.BooleanField(_("withdrawn"), default=False,
                                    help_text=_("Not in the framework's current edition."))

    class Meta:
        verbose_name = _("security requirement")
        verbose_name_plural = _("security requirements")
        ordering = ["framework", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"[:120]


@register(
    group="security",
    columns=("source", "target", "description"),
    filters=("source", "target"),
    search=("description",),
    key="id",
)
class RequirementMapping(BaseModel):
    """Two requirements of different frameworks that the same evidence satisfies."""

    source = models.ForeignKey(Requirement, models.CASCADE, related_name="mappings", verbose_name=_("requirement"))
    target = models.ForeignKey(Requirement, models.CASCADE, related_name="mapped_from",
                               verbose_name=_("mapped requirement"))
    description = models.CharField(_("description"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("requirement mapping")
        verbose_name_plural = _("requirement mappings")
        ordering = ["source", "target"]
        constraints = [models.UniqueConstraint(fields=["source", "target"], name="security_mapping_unique")]

    def __str__(self) -> str:
        return f"{self.source_id and self.source.code} ↔ {self.target_id and self.target.code}"

    def clean(self) -> None:
        if self.source_id and self.source_id == self.target_id:
            raise ValidationError({"target": _("A requirement cannot be mapped to itself.")})


def evaluator_choices() -> list[tuple[str, str]]:
    return sorted(((code, str(e.label)) for code, e in EVALUATORS.items()), key=lambda c: c[1])


class Kind(models.TextChoices):
    AUTOMATIC = "automatic", _("automatic")
    MANUAL = "manual", _("manual (evidence)")


@register(
    group="security",
    columns=("code", "title", "kind", "evaluator", "owner", "period_days", "requirements"),
    filters=("kind", "evaluator", "owner", "essential_only"),
    search=("title", "description"),
    key="code",
    panels=("security/control_panel.html",),
)
class Control(TaggedModel):
    """A control: automatic (an evaluator computes it from irtis's data) or manual (uploaded
    evidence, signed off by a reviewer, valid until it expires)."""

    code = NameField(_("code"), max_length=30, unique=True)
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.AUTOMATIC)
    evaluator = models.CharField(_("evaluator"), max_length=60, blank=True, choices=evaluator_choices,
                                 help_text=_("The code that computes an automatic control."))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
                              verbose_name=_("owner"))
    period_days = models.PositiveIntegerField(
        _("period (days)"), default=1, validators=[MinValueValidator(1), MaxValueValidator(3660)],
        help_text=_("How often the control must be evaluated, or its evidence renewed."),
    )
    requirements = models.ManyToManyField(Requirement, blank=True, related_name="controls",
                                          verbose_name=_("requirements"))
    categories = models.ManyToManyField(
        "systems.ImportanceCategory", blank=True, related_name="+", verbose_name=_("system categories"),
        help_text=_("The importance categories of the systems it applies to; empty: all systems."),
    )
    essential_only = models.BooleanField(
        _("essential entities only"), default=False,
        help_text=_("Applies only while the organisation is an essential entity (IRTIS_SECURITY_ENTITY)."),
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("control")
        verbose_name_plural = _("controls")
        ordering = ["code"]
        indexes = [collation.index("code", "security_control_lt")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"[:120]

    def clean(self) -> None:
        if self.kind == Kind.AUTOMATIC and not self.evaluator:
            raise ValidationError({"evaluator": _("An automatic control needs its evaluator.")})
        if self.kind == Kind.MANUAL and self.evaluator:
            raise ValidationError({"evaluator": _("A manual control is proven by evidence, not by an evaluator.")})

    @property
    def applies(self) -> bool:
        """Whether the control applies to the organisation at all (its entity status)."""
        return not self.essential_only or conf.entity() == "essential"


@register(
    group="security",
    columns=("control", "system", "justification"),
    filters=("control", "system"),
    search=("justification",),
    key="id",
)
class SystemExclusion(BaseModel):
    """A control that does not apply to one information system, and why (statement of applicability)."""

    control = models.ForeignKey(Control, models.CASCADE, related_name="exclusions", verbose_name=_("control"))
    system = models.ForeignKey("systems.InformationSystem", models.CASCADE, related_name="+",
                               verbose_name=_("information system"))
    justification = models.TextField(_("justification"))

    class Meta:
        verbose_name = _("exclusion from a control")
        verbose_name_plural = _("exclusions from controls")
        ordering = ["control", "system"]
        constraints = [models.UniqueConstraint(fields=["control", "system"], name="security_exclusion_unique")]

    def __str__(self) -> str:
        return f"{self.control_id and self.control.code} / {self.system_id and self.system.code}"


class ControlResult(models.Model):
    """One evaluation of a control, with the data behind it. Written only by the evaluation
    (never edited: a result is evidence), kept as history for the dashboard over time."""

    control = models.ForeignKey(Control, models.CASCADE, related_name="results", verbose_name=_("control"))
    time = models.DateTimeField(_("time"), default=timezone.now)
    status = models.CharField(_("status"), max_length=16, choices=ResultStatus.choices)
    checked = models.PositiveIntegerField(_("objects checked"), default=0)
    failed = models.PositiveIntegerField(_("objects deviating"), default=0)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    params = models.JSONField(_("reason parameters"), default=dict, blank=True)
    deviations = models.JSONField(_("deviations"), default=list, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    run = models.UUIDField(_("evaluation run"), null=True, blank=True)

    class Meta:
        verbose_name = _("control result")
        verbose_name_plural = _("control results")
        ordering = ["-time", "-id"]
        indexes = [models.Index(fields=["control", "-time"], name="security_result_control_time")]

    def __str__(self) -> str:
        return f"{self.control_id} {self.time:%Y-%m-%d %H:%M} {self.status}"


class SystemResult(models.Model):
    """A result as it concerns one information system: the per-system dashboard."""

    result = models.ForeignKey(ControlResult, models.CASCADE, related_name="systems")
    system = models.ForeignKey("systems.InformationSystem", models.CASCADE, related_name="+")
    status = models.CharField(max_length=16, choices=ResultStatus.choices)
    deviations = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["result", "system"], name="security_systemresult_unique")]
        indexes = [models.Index(fields=["system", "result"], name="security_systemresult_system")]

    def __str__(self) -> str:
        return f"{self.result_id}/{self.system_id} {self.status}"


class EvidenceState(models.TextChoices):
    NO_FILE = "no_file", _("no file")
    UNREVIEWED = "unreviewed", _("awaiting sign-off")
    VALID = "valid", _("valid")
    EXPIRED = "expired", _("expired")
    ALTERED = "altered", _("altered or missing file")


@register(
    group="security",
    columns=("control", "title", "file_name", "sha256", "uploaded_by", "reviewed_by", "expires", "altered_at"),
    filters=("control", "uploaded_by", "reviewed_by", "expires"),
    search=("title", "file_name", "sha256", "description"),
    key="id",
    brief=("id", "title"),
    panels=("security/evidence_panel.html",),
)
class Evidence(TaggedModel):
    """Evidence for a manual control: a file (kept under the data directory, its SHA-256 in the
    audit trail through this record), a reviewer's sign-off and an expiry date. The file and the
    sign-off are set only through their own forms; re-hashing finds a file changed on disk."""

    control = models.ForeignKey(Control, models.PROTECT, related_name="evidence", verbose_name=_("control"))
    title = models.CharField(_("title"), max_length=300)
    expires = models.DateField(_("valid until"))
    description = models.TextField(_("description"), blank=True)
    file_name = models.CharField(_("file name"), max_length=255, blank=True, editable=False)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, editable=False)
    size = models.BigIntegerField(_("size (bytes)"), null=True, blank=True, editable=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("uploaded by"), editable=False)
    uploaded_at = models.DateTimeField(_("uploaded at"), null=True, blank=True, editable=False)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("signed off by"), editable=False)
    reviewed_at = models.DateTimeField(_("signed off at"), null=True, blank=True, editable=False)
    altered_at = models.DateTimeField(_("found altered at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["control", "-expires", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def state(self) -> str:
        if not self.sha256:
            return EvidenceState.NO_FILE
        if self.altered_at:
            return EvidenceState.ALTERED
        if self.expires < timezone.localdate():
            return EvidenceState.EXPIRED
        if not self.reviewed_at:
            return EvidenceState.UNREVIEWED
        return EvidenceState.VALID

    @property
    def state_label(self) -> str:
        return str(EvidenceState(self.state).label)
