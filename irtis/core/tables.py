"""List tables: chosen columns, sorting by any column, cells rendered from model fields."""

from dataclasses import dataclass

from django.db import models
from django.http import HttpRequest

from . import collation
from .registry import ModelEntry


@dataclass(frozen=True)
class Column:
    name: str
    label: str
    field: models.Field

    @property
    def is_relation(self) -> bool:
        return self.field.many_to_one or self.field.one_to_one


def all_columns(entry: ModelEntry) -> list[Column]:
    """Every column a user may choose: the concrete fields, registered columns first."""
    names = list(entry.columns) + [
        f.name for f in entry.model._meta.concrete_fields
        if f.name not in entry.columns and f.name not in {"id", "version"}
    ]
    fields = [entry.field(n) for n in names]
    return [Column(f.name, str(f.verbose_name), f) for f in fields]


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
    names = {c.name for c in all_columns(entry)}
    if name not in names:
        return "", collation.ordered(entry.model, [*(entry.model._meta.ordering or []), "pk"])
    direction = "-" if sort.startswith("-") else ""
    field = entry.field(name)
    if field.many_to_one:
        order = [direction + name + "__" + o.lstrip("-") for o in field.related_model._meta.ordering or ["pk"]]
    else:
        order = [direction + name]
    return sort, collation.ordered(entry.model, [*order, direction + "pk"])


def table_queryset(queryset: models.QuerySet, columns: list[Column]) -> models.QuerySet:
    related = [c.name for c in columns if c.is_relation]
    return queryset.select_related(*related) if related else queryset
