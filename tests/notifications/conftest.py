"""Fixtures of the notification tests: a real SMTP server on loopback, and people to notify."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from irtis.notifications.models import Profile
from tests.support.smtp import SMTPServer, certificate


@pytest.fixture(scope="session")
def cert(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return certificate(tmp_path_factory.mktemp("smtp"))


@pytest.fixture
def smtp_server(cert: tuple[Path, Path], settings: Any) -> Iterator[Any]:
    """start(security, auth=…, port=…): a running server that irtis is pointed at."""
    started: list[SMTPServer] = []

    def start(security: str = "none", auth: bool = False, **options: Any) -> SMTPServer:
        server = SMTPServer(security, cert, auth=auth, **options).start()
        started.append(server)
        for name, value in server.settings(auth).items():
            setattr(settings, name, value)
        return server

    settings.IRTIS_SMTP_CA_FILE = str(cert[0])
    settings.DEFAULT_FROM_EMAIL = "irtis <irtis@muitine.lt>"
    settings.IRTIS_BASE_URL = "https://irtis.muitine.lt"
    yield start
    for server in started:
        server.stop()


@pytest.fixture
def smtp(smtp_server: Any) -> SMTPServer:
    return smtp_server("none")


def person(username: str, language: str = "lt", superuser: bool = True, **values: Any) -> Any:
    """A user with an e-mail address and a language; superusers may view every object."""
    values.setdefault("email", f"{username}@muitine.lt")
    user = get_user_model().objects.create_user(username, is_superuser=superuser, **values)
    profile = Profile(user=user, language=language)
    profile.full_clean()
    profile.save()
    return user


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings) -> None:
    """These tests run tasks in the request (django-tasks' immediate backend); the queue and its
    workers are tested in tests/tasks."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
