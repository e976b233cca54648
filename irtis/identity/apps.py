from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    name = "irtis.identity"
    verbose_name = _("Identity")

    def ready(self) -> None:
        from . import events  # noqa: F401 (signal receivers)

        post_migrate.connect(_sync_roles, sender=self)


def _sync_roles(sender: AppConfig, using: str = "default", plan: Any = None, **kwargs: Any) -> None:
    """After every migrate: the division's roles and their default permissions exist."""
    from django.db import connections

    from irtis.audit.context import changes_by
    from irtis.audit.models import Source

    from . import roles
    from .models import ObjectPermission

    tables = connections[using].introspection.table_names()
    if not {ObjectPermission._meta.db_table, "auth_group", "audit_auditentry"} <= set(tables):
        return  # migrated backwards past the tables
    with changes_by(source=Source.SYSTEM):
        roles.sync()
