"""Query-string filters generated from a registration; the same FilterSet serves pages and API.

Every list understands `q` (free text, diacritics ignored), `id`, each filter named in the
registration, every foreign key (by id) and every many-to-many field (tags too), by id
(`?systems=3&systems=5`) or by the natural key of the related objects (`?systems__code=MDAS`,
`?tags__slug=kritine`). Several values of one filter mean "any of". Date and number filters
also take `__gte` and `__lte`.
"""

import copy
from collections import OrderedDict
from collections.abc import Callable
from functools import cache, lru_cache
from typing import Any, cast

import django_filters as df
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest, QueryDict
from django.utils.translation import gettext_lazy as _
from django_filters.filters import QuerySetRequestMixin

from . import choices, relations, search, tabular
from .registry import ModelEntry, is_reference
from .widgets import LookupSelectMultiple

MAX_INT = 2**63 - 1
NUMERIC_FILTERS = (df.ModelMultipleChoiceFilter, df.ModelChoiceFilter, df.NumberFilter, df.BaseInFilter)


def _bounded(value: str) -> str:
    """A number no database column can hold becomes plain text, which fails validation cleanly.

    Sent on, it would reach the database (ids are checked with a query) and, on PostgreSQL,
    abort the whole transaction instead of giving a 400.
    """
    for part in value.split(","):
        digits = part.strip().lstrip("+-")
        if digits.isdigit() and int(digits) > MAX_INT:
            return "out-of-range"
    return value


class BaseFilterSet(df.FilterSet):
    q = df.CharFilter(method="filter_q", label=_("Search"))
    id = df.BaseInFilter(field_name="id", label="ID")
    data: QueryDict  # pages and the API pass request.GET

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(data, *args, **kwargs)
        numeric = [n for n, f in self.filters.items() if isinstance(f, NUMERIC_FILTERS) and n in self.data]
        bounded = {name: [_bounded(v) for v in self.data.getlist(name)] for name in numeric}
        if changed := {name: values for name, values in bounded.items() if values != self.data.getlist(name)}:
            self.data = self.data.copy()
            for name, values in changed.items():
                self.data.setlist(name, values)

    def filter_queryset(self, queryset: models.QuerySet) -> models.QuerySet:
        for name, value in self.form.cleaned_data.items():
            if name in self.data:  # an absent reference filter would still evaluate an empty queryset
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def filter_q(self, queryset: models.QuerySet, name: str, value: str) -> models.QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(pk__in=search.matching_ids(queryset.model, value))


class ReferenceField(forms.ModelMultipleChoiceField):
    """Ids of existing objects; checked with one query of ids, not of whole objects.

    With `deferred`, only their form is checked here: the API checks that they exist after
    counting its rows, and only when the rows do not prove it (see `unknown_references`).
    """

    queryset: models.QuerySet  # always given: a filter's field lists objects of its model

    def __init__(self, *args: Any, deferred: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.deferred = deferred

    def __deepcopy__(self, memo: dict[int, Any]) -> "ReferenceField":
        """A filter builds its field for one filter set's form class (see `ReferenceFilter`), or
        once for the API's forms that only clean with it (see `narrowed`), so the form's copy of
        it need not copy its widget and queryset again."""
        return copy.copy(self)

    def _check_values(self, value: Any) -> list[Any]:
        try:
            wanted = {self.queryset.model._meta.pk.to_python(v) for v in value}
        except ValidationError:
            raise ValidationError(self.error_messages["invalid_pk_value"], code="invalid_pk_value",
                                  params={"pk": ", ".join(map(str, value))}) from None
        if not self.deferred:
            self.check_existence(wanted, self.queryset)
        return sorted(wanted)

    def check_existence(self, wanted: set[Any], offered: models.QuerySet) -> None:
        """A ValidationError if an id of `wanted` names none of the `offered` objects."""
        found = set(offered.order_by().filter(pk__in=wanted).values_list("pk", flat=True))
        if missing := sorted(wanted - found, key=str):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                  params={"value": missing[0]})


