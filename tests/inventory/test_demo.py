"""The demo estate loads, matches the domain facts and a second run writes nothing."""

from typing import Any

import pytest

from irtis.audit.models import AuditEntry
from irtis.core import demo as core_demo
from irtis.inventory import demo, power_draw, reports, trace
from irtis.inventory.models import (
    Device,
    Interface,
    MobileDevice,
    Rack,
    RackReservation,
    StorageCapacity,
)
from irtis.inventory.models.reservations import with_utilisation


@pytest.mark.django_db
def test_demo_estate(admin_user: Any) -> None:
    core_demo.load()
    demo.load()
    servers = Device.objects.filter(role__name__in=["Tarnybinė stotis", "VoIP šliuzas"]).exclude(
        status="planned")  # as the facts count them: dc1-ora-05 is only planned
    assert servers.count() == 50
    assert servers.filter(site__code="DC1").count() == 22 and servers.filter(site__code="DC2").count() == 13
    assert Device.objects.get(name="lav-srv-01").status == "decommissioning"
    assert StorageCapacity.objects.count() == 3
    assert MobileDevice.objects.count() == 600
    assert MobileDevice.objects.values("user_account").distinct().count() == 600
    unsupported = {str(f.version) for f in reports.out_of_support(admin_user)}
    assert {"Windows Server 2012 R2", "Red Hat Enterprise Linux 7.9"} <= unsupported
    extended = {str(f.version) for f in reports.extended_support(admin_user)}
    assert "Windows Server 2019" in extended and not extended & unsupported
    assert "dc1-sql-02" in {h.device.name for h in reports.hardware_out_of_support(admin_user)}  # a Gen9
    path = trace.trace(Interface.objects.get(device__name="dc1-esx-02", name="eth0"))
    assert str(path.end) == "dc1-lan-01 port2" and len(path.hops) == 3 and not path.loop
    power = {row.rack.name: row for row in power_draw.rack_power(Rack.objects.filter(name__in=["DC1-A01", "DC2-A01"]))}
    assert power["DC1-A01"].load.percent == 85 and power["DC2-A01"].load.percent == 56  # of 2 × 2944 W; of 2 × 8868 W
    assert not any(row.warning for row in power.values())
    assert set(Interface.objects.get(device__name="dc2-lan-02", name="Po1").members.values_list("name", flat=True)) == {
        "port3", "port4"}
    planned = Device.objects.get(name="dc1-ora-05")  # made from the PowerEdge R750 templates
    assert sorted(planned.interfaces.values_list("name", flat=True)) == ["eth0", "eth1", "eth2", "eth3", "iDRAC"]
    assert sorted(planned.powerports.values_list("name", "allocated_draw")) == [("PSU1", 690), ("PSU2", 690)]
    assert Device.objects.get(name="dc1-lan-03").interfaces.count() == 55  # mgmt0, Ethernet1/1–1/54
    racks = {r.name: r for r in with_utilisation(Rack.objects.filter(name__in=["DC1-A03", "DC2-A01"]))}
    assert (racks["DC1-A03"].reserved_units, racks["DC2-A01"].reserved_units) == (4, 4)
    assert RackReservation.objects.get(rack__name="DC1-A03").first_unit == planned.position  # kept for it
    written = AuditEntry.objects.count()
    demo.load()
    assert AuditEntry.objects.count() == written
