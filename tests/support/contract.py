"""The generic test contract every registered model passes; a model's tests supply data only.

    class TestSite(ModelContract):
        model = Site
        change = {"name": "Pervadinta"}

        def make(self, n): return Site.objects.create(code=f"S{n}", name=f"Vieta {n}", kind="seaport")
        def new_values(self): return {"code": "NEW", "name": "Nauja", "kind": "seaport"}
"""

import io
import json
from typing import Any, ClassVar

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.test import Client
from django.urls import reverse

from irtis.audit.models import AuditEntry
from irtis.core import registry
from irtis.core.exports import dataset
from irtis.core.models import BaseModel
from irtis.core.registry import is_reference

from .permission_contract import PermissionContract
from .query_contract import QueryContract
from .write_contract import WriteContract

JSON = "application/json"
# Queries a page may run on top of what it shows: session, user, menu, permissions …
PAGE_QUERY_BUDGET = 15


def form_value(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple):
        return [form_value(v) for v in value]
    return "" if value is None else value


def api_value(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


@pytest.mark.django_db
class ModelContract(PermissionContract, QueryContract, WriteContract):
    model: ClassVar[type[BaseModel]]
    change: ClassVar[dict[str, Any]] = {}

    def make(self, n: int) -> BaseModel:
        raise NotImplementedError

    def new_values(self) -> dict[str, Any]:
        raise NotImplementedError

    # --- helpers ------------------------------------------------------------------------

    @property
    def entry(self) -> registry.ModelEntry:
        return registry.entry_for(self.model)

    def url(self, action: str, obj: BaseModel | None = None) -> str:
        return reverse(self.entry.url_name(action), args=[obj.pk] if obj else [])

    def api_url(self, obj: BaseModel | None = None) -> str:
        base = f"/api/{self.entry.app_label}/{self.entry.path}/"
        return f"{base}{obj.pk}/" if obj else base

    def form_data(self, obj: BaseModel | None = None, values: dict[str, Any] | None = None) -> dict[str, Any]:
        """What the edit form posts: the object's current values overlaid with `values`."""
        data = {}
        current = obj if obj is not None else self.model()  # a new object starts from the defaults
        for name in self.entry.editable_fields:
            field = self.model._meta.get_field(name)
            if field.many_to_many:
                data[name] = [t.pk for t in getattr(current, name).all()] if current.pk else []
            elif is_reference(field):
                data[name] = form_value(getattr(current, field.attname))
            else:
                data[name] = form_value(getattr(current, name))
        if obj is not None:
            data["version"] = obj.version
        for name, value in (values or {}).items():
            data[name] = form_value(value)
        return {k: v for k, v in data.items() if v != [] and v is not None}

    def changes_of(self, obj: BaseModel) -> list[AuditEntry]:
        content_type = ContentType.objects.get_for_model(obj)
        return list(AuditEntry.objects.filter(content_type=content_type, object_id=obj.pk).order_by("id"))

    # --- pages --------------------------------------------------------------------------

    def test_list_page_queries_do_not_grow(self, admin_client: Client, django_assert_max_num_queries: Any) -> None:
        for n in range(3):
            self.make(n)
        with django_assert_max_num_queries(PAGE_QUERY_BUDGET) as few:
            assert admin_client.get(self.url("list")).status_code == 200
        for n in range(3, 20):
            self.make(n)
        with django_assert_max_num_queries(len(few.captured_queries)):
            response = admin_client.get(self.url("list") + "?per_page=100")
        assert response.status_code == 200

    def test_detail_page(self, admin_client: Client, django_assert_max_num_queries: Any) -> None:
        obj = self.make(1)
        with django_assert_max_num_queries(PAGE_QUERY_BUDGET + 10):
            response = admin_client.get(obj.get_absolute_url())
        assert response.status_code == 200
        assert str(obj) in response.content.decode()

    def test_create_edit_clone_delete_through_pages(self, admin_client: Client) -> None:
        response = admin_client.post(self.url("add"), self.form_data(values=self.new_values()))
        assert response.status_code == 302, response.context["form"].errors if response.context else response
        obj = self.model.objects.order_by("-pk").first()
        assert [c.action for c in self.changes_of(obj)][:1] == ["create"]
        assert admin_client.get(self.url("add") + f"?clone={obj.pk}").status_code == 200
        response = admin_client.post(self.url("edit", obj), self.form_data(obj, self.change))
        assert response.status_code == 302, response.context["form"].errors if response.context else response
        obj.refresh_from_db()
        assert obj.version == 2
        update = self.changes_of(obj)[-1]
        assert update.action == "update" and update.before != update.after
        assert admin_client.get(self.url("delete", obj)).status_code == 200
        assert admin_client.post(self.url("delete", obj)).status_code == 302
        assert not self.model.objects.filter(pk=obj.pk).exists()
        assert self.changes_of(obj)[-1].action == "delete"

    def test_stale_edit_is_refused(self, admin_client: Client) -> None:
        obj = self.make(1)
        stale = self.form_data(obj, self.change)
        admin_client.post(self.url("edit", obj), self.form_data(obj, self.change))
        before = self.model.objects.get(pk=obj.pk).version
        response = admin_client.post(self.url("edit", obj), stale)
        assert response.status_code == 409
        assert self.model.objects.get(pk=obj.pk).version == before

    def test_bulk_edit_and_delete(self, admin_client: Client) -> None:
        objects = [self.make(n) for n in range(3)]
        pks = [o.pk for o in objects]
        response = admin_client.post(self.url("bulk_delete"), {"pk": pks})
        assert response.status_code == 200  # the confirmation page
        response = admin_client.post(self.url("bulk_delete"), {"pk": pks, "confirm": "1"})
        assert response.status_code == 302
        assert not self.model.objects.filter(pk__in=pks).exists()

    # --- search -------------------------------------------------------------------------

    def test_search_and_q(self, admin_client: Client) -> None:
        obj = self.make(7)
        word = str(obj).split()[0]
        response = admin_client.get(reverse("search"), {"q": word})
        assert obj.get_absolute_url() in response.content.decode()
        response = admin_client.get(self.url("list"), {"q": word})
        assert obj.get_absolute_url() in response.content.decode()

    # --- import and export ----------------------------------------------------------------

    @pytest.mark.parametrize("fmt", ["csv", "xlsx", "json", "yaml"])
    def test_export_imports_back(self, admin_client: Client, fmt: str) -> None:
        objects = [self.make(n) for n in range(3)]
        response = admin_client.get(self.url("export"), {"format": fmt})
        assert response.status_code == 200
        content = response.content
        # Change the data in the database, then import the old export: it restores the values.
        for obj in self.model.objects.filter(pk__in=[o.pk for o in objects]):
            for name, value in self.change.items():
                setattr(obj, name, value)
            obj.save()
        upload = io.BytesIO(content)
        upload.name = f"export.{fmt}"
        response = admin_client.post(self.url("import"), {"file": upload})
        assert response.status_code == 200, _import_errors(response)
        response = admin_client.post(self.url("import"), {"data": response.context["data"], "confirm": "1"})
        assert response.status_code == 302, _import_errors(response)
        exported = dataset(self.entry, self.model.objects.filter(pk__in=[o.pk for o in objects]).order_by("pk"), False)
        original = dataset(self.entry, self.model.objects.none(), False)
        assert len(exported) == 3 and original.headers == exported.headers
        for obj in objects:
            current = self.model.objects.get(pk=obj.pk)
            for name in self.change:
                assert getattr(current, name) == getattr(obj, name)

    # --- API ------------------------------------------------------------------------------

    def api_payload(self) -> dict[str, Any]:
        return {k: [t.slug for t in v] if k == "tags" else api_value(v) for k, v in self.new_values().items()}

    def test_api_crud(self, admin_client: Client, django_assert_max_num_queries: Any) -> None:
        for n in range(3):
            self.make(n)
        with django_assert_max_num_queries(6) as few:
            assert admin_client.get(self.api_url()).status_code == 200
        for n in range(3, 20):
            self.make(n)
        with django_assert_max_num_queries(len(few.captured_queries)):
            response = admin_client.get(self.api_url(), {"limit": 100})
        assert response.json()["count"] == 20
        brief = admin_client.get(self.api_url(), {"brief": "true"}).json()["results"][0]
        assert set(brief) == set(self.entry.brief)

        response = admin_client.post(self.api_url(), self.api_payload(), content_type="application/json")
        assert response.status_code == 201, response.content
        created = response.json()
        obj = self.model.objects.get(pk=created["id"])
        response = admin_client.get(self.api_url(obj))
        etag = response["ETag"]
        change = {k: api_value(v) for k, v in self.change.items()}
        response = admin_client.patch(self.api_url(obj), change, content_type=JSON, headers={"If-Match": etag})
        assert response.status_code == 200, response.content
        # The old ETag is stale now: refused, nothing changed.
        response = admin_client.patch(self.api_url(obj), change, content_type=JSON, headers={"If-Match": etag})
        assert response.status_code == 412
        response = admin_client.patch(self.api_url(), [{"id": obj.pk, **change}], content_type="application/json")
        assert response.status_code == 200, response.content
        actions = [c.action for c in self.changes_of(obj)]  # tag changes are entries of their own
        assert actions[0] == "create" and actions.count("update") >= 2
        assert admin_client.delete(self.api_url(obj)).status_code == 204
        assert not self.model.objects.filter(pk=obj.pk).exists()

    def test_api_refuses_bad_input(self, admin_client: Client) -> None:
        assert admin_client.post(self.api_url(), "{", content_type=JSON).status_code in {400, 422}
        assert admin_client.post(self.api_url(), {"no_such_field": 1}, content_type=JSON).status_code in {400, 422}
        assert admin_client.get(self.api_url(), {"limit": 5000}).status_code == 400
        assert admin_client.get(self.api_url(), {"ordering": "nonsense"}).status_code == 400
        assert admin_client.get(self.api_url() + "999999/").status_code == 404


def _import_errors(response: Any) -> Any:
    plan = response.context and response.context.get("plan")
    if plan:
        return [(e.row, e.column, e.message) for e in plan.errors]
    return response.context and response.context.get("file_error")


def as_json(rows: list[dict[str, Any]]) -> str:
    return json.dumps(rows, ensure_ascii=False)
