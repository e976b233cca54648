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
from irtis.core import permissions, registry, relations, tabular
from irtis.core.exports import dataset
from irtis.core.models import BaseModel, Tag
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
    # The detail page's queries: constant, whatever the data; a page with other apps' panels
    # states its own.
    detail_budget: ClassVar[int] = PAGE_QUERY_BUDGET + 10

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
        with django_assert_max_num_queries(self.detail_budget):
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
        self.import_file(admin_client, content, fmt)
        exported = dataset(self.entry, self.model.objects.filter(pk__in=[o.pk for o in objects]).order_by("pk"), False)
        original = dataset(self.entry, self.model.objects.none(), False)
        assert len(exported) == 3 and original.headers == exported.headers
        for obj in objects:
            current = self.model.objects.get(pk=obj.pk)
            for name in self.change:
                assert getattr(current, name) == getattr(obj, name)

    # --- API ------------------------------------------------------------------------------

    def api_payload(self) -> dict[str, Any]:
        return {k: [api_value(t) for t in v] if isinstance(v, list) else api_value(v)
                for k, v in self.new_values().items()}

    def import_file(self, client: Client, content: bytes, fmt: str) -> None:
        """Upload a file, preview it and confirm the import; both steps must succeed."""
        upload = io.BytesIO(content)
        upload.name = f"export.{fmt}"
        response = client.post(self.url("import"), {"file": upload})
        assert response.status_code == 200, _import_errors(response)
        upload = response.context["upload"]
        response = client.post(self.url("import"), {"upload": upload.pk, "digest": upload.digest, "confirm": "1"})
        assert response.status_code == 302, _import_errors(response)

    def test_api_crud(self, admin_client: Client, django_assert_max_num_queries: Any) -> None:
        existing = self.model.objects.count()  # users: the signed-in administrator
        for n in range(3):
            self.make(n)
        with django_assert_max_num_queries(6) as few:
            assert admin_client.get(self.api_url()).status_code == 200
        for n in range(3, 20):
            self.make(n)
        with django_assert_max_num_queries(len(few.captured_queries)):
            response = admin_client.get(self.api_url(), {"limit": 100})
        assert response.json()["count"] == existing + 20
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

    # --- many-to-many fields (tags and domain relations) -----------------------------------

    def many_targets(self, field: models.ManyToManyField, n: int) -> list[models.Model]:
        """`n` saved objects that `field` may name. Tags are made here; a model with another
        many-to-many field supplies its objects by overriding this."""
        if field.related_model is Tag:
            start = Tag.objects.count()
            return [Tag.objects.create(name=f"Žyma M{start + i}", slug=f"zyma-m{start + i}") for i in range(n)]
        raise NotImplementedError(f"override many_targets() for {field}")

    def many_cases(self) -> list[tuple[models.ManyToManyField, list[models.Model]]]:
        return [(field, self.many_targets(field, 3)) for field in self.entry.many_fields]

    def test_many_api(self, admin_client: Client, django_assert_max_num_queries: Any) -> None:
        """Read and written as lists of ids, filtered by id and natural key, audited before/after;
        bad ids refused naming them; a list of rows with values in a constant number of queries."""
        cases = self.many_cases()
        objects = [self.make(n) for n in range(3)]
        obj = objects[0]
        for field, targets in cases:
            name, ids = field.name, [t.pk for t in targets]
            response = admin_client.patch(self.api_url(obj), {name: [ids[1], ids[0]]}, content_type=JSON)
            assert response.status_code == 200, response.content
            assert response.json()[name] == sorted(ids[:2])
            assert admin_client.get(self.api_url(obj)).json()[name] == sorted(ids[:2])
            change = self.changes_of(obj)[-1]
            assert change.before == {name: []} and change.after == {name: sorted(ids[:2])}
            found = admin_client.get(self.api_url(), {name: [ids[0], ids[2]]}).json()["results"]
            assert [r["id"] for r in found] == [obj.pk]
            assert admin_client.get(self.api_url(), {name: ids[2]}).json()["count"] == 0
            key = tabular.related_key(field)
            if key != "pk":
                found = admin_client.get(self.api_url(), {f"{name}__{key}": getattr(targets[1], key)}).json()
                assert [r["id"] for r in found["results"]] == [obj.pk]
                response = admin_client.get(self.api_url(), {f"{name}__{key}": "no-such-key"})
                assert response.status_code == 400 and "no-such-key" in response.content.decode()
            missing = max(ids) + 1000
            for bad, named in (([ids[0], ids[0]], ids[0]), ([ids[0], missing], missing)):
                response = admin_client.patch(self.api_url(obj), {name: bad}, content_type=JSON)
                assert response.status_code == 400 and str(named) in response.json()["errors"][name][0]
            assert admin_client.get(self.api_url(obj)).json()[name] == sorted(ids[:2])
            response = admin_client.post(self.api_url(), [{**self.api_payload(), name: [missing]}], content_type=JSON)
            assert response.status_code == 400 and str(missing) in response.content.decode()
        for other in objects[1:]:
            for field, targets in cases:
                relations.assign([other], field, [[t.pk for t in targets]])
        with django_assert_max_num_queries(6) as few:
            assert admin_client.get(self.api_url()).status_code == 200
        for n in range(3, 20):
            made = self.make(n)
            for field, targets in cases:
                relations.assign([made], field, [[t.pk for t in targets]])
        with django_assert_max_num_queries(len(few.captured_queries)):
            rows = admin_client.get(self.api_url(), {"limit": 100}).json()["results"]
        for field, targets in cases:
            assert sum(1 for r in rows if r[field.name] == sorted(t.pk for t in targets)) == 19

    def test_many_refuses_objects_the_user_may_not_see(self, client: Client) -> None:
        from irtis.identity.models import ObjectPermission, User

        obj = self.make(1)
        user = User.objects.create_user("m2m-writer")
        for field, targets in self.many_cases():
            for model, constraints in ((self.model, None), (field.related_model, {"pk": targets[0].pk})):
                grant = ObjectPermission.objects.create(
                    name=f"m2m {model._meta.label} {field.name}", actions=["view", "change"], constraints=constraints)
                grant.object_types.set([ContentType.objects.get_for_model(model)])
                grant.users.add(user)
            client.force_login(user)
            response = client.patch(self.api_url(obj), {field.name: [targets[0].pk, targets[1].pk]}, content_type=JSON)
            assert response.status_code == 400, response.content
            assert str(targets[1].pk) in response.json()["errors"][field.name][0]
            response = client.patch(self.api_url(obj), {field.name: [targets[0].pk]}, content_type=JSON)
            assert response.status_code == 200, response.content
            ObjectPermission.objects.all().delete()
            permissions.forget(user)

    def test_many_pages_and_bulk_edit(self, admin_client: Client) -> None:
        """The detail page names the related objects; bulk edit adds, removes and replaces."""
        objects = [self.make(n) for n in range(2)]
        pks = [o.pk for o in objects]
        for field, targets in self.many_cases():
            name = field.name

            def bulk(mode: str, chosen: list[models.Model], name: str = name) -> None:
                response = admin_client.post(self.url("bulk_edit"), {
                    "pk": pks, "apply": "1", name: [t.pk for t in chosen], f"{name}_mode": mode})
                assert response.status_code == 302, response.context["form"].errors if response.context else response

            def current(field: models.ManyToManyField = field) -> list[list[int]]:
                return list(relations.related_ids(field, pks).values())

            relations.assign(objects[:1], field, [[targets[2].pk]])
            bulk("add", targets[:2])
            assert current() == [sorted(t.pk for t in targets), sorted(t.pk for t in targets[:2])]
            bulk("remove", targets[1:2])
            assert current() == [sorted([targets[0].pk, targets[2].pk]), [targets[0].pk]]
            bulk("replace", targets[1:2])
            assert current() == [[targets[1].pk], [targets[1].pk]]
            page = admin_client.get(objects[0].get_absolute_url()).content.decode()
            assert str(field.verbose_name)[1:] in page and str(targets[1]) in page
            assert [c.after for c in self.changes_of(objects[1])][-1] == {name: [targets[1].pk]}

    @pytest.mark.parametrize("fmt", ["csv", "xlsx", "json", "yaml"])
    def test_many_export_imports_back(self, admin_client: Client, fmt: str) -> None:
        objects = [self.make(n) for n in range(3)]
        cases = self.many_cases()
        for index, obj in enumerate(objects):
            for field, targets in cases:
                relations.assign([obj], field, [[t.pk for t in targets[:index + 1]]])
        pks = [o.pk for o in objects]
        before = {field.name: relations.related_ids(field, pks) for field, _targets in cases}
        content = admin_client.get(self.url("export"), {"format": fmt}).content
        for field, _targets in cases:
            relations.assign(objects, field, [[], [], []])
        self.import_file(admin_client, content, fmt)
        assert {field.name: relations.related_ids(field, pks) for field, _targets in cases} == before


def _import_errors(response: Any) -> Any:
    result = response.context and response.context.get("result")
    if result:
        return result["errors"] or result["problem"]
    return response.context and response.context.get("file_error")


def as_json(rows: list[dict[str, Any]]) -> str:
    return json.dumps(rows, ensure_ascii=False)
