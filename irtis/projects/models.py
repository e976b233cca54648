"""ICT infrastructure projects (statute 2.17): goal, sponsor, manager, budget, milestones and
tasks with responsible people and dates, status reports, risks, and the procurements,
contracts, changes and objects a project delivers."""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from irtis.core.models import BaseModel, TaggedModel
from irtis.core.names import NameField
from irtis.core.registry import register

SCALE = [MinValueValidator(1), MaxValueValidator(5)]
PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


def _ends_after_start(obj: "Project | ProjectTask") -> None:
    if obj.start and obj.end and obj.end < obj.start:
        raise ValidationError({"end": _("The end cannot be before the start.")})


class Health(models.TextChoices):
    GREEN = "green", _("on track")
    AMBER = "amber", _("at risk")
    RED = "red", _("in trouble")


@register(
    group="projects",
    columns=("code", "name", "status", "manager", "sponsor", "start", "end", "budget"),
    filters=("status", "manager", "sponsor", "start", "end"),
    search=("code", "name", "goal"),
    key="code",
    panels=("projects/project_panel.html",),
)
class Project(TaggedModel):
    """An ICT infrastructure project: what it is for, who answers for it, its term and budget."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        APPROVED = "approved", _("approved")
        IN_PROGRESS = "in_progress", _("in progress")
        ON_HOLD = "on_hold", _("on hold")
        COMPLETED = "completed", _("completed")
        CANCELLED = "cancelled", _("cancelled")

    OPEN = (Status.PROPOSED, Status.APPROVED, Status.IN_PROGRESS, Status.ON_HOLD)

    code = NameField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200)
    goal = models.TextField(_("goal"))
    sponsor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="sponsored_projects",
        verbose_name=_("sponsor"), help_text=_("Who commissioned the project and accepts its results."),
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="managed_projects",
        verbose_name=_("project manager"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED)
    start = models.DateField(_("start"))
    end = models.DateField(_("planned end"))
    budget = models.DecimalField(_("budget (EUR)"), max_digits=14, decimal_places=2, null=True, blank=True,
                                 validators=[MinValueValidator(Decimal("0"))], help_text=_("Without VAT."))
    spent = models.DecimalField(_("spent (EUR)"), max_digits=14, decimal_places=2, null=True, blank=True,
                                validators=[MinValueValidator(Decimal("0"))])
    procurements = models.ManyToManyField("procurement.Procurement", blank=True, related_name="projects",
                                          verbose_name=_("procurements"))
    contracts = models.ManyToManyField("procurement.Contract", blank=True, related_name="projects",
                                       verbose_name=_("contracts"))
    changes = models.ManyToManyField("changes.ChangeRequest", blank=True, related_name="projects",
                                     verbose_name=_("changes"))
    systems = models.ManyToManyField("systems.InformationSystem", blank=True, related_name="projects",
                                     verbose_name=_("information systems"))
    devices = models.ManyToManyField("inventory.Device", blank=True, related_name="projects",
                                     verbose_name=_("devices"), help_text=_("Equipment the project delivers."))
    virtual_machines = models.ManyToManyField("virtualization.VirtualMachine", blank=True, related_name="projects",
                                              verbose_name=_("virtual machines"))
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["start", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        _ends_after_start(self)


@register(
    group="projects",
    columns=("project", "name", "due", "done_on"),
    filters=("project", "due", "done_on"),
    search=("name",),
    key="id",
)
class Milestone(TaggedModel):
    """A point a project must reach by a date: a delivery, an acceptance, a go-live."""

    project = models.ForeignKey(Project, models.PROTECT, related_name="milestones", verbose_name=_("project"))
    name = models.CharField(_("name"), max_length=200)
    due = models.DateField(_("due"))
    done_on = models.DateField(_("reached on"), null=True, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["project", "due", "id"]

    def __str__(self) -> str:
        return f"{self.project.code}: {self.name}"

    @property
    def late(self) -> bool:
        return self.done_on is None and self.due < timezone.localdate()


@register(
    group="projects",
    columns=("project", "name", "responsible", "start", "end", "progress", "status", "milestone"),
    filters=("project", "responsible", "status", "milestone", "start", "end"),
    search=("name", "description"),
    key="id",
    depends={"milestone": ("project",)},
)
class ProjectTask(TaggedModel):
    """A piece of a project's work with the person responsible and its dates; without a project,
    a task the head of the division assigned to someone (statute 2.22), reminded the same way."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")
        BLOCKED = "blocked", _("blocked")
        CANCELLED = "cancelled", _("cancelled")

    CLOSED = (Status.DONE, Status.CANCELLED)

    project = models.ForeignKey(Project, models.PROTECT, null=True, blank=True, related_name="tasks",
                                verbose_name=_("project"),
                                help_text=_("Empty for a task of the division outside any project."))
    milestone = models.ForeignKey(Milestone, models.PROTECT, null=True, blank=True, related_name="tasks",
                                  verbose_name=_("milestone"))
    name = models.CharField(_("name"), max_length=200)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="project_tasks",
        verbose_name=_("responsible"),
    )
    start = models.DateField(_("start"))
    end = models.DateField(_("due"))
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0, validators=PERCENT)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("project task")
        verbose_name_plural = _("project tasks")
        ordering = ["project", "start", "id"]

    def __str__(self) -> str:
        return f"{self.project.code}: {self.name}" if self.project else self.name

    @property
    def done_share(self) -> int:
        """The share done (%): a task marked done counts whole, whatever its progress says."""
        return 100 if self.status == self.Status.DONE else self.progress

    def clean(self) -> None:
        _ends_after_start(self)
        milestone = self.milestone if self.milestone_id else None
        if milestone is not None and milestone.project_id != self.project_id:
            raise ValidationError({"milestone": _("The milestone belongs to another project.")})
        if not self.project_id and not self.responsible_id:
            raise ValidationError({"responsible": _("A task outside a project needs a responsible person.")})


