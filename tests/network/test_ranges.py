"""IP ranges: normalising, overlap, utilisation, DHCP pools left out of a prefix's free
addresses, and "next free address in this range" (API, page button, concurrency)."""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

from irtis.audit.models import AuditEntry
from irtis.network import allocation
from irtis.network.models import VRF, IPAddress, IPRange, Prefix

from .helpers import address, prefix

pytestmark = pytest.mark.django_db


def ip_range(start: str, end: str, vrf: VRF | None = None, **values: object) -> IPRange:
    obj = IPRange(start_address=start, end_address=end, vrf=vrf, **values)
    obj.full_clean()
    obj.save()
    return obj


def test_range_is_normalised_and_sized() -> None:
    made = ip_range(" 10.1.1.10/24", "10.1.1.19")
    assert (made.start_address, made.end_address, made.size, made.family) == ("10.1.1.10", "10.1.1.19", 10, 4)
    assert str(made) == "10.1.1.10–10.1.1.19"
    assert ip_range("2001:db8::1", "2001:db8::ffff:ffff:ffff:ffff").size == 2**64 - 1  # beyond 64-bit integers
    with pytest.raises(ValidationError) as error:
        ip_range("10.1.2.20", "10.1.2.10")
    assert "end_address" in error.value.message_dict and "must not come before" in str(error.value)
    with pytest.raises(ValidationError, match="both be IPv4 or both IPv6"):
        ip_range("10.1.3.1", "2001:db8::1")
    with pytest.raises(ValidationError) as error:
        ip_range("10.1.300.1", "10.1.3.9")
    assert set(error.value.message_dict) == {"start_address"}


def test_overlapping_ranges_in_a_vrf_are_refused_naming_the_other() -> None:
    mgmt = VRF.objects.create(name="MGMT")
    first = ip_range("10.1.1.10", "10.1.1.20")
    with pytest.raises(ValidationError) as error:
        ip_range("10.1.1.20", "10.1.1.30")
    assert error.value.message_dict["start_address"] == [
        "The range overlaps the range 10.1.1.10–10.1.1.20 of the global table."]
    with pytest.raises(ValidationError, match=r"overlaps the range 10\.1\.1\.10–10\.1\.1\.20"):
        ip_range("10.1.1.1", "10.1.1.254")  # around it
    ip_range("10.1.1.21", "10.1.1.30")  # adjacent: allowed
    ip_range("10.1.1.15", "10.1.1.25", mgmt)  # another VRF: allowed
    with pytest.raises(ValidationError, match="of VRF “MGMT”"):
        ip_range("10.1.1.25", "10.1.1.26", mgmt)
    first.description = "Pakeista"
    first.full_clean()  # not overlapping itself


def test_utilisation_counts_addresses_of_its_vrf() -> None:
    mgmt = VRF.objects.create(name="MGMT")
    made = ip_range("10.1.1.1", "10.1.1.10")
    address("10.1.1.1/24")
    address("10.1.1.5/24")
    address("10.1.1.6/24", mgmt)  # another VRF
    address("10.1.1.11/24")  # outside
    assert IPRange.objects.get(pk=made.pk).utilisation == 20.0
    assert str(IPRange.objects.get(pk=made.pk).utilisation) == "20 %"
    assert [str(a) for a in made.addresses()] == ["10.1.1.1/24", "10.1.1.5/24"]


def test_prefix_allocation_skips_dhcp_pools_only() -> None:
    lan = prefix("10.1.1.0/28")
    ip_range("10.1.1.2", "10.1.1.9", role=IPRange.Role.DHCP)
    ip_range("10.1.1.11", "10.1.1.12", role=IPRange.Role.STATIC)
    address("10.1.1.1/28")
    assert [str(a) for a in allocation.available_ips(lan, 10)] == [
        "10.1.1.10", "10.1.1.11", "10.1.1.12", "10.1.1.13", "10.1.1.14"]
    assert [str(a) for a in allocation.allocate_ips(lan.pk, 2)] == ["10.1.1.10/28", "10.1.1.11/28"]


def test_allocation_in_a_range_takes_the_prefix_mask_and_vrf() -> None:
    mgmt = VRF.objects.create(name="MGMT")
    prefix("10.250.0.0/16", mgmt)
    prefix("10.250.1.0/24", mgmt)
    pool = ip_range("10.250.1.100", "10.250.1.102", mgmt)
    address("10.250.1.100/24", mgmt)
    created = allocation.allocate_in_range(pool.pk, 2, {"dns_name": "ilo.muitine.local"})
    assert [(str(a), a.vrf) for a in created] == [("10.250.1.101/24", mgmt), ("10.250.1.102/24", mgmt)]
    assert AuditEntry.objects.filter(action="create", content_type__model="ipaddress",
                                     object_id__in=[a.pk for a in created]).count() == 2
    with pytest.raises(ValidationError, match="has only 0 free addresses"):
        allocation.allocate_in_range(pool.pk)
    loose = ip_range("192.0.2.5", "192.0.2.6")  # in no prefix: host masks
    assert [str(a) for a in allocation.allocate_in_range(loose.pk, 1)] == ["192.0.2.5/32"]


