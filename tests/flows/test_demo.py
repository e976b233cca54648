"""The demo flows and firewalls: consistent with the demo zones, reruns write nothing."""

import pytest
from django.core.management import call_command

from irtis.audit.models import AuditEntry
from irtis.flows import analysis, demo
from irtis.flows.models import Firewall, Flow
from irtis.network.models import SecurityZone

pytestmark = pytest.mark.django_db


def test_the_demo_loads_once_with_two_unexplained_rules() -> None:
    call_command("demo")
    assert Flow.objects.count() == len(demo.FLOWS) and Firewall.objects.count() == len(demo.FIREWALLS)
    assert sorted(rule.name for rule in analysis.unexplained()) == ["Kopijavimo agentai", "Portalai iš interneto"]
    assert [flow.name for flow in analysis.past_review()] == ["Taikomosios programos → duomenų bazės"]
    entries = AuditEntry.objects.count()
    demo.load()
    assert AuditEntry.objects.count() == entries


def test_a_demo_lookup_that_finds_nothing_raises() -> None:
    with pytest.raises(SecurityZone.DoesNotExist):
        demo.load()
