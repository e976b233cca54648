"""The database refuses to change or remove audit rows; only a purge permit lets DELETE through."""

import pytest
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.management.sql import sql_flush
from django.db import DatabaseError, connection, transaction

from irtis.audit import checkpoints, guard
from irtis.audit.management.commands.flush import is_test_database
from irtis.audit.models import AuditCheckpoint, AuditEntry


def _refused(sql: str, params: list | None = None) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def test_triggers_are_installed(db) -> None:
    assert guard.installed()


def test_update_and_delete_refused(make_sites) -> None:
    first = make_sites(2)[0]
    _refused("UPDATE audit_auditentry SET object_repr = 'x' WHERE id = %s", [first])
    _refused("DELETE FROM audit_auditentry WHERE id = %s", [first])
    _refused("DELETE FROM audit_auditentry")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=first).update(object_repr="x")
    assert AuditEntry.objects.get(pk=first).object_repr.startswith("S0")


def test_checkpoints_are_append_only_too(make_sites, settings) -> None:
    # No automatic checkpoint: on PostgreSQL the id sequence, never rolled back, may stand at a
    # multiple of the interval and sign the new entry before checkpoint_now() does.
    settings.IRTIS_AUDIT_CHECKPOINT_EVERY = 0
    make_sites(1)
    cp = checkpoints.checkpoint_now()
    _refused("UPDATE audit_auditcheckpoint SET entry_hash = 'x' WHERE id = %s", [cp.pk])
    _refused("DELETE FROM audit_auditcheckpoint WHERE id = %s", [cp.pk])
    assert AuditCheckpoint.objects.filter(pk=cp.pk, entry_hash=cp.entry_hash).exists()


@pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="TRUNCATE exists on PostgreSQL only"
)
def test_truncate_refused_on_postgresql(make_sites) -> None:
    make_sites(1)
    _refused("TRUNCATE audit_auditentry")


@pytest.mark.skipif(
    "connection.vendor == 'postgresql'", reason="PostgreSQL archives through a function instead"
)
def test_purge_permit_allows_delete_for_one_transaction_only(make_sites) -> None:
    ids = make_sites(3)
    with guard.purge_permit("audit_auditentry"), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [ids[0]])
    assert not AuditEntry.objects.filter(pk=ids[0]).exists()
    _refused("DELETE FROM audit_auditentry WHERE id = %s", [ids[1]])  # the permit is gone
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {guard.PERMIT_TABLE}")
        assert cursor.fetchone()[0] == 0


@pytest.mark.django_db(transaction=True)
def test_a_flush_without_the_permit_is_refused(make_sites) -> None:
    """What `irtis flush` does on a production database: the whole flush rolls back."""
    make_sites(1)
    statements = sql_flush(no_style(), connection, allow_cascade=True)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        connection.ops.execute_sql_flush(statements)
    assert AuditEntry.objects.exists()


def test_flush_override_recognises_only_the_test_database(db) -> None:
    assert is_test_database("default")
    original = connection.settings_dict["NAME"]
    connection.settings_dict["NAME"] = "irtis"
    try:
        assert not is_test_database("default")
    finally:
        connection.settings_dict["NAME"] = original


@pytest.mark.django_db(transaction=True)
def test_the_test_database_can_be_flushed(make_sites) -> None:
    """pytest-django empties tables between transactional tests with this very command."""
    ids = make_sites(2)
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEntry.objects.filter(id__in=ids).exists()  # post_migrate may write anew
    assert guard.installed()
    make_sites(1)
    _refused("DELETE FROM audit_auditentry")  # the permit did not outlive the flush
