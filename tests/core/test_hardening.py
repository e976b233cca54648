"""Errors and the API contract (issue 19 §5): no 500 for an optional field left out or a name
IDNA cannot encode, colours only as #rrggbb, no redirect off the site, nothing cached of a
signed-in user's pages, no silent overwrite by a form without its version, unmade choices as
null, one host recorded once."""

from typing import Any

import pytest
from django.core.validators import MinValueValidator
from django.db import models
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import parse_http_date

from irtis.core import registry
from irtis.core.api import api
from irtis.core.forms import form_class
from irtis.core.models import Tag
from irtis.directory.models import DomainController
from irtis.inventory.models import DeviceRole
from irtis.network.models import IPAddress
from tests.directory.test_models import domain
from tests.inventory import factories
from tests.network.helpers import address, prefix
from tests.support.concurrency import at_once

pytestmark = pytest.mark.django_db
JSON = "application/json"


def test_a_put_without_optional_text_keeps_it_blank(admin_client: Client) -> None:
    controller = DomainController.objects.create(domain=domain(), name="hq-dc-01", site=factories.site(),
                                                 fsmo_roles="pdc")
    url = f"/api/directory/domain-controllers/{controller.pk}/"
    response = admin_client.put(url, {"domain": controller.domain_id, "name": "hq-dc-01",
                                      "site": controller.site_id}, content_type=JSON)
    assert response.status_code == 200, response.content
    assert response.json()["fsmo_roles"] == "" and DomainController.objects.get().fsmo_roles == ""


@pytest.mark.parametrize("colour", ["url(x)", "red;x:1", "#fff", "red", "#12345g", "#12345\n"])
def test_colours_are_only_rrggbb(admin_client: Client, colour: str) -> None:
    role = DeviceRole.objects.create(name="Serveris")
    tag = Tag.objects.create(name="Kritinė", slug="kritine")
    for url in (f"/api/inventory/device-roles/{role.pk}/", f"/api/core/tags/{tag.pk}/"):
        response = admin_client.patch(url, {"color": colour}, content_type=JSON)
        assert response.status_code == 400 and "#rrggbb" in response.content.decode(), url
    page = admin_client.post(reverse("core:tag_add"), {"name": "Nauja", "slug": "nauja", "color": colour})
    assert page.status_code == 400 and not Tag.objects.filter(slug="nauja").exists()
    assert admin_client.patch(f"/api/core/tags/{tag.pk}/", {"color": "#A1b2C3"}, content_type=JSON).status_code == 200


@pytest.mark.parametrize("target", ["https://kitas.example/", "//kitas.example/x", "javascript:alert(1)"])
def test_bulk_actions_return_only_within_the_site(admin_client: Client, target: str) -> None:
    role = DeviceRole.objects.create(name="Serveris")
    for action in ("bulk_edit", "bulk_delete"):
        response = admin_client.post(reverse(f"inventory:devicerole_{action}"), {"return_url": target})
        assert response.status_code == 302 and response["Location"] == reverse("inventory:devicerole_list")
    back = f"{reverse('inventory:devicerole_list')}?q=serv"
    response = admin_client.post(reverse("inventory:devicerole_bulk_edit"),
                                 {"pk": [role.pk], "apply": "1", "description": "x", "return_url": back})
    assert response.status_code == 302 and response["Location"] == back


def test_signed_in_pages_are_not_cached(admin_client: Client) -> None:
    for url in ("/", reverse("inventory:device_list"), "/api/inventory/devices/"):
        assert "no-store" in admin_client.get(url)["Cache-Control"], url
    assert "no-store" not in Client().get("/api/inventory/devices/").get("Cache-Control", "")  # 401, nothing to keep


def test_signed_in_answers_carry_what_djangos_never_cache_gives(admin_client: Client) -> None:
    answer = admin_client.get(reverse("inventory:device_list"))
    expected = HttpResponse()
    add_never_cache_headers(expected)
    assert answer["Cache-Control"] == expected["Cache-Control"]
    assert abs(parse_http_date(answer["Expires"]) - parse_http_date(expected["Expires"])) <= 1
    assert set(answer["Vary"].split(", ")) == {"Accept-Language", "Cookie"}


def test_an_edit_without_its_version_is_refused(admin_client: Client) -> None:
    role = DeviceRole.objects.create(name="Serveris")
    role.description = "naujesnė"
    role.save()
    url = reverse("inventory:devicerole_edit", args=[role.pk])
    response = admin_client.post(url, {"name": "Serveris", "color": "#123456", "description": "senesnė"})
    assert response.status_code == 400 and "be taisomo objekto versijos" in response.content.decode()
    assert DeviceRole.objects.get().description == "naujesnė"
    saved = admin_client.post(url, {"name": "Serveris", "color": "#123456", "description": "senesnė",
                                    "version": role.version})
    assert saved.status_code == 302 and DeviceRole.objects.get().description == "senesnė"


def test_an_unmade_choice_is_null_in_the_api(admin_client: Client) -> None:
    prefix("10.0.0.0/24")
    obj = address("10.0.0.5/24")
    assert IPAddress.objects.get().role == ""
    url = f"/api/network/ip-addresses/{obj.pk}/"
    assert admin_client.get(url).json()["role"] is None
    assert admin_client.get("/api/network/ip-addresses/").json()["results"][0]["role"] is None
    assert admin_client.patch(url, {"role": "gateway"}, content_type=JSON).json()["role"] == "gateway"
    assert admin_client.patch(url, {"role": None}, content_type=JSON).json()["role"] is None
    assert IPAddress.objects.get().role == ""
    assert admin_client.patch(url, {"role": ""}, content_type=JSON).status_code == 422
    schemas: dict[str, Any] = api.get_openapi_schema()["components"]["schemas"]
    for name in ("Device", "DeviceCreate", "DevicePatch"):
        face = schemas[name]["properties"]["face"]["anyOf"]
        assert face[0]["enum"] == ["front", "rear"] and face[1] == {"type": "null"}, name


