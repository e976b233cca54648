"""The append-only, hash-chained audit trail: every change and every security event."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from .canonical import SCHEME
from .fields import CanonicalJSONField


class Action(models.TextChoices):
    CREATE = "create", _("created")
    UPDATE = "update", _("updated")
    DELETE = "delete", _("deleted")
    # security events
    LOGIN = "login", _("signed in")
    LOGIN_FAILED = "login_failed", _("failed sign-in")
    LOCKOUT = "lockout", _("account locked out")
    LOGOUT = "logout", _("signed out")
    TOKEN_CREATED = "token_created", _("API token created")
    TOKEN_USED = "token_used", _("API token used")
    TOKEN_REVOKED = "token_revoked", _("API token revoked")
    TOKEN_REFUSED = "token_refused", _("API token refused")
    ROLE_CHANGED = "role_changed", _("roles changed")
    PERMISSION_CHANGED = "permission_changed", _("permissions changed")
    MFA_ENROLLED = "mfa_enrolled", _("second factor enrolled")
    MFA_FAILED = "mfa_failed", _("second factor failed")
    ACCESS_DENIED = "access_denied", _("access refused")
    AUDIT_READ = "audit_read", _("audit trail read")
    AUDIT_EXPORT = "audit_export", _("audit trail exported")
    AUDIT_ARCHIVE = "audit_archive", _("audit trail archived")
    # records
    DOCUMENT_GENERATED = "document_generated", _("document generated")


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
    before = CanonicalJSONField(_("before"), null=True, blank=True)
    after = CanonicalJSONField(_("after"), null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    # How `hash` covers the row (irtis.audit.canonical): 1 for entries written before scheme 2.
    scheme = models.PositiveSmallIntegerField(default=SCHEME)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [
            # One successor per link: even a broken lock could not fork the chain. (The
            # condition makes it a separate index, so SQLite need not rebuild the table.)
            models.UniqueConstraint(
                fields=["prev_hash"],
                condition=~models.Q(prev_hash=""),
                name="audit_entry_one_successor",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.object_repr}"


class AuditCheckpoint(models.Model):
    """A signed statement "entry N had hash H": re-hashing the chain without the key shows.

    Append-only like the trail (database triggers). The key lives outside the database. Each
    v2 checkpoint also signs the previous checkpoint's signature, so removing one breaks the
    chain of checkpoints; and one is due wherever the ids cross a multiple of the interval.
    """

    id = models.BigAutoField(primary_key=True)
    entry_id = models.BigIntegerField(_("entry"), unique=True)
    entry_hash = models.CharField(_("entry hash"), max_length=64)
    time = models.DateTimeField(_("time"))
    key_id = models.CharField(_("key"), max_length=16)
    signature = models.CharField(_("signature"), max_length=64)
    # v2 signs the previous checkpoint's signature too (the checkpoints form a chain of their
    # own) and the interval in force, which says where checkpoints were due before this one.
    version = models.PositiveSmallIntegerField(_("version"))
    prev_signature = models.CharField(_("previous signature"), max_length=64, blank=True, default="")
    interval = models.PositiveIntegerField(_("interval"), default=0)

    class Meta:
        verbose_name = _("audit checkpoint")
        verbose_name_plural = _("audit checkpoints")
        ordering = ["entry_id"]

    def __str__(self) -> str:
        return f"checkpoint @{self.entry_id}"


class ArchiveAnchor(models.Model):
    """Where the trail in the table starts after older entries were archived to a file.

    `last_hash` is the hash of the last archived entry: the first remaining entry links to it.
    Signed with the checkpoint key, append-only.
    """

    id = models.BigAutoField(primary_key=True)
    time = models.DateTimeField(_("time"))
    first_entry_id = models.BigIntegerField(_("first archived entry"))
    last_entry_id = models.BigIntegerField(_("last archived entry"), unique=True)
    last_hash = models.CharField(_("last archived hash"), max_length=64)
    entries = models.BigIntegerField(_("entries"))
    file_name = models.CharField(_("file"), max_length=255)
    file_sha256 = models.CharField(_("file SHA-256"), max_length=64)
    key_id = models.CharField(_("key"), max_length=16)
    signature = models.CharField(_("signature"), max_length=64)

    class Meta:
        verbose_name = _("archive anchor")
        verbose_name_plural = _("archive anchors")
        ordering = ["last_entry_id"]

    def __str__(self) -> str:
        return f"archive ..{self.last_entry_id}"


class ExportCursor(models.Model):
    """The last entry a receiver confirmed: shipping resumes after it (the one updated table)."""

    name = models.CharField(_("receiver"), max_length=200, unique=True)
    last_id = models.BigIntegerField(_("last delivered entry"), default=0)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("export cursor")
        verbose_name_plural = _("export cursors")

    def __str__(self) -> str:
        return f"{self.name} @{self.last_id}"
