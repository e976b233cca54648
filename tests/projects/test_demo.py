"""The demo projects: on the demo estate, with late work to show; reruns write nothing."""

import pytest
from django.core.management import call_command

from irtis.audit.models import AuditEntry
from irtis.projects import demo, portfolio
from irtis.projects.models import Project

pytestmark = pytest.mark.django_db


def test_demo_loads_once_on_the_estate() -> None:
    call_command("demo")
    renewal = Project.objects.get(code="P-2026-01")
    assert set(renewal.systems.values_list("code", flat=True)) == {"MDAS", "NTKS"}
    assert renewal.contracts.exists() and renewal.procurements.exists()
    root = renewal.manager
    root.is_superuser = True  # reads everything, as the portfolio's head would
    lines = {line.project.code: line for line in portfolio.lines(root, Project.objects.all())}
    assert lines["P-2026-01"].health == "amber" and lines["P-2026-01"].late_tasks
    assert lines["P-2026-02"].overrun and lines["P-2026-02"].health == "red"
    entries = AuditEntry.objects.count()
    demo.load()
    assert AuditEntry.objects.count() == entries


def test_a_demo_lookup_that_finds_nothing_raises() -> None:
    with pytest.raises(Exception, match="does not exist"):
        demo.load()
