"""Maintenance windows (techninės priežiūros langai), blackout periods, change requests
(pakeitimų užklausos) and their approvals (statute 2.1–2.6: planned work on the infrastructure).

A window covers any registered objects (devices, virtual machines, clusters, DBMS instances,
systems, components …) through `WindowObject`, like `systems.Dependency` names its ends. The
information systems a window affects are found by impact analysis (`irtis.changes.windows`).
Status changes (submit, approve, reject, cancel, implement) are actions, not editable fields:
`irtis.changes.actions` checks who may make them.
"""

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from irtis.audit import context
from irtis.core import collation
from irtis.core.models import BaseModel, ChangeLogged, TaggedModel
from irtis.core.names import NameField
from irtis.core.registry import register
from irtis.systems.models.dependency import node_label

from . import recurrence as rules

RECURRENCE_HELP = _("RFC 5545 recurrence rule that must end, e.g. FREQ=MONTHLY;BYDAY=2TU;COUNT=12 "
                    "(the second Tuesday of each month, twelve times); empty for a single window.")


class Scheduled(BaseModel):
    """A period that may recur: start and end of the first occurrence, the rule, and when the
    last occurrence ends (kept so that queries find the windows of a time without expanding)."""

    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    recurrence = models.CharField(_("recurrence"), max_length=300, blank=True, help_text=RECURRENCE_HELP)
    last_end = models.DateTimeField(_("last occurrence ends"), editable=False, db_index=True)

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        if self.start is None or self.end is None:
            return
        if self.end <= self.start:
            raise ValidationError({"end": _("The end must be after the start.")})
        try:
            self.recurrence = rules.normalise(self.recurrence, self.start)
        except ValidationError as error:
            raise ValidationError({"recurrence": error.messages}) from None
        self.last_end = rules.last_end(self.start, self.end, self.recurrence)

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        # Paths that skip clean() (the shell, demo loaders) still keep last_end true.
        if self.start is not None and self.end is not None:
            self.last_end = rules.last_end(self.start, self.end, self.recurrence)
        super().save(*args, **kwargs)

    def occurrences(self, since: dt.datetime, until: dt.datetime) -> list[rules.Interval]:
        return rules.occurrences(self.start, self.end, self.recurrence, since, until)


