"""Fixtures shared by the whole suite."""

import os
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import translation

from tests.support.samba import samba_dc  # noqa: F401  (session fixture: one DC for every module)

# The suite connects as the `postgres` superuser (it creates and drops test databases), which
# `irtis serve` and `irtis worker` refuse in production; the worker processes inherit this.
os.environ.setdefault("IRTIS_ALLOW_PRIVILEGED_DATABASE", "true")


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
