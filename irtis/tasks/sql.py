"""The workers' hot path in plain SQL: for a trivial job, compiling `filter(...).update(...)` cost
more CPU than the database spent running it (docs/performance.md, "Background tasks")."""

from typing import Any, cast

from django.db import connections, models, router
from django.db.backends.base.base import BaseDatabaseWrapper


def update_row(model: type[models.Model], where: dict[str, Any], **values: Any) -> int:
    """`model.objects.filter(**where).update(**values)` for equality on plain fields and plain
    values (no expressions), with each value adapted by its field as the ORM does; rows changed."""
    connection = connections[router.db_for_write(model)]
    quote, opts = connection.ops.quote_name, model._meta
    assignments, conditions, params = [], [], []
    for name, value in values.items():
        field = cast(models.Field, opts.get_field(name))
        assignments.append(f"{quote(field.column)} = %s")
        params.append(field.get_db_prep_save(value, connection))
    for name, value in where.items():
        field = cast(models.Field, opts.get_field(name))
        conditions.append(f"{quote(field.column)} = %s")
        params.append(field.get_db_prep_value(value, connection))
    sql = f"UPDATE {quote(opts.db_table)} SET {', '.join(assignments)} WHERE {' AND '.join(conditions)}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def commit_lazily(connection: BaseDatabaseWrapper) -> None:
    """Inside a transaction: PostgreSQL commits it without waiting for its WAL to reach the disk
    (the WAL writer flushes it within ≈ 0.6 s; any later ordinary commit flushes it first). Only
    a crash of PostgreSQL itself in that window undoes it, and an undone claim only means the run
    is worked again; the fsync it spares was half of a trivial run's time."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
