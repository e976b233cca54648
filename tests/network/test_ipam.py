"""IP space integrity, the prefix hierarchy, utilisation and the `parent` filter."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from irtis.network.models import VLAN, VRF, IPAddress, Prefix, VLANGroup

from .helpers import address, prefix

pytestmark = pytest.mark.django_db


def test_prefix_is_normalised_and_host_bits_are_refused() -> None:
    assert prefix(" 10.1.0.0/16 ").prefix == "10.1.0.0/16"
    assert prefix("2001:DB8::/32").prefix == "2001:db8::/32"
    with pytest.raises(ValidationError, match=r"did you mean 10\.2\.0\.0/16"):
        prefix("10.2.3.4/16")
    with pytest.raises(ValidationError, match="not an IP prefix"):
        prefix("10.300.0.0/16")


def test_no_duplicate_prefix_or_address_in_a_vrf() -> None:
    mgmt = VRF.objects.create(name="MGMT")
    prefix("10.1.0.0/16")
    prefix("10.1.0.0/16", mgmt)  # another VRF: allowed
    with pytest.raises(ValidationError, match="global table"):
        prefix("10.1.0.0/16")
    address("10.1.0.5/16")
    address("10.1.0.5/16", mgmt)
    with pytest.raises(ValidationError, match="already recorded in the global table"):
        address("10.1.0.5/24")  # the same host with another mask is the same address
    with pytest.raises(ValidationError, match="already recorded in VRF “MGMT”"):
        address("10.1.0.5/16", mgmt)


def test_address_must_fall_inside_a_prefix_of_its_vrf() -> None:
    mgmt = VRF.objects.create(name="MGMT")
    address("192.0.2.1/24", mgmt)  # no prefix in MGMT yet: anything goes
    prefix("10.250.0.0/16", mgmt)
    address("10.250.1.1/24", mgmt)
    with pytest.raises(ValidationError) as error:
        address("10.9.0.1/24", mgmt)
    assert "outside every prefix of VRF “MGMT”" in str(error.value)
    address("10.9.0.1/24")  # the global table has no prefix: allowed
    prefix("10.0.0.0/8")
    with pytest.raises(ValidationError, match="outside every prefix of the global table"):
        address("172.16.0.1/24")


def test_vlan_numbers_are_unique_in_a_group() -> None:
    group = VLANGroup.objects.create(name="DC1")
    VLAN.objects.create(vid=100, name="prod-app", group=group)
    with pytest.raises(ValidationError, match="already exists in group DC1"):
        VLAN(vid=100, name="copy", group=group).full_clean()
    with pytest.raises(ValidationError):
        VLAN(vid=4095, name="too-high").full_clean()
    VLAN(vid=100, name="other-group", group=VLANGroup.objects.create(name="DC2")).full_clean()


def test_hierarchy_and_utilisation() -> None:
    top = prefix("10.0.0.0/8", status=Prefix.Status.CONTAINER)
    site = prefix("10.1.0.0/16", status=Prefix.Status.CONTAINER)
    lan = prefix("10.1.1.0/24")
    prefix("10.1.1.128/25")  # inside lan: not a direct child of the /16
    prefix("10.2.0.0/16")
    other = VRF.objects.create(name="OTHER")
    prefix("10.1.2.0/24", other)  # another VRF: not a child
    for host in range(1, 64):
        address(f"10.1.1.{host}/24")
    assert [str(p) for p in top.children()] == ["10.1.0.0/16", "10.2.0.0/16"]
    assert [str(p) for p in site.children()] == ["10.1.1.0/24"]
    assert [str(p) for p in lan.ancestors()] == ["10.0.0.0/8", "10.1.0.0/16"]
    found = {str(p): p.utilisation for p in Prefix.objects.filter(vrf__isnull=True)}
    assert found["10.0.0.0/8"] == pytest.approx(2 * 65536 / 2**24 * 100)
    assert found["10.1.0.0/16"] == pytest.approx(256 / 65536 * 100)
    assert found["10.1.1.0/24"] == pytest.approx(63 / 254 * 100)
    assert found["10.1.1.128/25"] == pytest.approx(0)
    assert str(found["10.1.1.0/24"]) == "25 %"
    assert Prefix.objects.get(pk=top.pk).utilisation == found["10.0.0.0/8"]


def test_parent_filter_uses_the_range_columns() -> None:
    prefix("10.0.0.0/8", status=Prefix.Status.CONTAINER)
    prefix("10.1.0.0/16")
    prefix("10.2.0.0/16")
    prefix("10.2.5.0/24")
    for text in ("10.1.0.1/16", "10.2.0.1/16", "10.2.255.254/16", "10.3.0.1/8"):
        address(text)
    inside = IPAddress.objects.filter(parent="10.2.0.0/16")
    assert sorted(map(str, inside)) == ["10.2.0.1/16", "10.2.255.254/16"]
    assert "address_key" in str(inside.query) and '"network_ipaddress"."address_key" >=' in str(inside.query)
    assert [str(p) for p in Prefix.objects.filter(parent="10.2.0.0/16")] == ["10.2.5.0/24"]  # not itself
    assert not IPAddress.objects.filter(parent="nonsense").exists()


def test_parent_filter_in_api_and_list(admin_client: Client) -> None:
    prefix("10.0.0.0/8", status=Prefix.Status.CONTAINER)
    for text in ("10.1.0.1/16", "10.1.0.2/16", "10.2.0.1/16"):
        address(text, dns_name="host.muitine.local")
    rows = admin_client.get("/api/network/ip-addresses/", {"parent": "10.1.0.0/16"}).json()
    assert rows["count"] == 2
    assert admin_client.get("/api/network/ip-addresses/", {"parent": "zzz"}).json()["count"] == 0
    assert admin_client.get("/api/network/ip-addresses/", {"q": "10.1."}).json()["count"] == 2
    page = admin_client.get("/network/ip-addresses/", {"parent": "10.2.0.0/16"}).content.decode()
    assert "10.2.0.1/16" in page and "10.1.0.1/16" not in page


def test_the_index_keys_stay_internal(admin_client: Client) -> None:
    """The byte keys that order addresses are neither shown nor exported nor in the API."""
    net, host = prefix("10.9.0.0/16"), address("10.9.0.1/16")
    for kind, obj in (("prefixes", net), ("ip-addresses", host)):
        keys = {"address_key", "start_key", "end_key"}
        assert "raktas" not in admin_client.get(f"/network/{kind}/{obj.pk}/").content.decode().lower()
        assert not keys & set(admin_client.get(f"/api/network/{kind}/{obj.pk}/").json())
        header = admin_client.get(f"/network/{kind}/export/", {"format": "csv"}).content.decode().splitlines()[0]
        assert "key" not in header and ("address" in header or "prefix" in header)


def test_prefix_list_shows_utilisation_in_constant_queries(admin_client: Client, django_assert_max_num_queries) -> None:
    prefix("10.0.0.0/8", status=Prefix.Status.CONTAINER)
    for n in range(3):
        prefix(f"10.{n + 1}.0.0/16")
    with django_assert_max_num_queries(30) as few:
        page = admin_client.get("/network/prefixes/").content.decode()
    assert "%" in page
    for n in range(3, 30):
        prefix(f"10.{n + 1}.0.0/16")
        address(f"10.{n + 1}.0.1/16")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = admin_client.get("/network/prefixes/", {"sort": "-utilisation", "per_page": 100})
    assert response.status_code == 200
    detail = admin_client.get(Prefix.objects.get(prefix="10.0.0.0/8").get_absolute_url()).content.decode()
    assert "10.4.0.0/16" in detail and "/24" in detail  # children and the free-block offer
