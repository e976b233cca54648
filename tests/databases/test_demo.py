"""The demo DBMS instances and databases: a second load writes nothing."""

import pytest
from django.core.management import call_command

from irtis.audit.models import AuditEntry
from irtis.databases.demo import DATABASES, INSTANCES
from irtis.databases.models import Database, DBMSInstance

pytestmark = pytest.mark.django_db


def test_demo_loads_once_and_reruns_write_nothing() -> None:
    call_command("demo")
    instances = DBMSInstance.objects.count()
    assert instances >= 10  # the instances on virtual machines at least
    if instances == len(INSTANCES):  # the servers come from the inventory demo
        assert Database.objects.count() == len(DATABASES)
    assert not DBMSInstance.objects.filter(
        device__isnull=False, virtual_machine__isnull=False
    ).exists()
    entries = AuditEntry.objects.count()
    call_command("demo")
    assert AuditEntry.objects.count() == entries