def test_one_host_is_recorded_once(admin_client: Client) -> None:
    prefix("1.2.3.0/24")
    mapped = admin_client.post("/api/network/ip-addresses/", {"address": "::ffff:1.2.3.4/128"}, content_type=JSON)
    assert mapped.status_code == 201 and mapped.json()["address"] == "1.2.3.4/32"
    again = admin_client.post("/api/network/ip-addresses/", {"address": "1.2.3.4/32"}, content_type=JSON)
    assert again.status_code == 400
    prefix("fe80::/64")
    zoned = admin_client.post("/api/network/ip-addresses/", {"address": "fe80::1%eth0/64"}, content_type=JSON)
    assert zoned.status_code == 400 and "zonos indekso" in zoned.content.decode()
    assert list(IPAddress.objects.values_list("address", flat=True)) == ["1.2.3.4/32"]
    address("fe80::1/64")


def test_number_inputs_show_the_bounds_the_model_declares() -> None:
    """`min` (and `max`) come from the model's validators, a positive field's included, once for every form."""
    checked = 0
    for entry in registry.entries():
        form = form_class(entry)()
        for name in form.fields:
            field = entry.model._meta.get_field(name) if name in entry.editable_fields else None
            if not isinstance(field, models.IntegerField | models.DecimalField) or field.choices:
                continue
            lows = [v.limit_value for v in field.validators if isinstance(v, MinValueValidator)
                    and v.limit_value > -(2**15)]
            attrs = form.fields[name].widget.attrs
            if lows:
                assert str(attrs.get("min")) == str(max(lows)), (entry.label, name, attrs)
                checked += 1
            else:
                assert int(attrs.get("min", -(2**15))) <= -(2**15), (entry.label, name, attrs)  # at most the column's
    assert checked > 10
    html = str(form_class(registry.by_label("systems.informationsystem"))()["rto_hours"])
    assert 'min="0"' in html


def test_every_response_carries_the_content_security_policy(admin_client: Client) -> None:
    """Scripts only from the site's own files (no inline script may run), on pages, the API,
    errors and static files alike."""
    for url in ("/", reverse("inventory:device_list"), "/api/inventory/devices/", "/api/docs", "/nėra/",
                "/static/irtis/favicon.svg", "/login/"):
        policy = admin_client.get(url)["Content-Security-Policy"]
        assert "script-src 'self';" in policy and "object-src 'none'" in policy, url
        assert "unsafe-eval" not in policy and "unsafe-inline" not in policy.split("style-src")[0], url


@pytest.mark.django_db(transaction=True)
def test_simultaneous_changes_without_a_precondition_apply_in_turn(admin_user: Any) -> None:
    role = DeviceRole.objects.create(name="Serveris")
    answers: list[int] = []

    def change(n: int) -> None:
        client = Client()
        client.force_login(admin_user)
        url = f"/api/inventory/device-roles/{role.pk}/"
        answers.append(client.patch(url, {"description": f"keitimas {n}"}, content_type=JSON).status_code)
        listed = client.patch("/api/inventory/device-roles/", [{"id": role.pk, "color": f"#0000{n:02d}"}],
                              content_type=JSON)
        answers.append(listed.status_code)

    at_once(change, 30)
    assert answers == [200] * 60
    assert DeviceRole.objects.get().version == 61


def test_nul_characters_are_refused_on_either_database(admin_client: Client) -> None:
    role = DeviceRole.objects.create(name="Serveris")
    created = admin_client.post("/api/inventory/device-roles/", {"name": "a\x00b"}, content_type=JSON)
    changed = admin_client.patch(f"/api/inventory/device-roles/{role.pk}/", {"description": "\x00"}, content_type=JSON)
    listed = admin_client.patch("/api/inventory/device-roles/", [{"id": role.pk, "name": "c\x00"}], content_type=JSON)
    assert created.json()["errors"] == {"name": ["Nuliniai simboliai neleidžiami."]}
    assert changed.json()["errors"] == {"description": ["Nuliniai simboliai neleidžiami."]}
    assert listed.json()["errors"] == {"name": ["Nuliniai simboliai neleidžiami."]}  # one item: its own
    assert list(DeviceRole.objects.values_list("name", "description", "version")) == [("Serveris", "", 1)]


def test_the_openapi_documents_the_errors() -> None:
    paths = api.get_openapi_schema()["paths"]
    expected = {("/api/inventory/devices/", "get"): {"200", "400", "422"},
                ("/api/inventory/devices/", "post"): {"201", "400", "409", "422"},
                ("/api/inventory/devices/", "patch"): {"200", "400", "404", "409", "412", "422"},
                ("/api/inventory/devices/", "delete"): {"204", "400", "404", "409", "422"},
                ("/api/inventory/devices/{pk}/", "get"): {"200", "404", "422"},
                ("/api/inventory/devices/{pk}/", "put"): {"200", "400", "404", "409", "412", "422"},
                ("/api/inventory/devices/{pk}/", "delete"): {"204", "404", "409", "412", "422"}}
    for (path, method), codes in expected.items():
        responses = paths[path][method]["responses"]
        assert {str(code) for code in responses} == codes | {"401", "403"}, (path, method)
        for code, answer in responses.items():
            if int(code) >= 400:
                assert answer["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Problem"}
