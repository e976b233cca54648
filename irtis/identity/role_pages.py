"""Read-only pages of the roles (`auth.Group`): who holds each, and what its permissions grant,
model by model in the menu's groups. Roles are given on the user's form; grants are changed
through permissions (the managed ones by `irtis roles sync`)."""

from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from irtis.core import navigation, permissions, registry

from . import roles
from .models import ObjectPermission, User


@dataclass
class Grant:
    """What a role may do with one model: actions in full, and those only on some objects."""

    entry: registry.ModelEntry
    actions: set[str] = field(default_factory=set)
    constrained: set[str] = field(default_factory=set)

    def cells(self) -> list[str]:
        """Per action of ObjectPermission.ACTIONS: "all", "some" or ""."""
        return ["all" if a in self.actions else "some" if a in self.constrained else ""
                for a in ObjectPermission.ACTIONS]


def _may_read(request: HttpRequest) -> None:
    if not permissions.has(request.user, ObjectPermission, "view"):
        raise PermissionDenied


@login_required
def role_list(request: HttpRequest) -> HttpResponse:
    _may_read(request)
    groups = Group.objects.annotate(
        members=Count("user", distinct=True), grants=Count("object_permissions", distinct=True),
    ).order_by("name")
    rows = [(group, roles.label(group.name)) for group in groups]
    return render(request, "identity/roles.html", {"rows": rows})


def matrix(perms: list[ObjectPermission]) -> list[tuple[str, list[Grant]]]:
    """The enabled permissions' grants per model, in the menu's groups and order."""
    entries: dict[type[models.Model], registry.ModelEntry] = {e.model: e for e in registry.entries()}
    by_type = {ct.pk: Grant(entries[model]) for model, ct in ContentType.objects.get_for_models(*entries).items()}
    for perm in perms:
        if not perm.enabled:
            continue
        for content_type in perm.object_types.all():
            grant = by_type.get(content_type.pk)
            if grant is not None:
                (grant.constrained if perm.constraints else grant.actions).update(perm.actions)
    granted = [g for g in by_type.values() if g.actions or g.constrained]
    return [
        (str(group.label), [g for g in granted if g.entry.group == group.key])
        for group in navigation.GROUPS if any(g.entry.group == group.key for g in granted)
    ]


@login_required
def role_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _may_read(request)
    group = get_object_or_404(Group, pk=pk)
    members = User.objects.filter(groups=group).order_by("username")
    perms = list(group.object_permissions.prefetch_related(Prefetch("object_types")).order_by("name"))
    return render(request, "identity/role.html", {
        "group": group, "label": roles.label(group.name), "members": members, "perms": perms,
        "matrix": matrix(perms), "actions": ObjectPermission.ACTION_CHOICES,
    })
