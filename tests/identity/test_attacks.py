"""Attacks on the pages: forged requests without a CSRF token, and script in every text field
of every registered model, which must come out escaped on list and detail pages."""

import pytest
from django.db import models, transaction
from django.test import Client
from django.urls import reverse

from irtis.core import registry

from .access import call, contracts, sample

PAYLOAD = "<script>alert(1)</script>"


def test_post_without_csrf_token_is_refused(admin_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    response = client.post(
        reverse("inventory:site_add"), {"code": "X", "name": "X", "kind": "seaport"}
    )
    assert response.status_code == 403
    assert client.post(reverse("account:tokens"), {"description": "x"}).status_code == 403
    assert (
        Client(enforce_csrf_checks=True)
        .post(reverse("login"), {"username": "a", "password": "b"})
        .status_code
        == 403
    )


def _text_fields(model: type[models.Model]) -> list[models.Field]:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField)
        and not f.choices
        and not isinstance(
            f, models.EmailField | models.URLField | models.SlugField | models.GenericIPAddressField
        )
        and f.editable
    ]


def _payload(field: models.Field) -> str:
    size = field.max_length or 1000
    return PAYLOAD if size >= len(PAYLOAD) else "<b>x</b>"[:size] if size >= 8 else "<i>"[:size]


@pytest.mark.django_db
def test_script_in_text_fields_is_escaped(admin_user):
    admin_client = Client(raise_request_exception=False)
    admin_client.force_login(admin_user)
    contract = contracts()
    failures = []
    for entry in registry.entries():
        fields = _text_fields(entry.model)
        if not fields:
            continue
        obj = sample(entry.model, contract)
        stored = []
        for field in fields:  # a field that refuses the payload cannot show it: fine
            before = getattr(obj, field.attname)
            setattr(obj, field.attname, _payload(field))
            try:
                with transaction.atomic():
                    obj.save()
                stored.append(field)
            except Exception:
                setattr(obj, field.attname, before)
                obj.refresh_from_db()
        fields = stored
        names = ",".join(f.name for f in fields)
        pages = {
            "list": call(
                admin_client.get, entry.url("list") + f"?columns={names}".replace(",", "&columns=")
            ),
            "detail": call(admin_client.get, reverse(entry.url_name("detail"), args=[obj.pk])),
        }
        for page, response in pages.items():
            if response.status_code != 200:
                failures.append(f"{entry.label} {page}: {response.status_code}")
                continue
            html = response.content.decode()
            for field in fields:
                raw = _payload(field)
                if len(raw) >= 3 and raw in html:
                    failures.append(f"{entry.label}.{field.name} unescaped on the {page} page")
            if PAYLOAD in html:
                failures.append(f"{entry.label} {page} contains the raw script")
    assert not failures, "\n".join(failures)
