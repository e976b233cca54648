"""`flush` that may empty the append-only audit tables only in a test database.

Django's test machinery (TransactionTestCase, pytest-django's `transactional_db`) empties every
table with `call_command("flush")` between tests; the audit triggers would refuse that. Here the
flush gets past them when, and only when, the connection is using the test database Django
created: on PostgreSQL with `session_replication_role = replica` for the flush's transaction
(which only a superuser may set; the test suite connects as one), on SQLite under a purge
permit. On any other database the triggers refuse and the flush rolls back entirely: production
audit rows are never removed this way (use `irtis audit archive`).

In a test database only the tables that hold rows are emptied, with DELETE: a test fills a few
dozen of the four hundred tables, and PostgreSQL's TRUNCATE of all of them took two seconds
after each transactional test. (With the triggers off, DELETE checks no foreign keys either.)
"""

from typing import Any

from django.core.management.commands import flush
from django.core.management.sql import emit_post_migrate_signal
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
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


def _empty_filled_tables(connection: BaseDatabaseWrapper) -> None:
    """DELETE the rows of every table that has any (one query finds them)."""
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(
            f"SELECT %s WHERE EXISTS (SELECT 1 FROM {quote(table)})" for table in tables), tables)
        for (table,) in cursor.fetchall():
            cursor.execute(f"DELETE FROM {quote(table)}")


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        alias = options.get("database") or DEFAULT_DB_ALIAS
        connection = connections[alias]
        if not is_test_database(alias) or guard.TABLES[0] not in connection.introspection.table_names():
            return super().handle(**options)
        if options.get("reset_sequences", True):  # by hand: Django's flush, sequences restarted
            return self._unguarded(connection, super().handle, **options)
        self._unguarded(connection, self._empty, **options)

    def _empty(self, database: str, verbosity: int, interactive: bool, **options: Any) -> None:
        """What the test runner asks for: the rows gone, then post_migrate (content types,
        permissions, roles) as Django's flush does."""
        _empty_filled_tables(connections[database])
        if not options.get("inhibit_post_migrate", False):
            emit_post_migrate_signal(verbosity, interactive, database)

    def _unguarded(self, connection: BaseDatabaseWrapper, flushing: Any, **options: Any) -> None:
        """Run `flushing` past the audit triggers, in one transaction."""
        if connection.vendor == "postgresql":
            with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = replica")
                flushing(**options)
            return
        with guard.purge_permit(*guard.TABLES, using=connection.alias):
            flushing(**options)
