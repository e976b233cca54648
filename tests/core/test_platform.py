"""Platform behaviour beyond the per-model contract: ordering, search, change records, locking."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from irtis.audit.models import AuditEntry
from irtis.core import registry
from irtis.core.collation import sort_key
from irtis.core.models import SearchEntry, StaleObjectError
from irtis.identity.models import User
from irtis.identity.tokens import issue
from irtis.inventory.models import Site

pytestmark = pytest.mark.django_db
CITIES = [
    "Žemaitkiemis", "Zarasai", "Šiauliai", "Sakiai", "Čekiškė", "Cirkliškis", "Ąžuolynė", "Bėgiai", "Ignalina",
    "Įsrutis", "Yla",
]
LITHUANIAN_ORDER = [
    "Ąžuolynė", "Bėgiai", "Cirkliškis", "Čekiškė", "Ignalina", "Yla", "Įsrutis", "Sakiai", "Šiauliai", "Zarasai",
    "Žemaitkiemis",
]


def test_sort_key_follows_the_lithuanian_alphabet() -> None:
    assert sorted(CITIES, key=sort_key) == LITHUANIAN_ORDER


def test_lists_sort_in_lithuanian_order_on_both_databases(admin_client: Client) -> None:
    for n, city in enumerate(CITIES):
        Site.objects.create(code=f"C{n}", name=city, city=city, kind=Site.Kind.CUSTOMS_POST)
    rows = admin_client.get("/api/inventory/sites/", {"ordering": "name"}).json()["results"]
    assert [r["name"] for r in rows] == LITHUANIAN_ORDER
    rows = admin_client.get("/api/inventory/sites/", {"ordering": "-city"}).json()["results"]
    assert [r["city"] for r in rows] == LITHUANIAN_ORDER[::-1]
    page = admin_client.get("/inventory/sites/", {"sort": "name"}).content.decode()
    positions = [page.index(f">{name}<") for name in LITHUANIAN_ORDER]
    assert positions == sorted(positions)


def test_search_ignores_case_and_diacritics(admin_client: Client) -> None:
    Site.objects.create(code="SAL", name="Šalčininkų PKP", kind=Site.Kind.ROAD_BCP)
    for query in ("šalčininkų", "SALCININKU", "Šalč pkp", "salc"):
        rows = admin_client.get("/api/inventory/sites/", {"q": query}).json()["results"]
        assert [r["code"] for r in rows] == ["SAL"], query
    assert admin_client.get("/api/inventory/sites/", {"q": "kaunas"}).json()["count"] == 0


def test_the_index_is_rewritten_only_when_its_text_changes(admin_client: Client) -> None:
    site = Site.objects.create(code="KEN", name="Kena", kind=Site.Kind.RAIL_BCP)
    indexed = SearchEntry.objects.get(object_id=site.pk, title__startswith="KEN")
    site.kind = Site.Kind.ROAD_BCP  # not searched: the row stays as it is
    site.save()
    assert SearchEntry.objects.get(object_id=site.pk, title__startswith="KEN").pk == indexed.pk
    response = admin_client.patch("/api/inventory/sites/", [{"id": site.pk, "name": "Kenos GPP"}],
                                  content_type="application/json")
    assert response.status_code == 200
    assert SearchEntry.objects.get(object_id=site.pk, title__startswith="KEN").title == "KEN Kenos GPP"
    assert admin_client.get("/api/inventory/sites/", {"q": "kenos gpp"}).json()["count"] == 1


def test_change_records_carry_who_what_where(admin_client: Client) -> None:
    response = admin_client.post("/api/inventory/sites/", {"code": "KLP", "name": "Klaipėda", "kind": "seaport"},
                                 content_type="application/json", REMOTE_ADDR="10.20.30.40")
    entry = AuditEntry.objects.get(object_id=response.json()["id"], action="create", content_type__model="site")
    # Signed in by the session: a page's button posting to the API, so the UI.
    assert entry.actor_name == "admin" and entry.source == "ui" and entry.source_ip == "10.20.30.40"
    assert entry.request_id == response["X-Request-ID"]
    assert entry.after["name"] == "Klaipėda" and entry.before is None
    script = Client(headers={"Authorization": f"Bearer {issue(User.objects.get(username='admin'))[1]}"})
    response = script.post("/api/inventory/sites/", {"code": "KUN", "name": "Kaunas", "kind": "customs_post"},
                           content_type="application/json")
    entry = AuditEntry.objects.get(object_id=response.json()["id"], action="create", content_type__model="site")
    assert entry.actor_name == "admin" and entry.source == "api"  # a script's call, by its token


def test_a_failed_write_leaves_no_change_record() -> None:
    site = Site.objects.create(code="A", name="A", kind=Site.Kind.SEAPORT)
    stale = Site.objects.get(pk=site.pk)
    site.name = "B"
    site.save()
    count = AuditEntry.objects.count()
    stale.name = "C"
    with pytest.raises(StaleObjectError):
        stale.save()
    assert AuditEntry.objects.count() == count
    assert Site.objects.get(pk=site.pk).name == "B"


def test_the_count_is_exact_on_every_page(admin_client: Client) -> None:
    for n in range(5):
        Site.objects.create(code=f"P{n}", name=f"P{n}", kind=Site.Kind.SEAPORT)
    for offset, limit, shown in ((0, 2, 2), (2, 2, 2), (4, 2, 1), (0, 10, 5), (5, 2, 0), (9, 2, 0)):
        page = admin_client.get("/api/inventory/sites/", {"offset": offset, "limit": limit}).json()
        assert (page["count"], len(page["results"])) == (5, shown), (offset, limit)
        assert (page["next"] is None) == (offset + limit >= 5)


def test_paths_are_english_plurals() -> None:
    assert [registry.plural(n) for n in ("site", "dependency", "gateway", "prefix", "address", "switch")] == [
        "sites", "dependencies", "gateways", "prefixes", "addresses", "switches"]


def test_every_path_follows_one_rule() -> None:
    """Pages and API: the hyphenated plural of the class name, acronyms whole (as NetBox)."""
    paths = {e.model.__name__: e.path for e in registry.entries()}
    assert {name: paths[name] for name in ("DeviceRole", "IPAddress", "VLANGroup", "StorageCapacity", "EUSystem",
                                           "DBMSInstance", "VLAN", "Prefix", "ImportanceCategory")} == {
        "DeviceRole": "device-roles", "IPAddress": "ip-addresses", "VLANGroup": "vlan-groups",
        "StorageCapacity": "storage-capacities", "EUSystem": "eu-systems", "DBMSInstance": "dbms-instances",
        "VLAN": "vlans", "Prefix": "prefixes", "ImportanceCategory": "importance-categories"}
    assert all(path == registry.url_path(model) for model, path in ((e.model, e.path) for e in registry.entries()))


def test_a_bookmark_of_a_former_path_is_redirected(admin_client: Client) -> None:
    response = admin_client.get("/inventory/deviceroles/?q=x")
    assert (response.status_code, response["Location"]) == (301, "/inventory/device-roles/?q=x")
    assert admin_client.get("/network/ipaddresses/7/edit/")["Location"] == "/network/ip-addresses/7/edit/"
    assert admin_client.get("/inventory/device-roles/").status_code == 200


def test_a_default_left_out_of_a_put_is_worked_out_for_that_request(admin_client: Client) -> None:
    """A field left out of a PUT takes its default: for an incident's detection time, now, not the
    moment the process built its schemas (at its start, before this test)."""
    from irtis.core.api import api
    from irtis.monitoring.models import Incident

    incident = Incident.objects.create(title="Nepasiekiamas MDAS", detected_at=timezone.now() - timedelta(days=2))
    before = timezone.now()
    response = admin_client.put(f"/api/monitoring/incidents/{incident.pk}/", {"title": "Nepasiekiamas MDAS"},
                                content_type="application/json", HTTP_IF_MATCH=f'"{incident.version}"')
    assert response.status_code == 200, response.content
    incident.refresh_from_db()
    assert incident.detected_at >= before
    described = api.get_openapi_schema()["components"]["schemas"]["IncidentCreate"]["properties"]["detected_at"]
    assert "default" not in described  # no moment of the past offered as the default
