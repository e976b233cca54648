"""Hash schemes: scheme 2's text is the same built by Python and by the database, entries of
scheme 1 written before it keep verifying, and what scheme 2 covers cannot be changed unseen."""

from datetime import UTC, datetime

import pytest
from django.db import connection

from irtis.audit import canonical, trail, verify
from irtis.audit.models import AuditEntry

AWKWARD = {  # quotes, escapes, a line break, non-Latin letters, nesting, numbers, null
    "name": 'Vilniaus "Kalvarijų" postas\n2',
    "ženklas": "Ω ∑ 😀 \\ /",
    "nested": {"b": [1, 2.5, None, True], "a": {}},
    "big": 12345678901234567890,
}


def _database_text(entry_id: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {canonical.sql(connection.vendor)} FROM audit_auditentry WHERE id = %s",
            [entry_id],
        )
        return cursor.fetchone()[0]


@pytest.mark.parametrize("when", [
    datetime(2026, 12, 3, 13, 0, 0, tzinfo=UTC),  # SQLite stores it without a fraction
    datetime(2026, 12, 3, 13, 0, 0, 1, tzinfo=UTC),
    datetime(1999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
])
def test_python_and_the_database_build_the_same_text(
    empty_trail, django_capture_on_commit_callbacks, when
) -> None:
    entry = AuditEntry(
        time=when, actor_name="jonas|ona", source="api", source_ip="2001:db8::1",
        request_id="n:3", action="update", object_id=7, object_repr="5:n|x",
        before=AWKWARD, after=None,
    )
    with django_capture_on_commit_callbacks(execute=True):
        trail.append([entry])
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.scheme == canonical.SCHEME and stored.before == AWKWARD
    assert _database_text(entry.pk) == canonical.text(trail.content(stored))
    assert verify.verify_trail().intact


def test_the_length_prefixes_keep_fields_apart() -> None:
    base = {"prev": "0" * 64, "time": "2026-12-03T13:00:00.000000Z", "actor": None,
            "actor_name": "ab", "source": "ui", "ip": None, "request": "", "action": "create",
            "type": None, "object": 1, "repr": "c", "before": None, "after": None}
    moved = {**base, "actor_name": "a", "repr": "bc"}
    assert canonical.text(base) != canonical.text(moved)
    assert canonical.hash_of(base, 2) != canonical.hash_of({**base, "object": None}, 2)
    with pytest.raises(ValueError):
        canonical.hash_of(base, 9)


def _insert_scheme_1(n: int) -> list[int]:
    """Entries written as before scheme 2 (JSON decoded and hashed as a whole)."""
    ids = []
    for i in range(n):
        last = AuditEntry.objects.order_by("-id").values_list("hash", flat=True).first()
        entry = AuditEntry(
            time=datetime.now(UTC), actor_name="sena", source="cli", action="update",
            object_repr=f"senas {i}", before={"b": 1, "a": [i]}, after={"a": [i + 1]},
            prev_hash=last or trail.GENESIS, scheme=1,
        )
        entry.hash = trail.entry_hash(entry)
        entry.save(force_insert=True)
        ids.append(entry.pk)
    return ids


def test_a_trail_of_both_schemes_verifies_and_edits_of_either_are_found(
    make_sites, tamper, settings
) -> None:
    settings.IRTIS_AUDIT_CHECKPOINT_EVERY = 0
    old = _insert_scheme_1(3)
    new = make_sites(3)
    assert set(AuditEntry.objects.filter(pk__in=old).values_list("scheme", flat=True)) == {1}
    assert set(AuditEntry.objects.filter(pk__in=new).values_list("scheme", flat=True)) == {2}
    report = verify.verify_trail(chunk=2)  # chunks mixing the schemes
    assert report.intact, str(report.problem)
    assert report.checked == 6
    with tamper() as sql:
        sql.execute("UPDATE audit_auditentry SET object_repr = 'forged' WHERE id = %s", [old[1]])
    assert verify.verify_trail(chunk=2).problem.entry_id == old[1]


@pytest.mark.parametrize("change", [
    # the same JSON value in another spelling: scheme 2 covers the stored text itself
    "UPDATE audit_auditentry SET after = replace(after, ':', ': ') WHERE id = %s",
    # an entry claiming the older scheme (its hash then covers something else)
    "UPDATE audit_auditentry SET scheme = 1 WHERE id = %s",
    "UPDATE audit_auditentry SET scheme = 7 WHERE id = %s",
    "UPDATE audit_auditentry SET time = time + interval '1 microsecond' WHERE id = %s",
])
def test_what_scheme_2_covers_cannot_change_unseen(make_sites, tamper, settings, change) -> None:
    settings.IRTIS_AUDIT_CHECKPOINT_EVERY = 0
    ids = make_sites(3)
    if "interval" in change and connection.vendor != "postgresql":
        change = ("UPDATE audit_auditentry SET time = replace(time, substr(time, 18, 2), "
                  "'0' || (substr(time, 19, 1) + 1) % 10) WHERE id = %s")
    with tamper() as sql:
        sql.execute(change, [ids[1]])
    report = verify.verify_trail()
    assert report.problem is not None and report.problem.entry_id == ids[1], report.problem
    assert report.problem.kind == verify.CONTENT
