"""The impact API, the map page, the single-points-of-failure report and expiring certificates."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils import timezone

from irtis.inventory.models import Device
from irtis.systems.models import Certificate, Interconnection

from .factories import estate, eu, system

pytestmark = pytest.mark.django_db


def spec(obj: object) -> str:
    return f"{obj._meta.label_lower}-{obj.pk}"


def test_impact_api_both_ways(admin_client: Client) -> None:
    e = estate()
    response = admin_client.get("/api/systems/impact/", {"failed": [spec(e["hosts"][0])], "objects": "true"})
    assert response.status_code == 200, response.content
    data = response.json()
    assert {n["label"] for n in data["degraded"]} >= {"CL-T", str(e["system"])}
    response = admin_client.post("/api/systems/impact/", {"failed": [spec(h) for h in e["hosts"]]},
                                 content_type="application/json")
    assert str(e["system"]) in {n["label"] for n in response.json()["stopped"]}
    type_id = ContentType.objects.get_for_model(Device).id
    response = admin_client.get("/api/systems/impact/", {"failed": f"{type_id}-{e['app'].pk + 999_999}"})
    assert response.status_code == 404
    down = admin_client.get("/api/systems/downstream/", {"object": spec(e["system"])}).json()
    assert "esx-1" in {n["label"] for layer in down for n in layer}
    up = admin_client.get("/api/systems/upstream/", {"object": spec(e["ora_host"])}).json()
    assert str(e["system"]) in {n["label"] for layer in up for n in layer}


def test_unknown_or_bad_objects_get_a_clear_4xx(admin_client: Client) -> None:
    estate()
    for failed in ("inventory.device-999999", "no-such-thing", "inventory.nosuchmodel-1", "x"):
        response = admin_client.get("/api/systems/impact/", {"failed": failed})
        assert response.status_code == 404, (failed, response.content)
        assert "detail" in response.json()
    assert admin_client.get("/api/systems/impact/").status_code in {400, 422}
    empty = admin_client.post("/api/systems/impact/", {"failed": []}, content_type="application/json")
    assert empty.status_code in {400, 422}
    sideways = admin_client.get("/api/systems/graph/", {"object": "inventory.site-1", "direction": "sideways"})
    assert sideways.status_code in {400, 404}
    assert admin_client.get("/api/systems/spof/", {"system": "NOPE"}).status_code == 404
    assert admin_client.get("/api/systems/downstream/", {"object": "inventory.site-1", "depth": 99}).status_code in {
        400, 404}


def test_api_needs_a_signed_in_user(client: Client) -> None:
    e = estate()
    assert client.get("/api/systems/impact/", {"failed": spec(e["app"])}).status_code == 401
    get_user_model().objects.create_user("viewer", password="Sl4ptas-Viewer!")
    client.login(username="viewer", password="Sl4ptas-Viewer!")
    assert client.get("/api/systems/impact/", {"failed": spec(e["app"])}).status_code == 403


def test_spof_and_graph_api(admin_client: Client) -> None:
    e = estate()
    report = admin_client.get("/api/systems/spof/").json()
    assert [r["system"] for r in report] == ["S"]
    assert "app-1" in {n["label"] for n in report[0]["single_points_of_failure"]}
    one = admin_client.get("/api/systems/spof/", {"system": "S"}).json()
    assert one == report
    data = admin_client.get("/api/systems/graph/", {"object": spec(e["system"]), "failed": spec(e["app"])}).json()
    assert {"nodes", "edges"} <= set(data)
    assert {n["label"]: n["state"] for n in data["nodes"]}["app-1"] == "failed"


def test_map_page_and_panels_render(admin_client: Client) -> None:
    e = estate()
    response = admin_client.get("/systems/map/", {"object": spec(e["system"]), "direction": "both", "depth": 4})
    assert response.status_code == 200
    page = response.content.decode()
    assert "cytoscape.min.js" in page and "/api/systems/graph/" in page and str(e["system"]) in page
    assert admin_client.get("/systems/map/", {"object": "inventory.device-999999"}).status_code == 404
    detail = admin_client.get(e["system"].get_absolute_url()).content.decode()
    assert 'id="spof"' in detail and "app-1" in detail and "depmap" in detail
    device_page = admin_client.get(e["ora_host"].get_absolute_url()).content.decode()
    assert 'id="dependencies"' in device_page
    report = admin_client.get("/systems/spof/")
    assert report.status_code == 200 and "app-1" in report.content.decode()


def test_expiring_certificates(admin_client: Client) -> None:
    today = timezone.localdate()
    link = Interconnection.objects.create(name="NTKS–NCTS", system=system("NTKS"), eu_system=eu(), protocol="ccn_csi")
    soon = Certificate.objects.create(subject="CN=soon", issuer="CA", serial="1", interconnection=link,
                                      expires=today + datetime.timedelta(days=10))
    later = today + datetime.timedelta(days=200)
    Certificate.objects.create(subject="CN=later", issuer="CA", serial="2", expires=later)
    gone = today - datetime.timedelta(days=1)
    expired = Certificate.objects.create(subject="CN=gone", issuer="CA", serial="3", expires=gone)
    found = admin_client.get("/api/systems/expiring-certificates/", {"within_days": 30}).json()
    assert {c["subject"] for c in found} == {"CN=soon", "CN=gone"}
    assert admin_client.get("/api/systems/expiring-certificates/", {"within_days": -1}).status_code == 400
    page = admin_client.get("/systems/certificates/expiring/", {"within_days": 30}).content.decode()
    assert "CN=soon" in page and "CN=later" not in page
    assert soon.expiry_state == "expiring" and expired.expiry_state == "expired"
    detail = admin_client.get(soon.get_absolute_url()).content.decode()
    assert "text-bg-warning" in detail
