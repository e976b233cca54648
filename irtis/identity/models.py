"""Staff accounts: local or Active Directory."""

import ast
import json
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import AbstractUser, Group
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from irtis.core import collation, permissions, registry
from irtis.core.models import BaseModel
from irtis.core.names import NameField
from irtis.core.registry import register

# Fields of an Active Directory account that its sign-in copies from the directory.
AD_FIELDS = ("username", "first_name", "last_name", "email", "department")


def unusable_password() -> str:
    """A new account has no password until one is set through a password flow (with the
    policy): `irtis changepassword`, or the directory for an Active Directory account."""
    return make_password(None)


def _read_only(account: "User", actor: Any) -> tuple[str, ...]:
    """What the directory manages, and the superuser flag for whoever is not one."""
    fields: tuple[str, ...] = (*AD_FIELDS, "groups") if account.source == "ad" else ()
    return fields if getattr(actor, "is_superuser", False) else (*fields, "is_superuser")


def _beyond(actor: Any) -> models.Q:
    """Accounts a non-superuser may not create, change or delete: superusers, and holders of a
    role that grants something he is not granted himself without a constraint. So nobody gives
    a role with more rights than his own, to himself or another, nor manages an account that
    has them."""
    if "_roles_beyond" not in actor.__dict__:  # once per request, before any write of it
        held = permissions.grants(actor)
        roles = (ObjectPermission.objects.filter(enabled=True, groups__isnull=False)
                 .values_list("groups", "actions", "object_types__app_label", "object_types__model"))
        actor._roles_beyond = {
            role for role, actions, app_label, model in roles
            if any((f"{app_label}.{model}", action) not in held
                   or permissions.constraint(actor, f"{app_label}.{model}", action) is not None
                   for action in actions)
        }
    return models.Q(is_superuser=True) | models.Q(groups__in=actor._roles_beyond)


def _with_second_factor(queryset: models.QuerySet) -> models.QuerySet:
    """Whether each user has enrolled an authenticator (a list column)."""
    enrolled = TOTPDevice.objects.filter(user=models.OuterRef("pk"), confirmed__isnull=False)
    return queryset.annotate(second_factor=models.Exists(enrolled))


@register(group="admin", key="username",
          columns=("username", "first_name", "last_name", "department", "source", "is_active", "groups",
                   "second_factor", "last_login"),
          queryset=_with_second_factor, labels={"second_factor": _("second factor")},
          filters=("source", "is_active", "is_superuser"), search=("first_name", "last_name", "email", "department"),
          hidden=("password", "is_staff", "user_permissions"), unversioned=("last_login",),
          read_only=_read_only, superusers_only=_beyond)
class User(BaseModel, AbstractUser):
    """A member of staff who signs in to irtis.

    Roles are its groups. The password is never a field of its pages, files or API: it is set
    with the password policy by `irtis changepassword` or its user (`/account/password/`).
    """

    password = models.CharField(_("password"), max_length=128, default=unusable_password)
    last_login = models.DateTimeField(_("last sign-in"), blank=True, null=True, editable=False)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now, editable=False)
    groups = models.ManyToManyField(  # type: ignore[assignment]  # the same relation, named "roles"
        Group, blank=True, related_name="user_set", related_query_name="user", verbose_name=_("roles"),
    )
    department = models.CharField(_("department"), max_length=200, blank=True)
    backend: str  # the authentication backend, set by django.contrib.auth.authenticate()
    # Where the account lives: "ad" accounts are created and synced by identity.ldap at sign-in.
    source = models.CharField(
        _("source"), max_length=8, default="local", editable=False,
        choices=[("local", _("local")), ("ad", _("Active Directory"))],
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]
        indexes = [collation.index("username", "identity_user_lt")]

    def clean(self) -> None:
        """An Active Directory account's names, e-mail and department come from the directory."""
        super().clean()
        loaded = getattr(self, "_loaded", None)
        if self.source != "ad" or loaded is None:
            return
        changed = [name for name in AD_FIELDS if name in loaded and getattr(self, name) != loaded[name]]
        if changed:
            message = _("Managed in Active Directory: change it there.")
            raise ValidationError(dict.fromkeys(changed, message))


class APIToken(models.Model):
    """A bearer token for the REST API. Only its SHA-256 hash is stored; it is shown once."""

    user = models.ForeignKey(User, models.CASCADE, related_name="tokens", verbose_name=_("user"))
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(pgettext_lazy("token", "prefix"), max_length=8)
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


