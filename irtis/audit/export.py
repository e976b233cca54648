"""Exporting the trail as JSON Lines: one entry per line, each with its id, hash and content."""

import json
from typing import IO

from django.core.management.base import OutputWrapper

from .models import Action, AuditEntry
from .records import record
from .trail import content


def export_jsonl(out: IO[str] | OutputWrapper, since: int = 0, chunk: int = 5000, *, cli: bool = True) -> int:
    """Write every entry with id > `since` to `out`; the export itself is recorded first."""
    last = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    record(Action.AUDIT_EXPORT, {"format": "jsonl", "since": since, "until": last}, cli=cli)
    count, after = 0, since
    while True:
        entries = list(AuditEntry.objects.filter(id__gt=after, id__lte=last).order_by("id")[:chunk])
        for entry in entries:
            line = {"id": entry.pk, "hash": entry.hash, "scheme": entry.scheme, **content(entry)}
            out.write(json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n")
        count += len(entries)
        if len(entries) < chunk:
            return count
        after = entries[-1].pk
