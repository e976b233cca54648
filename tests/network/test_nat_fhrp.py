"""NAT inside/outside pairs and FHRP (VRRP, HSRP) groups: rules, API, pages, write-only keys."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from irtis.audit.models import AuditEntry
from irtis.inventory.models import Interface
from irtis.network import fhrp_keys
from irtis.network.models import VRF, FHRPGroup, FHRPGroupAssignment, FHRPGroupSecret, IPAddress
from tests.virtualization.factories import server

from .helpers import address

pytestmark = pytest.mark.django_db
P = FHRPGroup.Protocol


def _nat(outside: IPAddress, inside: IPAddress | None) -> None:
    outside.nat_inside = inside
    outside.full_clean()
    outside.save()


def test_nat_pairs_one_level_of_one_family() -> None:
    public, dmz = address("203.0.113.10/24"), address("10.10.120.10/24")
    _nat(public, dmz)
    assert list(dmz.nat_outside.all()) == [public]
    with pytest.raises(ValidationError) as error:
        _nat(dmz, dmz)
    assert error.value.message_dict == {"nat_inside": ["An address cannot be its own NAT inside address."]}
    other = address("203.0.113.11/24")
    with pytest.raises(ValidationError, match=r"203\.0\.113\.10 is itself an outside address .*chains"):
        _nat(other, public)  # inside address that is itself translated
    other.refresh_from_db()
    with pytest.raises(ValidationError, match=r"10\.10\.120\.10 is the NAT inside address of 203\.0\.113\.10/24"):
        _nat(dmz, other)  # an inside address made an outside one
    with pytest.raises(ValidationError, match=r"IPv6 address and 203\.0\.113\.11 an IPv4 one"):
        _nat(other, address("2001:db8::10/64"))


def test_nat_through_the_api_pages_and_filter(admin_client: Client) -> None:
    dmz = address("10.10.120.10/24")
    response = admin_client.post("/api/network/ip-addresses/", {"address": "203.0.113.10/24", "nat_inside": dmz.pk},
                                 content_type="application/json")
    assert response.status_code == 201, response.content
    public = IPAddress.objects.get(address="203.0.113.10/24")
    response = admin_client.post("/api/network/ip-addresses/", {"address": "203.0.113.11/24",
                                                                "nat_inside": public.pk},
                                 content_type="application/json")
    assert response.status_code == 400 and "nat_inside" in response.json()["errors"]
    assert not IPAddress.objects.filter(address="203.0.113.11/24").exists()
    listed = admin_client.get("/api/network/ip-addresses/", {"nat_inside": dmz.pk}).json()
    assert [row["address"] for row in listed["results"]] == ["203.0.113.10/24"]
    for shown, partner in ((public, dmz), (dmz, public)):
        page = admin_client.get(shown.get_absolute_url()).content.decode()
        assert 'id="nat-pair"' in page and partner.get_absolute_url() in page


def _svi(device: str, name: str, text: str | None = None, vrf: VRF | None = None) -> Interface:
    interface = Interface.objects.create(device=server(device), name=name)
    if text:
        address(text, vrf, interface=interface)
    return interface


def _group(protocol: str, number: int, vip: IPAddress, **values: object) -> FHRPGroup:
    group = FHRPGroup(protocol=protocol, group_id=number, virtual_address=vip, **values)
    group.full_clean()
    group.save()
    return group


def _member(group: FHRPGroup, interface: Interface, priority: int = 100) -> FHRPGroupAssignment:
    member = FHRPGroupAssignment(group=group, interface=interface, priority=priority)
    member.full_clean()
    member.save()
    return member


def test_group_numbers_and_families_per_protocol() -> None:
    vip = address("10.1.100.1/24")
    with pytest.raises(ValidationError) as error:
        _group(P.VRRP3, 0, vip)
    assert error.value.message_dict == {"group_id": ["A VRRPv3 group number is 1 to 255."]}
    with pytest.raises(ValidationError, match="HSRPv1 group number is 0 to 255"):
        _group(P.HSRP1, 256, vip)
    with pytest.raises(ValidationError, match="VRRPv2 carries IPv4 only; use VRRPv3"):
        _group(P.VRRP2, 10, address("2001:db8::1/64"))
    with pytest.raises(ValidationError) as error:
        _group("glbp", 1, vip)  # an unknown protocol: the field's error, not a crash
    assert set(error.value.message_dict) == {"protocol"}
    assert str(_group(P.HSRP2, 4095, vip, name="prod-app")) == "HSRPv2 4095 prod-app"


def test_one_group_number_per_protocol_on_a_subnet() -> None:
    first = _group(P.VRRP2, 10, address("10.1.100.1/24"))
    with pytest.raises(ValidationError) as error:
        _group(P.VRRP3, 10, address("10.1.100.254/24"))  # VRRPv2 and v3 share the numbers
    assert error.value.message_dict["group_id"] == [
        f"{first} (virtual IP 10.1.100.1/24) already uses this number on the same subnet."]
    _group(P.HSRP2, 10, address("10.1.100.253/24"))  # another protocol
    _group(P.VRRP3, 10, address("10.1.101.1/24"))  # another subnet
    _group(P.VRRP3, 10, address("10.1.100.1/24", VRF.objects.create(name="MGMT")))  # another VRF
    with pytest.raises(ValidationError, match="already belongs to another FHRP group"):
        _group(P.VRRP3, 11, first.virtual_address)


def test_members_stay_in_the_vip_vrf_and_subnet() -> None:
    mgmt = VRF.objects.create(name="MGMT")
    group = _group(P.VRRP3, 100, address("10.1.100.1/24"))
    _member(group, _svi("core-01", "Vlan100", "10.1.100.2/24"), 110)
    _member(group, _svi("core-03", "Vlan100"))  # no address recorded: fits
    with pytest.raises(ValidationError) as error:
        _member(group, _svi("core-02", "Vlan100", "10.1.100.3/24", mgmt))
    assert "in MGMT, but the virtual IP 10.1.100.1 is in the global table: a group cannot span VRFs" in str(
        error.value.message_dict["interface"])
    with pytest.raises(ValidationError, match=r"10\.1\.100\.1 is in no subnet of core-04 Vlan100 \(10\.1\.200\.4/24\)"):
        _member(group, _svi("core-04", "Vlan100", "10.1.200.4/24"))
    with pytest.raises(ValidationError, match="VRRPv3 priority is 1 to 254"):
        _member(group, Interface.objects.get(device__name="core-03"), 255)
    group.virtual_address = address("10.1.100.1/24", mgmt)  # the VIP moved to another VRF than its members
    with pytest.raises(ValidationError, match="cannot span VRFs"):
        group.full_clean()
    with pytest.raises(ValidationError, match="already a member"):
        _member(FHRPGroup.objects.get(pk=group.pk), Interface.objects.get(device__name="core-01"))


def test_fhrp_api_refuses_bad_input_writing_nothing(admin_client: Client) -> None:
    vip = address("10.1.100.1/24")
    response = admin_client.post("/api/network/fhrp-groups/", {"protocol": "vrrp2", "group_id": 300,
                                                                "virtual_address": vip.pk},
                                 content_type="application/json")
    assert response.status_code == 400 and "group_id" in response.json()["errors"]
    group = _group(P.VRRP2, 10, vip)
    interface = _svi("core-02", "Vlan100", "10.1.100.3/24", VRF.objects.create(name="MGMT"))
    response = admin_client.post("/api/network/fhrp-group-assignments/",
                                 {"group": group.pk, "interface": interface.pk, "priority": 100},
                                 content_type="application/json")
    assert response.status_code == 400 and "interface" in response.json()["errors"]
    assert FHRPGroup.objects.count() == 1 and not FHRPGroupAssignment.objects.exists()


def test_group_page_marks_the_master_and_device_page_lists_groups(admin_client: Client) -> None:
    group = _group(P.VRRP3, 100, address("10.1.100.1/24"))
    backup = _member(group, _svi("core-02", "Vlan100", "10.1.100.3/24"), 100)
    master = _member(group, _svi("core-01", "Vlan100", "10.1.100.2/24"), 110)
    page = admin_client.get(group.get_absolute_url()).content.decode()
    rows = page[page.index('id="fhrp-members"'):]
    assert rows.index("core-01 Vlan100") < rows.index("core-02 Vlan100")
    assert rows.count("badge text-bg-primary") == 1 and rows.index("badge") < rows.index("core-02")
    device_page = admin_client.get(master.interface.device.get_absolute_url()).content.decode()
    assert group.get_absolute_url() in device_page
    assert backup.interface.get_absolute_url()  # the interface page lists it among its reverse relations
    related = admin_client.get(backup.interface.get_absolute_url()).content.decode()
    assert "fhrp_assignments" in related or "network.fhrpgroupassignment" in related


def test_authentication_key_is_write_only_encrypted_and_audited(admin_client: Client) -> None:
    group = _group(P.VRRP2, 120, address("10.1.120.1/24"))
    url = f"/api/network/fhrp-groups/{group.pk}/auth-key/"
    response = admin_client.put(url, {"key": "Sl4ptas"}, content_type="application/json")
    assert response.status_code == 400 and "key" in response.json()["errors"]  # no authentication chosen
    group.auth_type = FHRPGroup.Authentication.PLAINTEXT
    group.save()
    response = admin_client.put(url, {"key": "per-ilgas-raktas"}, content_type="application/json")
    assert response.status_code == 400 and "ne ilgesnis kaip 8" in str(response.json())
    assert not FHRPGroupSecret.objects.exists()
    assert admin_client.put(url, {"key": "Sl4ptas"}, content_type="application/json").status_code == 204
    stored = FHRPGroupSecret.objects.get()
    assert b"Sl4ptas" not in bytes(stored.ciphertext) and fhrp_keys.read_key(group) == "Sl4ptas"
    read = admin_client.get(f"/api/network/fhrp-groups/{group.pk}/").content.decode()
    assert "Sl4ptas" not in read and "Sl4ptas" not in admin_client.get(group.get_absolute_url()).content.decode()
    entry = AuditEntry.objects.filter(object_id=group.pk, content_type__model="fhrpgroup").latest("pk")
    assert (entry.before, entry.after) == ({"auth_key": "none"}, {"auth_key": "set"})
    response = admin_client.post(f"/api/network/fhrp-groups/{group.pk}/auth-key-form/", {"key": ""})
    assert response.status_code == 302 and not FHRPGroupSecret.objects.exists()


def test_key_needs_permission_to_change_the_group(client: Client, django_user_model) -> None:
    group = _group(P.VRRP2, 120, address("10.1.120.1/24"), auth_type=FHRPGroup.Authentication.MD5)
    client.force_login(django_user_model.objects.create_user("skaitytojas", password="Sl4ptas-Skaityti!"))
    response = client.put(f"/api/network/fhrp-groups/{group.pk}/auth-key/", {"key": "x"},
                          content_type="application/json")
    assert response.status_code == 403 and not FHRPGroupSecret.objects.exists()
