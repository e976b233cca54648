"""Simultaneous wrong passwords for one name: exactly the limit is checked, the rest are refused
as locked without a look at the password (issue 19: 8–9 of 8 were checked against 5)."""

import pytest
from django.contrib.auth.hashers import check_password
from django.db import connection
from django.test import Client
from django.urls import reverse

from irtis.identity.models import SignInFailure, User
from tests.support.concurrency import at_once

ATTEMPTS = 8


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="SQLite has a single writer anyway")
@pytest.mark.django_db(transaction=True)
def test_concurrent_attempts_check_exactly_the_limit(settings, monkeypatch) -> None:
    User.objects.create_user("jonas", password="Teisingas-slaptažodis-42")
    checked: list[str] = []

    def counting_check(password: str, encoded: str, *args: object, **kwargs: object) -> bool:
        checked.append(password)  # list.append is atomic under the GIL
        return check_password(password, encoded, *args, **kwargs)

    monkeypatch.setattr("django.contrib.auth.base_user.check_password", counting_check)

    def attempt(n: int) -> None:
        Client(REMOTE_ADDR=f"10.1.1.{n}").post(reverse("login"), {"username": "jonas", "password": f"spejimas-{n}"})

    at_once(attempt, ATTEMPTS)
    assert connection.vendor == "postgresql"
    assert len(checked) == settings.IRTIS_LOCKOUT_ATTEMPTS
    assert SignInFailure.objects.filter(username="jonas").count() == settings.IRTIS_LOCKOUT_ATTEMPTS
