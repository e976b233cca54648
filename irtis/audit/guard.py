"""The database itself refuses to change or remove audit rows (triggers on SQLite and PostgreSQL).

PostgreSQL: UPDATE, DELETE and TRUNCATE are always refused, with one exception: the
SECURITY DEFINER function `audit_archive_purge(cutoff)`, which runs as the tables' owner and
deletes only entries already moved to a signed archive (an anchor must name the cutoff and the
entry after it must link to the anchor's hash). The trigger lets that DELETE through only
when the transaction-local flag `irtis.audit_purge` is set *and* the current role owns the table:
the application's role (which owns nothing, see `irtis.audit.roles`) can set the flag but can
never become the owner, so it has no way to delete except through the function. The test
database is emptied as the superuser with `session_replication_role = replica`
(`management/commands/flush.py`).

SQLite has no roles: whoever can write the file can do anything. The triggers there stop
mistakes and application bugs; DELETE is allowed only under a purge permit (a row in
`audit_purge_permit` inserted and removed inside the deleting transaction). A leftover permit
is reported by `verify`; the hash chain, the chained checkpoints and the signed head outside
the database (`irtis.audit.head`) are what catch a deliberate deletion.

`definitions()` reads what is installed and `check()` compares it with what this module
installs, so `verify` fails when a trigger is dropped, disabled or replaced, or a function's
body, owner or security changed. Caution: a migration that makes SQLite rebuild
`audit_auditentry` (AlterField) drops its triggers; re-run `install_sql` in it.
"""

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction

TABLES = ("audit_auditentry", "audit_auditcheckpoint", "audit_archiveanchor")
PERMIT_TABLE = "audit_purge_permit"  # SQLite only
PURGE_FLAG = "irtis.audit_purge"
PURGE_FUNCTION = "audit_archive_purge"

_SQLITE_TRIGGERS = (
    "CREATE TRIGGER {t}_no_update BEFORE UPDATE ON {t} "
    "BEGIN SELECT RAISE(ABORT, '{t} is append-only: UPDATE refused'); END",
    "CREATE TRIGGER {t}_no_delete BEFORE DELETE ON {t} "
    "WHEN NOT EXISTS (SELECT 1 FROM audit_purge_permit WHERE table_name = '{t}') "
    "BEGIN SELECT RAISE(ABORT, '{t} is append-only: DELETE refused'); END",
)
_SQLITE_KINDS = ("no_update", "no_delete")

_PG_REFUSE_BODY = f"""
BEGIN
    -- The one DELETE let through: audit_archive_purge(), running as the table's owner.
    IF TG_OP = 'DELETE' AND TG_TABLE_NAME = 'audit_auditentry'
            AND current_setting('{PURGE_FLAG}', true) = 'archive'
            AND pg_has_role(current_user,
                            (SELECT relowner FROM pg_catalog.pg_class WHERE oid = TG_RELID),
                            'USAGE') THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;
END
"""

_PG_PURGE_BODY = f"""
DECLARE
    removed bigint;
BEGIN
    IF cutoff >= (SELECT max(id) FROM audit_auditentry) OR NOT EXISTS (
        SELECT 1 FROM audit_archiveanchor a
        WHERE a.last_entry_id = cutoff AND a.last_hash = (
            SELECT e.prev_hash FROM audit_auditentry e WHERE e.id > cutoff ORDER BY e.id LIMIT 1
        )
    ) THEN
        RAISE EXCEPTION 'entries up to % are not archived: use `irtis audit archive`', cutoff;
    END IF;
    PERFORM set_config('{PURGE_FLAG}', 'archive', true);
    DELETE FROM audit_auditentry WHERE id <= cutoff;
    GET DIAGNOSTICS removed = ROW_COUNT;
    PERFORM set_config('{PURGE_FLAG}', '', true);
    RETURN removed;
END
"""

FUNCTIONS = {
    # name: (signature, returns, security definer, body)
    "audit_refuse_change": ("", "trigger", False, _PG_REFUSE_BODY),
    PURGE_FUNCTION: ("cutoff bigint", "bigint", True, _PG_PURGE_BODY),
}

_PG_TRIGGERS = (
    "CREATE TRIGGER {t}_append_only BEFORE DELETE OR UPDATE ON {t} "
    "FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()",
    "CREATE TRIGGER {t}_no_truncate BEFORE TRUNCATE ON {t} "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()",
)
_PG_KINDS = ("append_only", "no_truncate")


def _pg_function_sql(name: str) -> str:
    args, returns, definer, body = FUNCTIONS[name]
    security = " SECURITY DEFINER SET search_path FROM CURRENT" if definer else ""
    return (
        f"CREATE OR REPLACE FUNCTION {name}({args}) RETURNS {returns} LANGUAGE plpgsql"
        f"{security} AS $body${body}$body$"
    )