@register(
    group="projects",
    columns=("project", "reported_on", "health", "progress", "summary"),
    filters=("project", "health", "reported_on"),
    search=("summary", "next_steps", "issues"),
    key="id",
)
class StatusReport(TaggedModel):
    """The project manager's periodic report: health, progress, what was done and what comes next."""

    project = models.ForeignKey(Project, models.PROTECT, related_name="status_reports", verbose_name=_("project"))
    reported_on = models.DateField(_("reported on"), default=date.today)
    health = models.CharField(_("health"), max_length=10, choices=Health.choices, default=Health.GREEN)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), validators=PERCENT)
    summary = models.TextField(_("summary"))
    next_steps = models.TextField(_("next steps"), blank=True)
    issues = models.TextField(_("issues and decisions needed"), blank=True)

    class Meta:
        verbose_name = _("status report")
        verbose_name_plural = _("status reports")
        ordering = ["project", "-reported_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["project", "reported_on"], name="projects_report_once_a_day")]

    def __str__(self) -> str:
        return f"{self.project.code} {self.reported_on}"


@register(
    group="projects",
    columns=("project", "title", "likelihood", "impact", "owner", "status"),
    filters=("project", "status", "owner"),
    search=("title", "mitigation"),
    key="id",
)
class ProjectRisk(TaggedModel):
    """A threat to the project's term, budget or result, scored likelihood × impact (1–5)."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        MITIGATED = "mitigated", _("mitigated")
        HAPPENED = "happened", _("happened")
        CLOSED = "closed", _("closed")

    project = models.ForeignKey(Project, models.PROTECT, related_name="risks", verbose_name=_("project"))
    title = models.CharField(_("title"), max_length=200)
    likelihood = models.PositiveSmallIntegerField(_("likelihood"), validators=SCALE,
                                                  help_text=_("1 (rare) … 5 (almost certain)"))
    impact = models.PositiveSmallIntegerField(_("impact"), validators=SCALE, help_text=_("1 (negligible) … 5 (severe)"))
    mitigation = models.TextField(_("mitigation"), blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                              related_name="project_risks", verbose_name=_("owner"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)

    class Meta:
        verbose_name = _("project risk")
        verbose_name_plural = _("project risks")
        ordering = ["project", "status", "-likelihood", "-impact", "id"]

    def __str__(self) -> str:
        return f"{self.project.code}: {self.title}"

    @property
    def score(self) -> int:
        return self.likelihood * self.impact


class TaskReminder(BaseModel):
    """A reminder sent to a task's responsible person before its due date; a moved due date is
    reminded again."""

    task = models.ForeignKey(ProjectTask, models.CASCADE, related_name="+", verbose_name=_("project task"))
    due = models.DateField(_("due"))
    sent = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("task reminder")
        verbose_name_plural = _("task reminders")
        constraints = [models.UniqueConstraint(fields=["task", "due"], name="projects_task_reminded_once")]
