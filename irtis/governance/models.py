"""Architecture governance (statute 1.3, 1.4, 2.12–2.14): the technology catalogue, principles with
machine-checked rules and their stored results, and proposals of new systems and changes."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from irtis.core import collation
from irtis.core.models import TaggedModel
from irtis.core.names import NameField
from irtis.core.registry import register
from irtis.inventory.models import HardwareModel, SoftwareVersion
from irtis.systems.models import ImportanceCategory, InformationSystem

from .proposals_models import Proposal, ProposalComponent, ProposalFinding, ProposalInterface  # noqa: F401


class Lifecycle(models.TextChoices):
    """A technology's place in the catalogue, best first (the radar's rings)."""

    APPROVED = "approved", _("approved")
    TOLERATED = "tolerated", _("tolerated")
    RETIRING = "retiring", _("retiring")
    FORBIDDEN = "forbidden", _("forbidden")


# The worse of two statuses wins when a version is listed under several technologies.
SEVERITY = {Lifecycle.APPROVED: 0, Lifecycle.TOLERATED: 1, Lifecycle.RETIRING: 2, Lifecycle.FORBIDDEN: 3}


@register(
    group="architecture",
    columns=("name", "area", "status", "retire_by", "owner", "review_on"),
    filters=("area", "status", "owner", "retire_by", "review_on"),
    search=("rationale", "description"),
)
class Technology(TaggedModel):
    """A standard technology, product or product line with its lifecycle status in the catalogue,
    linked to the software versions and hardware models the inventory holds."""

    class Area(models.TextChoices):
        PLATFORM = "platform", _("platforms and operating systems")
        DATA = "data", _("data management")
        INTEGRATION = "integration", _("middleware and integration")
        INFRASTRUCTURE = "infrastructure", _("hardware and infrastructure")

    name = NameField(_("name"), max_length=150, unique=True)
    area = models.CharField(_("area"), max_length=20, choices=Area.choices)
    status = models.CharField(_("lifecycle status"), max_length=20, choices=Lifecycle.choices,
                              default=Lifecycle.APPROVED)
    approved_on = models.DateField(_("in the catalogue since"), null=True, blank=True)
    review_on = models.DateField(_("next review"), null=True, blank=True)
    retire_by = models.DateField(
        _("must be gone by"), null=True, blank=True,
        help_text=_("For a retiring or forbidden technology: the date by which nothing may use it."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="owned_technologies",
        verbose_name=_("owner"), help_text=_("The architect who answers for the technology's place in the catalogue."),
    )
    rationale = models.TextField(_("rationale"), blank=True)
    software_versions = models.ManyToManyField(
        SoftwareVersion, blank=True, related_name="technologies", verbose_name=_("software versions"),
    )
    hardware_models = models.ManyToManyField(
        HardwareModel, blank=True, related_name="technologies", verbose_name=_("hardware models"),
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("technology")
        verbose_name_plural = _("technologies")
        ordering = ["name"]
        indexes = [collation.index("name", "governance_technology_lt")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.status in (Lifecycle.RETIRING,) and not self.retire_by:
            raise ValidationError({"retire_by": _("A retiring technology needs the date by which it must be gone.")})


@register(
    group="architecture",
    columns=("code", "name", "statement"),
    search=("code", "statement", "rationale", "implications"),
    key="code",
)
class Principle(TaggedModel):
    """An architecture principle stated in prose; its rules are what irtis checks of it."""

    code = NameField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    statement = models.TextField(_("statement"))
    rationale = models.TextField(_("rationale"), blank=True)
    implications = models.TextField(_("implications"), blank=True)

    class Meta:
        verbose_name = _("architecture principle")
        verbose_name_plural = _("architecture principles")
        ordering = ["code"]
        indexes = [collation.index("code", "governance_principle_lt")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class RuleKind(models.TextChoices):
    """The fixed set of parameterised checks (irtis.governance.rules): data, never code."""

    DBMS_APPROVED = "dbms_approved", _("the DBMS versions are approved in the catalogue")
    SOFTWARE_APPROVED = "software_approved", _("all software and hardware is approved in the catalogue")
    NOTHING_FORBIDDEN = "nothing_forbidden", _("no forbidden or overdue retiring technology")
    DATA_CENTRES = "data_centres", _("runs in at least N data centres")
    INTERNET_IN_DMZ = "internet_in_dmz", _("no internet-facing component outside a DMZ zone")
    OS_SUPPORTED = "os_supported", _("operating systems supported until the system's planned end")
    OWNER_AND_BACKUP = "owner_and_backup", _("the system has an owner and a backup policy")


@register(
    group="architecture",
    columns=("code", "principle", "kind", "category", "minimum", "accept_tolerated", "enabled"),
    filters=("principle", "kind", "category", "enabled"),
    search=("code", "description"),
    key="code",
)
class Rule(TaggedModel):
    """A check of a principle: one of the fixed rule kinds with its parameters."""

    code = NameField(_("code"), max_length=30, unique=True)
    principle = models.ForeignKey(Principle, models.CASCADE, related_name="rules", verbose_name=_("principle"))
    kind = models.CharField(_("kind"), max_length=30, choices=RuleKind.choices)
    category = models.ForeignKey(
        ImportanceCategory, models.PROTECT, null=True, blank=True, related_name="governance_rules",
        verbose_name=_("importance category"), help_text=_("Only systems of this category; empty: every system."),
    )
    minimum = models.PositiveSmallIntegerField(
        _("minimum"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_("The N of the rule kinds that count (data centres)."),
    )
    accept_tolerated = models.BooleanField(
        _("tolerated passes"), default=False,
        help_text=_("A tolerated technology conforms too (otherwise only an approved one)."),
    )
    enabled = models.BooleanField(_("enabled"), default=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("architecture rule")
        verbose_name_plural = _("architecture rules")
        ordering = ["code"]
        indexes = [collation.index("code", "governance_rule_lt")]

    def __str__(self) -> str:
        return self.code

    def clean(self) -> None:
        if self.kind == RuleKind.DATA_CENTRES and not self.minimum:
            raise ValidationError({"minimum": _("Give the number of data centres the systems must run in.")})


@register(
    group="architecture",
    columns=("system", "planned_end", "description"),
    filters=("system", "planned_end"),
    search=("description",),
    key="id",
)
class SystemPlan(TaggedModel):
    """What architecture plans for an existing system: the date it is planned to be retired."""

    system = models.OneToOneField(
        InformationSystem, models.CASCADE, related_name="governance_plan", verbose_name=_("information system"),
    )
    planned_end = models.DateField(_("planned end of life"))
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("system plan")
        verbose_name_plural = _("system plans")
        ordering = ["system__code"]

    def __str__(self) -> str:
        return f"{self.system.code} → {self.planned_end}"


class Outcome(models.TextChoices):
    PASSED = "passed", _("conforms")
    FAILED = "failed", _("does not conform")
    UNKNOWN = "unknown", _("cannot be evaluated")
    NOT_APPLICABLE = "not_applicable", _("not applicable")


class Evaluation(models.Model):
    """One evaluation of every enabled rule over every system (written by rules.evaluate)."""

    started = models.DateTimeField(_("started"))
    seconds = models.FloatField(_("duration (s)"), default=0)
    systems = models.PositiveIntegerField(_("systems"), default=0)
    rules = models.PositiveIntegerField(_("rules"), default=0)
    counts = models.JSONField(_("results by outcome"), default=dict)

    class Meta:
        verbose_name = _("rule evaluation")
        verbose_name_plural = _("rule evaluations")
        ordering = ["-started"]

    def __str__(self) -> str:
        return f"{self.started:%Y-%m-%d %H:%M}"


class RuleResult(models.Model):
    """The latest result of one rule for one system, with the reason and the data behind it.

    `reason` is an English message id with `params`, shown in the reader's language."""

    rule = models.ForeignKey(Rule, models.CASCADE, related_name="results", verbose_name=_("rule"))
    system = models.ForeignKey(InformationSystem, models.CASCADE, related_name="governance_results",
                               verbose_name=_("information system"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    params = models.JSONField(_("parameters"), default=dict)
    data = models.JSONField(_("data"), default=dict)
    evaluated = models.DateTimeField(_("evaluated"))

    class Meta:
        verbose_name = _("rule result")
        verbose_name_plural = _("rule results")
        ordering = ["system_id", "rule_id"]
        constraints = [models.UniqueConstraint(fields=["rule", "system"], name="governance_result_rule_system")]
        indexes = [models.Index(fields=["system", "outcome"], name="governance_result_system")]

    def __str__(self) -> str:
        return f"{self.rule_id}/{self.system_id}: {self.outcome}"


class Baseline(models.Model):
    """An approved architecture description (statute 2.13): what the document said, its hash and
    the data version it was generated from. Written only by `baselines.approve` (audited there);
    never changed."""

    class Kind(models.TextChoices):
        SYSTEM = "system", _("information system")
        INFRASTRUCTURE = "infrastructure", _("whole infrastructure")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    system = models.ForeignKey(InformationSystem, models.CASCADE, null=True, blank=True,
                               related_name="architecture_baselines", verbose_name=_("information system"))
    label = models.CharField(_("document version"), max_length=100)
    sha256 = models.CharField(_("content SHA-256"), max_length=64)
    data_version = models.BigIntegerField(_("data version"))
    content = models.JSONField(_("content"))
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="approved_baselines",
                                    verbose_name=_("approved by"))
    approved_at = models.DateTimeField(_("approved at"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("approved baseline")
        verbose_name_plural = _("approved baselines")
        ordering = ["-approved_at", "-id"]

    def __str__(self) -> str:
        return f"{self.system.code if self.system_id else self.kind} {self.label}"  # type: ignore[union-attr]
