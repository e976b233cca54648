"""The demo: catalogues, evidence and a first evaluation of the demo estate; reruns write nothing."""

import pytest
from django.core.management import call_command

from irtis.audit.models import AuditEntry
from irtis.security import demo
from irtis.security.catalogue import CatalogueError
from irtis.security.evaluation import Status
from irtis.security.models import ControlResult, EvidenceState, SystemResult
from irtis.systems.models import ImportanceCategory, InformationSystem

pytestmark = pytest.mark.django_db


def test_the_demo_evaluates_every_control_once() -> None:
    call_command("demo")
    results = {r.control.code: r for r in ControlResult.objects.select_related("control")}
    assert results["K-POLICY"].status == Status.PASSED
    assert results["K-VULN-SCAN"].deviations[0]["params"] == {"state": EvidenceState.EXPIRED}
    assert results["K-LOG-REVIEW"].deviations[0]["params"] == {"state": EvidenceState.UNREVIEWED}
    assert results["K-CERTIFICATES"].status == Status.FAILED
    assert results["K-SW-SUPPORT"].status == Status.FAILED and results["K-SW-SUPPORT"].checked > 100
    assert SystemResult.objects.filter(system__code="MDAS").exists()
    entries, count = AuditEntry.objects.count(), ControlResult.objects.count()
    demo.load()
    assert (AuditEntry.objects.count(), ControlResult.objects.count()) == (entries, count)


def test_a_demo_lookup_that_finds_nothing_raises() -> None:
    with pytest.raises(CatalogueError, match="categories: I"):  # the estate's categories are not loaded
        demo.load()
    ImportanceCategory.objects.create(code="I", name="I", rank=1)
    with pytest.raises(InformationSystem.DoesNotExist):
        demo.load()
