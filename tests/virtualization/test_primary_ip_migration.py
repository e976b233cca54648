"""The migration that turns the free-text primary IP address of virtual machines into a recorded
address on an interface of the machine (virtualization 0005_primary_ip_from_text): each text
becomes an address in the right table, on eth0, as the machine's primary; a text that is no
address stops it naming the machine, and nothing is lost."""

import pytest

from tests.support.databases import historical_apps, migrate

pytestmark = pytest.mark.usefixtures("empty_database")
BEFORE = [("virtualization", "0004_interfaces_disks_addresses")]
AFTER = [("virtualization", "0006_remove_primary_ip_text")]


def _estate(apps):  # type: ignore[no-untyped-def]
    Site = apps.get_model("inventory", "Site")
    ClusterType = apps.get_model("virtualization", "ClusterType")
    Cluster = apps.get_model("virtualization", "Cluster")
    site = Site.objects.create(code="DC1", name="DC1", kind="datacentre")
    return Cluster.objects.create(name="CL", type=ClusterType.objects.create(name="vSphere"), site=site)


def test_text_becomes_an_address_on_eth0_in_the_right_table() -> None:
    migrate(BEFORE)
    apps = historical_apps(BEFORE)
    VM = apps.get_model("virtualization", "VirtualMachine")
    Prefix = apps.get_model("network", "Prefix")
    VRF = apps.get_model("network", "VRF")
    IPAddress = apps.get_model("network", "IPAddress")
    cluster = _estate(apps)
    mgmt = VRF.objects.create(name="MGMT", rd="65000:10")
    Prefix.objects.create(prefix="10.1.100.0/24", family=4, length=24,
                          start_key="4" + f"{0x0a016400:032x}", end_key="4" + f"{0x0a0164ff:032x}")
    Prefix.objects.create(prefix="10.250.10.0/24", vrf=mgmt, family=4, length=24,
                          start_key="4" + f"{0x0afa0a00:032x}", end_key="4" + f"{0x0afa0aff:032x}")
    known = IPAddress.objects.create(address="10.1.100.12/24", family=4, length=24,
                                     address_key="4" + f"{0x0a01640c:032x}")
    values = {"cluster": cluster, "vcpus": 1, "memory_mb": 1024}
    app = VM.objects.create(name="app", primary_ip_text="10.1.100.11", **values)
    mon = VM.objects.create(name="mon", primary_ip_text="10.250.10.50", **values)
    db = VM.objects.create(name="db", primary_ip_text="10.1.100.12/24", **values)
    bare = VM.objects.create(name="bare", **values)
    migrate(AFTER)
    after = historical_apps(AFTER)
    VM = after.get_model("virtualization", "VirtualMachine")
    Assignment = after.get_model("virtualization", "VMAddressAssignment")
    got = {m.name: m for m in VM.objects.select_related("primary_ip__vrf")}
    assert got["app"].primary_ip.address == "10.1.100.11/24" and got["app"].primary_ip.vrf is None
    assert got["mon"].primary_ip.address == "10.250.10.50/24" and got["mon"].primary_ip.vrf.name == "MGMT"
    assert got["db"].primary_ip_id == known.pk  # the recorded address, not a second one
    assert got["bare"].primary_ip is None
    on = {a.interface.virtual_machine_id: (a.interface.name, a.ip_address_id)
          for a in Assignment.objects.select_related("interface")}
    assert on == {vm.pk: ("eth0", got[vm.name].primary_ip_id) for vm in (app, mon, db)}
    assert bare.pk not in on


def test_a_text_that_is_no_address_stops_the_migration_naming_the_machine() -> None:
    migrate(BEFORE)
    apps = historical_apps(BEFORE)
    VM = apps.get_model("virtualization", "VirtualMachine")
    values = {"cluster": _estate(apps), "vcpus": 1, "memory_mb": 1024}
    broken = VM.objects.create(name="legacy-01", primary_ip_text="10.1.300.1", **values)
    VM.objects.create(name="fine", primary_ip_text="192.0.2.5", **values)
    with pytest.raises(RuntimeError) as stopped:
        migrate(AFTER)
    assert f"“legacy-01” (id {broken.pk})" in str(stopped.value) and "fine" not in str(stopped.value)
    assert VM.objects.get(pk=broken.pk).primary_ip_text == "10.1.300.1"  # as it was
    assert not apps.get_model("network", "IPAddress").objects.exists()  # nothing half written
    VM.objects.filter(pk=broken.pk).update(primary_ip_text="10.1.30.1")
    migrate(AFTER)
    addresses = historical_apps(AFTER).get_model("virtualization", "VirtualMachine").objects.values_list(
        "name", "primary_ip__address")
    assert dict(addresses) == {"legacy-01": "10.1.30.1/32", "fine": "192.0.2.5/32"}
