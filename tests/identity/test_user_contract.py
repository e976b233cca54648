"""Users are a registered model: the generic contract (pages, API, files, search, the permission
walk) covers them; here, what is particular to them — hidden password hashes, Active Directory
fields, the superuser flag, and sign-ins that leave the version alone."""

import io
import json
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

JSON = "application/json"
ONLY_SUPERUSERS = ("Only a superuser may", "Tik supernaudotojas gali")  # in either language
PASSWORD = "Ilgas-Slaptazodis-2026"


class TestUser(ModelContract):
    model = User

    def make(self, n: int) -> User:
        return User.objects.create_user(f"vartotojas{n}", password=PASSWORD, first_name=f"Vardenis {n}",
                                        last_name="Pavardenis", department=f"Skyrius {n}", is_active=bool(n % 2))

    def new_values(self) -> dict[str, Any]:
        return {"username": "naujas", "first_name": "Naujas", "email": "naujas@example.lt", "is_active": True}

    change = {"department": "Pakeistas skyrius"}

    def many_targets(self, field: models.ManyToManyField, n: int) -> list[models.Model]:
        if field.name == "groups":
            return [Group.objects.create(name=f"grupe-{Group.objects.count()}-{i}") for i in range(n)]
        return super().many_targets(field, n)

    def test_many_refuses_objects_the_user_may_not_see(self, client: Client) -> None:
        """Roles are not objects permissions restrict (not registered): whoever may change a user
        may give any existing role he holds himself, and only existing ones."""
        obj = self.make(1)
        writer = user_admin("m2m-writer")
        client.force_login(writer)
        for field, targets in self.many_cases():
            writer.groups.add(*targets)
            ids = [t.pk for t in targets]
            response = client.patch(self.api_url(obj), {field.name: ids}, content_type=JSON)
            assert response.status_code == 200 and response.json()[field.name] == sorted(ids)
            response = client.patch(self.api_url(obj), {field.name: [max(ids) + 1000]}, content_type=JSON)
            assert response.status_code == 400


# --- what is particular to users ---------------------------------------------------------------


def user_admin(name: str = "kadrai") -> User:
    """Not a superuser, but may do everything to users: the one an escalation would tempt."""
    person = User.objects.create_user(name)
    grant = ObjectPermission.objects.create(name=f"naudotojai {name}", actions=list(ObjectPermission.ACTIONS))
    grant.object_types.set([ContentType.objects.get_for_model(User)])
    grant.users.add(person)
    return person


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form(account: User, **values: Any) -> dict[str, Any]:
    data = {"username": account.username, "first_name": account.first_name, "last_name": account.last_name,
            "email": account.email, "department": account.department, "version": account.version,
            "groups": [g.pk for g in account.groups.all()]}
    if account.is_active:
        data["is_active"] = "on"
    return {**data, **values}


def import_preview(client: Client, rows: list[dict[str, Any]]) -> Any:
    """The preview of importing `rows`: it has errors, so it is answered 400."""
    upload = io.BytesIO(json.dumps(rows).encode())
    upload.name = "naudotojai.json"
    response = client.post(reverse("identity:user_import"), {"file": upload})
    assert response.status_code == 400
    return response.context["result"] or {"errors": [response.context.get("file_error")]}


@pytest.mark.django_db
def test_password_hashes_never_leak(admin_client, production_password_hashing):
    account = User.objects.create_user("ona", password=PASSWORD, first_name="Ona")
    digest = account.password
    assert digest.startswith("argon2")
    api = admin_client.get(f"/api/identity/users/{account.pk}/").json()
    listed = admin_client.get("/api/identity/users/", {"q": "ona"}).json()["results"]
    for row in [api, *listed]:
        assert not {"password", "is_staff", "user_permissions"} & set(row)
    schemas = admin_client.get("/api/openapi.json").json()["components"]["schemas"]
    users = {name: schema for name, schema in schemas.items() if name.startswith("User")}
    assert len(users) >= 5 and not any("password" in json.dumps(schema) for schema in users.values())
    for fmt in ("csv", "json", "yaml"):
        exported = admin_client.get(reverse("identity:user_export"), {"format": fmt}).content.decode()
        assert "ona" in exported and digest not in exported and "argon2" not in exported
    page = admin_client.get(account.get_absolute_url()).content.decode()
    assert "argon2" not in page
    listing = admin_client.get(reverse("identity:user_list"), {"columns": "password", "sort": "password"})
    assert listing.status_code == 200 and "argon2" not in listing.content.decode()
    assert admin_client.get("/api/identity/users/", {"ordering": "password"}).status_code == 400
    account.set_password("Kitas-Ilgas-Slaptazodis-7")
    account.save()
    kind = ContentType.objects.get_for_model(User)
    for entry in AuditEntry.objects.filter(content_type=kind, object_id=account.pk):
        text = json.dumps([entry.before, entry.after])
        assert "argon2" not in text and "password" not in text