def test_range_api(admin_client: Client) -> None:
    prefix("10.1.1.0/24")
    pool = ip_range("10.1.1.50", "10.1.1.51")
    url = f"/api/network/ip-ranges/{pool.pk}/available-ips/"
    assert admin_client.get(url, {"limit": 5}).json() == [
        {"address": "10.1.1.50/24", "vrf": None}, {"address": "10.1.1.51/24", "vrf": None}]
    response = admin_client.post(url, {"count": 1, "dns_name": "naujas.muitine.local"},
                                 content_type="application/json")
    assert response.status_code == 201 and response.json()[0]["address"] == "10.1.1.50/24"
    response = admin_client.post(url, {"count": 2}, content_type="application/json")
    assert response.status_code == 400 and "laisvų adresų tik 1" in str(response.json())  # in Lithuanian
    assert IPAddress.objects.count() == 1  # nothing written
    assert admin_client.post(url, {"count": 0}, content_type="application/json").status_code in {400, 422}
    assert admin_client.get("/api/network/ip-ranges/999999/available-ips/").status_code == 404
    response = admin_client.post("/api/network/ip-ranges/", {"start_address": "10.1.1.51", "end_address": "10.1.1.60"},
                                 content_type="application/json")
    assert response.status_code == 400 and "start_address" in response.json()["errors"]
    assert IPRange.objects.count() == 1
    assert "/api/network/ip-ranges/{pk}/available-ips/" in admin_client.get("/api/openapi.json").json()["paths"]


def test_range_and_prefix_pages(admin_client: Client) -> None:
    lan = prefix("10.1.1.0/24")
    pool = ip_range("10.1.1.10", "10.1.1.40", role=IPRange.Role.DHCP)
    prefix_page = admin_client.get(lan.get_absolute_url()).content.decode()
    assert pool.get_absolute_url() in prefix_page and "10.1.1.10–10.1.1.40" in prefix_page
    form_url = f"/api/network/ip-ranges/{pool.pk}/allocate/"
    assert form_url in admin_client.get(pool.get_absolute_url()).content.decode()
    response = admin_client.post(form_url, {"count": "1"})
    made = IPAddress.objects.get()
    assert str(made) == "10.1.1.10/24" and response["Location"] == made.get_absolute_url()
    for n in range(11, 36):
        address(f"10.1.1.{n}/24")
    first = admin_client.get(pool.get_absolute_url()).content.decode()
    second = admin_client.get(pool.get_absolute_url() + "?addresses=2").content.decode()
    assert "10.1.1.29/24" in first and "10.1.1.30/24" not in first  # 20 a page
    assert "10.1.1.30/24" in second and "?addresses=1" in second


def test_range_page_reads_a_fixed_number_of_queries(admin_client: Client) -> None:
    prefix("10.1.1.0/24")
    pool = ip_range("10.1.1.1", "10.1.1.100")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(pool.get_absolute_url()).status_code == 200
        return len(queries)

    address("10.1.1.1/24")
    few = count()
    for n in range(2, 40):
        address(f"10.1.1.{n}/24")
    assert count() == few


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are proven on PostgreSQL")
def test_two_people_allocating_in_a_range_at_once_get_different_addresses(monkeypatch: pytest.MonkeyPatch) -> None:
    prefix("10.7.0.0/24")
    pool = ip_range("10.7.0.100", "10.7.0.120")
    barrier = threading.Barrier(3)
    original = allocation.available_in_range

    def slow_read(found: IPRange, limit: int = 10) -> list:
        free = original(found, limit)
        time.sleep(0.5)  # both would read the same free address here if nothing serialised them
        return free

    monkeypatch.setattr(allocation, "available_in_range", slow_read)
    results: list[str] = []
    errors: list[Exception] = []

    def allocate(in_range: bool) -> None:
        try:
            barrier.wait()
            made = allocation.allocate_in_range(pool.pk) if in_range else allocation.allocate_ips(
                Prefix.plain.get().pk)
            results.extend(str(a) for a in made)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=allocate, args=(n < 2,)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and sorted(results) == sorted(["10.7.0.1/24", "10.7.0.100/24", "10.7.0.101/24"])
