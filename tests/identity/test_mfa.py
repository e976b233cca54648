"""The second factor: required for privileged roles and superusers, enrolment at first sign-in,
verification, recovery codes, replay and brute force refused, everything audited."""

import pyotp
import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from irtis.audit.models import Action, AuditEntry
from irtis.identity import mfa
from irtis.identity.models import RecoveryCode, TOTPDevice, User

PASSWORD = "Saugus-slaptažodis-2025"


def person(username: str, *roles: str, superuser: bool = False) -> User:
    user = User.objects.create_user(username, password=PASSWORD, is_superuser=superuser)
    for code in roles:
        user.groups.add(Group.objects.get(name=code))
    return user


def password_step(client: Client, username: str) -> object:
    return client.post(reverse("login"), {"username": username, "password": PASSWORD})


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def enrol(username: str) -> tuple[Client, str, list[str]]:
    """Sign in for the first time, enrolling an authenticator; returns its secret and codes."""
    client = Client()
    response = password_step(client, username)
    assert response["Location"] == reverse("account:mfa_enrol")
    assert not signed_in(client)
    page = client.get(reverse("account:mfa_enrol"))
    secret = page.context["secret"]
    assert page.context["uri"].startswith("otpauth://totp/")
    response = client.post(reverse("account:mfa_enrol"), {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 200 and signed_in(client)
    return client, secret, response.context["codes"]


def next_code(secret: str) -> str:
    """A valid code not yet used: the next time step's (accepted for clock drift)."""
    totp = pyotp.TOTP(secret)
    return totp.at(
        totp.timecode(__import__("datetime").datetime.now()) * totp.interval + totp.interval
    )


@pytest.mark.parametrize(
    ("roles", "superuser", "needed"),
    [
        (("irtis_admin",), False, True),
        (("security_officer",), False, True),
        ((), True, True),
        (("network_admin", "dba"), False, False),
        ((), False, False),
    ],
)
def test_who_needs_a_second_factor(db, roles, superuser, needed):
    assert mfa.required(person("x", *roles, superuser=superuser)) is needed


def test_roles_needing_it_are_configurable(db, settings):
    settings.IRTIS_MFA_ROLES = ["dba"]
    assert mfa.required(person("x", "dba"))
    assert not mfa.required(person("y", "irtis_admin"))


def test_plain_role_signs_in_with_password_only(db):
    person("tinklas", "network_admin")
    client = Client()
    assert password_step(client, "tinklas")["Location"] == reverse("home")
    assert signed_in(client)


def test_enrolment_at_first_sign_in_then_verification(db):
    user = person("saugumas", "security_officer")
    _client, secret, codes = enrol("saugumas")
    assert len(codes) == 10 and RecoveryCode.objects.filter(user=user).count() == 10
    assert codes[0] not in str(list(RecoveryCode.objects.values_list("digest", flat=True)))
    assert AuditEntry.objects.filter(action=Action.MFA_ENROLLED, actor=user).exists()
    assert AuditEntry.objects.get(action=Action.LOGIN).after["second_factor"] == "totp"

    client = Client()
    assert password_step(client, "saugumas")["Location"] == reverse("account:mfa_verify")
    assert not signed_in(client)
    assert client.get(reverse("home")).status_code == 302  # not signed in before the code
    response = client.post(reverse("account:mfa_verify"), {"code": "000000"})
    assert response.status_code == 400 and not signed_in(client)
    assert AuditEntry.objects.filter(action=Action.MFA_FAILED, actor=user).count() == 1
    response = client.post(reverse("account:mfa_verify"), {"code": next_code(secret)})
    assert response.status_code == 302 and signed_in(client)


def test_a_code_is_accepted_once(db):
    user = person("adminas", "irtis_admin")
    _client, secret, _codes = enrol("adminas")
    code = next_code(secret)
    assert mfa.verify(user, code) == "totp"
    assert mfa.verify(user, code) is None


def test_recovery_code_signs_in_once(db):
    user = person("adminas", "irtis_admin")
    _client, _secret, codes = enrol("adminas")
    for expected in (True, False):
        client = Client()
        password_step(client, "adminas")
        client.post(reverse("account:mfa_verify"), {"code": codes[3].upper()})
        assert signed_in(client) is expected
    assert mfa.remaining_codes(user) == 9


def test_guessing_codes_locks_out(db, settings):
    person("adminas", "irtis_admin")
    enrol("adminas")
    client = Client()
    password_step(client, "adminas")
    for _ in range(settings.IRTIS_LOCKOUT_ATTEMPTS):
        client.post(reverse("account:mfa_verify"), {"code": "123456"})
    assert AuditEntry.objects.filter(action=Action.LOCKOUT, object_repr="adminas").exists()
    assert client.get(reverse("account:mfa_verify"))["Location"] == reverse("login")  # start again


def test_pending_step_expires(db, monkeypatch):
    person("adminas", "irtis_admin")
    _c, secret, _codes = enrol("adminas")
    client = Client()
    password_step(client, "adminas")
    session = client.session
    session["irtis_mfa_pending"]["time"] -= 3600
    session.save()
    response = client.post(reverse("account:mfa_verify"), {"code": next_code(secret)})
    assert response["Location"] == reverse("login") and not signed_in(client)


def test_superuser_needs_it_too(db):
    person("root", superuser=True)
    assert password_step(Client(), "root")["Location"] == reverse("account:mfa_enrol")


def test_replacing_the_authenticator_needs_the_current_one(db):
    user = person("adminas", "irtis_admin")
    client, secret, _codes = enrol("adminas")
    page = client.get(reverse("account:mfa_enrol"))
    new_secret = page.context["secret"]
    response = client.post(
        reverse("account:mfa_enrol"), {"code": pyotp.TOTP(new_secret).now(), "current": "000000"}
    )
    assert response.status_code == 400
    assert TOTPDevice.objects.get(user=user).secret == secret
    response = client.post(
        reverse("account:mfa_enrol"),
        {"code": pyotp.TOTP(new_secret).now(), "current": next_code(secret)},
    )
    assert response.status_code == 200
    assert TOTPDevice.objects.get(user=user).secret == new_secret


def test_security_page_and_new_recovery_codes(db):
    person("adminas", "irtis_admin")
    client, secret, codes = enrol("adminas")
    page = client.get(reverse("account:security"))
    assert page.status_code == 200 and page.context["enrolled"]
    response = client.post(reverse("account:security"), {"code": next_code(secret)})
    assert response.status_code == 200 and set(response.context["codes"]).isdisjoint(codes)


def test_reset_command(db):
    from django.core.management import call_command

    user = person("adminas", "irtis_admin")
    enrol("adminas")
    call_command("mfa", "reset", "adminas", stdout=open("/dev/null", "w"))
    assert not mfa.enrolled(user)
    assert password_step(Client(), "adminas")["Location"] == reverse("account:mfa_enrol")