@pytest.mark.django_db
def test_password_is_set_by_no_page_file_or_api(admin_client):
    response = admin_client.post("/api/identity/users/", {"username": "petras", "password": "x"}, content_type=JSON)
    assert response.status_code in {400, 422} and not User.objects.filter(username="petras").exists()
    response = admin_client.post("/api/identity/users/", {"username": "petras"}, content_type=JSON)
    assert response.status_code == 201, response.content
    created = User.objects.get(username="petras")
    assert not created.has_usable_password()  # set later through a password flow, with the policy
    account = User.objects.create_user("jonas", password=PASSWORD)
    digest = account.password
    response = admin_client.post(reverse("identity:user_edit", args=[account.pk]),
                                 form(account, password="pbkdf2_sha256$1$x$y"))
    assert response.status_code == 302
    result = import_preview(admin_client, [{"username": "jonas", "password": "pbkdf2_sha256$1$x$y"}])
    assert "password" in json.dumps(result, ensure_ascii=False, default=str)
    account.refresh_from_db()
    assert account.password == digest


@pytest.mark.django_db
def test_only_superusers_make_superusers():
    admin = user_admin()
    client = signed_in(admin)
    other = User.objects.create_user("ona")
    root = User.objects.create_superuser("root", password=PASSWORD)
    for target in (admin, other):  # themselves or someone else
        response = client.patch(f"/api/identity/users/{target.pk}/", {"is_superuser": True}, content_type=JSON)
        assert response.status_code == 403 and response.json()["detail"].startswith(ONLY_SUPERUSERS)
        response = client.post("/api/identity/users/", {"username": "naujas", "is_superuser": True}, content_type=JSON)
        assert response.status_code == 403
    response = client.post(reverse("identity:user_edit", args=[other.pk]), form(other, is_superuser="on"))
    assert response.status_code == 302  # the box is disabled: its value is not read
    page = client.get(reverse("identity:user_edit", args=[other.pk]))
    assert page.context["form"].fields["is_superuser"].disabled
    response = client.post(reverse("identity:user_bulk_edit"), {"pk": [other.pk], "apply": "1", "is_superuser": "on"})
    assert response.status_code == 403
    result = import_preview(client, [{"username": "ona", "is_superuser": "true"}])
    assert any(part in json.dumps(result["errors"], ensure_ascii=False) for part in ONLY_SUPERUSERS)
    # A superuser is out of their reach: not changed, not deleted, not demoted.
    response = client.patch(f"/api/identity/users/{root.pk}/", {"is_superuser": False}, content_type=JSON)
    assert response.status_code == 404
    assert client.post(reverse("identity:user_delete", args=[root.pk])).status_code == 404
    assert client.get(reverse("identity:user_detail", args=[root.pk])).status_code == 200  # reading is fine
    assert not User.objects.filter(username="naujas").exists()
    assert User.objects.filter(is_superuser=True).get() == root
    # A superuser may.
    response = signed_in(root).patch(f"/api/identity/users/{other.pk}/", {"is_superuser": True}, content_type=JSON)
    assert response.status_code == 200 and User.objects.get(pk=other.pk).is_superuser


