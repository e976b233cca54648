"""The demo findings and risks: on the demo estate, linked to its machines and systems; reruns write nothing."""

import pytest
from django.core.management import call_command

from irtis.audit.models import AuditEntry
from irtis.risks import demo, evaluators
from irtis.risks.models import Finding, Risk
from irtis.security.evaluation import Status
from irtis.virtualization.models import VirtualMachine

pytestmark = pytest.mark.django_db


def test_demo_loads_once_on_the_estate() -> None:
    call_command("demo")
    scanned = Finding.objects.filter(scope=demo.SCOPE)
    assert scanned.count() > 0 and not scanned.filter(virtual_machine=None).exists()
    assert set(scanned.values_list("systems__code", flat=True)) == {"MDAS", "NTKS", "BAP"}
    assert Risk.objects.get(title="Deklaracijų duomenų nutekėjimas").findings.exists()
    assert evaluators.risk_analysis_current().status == Status.FAILED  # the demo shows what is missing
    entries = AuditEntry.objects.count()
    demo.load()
    assert AuditEntry.objects.count() == entries


def test_a_demo_lookup_that_finds_nothing_raises() -> None:
    with pytest.raises(Exception, match="InformationSystem matching query does not exist"):
        demo.load()
    assert not VirtualMachine.objects.exists()
