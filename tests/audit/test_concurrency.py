"""Concurrent appends on PostgreSQL queue on the advisory lock and never fork the chain."""

import pytest
from django.db import connection
from django.db.models import Count

from irtis.audit import verify
from irtis.audit.models import AuditEntry
from irtis.inventory.models import Site
from tests.support.concurrency import at_once

WRITERS, EACH = 8, 15


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="SQLite has a single writer anyway")
@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_never_fork_the_chain(empty_trail, settings) -> None:
    settings.IRTIS_AUDIT_CHECKPOINT_EVERY = 10

    def writer(n: int) -> None:
        for i in range(EACH):
            Site(code=f"W{n}-{i}", name=f"Rašytojas {n}", kind=Site.Kind.SEAPORT).save()

    at_once(writer, WRITERS)
    assert connection.vendor == "postgresql"
    writes = AuditEntry.objects.filter(object_repr__startswith="W")
    assert writes.count() == WRITERS * EACH
    shared = AuditEntry.objects.values("prev_hash").annotate(n=Count("id")).filter(n__gt=1)
    assert not shared.exists()
    report = verify.verify_trail()
    assert report.intact, str(report.problem)
    assert report.checked >= WRITERS * EACH and report.checkpoints >= 1