@pytest.mark.django_db
def test_nobody_grants_a_role_with_more_rights_than_his():
    admin = user_admin()  # may do everything to users, nothing else
    operators, administrators = Group.objects.create(name="operatoriai"), Group.objects.create(name="administratoriai")
    for role, model in ((operators, User), (administrators, Site)):
        grant = ObjectPermission.objects.create(name=f"{role.name} teisės", actions=["view", "change"])
        grant.object_types.set([ContentType.objects.get_for_model(model)])
        grant.groups.add(role)
    client = signed_in(admin)
    ona, petras = User.objects.create_user("ona"), User.objects.create_user("petras")
    petras.groups.add(administrators)
    for target in (admin, ona):  # himself or someone else: by the API, the form, bulk edit and import
        response = client.patch(f"/api/identity/users/{target.pk}/", {"groups": [administrators.pk]},
                                content_type=JSON)
        assert response.status_code == 403 and response.json()["detail"].startswith(ONLY_SUPERUSERS)
        response = client.post(reverse("identity:user_edit", args=[target.pk]),
                               form(target, groups=[operators.pk, administrators.pk]))
        assert response.status_code == 403
        response = client.post(reverse("identity:user_bulk_edit"),
                               {"pk": [target.pk], "apply": "1", "groups": [administrators.pk], "groups_mode": "add"})
        assert response.status_code == 403
        assert not target.groups.filter(pk=administrators.pk).exists()
    # An import's preview cannot tell (its roles are written with it): confirming it is refused.
    upload = io.BytesIO(json.dumps([{"username": "ona", "groups": "administratoriai"}]).encode())
    upload.name = "naudotojai.json"
    preview = client.post(reverse("identity:user_import"), {"file": upload})
    stored = preview.context["upload"]
    response = client.post(reverse("identity:user_import"),
                           {"upload": stored.pk, "digest": stored.digest, "confirm": "1"})
    assert response.status_code == 409 and response.context["result"]["problem"].startswith(ONLY_SUPERUSERS)
    assert not ona.groups.exists()
    response = client.post("/api/identity/users/", {"username": "naujas", "groups": [administrators.pk]},
                           content_type=JSON)
    assert response.status_code == 403 and not User.objects.filter(username="naujas").exists()
    # An account holding a role he lacks is out of his reach, however small the change.
    response = client.patch(f"/api/identity/users/{petras.pk}/", {"department": "Kitas"}, content_type=JSON)
    assert response.status_code == 404
    # A role within his rights he may give and take away; so may whoever holds those rights.
    response = client.patch(f"/api/identity/users/{ona.pk}/", {"groups": [operators.pk]}, content_type=JSON)
    assert response.status_code == 200 and list(ona.groups.all()) == [operators]
    response = client.patch(f"/api/identity/users/{ona.pk}/", {"groups": []}, content_type=JSON)
    assert response.status_code == 200 and not ona.groups.exists()


@pytest.mark.django_db
def test_directory_fields_of_an_ad_account_are_read_only(admin_client):
    account = User.objects.create(username="jonas.jonaitis", first_name="Jonas", email="j@example.lt", source="ad")
    response = admin_client.patch(f"/api/identity/users/{account.pk}/", {"first_name": "Petras"}, content_type=JSON)
    assert response.status_code == 400 and "Active Directory" in response.json()["errors"]["first_name"][0]
    response = admin_client.patch(f"/api/identity/users/{account.pk}/", {"is_active": False}, content_type=JSON)
    assert response.status_code == 200  # irtis may still switch the account off
    fields = admin_client.get(reverse("identity:user_edit", args=[account.pk])).context["form"].fields
    assert all(fields[name].disabled for name in ("username", "first_name", "email", "department", "groups"))
    assert not fields["is_active"].disabled
    result = import_preview(admin_client, [{"username": "jonas.jonaitis", "email": "kitas@example.lt"}])
    assert "Active Directory" in json.dumps(result["errors"], ensure_ascii=False)
    account.refresh_from_db()
    assert (account.first_name, account.email, account.is_active) == ("Jonas", "j@example.lt", False)


@pytest.mark.django_db
def test_signing_in_leaves_the_version_alone(client):
    account = User.objects.create_user("ona", password=PASSWORD)
    version = account.version
    entries = AuditEntry.objects.filter(action=Action.UPDATE).count()
    editor = signed_in(User.objects.create_superuser("root", password=PASSWORD))
    opened = editor.get(reverse("identity:user_edit", args=[account.pk])).context["form"]["version"].value()
    response = client.post(reverse("login"), {"username": "ona", "password": PASSWORD})
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.last_login is not None and account.version == version
    assert AuditEntry.objects.filter(action=Action.UPDATE).count() == entries
    # The form opened before the sign-in still saves: no lost-update conflict.
    response = editor.post(reverse("identity:user_edit", args=[account.pk]),
                           form(account, version=opened, department="Muitinė"))
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.department == "Muitinė" and account.last_login is not None


@pytest.mark.django_db
def test_old_addresses_redirect(admin_client):
    account = User.objects.create_user("ona")
    for old, new in [("/access/users/", reverse("identity:user_list")),
                     (f"/access/users/{account.pk}/", reverse("identity:user_edit", args=[account.pk]))]:
        response = admin_client.get(old)
        assert response.status_code == 301 and response["Location"] == new


@pytest.mark.django_db
def test_only_administrators_change_users_and_auditors_read_them():
    target = User.objects.create_user("ona")
    for code, read, write in [("irtis_admin", 200, 302), ("auditor", 200, 403), ("network_admin", 403, 403)]:
        client = signed_in(role_user(code))
        assert client.get(reverse("identity:user_list")).status_code == read, code
        assert client.get("/api/identity/users/").status_code == read, code
        target.refresh_from_db()
        assert client.post(reverse("identity:user_edit", args=[target.pk]), form(target)).status_code == write, code
