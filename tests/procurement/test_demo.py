"""The demo procurement data: on the demo estate, consistent, and reruns write nothing."""

from decimal import Decimal

import pytest
from django.core.management import call_command

from irtis.audit.models import AuditEntry
from irtis.procurement import demo, evaluation, licensing, sla, specifications
from irtis.procurement.models import Contract, ExternalService, Procurement, Specification

pytestmark = pytest.mark.django_db


def test_demo_loads_once_on_the_estate() -> None:
    call_command("demo")
    support = Contract.objects.get(number="2025/ORA-03")
    assert support.devices.exists() and support.software_products.get().name == "Oracle Database"
    assert Contract.objects.get(number="2023/WAN-01").amendments.count() == 1
    spec = Specification.objects.get(code="TS-2026-07", revision=2)
    changes = specifications.diff(spec.previous, spec)
    assert [(c.number, c.status) for c in changes] == [(2, "changed"), (7, "added")]
    result = evaluation.evaluate(Procurement.objects.get(name="Tarnybinių stočių pirkimas 2026"))
    assert [line.rank for line in result.ranking] == [1, 2, None]  # one offer fails requirement 7
    oracle = next(p for p in licensing.compliance() if p.product == "Oracle Database")
    assert oracle.needed and oracle.needed > 0
    months = sla.statement(ExternalService.objects.get(name="Pasienio postų WAN kanalai"), 3)
    assert len(months) == 3 and months[-1].target == Decimal("99.9")
    entries = AuditEntry.objects.count()
    demo.load()
    assert AuditEntry.objects.count() == entries, list(AuditEntry.objects.order_by("-id")[:1].values(
        "object_repr", "action", "before", "after"))


def test_a_demo_lookup_that_finds_nothing_raises() -> None:
    with pytest.raises(Exception, match="does not exist"):
        demo.load()
