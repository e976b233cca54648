"""VM interfaces, disks and addresses: an address on one interface only (device or machine), the
primary IP among the object's own addresses, on every way in; the machine's page and list."""

import json
from io import BytesIO
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from irtis.inventory.models import Interface
from irtis.network.models import DevicePrimaryAddress, IPAddress
from irtis.virtualization.models import Cluster, VirtualDisk, VirtualMachine, VMAddressAssignment, VMInterface
from tests.support.language import choose

from .factories import address_on, cluster, server, vm

pytestmark = pytest.mark.django_db
JSON = "application/json"


@pytest.fixture(autouse=True)
def english() -> Any:
    with translation.override("en"):
        yield


def device_interface(name: str = "srv-01") -> Interface:
    return Interface.objects.create(device=server(name), name="eth0")


def refused(obj: Any, field: str) -> str:
    with pytest.raises(ValidationError) as error:
        obj.full_clean()
    assert field in error.value.message_dict, error.value.message_dict
    return " ".join(error.value.message_dict[field])


# --- one interface per address ---------------------------------------------------------------


def test_address_on_a_device_interface_is_refused_on_a_machine() -> None:
    on_device = IPAddress.objects.create(address="10.1.1.5/24", interface=device_interface())
    port = VMInterface.objects.create(virtual_machine=vm("app-01", cluster()), name="eth0")
    message = refused(VMAddressAssignment(interface=port, ip_address=on_device), "ip_address")
    assert "srv-01 eth0" in message


def test_address_on_a_machine_is_refused_on_a_device_interface() -> None:
    machine = vm("app-01", cluster())
    address = address_on(machine, "10.1.1.6/24")
    address.interface = device_interface()
    message = refused(address, "interface")
    assert "app-01 eth0" in message


def test_address_on_two_machines_is_refused() -> None:
    address = address_on(vm("app-01", cluster()), "10.1.1.7/24")
    other = VMInterface.objects.create(virtual_machine=vm("app-02", cluster("CL-2")), name="eth0")
    refused(VMAddressAssignment(interface=other, ip_address=address), "ip_address")


def test_api_refuses_an_address_of_a_device_on_a_machine(admin_client: Client) -> None:
    on_device = IPAddress.objects.create(address="10.1.1.5/24", interface=device_interface())
    port = VMInterface.objects.create(virtual_machine=vm("app-01", cluster()), name="eth0")
    response = admin_client.post("/api/virtualization/vm-address-assignments/",
                                 json.dumps({"interface": port.pk, "ip_address": on_device.pk}), content_type=JSON)
    assert response.status_code == 400, response.content
    assert "ip_address" in response.json()["errors"]
    assert not VMAddressAssignment.objects.exists()


def test_import_refuses_a_machine_address_on_a_device_interface(admin_client: Client) -> None:
    """The import names the interface by id (its key) and runs the address's clean()."""
    address = address_on(vm("app-01", cluster()), "10.1.1.6/24")
    interface = device_interface()
    content = f"id,address,interface\n{address.pk},{address.address},{interface.pk}\n".encode()
    choose(admin_client, "en")
    upload = BytesIO(content)
    upload.name = "ip.csv"
    response = admin_client.post("/network/ip-addresses/import/", {"file": upload})
    assert response.status_code == 400  # a preview with refused rows
    assert "a virtual machine" in str(response.context["result"]["errors"])
    address.refresh_from_db()
    assert address.interface_id is None


# --- primary IP -------------------------------------------------------------------------------


def test_primary_ip_must_be_among_the_machines_addresses() -> None:
    machine = vm("app-01", cluster())
    other = address_on(vm("app-02", cluster("CL-2")), "10.1.1.8/24")
    loose = IPAddress.objects.create(address="10.1.1.9/24")
    for address in (other, loose):
        machine.primary_ip = address
        assert "one of the addresses" in refused(machine, "primary_ip")
    machine.primary_ip = address_on(machine, "10.1.1.10/24")
    machine.full_clean()


def test_primary_ip_through_the_api_is_refused_when_not_the_machines(admin_client: Client) -> None:
    machine = vm("app-01", cluster())
    loose = IPAddress.objects.create(address="10.1.1.9/24")
    response = admin_client.patch(f"/api/virtualization/virtual-machines/{machine.pk}/",
                                  json.dumps({"primary_ip": loose.pk}), content_type=JSON)
    assert response.status_code == 400, response.content
    machine.refresh_from_db()
    assert machine.primary_ip_id is None


def test_primary_address_cannot_move_to_another_machine_and_unassigning_clears_it() -> None:
    machine = vm("app-01", cluster(), primary_ip="10.1.1.11/24")
    assignment = VMAddressAssignment.objects.get(ip_address=machine.primary_ip)
    assignment.interface = VMInterface.objects.create(virtual_machine=vm("app-02", cluster("CL-2")), name="eth0")
    assert "primary" in refused(assignment, "ip_address")
    VMAddressAssignment.objects.get(pk=assignment.pk).delete()
    machine.refresh_from_db()
    assert machine.primary_ip_id is None  # and the change is audited like any save of the machine


