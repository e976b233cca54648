"""Selects of related objects that stay fast when the related table holds thousands of rows.

Up to LOOKUP_THRESHOLD rows, a plain select lists them all. Above that, only the chosen objects
are rendered, and a search box fetches matches from the search index as the user types.
"""

from typing import Any

from django import forms
from django.db import models
from django.urls import reverse

LOOKUP_THRESHOLD = 100


class LookupMixin(forms.Select):
    template_name = "core/widgets/lookup.html"

    def __init__(self, model: type[models.Model], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.model = model

    def get_context(self, name: str, value: Any, attrs: dict | None) -> dict[str, Any]:
        queryset: Any = getattr(self.choices, "queryset", None)
        lookup = queryset is not None and queryset.count() > LOOKUP_THRESHOLD
        if lookup:
            chosen = [v for v in (value if isinstance(value, list | tuple) else [value]) if v not in (None, "")]
            options = [(obj.pk, str(obj)) for obj in queryset.filter(pk__in=chosen)]
            self.choices = ([] if self.allow_multiple_selected else [("", "---------")]) + options
        context = super().get_context(name, value, attrs)
        if lookup:
            meta = self.model._meta
            context["lookup_url"] = reverse("lookup", args=[f"{meta.app_label}.{meta.model_name}"])
        return context


class LookupSelect(LookupMixin, forms.Select):
    pass


class LookupSelectMultiple(LookupMixin, forms.SelectMultiple):
    pass
