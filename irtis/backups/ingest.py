"""Reading what the backup tools report into `Snapshot` rows, each mapped to its policy.

- restic: `restic snapshots --json` (id, time, hostname, paths, tags; `summary` where the tool
  version writes one).
- BorgBackup: `borg list --json` with host names, then `borg info --json --last N` for the sizes
  of the newest archives.
- pgBackRest: `pgbackrest info --output=json` of the stanza (pgbackrest.py).
- PostgreSQL dumps: the manifests beside the `pg_dump -Fc` files of a directory (pgdump.py).
- Other tools (Veeam, Bacula, Oracle RMAN reports): a CSV or JSON file in the documented format
  (docs/backups.md, `FILE_COLUMNS`), read from the repository's location.

New snapshots are written in bulk, known ones are left alone, so a rerun writes nothing. A
reading is evidence the tool produced, not an edit: it is one audit entry naming the repository,
the number of snapshots written and a SHA-256 over them (id, time, status, size, policy of each),
rather than one audit entry per snapshot. The snapshots' search-index rows are written in bulk
with them (`irtis.core.search.reindex`), so the global search and the list's `q` find them.
"""

import csv
import hashlib
import io
import json
import time
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from irtis.audit import context, trail
from irtis.audit.models import Action
from irtis.core import search
from irtis.sql import insert_values_returning

from . import passwords, pgbackrest, pgdump, tools
from .models import BackupPolicy, BackupRepository, Snapshot, Status, Tool

FILE_COLUMNS = ("snapshot_id", "taken_at", "hostname", "paths", "tags", "size_bytes", "files", "status")
BORG_INFO_LAST = 50  # sizes are read for the newest archives only: `borg info` reads each archive
CHUNK = 5000


class IngestError(Exception):
    """The report could not be read; the message names the row or the problem."""


def _moment(value: Any, where: str) -> datetime:
    moment = parse_datetime(str(value)) if value not in (None, "") else None
    if moment is None:
        raise IngestError(_("%(where)s: %(value)r is not a date and time.") % {"where": where, "value": value})
    if timezone.is_naive(moment):  # borg writes the server's local time
        moment = moment.astimezone()
    return moment


