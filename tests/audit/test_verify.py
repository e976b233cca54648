"""Tampering with the trail, as an attacker with database access would, is found by verify."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from irtis.audit import checkpoints, trail, verify
from irtis.audit.models import AuditCheckpoint, AuditEntry


@pytest.fixture
def chain(make_sites, settings) -> list[int]:
    """12 entries from real saves, a signed checkpoint whenever ids cross a multiple of 4."""
    settings.IRTIS_AUDIT_CHECKPOINT_EVERY = 4
    ids = make_sites(12)
    assert AuditCheckpoint.objects.count() >= 2
    assert verify.verify_trail(chunk=5).intact
    return ids


def problem(kind: str) -> verify.Problem:
    report = verify.verify_trail(chunk=5)  # small chunks: the keyset paging is exercised
    assert report.problem is not None, "tampering went unnoticed"
    assert report.problem.kind == kind, str(report.problem)
    return report.problem


def test_intact_chain_passes_with_counts_and_rate(chain, capsys) -> None:
    call_command("audit", "verify")
    out = capsys.readouterr().out
    assert "audit trail intact" in out and "entries/s" in out
    assert f"{len(chain)} entries checked" in out or "entries checked" in out
    report = verify.verify_trail()
    assert report.checked >= len(chain) and report.checkpoints >= 2


def test_edited_field(chain, tamper) -> None:
    with tamper() as sql:
        sql.execute(
            "UPDATE audit_auditentry SET object_repr = 'S99 forged' WHERE id = %s", [chain[5]]
        )
    found = problem(verify.CONTENT)
    assert found.entry_id == chain[5]
    with pytest.raises(CommandError, match=f"entry {chain[5]}: content changed"):
        call_command("audit", "verify")


def test_edited_json_value(chain, tamper) -> None:
    entry = AuditEntry.objects.get(pk=chain[2])
    after = {**entry.after, "name": "Kita vieta"}
    with tamper() as sql:
        sql.execute(
            "UPDATE audit_auditentry SET after = %s WHERE id = %s", [json.dumps(after), chain[2]]
        )
    assert problem(verify.CONTENT).entry_id == chain[2]


def test_a_trail_far_from_id_zero_is_read_from_its_first_entry(make_sites, django_assert_max_num_queries) -> None:
    """Ids far above zero (archived entries purged, or a sequence that skipped what rolled back)
    cost no spans with nothing to read: spans of 5 ids, not one per 5 ids from zero."""
    with connection.cursor() as cursor:  # the next entry's id: 100,001
        if connection.vendor == "postgresql":
            cursor.execute("SELECT setval(pg_get_serial_sequence('audit_auditentry', 'id'), 100000)")
        else:
            cursor.execute("DELETE FROM sqlite_sequence WHERE name = 'audit_auditentry'")
            cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES ('audit_auditentry', 100000)")
    ids = make_sites(3)
    assert ids[0] == 100_001
    with django_assert_max_num_queries(25):
        report = verify.verify_trail(chunk=5, workers=1)
    assert report.intact and report.checked == len(ids), report.problem


def test_deleted_entry(chain, tamper) -> None:
    with tamper() as sql:
        sql.execute("DELETE FROM audit_auditentry WHERE id = %s", [chain[6]])
    found = problem(verify.MISSING)  # "deleted", or "not in the trail" if it was signed
    assert found.entry_id == chain[6]


def test_deleted_head_entries(chain, tamper) -> None:
    first = AuditEntry.objects.order_by("id").first().pk
    with tamper() as sql:
        sql.execute("DELETE FROM audit_auditentry WHERE id <= %s", [first + 1])
    remaining = AuditEntry.objects.order_by("id").first().pk
    found = problem(verify.MISSING)  # the first remaining entry, or a signed one now gone
    assert first <= found.entry_id <= remaining


def test_truncated_tail_covered_by_a_checkpoint(chain, tamper) -> None:
    last_signed = AuditCheckpoint.objects.order_by("-entry_id").first().entry_id
    with tamper() as sql:
        sql.execute("DELETE FROM audit_auditentry WHERE id >= %s", [last_signed])
    found = problem(verify.MISSING)
    assert found.entry_id == last_signed and "not in the trail" in found.detail


def _make_room(sql: object, at: int) -> None:
    """Move entries at and after `at` one id up (through negative ids: no key collisions)."""
    sql.execute("UPDATE audit_auditentry SET id = -id WHERE id >= %s", [at])
    sql.execute("UPDATE audit_auditentry SET id = 1 - id WHERE id < 0")


def test_inserted_forged_entry(chain, tamper) -> None:
    signed = set(AuditCheckpoint.objects.values_list("entry_id", flat=True))
    at = next(i for i in chain[2:] if i not in signed)  # else its checkpoint speaks first
    previous = AuditEntry.objects.get(pk=at - 1)
    forged = AuditEntry(
        id=at,
        time=previous.time,
        actor_name="admin",
        source="ui",
        action="delete",
        object_repr="S3 evidence removed",
        prev_hash=previous.hash,
    )
    forged.hash = trail.entry_hash(forged)  # consistent in itself, correctly linked backwards
    with tamper() as sql:
        _make_room(sql, at)
        forged.save(force_insert=True)
    found = problem(verify.LINK)
    assert found.entry_id == at and "inserted" in found.detail


def test_swapped_entries(chain, tamper) -> None:
    a, b = chain[5], chain[6]
    with tamper() as sql:
        sql.execute("UPDATE audit_auditentry SET id = -1 WHERE id = %s", [a])
        sql.execute("UPDATE audit_auditentry SET id = %s WHERE id = %s", [a, b])
        sql.execute("UPDATE audit_auditentry SET id = %s WHERE id = -1", [b])
    found = problem(verify.MISSING)
    assert found.entry_id == a and "reordered" in found.detail


def _rehash_from(sql: object, start: int) -> None:
    """Edit entry `start` and recompute every later hash and link: internally consistent."""
    prev = AuditEntry.objects.get(pk=start).prev_hash
    for entry in AuditEntry.objects.filter(id__gte=start).order_by("id"):
        if entry.pk == start:
            entry.object_repr = "S0 rewritten history"
        entry.prev_hash = prev
        entry.hash = prev = trail.entry_hash(entry)
        sql.execute(
            "UPDATE audit_auditentry SET object_repr = %s, prev_hash = %s, hash = %s WHERE id = %s",
            [entry.object_repr, entry.prev_hash, entry.hash, entry.pk],
        )


def test_rehashed_chain_without_the_key(chain, tamper) -> None:
    with tamper() as sql:
        _rehash_from(sql, chain[1])
    found = problem(verify.MISMATCH)
    first_signed_after = (
        AuditCheckpoint.objects.filter(entry_id__gte=chain[1]).order_by("entry_id").first()
    )
    assert found.entry_id == first_signed_after.entry_id
    with pytest.raises(CommandError, match="chain re-hashed without the key"):
        call_command("audit", "verify")


def test_rehashed_chain_and_checkpoints_without_the_key(chain, tamper) -> None:
    with tamper() as sql:
        _rehash_from(sql, chain[1])
        for cp in AuditCheckpoint.objects.all():
            new_hash = AuditEntry.objects.get(pk=cp.entry_id).hash
            sql.execute(
                "UPDATE audit_auditcheckpoint SET entry_hash = %s WHERE id = %s", [new_hash, cp.pk]
            )
    assert problem(verify.SIGNATURE).entry_id >= chain[1]


def test_forged_checkpoint(chain) -> None:
    signed = set(AuditCheckpoint.objects.values_list("entry_id", flat=True))
    entry = AuditEntry.objects.filter(pk__in=chain).exclude(pk__in=signed).first()
    AuditCheckpoint.objects.create(  # inserting is allowed; a valid signature needs the key
        entry_id=entry.pk,
        entry_hash=entry.hash,
        time=entry.time,
        key_id="0" * 16,
        signature="0" * 64,
        version=2,
    )
    assert problem(verify.SIGNATURE).entry_id == entry.pk


def test_another_key_cannot_vouch_for_the_chain(chain, settings, tmp_path) -> None:
    settings.IRTIS_AUDIT_KEY_FILE = str(tmp_path / "other_key")
    assert problem(verify.SIGNATURE)


def test_checkpoint_command_signs_the_head(make_sites) -> None:
    ids = make_sites(3)
    cp = checkpoints.checkpoint_now()
    assert cp.entry_id == ids[-1] and checkpoints.valid(cp)
    assert checkpoints.checkpoint_now() is None  # already signed
    assert verify.verify_trail().unsigned_tail == 0
