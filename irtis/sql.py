"""Database helpers below the ORM, for the few hot paths that write thousands of rows.

Values go through each field's own conversion, so JSON, dates and addresses are stored exactly
as the ORM would store them. Signals are not sent (as with bulk_create). PostgreSQL gets one
statement per batch of rows (a round trip and a plan per row cost more than the row); SQLite,
in-process, runs one prepared statement per row with executemany, which is as fast there.
"""

from collections.abc import Sequence

from django.db import connection, models

MAX_PARAMETERS = 30_000  # below SQLite's 32,766 and PostgreSQL's 65,535 per statement


def _batches(rows: list[list], width: int) -> list[list[list]]:
    size = max(1, MAX_PARAMETERS // max(width, 1))
    return [rows[i:i + size] for i in range(0, len(rows), size)]


def insert_many(model: type[models.Model], objects: Sequence[models.Model]) -> None:
    """INSERT rows without reading ids back: a fraction of bulk_create's cost."""
    if not objects:
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    head = f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) VALUES "
    row = f"({', '.join(['%s'] * len(fields))})"
    rows = [[f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields] for obj in objects]
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.executemany(head + row, rows)
            return
        for batch in _batches(rows, len(fields)):
            cursor.execute(head + ", ".join([row] * len(batch)), [value for values in batch for value in values])


def update_many(model: type[models.Model], objects: Sequence[models.Model], names: Sequence[str]) -> None:
    """UPDATE the named fields of each object by primary key.

    Django's bulk_update builds one CASE WHEN per field and object, whose expressions cost
    seconds of Python for a few hundred rows.
    """
    if not objects:
        return
    fields = [model._meta.get_field(name) for name in names]
    pk = model._meta.pk
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    rows = [[*(f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields), obj.pk] for obj in objects]
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
            cursor.executemany(f"UPDATE {table} SET {assignments} WHERE {quote(pk.column)} = %s", rows)
            return
        # UPDATE … FROM (VALUES …): the casts give the VALUES columns the columns' types.
        columns = [*fields, pk]
        row = "(" + ", ".join(f"%s::{f.cast_db_type(connection)}" for f in columns) + ")"
        names_sql = ", ".join(f"c{i}" for i in range(len(columns)))
        assignments = ", ".join(f"{quote(f.column)} = v.c{i}" for i, f in enumerate(fields))
        for batch in _batches(rows, len(columns)):
            cursor.execute(
                f"UPDATE {table} SET {assignments} FROM (VALUES {', '.join([row] * len(batch))}) "
                f"AS v({names_sql}) WHERE {table}.{quote(pk.column)} = v.c{len(fields)}",
                [value for values in batch for value in values],
            )
