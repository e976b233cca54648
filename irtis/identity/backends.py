"""Authentication backends: local passwords, and `user.has_perm()` answered from ObjectPermission.

Django's own model permissions (auth_permission rows given to users and groups) are not used:
every right is an ObjectPermission. So the password backend asks nothing about them, which
spares two queries on each page that asks `has_perm`.
"""

from typing import Any

from django.contrib.auth.backends import BaseBackend, ModelBackend

from irtis.core import permissions


class PasswordBackend(ModelBackend):
    """Local accounts (break-glass administrators, and every account where AD is not used)
    signed in by password; their rights are ObjectPermissionBackend's."""

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return set()


class ObjectPermissionBackend(BaseBackend):
    """`user.has_perm("app.action_model")` answered from ObjectPermission, like the pages do.

    It authenticates nobody. A permission with constraints counts here as "some objects": code
    that acts on objects must use `irtis.core.permissions.restrict`."""

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        right = permissions.right(perm)
        return right is not None and permissions.has(user_obj, *right)

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if not getattr(user_obj, "is_active", False) or obj is not None:
            return set()
        result = set()
        for label, action in permissions.grants(user_obj):
            app_label, _, model_name = label.partition(".")
            result.add(f"{app_label}.{action}_{model_name}")
        return result
