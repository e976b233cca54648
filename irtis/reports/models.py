"""Management's tracked recommendations (statute 2.21), who receives the scheduled reports, and
the reports issued by the schedule."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from irtis.core.models import TaggedModel
from irtis.core.registry import register


class Section(models.TextChoices):
    """The report's sections, which a recommendation may arise from."""

    AVAILABILITY = "availability", _("Availability and downtime")
    INCIDENTS = "incidents", _("Incidents")
    SPOF = "spof", _("Single points of failure")
    SUPPORT = "support", _("End of support")
    BACKUPS = "backups", _("Backups and restore drills")
    SECURITY = "security", _("Security controls")
    CAPACITY = "capacity", _("Capacity")
    CONTRACTS = "contracts", _("Contracts expiring")
    SERVICEDESK = "servicedesk", _("Service desk")
    FOLLOW_UP = "follow_up", _("Recommendations and tasks")


@register(
    group="reports",
    columns=("title", "owner", "raised_on", "due", "status", "section"),
    filters=("status", "owner", "section", "due", "raised_on"),
    search=("title", "rationale", "outcome"),
    key="id",
)
class Recommendation(TaggedModel):
    """A recommendation to management (rekomendacija): what to do, why, who answers for it and by when."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        ACCEPTED = "accepted", _("accepted")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("implemented")
        REJECTED = "rejected", _("rejected")

    OPEN = (Status.PROPOSED, Status.ACCEPTED, Status.IN_PROGRESS)

    title = models.CharField(_("what"), max_length=300)
    rationale = models.TextField(_("why"))
    section = models.CharField(_("report section"), max_length=20, choices=Section.choices, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="recommendations",
                              verbose_name=_("owner"),
                              help_text=_("Who answers for carrying it out; reminded before it is due."))
    raised_on = models.DateField(_("raised on"), default=timezone.localdate)
    due = models.DateField(_("due"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED)
    outcome = models.TextField(_("outcome"), blank=True)

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["due", "id"]

    def __str__(self) -> str:
        return self.title[:100]

    def clean(self) -> None:
        if self.due and self.raised_on and self.due < self.raised_on:
            raise ValidationError({"due": _("A recommendation cannot be due before it was raised.")})

    @property
    def overdue(self) -> bool:
        return self.status in self.OPEN and self.due < timezone.localdate()


class RecommendationReminder(models.Model):
    """A reminder sent to a recommendation's owner for one due date (a moved date is reminded again)."""

    recommendation = models.ForeignKey(Recommendation, models.CASCADE, related_name="+",
                                       verbose_name=_("recommendation"))
    due = models.DateField(_("due"))
    sent = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("recommendation reminder")
        verbose_name_plural = _("recommendation reminders")
        constraints = [models.UniqueConstraint(fields=["recommendation", "due"], name="reports_reminded_once")]

    def __str__(self) -> str:
        return f"{self.recommendation_id} {self.due}"


class Frequency(models.TextChoices):
    MONTHLY = "month", _("monthly")
    QUARTERLY = "quarter", _("quarterly")


@register(
    group="reports",
    columns=("recipient", "frequency"),
    filters=("recipient", "frequency"),
    key="id",
)
class ReportSubscription(TaggedModel):
    """Someone who receives the management report by e-mail each month or quarter."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="report_subscriptions",
                                  verbose_name=_("recipient"))
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices, default=Frequency.MONTHLY)

    class Meta:
        verbose_name = _("report subscription")
        verbose_name_plural = _("report subscriptions")
        ordering = ["frequency", "id"]
        constraints = [models.UniqueConstraint(fields=["recipient", "frequency"], name="reports_subscribed_once")]

    def __str__(self) -> str:
        return f"{self.recipient} ({self.get_frequency_display()})"


class IssuedReport(models.Model):
    """A report the schedule wrote for a period: kept so the e-mailed link gives what was sent.
    Its writing is audited as `document_generated` with both files' hashes."""

    created = models.DateTimeField(_("created"), auto_now_add=True)
    period = models.CharField(_("period"), max_length=10, unique=True)
    pdf = models.BinaryField(_("PDF"))
    docx = models.BinaryField(_("DOCX"))
    pdf_sha256 = models.CharField(_("PDF SHA-256"), max_length=64)
    docx_sha256 = models.CharField(_("DOCX SHA-256"), max_length=64)

    class Meta:
        verbose_name = _("issued report")
        verbose_name_plural = _("issued reports")
        ordering = ["-period"]

    def __str__(self) -> str:
        return self.period


class CapacitySample(models.Model):
    """One day's use of one capacity, in per cent, kept by the daily "Record capacity" job so that
    reports can draw its trend. Measurements, like monitoring's roll-ups: written in bulk by the
    job (whose run is recorded), never edited; the object's name is kept as it was that day."""

    class Kind(models.TextChoices):
        CLUSTER_MEMORY = "cluster_memory", _("cluster memory allocated")
        CLUSTER_VCPU = "cluster_vcpu", _("cluster vCPU allocated, of the limit")
        CLUSTER_DISK = "cluster_disk", _("cluster disk allocated")
        STORAGE = "storage", _("disk array used")
        ADDRESSES = "addresses", _("address block used")

    day = models.DateField(_("day"))
    kind = models.CharField(_("measure"), max_length=20, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField(_("object"))
    name = models.CharField(_("name"), max_length=200)
    percent = models.FloatField(_("used (%)"))

    class Meta:
        verbose_name = _("capacity sample")
        verbose_name_plural = _("capacity samples")
        ordering = ["day", "kind", "object_id"]
        constraints = [models.UniqueConstraint(fields=["day", "kind", "object_id"], name="reports_sample_once")]

    def __str__(self) -> str:
        return f"{self.day} {self.name}: {self.percent:.1f} %"
