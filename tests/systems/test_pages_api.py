"""The impact API, the map page, the single-points-of-failure report and expiring certificates."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils import timezone

from irtis.inventory.models import Device
from irtis.systems.models import Certificate, Interconnection

from .factories import component, estate, eu, system

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
    chooser = admin_client.get("/systems/map/")  # the menu's link: a choice of the systems
    assert chooser.status_code == 200 and f'value="{spec(e["system"])}"' in chooser.content.decode()
    detail = admin_client.get(e["system"].get_absolute_url()).content.decode()
    assert 'id="spof"' in detail and "app-1" in detail and "depmap" in detail
    device_page = admin_client.get(e["ora_host"].get_absolute_url()).content.decode()
    assert 'id="dependencies"' in device_page
    report = admin_client.get("/systems/spof/")
    assert report.status_code == 200 and "app-1" in report.content.decode()


def test_if_this_fails_on_the_objects_page(admin_client: Client) -> None:
    """One click on a server's page lists, as text, the systems that stop and those that degrade."""
    e = estate()
    page = admin_client.get(f"/inventory/devices/{e['ora_host'].pk}/").content.decode()
    assert f'/systems/if-this-fails/?failed=inventory.device-{e["ora_host"].pk}' in page and "Jei sugestų" in page
    stops = admin_client.get("/systems/if-this-fails/", {"failed": spec(e["ora_host"])}).content.decode()
    assert "sustoja 1 informacinė sistema" in stops and str(e["system"]) in stops and "sustoja</span>" in stops
    degrades = admin_client.get("/systems/if-this-fails/", {"failed": spec(e["hosts"][0])}).content.decode()
    assert "sustoja 0 informacinių sistemų ir 1 veikia blogiau" in degrades
    assert "veikia blogiau</span>" in degrades and str(e["system"]) in degrades
    assert admin_client.get("/systems/if-this-fails/", {"failed": "inventory.device-999999"}).status_code == 404
    assert admin_client.get("/systems/if-this-fails/", {"failed": "nonsense"}).status_code == 404


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


@pytest.fixture
def site_viewer(db: None) -> tuple[Client, dict]:
    """May view information systems, components, deployments, clusters and machines, and only
    the servers named esx-*: the Oracle server, its instance and database are hidden."""
    from irtis.databases.models import DBMSInstance
    from irtis.identity.models import ObjectPermission
    from irtis.systems.models import Component, Deployment, InformationSystem
    from irtis.virtualization.models import Cluster, VirtualMachine

    e = estate()
    user = get_user_model().objects.create_user("matantis", password="Sl4ptas-Matantis!")
    for model, constraints in ((InformationSystem, None), (Component, None), (Deployment, None), (Cluster, None),
                               (VirtualMachine, None), (Device, {"name__startswith": "esx-"}),
                               (DBMSInstance, {"name": "none"})):
        permission = ObjectPermission.objects.create(name=model.__name__, actions=["view"], constraints=constraints)
        permission.users.add(user)
        permission.object_types.add(ContentType.objects.get_for_model(model))
    client = Client()
    client.force_login(user)
    return client, e


def test_hidden_objects_are_placeholders_that_keep_the_analysis_honest(site_viewer: tuple[Client, dict]) -> None:
    client, e = site_viewer
    data = client.get("/api/systems/graph/", {"object": spec(e["system"]), "direction": "down", "depth": 8,
                                              "failed": spec(e["app"])}).json()
    labels = {n["label"] for n in data["nodes"]}
    assert {"esx-1", "CL-T", "app-1"} <= labels
    assert not labels & {"ora-1", "ORA1", "SDB", "R1"}  # hidden: a server, an instance, a database, a rack
    hidden = [n for n in data["nodes"] if n["restricted"]]
    assert hidden and all(n["id"].startswith("restricted-") and not n["url"] for n in hidden)
    assert {"databases.database", "databases.dbmsinstance", "inventory.device"} <= {n["kind"] for n in hidden}
    ids = {n["id"] for n in data["nodes"]}
    assert all(edge["source"] in ids and edge["target"] in ids for edge in data["edges"])
    # the hidden Oracle server fails: the user learns that their system stops, not through what
    type_id = ContentType.objects.get_for_model(Device).id
    assert client.get("/api/systems/impact/", {"failed": spec(e["ora_host"])}).status_code == 404
    assert client.get("/api/systems/impact/", {"failed": f"{type_id}-{e['ora_host'].pk}"}).status_code == 404
    assert client.get("/systems/map/", {"object": spec(e["ora_host"])}).status_code == 404
    assert client.get("/systems/if-this-fails/", {"failed": spec(e["ora_host"])}).status_code == 404
    impact = client.get("/api/systems/impact/", {"failed": spec(e["hosts"][0]), "objects": "true"}).json()
    assert str(e["system"]) in {n["label"] for n in impact["degraded"]}
    everything = client.get("/api/systems/impact/", {"failed": [spec(h) for h in e["hosts"]]}).json()
    assert str(e["system"]) in {n["label"] for n in everything["stopped"]}
    spofs = client.get("/api/systems/spof/", {"system": "S"}).json()[0]["single_points_of_failure"]
    shown = {n["label"] for n in spofs}
    assert "app-1" in shown and not shown & {"ora-1", "ORA1", "SDB"}
    assert sum(n["restricted"] for n in spofs) >= 3  # the server, instance, database (and rack, site)
    page = client.get(e["system"].get_absolute_url()).content.decode()
    assert "ora-1" not in page and "app-1" in page


def test_a_hidden_system_that_stops_is_counted_and_anonymous(site_viewer: tuple[Client, dict]) -> None:
    from irtis.identity.models import ObjectPermission
    from irtis.systems.models import InformationSystem

    client, e = site_viewer
    component(system("SECRET"), "secret app", [e["app"]])
    ObjectPermission.objects.filter(name="InformationSystem").update(constraints={"code": "S"})
    data = client.get("/api/systems/impact/", {"failed": spec(e["app"])}).json()
    stopped = [n for n in data["stopped"] if n["kind"] == "systems.informationsystem"]
    assert [n["label"] for n in stopped if not n["restricted"]] == [str(e["system"])]
    assert [(n["id"], n["url"]) for n in stopped if n["restricted"]] == [("restricted-1", "")]
    assert "SECRET" not in str(data)
    assert InformationSystem.objects.count() == 2
    assert client.get("/api/systems/spof/", {"system": "SECRET"}).status_code == 404
    assert [r["system"] for r in client.get("/api/systems/spof/").json()] == ["S"]
