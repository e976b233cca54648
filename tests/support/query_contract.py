"""Finding objects of a registered model: every declared filter narrows the list, and a search
returns what matches and nothing else (by `q`, by the global search, and never a hidden object).
"""

import datetime
import decimal
from typing import ClassVar

import pytest
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.test import Client
from django.urls import reverse

from irtis.core import registry, search
from irtis.core.models import BaseModel
from irtis.core.registry import is_reference


@pytest.mark.django_db
class QueryContract:
    """Mixed into ModelContract: uses its `model` and `make`."""

    model: ClassVar[type[BaseModel]]

    def differ(self, name: str, first: BaseModel, second: BaseModel) -> str:
        """Make `first` and `second` (saved, from `make`) differ in the filtered field `name`;
        return the filter's value that matches `first`. Derived from the field's type; a model
        overrides it for a field whose values cannot be (computed fields, rules between fields)."""
        field = self.model._meta.get_field(name)
        empty = getattr(first, field.attname) in (None, "")
        if not empty and getattr(first, field.attname) != getattr(second, field.attname):
            return query_value(getattr(first, field.attname))
        target = first if empty else second
        current = getattr(target, field.name)
        if is_reference(field):
            value = _other_object(field.related_model, getattr(target, field.attname))
        elif field.choices:
            value = next(v for v, _label in field.flatchoices if v not in ("", current))
        elif isinstance(field, models.BooleanField):
            value = not current
        elif isinstance(field, models.DateField):
            value = (current or datetime.date(2030, 1, 1)) + datetime.timedelta(days=1)
        elif isinstance(field, models.DecimalField):
            value = (current or decimal.Decimal(0)) + 1
        elif isinstance(field, models.IntegerField | models.FloatField):
            value = (current or 0) + 1
        else:
            value = f"{current or ''}kita"[-(field.max_length or 100):]
        setattr(target, field.name, value)
        for _attempt in range(3):  # rules between fields: clear the fields they name, or the field's rivals
            try:
                target.full_clean()
                break
            except ValidationError as error:
                named = set(error.message_dict) - {name, "__all__"}
                rivals = [f for f in self.model._meta.concrete_fields if is_reference(f) and f.null and f.name != name]
                for other in [self.model._meta.get_field(n) for n in named] if named else rivals:
                    setattr(target, other.attname, None if other.null else "")
        target.full_clean()
        target.save()
        return query_value(getattr(self.model.objects.get(pk=first.pk), field.attname))

    def pytest_generate_tests(self, metafunc: pytest.Metafunc) -> None:
        if "filter_name" in metafunc.fixturenames:
            metafunc.parametrize("filter_name", registry.entry_for(metafunc.cls.model).filters)

    def test_declared_filter_narrows(self, admin_client: Client, filter_name: str) -> None:
        """Two objects that differ in the filtered field: the filter keeps one, not the other."""
        name = filter_name
        first, second = self.make(3), self.make(8)
        value = self.differ(name, first, second)
        query = {name: value}
        response = admin_client.get(self.api_url(), {**query, "limit": 1000})
        assert response.status_code == 200, response.content
        found = {row["id"] for row in response.json()["results"]}
        assert first.pk in found and second.pk not in found, (name, value, found)
        page = admin_client.get(self.entry.url("list"), {**query, "per_page": 1000}).content.decode()
        assert first.get_absolute_url() in page and second.get_absolute_url() not in page, name

    def test_search_returns_only_matches(self, admin_client: Client) -> None:
        wanted, other = self.make(3), self.make(8)
        query = str(wanted)
        words = search.normalize(query).split()
        document = search._document(self.entry, other)
        assert not all(w in document for w in words), f"make() gives objects too alike to tell apart: {query}"
        results = admin_client.get(reverse("search"), {"q": query}).context["results"]
        found = {row.object_id for entry, rows, _n in results if entry.model is self.model for row in rows}
        assert wanted.pk in found and other.pk not in found, (query, found)
        found = {row["id"] for row in admin_client.get(self.api_url(), {"q": query}).json()["results"]}
        assert wanted.pk in found and other.pk not in found, (query, found)
        page = admin_client.get(self.entry.url("list"), {"q": query}).content.decode()
        assert wanted.get_absolute_url() in page and other.get_absolute_url() not in page

    def test_search_hides_objects_outside_the_constraint(self, admin_client: Client) -> None:
        visible, hidden = self.make(3), self.make(8)
        person = self.person({"view": {"pk__in": [visible.pk]}})
        ui, api = self.client(person, "list"), self.client(person, "api_list")
        query = str(hidden)
        for client in (admin_client, ui):
            results = client.get(reverse("search"), {"q": query}).context["results"]
            found = {row.object_id for entry, rows, _n in results if entry.model is self.model for row in rows}
            assert (hidden.pk in found) is (client is admin_client), query
        assert api.get(self.api_url(), {"q": query}).json()["results"] == []
        assert hidden.get_absolute_url() not in ui.get(self.entry.url("list"), {"q": query}).content.decode()


def query_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _other_object(model: type[models.Model], current: object) -> models.Model:
    """A saved object of `model` other than the one whose id is `current`."""
    from tests.identity.access import contracts, sample

    contract = contracts().get(model)
    for n in range(20, 30) if contract else ():
        try:
            with transaction.atomic():
                obj = contract().make(n)
        except Exception:  # a number the contract cannot make: try the next
            continue
        if obj.pk != current:
            return obj
    return sample(model)
