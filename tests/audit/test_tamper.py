"""Issue 19's attacks by the database owner and a superuser: each must fail verification.

The application's role cannot do any of this on PostgreSQL (`test_roles.py`); these tests play
the owner or a superuser, who can, and check that `irtis audit verify` then exits non-zero.
"""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from irtis.audit import guard, head, trail, verify
from irtis.audit.models import AuditCheckpoint, AuditEntry

from .test_verify import _rehash_from

postgresql_only = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="functions and roles exist on PostgreSQL only"
)
sqlite_only = pytest.mark.skipif(
    "connection.vendor == 'postgresql'", reason="the purge permit table exists on SQLite only"
)


@pytest.fixture
def chain(make_sites, settings) -> list[int]:
    """12 entries from real saves, a checkpoint due wherever ids cross a multiple of 4."""
    settings.IRTIS_AUDIT_CHECKPOINT_EVERY = 4
    ids = make_sites(12)
    assert AuditCheckpoint.objects.filter(entry_id__in=ids).count() >= 2
    assert verify.verify_trail(chunk=5).intact
    return ids


def fails(*kinds: str) -> verify.Problem:
    report = verify.verify_trail(chunk=5)
    assert report.problem is not None, "tampering went unnoticed"
    assert report.problem.kind in kinds, str(report.problem)
    with pytest.raises(CommandError, match="BROKEN"):
        call_command("audit", "verify")
    return report.problem


@sqlite_only
def test_tail_deleted_under_a_purge_permit(chain) -> None:
    """SQLite: whoever writes the file can take a permit; the signed checkpoints and the signed
    head still tell."""
    with connection.cursor() as sql:
        sql.execute(f"INSERT INTO {guard.PERMIT_TABLE} VALUES ('audit_auditentry')")
        sql.execute("DELETE FROM audit_auditentry WHERE id > %s", [chain[4]])
        sql.execute(f"DELETE FROM {guard.PERMIT_TABLE}")
    fails(verify.MISSING, verify.HEAD)


@sqlite_only
def test_a_committed_purge_permit_is_reported(chain) -> None:
    with connection.cursor() as sql:
        sql.execute(f"INSERT INTO {guard.PERMIT_TABLE} VALUES ('audit_auditentry')")
    assert "purge permit" in fails(verify.PROTECTION).detail


@postgresql_only
def test_replaced_trigger_function_then_delete(chain) -> None:
    with connection.cursor() as sql:
        sql.execute(
            "CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql "
            "AS $$ BEGIN IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END $$"
        )
        sql.execute("DELETE FROM audit_auditentry WHERE id > %s", [chain[4]])
    fails(verify.MISSING, verify.HEAD)  # the deletion, and besides it:
    assert "function audit_refuse_change was changed" in " ".join(verify.verify_trail().warnings)


@postgresql_only
def test_replaced_trigger_function_alone(chain) -> None:
    with connection.cursor() as sql:
        sql.execute(
            "CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql "
            "AS $$ BEGIN RETURN OLD; END $$"
        )
    assert "function audit_refuse_change was changed" in fails(verify.PROTECTION).detail


@postgresql_only
def test_archive_function_made_permissive(chain) -> None:
    with connection.cursor() as sql:
        sql.execute(
            f"CREATE OR REPLACE FUNCTION {guard.PURGE_FUNCTION}(cutoff bigint) RETURNS bigint "
            "LANGUAGE sql SECURITY DEFINER AS $$ SELECT 0::bigint $$"
        )
    assert f"function {guard.PURGE_FUNCTION} was changed" in fails(verify.PROTECTION).detail


@postgresql_only
def test_disabled_triggers(chain) -> None:
    with connection.cursor() as sql:
        sql.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_auditentry_append_only")
    found = fails(verify.PROTECTION)
    assert "trigger audit_auditentry_append_only was changed or disabled" in found.detail


