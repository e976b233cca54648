"""The append-only, hash-chained audit trail: every change and every security event."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    CREATE = "create", _("created")
    UPDATE = "update", _("updated")
    DELETE = "delete", _("deleted")


class Source(models.TextChoices):
    UI = "ui", _("web interface")
    API = "api", _("REST API")
    IMPORT = "import", _("import")
    CLI = "cli", _("command line")
    JOB = "job", _("background job")
    SYSTEM = "system", _("system")


class AuditEntry(models.Model):
    """One link of the chain. Rows are only ever inserted; `hash` covers the row and `prev_hash`."""

    id = models.BigAutoField(primary_key=True)
    time = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.DO_NOTHING, null=True, blank=True,
        db_constraint=False, related_name="+", verbose_name=_("actor"),
    )
    actor_name = models.CharField(_("actor"), max_length=150, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    source_ip = models.GenericIPAddressField(_("source address"), null=True, blank=True)
    request_id = models.CharField(_("request ID"), max_length=36, blank=True)
    action = models.CharField(_("action"), max_length=30, choices=Action.choices, db_index=True)
    content_type = models.ForeignKey(
        ContentType, models.DO_NOTHING, null=True, blank=True, db_constraint=False,
        related_name="+", verbose_name=_("object type"),
    )
    object_id = models.BigIntegerField(_("object ID"), null=True, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.object_repr}"
