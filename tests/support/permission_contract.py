"""Who may do what with a registered model: every action of its pages and API, walked as four
people, like NetBox's generic view tests.

- anonymous: the pages send to the sign-in page, the API answers 401;
- signed in, with every permission on the model but the one the action needs: 403;
- with that one permission: the action is done (and recorded);
- with that permission constrained to some objects: only those are listed, shown, exported,
  changed, deleted or imported; the others are 404 by id (their existence is not told);
  nothing can be created, or changed, so that it falls outside the constraint.

Each (model, action) is a test of its own, so the walk can be spread over processes.
"""

import datetime
import decimal
import io
import itertools
import json
from typing import Any, ClassVar

import pytest
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.test import Client
from django.urls import reverse

from irtis.core import permissions, registry, relations, schemas, tabular
from irtis.core.exports import dataset
from irtis.core.forms import BulkEditForm
from irtis.core.models import BaseModel
from irtis.core.registry import is_reference
from irtis.identity import tokens
from irtis.identity.models import ObjectPermission, User

JSON = "application/json"
ACTIONS = {  # action → the permission it needs
    "list": "view",
    "detail": "view",
    "export": "export",
    "add": "add",
    "edit": "change",
    "bulk_edit": "change",
    "delete": "delete",
    "bulk_delete": "delete",
    "import": "import",
    "api_list": "view",
    "api_detail": "view",
    "api_create": "add",
    "api_patch": "change",
    "api_put": "change",
    "api_bulk_edit": "change",
    "api_delete": "delete",
    "api_bulk_delete": "delete",
}
_people = itertools.count()  # names of the contract's people: unique even after users are deleted
ALSO = {"export": {"view": None}}  # an export holds what the user may see and export
ONE_OBJECT = {"detail", "edit", "delete", "api_detail", "api_patch", "api_put", "api_delete"}
CREATING = {"add", "api_create"}
DONE = {  # status of an action done
    "list": 200, "detail": 200, "export": 200, "add": 302, "edit": 302, "bulk_edit": 302,
    "delete": 302, "bulk_delete": 302, "import": 302, "api_list": 200, "api_detail": 200,
    "api_create": 201, "api_patch": 200, "api_put": 200, "api_bulk_edit": 200, "api_delete": 204,
    "api_bulk_delete": 204,
}


