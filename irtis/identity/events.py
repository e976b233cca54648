"""Security events of identity written to the audit trail: roles, permissions, sign-ins, tokens.

Role changes (a user's groups) and permission changes (an ObjectPermission saved, deleted or
its roles, users or object types changed) are caught by signals, so the shell, commands, the
directory sync and pages are all covered.
"""

from dataclasses import replace
from typing import Any

from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_out
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from django.http import HttpRequest

from irtis.audit import context, trail
from irtis.audit.models import Action, AuditEntry
from irtis.core import permissions
from irtis.core.changes import change_entry

from .models import ObjectPermission, User


def record(
    action: str,
    object_repr: str = "",
    before: Any = None,
    after: Any = None,
    user: Any = None,
    source_ip: str | None = None,
    **values: Any,
) -> AuditEntry:
    """Append one entry attributed to the current context (or to `user`, from `source_ip`)."""
    ctx = context.current()
    if user is not None:
        ctx = replace(ctx, user=user)
    if source_ip is not None:
        ctx = replace(ctx, source_ip=source_ip)
    entry = ctx.entry(
        action=action, object_repr=str(object_repr)[:200], before=before, after=after, **values
    )
    with transaction.atomic():
        trail.append([entry])
    return entry


def about(user: Any) -> dict[str, Any]:
    """The audit fields naming a user account as the object of an entry."""

    if getattr(user, "pk", None) is None:
        return {}
    return {"content_type": ContentType.objects.get_for_model(User), "object_id": user.pk}


def client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


# --- roles and permissions ---------------------------------------------------------------------

_PERMISSION_FIELDS = {
    ObjectPermission.groups.through: "groups",
    ObjectPermission.users.through: "users",
    ObjectPermission.object_types.through: "object_types",
}


@receiver(m2m_changed)
def _relation_changed(
    sender: type,
    instance: models.Model,
    action: str,
    reverse: bool,
    model: type[models.Model],
    pk_set: set[int] | None,
    **kwargs: Any,
) -> None:
    if action not in {"post_add", "post_remove", "pre_clear", "post_clear"}:
        return
    if sender is User.groups.through:
        _groups_changed(instance, action, reverse, model, pk_set)
    elif sender in _PERMISSION_FIELDS and reverse and action in {"post_add", "post_remove"}:
        _permissions_changed_from(instance, _PERMISSION_FIELDS[sender], action, pk_set)


def _permissions_changed_from(
    instance: models.Model, field: str, action: str, pk_set: set[int] | None
) -> None:
    """A role, user or type gained or lost permissions (`role.object_permissions.add(p)`): a
    change record on each permission, as core writes for changes made from its side."""
    for perm in ObjectPermission.objects.filter(pk__in=pk_set or ()):
        now = sorted(getattr(perm, field).values_list("pk", flat=True))
        was = sorted(set(now) - {instance.pk}) if action == "post_add" else sorted({*now, instance.pk})
        trail.append([change_entry(perm, Action.UPDATE, {field: was}, {field: now})])


def _groups_changed(
    instance: Any,  # a user, or a role
    action: str,
    reverse: bool,
    model: type[models.Model],
    pk_set: set[int] | None,
) -> None:
    users = [instance] if not reverse else list(User.objects.filter(pk__in=pk_set or ()))
    if reverse and action in {"pre_clear", "post_clear"}:
        if action == "pre_clear":
            instance._cleared_users = list(instance.user_set.all())
            return
        users = getattr(instance, "_cleared_users", [])
    for user in users:
        now = set(user.groups.values_list("name", flat=True))
        if reverse:
            changed = {instance.name}
        elif action == "pre_clear":
            user._cleared_groups = now
            continue
        elif action == "post_clear":
            changed = getattr(user, "_cleared_groups", set())
        else:
            changed = set(Group.objects.filter(pk__in=pk_set or ()).values_list("name", flat=True))
        was = now - changed if action == "post_add" else now | changed
        if was != now:
            record(
                Action.ROLE_CHANGED,
                user.get_username(),
                {"roles": sorted(was)},
                {"roles": sorted(now)},
                **about(user),
            )
        permissions.forget(user)


# --- signing out ------------------------------------------------------------------------------


@receiver(user_logged_out)
def _signed_out(sender: type, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is not None and getattr(user, "is_authenticated", False):
        record(
            Action.LOGOUT,
            user.get_username(),
            user=user,
            source_ip=client_ip(request) if request is not None else None,
            **about(user),
        )
