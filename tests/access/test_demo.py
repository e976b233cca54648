"""The demo access data: tied to the estate's system, rerun writes nothing, a missing system
stops the load."""

import pytest
from django.core.management import call_command

from irtis.access import demo
from irtis.access.models import AccessRequest, Entitlement, Membership, RequestStatus
from irtis.audit.models import AuditEntry
from irtis.systems.models import InformationSystem

pytestmark = pytest.mark.django_db


def test_demo_access_loads_once() -> None:
    call_command("demo")
    assert Entitlement.objects.filter(system__code="MDAS").count() == 3
    assert AccessRequest.objects.get().status == RequestStatus.REQUESTED
    assert Membership.objects.count() == 1
    entries = AuditEntry.objects.count()
    demo.load()
    assert AuditEntry.objects.count() == entries
    mdas = InformationSystem.objects.get(code="MDAS")
    mdas.code = "KITA"
    mdas.save()
    with pytest.raises(InformationSystem.DoesNotExist):
        demo.load()
