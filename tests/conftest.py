"""Fixtures shared by the whole suite."""

import os
from collections.abc import Iterator
from importlib import import_module
from typing import Any
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.test import Client, TransactionTestCase
from django.test.client import ClientHandler
from django.test.utils import override_settings
from django.utils import translation

from tests.support import databases
from tests.support.samba import samba_dc  # noqa: F401  (session fixture: one DC for every module)

# The suite connects as the `postgres` superuser (it creates and drops test databases), which
# `irtis serve` and `irtis worker` refuse in production; the worker processes inherit this.
os.environ.setdefault("IRTIS_ALLOW_PRIVILEGED_DATABASE", "true")


PRODUCTION_HASHERS = list(settings.PASSWORD_HASHERS)


@pytest.fixture(scope="session")
def django_db_keepdb(django_db_modify_db_settings: None, django_db_blocker: Any) -> bool:
    """The test database is copied from a migrated template (tests/support/databases.py),
    so pytest-django keeps it as it is instead of migrating it."""
    with django_db_blocker.unblock():
        databases.prepare()
    return True


def _restoring_teardown(self: TransactionTestCase) -> None:
    """After a transactional test: the tables emptied, then the template's rows put back
    (`databases.reset`) instead of post_migrate making them anew."""
    for alias in self._databases_names(include_mirrors=False):
        databases.reset(alias)


@pytest.fixture(autouse=True, scope="session")
def restored_after_transactional_tests() -> Iterator[None]:
    with mock.patch.object(TransactionTestCase, "_fixture_teardown", _restoring_teardown):
        yield


@pytest.fixture
def empty_database(transactional_db: None) -> Iterator[None]:
    """A database of the test's own, empty, for a migration test to migrate as far as it needs."""
    with databases.empty_database():
        yield


@pytest.fixture(autouse=True, scope="session")
def quick_password_hashing() -> Iterator[None]:
    """Passwords made in tests are hashed with MD5, as Django advises for test suites: Argon2id
    at 64 MiB took a third of a model contract's time (the admin fixture's password, each test).
    Production's hashers stay in the list, so their hashes still verify; the tests of hashing
    itself take `production_password_hashing`."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher", *PRODUCTION_HASHERS]):
        yield


@pytest.fixture(autouse=True, scope="session")
def no_audit_checkpoints() -> Iterator[None]:
    """A signed checkpoint falls where the audit trail's ids cross a multiple of the interval.
    PostgreSQL's sequences do not roll back with a test, so there any write could cross one and
    add its queries to a test's query count; the tests of checkpoints set the interval they test."""
    with override_settings(IRTIS_AUDIT_CHECKPOINT_EVERY=0):
        yield


def _force_login(client: Client, user: Any, backend: str | None = None) -> None:
    """The client signed in as `user` by writing its session: four queries. Django's own
    goes through `login()` (a new session, its key cycled, `last_login` saved and indexed):
    eighteen, for every signed-in client of every test. The sign-in itself is tested through
    the sign-in page."""
    cookie = client.cookies.get(settings.SESSION_COOKIE_NAME)
    session = import_module(settings.SESSION_ENGINE).SessionStore(cookie.value if cookie else None)
    user.backend = backend or settings.AUTHENTICATION_BACKENDS[0]
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = user.backend
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key


@pytest.fixture(autouse=True, scope="session")
def quick_force_login() -> Iterator[None]:
    with mock.patch.object(Client, "force_login", _force_login):
        yield


# The middleware of the test clients, by the settings it was built under (the newest few).
_middleware: dict[Any, tuple[Any, ...]] = {}
_MIDDLEWARE_PARTS = ("_middleware_chain", "_view_middleware", "_template_response_middleware",
                     "_exception_middleware")
_build_middleware = ClientHandler.load_middleware


def _load_middleware(handler: ClientHandler, is_async: bool = False) -> None:
    """A test client's handler takes the middleware its predecessors built under the same settings
    (the object: override_settings makes a new one) instead of building it again: WhiteNoise
    alone scans the static files at each construction, and nearly every test makes new clients
    (6 ms of a contract test's 0.2 s). Middleware keeps no request's state on itself: production
    builds it once per process."""
    key = (settings._wrapped, is_async)
    if key not in _middleware:
        _build_middleware(handler, is_async)
        if len(_middleware) >= 8:
            del _middleware[next(iter(_middleware))]
        _middleware[key] = tuple(getattr(handler, part) for part in _MIDDLEWARE_PARTS)
    for part, value in zip(_MIDDLEWARE_PARTS, _middleware[key], strict=True):
        setattr(handler, part, value)


@pytest.fixture(autouse=True, scope="session")
def shared_client_middleware() -> Iterator[None]:
    with mock.patch.object(ClientHandler, "load_middleware", _load_middleware):
        yield


@pytest.fixture
def production_password_hashing(settings) -> None:
    settings.PASSWORD_HASHERS = PRODUCTION_HASHERS


@pytest.fixture
def admin_user(db):
    return get_user_model().objects.create_superuser("admin", "admin@example.lt", "Sl4ptas-Admin!")


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture(autouse=True)
def site_language() -> Iterator[None]:
    """Each test starts in the site's language: a request in English leaves English active in
    its thread (LocaleMiddleware does not switch back), and so in every later test."""
    with translation.override(settings.LANGUAGE_CODE):
        yield