def test_dropped_triggers(chain) -> None:
    with connection.cursor() as sql:
        sql.execute(guard.drop_sql(connection.vendor)[0])
    assert "is missing" in fails(verify.PROTECTION).detail


def test_edit_rehash_and_delete_the_checkpoint_after_it(chain, tamper) -> None:
    """Superuser, triggers off: the checkpoints after the edit go, the chain is re-hashed."""
    with tamper() as sql:
        _rehash_from(sql, chain[6])
        sql.execute("DELETE FROM audit_auditcheckpoint WHERE entry_id >= %s", [chain[6]])
    fails(verify.CHECKPOINT_MISSING)


def test_edit_rehash_and_delete_a_middle_checkpoint(chain, tamper) -> None:
    signed = list(
        AuditCheckpoint.objects.filter(entry_id__in=chain).values_list("entry_id", flat=True)
    )
    with tamper() as sql:
        _rehash_from(sql, chain[0])
        sql.execute("DELETE FROM audit_auditcheckpoint WHERE entry_id = %s", [signed[0]])
        for later in signed[1:]:  # and the checkpoints after it are kept, as they were
            assert AuditCheckpoint.objects.filter(entry_id=later).exists()
    assert verify.verify_trail().problem is not None
    with pytest.raises(CommandError, match="BROKEN"):
        call_command("audit", "verify")


def test_last_entries_deleted_with_their_checkpoints(chain, tamper) -> None:
    """Deleting the last N entries and the checkpoints among them leaves a consistent, shorter
    trail: only the head signed outside the database shows it."""
    with tamper() as sql:
        sql.execute("DELETE FROM audit_auditcheckpoint WHERE entry_id > %s", [chain[3]])
        sql.execute("DELETE FROM audit_auditentry WHERE id > %s", [chain[3]])
    found = fails(verify.HEAD)
    assert found.entry_id == chain[-1] and "entries were deleted" in found.detail


def test_entries_after_the_last_checkpoint_deleted(chain, make_sites, tamper) -> None:
    last = chain[-1]
    while AuditCheckpoint.objects.filter(entry_id=last).exists():
        last = make_sites(1)[-1]  # an unsigned entry at the end
    last_signed = AuditCheckpoint.objects.order_by("-entry_id").first().entry_id
    with tamper() as sql:
        sql.execute("DELETE FROM audit_auditentry WHERE id > %s", [last_signed])
    assert fails(verify.HEAD).entry_id == last


def _forge_everything(tamper) -> None:
    """Everything deleted, checkpoints too, and a self-consistent chain of the same length and
    ids inserted in its place (no key: so no checkpoints)."""
    rows = list(AuditEntry.objects.order_by("id"))
    with tamper() as sql:
        sql.execute("DELETE FROM audit_auditcheckpoint")
        sql.execute("DELETE FROM audit_auditentry")
        prev = trail.GENESIS
        for entry in rows:
            entry.object_repr = f"forged {entry.pk}"
            entry.prev_hash = prev
            entry.hash = prev = trail.entry_hash(entry)
            entry.save(force_insert=True)


def test_wholesale_forged_chain(chain, tamper) -> None:
    _forge_everything(tamper)
    fails(verify.CHECKPOINT_MISSING, verify.HEAD)


def test_wholesale_forged_chain_shorter_than_the_interval(chain, tamper, settings) -> None:
    """With fewer entries than the interval no checkpoint is due: the head still tells."""
    # Far above any id the chain has: on PostgreSQL ids keep growing across rolled-back tests,
    # so a smaller interval could fall due inside this chain.
    settings.IRTIS_AUDIT_CHECKPOINT_EVERY = 10**12
    _forge_everything(tamper)
    fails(verify.HEAD)


def test_deleted_head_file(chain) -> None:
    head.path().unlink()
    assert "no signed head" in fails(verify.HEAD).detail


def test_forged_head_file(chain) -> None:
    target = head.path()
    target.write_text(target.read_text().replace('"id": ', '"id": 1'))
    assert "not signed with this key" in fails(verify.HEAD).detail
