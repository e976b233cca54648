"""Filters of the audit trail page: who, what, which object, how, when."""

from typing import Any

import django_filters as df
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _
from django_filters.widgets import DateRangeWidget

from .models import Action, AuditEntry, Source


class AuditEntryFilter(df.FilterSet):
    actor = df.CharFilter(field_name="actor_name", lookup_expr="icontains", label=_("actor"))
    content_type = df.ModelChoiceFilter(
        queryset=ContentType.objects.order_by("app_label", "model"),
        label=_("object type"),
    )
    object_id = df.NumberFilter(label=_("object ID"))
    action = df.MultipleChoiceFilter(choices=Action.choices, label=_("action"))
    source = df.ChoiceFilter(choices=Source.choices, label=_("source"))
    time = df.DateFromToRangeFilter(
        label=_("time"),
        widget=DateRangeWidget(attrs={"type": "date"}),
    )

    class Meta:
        model = AuditEntry
        fields = ("actor", "content_type", "object_id", "action", "source", "time")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            widget = field.widget
            css = (
                "form-select form-select-sm"
                if isinstance(widget, forms.Select | forms.SelectMultiple)
                else "form-control form-control-sm"
            )
            for sub in getattr(widget, "widgets", [widget]):
                sub.attrs["class"] = css
