"""Findings of audits, penetration tests and vulnerability scans, and the risk register of each
information system (KSRA: periodic risk analysis; likelihood × impact, treatment, residual risk)."""

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from irtis.core.models import TaggedModel
from irtis.core.registry import register
from irtis.systems.models import InformationSystem

from . import settings as risk_settings

SCALE = [MinValueValidator(1), MaxValueValidator(5)]


class Severity(models.TextChoices):
    CRITICAL = "critical", _("critical")
    HIGH = "high", _("high")
    MEDIUM = "medium", _("medium")
    LOW = "low", _("low")
    INFO = "info", _("informational")

    @classmethod
    def of_cvss(cls, score: Decimal | None) -> "Severity":
        """CVSS v3 qualitative rating: 9.0 critical, 7.0 high, 4.0 medium, 0.1 low, 0 none."""
        if score is None or score <= 0:
            return cls.INFO
        if score >= 9:
            return cls.CRITICAL
        if score >= 7:
            return cls.HIGH
        return cls.MEDIUM if score >= 4 else cls.LOW


@register(
    group="security",
    columns=("performed_on", "kind", "scope", "performer", "report_sha256"),
    filters=("kind", "performed_on"),
    search=("scope", "performer", "description"),
    key="id",
)
class Assessment(TaggedModel):
    """An audit, a penetration test or a vulnerability scan, whose findings are recorded."""

    class Kind(models.TextChoices):
        AUDIT = "audit", _("audit")
        PENTEST = "pentest", _("penetration test")
        SCAN = "scan", _("vulnerability scan")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.SCAN)
    performed_on = models.DateField(_("performed on"))
    performer = models.CharField(_("performer"), max_length=200, help_text=_("Who did it: a unit or a supplier."))
    scope = models.CharField(
        _("scope"), max_length=200,
        help_text=_("What was assessed, e.g. a scan task's name. A later scan of the same scope updates its findings."),
    )
    report_sha256 = models.CharField(
        _("report SHA-256"), max_length=64, blank=True, editable=False,
        help_text=_("The hash of the imported report file."),
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["-performed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.performed_on} {self.get_kind_display()}: {self.scope}"


@register(
    group="security",
    columns=("title", "severity", "cvss", "host", "port", "status", "owner", "due_date"),
    filters=("severity", "status", "assessment", "owner", "due_date", "scope"),
    search=("title", "host", "cve", "nvt_oid", "scope"),
    key="id",
)
class Finding(TaggedModel):
    """One weakness found on one host and port (or in a process, for an audit)."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        IN_TREATMENT = "in_treatment", _("in treatment")
        ACCEPTED = "accepted", _("accepted")
        FIXED = "fixed", _("fixed")
        FALSE_POSITIVE = "false_positive", _("false positive")

    CLOSED = (Status.FIXED, Status.FALSE_POSITIVE)
    UNRESOLVED = (Status.OPEN, Status.IN_TREATMENT)

    assessment = models.ForeignKey(
        Assessment, models.PROTECT, related_name="findings", verbose_name=_("assessment"),
        help_text=_("The latest assessment that reported it."),
    )
    scope = models.CharField(_("scope"), max_length=200, blank=True, editable=False)
    key = models.CharField(
        _("stable key"), max_length=400, blank=True, editable=False,
        help_text=_("NVT OID, host and port: how a later scan of the scope recognises the finding."),
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    cvss = models.DecimalField(
        _("CVSS score"), max_digits=3, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("10"))],
    )
    severity = models.CharField(
        _("severity"), max_length=20, choices=Severity.choices, blank=True,
        help_text=_("Empty: from the CVSS score."),
    )
    cve = models.CharField(_("CVE identifiers"), max_length=1000, blank=True, help_text=_("Separated by spaces."))
    nvt_oid = models.CharField(_("NVT OID"), max_length=200, blank=True)
    host = models.CharField(_("host"), max_length=255, blank=True)
    port = models.CharField(_("port"), max_length=50, blank=True, help_text=_("e.g. 443/tcp"))
    ip_address = models.ForeignKey(
        "network.IPAddress", models.SET_NULL, null=True, blank=True, related_name="findings",
        verbose_name=_("IP address"),
    )
    device = models.ForeignKey(
        "inventory.Device", models.SET_NULL, null=True, blank=True, related_name="findings", verbose_name=_("device"),
    )
    virtual_machine = models.ForeignKey(
        "virtualization.VirtualMachine", models.SET_NULL, null=True, blank=True, related_name="findings",
        verbose_name=_("virtual machine"),
    )
    systems = models.ManyToManyField(
        InformationSystem, blank=True, related_name="findings", verbose_name=_("information systems"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="findings",
        verbose_name=_("owner"),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True, help_text=_("Empty: set by severity."))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    first_seen = models.DateField(_("first seen"), null=True, blank=True, editable=False)
    last_seen = models.DateField(_("last seen"), null=True, blank=True, editable=False)
    closed_on = models.DateField(_("closed on"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["scope", "key"], name="risks_finding_scope_key")]

    def __str__(self) -> str:
        return f"{self.title} ({self.host}{':' + self.port if self.port else ''})" if self.host else self.title

    def fill(self, seen: date) -> None:
        """Severity from the score and the due date from the severity, where left empty."""
        if not self.severity:
            self.severity = Severity.of_cvss(self.cvss)
        days = risk_settings.due_days().get(self.severity)
        if self.due_date is None and days is not None and self.status in self.UNRESOLVED:
            self.due_date = seen + timedelta(days=days)
        self.first_seen = self.first_seen or seen
        self.last_seen = self.last_seen or seen

    def clean(self) -> None:
        self.scope = self.scope or (self.assessment.scope if self.assessment_id else "")
        self.fill(self.assessment.performed_on if self.assessment_id else date.today())
        if self.status in self.CLOSED and self.closed_on is None:
            self.closed_on = date.today()
        elif self.status not in self.CLOSED:
            self.closed_on = None


@register(
    group="security",
    columns=("system", "performed_on", "approved_by", "approved_on", "description"),
    filters=("system", "performed_on", "approved_by"),
    search=("description",),
    key="id",
)
class RiskAnalysis(TaggedModel):
    """A system's (cyber security) risk analysis as KSRA asks it to be done periodically and approved."""

    system = models.ForeignKey(
        InformationSystem, models.PROTECT, related_name="risk_analyses", verbose_name=_("information system"),
    )
    performed_on = models.DateField(_("performed on"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="approved_risk_analyses",
        verbose_name=_("approved by"),
    )
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("risk analysis")
        verbose_name_plural = _("risk analyses")
        ordering = ["system__code", "-performed_on"]

    def __str__(self) -> str:
        return f"{self.system.code} {self.performed_on}"

    def clean(self) -> None:
        if bool(self.approved_by_id) != bool(self.approved_on):
            raise ValidationError({"approved_on": _("Give both who approved the analysis and when.")})
        if self.approved_on and self.approved_on < self.performed_on:
            raise ValidationError({"approved_on": _("An analysis cannot be approved before it was performed.")})


@register(
    group="security",
    columns=("system", "title", "likelihood", "impact", "treatment", "residual_likelihood", "residual_impact",
             "owner", "due_date"),
    filters=("system", "treatment", "owner", "likelihood", "impact"),
    search=("title", "threat", "vulnerability", "measures"),
    key="id",
)
class Risk(TaggedModel):
    """A risk of an information system: a threat exploiting a vulnerability, its level
    (likelihood × impact, 1–25) before and after treatment."""

    class Treatment(models.TextChoices):
        REDUCE = "reduce", _("reduce")
        ACCEPT = "accept", _("accept")
        TRANSFER = "transfer", _("transfer")
        AVOID = "avoid", _("avoid")

    system = models.ForeignKey(
        InformationSystem, models.PROTECT, related_name="risks", verbose_name=_("information system"),
    )
    title = models.CharField(_("title"), max_length=200)
    threat = models.TextField(_("threat"), blank=True)
    vulnerability = models.TextField(_("vulnerability"), blank=True)
    likelihood = models.PositiveSmallIntegerField(_("likelihood"), validators=SCALE, help_text=_("1 (rare) to 5."))
    impact = models.PositiveSmallIntegerField(_("impact"), validators=SCALE, help_text=_("1 (negligible) to 5."))
    treatment = models.CharField(_("treatment"), max_length=20, choices=Treatment.choices, blank=True)
    measures = models.TextField(_("planned measures"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="risks",
        verbose_name=_("owner"),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    residual_likelihood = models.PositiveSmallIntegerField(
        _("residual likelihood"), validators=SCALE, null=True, blank=True,
    )
    residual_impact = models.PositiveSmallIntegerField(_("residual impact"), validators=SCALE, null=True, blank=True)
    findings = models.ManyToManyField(Finding, blank=True, related_name="risks", verbose_name=_("findings"))
    review_date = models.DateField(_("review date"), null=True, blank=True)

    class Meta:
        verbose_name = _("risk")
        verbose_name_plural = _("risks")
        ordering = ["system__code", "id"]

    def __str__(self) -> str:
        return f"{self.system.code}: {self.title}"

    @property
    def level(self) -> int:
        return self.likelihood * self.impact

    @property
    def residual_level(self) -> int | None:
        if self.residual_likelihood is None or self.residual_impact is None:
            return None
        return self.residual_likelihood * self.residual_impact

    def clean(self) -> None:
        errors = {}
        if (self.residual_likelihood is None) != (self.residual_impact is None):
            errors["residual_impact"] = _("Give both the residual likelihood and the residual impact.")
        if self.treatment and self.treatment != self.Treatment.ACCEPT and not self.measures.strip():
            errors["measures"] = _("Describe the measures of the chosen treatment.")
        if errors:
            raise ValidationError(errors)
