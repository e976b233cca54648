"""The demo virtualisation estate: its shape, and a second load that writes nothing."""

from collections import Counter

import pytest
from django.core.management import call_command

from irtis.audit.models import AuditEntry
from irtis.virtualization.demo import machines
from irtis.virtualization.models import Cluster, ClusterHost, Environment, VirtualMachine

pytestmark = pytest.mark.django_db


def test_machines_follow_the_estate_split() -> None:
    rows = machines()
    assert 195 <= len(rows) <= 215
    assert len({r["name"] for r in rows}) == len(rows)
    share = {k: v / len(rows) for k, v in Counter(r["environment"] for r in rows).items()}
    assert share[Environment.PRODUCTION] == pytest.approx(0.45, abs=0.02)
    assert share[Environment.PRE_PRODUCTION] == pytest.approx(0.20, abs=0.02)
    assert share[Environment.TEST] == pytest.approx(0.25, abs=0.02)
    assert share[Environment.DEVELOPMENT] == pytest.approx(0.10, abs=0.02)
    assert "mdas-web-01.prod" in {r["name"] for r in rows}


def test_demo_loads_once_and_reruns_write_nothing() -> None:
    call_command("demo")
    assert set(Cluster.objects.values_list("name", flat=True)) == {
        "CL-PROD",
        "CL-DMZ",
        "CL-MGMT",
        "CL-DC2",
    }
    assert VirtualMachine.objects.count() == len(machines())
    hosts = Counter(ClusterHost.objects.values_list("cluster__name", flat=True))
    if hosts:  # the ESXi servers come from the inventory demo
        assert hosts == {"CL-PROD": 8, "CL-DMZ": 2, "CL-MGMT": 2, "CL-DC2": 8}
    entries = AuditEntry.objects.count()
    call_command("demo")
    assert AuditEntry.objects.count() == entries


def test_demo_machines_have_eth0_a_primary_inside_the_ip_plan_and_disks() -> None:
    from irtis.network.models import Prefix
    from irtis.virtualization.models import VirtualDisk, VMAddressAssignment

    call_command("demo")
    machines = list(VirtualMachine.objects.select_related("primary_ip"))
    assert machines and all(m.primary_ip for m in machines)
    assignments = list(VMAddressAssignment.objects.select_related("ip_address", "interface__untagged_vlan"))
    assert {a.interface.virtual_machine_id for a in assignments} == {m.pk for m in machines}
    for assignment in assignments:  # every address inside a prefix of its VRF, the prefix of its VLAN
        address = assignment.ip_address
        prefix = Prefix.plain.filter(vrf=address.vrf, start_key__lte=address.address_key,
                                     end_key__gte=address.address_key, vlan__isnull=False).get()
        assert prefix.vlan == assignment.interface.untagged_vlan, address
    disks = Counter()
    for disk in VirtualDisk.objects.all():
        disks[disk.virtual_machine_id] += disk.size_gb
    assert all(disks[m.pk] == m.disk_gb for m in machines if m.status != VirtualMachine.Status.PLANNED)
    assert all(0 < disks[m.pk] < m.disk_gb for m in machines if m.status == VirtualMachine.Status.PLANNED)
