"""The per-run UPDATEs of the workers' hot path, written without the ORM's query compilation: for a
trivial job, compiling `filter(...).update(...)` cost more CPU than the database spent running it
(docs/performance.md, "Background tasks")."""

from typing import Any, cast

from django.db import connections, models, router


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
