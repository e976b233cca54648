"""Database helpers below the ORM, for the few hot paths that write thousands of rows.

Values go through each field's own conversion, so JSON, dates and addresses are stored exactly
as the ORM would store them. Signals are not sent (as with bulk_create). PostgreSQL gets COPY
for inserts (no statement to parse: the driver's client-side parameter parsing alone took a
second for 100,000 placeholders) and one UPDATE … FROM unnest(arrays) for updates;
SQLite, in-process, runs one prepared statement per row with executemany, which is as fast there.
"""

from collections.abc import Sequence
from typing import Any, cast

from django.db import connection, models

MAX_PARAMETERS = 30_000  # below SQLite's 32,766 and PostgreSQL's 65,535 per statement


def _unchanged_types(field: models.Field) -> tuple[type, ...]:
    """Value types the field's get_db_prep_save returns as they are (text of a text field, whole
    numbers of an integer or foreign key field), so the call can be skipped: for a thousand audit
    and search rows it cost more than the database's work."""
    if field.is_relation:
        field = cast(models.ForeignKey, field).target_field
    if getattr(field, "normalises", False):  # names (core.names): stored normalised
        return ()
    if isinstance(field, models.CharField | models.TextField):
        return (str, type(None))
    if isinstance(field, models.IntegerField):  # AutoField and BigAutoField too
        return (int, type(None))
    return ()


def _rows(objects: Sequence[models.Model], fields: Sequence[models.Field], insert: bool = False) -> list[list]:
    """The column values of each object, as the ORM's save() would send them (pre_save first
    when inserting: auto_now, auto_now_add)."""
    typed = [(f, _unchanged_types(f)) for f in fields]
    rows = []
    for obj in objects:
        row = []
        for field, unchanged in typed:
            value = field.pre_save(obj, True) if insert else getattr(obj, field.attname)
            row.append(value if type(value) in unchanged else field.get_db_prep_save(value, connection))
        rows.append(row)
    return rows


def _batches(rows: list[list], width: int) -> list[list[list]]:
    size = max(1, MAX_PARAMETERS // max(width, 1))
    return [rows[i:i + size] for i in range(0, len(rows), size)]


def insert_many(model: type[models.Model], objects: Sequence[models.Model]) -> None:
    """INSERT rows without reading ids back: a fraction of bulk_create's cost."""
    if not objects:
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    _insert(model, fields, _rows(objects, fields))


def insert_values(model: type[models.Model], names: Sequence[str], rows: list[list]) -> None:
    """INSERT rows of values already as the database takes them (text, whole numbers) into the
    named fields: no model instances at all, for rows built by the thousand (search entries)."""
    if rows:
        _insert(model, [cast(models.Field, model._meta.get_field(name)) for name in names], rows)


def _insert(model: type[models.Model], fields: list[models.Field], rows: list[list]) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _copy(cursor, model, fields, rows)
            return
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in fields)
        placeholders = ", ".join(["%s"] * len(fields))
        cursor.executemany(f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders})", rows)


