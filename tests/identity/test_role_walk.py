"""Every role x every registered model x every action, through the pages and the API, is
allowed or refused exactly as the role's permissions say: a test per role, so that the walks
spread over the workers."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.db import transaction
from django.test import Client
from django.urls import reverse

from irtis.identity import tokens

from .access import ROLE_CODES, call, configured, role_user, samples

UI = {  # page → (action it needs, needs an object, status when allowed)
    "list": ("view", False),
    "detail": ("view", True),
    "add": ("add", False),
    "edit": ("change", True),
    "delete": ("delete", True),
    "import": ("import", False),
    "export": ("export", False),
}


@pytest.fixture(scope="module")
def sample_objects(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict]:
    """One object of every registered model, for every role's walk on this worker: made once in
    a transaction around the walks (each walk runs in a savepoint inside it), rolled back after.
    The walks write nothing (their writes stop at 400 or 412)."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield samples()
        transaction.set_rollback(True)


@pytest.mark.parametrize("code", ROLE_CODES)
def test_every_role_model_and_action_as_configured(sample_objects: dict, db: None, code: str) -> None:
    wrong = _walk(code, sample_objects)
    assert not wrong, "\n".join(wrong)


def _walk(code: str, objects: dict) -> list[str]:
    user = role_user(code)
    expected = configured(Group.objects.get(name=code))
    ui = Client(raise_request_exception=False)  # a server error is listed like any mismatch
    ui.force_login(user)
    _, plain = tokens.issue(user)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {plain}", raise_request_exception=False)
    wrong = []
    for entry, obj in objects.items():
        allowed = expected.get(entry.label, set())
        for page, (action, with_object) in UI.items():
            url = reverse(entry.url_name(page), args=[obj.pk] if with_object else [])
            status = call(ui.get, url + ("?per_page=1" if page == "list" else "")).status_code
            want = 200 if action in allowed else 403
            if status != want:
                wrong.append(f"{code}: UI {page} {entry.label}: {status}, expected {want}")
        base = f"/api/{entry.app_label}/{entry.path}/"
        stale = {"HTTP_IF_MATCH": '"999999"'}  # allowed writes stop at the version check: 412
        calls = {
            "view": (call(api.get, base + "?limit=1"), 200),
            # allowed adds stop at the empty list (400), refused ones at the permission (403)
            "add": (call(api.post, base, "[]", content_type="application/json"), 400),
            "change": (
                call(api.patch, f"{base}{obj.pk}/", "{}", content_type="application/json", **stale),
                412,
            ),
            "delete": (call(api.delete, f"{base}{obj.pk}/", **stale), 412),
        }
        for action, (response, ok) in calls.items():
            want = ok if action in allowed else 403
            if response.status_code != want:
                wrong.append(
                    f"{code}: API {action} {entry.label}: {response.status_code}, expected {want}"
                )
    return wrong