def install_sql(vendor: str) -> list[str]:
    """Statements that (re)create the triggers and, on PostgreSQL, the two functions.

    Idempotent: migrations run it again whenever the protection changes.
    """
    statements = drop_sql(vendor)
    if vendor == "postgresql":
        statements += [_pg_function_sql(name) for name in FUNCTIONS]
        statements.append(f"REVOKE ALL ON FUNCTION {PURGE_FUNCTION}(bigint) FROM PUBLIC")
        templates = _PG_TRIGGERS
    else:
        statements.append(
            f"CREATE TABLE IF NOT EXISTS {PERMIT_TABLE} (table_name varchar(63) NOT NULL)"
        )
        templates = _SQLITE_TRIGGERS
    return statements + [sql.format(t=table) for table in TABLES for sql in templates]


def drop_sql(vendor: str) -> list[str]:
    """Statements that remove the triggers (the functions and the permit table stay)."""
    if vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {t}_{k} ON {t}" for t in TABLES for k in _PG_KINDS]
    return [f"DROP TRIGGER IF EXISTS {t}_{k}" for t in TABLES for k in _SQLITE_KINDS]


def _expected(vendor: str) -> dict[str, str]:
    """What `definitions()` reads when the protection is exactly as installed here."""
    if vendor != "postgresql":
        return {
            f"trigger {name}": sql.format(t=table)
            for table in TABLES
            for name, sql in zip(
                (f"{table}_{k}" for k in _SQLITE_KINDS), _SQLITE_TRIGGERS, strict=True
            )
        }
    prefix = schema()
    expected = {}
    for table in TABLES:
        for kind, sql in zip(_PG_KINDS, _PG_TRIGGERS, strict=True):
            definition = sql.format(t=table).replace(f" ON {table} ", f" ON {prefix}.{table} ")
            expected[f"trigger {table}_{kind}"] = f"{definition} [enabled]"
    for name, (_, _, definer, body) in FUNCTIONS.items():
        expected[f"function {name}"] = f"{body} [definer={definer}]"
    return expected


def schema() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        return cursor.fetchone()[0]


def definitions() -> dict[str, str]:
    """The protecting triggers and functions as the database has them now."""
    found: dict[str, str] = {}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname, pg_get_triggerdef(t.oid), tgenabled FROM pg_trigger t "
                "WHERE NOT tgisinternal AND tgrelid = ANY(%s::regclass[])",
                [list(TABLES)],
            )
            for name, definition, enabled in cursor.fetchall():
                state = "enabled" if enabled == "O" else f"state {enabled}"
                found[f"trigger {name}"] = f"{definition} [{state}]"
            # Owned by the tables' owner: a definer function owned by anyone else could not
            # delete, and one owned by the application's role could be replaced by it.
            cursor.execute(
                "SELECT p.proname, p.prosrc, p.prosecdef, p.proowner = c.relowner "
                "FROM pg_proc p JOIN pg_class c ON c.oid = 'audit_auditentry'::regclass "
                "WHERE p.proname = ANY(%s) AND p.pronamespace = c.relnamespace",
                [list(FUNCTIONS)],
            )
            for name, body, definer, same_owner in cursor.fetchall():
                owner = "" if same_owner else " [owner differs from the tables']"
                found[f"function {name}"] = f"{body} [definer={definer}]{owner}"
        else:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN "
                f"({', '.join(['%s'] * len(TABLES))})",
                list(TABLES),
            )
            found = {f"trigger {name}": sql for name, sql in cursor.fetchall()}
    return found


def fingerprint(found: dict[str, str]) -> str:
    """One SHA-256 over the definitions, for the report."""
    digest = hashlib.sha256()
    for name in sorted(found):
        digest.update(f"{name}\0{found[name]}\0".encode())
    return digest.hexdigest()


def check() -> list[str]:
    """What is missing, disabled or changed in the protection (empty: exactly as installed)."""
    expected, found = _expected(connection.vendor), definitions()
    problems = [
        f"{name} is missing" if name not in found else f"{name} was changed or disabled"
        for name in sorted(expected)
        if found.get(name) != expected[name]
    ]
    problems += [f"{name} was added" for name in sorted(set(found) - set(expected))]
    if connection.vendor != "postgresql" and _leftover_permits():
        problems.append(f"{PERMIT_TABLE} holds a committed purge permit")
    return problems


def installed() -> bool:
    """Is the protection present and unchanged in the current database?"""
    return not check()


def _leftover_permits() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {PERMIT_TABLE}")
        return cursor.fetchone()[0]


def purge_archived(cutoff: int) -> int:
    """Delete the entries up to `cutoff`, already written to a signed archive and anchored."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SELECT {PURGE_FUNCTION}(%s)", [cutoff])
            return cursor.fetchone()[0]
        with purge_permit("audit_auditentry"):
            cursor.execute("DELETE FROM audit_auditentry WHERE id <= %s", [cutoff])
            return cursor.rowcount


@contextmanager
def purge_permit(*tables: str, using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """SQLite: allow DELETE on `tables` inside this block's transaction only.

    On success the permit is removed before commit; on error the rollback removes it.
    """
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        for table in tables:
            cursor.execute(f"INSERT INTO {PERMIT_TABLE} (table_name) VALUES (%s)", [table])
        yield
        cursor.execute(f"DELETE FROM {PERMIT_TABLE}")
