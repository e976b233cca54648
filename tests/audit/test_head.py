"""The signed head is written once per commit, naming the commit's last entry, never an entry
whose savepoint was rolled back."""

import pytest
from django.db import transaction

from irtis.audit import head, verify
from irtis.audit.models import AuditEntry
from irtis.inventory.models import Site


@pytest.fixture
def writes(monkeypatch, empty_trail) -> list[int]:
    """The entry ids the head file is written with, in order."""
    written: list[int] = []
    advance = head.advance

    def recorded(entry_id: int, entry_hash: str) -> None:
        written.append(entry_id)
        advance(entry_id, entry_hash)

    monkeypatch.setattr(head, "advance", recorded)
    return written


def _site(code: str) -> int:
    Site.objects.create(code=code, name=f"Vieta {code}", kind=Site.Kind.CUSTOMS_POST)
    return AuditEntry.objects.order_by("-id").values_list("id", flat=True)[0]


def test_a_commit_of_many_entries_writes_the_head_once(writes, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        ids = [_site(f"S{i}") for i in range(3)]
    assert writes == [ids[-1]] and head.read().entry_id == ids[-1]
    assert verify.verify_trail().intact


def test_a_rolled_back_savepoint_is_never_the_head(writes, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        kept = _site("S1")
        with pytest.raises(RuntimeError), transaction.atomic():
            _site("S2")
            raise RuntimeError("the savepoint rolls back")
    assert writes == [kept] and head.read().entry_id == kept
    assert verify.verify_trail().intact


def test_after_a_rolled_back_transaction_the_next_commit_writes(writes, django_capture_on_commit_callbacks) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():  # the test's own transaction stays
        with django_capture_on_commit_callbacks(execute=False), transaction.atomic():
            _site("S1")
            _site("S2")
        raise RuntimeError("rolled back")
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        last = _site("S3")
    assert writes == [last]
