"""Permissions are a registered model: the generic contract (pages, API, files, search, the
permission walk) covers them, and what is particular to them is tested here."""

from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.test import Client
from django.urls import reverse

from irtis.audit.models import Action, AuditEntry
from irtis.identity.models import ObjectPermission, User
from irtis.inventory.models import Site
from tests.identity.access import role_user
from tests.support.contract import ModelContract


def site_type() -> ContentType:
    return ContentType.objects.get_for_model(Site)


class TestObjectPermission(ModelContract):
    model = ObjectPermission

    @pytest.fixture(autouse=True)
    def without_role_defaults(self, db: Any) -> None:
        """The contract counts the objects it makes; the roles' managed permissions would add
        to them (its people are given their permissions by the contract itself)."""
        ObjectPermission.objects.all().delete()

    def make(self, n: int) -> ObjectPermission:  # no roles, users or types: the contract sets them
        return ObjectPermission.objects.create(name=f"Leidimas {n}", actions=["view"],
                                               description=f"Bandymas {n}", enabled=bool(n % 2))

    def new_values(self) -> dict[str, Any]:
        return {"name": "Medininkų PKP", "actions": ["view", "change"], "object_types": [site_type()],
                "enabled": True}

    change = {"description": "Pakeistas aprašymas"}

    def many_targets(self, field: models.ManyToManyField, n: int) -> list[models.Model]:
        if field.name == "groups":
            return [Group.objects.create(name=f"grupe-{Group.objects.count()}-{i}") for i in range(n)]
        if field.name == "users":
            return [User.objects.create_user(f"vartotojas-{User.objects.count()}-{i}") for i in range(n)]
        if field.name == "object_types":
            return list(ContentType.objects.filter(app_label="inventory").order_by("pk")[:n])
        return super().many_targets(field, n)

    def test_many_refuses_objects_the_user_may_not_see(self, client: Client) -> None:
        """Users are registered: only those the writer may view can be named. Roles and object
        types are not objects permissions restrict: whoever may change a permission may name
        any of them, and only existing ones."""
        obj = self.make(1)
        writer = User.objects.create_user("m2m-writer")
        grant = ObjectPermission.objects.create(name="leidimai", actions=["view", "change"])
        grant.object_types.set([ContentType.objects.get_for_model(ObjectPermission)])
        grant.users.add(writer)
        client.force_login(writer)
        for field, targets in self.many_cases():
            ids = [t.pk for t in targets]
            if field.name == "users":
                seen = ObjectPermission.objects.create(name="naudotojai", actions=["view"],
                                                       constraints={"pk__in": ids[:2]})
                seen.object_types.set([ContentType.objects.get_for_model(User)])
                seen.users.add(writer)
                response = client.patch(self.api_url(obj), {"users": ids}, content_type="application/json")
                assert response.status_code == 400 and str(ids[2]) in response.json()["errors"]["users"][0]
                ids = ids[:2]
            response = client.patch(self.api_url(obj), {field.name: ids}, content_type="application/json")
            assert response.status_code == 200, response.content
            assert response.json()[field.name] == sorted(ids)
            response = client.patch(self.api_url(obj), {field.name: [max(ids) + 1000]},
                                    content_type="application/json")
            assert response.status_code == 400


@pytest.fixture
def admin(db) -> Client:
    client = Client()
    client.force_login(role_user("irtis_admin"))
    return client


def form(**values: Any) -> dict[str, Any]:
    return {"name": "Medininkai", "enabled": "on", "object_types": [site_type().pk],
            "actions": ["view", "change"], **values}


@pytest.mark.parametrize(
    "values,field",
    [
        ({"constraints": '{"nera__lauko": 1}'}, None),  # new: checked against types when read
        ({"constraints": "not json"}, "constraints"),
        ({"constraints": "[1, 2]"}, "constraints"),
        ({"constraints": "[{}]"}, "constraints"),
        ({"actions": ["fly"]}, "actions"),
        ({"actions": []}, "actions"),
        ({"object_types": [999999]}, "object_types"),
        ({"name": ""}, "name"),
    ],
)
def test_bad_input_on_the_form(admin, values, field):
    response = admin.post(reverse("identity:objectpermission_add"), form(**values))
    if field is None:
        assert response.status_code == 302
        return
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not ObjectPermission.objects.filter(name="Medininkai").exists()


def test_constraints_that_do_not_fit_the_types_are_refused_on_edit(admin):
    admin.post(reverse("identity:objectpermission_add"), form(constraints='{"code": "MED"}'))
    perm = ObjectPermission.objects.get(name="Medininkai")
    assert perm.constraints == {"code": "MED"} and perm.actions == ["view", "change"]
    response = admin.post(reverse("identity:objectpermission_edit", args=[perm.pk]),
                          form(constraints='{"nera__lauko": 1}', version=perm.version))
    assert response.status_code == 400 and "constraints" in response.context["form"].errors


def test_only_permissible_types_are_offered(admin):
    response = admin.get(reverse("identity:objectpermission_add"))
    offered = {ct.pk for ct in response.context["form"].fields["object_types"].queryset}
    assert site_type().pk in offered
    assert ContentType.objects.get(app_label="sessions", model="session").pk not in offered


def test_old_addresses_redirect(admin):
    perm = ObjectPermission.objects.get(name="role:dba:read")
    for old, new in [
        ("/access/permissions/", reverse("identity:objectpermission_list")),
        ("/access/permissions/add/", reverse("identity:objectpermission_add")),
        (f"/access/permissions/{perm.pk}/", reverse("identity:objectpermission_edit", args=[perm.pk])),
        (f"/access/permissions/{perm.pk}/delete/", reverse("identity:objectpermission_delete", args=[perm.pk])),
    ]:
        response = admin.get(old)
        assert response.status_code == 301 and response["Location"] == new


def test_only_administrators_and_auditors_see_permissions(db):
    for code, status in [("irtis_admin", 200), ("auditor", 200), ("network_admin", 403), ("dba", 403)]:
        client = Client()
        client.force_login(role_user(code))
        assert client.get(reverse("identity:objectpermission_list")).status_code == status, code
        assert client.get("/api/identity/object-permissions/").status_code == status, code
    auditor = Client()
    auditor.force_login(User.objects.get(username="u_auditor"))
    assert auditor.post(reverse("identity:objectpermission_add"), form()).status_code == 403


def test_changes_made_from_a_role_are_recorded_on_the_permission(db):
    perm = ObjectPermission.objects.create(name="Bandymas", actions=["view"])
    dba = Group.objects.get(name="dba")
    dba.object_permissions.add(perm)
    entry = AuditEntry.objects.filter(action=Action.UPDATE, object_id=perm.pk).latest("id")
    assert entry.before == {"groups": []} and entry.after == {"groups": [dba.pk]}
    assert entry.content_type == ContentType.objects.get_for_model(ObjectPermission)
