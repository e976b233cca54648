"""`flush` that may empty the append-only audit tables only in a test database.

Django's test machinery (TransactionTestCase, pytest-django's `transactional_db`) empties every
table with `call_command("flush")` between tests; the audit triggers would refuse that. Here the
flush gets past them when, and only when, the connection is using the test database Django
created: on PostgreSQL with `session_replication_role = replica` for the flush's transaction
(which only a superuser may set; the test suite connects as one), on SQLite under a purge
permit. On any other database the triggers refuse and the flush rolls back entirely: production
audit rows are never removed this way (use `irtis audit archive`).
"""

from typing import Any

from django.core.management.commands import flush
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.test.utils import _TestState

from irtis.audit import guard


def is_test_database(alias: str) -> bool:
    """Is the test runner active and this connection on the database it created?

    `setup_test_environment()` (Django's runner, pytest-django) leaves `_TestState.saved_data`;
    the test database is named `test_…` or TEST["NAME"], or is SQLite's shared in-memory one.
    """
    if not hasattr(_TestState, "saved_data"):
        return False
    settings_dict = connections[alias].settings_dict
    name = str(settings_dict["NAME"])
    return (
        name == settings_dict.get("TEST", {}).get("NAME")
        or name.startswith("test_")
        or name.startswith("file:memorydb_")
    )


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        alias = options.get("database") or DEFAULT_DB_ALIAS
        connection = connections[alias]
        if not is_test_database(alias) or guard.TABLES[0] not in connection.introspection.table_names():
            return super().handle(**options)
        if connection.vendor == "postgresql":
            with transaction.atomic(using=alias), connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = replica")
                return super().handle(**options)
        with guard.purge_permit(*guard.TABLES, using=alias):
            return super().handle(**options)
