"""Notifications: what each user wants, what happened for them, and every e-mail sent."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from irtis.core.models import ChangeLogged


class Channel(models.TextChoices):
    BOTH = "both", _("in irtis and by e-mail")
    IN_APP = "in_app", _("in irtis only")
    EMAIL = "email", _("by e-mail only")
    NONE = "none", _("not at all")


class Profile(ChangeLogged):
    """A user's notification settings that hold for every kind: the language of messages."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.CASCADE, primary_key=True, related_name="notification_profile",
        verbose_name=_("user"),
    )
    language = models.CharField(
        _("language of messages"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE,
    )

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")

    def __str__(self) -> str:
        return str(self.user)


class Preference(ChangeLogged):
    """How a user is told about one kind of event; without a row, the kind's defaults hold."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="notification_preferences",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=100)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    digest = models.PositiveSmallIntegerField(
        _("digest window (minutes)"),
        help_text=_("Events within this many minutes are sent as one e-mail; 0 sends at once."),
    )

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notifications_preference_kind")]

    def __str__(self) -> str:
        return f"{self.user}: {self.kind}"


class Message(models.Model):
    """One e-mail to one user, grouping the events of one kind that came within its window.

    While `composed` is empty the message is open and further events join it (one open message
    per user and kind); delivery composes it in the user's language and keeps the text, so a
    retry sends exactly what the first attempt tried to.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=100)
    to = models.CharField(_("address"), max_length=254, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    subject = models.CharField(pgettext_lazy("e-mail", "subject"), max_length=255, blank=True)
    body = models.TextField(_("text"), blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    composed = models.DateTimeField(_("composed"), null=True, blank=True)
    next_attempt = models.DateTimeField(_("next attempt"), null=True, blank=True)
    sent = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail message")
        verbose_name_plural = _("e-mail messages")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind"], condition=models.Q(composed__isnull=True),
                name="notifications_one_open_message",
            ),
        ]
        indexes = [
            # what delivery looks for: queued messages that are due
            models.Index(fields=["next_attempt"], condition=models.Q(status="queued"), name="notifications_due"),
        ]

    def __str__(self) -> str:
        return self.subject or f"{self.kind} → {self.recipient}"


class Notification(models.Model):
    """An event for one user: shown in irtis (the bell) and/or carried by an e-mail.

    Repeats of an event (same kind and object) while the user has not read it yet, and before
    its e-mail went out, are counted on one row instead of piling up.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="notifications", verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=100)
    content_type = models.ForeignKey(ContentType, models.CASCADE, null=True, blank=True, related_name="+")
    object_id = models.BigIntegerField(null=True, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    url = models.CharField(_("address"), max_length=500, blank=True)
    context = models.JSONField(_("details"), default=dict, blank=True)
    count = models.PositiveIntegerField(_("times"), default=1)
    first = models.DateTimeField(_("first time"))
    time = models.DateTimeField(_("time"))
    shown = models.BooleanField(_("shown in irtis"), default=True)
    read = models.DateTimeField(_("read"), null=True, blank=True)
    message = models.ForeignKey(
        Message, models.SET_NULL, null=True, blank=True, related_name="events", verbose_name=_("e-mail message"),
    )

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-time", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-time", "-id"], name="notifications_inbox"),
            models.Index(
                fields=["recipient"], condition=models.Q(shown=True, read__isnull=True), name="notifications_unread",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.object_repr}"