def _parsed(text: str) -> Any:
    """A value written in a file: JSON, or the Python notation an export may hold; else the text
    itself, for validation to name."""
    try:
        return json.loads(text)
    except ValueError:
        pass
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return text


class ActionsField(models.JSONField):
    """The actions a permission grants: a list of `ObjectPermission.ACTIONS`, chosen with
    checkboxes, written in a file as a list (`["view", "export"]`) or as words (`view, export`)."""

    def formfield(self, *args: Any, **kwargs: Any) -> Any:  # a list of choices, not JSON text
        from django import forms

        return forms.MultipleChoiceField(
            label=self.verbose_name, choices=ObjectPermission.ACTION_CHOICES,
            widget=forms.CheckboxSelectMultiple, required=not self.blank,
        )

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                return _parsed(text)
            return [word.strip() for word in text.replace(";", ",").split(",") if word.strip()]
        return value


class ConstraintsField(models.JSONField):
    """A filter or a list of filters; a file's cell holds it as JSON (or as an export wrote it)."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            return _parsed(value.strip()) if value.strip() else None
        return value


def _permission_types() -> models.Q:
    """Object types a permission may name: registered models and the security models."""
    from . import roles

    labels = {e.label for e in registry.entries()} | {roles.AUDIT, *roles.IDENTITY, roles.MAIL_LOG}
    query = models.Q(pk__in=[])
    for label in labels:
        app_label, model = label.split(".")
        query |= models.Q(app_label=app_label, model=model)
    return query


@register(group="admin", columns=("name", "enabled", "actions", "object_types", "description"),
          filters=("enabled", "managed"), search=("description",))
class ObjectPermission(BaseModel):
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

    name = NameField(_("name"), max_length=100, unique=True)
    description = models.CharField(_("description"), max_length=200, blank=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    groups = models.ManyToManyField(
        "auth.Group", blank=True, related_name="object_permissions", verbose_name=_("roles"),
    )
    users = models.ManyToManyField(
        User, blank=True, related_name="object_permissions", verbose_name=_("users"),
    )
    object_types = models.ManyToManyField(
        "contenttypes.ContentType", blank=True, related_name="+", verbose_name=_("object types"),
        limit_choices_to=_permission_types,  # a permission naming no type grants nothing (yet)
    )
    actions = ActionsField(_("actions"), default=list)
    constraints = ConstraintsField(
        _("constraints"), null=True, blank=True,
        help_text=_('A filter such as {"site__code__in": ["MED", "SAL"]}, or a list of them '
                    "(any may match). Empty: all objects."),
    )
    # Created and kept up to date by `irtis roles sync`; its grants follow the role definitions.
    managed = models.BooleanField(_("managed by irtis"), default=False, editable=False)

    class Meta:
        verbose_name = _("permission")
        verbose_name_plural = _("permissions")
        ordering = ["name"]
        indexes = [collation.index("name", "identity_objectpermission_lt")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """Actions are known ones; constraints are a filter or a list of filters that fit the
        object types already chosen (a type added later is checked when the grant is read:
        constraints that do not fit it grant nothing there, and a warning is logged)."""
        errors: dict[str, Any] = {}
        if not isinstance(self.actions, list) or not self.actions or not all(
            isinstance(a, str) and a in self.ACTIONS for a in self.actions
        ):
            errors["actions"] = _("Choose actions among: %(actions)s.") % {"actions": ", ".join(self.ACTIONS)}
        else:
            self.actions = list(dict.fromkeys(self.actions))
        if self.constraints in ({}, [], ""):
            self.constraints = None
        if self.constraints is not None:
            items = self.constraints if isinstance(self.constraints, list) else [self.constraints]
            if not all(isinstance(i, dict) and i for i in items):
                errors["constraints"] = _("Write a filter object, or a list of them.")
            elif self.pk:
                errors.update(self._unfit_constraints())
        if errors:
            raise ValidationError(errors)

    def _unfit_constraints(self) -> dict[str, Any]:
        from irtis.core.permissions import constraint_q

        for content_type in self.object_types.all():
            model = content_type.model_class()
            if model is not None and constraint_q(self.constraints, User(pk=0), model) is False:
                return {"constraints": _("These constraints do not fit %(model)s.")
                        % {"model": model._meta.verbose_name_plural}}
        return {}


class GrantsVersion(models.Model):
    """One row whose token the database changes with every write to object permissions, their
    users, roles and types, and to role membership (triggers: migration 0008): a user's
    permissions are kept between requests while it is unchanged. A new random token, not a
    counter, so that a rolled-back change never meets the token of another made later."""

    token = models.CharField(max_length=32)

    def __str__(self) -> str:
        return self.token


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
