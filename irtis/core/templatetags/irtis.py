"""Template helpers for generic pages: cells, field values, query strings."""

import datetime
from typing import Any

from django import template
from django.db import models
from django.http import QueryDict
from django.template.defaultfilters import date as date_filter
from django.urls import NoReverseMatch
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

register = template.Library()
EMPTY = mark_safe('<span class="text-body-secondary">—</span>')


def display(obj: models.Model, field: models.Field) -> str:
    """A field's value as a person reads it, links to related objects included."""
    if field.many_to_one or field.one_to_one:
        related = getattr(obj, field.name)
        if related is None:
            return EMPTY
        try:
            return format_html('<a href="{}">{}</a>', related.get_absolute_url(), related)
        except (AttributeError, NoReverseMatch):
            return str(related)
    value = getattr(obj, field.attname)
    if value is None or value == "":
        return EMPTY
    if field.choices:
        return getattr(obj, f"get_{field.name}_display")()
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        return date_filter(value, "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return date_filter(value, "SHORT_DATE_FORMAT")
    if isinstance(field, models.URLField):
        return format_html('<a href="{}" rel="noopener">{}</a>', value, value)
    if field.name == "color":
        return format_html('<span class="badge" style="background:{}">{}</span>', value, value)
    return str(value)


@register.simple_tag
def cell(obj: models.Model, column: Any) -> str:
    return display(obj, column.field)


@register.simple_tag
def field_value(obj: models.Model, field: models.Field) -> str:
    return display(obj, field)


@register.simple_tag(takes_context=True)
def query(context: template.Context, **changes: Any) -> str:
    """The current query string with some parameters replaced (None removes one)."""
    params: QueryDict = context["request"].GET.copy()
    for key, value in changes.items():
        params.pop(key, None)
        if value is not None:
            params[key] = value
    return params.urlencode()


@register.filter
def get(mapping: dict, key: Any) -> Any:
    return mapping.get(key)


@register.filter
def url(entry: Any, action: str) -> str:
    """`{{ entry|url:'add' }}`: the address of a registered model's page."""
    return entry.url(action)


@register.filter
def object_url(obj: models.Model, action: str) -> str:
    """`{{ object|object_url:'edit' }}`: the address of one object's page."""
    from django.urls import reverse

    from irtis.core.registry import entry_for

    return reverse(entry_for(type(obj)).url_name(action), args=[obj.pk])


@register.filter
def split(text: str) -> list[str]:
    return text.split()


@register.simple_tag
def filter_widget(field: Any) -> str:
    widget = field.field.widget
    css = "form-select form-select-sm" if widget.input_type == "select" else "form-control form-control-sm"
    return field.as_widget(attrs={"class": css})


@register.simple_tag
def form_field(field: Any) -> str:
    """A form field with its label, help and errors, in Bootstrap's layout."""
    return template.loader.render_to_string("core/field.html", {"field": field})


@register.filter
def diff(change: Any) -> list[tuple[str, Any, Any]]:
    """(field label, old, new) for each value an update changed."""
    before, after = change.before or {}, change.after or {}
    model = change.content_type.model_class() if change.content_type_id else None
    rows = []
    for key in sorted(set(before) | set(after)):
        if key == "version" or before.get(key) == after.get(key):
            continue
        label = key
        if model is not None:
            try:
                label = str(model._meta.get_field(key.removesuffix("_id")).verbose_name)
            except Exception:  # a field since removed keeps its raw name
                label = key
        rows.append((label, before.get(key), after.get(key)))
    return rows


@register.filter
def detail_url(entry: Any, pk: int) -> str:
    from django.urls import reverse

    return reverse(entry.url_name("detail"), args=[pk])


@register.filter
def verbose_name(obj: models.Model) -> str:
    return str(obj._meta.verbose_name).capitalize()