def jsonable(field: models.Field, value: Any) -> Any:
    """A value as a permission constraint stores it (JSON)."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def text(field: models.Field, value: Any) -> str:
    """A value as an import file holds it: related objects by their natural key."""
    if value is None:
        return ""
    if field.many_to_many:
        return relations.SEPARATOR.join(str(getattr(v, tabular.related_key(field))) for v in value)
    if is_reference(field):
        return str(getattr(value, tabular.related_key(field)))
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


@pytest.mark.django_db
class PermissionContract:
    """Mixed into ModelContract: uses its `model`, `make`, `new_values` and `change`."""

    model: ClassVar[type[BaseModel]]
    change: ClassVar[dict[str, Any]]

    # --- people -------------------------------------------------------------------------

    def person(self, grants: dict[str, Any]) -> User:
        """A user given `grants` (action → constraints or None) on the model.

        The people are the test's scenery, not what it tests: they are inserted in bulk, which
        skips the audit trail and the search index (four queries instead of 37)."""
        user = User.objects.bulk_create([User(username=f"u{next(_people)}", password=make_password(None))])[0]
        alike: dict[str, list[str]] = {}  # actions under the same constraints share one permission
        for action, constraints in grants.items():
            alike.setdefault(json.dumps(constraints, sort_keys=True), []).append(action)
        perms = ObjectPermission.objects.bulk_create(
            ObjectPermission(name=f"{user.username}:{'+'.join(actions)}", actions=actions,
                             constraints=json.loads(constraints))
            for constraints, actions in alike.items())
        content_type = ContentType.objects.get_for_model(self.model)
        ObjectPermission.users.through.objects.bulk_create(
            ObjectPermission.users.through(objectpermission=p, user=user) for p in [self.others(), *perms])
        ObjectPermission.object_types.through.objects.bulk_create(
            ObjectPermission.object_types.through(objectpermission=p, contenttype=content_type) for p in perms)
        return user

    def others(self) -> ObjectPermission:
        """Seeing the other models, as every role does (a form offers only related objects one
        sees): one permission for the test's people, made at the first (pytest makes an
        instance of the class for each test)."""
        if not hasattr(self, "_others"):
            self._others = ObjectPermission.objects.bulk_create(
                [ObjectPermission(name=f"others{next(_people)}", actions=["view"])])[0]
            types = ContentType.objects.get_for_models(
                *[e.model for e in registry.entries() if e.model is not self.model]).values()
            ObjectPermission.object_types.through.objects.bulk_create(
                ObjectPermission.object_types.through(objectpermission=self._others, contenttype=t) for t in types)
        return self._others

    def client(self, user: User, action: str) -> Client:
        """The user's API client (a token) for the API's actions, a signed-in browser otherwise."""
        if action.startswith("api_"):
            return Client(headers={"Authorization": f"Bearer {tokens.issue(user)[1]}"}, raise_request_exception=False)
        ui = Client(raise_request_exception=False)
        ui.force_login(user)
        return ui

    def client_of(self, grants: dict[str, Any], action: str) -> Client:
        """A person given `grants`, as the client that does `action`."""
        return self.client(self.person(grants), action)

    # --- requests -----------------------------------------------------------------------

    def act(self, action: str, client: Client, objects: list[BaseModel], values: dict[str, Any],
            change: dict[str, Any] | None = None) -> Any:
        """Do `action` on `objects`: create an object of `values`, or make `change` (the model's
        own by default)."""
        entry = self.entry
        obj = objects[0] if objects else None
        pks = [o.pk for o in objects]
        change = self.change if change is None else change
        api_change = {k: self.api_field(k, v) for k, v in change.items()}
        match action:
            case "list":
                return client.get(entry.url("list"), {"per_page": 1000})
            case "detail":
                return client.get(self.url("detail", obj))
            case "export":
                return client.get(entry.url("export"), {"format": "json"})
            case "add":
                return client.post(entry.url("add"), self.form_data(values=values))
            case "edit":
                return client.post(self.url("edit", obj), self.form_data(obj, change))
            case "bulk_edit":
                return client.post(entry.url("bulk_edit"), {"pk": pks, "apply": "1", **self.bulk_data(change)})
            case "delete":
                return client.post(self.url("delete", obj))
            case "bulk_delete":
                return client.post(entry.url("bulk_delete"), {"pk": pks, "confirm": "1"})
            case "import":
                rows = json.dumps(self.import_rows(objects, change), ensure_ascii=False)
                return client.post(entry.url("import"), {"file": json_file(rows), "confirm": "1", "skip_invalid": "1"})
            case "api_list":
                return client.get(self.api_url(), {"limit": 1000})
            case "api_detail":
                return client.get(self.api_url(obj))
            case "api_create":
                payload = {k: self.api_field(k, v) for k, v in values.items()}
                return client.post(self.api_url(), payload, content_type=JSON)
            case "api_patch":
                return client.patch(self.api_url(obj), api_change, content_type=JSON)
            case "api_put":
                return client.put(self.api_url(obj), {**self.api_whole(obj), **api_change}, content_type=JSON)
            case "api_bulk_edit":
                return client.patch(self.api_url(), [{"id": pk, **api_change} for pk in pks], content_type=JSON)
            case "api_delete":
                return client.delete(self.api_url(obj))
            case "api_bulk_delete":
                return client.delete(self.api_url(), [{"id": pk} for pk in pks], content_type=JSON)
        raise ValueError(action)

    def reached(self, action: str, response: Any, objects: list[BaseModel], before: set[int]) -> set[int]:
        """The objects the action showed, wrote or deleted; for creating actions the new ones."""
        pks = {o.pk for o in objects}
        if ACTIONS[action] == "view" or action == "export":
            if response.status_code != 200:
                return set()
            if action == "list":
                page = response.content.decode()
                return {o.pk for o in objects if o.get_absolute_url() in page}
            if action == "detail":
                return pks
            rows = response.json()
            rows = rows["results"] if action == "api_list" else [rows] if action == "api_detail" else rows
            return pks & {row["id"] for row in rows}
        if action in CREATING:
            return set(self.model.objects.exclude(pk__in=before).values_list("pk", flat=True))
        stored = dict(self.model.objects.filter(pk__in=pks).values_list("pk", "version"))
        if ACTIONS[action] == "delete":
            return pks - set(stored)
        return {o.pk for o in objects if stored.get(o.pk, o.version) != o.version}

    def api_field(self, name: str, value: Any) -> Any:
        if self.model._meta.get_field(name).many_to_many:
            return [v.pk for v in value]
        if isinstance(value, models.Model):
            return value.pk
        if value == "" and schemas.blank_choice(self.model._meta.get_field(name)):
            return None  # a choice left unmade, as the API gives and takes it
        return value.isoformat() if hasattr(value, "isoformat") else jsonable(None, value)

    def api_whole(self, obj: BaseModel) -> dict[str, Any]:
        """Every writable field of `obj`, as PUT sends it."""
        result = {}
        for name in self.entry.editable_fields:
            field = self.model._meta.get_field(name)
            value = list(getattr(obj, name).all()) if field.many_to_many else getattr(obj, field.name)
            result[name] = self.api_field(name, value)
        return result

    def bulk_data(self, change: dict[str, Any]) -> dict[str, Any]:
        from tests.support.contract import form_value

        fields = BulkEditForm(self.entry, None).fields
        return {k: form_value(v) for k, v in self.bulk_change(change).items() if k in fields}

    def bulk_change(self, change: dict[str, Any]) -> dict[str, Any]:
        """The part of a change the bulk edit form can make (not unique fields, not to false)."""
        fields = BulkEditForm(self.entry, None).fields
        return {k: v for k, v in change.items() if k in fields and v not in (None, "", False, [])}

    def import_rows(self, objects: list[BaseModel], change: dict[str, Any]) -> list[dict[str, str]]:
        """The objects as an export gives them, with `change` made; unsaved objects create."""
        saved = [o for o in objects if o.pk]
        exported = dataset(self.entry, self.model.objects.filter(pk__in=[o.pk for o in saved]).order_by("pk"), False)
        rows = [{k: "" if v is None else str(v) for k, v in row.items()} for row in exported.dict]
        for row in rows:
            row.update({k: text(self.model._meta.get_field(k), v) for k, v in change.items()})
        return rows

    def new_row(self, values: dict[str, Any]) -> dict[str, str]:
        return {k: text(self.model._meta.get_field(k), v) for k, v in values.items()}

    # --- what each person gets ----------------------------------------------------------

    def check_anonymous(self, action: str, objects: list[BaseModel], values: dict[str, Any]) -> None:
        before = set(self.model.objects.values_list("pk", flat=True))
        response = self.act(action, Client(raise_request_exception=False), objects, values)
        if action.startswith("api_"):
            assert response.status_code == 401, (action, response.content)
        else:
            assert response.status_code == 302, (action, response.status_code)
            assert response["Location"].startswith(reverse("login")), response["Location"]
        assert not self.reached(action, response, objects, before)

    def check_refused(self, action: str, objects: list[BaseModel], values: dict[str, Any]) -> None:
        """With every permission on the model except the one the action needs."""
        client = self.client_of({a: None for a in permissions.ACTIONS if a != ACTIONS[action]}, action)
        before = set(self.model.objects.values_list("pk", flat=True))
        response = self.act(action, client, objects, values)
        assert response.status_code == 403, (action, response.status_code)
        assert not self.reached(action, response, objects, before)

    def check_allowed(self, action: str, objects: list[BaseModel], values: dict[str, Any]) -> set[int]:
        """With exactly the permission the action needs."""
        return self.done(action, self.client_of({**ALSO.get(action, {}), ACTIONS[action]: None}, action),
                         objects, values)

    def done(self, action: str, client: Client, objects: list[BaseModel], values: dict[str, Any]) -> set[int]:
        before = set(self.model.objects.values_list("pk", flat=True))
        response = self.act(action, client, objects, values)
        assert response.status_code == DONE[action], (action, response.status_code, _why(response))
        reached = self.reached(action, response, objects, before)
        assert reached, (action, "did nothing")
        return reached

    def refused(self, action: str, client: Client, objects: list[BaseModel], values: dict[str, Any],
                status: set[int], change: dict[str, Any] | None = None) -> None:
        before = set(self.model.objects.values_list("pk", flat=True))
        response = self.act(action, client, objects, values, change)
        assert response.status_code in status, (action, response.status_code, _why(response))
        assert not self.reached(action, response, objects, before), (action, "reached a refused object")

    def check_constrained(self, action: str, values: dict[str, Any]) -> None:
        """A permission limited to one object: the other is out of sight and out of reach."""
        inside, outside = self.make(4), self.make(7)
        client = self.client_of({**ALSO.get(action, {}), ACTIONS[action]: {"pk__in": [inside.pk]}}, action)
        if action in CREATING:  # a new object is not among those the constraint names
            self.refused(action, client, [], values, {403})
            key = self.entry.key
            if key in values:
                allowed = self.client_of({"add": {key: jsonable(None, values[key])}}, action)
                created = self.done(action, allowed, [], values)
                self.model.objects.filter(pk__in=created).delete()
            return
        if action in ONE_OBJECT:
            self.refused(action, client, [outside], values, {404})
            assert self.done(action, client, [inside], values) == {inside.pk}
        elif action == "import":
            rows = [*self.import_rows([inside, outside], self.change), self.new_row(values)]
            before = set(self.model.objects.values_list("pk", flat=True))
            response = client.post(self.entry.url("import"), {"file": json_file(json.dumps(rows, ensure_ascii=False))})
            assert response.status_code == 400
            assert {e["row"] for e in response.context["result"]["errors"]} == {2, 3}, _why(response)
            response = self.act(action, client, [inside, outside], values)
            assert response.status_code == 302, _why(response)
            assert self.reached(action, response, [inside, outside], before) == {inside.pk}
            assert set(self.model.objects.values_list("pk", flat=True)) == before
        elif action in {"api_bulk_edit", "api_bulk_delete"}:  # all or nothing
            self.refused(action, client, [inside, outside], values, {404})
            assert self.done(action, client, [inside], values) == {inside.pk}
        else:  # lists, export and the bulk pages keep to the objects in reach
            assert self.done(action, client, [inside, outside], values) == {inside.pk}
        if ACTIONS[action] in {"change", "import"}:
            self.check_moving_out(action, values)

    def check_moving_out(self, action: str, values: dict[str, Any]) -> None:
        """A change that would take an object out of the constraint is refused."""
        change = self.bulk_change(self.change) if action == "bulk_edit" else self.change
        obj = self.make(9)
        name = next(n for n in change if not self.model._meta.get_field(n).many_to_many)
        field = self.model._meta.get_field(name)
        current = getattr(obj, field.attname)
        client = self.client_of({ACTIONS[action]: {field.attname: jsonable(field, current)}}, action)
        # An import shows such a row as an error of its preview, and skipping invalid rows skips it.
        status = {302} if action == "import" else {403}
        self.refused(action, client, [obj], values, status, change)

    @pytest.mark.parametrize("action", ACTIONS)
    def test_who_may(self, action: str) -> None:
        """Anonymous, without permission, constrained, with permission: one action of the model."""
        values = self.new_values() if action in CREATING or action == "import" else {}
        obj = self.make(1)
        objects = [] if action in CREATING else [obj]
        self.check_anonymous(action, objects, values)
        self.check_refused(action, objects, values)
        self.check_constrained(action, values)
        if action in CREATING:
            assert self.check_allowed(action, [], values)
        else:
            assert self.check_allowed(action, objects, values) == {obj.pk}


def _why(response: Any) -> Any:
    context = getattr(response, "context", None)
    if context:
        if context.get("result"):
            return context["result"]["errors"] or context["result"]["problem"]
        if context.get("form") is not None and hasattr(context["form"], "errors"):
            return context["form"].errors
        if context.get("file_error"):
            return context["file_error"]
    return response.content[:300]


def json_file(text: str) -> io.BytesIO:
    """An upload holding `text` as a JSON file."""
    upload = io.BytesIO(text.encode())
    upload.name = "rows.json"
    return upload
