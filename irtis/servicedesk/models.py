"""The service desk (statute 2.20): requests of customs' IT users, their messages and attachments,
and the knowledge base's articles.

A request's priority follows its system's importance and the reported effect; its response and
resolution targets are working hours (`targets`). Requesters hold a permission constrained to
their own requests (`access.py`): the platform's constraints, so lists, pages, API, search and
exports all follow it.
"""

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from irtis.changes.models import ChangeRequest
from irtis.core import collation, permissions
from irtis.core.models import BaseModel, TaggedModel
from irtis.core.names import NameField
from irtis.core.registry import register
from irtis.monitoring.models import Incident
from irtis.systems.models import InformationSystem

from . import targets


@register(group="servicedesk", columns=("code", "name", "email", "description"), search=("code", "email"),
          key="code")
class Queue(TaggedModel):
    """A team's queue (eilė): the requests it answers, and the people told of them."""

    code = NameField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail address"), blank=True,
                              help_text=_("Mail received at this address lands in this queue."))
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="servicedesk_queues",
                                     verbose_name=_("members"))
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("queue")
        verbose_name_plural = _("queues")
        ordering = ["code"]
        indexes = [collation.index("code", "servicedesk_queue_lt")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


@register(group="servicedesk", columns=("code", "name", "system", "queue"), filters=("system", "queue"),
          search=("code",), key="code")
class Category(TaggedModel):
    """What a request is about, mapped to an information system and the queue that answers it."""

    code = NameField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200)
    system = models.ForeignKey(InformationSystem, models.PROTECT, null=True, blank=True,
                               related_name="servicedesk_categories", verbose_name=_("information system"))
    queue = models.ForeignKey(Queue, models.PROTECT, related_name="categories", verbose_name=_("queue"))

    class Meta:
        verbose_name = _("request category")
        verbose_name_plural = _("request categories")
        ordering = ["code"]
        indexes = [collation.index("code", "servicedesk_category_lt")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Effect(models.TextChoices):
    MANY_BLOCKED = "many_blocked", _("many users cannot work")
    ONE_BLOCKED = "one_blocked", _("I cannot work")
    DEGRADED = "degraded", _("work is hampered")
    QUESTION = "question", _("a question or a wish")


class Status(models.TextChoices):
    NEW = "new", _("new")
    IN_PROGRESS = "in_progress", _("in progress")
    WAITING = "waiting", _("waiting for the requester")
    RESOLVED = "resolved", _("resolved")
    CLOSED = "closed", _("closed")


OPEN = (Status.NEW, Status.IN_PROGRESS, Status.WAITING)


class Channel(models.TextChoices):
    WEB = "web", _("web form")
    EMAIL = "email", _("e-mail")
    API = "api", _("API")


def _current_user() -> Any:
    from irtis.audit import context

    return context.current().user


def _by_hand() -> bool:
    """Is the write a person's, through the pages, the API or an import (not mail or a job)?"""
    from irtis.audit import context
    from irtis.audit.models import Source

    return context.current().source in (Source.UI, Source.API, Source.IMPORT)


# What only the desk sets: a requester's own requests are theirs to describe and rate, not to route.
DESK_FIELDS = ("requester", "requester_email", "queue", "assignee", "status", "incidents", "changes")


def requester_only(user: Any) -> bool:
    """Does the user write requests only as their requester (a constrained permission, or none)?"""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return not permissions.has(user, Request, "change") or permissions.constraint(user, Request, "change") is not None


@register(
    group="servicedesk",
    columns=("id", "subject", "requester", "category", "priority", "status", "queue", "assignee", "response_due",
             "resolution_due"),
    filters=("status", "priority", "queue", "assignee", "requester", "category", "system", "channel", "verified"),
    search=("subject", "description", "requester_email"),
    key="id",
    read_only=lambda obj, user: DESK_FIELDS if requester_only(user) else (),
    panels=("servicedesk/request_panel.html",),
)
class Request(TaggedModel):
    """A request (kreipinys) of an IT user: a question, a fault or a wish."""

    subject = models.CharField(_("subject"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                  related_name="servicedesk_requests", verbose_name=_("requester"),
                                  help_text=_("Empty: whoever creates it."))
    requester_email = models.EmailField(_("requester's e-mail"), blank=True)
    verified = models.BooleanField(
        _("sender verified"), default=True, editable=False,
        help_text=_("False for mail from an address of no user, or whose envelope sender differs from its From."))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.WEB,
                               editable=False)
    category = models.ForeignKey(Category, models.PROTECT, null=True, blank=True, related_name="requests",
                                 verbose_name=_("category"))
    system = models.ForeignKey(InformationSystem, models.PROTECT, null=True, blank=True,
                               related_name="servicedesk_requests", verbose_name=_("information system"),
                               help_text=_("Empty: the category's system."))
    effect = models.CharField(_("effect"), max_length=20, choices=Effect.choices, default=Effect.QUESTION)
    priority = models.CharField(_("priority"), max_length=2, editable=False, default="P4",
                                help_text=_("From the system's importance category and the effect."))
    queue = models.ForeignKey(Queue, models.PROTECT, null=True, blank=True, related_name="requests",
                              verbose_name=_("queue"), help_text=_("Empty: the category's queue."))
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                 related_name="servicedesk_assigned", verbose_name=_("assignee"))
    status = models.CharField(_("status"), max_length=15, choices=Status.choices, default=Status.NEW)
    received_at = models.DateTimeField(_("received"), default=timezone.now, editable=False)
    response_due = models.DateTimeField(_("response due"), null=True, blank=True, editable=False)
    resolution_due = models.DateTimeField(_("resolution due"), null=True, blank=True, editable=False)
    responded_at = models.DateTimeField(_("responded"), null=True, blank=True, editable=False)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True, editable=False)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True, editable=False)
    rating = models.PositiveSmallIntegerField(
        _("satisfaction"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("1 (poor) to 5 (excellent), given when the request is resolved."))
    rating_comment = models.TextField(_("satisfaction comment"), blank=True)
    incidents = models.ManyToManyField(Incident, blank=True, related_name="servicedesk_requests",
                                       verbose_name=_("incidents"))
    changes = models.ManyToManyField(ChangeRequest, blank=True, related_name="servicedesk_requests",
                                     verbose_name=_("changes"))
    message_id = models.CharField(_("Message-ID"), max_length=300, blank=True, editable=False, db_index=True)

    class Meta:
        verbose_name = _("request")
        verbose_name_plural = _("requests")
        ordering = ["-id"]
        indexes = [models.Index(fields=["status", "resolution_due"], name="servicedesk_request_due"),
                   models.Index(fields=["requester_email", "received_at"], name="servicedesk_request_sender")]

    def __str__(self) -> str:
        return f"{self.number} {self.subject}"

    @property
    def number(self) -> str:
        return f"SD-{self.pk or 0:06d}"

    def clean(self) -> None:
        user = _current_user()
        if self.requester_id is None and not self.requester_email:
            self.requester_id = getattr(user, "pk", None)
        if _by_hand() and requester_only(user):
            self._keep_desk_fields()
        category = self.category if self.category_id else None
        if category is not None:
            self.system_id = self.system_id or category.system_id
            self.queue_id = self.queue_id or category.queue_id
        if self.rating is not None and self.status not in (Status.RESOLVED, Status.CLOSED):
            raise ValidationError({"rating": _("Rate a request once it is resolved.")})
        self.schedule()

    def _keep_desk_fields(self) -> None:
        """A requester's write that routes the request is refused (pages, API and imports alike)."""
        stored = Request.objects.filter(pk=self.pk).first() if self.pk else None
        for name in ("queue", "assignee", "status"):
            before = getattr(stored, f"{name}_id" if name != "status" else name, None) if stored else None
            after = getattr(self, f"{name}_id" if name != "status" else name)
            if stored is None and name == "status":
                before = Status.NEW
            if after != before and not (stored is None and name == "queue"):
                raise ValidationError({name: _("Only the service desk sets this.")})

    def schedule(self) -> None:
        """Priority and targets from the system and effect; the times of the steps taken."""
        system = self.system if self.system_id else None
        importance = system.category if system is not None and system.category_id else None
        rank = importance.rank if importance is not None else None
        self.priority = targets.priority(rank, self.effect)
        self.response_due, self.resolution_due = targets.due(self.received_at, self.priority)
        now = timezone.now()
        if self.status != Status.NEW and self.responded_at is None:
            self.responded_at = now
        if self.status in (Status.RESOLVED, Status.CLOSED):
            self.resolved_at = self.resolved_at or now
        else:
            self.resolved_at = None

    def near(self, now: dt.datetime) -> str:
        """"response" or "resolution" when that target is near or past, else ""."""
        from .settings import WARN_SHARE

        if self.status not in OPEN:
            return ""
        for name, due in (("response", self.response_due), ("resolution", self.resolution_due)):
            if name == "response" and self.responded_at is not None:
                continue
            if due is None:
                continue
            whole = targets.working_seconds(self.received_at, due)
            if targets.working_seconds(now, due) <= whole * WARN_SHARE or now >= due:
                return name
        return ""


@register(
    group="servicedesk",
    columns=("request", "kind", "author", "sender", "sent_at", "verified"),
    filters=("request", "kind", "author", "verified"),
    search=("body", "sender"),
    key="id",
)
class Message(TaggedModel):
    """A reply, an inbound mail or an internal note of a request."""

    class Kind(models.TextChoices):
        REPLY = "reply", _("reply to the requester")
        INBOUND = "inbound", _("message from the requester")
        NOTE = "note", _("internal note")

    request = models.ForeignKey(Request, models.CASCADE, related_name="messages", verbose_name=_("request"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.REPLY)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
                               verbose_name=_("author"), editable=False)
    sender = models.CharField(_("sender"), max_length=300, blank=True, editable=False)
    body = models.TextField(_("text"))
    verified = models.BooleanField(_("sender verified"), default=True, editable=False)
    automatic = models.BooleanField(_("automatic reply"), default=False, editable=False,
                                    help_text=_("An auto-reply: recorded, never answered."))
    message_id = models.CharField(_("Message-ID"), max_length=300, blank=True, editable=False, db_index=True)
    sent_at = models.DateTimeField(_("time"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("request message")
        verbose_name_plural = _("request messages")
        ordering = ["sent_at", "id"]
        indexes = [models.Index(fields=["sender", "sent_at"], name="servicedesk_message_sender")]

    def __str__(self) -> str:
        return f"{self.request.number} {self.get_kind_display()} {self.sent_at:%Y-%m-%d %H:%M}"

    def clean(self) -> None:
        if self.author_id is None and not self.sender:
            self.author_id = getattr(_current_user(), "pk", None)


@register(
    group="servicedesk",
    columns=("name", "content_type", "size", "request", "article"),
    filters=("request", "article"),
    search=("name",),
    key="id",
    hidden=("content",),
)
class Attachment(BaseModel):
    """A file of a request (from the form or an e-mail) or an article (its images too)."""

    request = models.ForeignKey(Request, models.CASCADE, null=True, blank=True, related_name="attachments",
                                verbose_name=_("request"), editable=False)
    message = models.ForeignKey(Message, models.CASCADE, null=True, blank=True, related_name="attachments",
                                verbose_name=_("message"), editable=False)
    article = models.ForeignKey("Article", models.CASCADE, null=True, blank=True, related_name="attachments",
                                verbose_name=_("article"), editable=False)
    name = models.CharField(_("file name"), max_length=200, editable=False)
    content_type = models.CharField(_("type"), max_length=100, editable=False)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0, editable=False)
    content = models.BinaryField()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not self.content or (self.request_id is None) == (self.article_id is None):
            raise ValidationError(_("Attach files on the page of their request or article."))


@register(
    group="servicedesk",
    columns=("title", "language", "audience", "category", "updated"),
    filters=("language", "audience", "category"),
    search=("title", "body"),
    key="id",
    panels=("servicedesk/article_panel.html",),
)
class Article(TaggedModel):
    """A knowledge base article (žinių bazės straipsnis), written in Markdown. Its earlier versions
    are the change records of the audit trail (each save is one)."""

    class Audience(models.TextChoices):
        ALL = "all", _("all users")
        INTERNAL = "internal", _("the division only")

    class Language(models.TextChoices):
        LT = "lt", _("Lithuanian")
        EN = "en", _("English")

    title = models.CharField(_("title"), max_length=300)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.LT)
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices, default=Audience.ALL)
    category = models.ForeignKey(Category, models.SET_NULL, null=True, blank=True, related_name="articles",
                                 verbose_name=_("category"))
    body = models.TextField(_("text"), help_text=_("Markdown. Images of its attachments: ![text](files/name.png)."))

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["title", "id"]
        indexes = [collation.index("title", "servicedesk_article_lt")]

    def __str__(self) -> str:
        return self.title


class ArticleTerm(models.Model):
    """The knowledge base's index: each stem of an article's words, once (`search.index`)."""

    article = models.ForeignKey(Article, models.CASCADE, related_name="+")
    term = models.CharField(max_length=60)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["term", "article"], name="servicedesk_term_once")]

    def __str__(self) -> str:
        return self.term


