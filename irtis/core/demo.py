"""Demo tags used across the estate."""

from typing import TypeVar

from django.db import models

from irtis.core.models import Tag

M = TypeVar("M", bound=models.Model)

TAGS = [
    ("kritine", "Kritinė sistema", "#dc3545", "Kategorija I: sutrikimas stabdo muitinės veiklą"),
    ("brexit-projektas", "Brexit projektas", "#0d6efd", "Atnaujinta per Brexit projektą (2021–2023)"),
    ("pasienis-by", "Pasienis su Baltarusija", "#fd7e14", "Objektai prie Baltarusijos sienos"),
    ("eksploatuoti-iki-2027", "Eksploatuoti iki 2027", "#6f42c1", "Numatyta pakeisti iki 2027 m."),
]


def loaded() -> bool:
    """Whether the demo has been loaded into this database: its tags, the first thing it makes,
    are there."""
    return Tag.objects.filter(slug__in=[slug for slug, *_ in TAGS]).exists()


def ensure(model: type[M], key: str | dict, values: dict) -> M:
    """Create the object, or update it only where the demo values differ (so reruns write nothing).

    `key` names the field in `values` that identifies the object, or is a lookup of several
    fields (a VLAN by group and number) merged into the values of a new object.
    """
    lookup = {key: values[key]} if isinstance(key, str) else key
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        obj = model(**{**lookup, **values})
        obj.full_clean()
        obj.save()
        return obj
    changed = {k: v for k, v in values.items() if getattr(obj, k) != v}
    if changed:
        for name, value in changed.items():
            setattr(obj, name, value)
        obj.full_clean()
        obj.save()
    return obj


def load() -> None:
    for slug, name, color, description in TAGS:
        ensure(Tag, "slug", {"slug": slug, "name": name, "color": color, "description": description})
