"""Signed checkpoints: the head of the chain signed with the off-database key, at fixed intervals.

Re-hashing the chain after an edit keeps it internally consistent, but the signed hashes then
no longer match and cannot be re-signed without the key. A checkpoint is due at every entry
whose id crosses a multiple of IRTIS_AUDIT_CHECKPOINT_EVERY (compared with the entry before it
in the chain), so `verify` knows where one must be; and each (v2) checkpoint signs the one
before it, so deleting a checkpoint breaks the chain of checkpoints. Version 1 checkpoints
(before the chaining) are still checked, each on its own.
"""

from collections.abc import Sequence
from datetime import UTC, datetime

from django.db import transaction

from . import conf, keys
from .models import ArchiveAnchor, AuditCheckpoint, AuditEntry

VERSION = 2


def message(cp: AuditCheckpoint) -> bytes:
    stamp = cp.time.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    text = f"irtis-audit-checkpoint:v{cp.version}:{cp.entry_id}:{cp.entry_hash}:{stamp}"
    if cp.version >= 2:
        text += f":{cp.prev_signature}:{cp.interval}"
    return text.encode()


def anchor_message(anchor: ArchiveAnchor) -> bytes:
    return (
        f"irtis-audit-anchor:v1:{anchor.first_entry_id}:{anchor.last_entry_id}:{anchor.last_hash}:"
        f"{anchor.entries}:{anchor.file_sha256}"
    ).encode()


def interval() -> int:
    """Entries between checkpoints; 0 or less turns automatic checkpoints off."""
    return int(conf.get("IRTIS_AUDIT_CHECKPOINT_EVERY"))


def due(previous_id: int, entry_id: int, every: int) -> bool:
    """Is a checkpoint due at `entry_id`, the entry after `previous_id` in the chain?"""
    return every > 0 and entry_id // every > previous_id // every


def sign(entry: AuditEntry) -> AuditCheckpoint:
    """Write a checkpoint for `entry` (caller holds the trail lock or the entry is settled)."""
    latest = AuditCheckpoint.objects.order_by("-entry_id").values_list("signature", flat=True)
    cp = AuditCheckpoint(
        entry_id=entry.pk,
        entry_hash=entry.hash,
        time=datetime.now(UTC),
        key_id=keys.key_id(),
        version=VERSION,
        prev_signature=latest.first() or "",
        interval=max(interval(), 0),
    )
    cp.signature = keys.sign(message(cp))
    cp.save(force_insert=True)
    return cp


def after_append(previous_id: int, appended: Sequence[AuditEntry]) -> None:
    """Sign every appended entry at which a checkpoint is due (caller holds the trail lock)."""
    every = interval()
    for entry in appended:
        if due(previous_id, entry.pk, every):
            sign(entry)
        previous_id = entry.pk


def checkpoint_now() -> AuditCheckpoint | None:
    """Sign the current head of the chain unless it is already signed (`irtis audit checkpoint`)."""
    from . import head
    from .trail import lock_trail

    with transaction.atomic():
        lock_trail()
        latest = AuditEntry.objects.order_by("-id").only("id", "hash").first()
        if latest is None:
            return None
        head.write_on_commit(latest.pk, latest.hash)
        if AuditCheckpoint.objects.filter(entry_id=latest.pk).exists():
            return None
        return sign(latest)


def valid(cp: AuditCheckpoint) -> bool:
    return keys.valid(message(cp), cp.signature)
