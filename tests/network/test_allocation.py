"""Next free address and prefix: results, API, the prefix page's buttons, and concurrency."""

import threading
import time

import pytest
from django.db import connection, connections
from django.test import Client

from irtis.audit.models import AuditEntry
from irtis.network import allocation
from irtis.network.models import VRF, IPAddress, Prefix

from .helpers import address, prefix

pytestmark = pytest.mark.django_db


def test_free_addresses_skip_used_ones_and_network_broadcast() -> None:
    lan = prefix("10.1.1.0/29")
    address("10.1.1.1/29")
    address("10.1.1.3/29")
    assert [str(a) for a in allocation.available_ips(lan, 10)] == ["10.1.1.2", "10.1.1.4", "10.1.1.5", "10.1.1.6"]
    created = allocation.allocate_ips(lan.pk, 2, {"dns_name": "naujas.muitine.local"})
    assert [str(a) for a in created] == ["10.1.1.2/29", "10.1.1.4/29"]
    created_entries = AuditEntry.objects.filter(object_id__in=[a.pk for a in created], action="create",
                                                content_type__model="ipaddress")
    assert created_entries.count() == 2
    with pytest.raises(Exception, match="only 2 free"):
        allocation.allocate_ips(lan.pk, 3)


def test_free_prefixes_respect_alignment_and_children() -> None:
    top = prefix("10.0.0.0/16", status=Prefix.Status.CONTAINER)
    prefix("10.0.0.0/24")
    prefix("10.0.1.128/25")
    prefix("10.0.3.0/24")
    assert [str(n) for n in allocation.available_prefixes(top, 24, 3)] == ["10.0.2.0/24", "10.0.4.0/24", "10.0.5.0/24"]
    assert [str(n) for n in allocation.available_prefixes(top, 25, 2)] == ["10.0.1.0/25", "10.0.2.0/25"]
    made = allocation.allocate_prefix(top.pk, 23, {"description": "Naujas"})
    assert str(made) == "10.0.4.0/23" and made.vrf_id is None


def test_allocation_stays_in_the_vrf_of_the_parent() -> None:
    mgmt = VRF.objects.create(name="MGMT")
    lan = prefix("10.250.1.0/30", mgmt)
    address("10.250.1.1/30")  # global table: does not use the MGMT address
    (made,) = allocation.allocate_ips(lan.pk)
    assert str(made) == "10.250.1.1/30" and made.vrf == mgmt


def test_api_endpoints(admin_client: Client) -> None:
    top = prefix("10.0.0.0/16", status=Prefix.Status.CONTAINER)
    lan = prefix("10.0.1.0/24")
    url = f"/api/network/prefixes/{lan.pk}/available-ips/"
    assert admin_client.get(url, {"limit": 2}).json() == [
        {"address": "10.0.1.1/24", "vrf": None}, {"address": "10.0.1.2/24", "vrf": None}]
    response = admin_client.post(url, {"count": 2, "dns_name": "app.muitine.local"}, content_type="application/json")
    assert response.status_code == 201, response.content
    assert [r["address"] for r in response.json()] == ["10.0.1.1/24", "10.0.1.2/24"]
    assert admin_client.post(url, {"count": 0}, content_type="application/json").status_code in {400, 422}
    url = f"/api/network/prefixes/{top.pk}/available-prefixes/"
    assert admin_client.get(url, {"length": 24, "limit": 1}).json() == [{"prefix": "10.0.0.0/24", "vrf": None}]
    assert admin_client.get(url, {"length": 8}).status_code == 400
    response = admin_client.post(url, {"length": 24, "description": "Naujas"}, content_type="application/json")
    assert response.status_code == 201 and response.json()["prefix"] == "10.0.0.0/24"
    response = admin_client.post(url, {"length": 12}, content_type="application/json")
    assert response.status_code == 400 and "length" in response.json()["errors"]
    assert admin_client.get("/api/network/prefixes/999999/available-ips/").status_code == 404
    schema = admin_client.get("/api/openapi.json").json()
    assert "/api/network/prefixes/{pk}/available-ips/" in schema["paths"]
    assert "/api/network/prefixes/{pk}/available-prefixes/" in schema["paths"]


def test_api_refuses_without_permission(client: Client, django_user_model) -> None:
    lan = prefix("10.0.1.0/24")
    user = django_user_model.objects.create_user("skaitytojas", password="Sl4ptas-Skaityti!")
    client.force_login(user)
    response = client.post(f"/api/network/prefixes/{lan.pk}/available-ips/", {}, content_type="application/json")
    assert response.status_code == 403
    assert not IPAddress.objects.exists()


def test_buttons_on_the_prefix_page(admin_client: Client) -> None:
    top = prefix("10.0.0.0/16", status=Prefix.Status.CONTAINER)
    page = admin_client.get(top.get_absolute_url()).content.decode()
    form_url = f"/api/network/prefixes/{top.pk}/allocate/"
    assert form_url in page
    response = admin_client.post(form_url, {"what": "prefix", "length": "24"})
    child = Prefix.objects.get(prefix="10.0.0.0/24")
    assert response.status_code == 302 and response["Location"] == child.get_absolute_url()
    response = admin_client.post(f"/api/network/prefixes/{child.pk}/allocate/", {"what": "ip", "count": "1"})
    made = IPAddress.objects.get()
    assert str(made) == "10.0.0.1/24" and response["Location"] == made.get_absolute_url()
    response = admin_client.post(form_url, {"what": "prefix", "length": "8"}, follow=True)
    assert "ilgis turi būti nuo 17 iki 32" in response.content.decode()  # the page speaks Lithuanian


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are proven on PostgreSQL")
@pytest.mark.parametrize("locked", [True, False])
def test_two_people_allocating_at_once_get_different_addresses(monkeypatch: pytest.MonkeyPatch, locked: bool) -> None:
    lan = prefix("10.7.0.0/24")
    barrier = threading.Barrier(2)
    original = allocation.available_ips

    def slow_read(parent: Prefix, limit: int = 10) -> list:
        free = original(parent, limit)
        time.sleep(0.5)  # both would read the same free address here if nothing serialised them
        return free

    monkeypatch.setattr(allocation, "available_ips", slow_read)
    if not locked:  # the control: without the row lock the race is real
        monkeypatch.setattr(allocation, "_locked", lambda pk: Prefix.plain.get(pk=pk))
    results: list[str] = []
    errors: list[Exception] = []

    def allocate() -> None:
        try:
            barrier.wait()
            results.extend(str(a) for a in allocation.allocate_ips(lan.pk))
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=allocate) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if locked:
        assert not errors and sorted(results) == ["10.7.0.1/24", "10.7.0.2/24"]
    else:
        assert errors or len(set(results)) < 2
