"""Authorisation in one place: who may do what with which objects.

Every view, API endpoint, search, import and export asks `allowed` and `restrict`.
"""

from django.db import models

from .registry import ModelEntry

# Import creates and changes objects; export reads them.
_PERMISSION_FOR = {"import": "add", "export": "view"}


def allowed(user: object, entry: ModelEntry, action: str) -> bool:
    """May the user perform `action` (view, add, change, delete, import, export) on the model?"""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    codename = f"{_PERMISSION_FOR.get(action, action)}_{entry.model_name}"
    return user.has_perm(f"{entry.app_label}.{codename}")


def restrict(queryset: models.QuerySet, user: object, action: str = "view") -> models.QuerySet:
    """The part of `queryset` the user may act on."""
    from .registry import entry_for

    entry = entry_for(queryset.model)
    if entry is None or not allowed(user, entry, action):
        return queryset.none()
    return queryset
