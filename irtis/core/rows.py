"""Reading rows for the API without the ORM's per-value conversions.

The API returns plain column values. Django's `values()` sends every value through Python
converters (a datetime string is parsed into an aware datetime, then encoded back to text);
for a 1,000-row page that is most of the time. Here the queryset's own SQL runs on a cursor
and only the values the driver does not already give in JSON-ready form are converted.
"""

import datetime
import json
from collections.abc import Callable, Hashable
from functools import lru_cache
from typing import Any, cast

from django.core.exceptions import EmptyResultSet
from django.db import connections, models
from django.db.models.options import Options

from .compiled import Statements, native_timestamps


def _sqlite_datetime(value: datetime.datetime | None) -> datetime.datetime | None:
    # SQLite keeps UTC without a zone (USE_TZ); the driver's converter gives a naive datetime.
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=datetime.UTC)


def _converter(field: models.Field, vendor: str) -> Callable[[Any], Any] | None:
    if isinstance(field, models.DecimalField):
        return lambda v: None if v is None else str(v)
    if vendor != "sqlite":
        return None  # psycopg returns bool, datetime, dict … ready for orjson
    if isinstance(field, models.BooleanField):
        return lambda v: None if v is None else bool(v)
    if isinstance(field, models.DateTimeField):  # dates and Decimals come converted by the driver
        return _sqlite_datetime
    if isinstance(field, models.JSONField):
        return lambda v: None if v is None else json.loads(v)
    return None


@lru_cache(maxsize=1024)
def _converters(meta: Options, names: tuple[str, ...], vendor: str) -> tuple[tuple[int, Callable[[Any], Any]], ...]:
    """The columns of `names` (of the model of `meta`) whose values need converting, with their
    converters."""
    fields = [cast(models.Field, meta.get_field(name)) for name in names]  # columns
    return tuple((i, c) for i, f in enumerate(fields) if (c := _converter(f, vendor)))


def fetch(queryset: models.QuerySet, names: list[str], statements: Statements | None = None,
          shape: Hashable = None) -> list[dict[str, Any]]:
    """Rows of `names` (concrete field names, then annotations of the queryset) as dicts, in
    the queryset's order (a queryset of `values(*names)` already is taken as it is); its
    statement kept in `statements` for reads of the same `shape` (see `Statements`)."""
    wanted = tuple(dict.fromkeys(names))
    chosen = queryset if getattr(queryset, "_fields", None) == wanted else queryset.values(*wanted)
    query = chosen.query
    connection = connections[queryset.db]
    try:
        sql, params = statements.select(chosen, shape) if statements else query.get_compiler(using=queryset.db).as_sql()
    except EmptyResultSet:  # e.g. pk__in=[]: nothing can match
        return []
    selected = [*query.values_select, *query.annotation_select]
    converters = _converters(queryset.model._meta, query.values_select, connection.vendor)
    with connection.cursor() as cursor:
        native_timestamps(cursor)
        cursor.execute(sql, params)
        raw = cursor.fetchall()
    if not converters:  # zip stops at the selected columns (the SQL may carry more, e.g. to order by)
        return [dict(zip(selected, row, strict=False)) for row in raw]
    result = []
    for row in raw:
        values = list(row[:len(selected)])
        for index, convert in converters:
            values[index] = convert(values[index])
        result.append(dict(zip(selected, values, strict=True)))
    return result
