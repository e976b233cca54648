"""Verify reads spans of the trail in threads, each on its own connection, and still names the
first problem exactly as a walk in one thread does."""

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import connection

from irtis.audit import guard, verify


@contextmanager
def owner() -> Iterator[object]:
    """Raw SQL past the triggers, put back afterwards (the test's changes are committed)."""
    with connection.cursor() as cursor:
        for sql in guard.drop_sql(connection.vendor):
            cursor.execute(sql)
        yield cursor
        for sql in guard.install_sql(connection.vendor):
            cursor.execute(sql)


def both() -> tuple[verify.Report, verify.Report]:
    """The report of threads reading spans of 3 ids, and of a walk in one thread."""
    return verify.verify_trail(chunk=3, workers=2), verify.verify_trail(chunk=3, workers=1)


@pytest.mark.django_db(transaction=True)  # committed: the threads' connections see the entries
def test_threads_check_all_and_name_the_same_first_problem(make_sites, settings) -> None:
    settings.IRTIS_AUDIT_CHECKPOINT_EVERY = 4
    ids = make_sites(16)
    threaded, alone = both()
    assert threaded.intact and alone.intact, (threaded.problem, alone.problem)
    assert threaded.checked == alone.checked == len(ids)
    assert threaded.checkpoints == alone.checkpoints >= 3
    assert (threaded.first_id, threaded.last_id) == (ids[0], ids[-1])

    # A span's first entry deleted: the next span does not join; then, earlier and earlier
    # (each becomes the first problem), a span's last entry, a span's first, one inside.
    deleted = max(i for i in ids[:-3] if i % 3 == 1)
    with owner() as sql:
        sql.execute("DELETE FROM audit_auditentry WHERE id = %s", [deleted])
    threaded, alone = both()
    assert threaded.problem == alone.problem
    assert threaded.problem is not None and threaded.problem.kind == verify.MISSING
    edited = deleted
    for position in (0, 1, 2):
        edited = max(i for i in ids if i % 3 == position and i < edited)
        with owner() as sql:
            sql.execute("UPDATE audit_auditentry SET object_repr = 'forged' WHERE id = %s", [edited])
        threaded, alone = both()
        assert threaded.problem == alone.problem
        assert threaded.problem == verify.Problem(edited, verify.CONTENT, "its hash does not match its content")