class ReferenceFilter(df.ModelMultipleChoiceFilter):
    """Objects of a foreign key by id, any of several; one row per object, so no DISTINCT."""

    field_class = ReferenceField  # type: ignore[assignment]  # django-filter's own field adds only a null choice

    def __deepcopy__(self, memo: dict[int, Any]) -> "ReferenceFilter":
        """Each filter set copies its filters; a copy must not share its field (built from `extra`,
        into which the queryset of the request is written). The widget and the queryset's
        function are only read (a field copies its widget)."""
        copied = copy.copy(self)
        copied.extra = dict(self.extra)
        copied.__dict__.pop("_field", None)
        return copied

    def filter(self, queryset: models.QuerySet, value: list[Any]) -> models.QuerySet:
        return queryset.filter(**{f"{self.field_name}__in": value}) if value else queryset


class ManyFilter(ReferenceFilter):
    """Objects related through a many-to-many field to any of several objects, by id."""

    def filter(self, queryset: models.QuerySet, value: list[Any]) -> models.QuerySet:
        return related_to(queryset, cast(str, self.field_name), value) if value else queryset  # named by _filters_for


def related_to(queryset: models.QuerySet, name: str, objects: list[Any]) -> models.QuerySet:
    """The objects of `queryset` related to any of `objects` (or ids) through the many-to-many
    field `name`: a subquery of the join table, so one row per object, no DISTINCT."""
    field = queryset.model._meta.get_field(name)
    owner, target = relations.ends(field)
    ids = [getattr(o, "pk", o) for o in objects]
    return queryset.filter(pk__in=field.remote_field.through.objects.filter(**{f"{target}__in": ids}).values(owner))


def unknown_references(filterset: df.FilterSet, rows_found: bool) -> dict[str, list[str]]:
    """Errors of deferred reference filters whose ids name no object. Filters are combined with
    AND and every row references the object its filter names, so a found row proves each filter
    of one id; filters of several ids ("any of") are checked with a query."""
    errors = {}
    for name, field in filterset.form.fields.items():
        ids = filterset.form.cleaned_data.get(name)
        if not isinstance(field, ReferenceField) or not field.deferred or not ids:
            continue
        if rows_found and len(ids) == 1:
            continue
        try:
            offered = cast(ReferenceFilter, filterset.filters[name]).get_queryset(filterset.request)  # its field's
            field.check_existence(set(ids), offered)
        except ValidationError as error:
            errors[name] = error.messages
    return errors


def _offered(model: type[models.Model]) -> Callable[[HttpRequest | None], models.QuerySet]:
    """The related objects a filter offers and accepts: those the requesting user may see, so an
    id they may not see is refused like one that does not exist (the filter set gets `request`)."""
    return lambda request: choices.labelled(choices.visible(model, getattr(request, "user", None)))


def _filters_for(field: models.Field) -> dict[str, df.Filter]:
    name, label = field.name, field.verbose_name
    if field.many_to_many:
        key = tabular.related_key(field)
        related = cast(type[models.Model], field.related_model)  # resolved once the apps are loaded
        filters: dict[str, df.Filter] = {name: ManyFilter(
            field_name=name, queryset=_offered(related), label=label,  # type: ignore[arg-type]  # a callable of the request, as django-filter allows (not its stubs)
            widget=LookupSelectMultiple(related),
        )}
        if key != "pk":
            filters[f"{name}__{key}"] = df.ModelMultipleChoiceFilter(
                field_name=name, to_field_name=key, queryset=_offered(related), label=label,  # type: ignore[arg-type]  # a callable of the request, as django-filter allows (not its stubs)
                method=lambda queryset, name, value: related_to(queryset, name, value) if value else queryset,
            )
        return filters
    if field.many_to_one or field.one_to_one:
        related = cast(type[models.Model], field.related_model)  # resolved once the apps are loaded
        return {name: ReferenceFilter(
            field_name=name, queryset=_offered(related), label=label,  # type: ignore[arg-type]  # a callable of the request, as django-filter allows (not its stubs)
            widget=LookupSelectMultiple(related),
        )}
    if field.choices:
        return {name: df.MultipleChoiceFilter(field_name=name, choices=field.choices, label=label)}
    if isinstance(field, models.BooleanField):
        return {name: df.BooleanFilter(field_name=name, label=label)}
    if isinstance(field, models.DateField | models.IntegerField | models.DecimalField | models.FloatField):
        filter_class = dict[type[models.Field], type[df.Filter]]({
            models.DateTimeField: df.IsoDateTimeFilter, models.DateField: df.DateFilter,
        }).get(type(field), df.NumberFilter)
        return {
            name: filter_class(field_name=name, label=label),
            f"{name}__gte": filter_class(field_name=name, lookup_expr="gte", label=label),
            f"{name}__lte": filter_class(field_name=name, lookup_expr="lte", label=label),
        }
    return {
        name: df.CharFilter(field_name=name, label=label),
        f"{name}__ic": df.CharFilter(field_name=name, lookup_expr="icontains", label=label),
    }


