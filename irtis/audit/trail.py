"""Appending to the hash-chained audit trail.

Every entry's hash is SHA-256 over a canonical encoding of its content and the hash of the
entry before it (`irtis.audit.canonical`), so editing, deleting, inserting or reordering
entries breaks the chain.
Appends take a database-wide lock for the rest of the transaction, so concurrent writers queue
and never fork the chain.
"""

import json
from collections.abc import Iterable
from datetime import UTC, datetime

from django.db import connection, transaction

from irtis.sql import insert_returning

from . import canonical, checkpoints, head
from .models import ArchiveAnchor, AuditEntry

GENESIS = "0" * 64
_PG_LOCK_KEY = 0x69727469  # "irti": one advisory lock for the whole trail


def content(entry: AuditEntry) -> dict:
    """What an entry's hash covers, as plain JSON values (also the body of exports)."""
    return {
        "prev": entry.prev_hash,
        "time": entry.time.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "actor": entry.actor_id,
        "actor_name": entry.actor_name,
        "source": entry.source,
        "ip": entry.source_ip,
        "request": entry.request_id,
        "action": entry.action,
        "type": entry.content_type_id,
        "object": entry.object_id,
        "repr": entry.object_repr,
        "before": entry.before,
        "after": entry.after,
    }


def encode(values: dict) -> bytes:
    return json.dumps(values, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def entry_hash(entry: AuditEntry) -> str:
    return canonical.hash_of(content(entry), entry.scheme)


def start() -> tuple[int, str]:
    """(id, hash) the table's chain starts from: the last archived entry, or the genesis."""
    anchor = ArchiveAnchor.objects.order_by("-last_entry_id").first()
    return (anchor.last_entry_id, anchor.last_hash) if anchor else (0, GENESIS)


def lock_trail() -> None:
    """Serialise appends (and archiving) for the rest of the transaction."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_LOCK_KEY])
    # SQLite: transactions begin IMMEDIATE (settings), so this one already holds the write lock.


def append(entries: Iterable[AuditEntry]) -> list[AuditEntry]:
    """Chain and insert entries in order, inside the caller's transaction."""
    entries = list(entries)
    if not entries:
        return entries
    # No savepoint of its own: an entry that cannot be written must undo the change it records,
    # and the lock is held to the end of the caller's transaction anyway.
    with transaction.atomic(savepoint=False):
        lock_trail()
        last_id, prev = (
            AuditEntry.objects.order_by("-id").values_list("id", "hash").first() or start()
        )
        now = datetime.now(UTC)
        for entry in entries:
            entry.time = entry.time or now
            entry.scheme = canonical.SCHEME
            entry.prev_hash = prev
            entry.hash = prev = entry_hash(entry)
        if len(entries) == 1:
            entries[0].save(force_insert=True)
        else:
            insert_returning(AuditEntry, entries)  # ids: a checkpoint may be due at any of them
        checkpoints.after_append(last_id, entries)
        head.write_on_commit(entries[-1].pk, entries[-1].hash)
    return entries
