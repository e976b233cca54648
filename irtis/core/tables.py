"""List tables: chosen columns, sorting by any column, cells rendered from model fields."""

from dataclasses import dataclass
from typing import cast

from django.db import models
from django.http import HttpRequest

from . import collation
from .registry import ModelEntry, is_reference


@dataclass(frozen=True)
class Column:
    name: str
    label: str
    field: models.Field | None  # None: a computed value from the registration's queryset

    @property
    def is_relation(self) -> bool:
        return self.field is not None and is_reference(self.field)

    @property
    def is_many(self) -> bool:
        return self.field is not None and bool(self.field.many_to_many)  # None for a column


def all_columns(entry: ModelEntry) -> list[Column]:
    """Every column a user may choose: registered columns first, then the other fields."""
    fields = {f.name: f for f in [*entry.value_fields, *entry.many_fields]}
    names = list(entry.columns) + [n for n in fields if n not in entry.columns and n not in {"id", "version"}]
    return [
        Column(n, str(fields[n].verbose_name), fields[n]) if n in fields
        else Column(n, str(entry.labels.get(n, n)), None)
        for n in names
    ]


def chosen_columns(request: HttpRequest, entry: ModelEntry) -> list[Column]:
    """Columns from `?columns=a,b`, else the user's last choice for this list, else the defaults."""
    available = {c.name: c for c in all_columns(entry)}
    key = f"columns:{entry.label}"
    if "columns" in request.GET:
        names = [n for n in request.GET.getlist("columns") if n in available]
        request.session[key] = names
    else:
        names = request.session.get(key) or list(entry.columns)
    return [available[n] for n in names if n in available] or [available[n] for n in entry.columns]


def ordering(request: HttpRequest, entry: ModelEntry) -> tuple[str, list[str]]:
    """The `sort` parameter (a column name, `-` for descending) and the ORDER BY it means."""
    sort = request.GET.get("sort", "")
    name = sort.lstrip("-")
    names = {c.name for c in all_columns(entry) if c.field is not None and not c.is_many}
    if name not in names:
        return "", collation.ordered(entry.model, [*(entry.model._meta.ordering or []), "pk"])
    direction = "-" if sort.startswith("-") else ""
    field = entry.field(name)
    if is_reference(field):
        order = [direction + name + "__" + o.lstrip("-")
                 for o in cast(type[models.Model], field.related_model)._meta.ordering or ["pk"]]
    else:
        order = [direction + name]
    return sort, collation.ordered(entry.model, [*order, direction + "pk"])


def table_queryset(queryset: models.QuerySet, columns: list[Column]) -> models.QuerySet:
    """Related objects of the shown columns read with the page: a join per foreign key, a
    query per many-to-many column."""
    related = [c.name for c in columns if c.is_relation]
    many = [c.name for c in columns if c.is_many]
    queryset = queryset.select_related(*related) if related else queryset
    return queryset.prefetch_related(*many) if many else queryset
