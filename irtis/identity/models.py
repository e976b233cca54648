"""Staff accounts: local or Active Directory."""

from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A member of staff who signs in to irtis."""

    department = models.CharField(_("department"), max_length=200, blank=True)
    backend: str  # the authentication backend, set by django.contrib.auth.authenticate()
    # Where the account lives: "ad" accounts are created and synced by identity.ldap at sign-in.
    source = models.CharField(
        _("source"), max_length=8, default="local",
        choices=[("local", _("local")), ("ad", _("Active Directory"))],
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]


class APIToken(models.Model):
    """A bearer token for the REST API. Only its SHA-256 hash is stored; it is shown once."""

    user = models.ForeignKey(User, models.CASCADE, related_name="tokens", verbose_name=_("user"))
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(_("prefix"), max_length=8)
    description = models.CharField(_("description"), max_length=200, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    expires = models.DateTimeField(_("expires"), null=True, blank=True)
    read_only = models.BooleanField(_("read only"), default=False)
    allowed_networks = models.JSONField(
        _("allowed source networks"), default=list, blank=True,
        help_text=_("CIDR networks the token may be used from; empty means any."),
    )
    last_used = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked = models.DateTimeField(_("revoked"), null=True, blank=True)
    # When a `token_used` audit entry was last written: at most one an hour per token.
    use_recorded = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"


class ObjectPermission(models.Model):
    """Grants actions on object types to groups (roles) and users, optionally constrained.

    `constraints` is a Django filter dict such as ``{"site__code__in": ["MED", "SAL"]}``, or a
    list of them meaning OR; empty means every object of the types. ``"$user"`` stands for
    the id of the user asking.
    """

    ACTIONS = ("view", "add", "change", "delete", "import", "export")
    ACTION_CHOICES = [
        ("view", _("view")), ("add", _("add")), ("change", _("change")),
        ("delete", _("delete")), ("import", _("import")), ("export", _("export")),
    ]

    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.CharField(_("description"), max_length=200, blank=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    groups = models.ManyToManyField(
        "auth.Group", blank=True, related_name="object_permissions", verbose_name=_("roles"),
    )
    users = models.ManyToManyField(
        User, blank=True, related_name="object_permissions", verbose_name=_("users"),
    )
    object_types = models.ManyToManyField(
        "contenttypes.ContentType", related_name="+", verbose_name=_("object types"),
    )
    actions = models.JSONField(_("actions"), default=list)
    constraints = models.JSONField(
        _("constraints"), null=True, blank=True,
        help_text=_('A filter such as {"site__code__in": ["MED", "SAL"]}, or a list of them '
                    "(any may match). Empty: all objects."),
    )
    # Created and kept up to date by `irtis roles sync`; its grants follow the role definitions.
    managed = models.BooleanField(_("managed by irtis"), default=False, editable=False)
    _snapshot: dict[str, Any]  # the values as loaded, for the audit entry of a change (identity.events)

    class Meta:
        verbose_name = _("permission")
        verbose_name_plural = _("permissions")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SignInFailure(models.Model):
    """A failed sign-in (password or second factor), counted for throttling and lockout."""

    time = models.DateTimeField(default=timezone.now, db_index=True)
    username = models.CharField(max_length=150, db_index=True)
    source_ip = models.GenericIPAddressField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["time"]

    def __str__(self) -> str:
        return f"{self.time:%Y-%m-%d %H:%M:%S} {self.username} {self.source_ip or ''}"


class TokenRefusal(models.Model):
    """Refused API token requests from one source for one reason in one interval: the trail gets
    the first of them (and the moment they are rate-limited), this row their number."""

    source_ip = models.CharField(max_length=45, blank=True)  # empty: unknown (never null: unique)
    reason = models.CharField(max_length=20)
    prefix = models.CharField(max_length=8, blank=True)  # of a known token; empty for garbage
    start = models.DateTimeField(db_index=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source_ip", "reason", "prefix", "start"], name="token_refusal_interval"
            )
        ]

    def __str__(self) -> str:
        return f"{self.start:%Y-%m-%d %H:%M} {self.source_ip} {self.reason} ×{self.count}"


class TOTPDevice(models.Model):
    """The user's authenticator app: a TOTP secret (RFC 6238), confirmed by a first code."""

    user = models.OneToOneField(User, models.CASCADE, related_name="totp", verbose_name=_("user"))
    secret = models.CharField(max_length=64)
    confirmed = models.DateTimeField(_("enrolled"), null=True, blank=True)
    last_step = models.BigIntegerField(default=0)  # last accepted time step: no code is used twice

    class Meta:
        verbose_name = _("authenticator")
        verbose_name_plural = _("authenticators")

    def __str__(self) -> str:
        return str(self.user)


class RecoveryCode(models.Model):
    """A single-use code replacing the authenticator; only its keyed hash is stored."""

    user = models.ForeignKey(User, models.CASCADE, related_name="recovery_codes")
    digest = models.CharField(max_length=64, unique=True)
    used = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user} {'used' if self.used else 'unused'}"
