"""Regulating documents of the centre (statute 2.16): procedures („tvarkos aprašai“), rules
(„taisyklės“) and security documents („saugos dokumentai“), their drafts as numbered text
versions, reviewers' comments on paragraphs, and the review and approval route by roles.

The text is kept in `Version`s (written by `irtis.regulations.drafting` only); the status moves
by actions (`irtis.regulations.route`), never by editing the document.
"""

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from irtis.core import collation
from irtis.core.models import BaseModel, ChangeLogged, TaggedModel
from irtis.core.names import NameField
from irtis.core.registry import register


class Kind(models.TextChoices):
    PROCEDURE = "procedure", _("procedure")
    RULES = "rules", _("rules")
    SECURITY = "security", _("security document")
    OTHER = "other", _("other")


class Status(models.TextChoices):
    DRAFT = "draft", _("draft")
    REVIEW = "review", _("in review")
    APPROVED = "approved", _("approved")
    IN_FORCE = "in_force", _("in force")
    REPEALED = "repealed", _("repealed")


@register(
    group="security",
    columns=("title", "kind", "status", "owner", "revision", "approved_revision"),
    filters=("kind", "status", "owner"),
    search=("processes", "description"),
    key="title",
    panels=("regulations/document_panel.html",),
)
class Document(TaggedModel):
    """A regulating document: what it governs (security controls, processes), who owns it, where
    it stands, and the number of its latest text version."""

    title = NameField(_("title"), max_length=300, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PROCEDURE)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("owner")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, editable=False, db_index=True
    )
    controls = models.ManyToManyField(
        "security.Control",
        blank=True,
        related_name="regulations",
        verbose_name=_("security controls"),
        help_text=_("The controls this document governs."),
    )
    processes = models.CharField(
        _("processes"),
        max_length=500,
        blank=True,
        help_text=_("The processes this document governs, separated by semicolons."),
    )
    description = models.TextField(_("description"), blank=True)
    revision = models.PositiveIntegerField(
        _("text version"), default=0, editable=False, help_text=_("The number of the latest version of the text.")
    )
    approved_revision = models.PositiveIntegerField(_("approved version"), null=True, blank=True, editable=False)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True, editable=False)
    round = models.PositiveIntegerField(
        _("review round"),
        default=0,
        editable=False,
        help_text=_("Counts the submissions for review; decisions belong to one."),
    )

    class Meta:
        verbose_name = _("regulating document")
        verbose_name_plural = _("regulating documents")
        ordering = ["title"]
        indexes = [collation.index("title", "regulations_document_lt")]

    def __str__(self) -> str:
        return self.title


@register(
    group="security",
    columns=("document", "position", "role", "person"),
    filters=("document", "role", "person"),
    key="id",
    brief=("id", "document"),
)
class RouteStep(BaseModel):
    """One step of a document's review and approval route: a role's members, or one person,
    decide in the order of `position`."""

    document = models.ForeignKey(Document, models.CASCADE, related_name="steps", verbose_name=_("document"))
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    role = models.ForeignKey(Group, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("role"))
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("person")
    )

    class Meta:
        verbose_name = _("route step")
        verbose_name_plural = _("route steps")
        ordering = ["document", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["document", "position"], name="regulations_step_position")]

    def __str__(self) -> str:
        return f"{self.document_id and self.document}: {self.position}. {self.decider}"

    @property
    def decider(self) -> str:
        """The person, or the role by its label ("saugos pareigūnas")."""
        from irtis.identity import roles

        if self.person is not None:
            return str(self.person)
        return roles.label(self.role.name) if self.role is not None else ""

    def clean(self) -> None:
        super().clean()
        if (self.role_id is None) == (self.person_id is None):
            raise ValidationError(_("A step is decided either by a role or by one person: choose one of them."))
        if self.document_id and Document.objects.filter(pk=self.document_id, status=Status.REVIEW).exists():
            raise ValidationError(_("The document is in review: its route changes once it is returned or approved."))


class Version(ChangeLogged):
    """One saved text of a document, numbered from 1; its paragraphs are the blocks of its
    Markdown (separated by blank lines)."""

    document = models.ForeignKey(Document, models.CASCADE, related_name="versions", verbose_name=_("document"))
    number = models.PositiveIntegerField(_("number"))
    text = models.TextField(_("text"))
    paragraphs = models.JSONField(_("paragraphs"), default=list)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("author"))
    created = models.DateTimeField(_("created"), auto_now_add=True)
    note = models.CharField(_("note"), max_length=300, blank=True, help_text=_("What this version changes."))

    class Meta:
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        ordering = ["document", "number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="regulations_version_once")]

    def __str__(self) -> str:
        return f"{self.document_id and self.document} v{self.number}"


class Comment(ChangeLogged):
    """A reviewer's remark on one paragraph (numbered from 1) of one version."""

    version = models.ForeignKey(Version, models.CASCADE, related_name="comments", verbose_name=_("version"))
    paragraph = models.PositiveIntegerField(_("paragraph"))
    text = models.TextField(_("comment"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("author"))
    created = models.DateTimeField(_("created"), auto_now_add=True)
    resolved = models.BooleanField(_("resolved"), default=False)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    carried_from: int | None  # set by `drafting.placed`: the earlier version it was made on

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created", "id"]

    def __str__(self) -> str:
        return f"{self.version} §{self.paragraph}"


class Decision(models.TextChoices):
    APPROVE = "approve", _("approved")
    RETURN = "return", _("returned")


class StepDecision(ChangeLogged):
    """A step's decision in one review round, by a member of its role (or its person)."""

    step = models.ForeignKey(RouteStep, models.CASCADE, related_name="decisions", verbose_name=_("step"))
    round = models.PositiveIntegerField(_("review round"))
    revision = models.PositiveIntegerField(_("text version"))
    decision = models.CharField(_("decision"), max_length=8, choices=Decision.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("by"))
    reason = models.TextField(_("reason"), blank=True)
    time = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("route decision")
        verbose_name_plural = _("route decisions")
        ordering = ["time", "id"]
        constraints = [models.UniqueConstraint(fields=["step", "round"], name="regulations_decision_once")]

    def __str__(self) -> str:
        return f"{self.step}: {self.get_decision_display()}"
