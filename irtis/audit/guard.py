"""The database itself refuses to change or remove audit rows (triggers on SQLite and PostgreSQL).

UPDATE is always refused. DELETE (and TRUNCATE on PostgreSQL) is refused unless the deleting
transaction holds a *purge permit*: a row in `audit_purge_permit` naming the table. The permit is
inserted and removed inside that one transaction, so no other connection ever sees it (SQLite has
a single writer; PostgreSQL never shows uncommitted rows). Only two code paths take a permit:
`irtis audit archive` (entries already written to a signed file) and the test-database flush
(`management/commands/flush.py`). A SQLite trigger in `main` cannot read TEMP tables and a
GUC exists only on PostgreSQL, so a plain table is the one mechanism that works on both.

An attacker with the database owner's rights can still drop the triggers; the hash chain and the
signed checkpoints are what catch that. Caution: a future migration that makes SQLite rebuild
`audit_auditentry` (AlterField) drops its triggers; `irtis audit verify` warns if they are gone.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction

TABLES = ("audit_auditentry", "audit_auditcheckpoint", "audit_archiveanchor")
PERMIT_TABLE = "audit_purge_permit"

_SQLITE_TRIGGERS = (
    "CREATE TRIGGER {t}_no_update BEFORE UPDATE ON {t} "
    "BEGIN SELECT RAISE(ABORT, '{t} is append-only: UPDATE refused'); END",
    "CREATE TRIGGER {t}_no_delete BEFORE DELETE ON {t} "
    "WHEN NOT EXISTS (SELECT 1 FROM audit_purge_permit WHERE table_name = '{t}') "
    "BEGIN SELECT RAISE(ABORT, '{t} is append-only: DELETE refused'); END",
)

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'TRUNCATE') AND EXISTS (
        SELECT 1 FROM audit_purge_permit WHERE table_name = TG_TABLE_NAME
    ) THEN
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NULL;
    END IF;
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;
END
$$
"""

_PG_TRIGGERS = (
    "CREATE TRIGGER {t}_append_only BEFORE UPDATE OR DELETE ON {t} "
    "FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()",
    "CREATE TRIGGER {t}_no_truncate BEFORE TRUNCATE ON {t} "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()",
)


def install_sql(vendor: str) -> list[str]:
    """Statements that create the permit table and the triggers."""
    statements = [f"CREATE TABLE IF NOT EXISTS {PERMIT_TABLE} (table_name varchar(63) NOT NULL)"]
    templates = _SQLITE_TRIGGERS
    if vendor == "postgresql":
        statements.append(_PG_FUNCTION)
        templates = _PG_TRIGGERS
    return statements + [sql.format(t=table) for table in TABLES for sql in templates]


def drop_sql(vendor: str) -> list[str]:
    """Statements that remove the triggers (the permit table stays: it is harmless)."""
    if vendor == "postgresql":
        return [
            f"DROP TRIGGER IF EXISTS {t}_{kind} ON {t}"
            for t in TABLES
            for kind in ("append_only", "no_truncate")
        ]
    return [
        f"DROP TRIGGER IF EXISTS {t}_{kind}" for t in TABLES for kind in ("no_update", "no_delete")
    ]


def installed() -> bool:
    """Are all the append-only triggers present in the current database?"""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal AND tgenabled <> 'D'"
                " AND tgname = ANY(%s)",
                [[f"{t}_{k}" for t in TABLES for k in ("append_only", "no_truncate")]],
            )
        else:
            names = [f"{t}_{k}" for t in TABLES for k in ("no_update", "no_delete")]
            cursor.execute(
                f"SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN "
                f"({', '.join(['%s'] * len(names))})",
                names,
            )
        return cursor.fetchone()[0] == 2 * len(TABLES)


@contextmanager
def purge_permit(*tables: str, using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Allow DELETE on `tables` inside this block's transaction only (archive, test flush).

    On success the permit is removed before commit; on error the rollback removes it.
    """
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        for table in tables:
            cursor.execute(f"INSERT INTO {PERMIT_TABLE} (table_name) VALUES (%s)", [table])
        yield
        cursor.execute(f"DELETE FROM {PERMIT_TABLE}")
