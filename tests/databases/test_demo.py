"""The demo DBMS instances and databases: all there, with their versions; a second load writes nothing."""

import pytest
from django.core.management import call_command

from irtis.audit.models import AuditEntry
from irtis.databases.demo import DATABASES, INSTANCES
from irtis.databases.models import Database, DBMSInstance

pytestmark = pytest.mark.django_db


def test_demo_loads_once_and_reruns_write_nothing() -> None:
    call_command("demo")
    assert DBMSInstance.objects.count() == len(INSTANCES) and Database.objects.count() == len(DATABASES)
    # every instance with its version from the software catalogue, of its own engine's product
    assert not DBMSInstance.objects.filter(software_version__isnull=True).exists()
    for instance in DBMSInstance.objects.select_related("software_version__product"):
        engine = {"oracle": "Oracle Database", "postgresql": "PostgreSQL", "mssql": "SQL Server"}[instance.engine]
        assert instance.software_version.product.name == engine, instance
    assert not DBMSInstance.objects.filter(
        device__isnull=False, virtual_machine__isnull=False
    ).exists()
    entries = AuditEntry.objects.count()
    call_command("demo")
    assert AuditEntry.objects.count() == entries