class Status(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted for approval")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
    CANCELLED = "cancelled", _("cancelled")


def _requester() -> int | None:
    user = context.current().user
    return getattr(user, "pk", None) if getattr(user, "is_authenticated", False) else None


@register(
    group="operations",
    columns=("name", "start", "end", "recurrence", "status", "requested_by", "approved_by"),
    filters=("status", "requested_by", "approved_by"),
    search=("description",),
    panels=("changes/window_panel.html",),
)
class MaintenanceWindow(Scheduled, TaggedModel):
    """Planned work on some objects (techninės priežiūros langas), once or recurring."""

    name = NameField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT,
                              editable=False, db_index=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                     editable=False, related_name="+", verbose_name=_("requested by"))
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                    editable=False, related_name="+", verbose_name=_("approved by"))
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("maintenance window")
        verbose_name_plural = _("maintenance windows")
        ordering = ["start", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        self._derive()

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        self._derive()  # here too: the shell and demo loaders save without clean()
        super().save(*args, **kwargs)

    def _derive(self) -> None:
        """The requester of a new window (whoever creates it, through any path); a moved window
        goes back to draft, as an approval is for the schedule it saw."""
        if self._state.adding and self.requested_by_id is None:
            self.requested_by_id = _requester()
        elif self._rescheduled() and self.status in (Status.SUBMITTED, Status.APPROVED):
            self.status, self.approved_by, self.approved_at = Status.DRAFT, None, None

    def _rescheduled(self) -> bool:
        loaded = getattr(self, "_loaded", {})
        return any(name in loaded and loaded[name] != getattr(self, name) for name in ("start", "end", "recurrence"))


@register(
    group="operations",
    columns=("window", "object_type", "object_id"),
    filters=("window", "object_type", "object_id"),
    key="id",
    brief=("id", "window"),
)
class WindowObject(BaseModel):
    """An object a maintenance window covers: any registered object, chosen by kind and name."""

    window = models.ForeignKey(MaintenanceWindow, models.CASCADE, related_name="covered",
                               verbose_name=_("maintenance window"))
    object_type = models.ForeignKey(ContentType, models.CASCADE, related_name="+", verbose_name=_("object type"))
    object_id = models.BigIntegerField(_("object id"))
    # Chosen in forms as a kind, then an object of that kind (core.choices).
    object = GenericForeignKey("object_type", "object_id")

    class Meta:
        verbose_name = _("object under maintenance")
        verbose_name_plural = _("objects under maintenance")
        ordering = ["window", "id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="changes_windowobject_object")]
        constraints = [models.UniqueConstraint(fields=["window", "object_type", "object_id"],
                                               name="changes_windowobject_unique")]

    def __str__(self) -> str:
        return node_label(self.object_type if self.object_type_id else None, self.object_id)

    def clean(self) -> None:
        super().clean()
        if self.object_type_id is None or self.object_id is None:
            return
        model = ContentType.objects.get_for_id(self.object_type_id).model_class()
        if model is None or not model._default_manager.filter(pk=self.object_id).exists():
            raise ValidationError({"object_id": _("No such object.")})
        if self.window_id and MaintenanceWindow.objects.filter(pk=self.window_id).exclude(
                status=Status.DRAFT).exists():
            raise ValidationError({"window": _("Only a draft window's objects can change: return it to draft first.")})


@register(
    group="operations",
    columns=("name", "system", "start", "end", "recurrence"),
    filters=("system",),
    search=("description",),
)
class Blackout(Scheduled, TaggedModel):
    """A period when no planned work may touch a system (or any system, when none is named),
    e.g. the month-end declaration peak."""

    name = NameField(_("name"), max_length=200, unique=True)
    system = models.ForeignKey("systems.InformationSystem", models.CASCADE, null=True, blank=True,
                               related_name="blackouts", verbose_name=_("information system"),
                               help_text=_("Empty: the period holds for every system."))
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("blackout period")
        verbose_name_plural = _("blackout periods")
        ordering = ["name"]
        indexes = [collation.index("name", "changes_blackout_lt")]

    def __str__(self) -> str:
        return self.name


class ChangeKind(models.TextChoices):
    STANDARD = "standard", _("standard")
    NORMAL = "normal", _("normal")
    EMERGENCY = "emergency", _("emergency")


class ChangeStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted for approval")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
    IMPLEMENTING = "implementing", _("being implemented")
    COMPLETED = "completed", _("completed")
    CANCELLED = "cancelled", _("cancelled")


class Risk(models.TextChoices):
    LOW = "low", _("low")
    MEDIUM = "medium", _("medium")
    HIGH = "high", _("high")


class Result(models.TextChoices):
    SUCCESSFUL = "successful", _("successful")
    FAILED = "failed", _("failed")
    ROLLED_BACK = "rolled_back", _("rolled back")


@register(
    group="operations",
    columns=("id", "title", "kind", "status", "risk", "window", "requested_by"),
    filters=("kind", "status", "risk", "window", "requested_by"),
    search=("title", "description"),
    key="id",
    brief=("id", "title"),
    panels=("changes/change_panel.html",),
)
class ChangeRequest(TaggedModel):
    """A change to the infrastructure (pakeitimo užklausa), scheduled as a maintenance window.

    Risk comes from the impact of the window's objects when the change is submitted; the
    audit entries of the writes made while implementing it are linked to it (`ChangeActivity`)."""

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=ChangeKind.choices, default=ChangeKind.NORMAL)
    description = models.TextField(_("description"))
    implementation_plan = models.TextField(_("implementation plan"), blank=True)
    rollback_plan = models.TextField(_("rollback plan"), blank=True)
    window = models.ForeignKey(MaintenanceWindow, models.PROTECT, null=True, blank=True, related_name="changes",
                               verbose_name=_("maintenance window"),
                               help_text=_("When the change is made, and on which objects."))
    status = models.CharField(_("status"), max_length=12, choices=ChangeStatus.choices,
                              default=ChangeStatus.DRAFT, editable=False, db_index=True)
    risk = models.CharField(_("risk"), max_length=8, choices=Risk.choices, blank=True, editable=False)
    affected_systems = models.PositiveIntegerField(_("affected systems"), default=0, editable=False)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                     editable=False, related_name="+", verbose_name=_("requested by"))
    result = models.CharField(_("result"), max_length=12, choices=Result.choices, blank=True, editable=False)
    result_notes = models.TextField(_("result notes"), blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"CHG-{self.pk or 0:05d} {self.title}"

    def clean(self) -> None:
        super().clean()
        if self._state.adding and self.requested_by_id is None:
            self.requested_by_id = _requester()

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        if self._state.adding and self.requested_by_id is None:
            self.requested_by_id = _requester()
        super().save(*args, **kwargs)


class Subject(models.TextChoices):
    WINDOW = "window", _("maintenance window")
    STANDARD = ChangeKind.STANDARD.value, _("standard change")
    NORMAL = ChangeKind.NORMAL.value, _("normal change")
    EMERGENCY = ChangeKind.EMERGENCY.value, _("emergency change")


@register(
    group="operations",
    columns=("subject", "role", "approvals", "allow_self_approval"),
    filters=("subject", "role"),
    key="id",
    brief=("id", "subject"),
)
class ApprovalRule(BaseModel):
    """N approvals from members of a role (the change advisory board) that a maintenance window
    or a change of a kind needs; every rule of the subject must be met."""

    subject = models.CharField(_("applies to"), max_length=10, choices=Subject.choices)
    role = models.ForeignKey(Group, models.CASCADE, related_name="+", verbose_name=_("role"))
    approvals = models.PositiveSmallIntegerField(_("approvals needed"), default=1,
                                                 validators=[MinValueValidator(1), MaxValueValidator(20)])
    allow_self_approval = models.BooleanField(
        _("requester may approve"), default=False,
        help_text=_("Whether the person who requested the window or change may count as one of the approvers."),
    )

    class Meta:
        verbose_name = _("approval rule")
        verbose_name_plural = _("approval rules")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["subject", "role"], name="changes_approvalrule_unique")]

    def __str__(self) -> str:
        return f"{self.get_subject_display()}: {self.approvals} × {self.role}"


