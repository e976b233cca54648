"""A query every request runs, compiled to SQL once.

Django builds and compiles a queryset's SQL anew each time it runs: for the API token looked up
with its user that is ≈ 0.35 ms of every API request, more than the query takes in PostgreSQL.
`Compiled` keeps the SQL of a queryset whose shape never changes and runs it with the values of
each call; the rows become objects through Django's own pieces (the fields' converters,
`Model.from_db`, the populators of `select_related`), as the queryset would make them.
`Statements` does the same for the API's reads, whose WHERE changes from read to read.
"""

import threading
from collections.abc import Hashable, Sequence
from typing import Any

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connections, models
from django.db.backends.utils import CursorWrapper
from django.db.models.query import get_related_populators  # type: ignore[attr-defined]  # not in the stubs
from django.db.models.sql import Query
from psycopg.types.datetime import TimestamptzLoader


class Compiled:
    def __init__(self, queryset: models.QuerySet) -> None:
        """`queryset`: built with sample values where the parameters go; they must not change
        the SQL's shape (no None, no lists)."""
        self.using = queryset.db
        compiler = queryset.query.get_compiler(using=self.using)
        self.sql, _ = compiler.as_sql()
        select, klass_info = compiler.select, compiler.klass_info
        assert klass_info is not None and not compiler.annotation_col_map, "a plain model queryset"
        self.model = klass_info["model"]
        fields = klass_info["select_fields"]
        self.start, self.end = fields[0], fields[-1] + 1
        self.names = [s[0].target.attname for s in select[self.start:self.end]]
        self.converters = list(compiler.get_converters([s[0] for s in select]).items())
        self.populators = get_related_populators(klass_info, select, self.using)

    def first(self, *params: Any) -> Any:
        """The first object the query finds with these parameter values, or None."""
        connection = connections[self.using]
        with connection.cursor() as cursor:
            native_timestamps(cursor)
            cursor.execute(self.sql, params)
            row = cursor.fetchone()
        if row is None:
            return None
        if self.converters:
            row = list(row)
            for index, (converters, expression) in self.converters:
                for convert in converters:
                    row[index] = convert(row[index], expression, connection)
        obj = self.model.from_db(self.using, self.names, row[self.start:self.end])
        for populator in self.populators:
            populator.populate(row, obj)
        return obj


def native_timestamps(cursor: CursorWrapper) -> None:
    """Timestamps of this cursor read by the driver's own loader, in C. Django's is a Python
    subclass of it that pins the zone to UTC; the driver's gives the same instants in the
    session's zone, UTC as well. Per cursor: Django's cursor factory reads its own loader off the
    connection."""
    if cursor.db.vendor == "postgresql":
        cursor.cursor.adapters.register_loader("timestamptz", TimestamptzLoader)


_UNKNOWN = object()


class Statements:
    """SELECT and COUNT statements of querysets that differ only in the values their WHERE
    compares with, compiled to SQL once per shape.

    An API read builds its queryset each request (permissions and filters add to it as before)
    but compiling it to SQL is most of its Python: the select list, joins and order are the same
    for every read of a shape. Here only the WHERE clause is compiled for each read: its text,
    with the query's joins, distinct, select list, slice and the caller's `shape` (anything else
    the statement depends on: its ordering), is the key to the statement compiled the first
    time, and its parameters are the statement's. A statement whose parameters are not those of
    its WHERE alone (a parameter in the select list or the order) is never kept, nor one of
    more than `MANY` parameters (a list of ids: a shape per length). Bounded: the oldest shapes
    are forgotten first.
    """

    MANY = 64

    def __init__(self, size: int = 1024) -> None:
        self.size = size
        self.known: dict[Hashable, str | None] = {}
        self.lock = threading.Lock()  # a worker's threads keep shapes at once

    def select(self, queryset: models.QuerySet, shape: Hashable) -> tuple[str, Sequence[Any]]:
        """The SELECT statement and its parameters (EmptyResultSet if nothing can match, as
        Django's compiler)."""
        query = queryset.query
        where, params = _where(query, queryset.db)
        key = ("select", shape, _structure(query), queryset.db, where)
        sql = self.known.get(key, _UNKNOWN)
        if isinstance(sql, str):
            return sql, params
        full, full_params = query.get_compiler(using=queryset.db).as_sql()
        if sql is _UNKNOWN and len(params) <= self.MANY:
            self.keep(key, full if tuple(full_params) == params else None)
        return full, full_params

    def count(self, queryset: models.QuerySet, shape: Hashable) -> int:
        """`queryset.count()`, by the statement Django ran for the first count of this shape."""
        query = queryset.query
        try:
            where, params = _where(query, queryset.db)
        except EmptyResultSet:
            return queryset.count()
        key = ("count", shape, _structure(query), queryset.db, where)
        sql = self.known.get(key, _UNKNOWN)
        connection = connections[queryset.db]
        if isinstance(sql, str):
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchone()[0]
        if sql is None or len(params) > self.MANY:
            return queryset.count()
        ran: list[tuple[str, Any]] = []

        def note(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            ran.append((sql, params))
            return execute(sql, params, many, context)

        with connection.execute_wrapper(note):
            result = queryset.count()
        single = len(ran) == 1 and tuple(ran[0][1] or ()) == params
        self.keep(key, ran[0][0] if single else None)
        return result

    def keep(self, key: Hashable, sql: str | None) -> None:
        with self.lock:
            while len(self.known) >= self.size:
                del self.known[next(iter(self.known))]  # the oldest
            self.known[key] = sql


def _where(query: Query, using: str) -> tuple[str, tuple[Any, ...]]:
    """The WHERE clause's SQL and parameters, as the query's compiler writes it ("" for none)."""
    try:
        sql, params = query.get_compiler(using=using).compile(query.where)
    except FullResultSet:
        return "", ()
    return sql, tuple(params)


def _structure(query: Query) -> Hashable:
    """What else of a query decides its statement: its joins, distinct, select list, annotations
    and slice (its ordering is the caller's `shape`)."""
    # How each table is joined, not only which (two relations to one table join it alike); a
    # filtered relation's repr is its own object's, so such a join is never found again.
    joins = tuple((alias, join.table_name, getattr(join, "parent_alias", None), getattr(join, "join_field", None),
                   getattr(join, "join_type", None), repr(getattr(join, "filtered_relation", None)))
                  for alias, join in query.alias_map.items())
    return (query.model, joins, query.distinct, query.distinct_fields, query.values_select,
            tuple(query.annotation_select), query.low_mark, query.high_mark, query.group_by is None)
