"""Writing many objects of a registered model, and replacing one: a real bulk edit through the
list page, and PUT through the API, each recorded in the audit trail."""

from typing import Any, ClassVar

import pytest
from django.test import Client

from irtis.core.models import BaseModel

JSON = "application/json"


@pytest.mark.django_db
class WriteContract:
    """Mixed into ModelContract: uses its `model`, `make` and `change`."""

    model: ClassVar[type[BaseModel]]
    change: ClassVar[dict[str, Any]]

    def test_bulk_edit_changes_every_object(self, admin_client: Client) -> None:
        objects = [self.make(n) for n in (3, 5, 8)]
        change = self.bulk_change(self.change)
        assert change, "the model's `change` has no field the bulk edit form sets"
        data = {"pk": [o.pk for o in objects], **self.bulk_data(self.change)}
        assert admin_client.post(self.entry.url("bulk_edit"), data).status_code == 200  # the form
        response = admin_client.post(self.entry.url("bulk_edit"), {**data, "apply": "1"})
        assert response.status_code == 302, _errors(response)
        for obj in objects:
            current = self.model.objects.get(pk=obj.pk)
            assert current.version == obj.version + 1
            for name, value in change.items():
                assert _comparable(getattr(current, name)) == _comparable(value), name
            record = self.changes_of(obj)[-1]
            assert record.action == "update"
            names = {self.model._meta.get_field(name).attname for name in change}
            assert {n for n in names if record.before.get(n) != record.after.get(n)}, (record.before, record.after)

    def test_api_put_replaces(self, admin_client: Client) -> None:
        obj = self.make(1)
        etag = admin_client.get(self.api_url(obj))["ETag"]
        payload = {**self.api_whole(obj), **{k: self.api_field(k, v) for k, v in self.change.items()}}
        response = admin_client.put(self.api_url(obj), payload, content_type=JSON, headers={"If-Match": etag})
        assert response.status_code == 200, response.content
        assert response["ETag"] != etag
        current = self.model.objects.get(pk=obj.pk)
        for name, value in self.change.items():
            assert _comparable(getattr(current, name)) == _comparable(value), name
        assert self.changes_of(obj)[-1].action == "update"
        # The same PUT again with the old ETag is stale: refused, nothing written.
        response = admin_client.put(self.api_url(obj), payload, content_type=JSON, headers={"If-Match": etag})
        assert response.status_code == 412
        assert self.model.objects.get(pk=obj.pk).version == current.version
        # PUT replaces the whole object: a required field left out is an error, not a default.
        required = [n for n in self.entry.editable_fields if not self.entry.field(n).blank
                    and not self.entry.field(n).has_default()]
        if required:
            partial = {k: v for k, v in payload.items() if k != required[0]}
            response = admin_client.put(self.api_url(obj), partial, content_type=JSON)
            assert response.status_code in {400, 422}, (required[0], response.status_code)
        # Optional fields left out take their defaults (blank text "", no choice null): never a 500.
        optional = {n for n in self.entry.editable_fields if self.entry.field(n).blank}
        if optional - set(self.entry.many_names):
            slim = {k: v for k, v in payload.items() if k not in optional}
            response = admin_client.put(self.api_url(obj), slim, content_type=JSON)
            assert response.status_code in {200, 400}, response.content  # 400: a rule across fields


def _comparable(value: Any) -> Any:
    if hasattr(value, "all"):  # a many-to-many manager
        return sorted(v.pk for v in value.all())
    if isinstance(value, list):
        return sorted(v.pk for v in value)
    return value


def _errors(response: Any) -> Any:
    form = response.context and response.context.get("form")
    return form.errors if form is not None else response.content[:300]
