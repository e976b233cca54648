"""Two database roles on PostgreSQL: the owner migrates, the application only reads and appends.

The audit trail's triggers and functions protect it only from a role that cannot replace them:
so the tables and functions belong to an owner role (IRTIS_DATABASE_OWNER_URL, used by
`irtis migrate` alone), and irtis runs as a role (IRTIS_DATABASE_URL) that gets what it needs:
read and write on the application's tables, only SELECT and INSERT on the audit tables, and
EXECUTE on `audit_archive_purge` (the one way to remove archived entries). `irtis serve` and
`irtis worker` refuse to start as the owner or a superuser unless IRTIS_ALLOW_PRIVILEGED_DATABASE
says so (the test suite, which creates and drops databases as `postgres`).

SQLite has no roles: whoever may write the database file may do anything to it.
"""

import os
from collections.abc import Iterator
from contextlib import contextmanager

import dj_database_url
from django.core.management.base import CommandError
from django.db import connection

from . import conf, guard

OWNER_URL = "IRTIS_DATABASE_OWNER_URL"


def privileges() -> list[str]:
    """Why the current connection's role is too powerful for the application (empty: it is not)."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user")
        user, superuser = cursor.fetchone()
        if superuser:
            return [f"{user} is a superuser"]
        cursor.execute(
            "SELECT c.relname, pg_has_role(current_user, c.relowner, 'USAGE'), "
            "has_table_privilege(c.oid, 'UPDATE') OR has_table_privilege(c.oid, 'DELETE') "
            "OR has_table_privilege(c.oid, 'TRUNCATE') "
            "FROM pg_class c WHERE c.oid IN (SELECT to_regclass(t) FROM unnest(%s::text[]) t) "
            "ORDER BY c.relname",  # to_regclass: before the first migration there are none
            [list(guard.TABLES)],
        )
        found = []
        for table, owner, writes in cursor.fetchall():
            if owner:
                found.append(f"{user} owns {table}")
            elif writes:
                found.append(f"{user} may update or delete {table}")
        cursor.execute(
            "SELECT p.proname FROM pg_proc p WHERE p.proname = ANY(%s) "
            "AND pg_has_role(current_user, p.proowner, 'USAGE') ORDER BY p.proname",
            [list(guard.FUNCTIONS)],
        )
        found += [f"{user} owns the function {name}" for (name,) in cursor.fetchall()]
    return found


def refuse_privileged(command: str) -> None:
    """Stop `command` (serve, worker) when it would run as the owner or a superuser."""
    if conf.get("IRTIS_ALLOW_PRIVILEGED_DATABASE") or not (found := privileges()):
        return
    raise CommandError(
        f"irtis {command} refuses to run as a database role that can change the audit trail "
        f"({'; '.join(found)}). Connect as the application's role (IRTIS_DATABASE_URL) and "
        f"migrate as the owner ({OWNER_URL}); see the README's deployment section. "
        "IRTIS_ALLOW_PRIVILEGED_DATABASE=true overrides this (tests only)."
    )


def owner_settings() -> dict | None:
    """The owner's connection settings from IRTIS_DATABASE_OWNER_URL, if it is set."""
    url = os.environ.get(OWNER_URL, "")
    return dict(dj_database_url.parse(url)) if url else None


@contextmanager
def as_owner(owner: dict) -> Iterator[None]:
    """Point the default connection at the owner's role for the duration of the block."""
    keys = ("NAME", "USER", "PASSWORD", "HOST", "PORT")
    saved = {key: connection.settings_dict.get(key) for key in keys}
    connection.close()
    connection.settings_dict.update({key: owner.get(key) for key in keys})
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.update(saved)


def grant_sql(app_role: str) -> list[str]:
    """What the application's role may do, granted by the owner after every migration."""
    quote = connection.ops.quote_name
    role, schema = quote(app_role), quote(guard.schema())
    return [
        f"GRANT USAGE ON SCHEMA {schema} TO {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {role}",
        f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {', '.join(guard.TABLES)} "
        f"FROM {role}",
        f"GRANT EXECUTE ON FUNCTION {guard.PURGE_FUNCTION}(bigint) TO {role}",
    ]


def grant(app_role: str) -> None:
    with connection.cursor() as cursor:
        for sql in grant_sql(app_role):
            cursor.execute(sql)
