"""Choices of related objects in edit forms: the objects the user may see, narrowed by the form's
other choices.

A registration declares once which fields follow others: `depends={"rack": ("site", "location")}`
offers only the racks whose `site` and `location` are the ones chosen in the form (a rack with no
location fits any location: an empty optional field narrows nothing out). The plain select is
narrowed when the form is built, the search box sends the chosen parents to `core.lookup`, the
browser fetches the choices again when a parent changes (`irtis.js`), and a posted child that does
not fit its parents is refused. A parent the model lacks becomes a form field that only narrows:
an IP address has no device, but `depends={"interface": ("device",)}` lets the user pick a device
to choose among its interfaces.
"""

import json
from collections.abc import Mapping
from typing import Any, cast

from django import forms
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import permissions, registry
from .registry import ModelEntry, entry_for, is_reference
from .widgets import LOOKUP_THRESHOLD, LookupMixin, LookupSelect, ObjectChooser


def visible(model: type[models.Model], user: object) -> models.QuerySet:
    """The objects of `model` the user may be offered: every select of related objects (forms,
    bulk edit, filters, search boxes) lists only these, and an id outside them is refused as if
    it did not exist."""
    return permissions.restrict(model._default_manager.all(), user)


def labelled(queryset: models.QuerySet) -> models.QuerySet:
    """`queryset` with the objects its rows point at, which their names usually show."""
    related = [f.name for f in queryset.model._meta.concrete_fields if is_reference(f)]
    return queryset.select_related(*related) if related else queryset


def narrow(queryset: models.QuerySet, parents: Mapping[str, int]) -> models.QuerySet:
    """The objects whose reference fields named in `parents` point at those ids (or, where the
    field is optional, at nothing)."""
    for name, pk in parents.items():
        field = queryset.model._meta.get_field(name)
        fits = models.Q(**{field.attname: pk})
        queryset = queryset.filter(fits | models.Q(**{f"{field.attname}__isnull": True}) if field.null else fits)
    return queryset


def parent_fields(model: type[models.Model], names: Mapping[str, Any]) -> dict[str, int]:
    """`names` (field → id as text) checked: each a reference field of `model`, each id a number.
    Empty values are left out; anything else raises ValueError."""
    result = {}
    for name, value in names.items():
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            raise ValueError(name) from None
        if not is_reference(cast(models.Field, field)):  # False for any other kind of field
            raise ValueError(name)
        if value not in ("", None):
            try:
                result[name] = object_id(value)
            except ValueError:
                raise ValueError(f"{name}={value}") from None
    return result


def object_id(value: Any) -> int:
    """`value` as an id a database column can hold, else ValueError."""
    number = int(value)
    if not 0 < number < 2**63:
        raise ValueError(value)
    return number


def helper_fields(entry: ModelEntry) -> dict[str, tuple[str, forms.Field]]:
    """Parents the model lacks, as form fields that only narrow: name → (child, field)."""
    own = set(entry.editable_fields)
    result: dict[str, tuple[str, forms.Field]] = {}
    for child, parents in entry.depends.items():
        related = cast(type[models.Model], entry.field(child).related_model)  # resolved once the apps are loaded
        for name in parents:
            if name in own or name in result:
                continue
            target = cast(models.ForeignKey, related._meta.get_field(name))  # a parent reference
            parent = cast(type[models.Model], target.related_model)
            result[name] = (child, forms.ModelChoiceField(
                queryset=parent._default_manager.all(), required=False,
                label=target.verbose_name, widget=LookupSelect(parent),
                help_text=_("Only narrows the choices of “%(field)s”; not saved.") % {
                    "field": entry.field(child).verbose_name},
            ))
    return result


def add_helpers(entry: ModelEntry, form_class: type[forms.ModelForm]) -> None:
    """Put the narrowing fields of `entry` into `form_class`, each just before its child."""
    helpers = helper_fields(entry)
    if not helpers:
        return
    fields = {}
    for name, field in form_class.base_fields.items():
        fields.update({h: f for h, (child, f) in helpers.items() if child == name})
        fields[name] = field
    form_class.base_fields = fields


