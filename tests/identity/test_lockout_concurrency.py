"""Simultaneous wrong passwords for one name: exactly the limit is checked, the rest are refused
as locked without a look at the password (issue 19: 8–9 of 8 were checked against 5)."""

import threading

import pytest
from django.contrib.auth.hashers import check_password
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from irtis.identity.models import SignInFailure, User

ATTEMPTS = 8


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="SQLite has a single writer anyway")
@pytest.mark.django_db(transaction=True)
def test_concurrent_attempts_check_exactly_the_limit(settings, monkeypatch) -> None:
    User.objects.create_user("jonas", password="Teisingas-slaptažodis-42")
    checked: list[str] = []
    start = threading.Barrier(ATTEMPTS)
    errors: list[BaseException] = []

    def counting_check(password: str, encoded: str, *args: object, **kwargs: object) -> bool:
        checked.append(password)  # list.append is atomic under the GIL
        return check_password(password, encoded, *args, **kwargs)

    monkeypatch.setattr("django.contrib.auth.base_user.check_password", counting_check)

    def attempt(n: int) -> None:
        try:
            start.wait()
            Client(REMOTE_ADDR=f"10.1.1.{n}").post(
                reverse("login"), {"username": "jonas", "password": f"spejimas-{n}"}
            )
        except BaseException as exc:  # reported below: a thread's failure must fail the test
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(ATTEMPTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert connection.vendor == "postgresql"
    assert len(checked) == settings.IRTIS_LOCKOUT_ATTEMPTS
    assert SignInFailure.objects.filter(username="jonas").count() == settings.IRTIS_LOCKOUT_ATTEMPTS