def _copy(cursor: Any, model: type[models.Model], fields: list[models.Field], rows: list[list]) -> None:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    # The driver's own cursor, so its errors are turned into Django's here (IntegrityError…).
    with connection.wrap_database_errors, \
            cursor.cursor.copy(f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN") as copy:
        for values in rows:
            copy.write_row(values)


def insert_returning(model: type[models.Model], objects: Sequence[models.Model]) -> None:
    """INSERT new objects and set their primary keys: what bulk_create does, for a fraction of
    its Python (it compiles every value through the query compiler, in batches of 999
    parameters on SQLite). Fields' pre_save runs as on save() (auto_now and auto_now_add), and
    the objects are marked as stored in this database (the caller ends their `adding` state).
    SQLite: multi-row INSERT … RETURNING, whose rows come back in the order inserted (as
    bulk_create relies on too); PostgreSQL: numbers from the sequence, then COPY.
    """
    if not objects:
        return
    pk = model._meta.pk
    if not pk.db_returning or any(obj.pk is not None for obj in objects):  # type: ignore[attr-defined]  # not in stubs
        raise ValueError("insert_returning leaves the numbering of new rows to the database")
    fields = [f for f in model._meta.concrete_fields if f is not pk]
    keys = _insert_returning(model, fields, _rows(objects, fields, insert=True))
    for obj, key in zip(objects, keys, strict=True):
        setattr(obj, pk.attname, key)
        obj._state.db = connection.alias


def insert_values_returning(model: type[models.Model], names: Sequence[str], rows: list[list]) -> list[int]:
    """INSERT rows of values already as the database takes them (text, numbers; datetimes
    through connection.ops.adapt_datetimefield_value) into the named fields; the new primary
    keys in the order of `rows`. No model instances: for readings of 100,000 rows."""
    if not rows:
        return []
    return _insert_returning(model, [cast(models.Field, model._meta.get_field(name)) for name in names], rows)


def _insert_returning(model: type[models.Model], fields: list[models.Field], rows: list[list]) -> list[int]:
    pk = model._meta.pk
    assert pk is not None
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    keys: list[int] = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Numbers drawn from the table's sequence first, then the rows copied in with them.
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                           [table, pk.column, len(rows)])
            keys = [key for (key,) in cursor.fetchall()]
            _copy(cursor, model, [*fields, pk], [[*values, key] for values, key in zip(rows, keys, strict=True)])
            return keys
        head = f"INSERT INTO {table} ({', '.join(quote(f.column) for f in fields)}) VALUES "
        row = f"({', '.join(['%s'] * len(fields))})"
        for batch in _batches(rows, len(fields)):
            cursor.execute(f"{head}{', '.join([row] * len(batch))} RETURNING {quote(pk.column)}",
                           [value for values in batch for value in values])
            keys += [key for (key,) in cursor.fetchall()]
    return keys


def update_many(model: type[models.Model], objects: Sequence[models.Model], names: Sequence[str]) -> None:
    """UPDATE the named fields of each object by primary key.

    Django's bulk_update builds one CASE WHEN per field and object, whose expressions cost
    seconds of Python for a few hundred rows.
    """
    if not objects:
        return
    fields = [cast(models.Field, model._meta.get_field(name)) for name in names]  # columns
    pk = model._meta.pk
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    rows = [[*row, obj.pk] for obj, row in zip(objects, _rows(objects, fields), strict=True)]
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
            cursor.executemany(f"UPDATE {table} SET {assignments} WHERE {quote(pk.column)} = %s", rows)
            return
        # One array per column, unnested into rows: the statement stays the same for any number
        # of objects, so the driver neither parses a placeholder per value nor misses its cache.
        columns = [*fields, pk]
        arrays = ", ".join(f"%s::{f.cast_db_type(connection)}[]" for f in columns)  # type: ignore[attr-defined]  # not in stubs
        names_sql = ", ".join(f"c{i}" for i in range(len(columns)))
        assignments = ", ".join(f"{quote(f.column)} = v.c{i}" for i, f in enumerate(fields))
        cursor.execute(
            f"UPDATE {table} SET {assignments} FROM unnest({arrays}) AS v({names_sql}) "
            f"WHERE {table}.{quote(pk.column)} = v.c{len(fields)}",
            [list(column) for column in zip(*rows, strict=True)],
        )


ANALYZE_ROWS = 1000  # rows written at once past which a table's statistics are refreshed


def analyze(models_: Sequence[type[models.Model]]) -> None:
    """Refresh PostgreSQL's statistics of these models' tables (give those of the audit trail
    and the search index a bulk write filled too) now, not when autovacuum comes by: a table loaded from empty is
    planned as if it had a few rows, so deleting 100 devices read all 20,000 interfaces by a
    sequential scan until it had statistics. Run after a bulk load's commit. SQLite plans
    without them."""
    if connection.vendor != "postgresql" or not models_:
        return
    tables = dict.fromkeys(m._meta.db_table for m in models_)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {', '.join(quote(t) for t in tables)}")
