"""Retention: move old entries to a signed JSON Lines file, then (and only then) out of the table.

The file holds one JSON object per entry (its id, hash and the content the hash covers) and a
final signature line: an HMAC with the checkpoint key over the file's SHA-256 and the link to
the first entry left in the table. The table keeps a signed `ArchiveAnchor`, so `verify`
checks the remaining chain from the last archived hash instead of the genesis.
"""

import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from django.db import transaction
from django.db.models import Max

from . import canonical, checkpoints, guard, keys, records, trail
from .models import Action, ArchiveAnchor, AuditCheckpoint, AuditEntry
from .verify import FIELDS, row_hash, rows

SIGNATURE_PREFIX = b"irtis-audit-archive:v1:"


class ArchiveError(Exception):
    """The archive was not written (or a file does not check out); nothing was removed."""


@dataclass(frozen=True)
class ArchiveResult:
    entries: int
    first_id: int
    last_id: int
    path: Path
    sha256: str


def entry_line(row: tuple) -> dict:
    """One archived entry: id, hash, exactly the values the hash covers and, from scheme 2 on,
    the scheme."""
    values = dict(zip(FIELDS, row, strict=True))
    scheme = {"scheme": values["scheme"]} if values["scheme"] != 1 else {}
    return {
        **scheme,
        "id": values["id"],
        "hash": values["hash"],
        "prev": values["prev_hash"],
        "time": values["time"],
        "actor": values["actor_id"],
        "actor_name": values["actor_name"],
        "source": values["source"],
        "ip": values["source_ip"],
        "request": values["request_id"],
        "action": values["action"],
        "type": values["content_type_id"],
        "object": values["object_id"],
        "repr": values["object_repr"],
        "before": values["before"],
        "after": values["after"],
    }


def line_hash(line: dict) -> str:
    content = {k: v for k, v in line.items() if k not in {"id", "hash", "scheme"}}
    try:
        return canonical.hash_of(content, line.get("scheme", 1))
    except (ValueError, KeyError, TypeError):
        return ""


def _signature_mac(meta: dict) -> str:
    return keys.sign(SIGNATURE_PREFIX + trail.encode(meta))


def archive(before: datetime, out: Path, chunk: int = 10000) -> ArchiveResult:
    """Archive every entry up to the last one older than `before` into `out`, then remove them."""
    out = Path(out)
    if out.exists():
        raise ArchiveError(f"{out} exists; choose a new file name")
    with transaction.atomic():
        trail.lock_trail()
        _, start_prev = trail.start()
        head = AuditEntry.objects.aggregate(last=Max("id"))["last"] or 0
        # The newest entry always stays: the next append links to it.
        cutoff = AuditEntry.objects.filter(time__lt=before, id__lt=head).aggregate(last=Max("id"))[
            "last"
        ]
        if cutoff is None:
            raise ArchiveError("no entries older than the given date (the newest one always stays)")
        nxt = (
            AuditEntry.objects.filter(id__gt=cutoff)
            .order_by("id")
            .values_list("id", "prev_hash")
            .first()
        )
        assert nxt is not None  # the newest entry stays, after the cutoff
        result = _write(out, start_prev, cutoff, nxt, chunk)
        anchor = ArchiveAnchor(
            time=datetime.now(UTC),
            first_entry_id=result.first_id,
            last_entry_id=result.last_id,
            last_hash=nxt[1],
            entries=result.entries,
            file_name=out.name,
            file_sha256=result.sha256,
            key_id=keys.key_id(),
        )
        anchor.signature = keys.sign(checkpoints.anchor_message(anchor))
        anchor.save()
        records.record(
            Action.AUDIT_ARCHIVE,
            {
                "before": before.isoformat(),
                "first_id": result.first_id,
                "last_id": result.last_id,
                "entries": result.entries,
                "file": out.name,
                "sha256": result.sha256,
            },
            cli=True,
        )
        guard.purge_archived(cutoff)
    return result


