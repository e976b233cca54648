"""One registration per model gives it list, detail, edit, import/export, API and search.

    @register(group="inventory", columns=("name", "kind"), filters=("kind",), search=("name",))
    class Site(BaseModel): ...
"""

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django.db import models

if TYPE_CHECKING:
    from .graph import GraphEdge
    from .models import BaseModel

M = TypeVar("M", bound="type[BaseModel]")


@dataclass(eq=False)
class ModelEntry:
    """A registered model and its options; every option is described in docs/platform.md."""

    model: "type[BaseModel]"
    group: str
    columns: tuple[str, ...]
    filters: tuple[str, ...] = ()
    search: tuple[str, ...] = ()
    key: str = "name"
    edges: "tuple[GraphEdge, ...]" = ()  # how the model takes part in the dependency graph (core/graph.py)
    brief: tuple[str, ...] = ()
    path: str = field(default="", init=False)  # the URL segment of pages and API: see `url_path`
    # Adds computed values (annotations) to list and detail querysets; `columns` may name them,
    # with their headings in `labels`.
    queryset: Callable[[models.QuerySet], models.QuerySet] | None = None
    labels: dict[str, str] = field(default_factory=dict)
    panels: tuple[str, ...] = ()
    # Related fields whose choices follow other fields of the form, by the related model's fields
    # of the same names: {"rack": ("site", "location")} (see core.choices).
    depends: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Columns never shown, exported, imported, searched, returned by the API or recorded in the
    # audit trail (password hashes): only the model's own flows set them.
    hidden: tuple[str, ...] = ()
    # Columns the system keeps (the last sign-in): a save of only these writes no new version
    # and no change record, so it never makes an open edit form stale.
    unversioned: tuple[str, ...] = ()
    # Fields of an object that a user may not set, shown disabled in its form (the model's
    # clean() or `superusers_only` still refuses the change by any other way in).
    read_only: "Callable[[Any, Any], Collection[str]] | None" = None
    # Objects only a superuser may create, change or delete (for others: outside their
    # permissions, whatever their grants): a filter, or a function of the user giving his.
    superusers_only: "models.Q | Callable[[Any], models.Q] | None" = None

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
        return cast(str, self.model._meta.model_name)  # None only before the class is built

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
            and f.name not in {"created", "updated", "version", *self.hidden, *self.unversioned}
        )

    @cached_property
    def many_fields(self) -> tuple[models.ManyToManyField, ...]:
        """Many-to-many fields a user sets (tags included): lists of ids in the API, natural
        keys in one cell of a file."""
        return tuple(f for f in self.model._meta.many_to_many if f.name in self.editable_fields)

    @cached_property
    def many_names(self) -> frozenset[str]:
        return frozenset(f.name for f in self.many_fields)

    @cached_property
    def value_fields(self) -> tuple[models.Field, ...]:
        """Concrete columns shown on pages and returned by the API (foreign keys as ids): all
        but the hidden ones."""
        return tuple(f for f in self.model._meta.concrete_fields if f.name not in self.hidden)

    def fields_read_only(self, obj: Any, user: Any) -> Collection[str]:
        """Fields of `obj` that `user` may not set (see `read_only`)."""
        return self.read_only(obj, user) if self.read_only else ()

    def field(self, name: str) -> models.Field:
        return cast(models.Field, self.model._meta.get_field(name))  # callers name columns


def is_reference(field: models.Field) -> bool:
    """A column pointing at one other object: a foreign key or a one-to-one field."""
    return bool(field.is_relation and field.concrete and (field.many_to_one or field.one_to_one))


_entries: dict[type[models.Model], ModelEntry] = {}


def plural(name: str) -> str:
    """The English plural of a word: "dependency" → "dependencies", "address" → "addresses"."""
    if name.endswith("y") and name[-2:-1] not in tuple("aeiou"):
        return name[:-1] + "ies"
    return name + ("es" if name.endswith(("s", "x", "ch", "sh")) else "s")


def url_path(model: type[models.Model]) -> str:
    """The one rule for a model's page and API path, as NetBox's: the hyphenated plural of its
    class name, acronyms kept whole ("DeviceRole" → "device-roles", "IPAddress" → "ip-addresses")."""
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "-", model.__name__).lower()
    return plural(words)


def register(group: str, columns: tuple[str, ...], **options: Any) -> Callable[[M], M]:
    """Class decorator registering a BaseModel subclass with the platform."""

    def wrap(model: M) -> M:
        entry = ModelEntry(model=model, group=group, columns=columns, **options)
        entry.path = url_path(model)
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
