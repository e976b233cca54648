"""Edit forms generated from a registration, carrying the version read for optimistic locking."""

from typing import Any, cast

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connection, models
from django.utils.translation import gettext_lazy as _

from . import choices, relations
from .registry import ModelEntry, entry_for, is_reference
from .widgets import LookupSelect, LookupSelectMultiple


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

    def clean(self) -> dict[str, Any]:
        data = cast(dict[str, Any], super().clean())  # a model form's cleaned_data
        if hasattr(self, "viewer"):  # set by choices.prepare
            choices.check_generic(self, self.viewer)
        if self.instance.pk and data.get("version") is None and "version" not in self.errors:
            # Without the version read, a newer version would be overwritten unseen.
            self.add_error(None, _("The form came without the version of the object it edits, so it "
                                   "cannot tell whether someone changed the object since. Reload the "
                                   "page and make your change again."))
        return data

    def _post_clean(self) -> None:
        if self.instance.pk and self.cleaned_data.get("version"):
            self.instance.version = self.cleaned_data["version"]
        super()._post_clean()  # type: ignore[misc]  # Django's hook, missing from its stubs

    def _save_m2m(self) -> None:
        """Many-to-many values as every writer sets them (`relations.assign`: one audit entry
        with the ids before and after)."""
        for field in self.instance._meta.many_to_many:
            if field.name in self.fields and field.name in self.cleaned_data:
                relations.assign([self.instance], field, [[o.pk for o in self.cleaned_data[field.name]]])


def _formfield(field: models.Field, **kwargs: Any) -> forms.Field | None:
    related = cast(type[models.Model], field.related_model)  # resolved once the apps are loaded; read for relations
    if is_reference(field) and entry_for(related):
        kwargs["widget"] = LookupSelect(related)
    elif field.many_to_many and entry_for(related):
        kwargs["widget"] = LookupSelectMultiple(related)
    elif isinstance(field, models.DateTimeField):  # seconds kept: an edit leaves the value as it was
        kwargs["widget"] = forms.DateTimeInput(attrs={"type": "datetime-local", "step": "1"},
                                               format="%Y-%m-%dT%H:%M:%S")
    elif isinstance(field, models.DateField):
        kwargs["widget"] = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    elif isinstance(field, models.IntegerField | models.DecimalField | models.FloatField):
        kwargs.update(_limits(field))
    return field.formfield(**kwargs)


def _limits(field: models.Field) -> dict[str, Any]:
    """The bounds a number field's validators set (a positive field's included), declared once on
    the model and shown by the input (`min`, `max`) so that the browser refuses what the model would."""
    # Not the database's own range of an integer column, which IntegerField adds to its validators.
    column = (connection.ops.integer_field_range(field.get_internal_type())
              if isinstance(field, models.IntegerField) else ())
    bounds = [v for v in field.validators if isinstance(v, MinValueValidator | MaxValueValidator)
              and not callable(v.limit_value) and v.limit_value not in column]
    lows = [v.limit_value for v in bounds if isinstance(v, MinValueValidator)]
    highs = [v.limit_value for v in bounds if isinstance(v, MaxValueValidator)]
    result = {}
    if lows:
        result["min_value"] = max(lows)
    if highs:
        result["max_value"] = min(highs)
    return result


def form_class(entry: ModelEntry) -> type[VersionedForm]:
    form = cast(type[VersionedForm], forms.modelform_factory(
        entry.model, form=VersionedForm, fields=entry.editable_fields,
        formfield_callback=_formfield,  # type: ignore[arg-type]  # Django leaves out a None field; stubs forbid it
    ))
    choices.add_helpers(entry, form)
    return form


class BulkEditForm(forms.Form):
    """Sets the filled-in fields on every selected object; empty fields stay as they are.
    Objects chosen in a many-to-many field are added, removed, or replace the set (`<name>_mode`)."""

    ADD, REMOVE, REPLACE = "add", "remove", "replace"
    MODES = ((ADD, _("add these")), (REMOVE, _("remove these")), (REPLACE, _("replace with these")))

    def __init__(self, entry: ModelEntry, user: object, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.entry = entry
        model_form = form_class(entry)()
        choices.prepare(model_form, entry, user)
        skip = {entry.key} | {
            f.name for f in entry.model._meta.concrete_fields if f.unique
        }
        for name in entry.editable_fields:
            if name in skip or name not in model_form.fields:
                continue
            field = model_form.fields[name]
            field.required = False
            if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
                values = cast(list[tuple[Any, Any]], field.choices)  # normalised to a list by Django
                field.choices = [("", "---------"), *[c for c in values if c[0] != ""]]
            self.fields[name] = field
            if name in entry.many_names:
                self.fields[f"{name}_mode"] = forms.ChoiceField(
                    label=_("What to do with them"), choices=self.MODES, initial=self.ADD, required=False,
                    widget=forms.RadioSelect,
                )
        nullable = [
            (n, entry.field(n).verbose_name) for n in self.fields if n in entry.editable_fields
            and (getattr(entry.field(n), "null", False) or getattr(entry.field(n), "blank", False))
        ]
        self.fields["clear"] = forms.MultipleChoiceField(
            label=_("Clear these fields"), choices=nullable, required=False,
            widget=forms.CheckboxSelectMultiple,
        )

    def changes(self) -> dict[str, Any]:
        """Field → value; a many-to-many field → (mode, objects)."""
        data = self.cleaned_data
        values: dict[str, Any] = {
            name: value for name, value in data.items()
            if name in self.entry.editable_fields and value not in (None, "", [])
            and not (isinstance(self.fields[name], forms.BooleanField) and not value)
            and not (name in self.entry.many_names and not value)
        }
        for name in values:
            if name in self.entry.many_names:
                values[name] = (data.get(f"{name}_mode") or self.ADD, list(values[name]))
        for name in data.get("clear", []):
            field = self.entry.field(name)
            values[name] = (self.REPLACE, []) if field.many_to_many else (None if field.null else "")
        return values