def prepare(form: forms.ModelForm, entry: ModelEntry, user: object) -> None:
    """Offer only the objects the user may see, narrowed by the parents chosen in the form.

    The object a field holds now stays offered (a form opened and saved unchanged loses nothing);
    whether it still fits its parents is checked when the form is posted.
    """
    instance = form.instance
    form.viewer = user  # type: ignore[attr-defined]  # read by VersionedForm.clean (check_generic)
    prepare_generic(form, user)
    for name, (child, _field) in helper_fields(entry).items():
        if not form.is_bound and name not in form.initial:
            child_pk = form.initial.get(child, getattr(instance, entry.field(child).attname, None))
            if child_pk is not None:
                related = cast(type[models.Model], entry.field(child).related_model)._default_manager
                form.initial[name] = related.filter(pk=child_pk).values_list(name, flat=True).first()
    for name, field in form.fields.items():
        if (not isinstance(field, forms.ModelChoiceField) or field.queryset is None
                or entry_for(field.queryset.model) is None):
            continue
        value = _value(form, name, bound=False)
        pks = [getattr(v, "pk", v) for v in value] if isinstance(value, list | tuple) else [value]
        held = field.queryset.filter(pk__in=[v for v in pks if v not in (None, "")])
        queryset = permissions.restrict(field.queryset, user)
        if isinstance(field.widget, LookupMixin):
            field.widget.lookup = queryset.count() > LOOKUP_THRESHOLD
        queryset = queryset | held
        parents = [p for p in entry.depends.get(name, ()) if p in form.fields]
        if parents:
            queryset = _narrowed(form, field, queryset, parents)
            if not form.is_bound:
                queryset = queryset | held
        field.queryset = labelled(queryset)


def generic_ends(model: type[models.Model]) -> list[GenericForeignKey]:
    """The model's references to an object of any kind (a content type and an id)."""
    return [f for f in model._meta.private_fields if isinstance(f, GenericForeignKey)]


def prepare_generic(form: forms.ModelForm, user: object) -> None:
    """Each end that may name an object of any kind: the kind among the registered models the user
    may view, then the object searched among those of that kind (core.lookup)."""
    ends = generic_ends(form._meta.model)
    if not ends:  # most forms: the kinds' permissions and addresses (147 of each) are not needed
        return
    viewable = [e.model for e in registry.entries() if permissions.allowed(user, e, "view")]
    kinds = ContentType.objects.get_for_models(*viewable) if viewable else {}
    urls = {ct.pk: reverse("lookup", args=[f"{model._meta.app_label}.{model._meta.model_name}"])
            for model, ct in kinds.items()}
    for end in ends:
        if end.ct_field not in form.fields or end.fk_field not in form.fields:
            continue
        kind = cast(forms.ModelChoiceField, form.fields[end.ct_field])  # a foreign key to ContentType
        kind.queryset = ContentType.objects.filter(pk__in=list(urls))
        names = sorted((str(model._meta.verbose_name).capitalize(), ct.pk) for model, ct in kinds.items())
        kind.choices = [("", "---------"), *[(pk, name) for name, pk in names]]
        field = form.fields[end.fk_field]
        chooser = ObjectChooser(kind=form[end.ct_field].html_name, urls=urls, attrs=field.widget.attrs)
        chooser.attrs.pop("min", None), chooser.attrs.pop("max", None)
        chooser.choices = [("", "---------"), *_chosen(form, end, user)]
        field.widget = chooser


def _chosen(form: forms.ModelForm, end: GenericForeignKey, user: object) -> list[tuple[int, str]]:
    """The object the end names now (posted or stored), if the user may view it."""
    type_id, pk = _value(form, end.ct_field, form.is_bound), _value(form, end.fk_field, form.is_bound)
    try:
        model = ContentType.objects.get_for_id(int(type_id)).model_class()
        obj = visible(model, user).filter(pk=object_id(pk)).first() if model else None
    except (ValueError, TypeError, ContentType.DoesNotExist):
        return []
    return [(obj.pk, str(obj))] if obj else []


def check_generic(form: forms.ModelForm, user: object) -> None:
    """An end naming an object the user may not view is refused like one that does not exist."""
    for end in generic_ends(form._meta.model):
        kind, pk = form.cleaned_data.get(end.ct_field), form.cleaned_data.get(end.fk_field)
        if isinstance(kind, ContentType) and pk is not None and kind.model_class() is not None:
            if not visible(cast(type[models.Model], kind.model_class()), user).filter(pk=pk).exists():
                form.add_error(end.fk_field, _("No such object."))


def _narrowed(
    form: forms.BaseForm, field: forms.ModelChoiceField, queryset: models.QuerySet, parents: list[str],
) -> models.QuerySet:
    field.widget.attrs["data-depends"] = json.dumps({p: form[p].html_name for p in parents})
    field.error_messages["invalid_choice"] = _("Choose one that fits the choices above: %(fields)s.") % {
        "fields": ", ".join(str(form.fields[p].label) for p in parents)}
    values = {p: _value(form, p, bound=form.is_bound) for p in parents}
    try:
        return narrow(queryset, parent_fields(queryset.model, values))
    except ValueError:
        return queryset  # a parent's own field reports its bad value


def _value(form: forms.BaseForm, name: str, bound: bool) -> Any:
    """The id chosen in the field: posted if `bound`, else the form's initial value."""
    if bound:
        return form[name].data
    value = form.get_initial_for_field(form.fields[name], name)
    return getattr(value, "pk", value)