def _write(
    out: Path, start_prev: str, cutoff: int, nxt: tuple[int, str], chunk: int
) -> ArchiveResult:
    """Write and fsync the file, checking the chain on the way; refuse a broken chain."""
    partial = out.with_name(out.name + ".partial")
    digest = hashlib.sha256()
    count, first_id, prev = 0, None, start_prev
    try:
        with open(partial, "xb") as handle:
            for row in rows(upto=cutoff, chunk=chunk):
                if row_hash(row) != row[1] or row[2] != prev:
                    raise ArchiveError(f"entry {row[0]} breaks the chain; run `irtis audit verify`")
                data = (
                    json.dumps(entry_line(row), ensure_ascii=False, separators=(",", ":")).encode()
                    + b"\n"
                )
                digest.update(data)
                handle.write(data)
                first_id = row[0] if first_id is None else first_id
                prev, count = row[1], count + 1
            if nxt[1] != prev:
                raise ArchiveError(f"entry {nxt[0]} does not link to entry {cutoff}; run verify")
            meta = {
                "version": 1,
                "entries": count,
                "first_id": first_id,
                "last_id": cutoff,
                "start_prev": start_prev,
                "last_hash": prev,
                "next_id": nxt[0],
                "next_prev": nxt[1],
                "content_sha256": digest.hexdigest(),
                "created": datetime.now(UTC).isoformat(),
                "key_id": keys.key_id(),
            }
            _write_signature(handle, meta)
            handle.flush()
            os.fsync(handle.fileno())
        os.rename(partial, out)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    assert first_id is not None  # the cutoff is an entry
    return ArchiveResult(count, first_id, cutoff, out, _file_sha256(out))


def _write_signature(handle: IO[bytes], meta: dict) -> None:
    line = {"signature": {**meta, "mac": _signature_mac(meta)}}
    handle.write(json.dumps(line, separators=(",", ":")).encode() + b"\n")


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class ArchiveCheck:
    entries: int
    first_id: int | None
    last_id: int | None
    problem: str | None
    anchored: bool


def verify_archive(path: Path) -> ArchiveCheck:
    """Check an archive file: every hash and link, the signature line, and signed checkpoints."""
    digest = hashlib.sha256()
    count, first_id, last_id, prev, meta, start = 0, None, None, None, None, None
    signed = _checkpoints()
    cp = next(signed, None)
    with open(path, "rb") as handle:
        for raw in handle:
            line = json.loads(raw)
            if "signature" in line:
                meta = line["signature"]
                if handle.read(1):
                    return ArchiveCheck(
                        count, first_id, last_id, "data after the signature line", False
                    )
                break
            digest.update(raw)
            if line_hash(line) != line["hash"]:
                return ArchiveCheck(
                    count, first_id, last_id, f"entry {line['id']}: content changed", False
                )
            if prev is not None and line["prev"] != prev:
                return ArchiveCheck(
                    count, first_id, last_id, f"entry {line['id']}: link broken", False
                )
            if first_id is None:
                first_id, start = line["id"], line["prev"]
            prev, last_id, count = line["hash"], line["id"], count + 1
            while cp is not None and cp.entry_id < line["id"]:
                cp = next(signed, None)
            if cp is not None and cp.entry_id == line["id"]:
                if (problem := _checkpoint_problem(cp, line)) is not None:
                    return ArchiveCheck(count, first_id, last_id, problem, False)
    if meta is not None and start is not None and meta.get("start_prev") != start:
        return ArchiveCheck(
            count, first_id, last_id, "signature line does not match the file", False
        )
    return _check_signature(path, meta, digest.hexdigest(), count, first_id, last_id, prev)


def _checkpoints() -> Iterator[AuditCheckpoint]:
    yield from AuditCheckpoint.objects.order_by("entry_id").iterator(chunk_size=2000)


def _checkpoint_problem(cp: AuditCheckpoint, line: dict) -> str | None:
    """The archived entry must still match the checkpoint signed while it was in the table."""
    if not checkpoints.valid(cp):
        return f"entry {line['id']}: checkpoint signature invalid"
    if cp.entry_hash != line["hash"]:
        return f"entry {line['id']}: checkpoint mismatch: chain re-hashed without the key"
    return None


def _check_signature(
    path: Path,
    meta: dict | None,
    sha: str,
    count: int,
    first_id: int | None,
    last_id: int | None,
    last_hash: str | None,
) -> ArchiveCheck:
    def fail(problem: str) -> ArchiveCheck:
        return ArchiveCheck(count, first_id, last_id, problem, False)

    if meta is None:
        return fail("the signature line is missing: file truncated")
    mac = meta.pop("mac", "")
    if not keys.valid(SIGNATURE_PREFIX + trail.encode(meta), mac):
        return fail("archive signature invalid (altered, or signed with another key)")
    expected = {
        "content_sha256": sha,
        "entries": count,
        "first_id": first_id,
        "last_id": last_id,
        "last_hash": last_hash,
        "next_prev": last_hash,
    }
    for name, value in expected.items():
        if meta.get(name) != value:
            return fail(f"signature line does not match the file ({name})")
    anchored = ArchiveAnchor.objects.filter(file_sha256=_file_sha256(path)).exists()
    return ArchiveCheck(count, first_id, last_id, None, anchored)
