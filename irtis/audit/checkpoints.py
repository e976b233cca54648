"""Signed checkpoints: every N entries the head of the chain is signed with the off-database key.

Re-hashing the chain after an edit keeps it internally consistent, but the signed hashes then
no longer match and cannot be re-signed without the key.
"""

from datetime import UTC, datetime

from django.db import transaction

from . import conf, keys
from .models import ArchiveAnchor, AuditCheckpoint, AuditEntry


def message(entry_id: int, entry_hash: str, time: datetime) -> bytes:
    stamp = time.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return f"irtis-audit-checkpoint:v1:{entry_id}:{entry_hash}:{stamp}".encode()


def anchor_message(anchor: ArchiveAnchor) -> bytes:
    return (
        f"irtis-audit-anchor:v1:{anchor.first_entry_id}:{anchor.last_entry_id}:{anchor.last_hash}:"
        f"{anchor.entries}:{anchor.file_sha256}"
    ).encode()


def sign(entry: AuditEntry) -> AuditCheckpoint:
    """Write a checkpoint for `entry` (caller holds the trail lock or the entry is settled)."""
    now = datetime.now(UTC)
    return AuditCheckpoint.objects.create(
        entry_id=entry.pk,
        entry_hash=entry.hash,
        time=now,
        key_id=keys.key_id(),
        signature=keys.sign(message(entry.pk, entry.hash, now)),
    )


def after_append(previous_id: int, last: AuditEntry) -> AuditCheckpoint | None:
    """Sign the new head when the ids just appended crossed a multiple of N (gaps are fine)."""
    every = int(conf.get("IRTIS_AUDIT_CHECKPOINT_EVERY"))
    if every <= 0 or last.pk // every <= previous_id // every:
        return None
    return sign(last)


def checkpoint_now() -> AuditCheckpoint | None:
    """Sign the current head of the chain unless it is already signed (`irtis audit checkpoint`)."""
    from .trail import lock_trail

    with transaction.atomic():
        lock_trail()
        head = AuditEntry.objects.order_by("-id").only("id", "hash").first()
        if head is None or AuditCheckpoint.objects.filter(entry_id=head.pk).exists():
            return None
        return sign(head)


def valid(checkpoint: AuditCheckpoint) -> bool:
    return keys.valid(
        message(checkpoint.entry_id, checkpoint.entry_hash, checkpoint.time), checkpoint.signature
    )
