"""Audit fixtures: a key per test, real changes to record, and an attacker with database access."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection, transaction

from irtis.audit import guard
from irtis.audit.models import AuditEntry
from irtis.inventory.models import Site


@pytest.fixture(autouse=True)
def audit_key(settings, tmp_path: Path) -> Path:
    """Each test signs with its own key file, created on first use, and has its own head file."""
    settings.IRTIS_AUDIT_KEY_FILE = str(tmp_path / "keys" / "audit_key")
    settings.IRTIS_AUDIT_HEAD_FILE = str(tmp_path / "keys" / "audit_head.json")
    return tmp_path / "keys" / "audit_key"


@pytest.fixture
def empty_trail(db) -> None:
    """The trail is the test's alone: what earlier tests committed goes (on PostgreSQL the roles
    written after their flush, among which a checkpoint may fall due, signed with another key).
    Inside a test's transaction the deletion is undone with it."""
    with connection.cursor() as cursor:
        for sql in guard.drop_sql(connection.vendor):
            cursor.execute(sql)
        for table in reversed(guard.TABLES):
            cursor.execute(f"DELETE FROM {table}")
        for sql in guard.install_sql(connection.vendor):
            cursor.execute(sql)


@pytest.fixture
def make_sites(empty_trail, django_capture_on_commit_callbacks) -> Callable[[int], list[int]]:
    """Create n sites through real saves, one transaction each, whose commit hooks run (the
    signed head advances); returns the ids of the audit entries written."""
    counter = iter(range(10_000))

    def make(n: int) -> list[int]:
        before = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
        for _ in range(n):
            i = next(counter)
            site = Site(code=f"S{i}", name=f"Vieta {i}", kind=Site.Kind.CUSTOMS_POST)
            site.full_clean()
            with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
                site.save()
        return list(
            AuditEntry.objects.filter(id__gt=before).order_by("id").values_list("id", flat=True)
        )

    return make


@contextmanager
def attacker() -> Iterator[object]:
    """Raw SQL with the triggers and the one-successor index out of the way, as a DB owner could."""
    with connection.cursor() as cursor:
        for sql in guard.drop_sql(connection.vendor):
            cursor.execute(sql)
        cursor.execute("DROP INDEX audit_entry_one_successor")
        yield cursor
        for sql in guard.install_sql(connection.vendor):
            cursor.execute(sql)


@pytest.fixture
def tamper() -> Callable[[], object]:
    return attacker