@cache
def filterset_class(entry: ModelEntry) -> type[BaseFilterSet]:
    model = entry.model
    names = list(entry.filters) + [
        f.name for f in [*entry.value_fields, *entry.many_fields]
        if (is_reference(f) or f.many_to_many) and f.name not in entry.filters
    ]
    attrs: dict[str, object] = {}
    for name in names:
        attrs.update(_filters_for(cast(models.Field, model._meta.get_field(name))))  # a column or many-to-many
    attrs["Meta"] = type("Meta", (), {"model": model, "fields": []})
    return type(f"{model.__name__}FilterSet", (BaseFilterSet,), attrs)


@lru_cache(maxsize=512)
def narrowed(filterset: type[BaseFilterSet], names: frozenset[str]) -> type[BaseFilterSet]:
    """The filter set with only the filters a query names, for the API (no form to show): each
    instance deep-copies its filters, and a reference filter's form field holds a queryset.
    Its reference filters are deferred (see `ReferenceField`). When no field of its form depends
    on the request, the form's class is made once, not for each request as django-filter does."""
    filters = OrderedDict((name, _deferred(f)) for name, f in filterset.base_filters.items() if name in names)
    attrs: dict[str, object] = {}
    if all(_same_for_every_request(f) for f in filters.values()):
        meta = filterset._meta  # type: ignore[attr-defined]  # set by django-filter's metaclass, not in the stubs
        form = type(f"{filterset.__name__}Form", (meta.form,), {
            name: _field_without_request(meta.model, f) for name, f in filters.items()})
        attrs["get_form_class"] = lambda self: form
    subclass: type[BaseFilterSet] = type(filterset.__name__, (filterset,), attrs)
    subclass.base_filters = filters
    return subclass


def _deferred(filter_: df.Filter) -> df.Filter:
    if not isinstance(filter_, ReferenceFilter):
        return filter_
    copied = copy.deepcopy(filter_)
    copied.extra["deferred"] = True
    copied.extra.pop("widget", None)  # nothing is shown
    return copied


def _same_for_every_request(filter_: df.Filter) -> bool:
    """Whether the filter's form field does not depend on the request: a deferred reference
    filter's objects (those the user may see) are asked for by `unknown_references` only."""
    return not isinstance(filter_, QuerySetRequestMixin) or filter_.extra.get("deferred", False)


def _field_without_request(model: type[models.Model], filter_: df.Filter) -> forms.Field:
    copied = copy.deepcopy(filter_)  # a filter keeps the field it made
    if isinstance(copied, ReferenceFilter):
        related = cast(type[models.Model], model._meta.get_field(cast(str, copied.field_name)).related_model)
        copied.queryset = related._default_manager.none()  # a model for its ids, not its objects
    return copied.field


def visible_filters(entry: ModelEntry) -> list[str]:
    """The filters offered in the list page's filter panel: the registration's, then each
    many-to-many field (tags last)."""
    many = sorted((f.name for f in entry.many_fields if f.name not in entry.filters), key=lambda n: n == "tags")
    return ["q", *entry.filters, *many]