class Decision(models.TextChoices):
    APPROVE = "approve", _("approved")
    REJECT = "reject", _("rejected")


class Approval(ChangeLogged):
    """One person's decision on a window or a change, counted for a role (written by the
    approve and reject actions only, each audited)."""

    window = models.ForeignKey(MaintenanceWindow, models.CASCADE, null=True, blank=True, related_name="approvals")
    change = models.ForeignKey(ChangeRequest, models.CASCADE, null=True, blank=True, related_name="approvals")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("by"))
    role = models.ForeignKey(Group, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("role"))
    decision = models.CharField(_("decision"), max_length=8, choices=Decision.choices)
    comment = models.TextField(_("comment"), blank=True)
    time = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        ordering = ["time", "id"]
        constraints = [
            models.UniqueConstraint(fields=["window", "user"], name="changes_approval_window_once"),
            models.UniqueConstraint(fields=["change", "user"], name="changes_approval_change_once"),
            models.CheckConstraint(condition=models.Q(window__isnull=True) ^ models.Q(change__isnull=True),
                                   name="changes_approval_one_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()}: {self.user}"


class ChangeActivity(ChangeLogged):
    """A request whose writes were made while implementing a change: its audit entries (same
    request id) belong to the change."""

    change = models.ForeignKey(ChangeRequest, models.CASCADE, related_name="activities")
    request_id = models.CharField(_("request ID"), max_length=36)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    time = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("change activity")
        verbose_name_plural = _("change activities")
        constraints = [models.UniqueConstraint(fields=["change", "request_id"], name="changes_activity_once")]

    def __str__(self) -> str:
        return f"{self.change_id}: {self.request_id}"
