"""The self-service password change: old password required (and throttled), new one validated,
audited without the hash, and the sessions of the user's other devices ended."""

import pytest
from django.test import Client
from django.urls import reverse

from irtis.audit.models import Action, AuditEntry
from irtis.identity.models import SignInFailure, User

OLD, NEW = "Teisingas-slaptažodis-42", "Naujas-Žalias-kalnas-7"
URL = "/account/password/"


@pytest.fixture
def jonas(db):
    return User.objects.create_user("jonas", password=OLD)


def signed_in(user: User) -> Client:
    client = Client(REMOTE_ADDR="10.1.1.1")
    client.post(reverse("login"), {"username": user.username, "password": OLD})
    return client


def change(client: Client, old: str = OLD, new: str = NEW, again: str | None = None):
    return client.post(
        URL, {"old_password": old, "new_password1": new, "new_password2": again or new}
    )


def test_page_is_reachable_from_the_account_page(jonas):
    client = signed_in(jonas)
    assert URL in client.get(reverse("account:security")).content.decode()
    assert client.get(URL).status_code == 200
    assert Client().get(URL).status_code == 302  # anonymous: to sign-in


def test_change_ends_other_sessions_keeps_this_one_and_is_audited(jonas):
    phone, laptop = signed_in(jonas), signed_in(jonas)
    response = change(laptop)
    assert response.status_code == 302 and response["Location"] == reverse("account:security")
    jonas.refresh_from_db()
    assert jonas.check_password(NEW)
    assert laptop.get(reverse("account:security")).status_code == 200
    assert phone.get(reverse("account:security")).status_code == 302  # signed out
    entry = AuditEntry.objects.filter(action=Action.UPDATE, object_id=jonas.pk, content_type__model="user").latest("id")
    assert entry.after["password"] == "changed by its user"
    assert entry.actor == jonas and entry.source_ip == "10.1.1.1"
    assert jonas.password not in str(entry.before) + str(entry.after)


@pytest.mark.parametrize(
    "old,new,again,field",
    [
        ("neteisingas", NEW, NEW, "old_password"),
        (OLD, "Slaptazodis123", None, "new_password2"),
        (OLD, "qwertyuiopas", None, "new_password2"),
        (OLD, " " * 12, None, "new_password2"),
        (OLD, "aaaaaaaaaaaa", None, "new_password2"),
        (OLD, NEW, NEW + "x", "new_password2"),
        (OLD, "", None, "new_password1"),
        ("", NEW, None, "old_password"),
        (OLD, "x" * 5000 + "\x00", None, "new_password2"),
    ],
)
def test_bad_input_is_refused_and_nothing_changes(jonas, old, new, again, field):
    client = signed_in(jonas)
    response = change(client, old, new, again)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    jonas.refresh_from_db()
    assert jonas.check_password(OLD)


def test_wrong_old_passwords_count_towards_the_lockout(jonas, settings):
    client = signed_in(jonas)
    for _ in range(settings.IRTIS_LOCKOUT_ATTEMPTS):
        change(client, old="spejimas")
    assert AuditEntry.objects.filter(action=Action.LOCKOUT).count() == 1
    response = change(client)  # the right old password, but the name is locked
    assert response.status_code == 400
    assert response.context["form"].errors.as_data()["old_password"][0].code == "locked"
    jonas.refresh_from_db()
    assert jonas.check_password(OLD)
    assert SignInFailure.objects.filter(username="jonas").count() == settings.IRTIS_LOCKOUT_ATTEMPTS


def test_directory_accounts_change_their_password_in_the_directory(jonas):
    client = signed_in(jonas)
    User.objects.filter(pk=jonas.pk).update(source="ad")
    page = client.get(URL)
    assert page.status_code == 200 and page.context["form"] is None
    assert change(client).status_code == 400
    jonas.refresh_from_db()
    assert jonas.check_password(OLD)
