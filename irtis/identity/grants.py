"""The object permissions given to a user, for `irtis.core.permissions` (`IRTIS_PERMISSION_GRANTS`):
core decides what they allow, identity keeps them."""

from typing import Any

from django.db import models

from irtis.core.permissions import Granted

from .models import GrantsVersion, ObjectPermission


def granted(user: Any, known: str | None) -> tuple[str | None, Granted | None]:
    """The grants' version (`GrantsVersion`) and, unless it is `known`, (name, actions,
    constraints, model labels) of every enabled permission given to the user or to one of
    their roles (groups). One query when the version is known, else three (two when the user
    has no permission). The version is None when there is none to be had (a database being
    emptied): the caller keeps nothing."""
    version = GrantsVersion.objects.values_list("token", flat=True).first()
    if version is not None and version == known:
        return version, None
    return version, _permissions(user)


def _permissions(user: Any) -> Granted:
    rows = list(
        ObjectPermission.objects.filter(enabled=True)
        .filter(models.Q(users=user) | models.Q(groups__user=user))
        .distinct()
        .values_list("pk", "name", "actions", "constraints")
    )
    if not rows:
        return []
    types = ObjectPermission.object_types.through.objects.filter(
        objectpermission_id__in=[r[0] for r in rows]
    ).values_list("objectpermission_id", "contenttype__app_label", "contenttype__model")
    labels: dict[int, list[str]] = {}
    for pk, app_label, model_name in types:
        labels.setdefault(pk, []).append(f"{app_label}.{model_name}")
    return [(name, actions, constraints, labels.get(pk, [])) for pk, name, actions, constraints in rows]
