"""Fixtures shared by the whole suite."""

import os

import pytest
from django.contrib.auth import get_user_model

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
