"""Selects of related objects that stay fast when the related table holds thousands of rows.

Up to LOOKUP_THRESHOLD rows, a plain select lists them all. Above that, only the chosen objects
are rendered, and a search box fetches matches from `core.lookup` as the user types. A select
whose choices follow other fields (`data-depends`, see core.choices) carries the lookup address
too, so that the browser can fetch its choices again when a parent changes.
"""

import json
from collections import defaultdict
from collections.abc import Iterable
from typing import Any, TypeVar

from django import forms
from django.db import models
from django.urls import reverse

LOOKUP_THRESHOLD = 100
M = TypeVar("M", bound=models.Model)


def distinguished(objects: Iterable[M]) -> list[tuple[M, str]]:
    """Each object with the label a choice shows: its name, and where several share that name,
    what tells them apart: the first object they point at that differs (a room's site, a VLAN's
    group). Only objects already loaded with them are read (see core.choices.labelled): no query."""
    rows = [(obj, str(obj)) for obj in objects]
    named: dict[str, list[M]] = defaultdict(list)
    for obj, label in rows:
        named[label].append(obj)
    extra: dict[int, str] = {}
    for same in (group for group in named.values() if len(group) > 1):
        for field in same[0]._meta.concrete_fields:
            if not isinstance(field, models.ForeignKey) or not all(field.is_cached(obj) for obj in same):
                continue
            pointed = [getattr(obj, field.name) for obj in same]
            if len({getattr(p, "pk", None) for p in pointed}) > 1:
                extra.update({id(obj): str(p) for obj, p in zip(same, pointed, strict=True) if p is not None})
                break
    return [(obj, f"{label} ({extra[id(obj)]})" if id(obj) in extra else label) for obj, label in rows]


class LookupMixin(forms.Select):
    template_name = "core/widgets/lookup.html"
    # Search box or plain select: decided by the form (core.choices.prepare), else by the rows.
    lookup: bool | None = None

    def __init__(self, model: type[models.Model], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.model = model

    def get_context(self, name: str, value: Any, attrs: dict | None) -> dict[str, Any]:
        queryset: Any = getattr(self.choices, "queryset", None)
        lookup = self.lookup
        choices = self.choices
        if not lookup and queryset is not None:
            # Undecided, one query decides and, under the threshold, gives the options too.
            rows = list(queryset if lookup is False else queryset[:LOOKUP_THRESHOLD + 1])
            lookup = len(rows) > LOOKUP_THRESHOLD if lookup is None else lookup
            if not lookup:
                iterator: Any = choices
                empty = [] if iterator.field.empty_label is None else [("", iterator.field.empty_label)]
                self.choices = empty + [(iterator.choice(obj)[0], label) for obj, label in distinguished(rows)]
        if lookup:  # only the chosen objects are rendered: the search box finds the others
            values = value if isinstance(value, list | tuple) else [value]
            chosen = [v for v in values if str(v).isdigit()]
            options = [(obj.pk, str(obj)) for obj in queryset.filter(pk__in=chosen)] if chosen else []
            self.choices = ([] if self.allow_multiple_selected else [("", "---------")]) + options
        try:
            context = super().get_context(name, value, attrs)
        finally:
            self.choices = choices
        if lookup or "data-depends" in self.attrs:
            meta = self.model._meta
            url = reverse("lookup", args=[f"{meta.app_label}.{meta.model_name}"])
            context["widget"]["attrs"]["data-lookup-url"] = url
            context["widget"]["lookup"] = lookup
        return context


class LookupSelect(LookupMixin, forms.Select):
    pass


class LookupSelectMultiple(LookupMixin, forms.SelectMultiple):
    pass


class ObjectChooser(forms.Select):
    """The id of an object of the kind chosen in another field (a content type select, `kind`):
    only the chosen object is rendered, and the search box asks the lookup of the chosen kind
    (`urls`: content type id → its lookup address). Changing the kind empties the choice."""

    template_name = "core/widgets/lookup.html"

    def __init__(self, kind: str, urls: dict[int, str], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.attrs.update({"data-lookup-kind": kind, "data-lookup-urls": json.dumps(urls)})

    def get_context(self, name: str, value: Any, attrs: dict | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["lookup"] = True
        return context