def _whole(value: Any, where: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise IngestError(_("%(where)s: %(value)r is not a whole number.") % {"where": where, "value": value}) from None
    if number < 0:
        raise IngestError(_("%(where)s: %(value)r is negative.") % {"where": where, "value": value})
    return number


def restic_records(data: Any) -> Iterator[dict[str, Any]]:
    if not isinstance(data, list):
        raise IngestError(_("restic printed no list of snapshots."))
    for number, item in enumerate(data, 1):
        where = _("snapshot %(n)s") % {"n": number}
        summary = item.get("summary") or {}
        yield {
            "snapshot_id": str(item["id"]),
            "taken_at": _moment(item.get("time"), where),
            "hostname": item.get("hostname", ""),
            "paths": "\n".join(item.get("paths") or ()),
            "tags": ";".join(item.get("tags") or ()),
            "size_bytes": _whole(summary.get("total_bytes_processed"), where),
            "files": _whole(summary.get("total_files_processed"), where),
            "status": Status.SUCCESS,
        }


def borg_records(listing: Any, info: Any) -> Iterator[dict[str, Any]]:
    stats = {a["name"]: a.get("stats", {}) for a in (info or {}).get("archives", ())}
    for number, item in enumerate(listing.get("archives", ()), 1):
        where = _("archive %(n)s") % {"n": number}
        stat = stats.get(item["name"], {})
        yield {
            "snapshot_id": item["name"],
            "taken_at": _moment(item.get("time") or item.get("start"), where),
            "hostname": item.get("hostname", ""),
            "paths": "",
            "tags": "",
            "size_bytes": _whole(stat.get("original_size"), where),
            "files": _whole(stat.get("nfiles"), where),
            "status": Status.SUCCESS,
        }


def file_records(text: str) -> Iterator[dict[str, Any]]:
    """Rows of the documented export format: a JSON list of objects, or CSV with a header line."""
    stripped = text.lstrip("\ufeff").lstrip()
    if stripped.startswith("["):
        try:
            rows: Iterable[dict[str, Any]] = json.loads(stripped)
        except ValueError as error:
            raise IngestError(_("The file is not valid JSON: %(error)s") % {"error": error}) from None
    else:
        sample = stripped[:2000]
        delimiter = ";" if sample.count(";") > sample.count(",") else ","
        rows = csv.DictReader(io.StringIO(stripped), delimiter=delimiter)
    statuses = set(Status.values)
    for number, row in enumerate(rows, 1):
        where = _("row %(n)s") % {"n": number}
        if not isinstance(row, dict) or not row.get("snapshot_id"):
            raise IngestError(_("%(where)s: snapshot_id is missing.") % {"where": where})
        status = (row.get("status") or Status.SUCCESS).strip().lower()
        if status not in statuses:
            raise IngestError(_("%(where)s: status %(value)r is not one of %(allowed)s.")
                              % {"where": where, "value": status, "allowed": ", ".join(sorted(statuses))})
        yield {
            "snapshot_id": str(row["snapshot_id"])[:100],
            "taken_at": _moment(row.get("taken_at"), where),
            "hostname": str(row.get("hostname") or "")[:200],
            "paths": str(row.get("paths") or ""),
            "tags": str(row.get("tags") or "")[:500],
            "size_bytes": _whole(row.get("size_bytes"), where),
            "files": _whole(row.get("files"), where),
            "status": status,
        }


class Matcher:
    """Which policy a snapshot belongs to: the longest `match` equal to its host name or one of
    its tags, or a prefix of its id (Borg archive names such as "mdas-db-2026-12-03")."""

    def __init__(self, repository: BackupRepository) -> None:
        policies = BackupPolicy.objects.exclude(match="").filter(Q(repository=repository) | Q(repository__isnull=True))
        # Dictionary look-ups, not a scan of every rule per snapshot: 100,000 snapshots × 6,000
        # policies would be 600 million comparisons.
        self.rules = dict(policies.order_by("-pk").values_list("match", "pk"))
        self.lengths = sorted({len(match) for match in self.rules}, reverse=True)

    def __call__(self, record: dict[str, Any]) -> int | None:
        found = [(len(m), self.rules[m]) for m in (record["hostname"], *record["tags"].split(";")) if m in self.rules]
        found += [(n, self.rules[record["snapshot_id"][:n]]) for n in self.lengths
                  if len(record["snapshot_id"]) >= n and record["snapshot_id"][:n] in self.rules]
        return max(found)[1] if found else None


def read(repository: BackupRepository, deadline: float) -> Iterator[dict[str, Any]]:
    """The tool's report of the repository as records."""
    if repository.tool == Tool.FILE:
        try:
            text = Path(repository.location).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise IngestError(_("The file cannot be read: %(error)s") % {"error": error.strerror
                              if isinstance(error, OSError) else error}) from None
        return file_records(text)
    repo = passwords.repo(repository)
    if repository.tool == Tool.RESTIC:
        return restic_records(tools.json_of(repo, ["snapshots", "--json"], deadline=deadline))
    if repository.tool == Tool.BORG:
        listing = tools.json_of(repo, ["list", "--json", "--format", "{hostname}{end}", repository.location],
                                deadline=deadline)
        info = tools.json_of(repo, ["info", "--json", "--last", str(BORG_INFO_LAST), repository.location],
                             deadline=deadline) if listing.get("archives") else {}
        return borg_records(listing, info)
    if repository.tool == Tool.PGBACKREST:
        found, repository.wal_archive = pgbackrest.read(repository.location, deadline)
        return iter(found)
    if repository.tool == Tool.PGDUMP:
        try:
            return iter(list(pgdump.records(Path(repository.location), _moment)))
        except pgdump.DumpError as error:
            raise IngestError(str(error)) from None
    raise IngestError(_("Reading %(tool)s repositories is not supported yet.") % {"tool": repository.tool})


SEARCHED = ("snapshot_id", "hostname", "paths", "tags")  # Snapshot's registered `search` fields
COLUMNS = ("repository", "policy", "created", "updated", "version", *FILE_COLUMNS)


def write(repository: BackupRepository, records: list[dict[str, Any]], now: datetime) -> int:
    """Insert the snapshots and their search-index rows (two statements per chunk), as values:
    no model instance per snapshot (each cost more than its share of the database's work)."""
    if not records:
        return 0
    adapt = connection.ops.adapt_datetimefield_value
    stamp = adapt(now)
    rows = [[repository.pk, r["policy"], stamp, stamp, 1, r["snapshot_id"], adapt(r["taken_at"]), r["hostname"],
             r["paths"], r["tags"], r["size_bytes"], r["files"], r["status"]] for r in records]
    keys = insert_values_returning(Snapshot, COLUMNS, rows)
    search.index_rows(Snapshot, [(key, f"{repository.name}:{r['snapshot_id'][:12]}", [r[n] for n in SEARCHED])
                                 for key, r in zip(keys, records, strict=True)])
    return len(records)


def store(repository: BackupRepository, records: Iterable[dict[str, Any]]) -> int:
    """Write the records not yet known for this repository, audited as one reading; the number written."""
    known = set(Snapshot.objects.filter(repository=repository).values_list("snapshot_id", flat=True))
    match = Matcher(repository)
    digest = hashlib.sha256()
    batch: list[dict[str, Any]] = []
    written = 0
    now = timezone.now()
    with transaction.atomic():
        for record in records:
            if record["snapshot_id"] in known:
                continue
            known.add(record["snapshot_id"])
            record["policy"] = match(record)
            digest.update(f"{record['snapshot_id']}\0{record['taken_at'].isoformat()}\0{record['status']}\0"
                          f"{record['size_bytes']}\0{record['policy']}\n".encode())
            batch.append(record)
            if len(batch) >= CHUNK:
                written += write(repository, batch, now)
                batch = []
        written += write(repository, batch, now)
        if written:
            trail.append([context.current().entry(
                action=Action.CREATE, content_type=ContentType.objects.get_for_model(Snapshot),
                object_repr=str(repository)[:200],
                after={"repository": repository.pk, "snapshots": written, "sha256": digest.hexdigest()},
            )])
    return written


def ingest(repository: BackupRepository, seconds: float = 600) -> int:
    """Read the repository's report and store the new snapshots; IngestError or ToolError if not."""
    deadline = time.monotonic() + seconds
    try:
        return store(repository, read(repository, deadline))
    except (KeyError, TypeError, AttributeError) as error:  # a report not shaped as the tool's
        raise IngestError(_("The report has an unexpected shape: %(error)s") % {"error": error}) from None
