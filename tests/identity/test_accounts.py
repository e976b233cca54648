"""Local accounts: sign-in and sign-out audited, throttling and lockout per account and per
source address, password policy, and a production configuration that `check --deploy` passes."""

import io
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from irtis.audit.models import Action, AuditEntry
from irtis.identity import lockout
from irtis.identity.models import SignInFailure, User

PASSWORD = "Teisingas-slaptažodis-42"


@pytest.fixture
def jonas(db):
    return User.objects.create_user("jonas", password=PASSWORD)


def sign_in(password: str, username: str = "jonas", address: str = "10.1.1.1") -> object:
    return Client(REMOTE_ADDR=address).post(
        reverse("login"), {"username": username, "password": password}
    )


def actions(*names: str) -> list[str]:
    return list(
        AuditEntry.objects.filter(action__in=names).order_by("id").values_list("action", flat=True)
    )


def test_sign_in_and_out_are_audited_with_address(jonas):
    client = Client(REMOTE_ADDR="10.2.3.4")
    response = client.post(reverse("login"), {"username": "jonas", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    entry = AuditEntry.objects.get(action=Action.LOGIN)
    assert (entry.actor, entry.source_ip, entry.object_repr) == (jonas, "10.2.3.4", "jonas")
    client.post(reverse("logout"))
    entry = AuditEntry.objects.get(action=Action.LOGOUT)
    assert (entry.actor, entry.source_ip) == (jonas, "10.2.3.4")


def test_wrong_password_is_refused_and_audited(jonas):
    response = sign_in("neteisingas")
    assert response.status_code == 200
    assert "_auth_user_id" not in response.wsgi_request.session
    entry = AuditEntry.objects.get(action=Action.LOGIN_FAILED)
    assert entry.object_repr == "jonas" and entry.source_ip == "10.1.1.1" and entry.actor is None


def test_unknown_user_gets_the_same_answer(jonas):
    unknown, wrong = sign_in("x", username="nera"), sign_in("x")
    assert unknown.status_code == wrong.status_code == 200
    assert unknown.context["form"].non_field_errors() == wrong.context["form"].non_field_errors()
    assert SignInFailure.objects.filter(username="nera").count() == 1


def test_brute_force_locks_the_account(jonas, settings):
    for _ in range(settings.IRTIS_LOCKOUT_ATTEMPTS):
        sign_in("spejimas", address="10.9.9.9")
    assert actions(Action.LOCKOUT) == [Action.LOCKOUT]
    # Locked: even the right password, even from another address, is not accepted.
    response = sign_in(PASSWORD, address="10.8.8.8")
    assert "_auth_user_id" not in response.wsgi_request.session
    assert response.context["form"].non_field_errors().as_data()[0].code == "locked"
    failures = AuditEntry.objects.filter(action=Action.LOGIN_FAILED)
    assert sum((e.after or {}).get("reason") == "locked out" for e in failures) == 1


def test_lockout_ends(jonas, settings):
    for _ in range(settings.IRTIS_LOCKOUT_ATTEMPTS):
        sign_in("spejimas")
    assert lockout.locked_until("jonas")
    SignInFailure.objects.update(
        time=SignInFailure.objects.first().time
        - timedelta(seconds=settings.IRTIS_LOCKOUT_SECONDS + 1)
    )
    assert lockout.locked_until("jonas") is None
    response = sign_in(PASSWORD)
    assert response.status_code == 302
    assert not SignInFailure.objects.filter(username="jonas").exists()  # success forgets failures


def test_failures_spread_over_time_do_not_lock(jonas, settings):
    for _ in range(settings.IRTIS_LOCKOUT_ATTEMPTS - 1):
        sign_in("spejimas")
    SignInFailure.objects.update(
        time=SignInFailure.objects.first().time
        - timedelta(seconds=settings.IRTIS_LOCKOUT_WINDOW + 1)
    )
    sign_in("spejimas")
    assert sign_in(PASSWORD).status_code == 302


def test_one_address_trying_many_accounts_is_slowed_not_locked(db, settings, monkeypatch):
    """Past the address's limit its failures are answered late, the delay doubling up to the
    cap; a colleague's correct password from the same (NAT) address is accepted at once."""
    settings.IRTIS_LOCKOUT_ADDRESS_ATTEMPTS, settings.IRTIS_LOCKOUT_ADDRESS_DELAY = 3, 1.5
    waits: list[float] = []
    monkeypatch.setattr(lockout, "sleep", waits.append)
    User.objects.create_user("ona", password=PASSWORD)
    for n in range(6):
        sign_in("spejimas", username=f"vartotojas{n}", address="192.0.2.7")
    assert waits == [0.5, 1.0, 1.5]
    assert sign_in(PASSWORD, username="ona", address="192.0.2.7").status_code == 302
    assert waits == [0.5, 1.0, 1.5]  # no wait for a correct password
    assert not AuditEntry.objects.filter(action=Action.LOCKOUT).exists()


@pytest.mark.parametrize(
    "weak",
    [
        "trumpas1",
        "123456789012",
        "password1234",
        "Slaptazodis123",
        "slaptažodis",
        "Slaptažodis2024!",
        "Lietuva12345",
        "qwertyuiopas",
        "aaaaaaaaaaaa",
        " " * 12,
        "abababababab",
        "zyxwvutsrqpo",
    ],
)
def test_password_policy_refuses(db, weak):
    with pytest.raises(ValidationError):
        validate_password(weak, User(username="petras"))


def test_password_policy_accepts(db):
    validate_password("Žalias-kalnas-2025", User(username="petras"))
    validate_password(PASSWORD, User(username="petras"))


def test_cli_password_change_is_validated(jonas, monkeypatch):
    """`irtis changepassword` (Django's) runs the same validators."""
    from django.core.management import CommandError, call_command

    answers = iter(["Slaptazodis123", "Slaptazodis123"] * 3)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    with pytest.raises(CommandError):
        call_command("changepassword", "jonas", stdout=io.StringIO(), stderr=io.StringIO())
    jonas.refresh_from_db()
    assert jonas.check_password(PASSWORD)


def test_session_cookie_settings(settings, production_password_hashing):
    assert settings.SESSION_COOKIE_HTTPONLY and settings.SESSION_COOKIE_AGE <= 12 * 3600
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2idHasher")


def test_passwords_are_argon2id_with_rfc9106_parameters_and_old_hashes_upgrade(db, production_password_hashing) -> None:
    from django.contrib.auth.hashers import Argon2PasswordHasher, check_password, get_hasher, make_password

    encoded = make_password("Žalias-kalnas-2025")
    assert encoded.startswith("argon2$argon2id$v=19$m=65536,t=3,p=4$")
    django_default = Argon2PasswordHasher().encode("Žalias-kalnas-2025", Argon2PasswordHasher().salt())
    assert check_password("Žalias-kalnas-2025", django_default)
    assert get_hasher().must_update(django_default) and not get_hasher().must_update(encoded)


def test_check_deploy_is_clean_in_production(tmp_path: Path):
    env = {
        **os.environ,
        "IRTIS_SECURE_COOKIES": "1",
        "IRTIS_HSTS_SECONDS": "31536000",
        "IRTIS_HSTS_PRELOAD": "1",
        "IRTIS_SECRET_KEY": "x" * 20 + "QwErTy-ÄöÜ-0123456789-abcdefghijklmnopqrstuv",
        "IRTIS_ALLOWED_HOSTS": "irtis.muitine.lt",
        "IRTIS_DEBUG": "0",
        "IRTIS_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "irtis.settings"),
    }
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
