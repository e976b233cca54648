"""Staff accounts: local or Active Directory."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A member of staff who signs in to irtis."""

    department = models.CharField(_("department"), max_length=200, blank=True)
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

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"
