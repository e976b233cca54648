"""Template helpers for generic pages: cells, field values, query strings."""

import datetime
import functools
from typing import Any, cast

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.http import QueryDict
from django.template import loader
from django.template.defaultfilters import date as date_filter
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import number_format
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from irtis.core.models import ColourField

register = template.Library()
EMPTY = mark_safe('<span class="text-body-secondary">—</span>')


def display(obj: models.Model, field: models.Field | None, name: str = "") -> str:
    """A field's value as a person reads it, links to related objects included."""
    if field is None:  # a computed column
        value = getattr(obj, name, None)
        return EMPTY if value is None else str(number_format(value) if isinstance(value, float | int) else value)
    if field.many_to_many:  # prefetched by the list, read by the detail page
        return many_links(getattr(obj, field.name).all())
    if field.many_to_one or field.one_to_one:
        related = getattr(obj, field.name)
        if related is None:
            return EMPTY
        url = detail_url_template(type(related))
        return format_html('<a href="{}">{}</a>', url.format(related.pk), related) if url else str(related)
    value = getattr(obj, field.attname)
    if value is None or value == "":
        return EMPTY
    if field.choices:
        return str(choice_labels(field).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        return date_filter(timezone.localtime(value) if timezone.is_aware(value) else value, "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return date_filter(value, "SHORT_DATE_FORMAT")
    if isinstance(field, models.URLField):
        return format_html('<a href="{}" rel="noopener">{}</a>', value, value)
    if isinstance(field, ColourField):
        return format_html('<span class="badge" style="background:{}">{}</span>', value, value)
    return str(value)


@register.simple_tag
def many_links(objects: Any) -> str:
    """Links to related objects; an object with a colour (a tag) as a badge of that colour."""
    objects = list(objects)
    if not objects:
        return EMPTY
    url = detail_url_template(type(objects[0]))
    parts = []
    for obj in objects:
        color = getattr(obj, "color", None)
        attrs = format_html(' class="badge" style="background:{}"', color) if color else ""
        parts.append(format_html('<a href="{}"{}>{}</a>', url.format(obj.pk), attrs, obj) if url
                     else format_html("<span{}>{}</span>", attrs, obj))
    badges = any(getattr(o, "color", None) for o in objects)
    return mark_safe((" " if badges else ", ").join(parts))


@functools.cache
def choice_labels(field: models.Field) -> dict[Any, Any]:
    return dict(field.flatchoices)


def detail_url_template(model: type[models.Model]) -> str | None:
    """"/inventory/sites/{}/" for a registered model: one reverse() per model, not per row."""
    from irtis.core.registry import entry_for

    entry = entry_for(model)
    if entry is None:
        return None
    return _url_templates(entry.url_name("detail"))


@functools.cache
def _url_templates(name: str) -> str:
    from django.urls import reverse

    return reverse(name, args=[987654321]).replace("987654321", "{}")


def table_body(page: Any, columns: list[Any], select_label: str) -> str:
    """The rows of a list table, rendered in Python: a template loop costs ten times more, and
    format_html per cell a third of what is left."""
    url = detail_url_template(page.object_list.model) if hasattr(page.object_list, "model") else None
    start = ('<tr><td><input class="form-check-input" type="checkbox" name="pk" value="{}" aria-label="'
             + escape(select_label) + '"></td>')
    rows = []
    for obj in page:
        cells: list[str] = [conditional_escape(display(obj, column.field, column.name)) for column in columns]
        if cells and url:
            cells[0] = f'<a href="{url.format(obj.pk)}">{cells[0]}</a>'
        rows.append(start.format(obj.pk) + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>")
    return mark_safe("\n".join(rows))


@register.simple_tag
def table_rows(page: Any, columns: list[Any]) -> str:
    return table_body(page, columns, _("Select"))


@register.simple_tag
def cell(obj: models.Model, column: Any) -> str:
    return display(obj, column.field, column.name)


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

    from irtis.core.registry import ModelEntry, entry_for

    return reverse(cast(ModelEntry, entry_for(type(obj))).url_name(action), args=[obj.pk])  # registered


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
    return loader.render_to_string("core/field.html", {"field": field})


@register.filter
def diff(change: Any) -> list[tuple[str, Any, Any]]:
    """(field label, old, new) for each value an update changed, as people read them: related
    objects by name (one since deleted by its id), choices by label, yes or no, times in the
    reader's time zone."""
    before, after = change.before or {}, change.after or {}
    model = change.content_type.model_class() if change.content_type_id else None
    rows = []
    for key in sorted(set(before) | set(after)):
        if key == "version" or before.get(key) == after.get(key):
            continue
        old, new = before.get(key), after.get(key)
        field = _field(model, key)
        if field is None:  # a field since removed keeps its raw name and values
            rows.append((key, old, new))
            continue
        rows.append((str(field.verbose_name), *_readable(field, old, new)))
    return rows


def _field(model: type[models.Model] | None, name: str) -> models.Field | None:
    """The model's field stored under `name` (its name or, for a foreign key, its column)."""
    try:
        return cast(models.Field, model._meta.get_field(name)) if model is not None else None
    except FieldDoesNotExist:
        return None


def _readable(field: models.Field, *values: Any) -> list[Any]:
    if field.is_relation:  # ids of related objects: one or, for a many-to-many field, a list
        many = field.many_to_many
        ids = [pk for value in values for pk in ((value or []) if many else [value]) if pk is not None]
        related = cast(type[models.Model], field.related_model)  # resolved once the apps are loaded
        names = {o.pk: str(o) for o in related._default_manager.filter(pk__in=ids)}

        def name(pk: Any) -> str:
            return names.get(pk, f"#{pk}")

        return [", ".join(map(name, value or [])) if many else (None if value is None else name(value))
                for value in values]
    if field.choices:
        labels = dict(field.flatchoices)
        return [labels.get(value, value) for value in values]
    if isinstance(field, models.BooleanField):
        return [None if value is None else _("yes") if value else _("no") for value in values]
    if isinstance(field, models.DateTimeField):  # stored in UTC as ISO 8601: shown in the reader's time
        return [_local_time(value) for value in values]
    return list(values)


def _local_time(value: Any) -> Any:
    moment = parse_datetime(value) if isinstance(value, str) else None
    if moment is None:
        return value
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, datetime.UTC)
    return date_filter(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


@register.filter
def detail_url(entry: Any, pk: int) -> str:
    from django.urls import reverse

    return reverse(entry.url_name("detail"), args=[pk])


@register.filter
def verbose_name(obj: models.Model) -> str:
    return str(obj._meta.verbose_name).capitalize()


@register.filter
def choice(obj: models.Model, name: str) -> str:
    """`{{ entry|choice:"action" }}`: the label of a choice, without get_FOO_display's cost."""
    field = cast(models.Field, obj._meta.get_field(name))  # a column with choices
    value = getattr(obj, field.attname)
    return str(choice_labels(field).get(value, value))
