"""Edit forms generated from a registration, carrying the version read for optimistic locking."""

from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import choices
from .models import BaseModel, TaggedModel
from .registry import ModelEntry, entry_for, is_reference
from .widgets import LookupSelect


class VersionedForm(forms.ModelForm):
    """Sends back the version the user saw; saving a stale version is refused by the model."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                widget.attrs.setdefault("class", "form-select")
            elif not isinstance(widget, forms.HiddenInput):
                widget.attrs.setdefault("class", "form-control")

    def _post_clean(self) -> None:
        if self.instance.pk and self.cleaned_data.get("version"):
            self.instance.version = self.cleaned_data["version"]
        super()._post_clean()


def _formfield(field: models.Field, **kwargs: Any) -> forms.Field | None:
    if is_reference(field) and entry_for(field.related_model):
        kwargs["widget"] = LookupSelect(field.related_model)
    elif isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
        kwargs["widget"] = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    return field.formfield(**kwargs)


def form_class(entry: ModelEntry) -> type[VersionedForm]:
    form = forms.modelform_factory(
        entry.model, form=VersionedForm, fields=entry.editable_fields,
        formfield_callback=_formfield,
    )
    choices.add_helpers(entry, form)
    return form


class BulkEditForm(forms.Form):
    """Sets the filled-in fields on every selected object; empty fields stay as they are."""

    def __init__(self, entry: ModelEntry, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.entry = entry
        model_form = form_class(entry)()
        skip = {entry.key} | {
            f.name for f in entry.model._meta.concrete_fields if f.unique
        }
        for name in entry.editable_fields:
            if name in skip or name not in model_form.fields:
                continue
            field = model_form.fields[name]
            field.required = False
            if isinstance(field, forms.TypedChoiceField | forms.ChoiceField):
                field.choices = [("", "---------"), *[c for c in field.choices if c[0] != ""]]
            self.fields[name] = field
        nullable = [
            (n, entry.field(n).verbose_name) for n in self.fields
            if getattr(entry.field(n), "null", False) or getattr(entry.field(n), "blank", False)
        ]
        self.fields["clear"] = forms.MultipleChoiceField(
            label=_("Clear these fields"), choices=nullable, required=False,
            widget=forms.CheckboxSelectMultiple,
        )

    def changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        values = {
            name: value for name, value in data.items()
            if name != "clear" and value not in (None, "", [])
            and not (isinstance(self.fields[name], forms.BooleanField) and not value)
        }
        for name in data.get("clear", []):
            field = self.entry.field(name)
            values[name] = [] if field.many_to_many else (None if field.null else "")
        return values


def apply_changes(obj: BaseModel, values: dict[str, Any]) -> None:
    """Set plain fields now; many-to-many values are applied by `save_m2m` after saving."""
    obj._m2m = {}
    for name, value in values.items():
        if obj._meta.get_field(name).many_to_many:
            obj._m2m[name] = value
        else:
            setattr(obj, name, value)


def save_m2m(obj: BaseModel) -> None:
    for name, value in getattr(obj, "_m2m", {}).items():
        getattr(obj, name).set(value)


def is_tagged(model: type[models.Model]) -> bool:
    return issubclass(model, TaggedModel)
