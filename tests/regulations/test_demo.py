"""The demo regulating documents: on the demo estate, one approved through its route; reruns write nothing."""

import pytest
from django.core.management import call_command

from irtis.audit.models import AuditEntry
from irtis.regulations import demo, drafting, route
from irtis.regulations.models import Document

pytestmark = pytest.mark.django_db


def test_demo_loads_once_on_the_estate() -> None:
    call_command("demo")
    backup = Document.objects.get(title="Informacinių sistemų atsarginių kopijų darymo tvarkos aprašas")
    assert (backup.status, backup.approved_revision, backup.versions.count()) == ("in_force", 2, 2)
    assert all(s.decision and s.decision.decision == "approve" for s in route.state(backup))
    shown, older = drafting.placed(backup, backup.versions.get(number=2))
    assert [c.text for p in shown for c in p.comments] == ["Nurodykite, kiek laiko kopijos saugomos DC2."]
    assert len(older) == 1  # the comment on the paragraph version 2 changed
    assert set(backup.controls.values_list("code", flat=True)) == {"K-BACKUP-RPO", "K-RESTORE-DRILL"}
    assert Document.objects.get(title="Incidentų valdymo tvarkos aprašas").status == "draft"
    entries = AuditEntry.objects.count()
    demo.load()
    assert AuditEntry.objects.count() == entries


def test_a_demo_lookup_that_finds_nothing_raises() -> None:
    with pytest.raises(Exception, match="does not exist"):
        demo.load()
