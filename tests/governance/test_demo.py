"""The demo catalogue, rules and proposal: loaded once with results, reruns write nothing."""

import pytest
from django.core.management import call_command

from irtis.audit.models import AuditEntry
from irtis.governance import demo
from irtis.governance.models import Outcome, Rule, RuleResult, Technology
from irtis.governance.proposals_models import Proposal

pytestmark = pytest.mark.django_db


def test_the_demo_loads_once_with_results_of_every_kind_and_a_checked_proposal() -> None:
    call_command("demo")
    assert Technology.objects.count() == len(demo.TECHNOLOGIES)
    assert Rule.objects.count() == sum(len(p[3]) for p in demo.PRINCIPLES)
    outcomes = set(RuleResult.objects.values_list("outcome", flat=True))
    assert {Outcome.PASSED, Outcome.FAILED, Outcome.UNKNOWN} <= outcomes
    proposal = Proposal.objects.get(code="P-2026-01")
    assert proposal.checked and proposal.findings.filter(automatic=True, severity="minor").exists()
    entries = AuditEntry.objects.count()
    demo.load()
    assert AuditEntry.objects.count() == entries


def test_a_demo_lookup_that_finds_nothing_raises() -> None:
    with pytest.raises(LookupError):
        demo.load()
