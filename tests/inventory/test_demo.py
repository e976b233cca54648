"""The demo estate loads, matches the domain facts and a second run writes nothing."""

from typing import Any

import pytest

from irtis.audit.models import AuditEntry
from irtis.core import demo as core_demo
from irtis.inventory import demo, power_draw, reports, trace
from irtis.inventory.models import Device, DomainController, Interface, MobileDevice, Rack, StorageCapacity


@pytest.mark.django_db
def test_demo_estate(admin_user: Any) -> None:
    core_demo.load()
    demo.load()
    servers = Device.objects.filter(role__name__in=["Tarnybinė stotis", "VoIP šliuzas"])  # as the facts count them
    assert servers.count() == 50
    assert servers.filter(site__code="DC1").count() == 22 and servers.filter(site__code="DC2").count() == 13
    assert Device.objects.get(name="lav-srv-01").status == "decommissioning"
    assert StorageCapacity.objects.count() == 3
    assert MobileDevice.objects.count() == 600
    assert MobileDevice.objects.values("user_account").distinct().count() == 600
    assert DomainController.objects.filter(device__isnull=False).count() == 2
    unsupported = {str(f.version) for f in reports.out_of_support(admin_user)}
    assert {"Windows Server 2012 R2", "Red Hat Enterprise Linux 7.9"} <= unsupported
    path = trace.trace(Interface.objects.get(device__name="dc1-esx-02", name="eth0"))
    assert str(path.end) == "dc1-lan-01 port2" and len(path.hops) == 3 and not path.loop
    power = {row.rack.name: row for row in power_draw.rack_power(Rack.objects.filter(name__in=["DC1-A01", "DC2-A01"]))}
    assert power["DC1-A01"].load.percent == 85 and power["DC2-A01"].load.percent == 56  # of 2 × 2944 W; of 2 × 8868 W
    assert not any(row.warning for row in power.values())
    assert set(Interface.objects.get(device__name="dc2-lan-02", name="Po1").members.values_list("name", flat=True)) == {
        "port3", "port4"}
    written = AuditEntry.objects.count()
    demo.load()
    assert AuditEntry.objects.count() == written