def test_device_primary_must_be_the_devices_and_cannot_move_away() -> None:
    interface = device_interface()
    mine = IPAddress.objects.create(address="10.1.1.20/24", interface=interface)
    elsewhere = IPAddress.objects.create(address="10.1.1.21/24", interface=device_interface("srv-02"))
    assert "one of the addresses" in refused(
        DevicePrimaryAddress(device=interface.device, ip_address=elsewhere), "ip_address")
    primary = DevicePrimaryAddress(device=interface.device, ip_address=mine)
    primary.full_clean()
    primary.save()
    second = IPAddress.objects.create(address="10.1.1.22/24", interface=interface)
    assert "already has" in refused(DevicePrimaryAddress(device=interface.device, ip_address=second), "device")
    mine.interface = elsewhere.interface
    assert "primary IP address of srv-01" in refused(mine, "interface")


def test_deleting_the_interface_of_a_device_primary_drops_the_primary() -> None:
    interface = device_interface()
    mine = IPAddress.objects.create(address="10.1.1.20/24", interface=interface)
    DevicePrimaryAddress.objects.create(device=interface.device, ip_address=mine)
    interface.delete()
    assert not DevicePrimaryAddress.objects.exists()
    assert IPAddress.objects.filter(pk=mine.pk, interface=None).exists()


# --- interfaces and disks ---------------------------------------------------------------------


def test_bad_mac_and_duplicate_interface_name_are_refused() -> None:
    machine = vm("app-01", cluster())
    assert "aa:bb:cc:dd:ee:ff" in refused(
        VMInterface(virtual_machine=machine, name="eth0", mac_address="00-50-56-aa-bb"), "mac_address")
    VMInterface.objects.create(virtual_machine=machine, name="eth0")
    refused(VMInterface(virtual_machine=machine, name="ETH0"), "name")
    VMInterface(virtual_machine=vm("app-02", cluster("CL-2")), name="eth0").full_clean()  # per machine


def test_disks_may_not_exceed_the_allocation_from_either_side() -> None:
    machine = vm("app-01", cluster(), disk_gb=100)
    VirtualDisk.objects.create(virtual_machine=machine, name="Hard disk 1", size_gb=60)
    assert "100 GB" in refused(VirtualDisk(virtual_machine=machine, name="Hard disk 2", size_gb=50), "size_gb")
    VirtualDisk(virtual_machine=machine, name="Hard disk 2", size_gb=40).full_clean()
    machine.disk_gb = 50
    assert "60 GB" in refused(machine, "disk_gb")


# --- pages ------------------------------------------------------------------------------------


def machines_with_addresses(count: int) -> list[VirtualMachine]:
    on = Cluster.objects.first() or cluster()
    made = []
    for n in range(count):
        machine = vm(f"app-{n:02}", on, disk_gb=200, primary_ip=f"10.1.2.{n + 10}/24")
        address_on(machine, f"10.1.3.{n + 10}/24", interface="eth1")
        VirtualDisk.objects.create(virtual_machine=machine, name="Hard disk 1", size_gb=60)
        made.append(machine)
    return made


def test_machine_page_shows_interfaces_addresses_primary_and_disks(admin_client: Client) -> None:
    machine = machines_with_addresses(1)[0]
    choose(admin_client, "en")
    page = admin_client.get(machine.get_absolute_url()).content.decode()
    assert "10.1.2.10/24" in page and "10.1.3.10/24" in page and "eth1" in page
    assert "Disks: 60 GB of the 200 GB allocated." in page
    address = admin_client.get(machine.primary_ip.get_absolute_url()).content.decode()
    assert "Assigned to a virtual machine" in address and "app-00" in address


def test_machine_page_queries_do_not_grow_with_interfaces(
    admin_client: Client, django_assert_max_num_queries: Any
) -> None:
    machine = machines_with_addresses(1)[0]
    admin_client.get(machine.get_absolute_url())
    with CaptureQueriesContext(connection) as one:
        admin_client.get(machine.get_absolute_url())
    for n in range(5):
        address_on(machine, f"10.1.4.{n + 10}/24", interface=f"eth{n + 2}")
        VirtualDisk.objects.create(virtual_machine=machine, name=f"Hard disk {n + 2}", size_gb=10)
    with django_assert_max_num_queries(len(one)):
        assert admin_client.get(machine.get_absolute_url()).status_code == 200


def test_machine_list_with_primary_ip_column_queries_do_not_grow(
    admin_client: Client, django_assert_max_num_queries: Any
) -> None:
    machines_with_addresses(2)
    url = "/virtualization/virtual-machines/?columns=name&columns=primary_ip"
    admin_client.get(url)
    with CaptureQueriesContext(connection) as two:
        page = admin_client.get(url).content.decode()
    assert "10.1.2.11/24" in page
    VirtualMachine.objects.all().delete()
    IPAddress.objects.all().delete()
    machines_with_addresses(8)
    with django_assert_max_num_queries(len(two)):
        assert "10.1.2.17/24" in admin_client.get(url).content.decode()


def test_device_page_shows_its_primary_ip(admin_client: Client) -> None:
    interface = device_interface()
    mine = IPAddress.objects.create(address="10.1.1.20/24", interface=interface)
    DevicePrimaryAddress.objects.create(device=interface.device, ip_address=mine)
    choose(admin_client, "en")
    page = admin_client.get(interface.device.get_absolute_url()).content.decode()
    assert "Primary IP address" in page and "10.1.1.20/24" in page
