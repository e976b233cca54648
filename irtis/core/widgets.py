"""Selects of related objects that stay fast when the related table holds thousands of rows.

Up to LOOKUP_THRESHOLD rows, a plain select lists them all. Above that, only the chosen objects
are rendered, and a search box fetches matches from `core.lookup` as the user types. A select
whose choices follow other fields (`data-depends`, see core.choices) carries the lookup address
too, so that the browser can fetch its choices again when a parent changes.
"""

from typing import Any

from django import forms
from django.db import models
from django.urls import reverse

LOOKUP_THRESHOLD = 100


class LookupMixin:
    template_name = "core/widgets/lookup.html"
    # Search box or plain select: decided by the form (core.choices.prepare), else by counting.
    lookup: bool | None = None

    def __init__(self, model: type[models.Model], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.model = model

    def get_context(self, name: str, value: Any, attrs: dict | None) -> dict[str, Any]:
        queryset = getattr(self.choices, "queryset", None)
        lookup = self.lookup
        if lookup is None:
            lookup = queryset is not None and queryset.count() > LOOKUP_THRESHOLD
        choices = self.choices
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
