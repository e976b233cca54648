"""One registration per model gives it list, detail, edit, import/export, API and search.

    @register(group="inventory", columns=("name", "kind"), filters=("kind",), search=("name",))
    class Site(BaseModel): ...
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, TypeVar

from django.db import models

if TYPE_CHECKING:
    from .models import BaseModel

M = TypeVar("M", bound="type[BaseModel]")


@dataclass(eq=False)
class ModelEntry:
    model: "type[BaseModel]"
    group: str
    columns: tuple[str, ...]
    filters: tuple[str, ...] = ()
    search: tuple[str, ...] = ()
    key: str = "name"
    brief: tuple[str, ...] = ()
    path: str = ""
    related: tuple[str, ...] = ()
    # Adds computed values (annotations) to list and detail querysets; `columns` may name them,
    # with their headings in `labels`.
    queryset: Callable[[models.QuerySet], models.QuerySet] | None = None
    labels: dict[str, str] = field(default_factory=dict)
    panels: tuple[str, ...] = ()
    # Related fields whose choices follow other fields of the form, by the related model's fields
    # of the same names: {"rack": ("site", "location")} (see core.choices).
    depends: dict[str, tuple[str, ...]] = field(default_factory=dict)
    extra: dict = field(default_factory=dict)

    def add_panel(self, template: str, first: bool = False) -> None:
        """Show a panel of another app on this model's detail page (from that app's ready();
        once, however often it runs)."""
        if template not in self.panels:
            self.panels = (template, *self.panels) if first else (*self.panels, template)

    @property
    def app_label(self) -> str:
        return self.model._meta.app_label

    @property
    def model_name(self) -> str:
        return self.model._meta.model_name

    @property
    def label(self) -> str:
        return f"{self.app_label}.{self.model_name}"

    @property
    def verbose_name(self) -> str:
        return str(self.model._meta.verbose_name)

    @property
    def verbose_name_plural(self) -> str:
        return str(self.model._meta.verbose_name_plural)

    def url_name(self, action: str) -> str:
        return f"{self.app_label}:{self.model_name}_{action}"

    def url(self, action: str = "list") -> str:
        from django.urls import reverse

        return reverse(self.url_name(action))

    @property
    def list_url(self) -> str:
        return self.url("list")

    @cached_property
    def editable_fields(self) -> tuple[str, ...]:
        """Fields a user sets: forms, import columns and API write schemas."""
        return tuple(
            f.name for f in self.model._meta.get_fields()
            if f.concrete and getattr(f, "editable", False) and not f.auto_created
            and f.name not in {"created", "updated", "version"}
        )

    @cached_property
    def value_fields(self) -> tuple[models.Field, ...]:
        """Concrete columns returned by the API and exports (foreign keys as ids)."""
        return tuple(f for f in self.model._meta.concrete_fields)

    def field(self, name: str) -> models.Field:
        return self.model._meta.get_field(name)


def is_reference(field: models.Field) -> bool:
    """A column pointing at one other object: a foreign key or a one-to-one field."""
    return field.is_relation and field.concrete and (field.many_to_one or field.one_to_one)


_entries: "dict[type[BaseModel], ModelEntry]" = {}


def _plural(name: str) -> str:
    """The English plural of a model name, for its URL path: "dependency" → "dependencies"."""
    if name.endswith("y") and name[-2:-1] not in tuple("aeiou"):
        return name[:-1] + "ies"
    return name + ("es" if name.endswith(("s", "x", "ch", "sh")) else "s")


def register(group: str, columns: tuple[str, ...], **options: object) -> Callable[[M], M]:
    """Class decorator registering a BaseModel subclass with the platform."""

    def wrap(model: M) -> M:
        entry = ModelEntry(model=model, group=group, columns=columns, **options)
        if not entry.path:
            entry.path = _plural(entry.model_name)
        if not entry.brief:
            entry.brief = tuple(dict.fromkeys(("id", entry.key)))
        _entries[model] = entry
        return model

    return wrap


def entries() -> list[ModelEntry]:
    return list(_entries.values())


def entry_for(model: type[models.Model]) -> ModelEntry | None:
    return _entries.get(model)


def by_label(label: str) -> ModelEntry | None:
    return next((e for e in _entries.values() if e.label == label), None)
