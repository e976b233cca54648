"""Small helpers shared by the collectors: links, field labels and values as plain text."""

import datetime
import functools
import ipaddress
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, cast

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from irtis.core import permissions
from irtis.core.templatetags.irtis import detail_url_template

from .document import Cell


def url(obj: models.Model | None) -> str:
    if obj is None or obj.pk is None:
        return ""
    template = detail_url_template(type(obj))
    return template.format(obj.pk) if template else ""


def link(obj: models.Model | None, text: str | None = None, warn: bool = False) -> Cell:
    if obj is None:
        return Cell("—")
    return Cell(text if text is not None else str(obj), url(obj), warn)


def label(model: type[models.Model], name: str) -> str:
    """A field's verbose name, capitalised, as column headings show it."""
    name = str(cast(models.Field, model._meta.get_field(name)).verbose_name)  # a column
    return name[:1].upper() + name[1:]


def text(value: Any) -> str:
    """Any value as a reader sees it."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value) if timezone.is_aware(value) else value,
                           "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, float | Decimal):
        return number_format(value, 2 if value % 1 else 0)
    return str(value)


def field_text(obj: models.Model, name: str) -> str:
    """A field's value as text: the label of a choice, the name of a related object."""
    field = cast(models.Field, obj._meta.get_field(name))  # a column
    if field.choices:
        value = getattr(obj, field.attname)
        return text(dict(field.flatchoices).get(value, value)) if value not in (None, "") else "—"
    return text(getattr(obj, name))


def visible(queryset: models.QuerySet, user: object) -> models.QuerySet:
    return permissions.restrict(queryset, user, "view")


def days_left(day: datetime.date | datetime.datetime | None) -> int | None:
    if day is None:
        return None
    if isinstance(day, datetime.datetime):
        day = timezone.localtime(day).date() if timezone.is_aware(day) else day.date()
    return (day - timezone.localdate()).days


def address_network(address: str) -> ipaddress.IPv4Interface | ipaddress.IPv6Interface | None:
    try:
        return ipaddress.ip_interface(address.strip())
    except ValueError:
        return None


def unique(objects: Iterable[Any]) -> list[Any]:
    """Objects in first-seen order without repeats (None left out)."""
    seen, result = set(), []
    for obj in objects:
        key = (type(obj), getattr(obj, "pk", id(obj)))
        if obj is not None and key not in seen:
            seen.add(key)
            result.append(obj)
    return result


@functools.cache
def has_model(app_label: str, model_name: str) -> bool:
    from django.apps import apps

    try:
        apps.get_model(app_label, model_name)
    except LookupError:
        return False
    return True
