"""`migrate` as the database owner when IRTIS_DATABASE_OWNER_URL is set (see irtis.audit.roles).

The owner creates and owns every table and the audit trail's triggers and functions; after
the migrations it grants the application's role (the user of IRTIS_DATABASE_URL) what it
needs, again each time, so tables added by new migrations are covered.
"""

from typing import Any

from django.core.management.base import CommandError
from django.core.management.commands import migrate
from django.db import connection

from irtis.audit import roles


class Command(migrate.Command):
    def handle(self, *args: Any, **options: Any) -> None:
        owner = roles.owner_settings()
        if owner is None:
            super().handle(*args, **options)
            return
        if connection.vendor != "postgresql":
            raise CommandError(f"{roles.OWNER_URL} is for PostgreSQL only")
        app_role = connection.settings_dict["USER"]
        with roles.as_owner(owner):
            super().handle(*args, **options)
            if app_role and app_role != owner["USER"]:
                roles.grant(app_role)
