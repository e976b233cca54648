"""The demo backups: a real restic repository a drill restores, and reruns write nothing."""

import pytest
from django.core.management import call_command

from irtis.audit.models import AuditEntry
from irtis.backups import demo, drills
from irtis.backups.models import BackupPolicy, Result, Snapshot
from irtis.inventory.models import Site

pytestmark = pytest.mark.django_db


def test_demo_loads_once_and_its_restic_repository_restores() -> None:
    call_command("demo")
    assert BackupPolicy.objects.count() == 4
    assert Snapshot.objects.filter(policy__name="MDAS duomenų bazė").count() == 1
    entries = AuditEntry.objects.count()
    demo.load()
    assert AuditEntry.objects.count() == entries
    drill = drills.run(BackupPolicy.objects.get(name="MDAS duomenų bazė"))
    assert drill.result == Result.PASSED, drill.reason
    assert drill.files == len(demo.FILES)


def test_a_demo_lookup_that_finds_nothing_raises() -> None:
    with pytest.raises(Site.DoesNotExist):
        demo.load()
