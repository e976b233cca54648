"""The demo maintenance calendar: tied to the estate's real objects, rerun writes nothing, a
missing object stops the load."""

import pytest
from django.core.management import call_command

from irtis.audit.models import AuditEntry
from irtis.changes import demo
from irtis.changes.conflicts import conflicts
from irtis.changes.models import Blackout, ChangeRequest, MaintenanceWindow, Status
from irtis.inventory.models import Device
from irtis.systems.models import Deployment

pytestmark = pytest.mark.django_db


def test_demo_calendar_loads_once_with_conflicts_to_show() -> None:
    call_command("demo")
    assert MaintenanceWindow.objects.count() == len(demo.WINDOWS)
    assert ChangeRequest.objects.count() == len(demo.CHANGES)
    assert Blackout.objects.count() == 2
    patch = MaintenanceWindow.objects.get(name="Mėnesio pataisų naktis")
    assert patch.status == Status.APPROVED and patch.covered.count() == 3
    clash = MaintenanceWindow.objects.get(name="MDAS taikomosios programos diegimas")
    assert [c.other for c in conflicts(clash)] == [patch]
    oracle = ChangeRequest.objects.get(title="Oracle 19.24 RU RAC A mazgams")
    assert oracle.risk and oracle.affected_systems > 0
    entries = AuditEntry.objects.count()
    demo.load()
    assert AuditEntry.objects.count() == entries
    Deployment.objects.filter(device__name="dc1-fw-02").delete()  # the VPN service runs on it
    Device.objects.filter(name="dc1-fw-02").delete()
    ChangeRequest.objects.filter(title="FortiOS atnaujinimas").delete()
    MaintenanceWindow.objects.filter(name="Saugasienių FortiOS 7.4.5").delete()
    with pytest.raises(Device.DoesNotExist):
        demo.load()
