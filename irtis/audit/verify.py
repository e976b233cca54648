"""Checking the whole trail: every hash and link, the chained checkpoints, the signed head outside
the database, and the protecting triggers and functions.

Entries are read in id order in keyset-paginated chunks with the driver's cursor (no ORM
objects per row, no OFFSET), so memory stays flat and the same code runs on SQLite and
PostgreSQL. For a scheme-2 entry the database builds the text its hash covers and Python only
hashes it; scheme-1 entries are decoded and encoded again (`irtis.audit.canonical`). The first
problem found stops the walk and names the first broken entry.
"""

import hashlib
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.db import connection

from . import canonical, checkpoints, guard, head, keys
from .models import ArchiveAnchor, AuditCheckpoint, AuditEntry
from .trail import GENESIS

CONTENT = "content changed"
LINK = "link broken"
MISSING = "entry missing or reordered"
SIGNATURE = "checkpoint signature invalid"
MISMATCH = "checkpoint mismatch: chain re-hashed without the key"
CHECKPOINT_MISSING = "checkpoint missing"
ANCHOR = "archive anchor signature invalid"
HEAD = "signed head does not match: trail truncated or replaced"
PROTECTION = "protection changed"

# The columns read per entry, in this order; `time` comes back as the canonical text.
FIELDS = (
    "id",
    "hash",
    "prev_hash",
    "time",
    "actor_id",
    "actor_name",
    "source",
    "source_ip",
    "request_id",
    "action",
    "content_type_id",
    "object_id",
    "object_repr",
    "before",
    "after",
    "scheme",
)

_PG_SELECT = (
    "SELECT id, hash, prev_hash, "
    "to_char(time AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), actor_id, "
    "actor_name, source, host(source_ip), request_id, action, content_type_id, object_id, "
    "object_repr, before, after, scheme FROM audit_auditentry "
    "WHERE id > %s AND id <= %s ORDER BY id LIMIT %s"
)
_SQLITE_SELECT = (  # the cast: text, not the datetime Django's column-type converter makes
    f"SELECT {', '.join(FIELDS).replace('time', 'CAST(time AS TEXT)')} FROM audit_auditentry "
    "WHERE id > %s AND id <= %s ORDER BY id LIMIT %s"
)
_LAST = 2**63 - 1


@dataclass(frozen=True)
class Problem:
    entry_id: int | None
    kind: str
    detail: str

    def __str__(self) -> str:
        where = f"entry {self.entry_id}: " if self.entry_id is not None else ""
        return f"{where}{self.kind} — {self.detail}"


@dataclass
class Report:
    checked: int = 0
    checkpoints: int = 0
    seconds: float = 0.0
    first_id: int | None = None
    last_id: int | None = None
    unsigned_tail: int = 0
    problem: Problem | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return self.problem is None

    @property
    def rate(self) -> float:
        return self.checked / self.seconds if self.seconds else 0.0


def _sqlite_time(text: str) -> str:
    """'2026-12-03 13:00:00[.ffffff]' (naive UTC, as Django stores it) as the canonical text."""
    return f"{text[:10]}T{text[11:19]}.{text[20:26] or '000000'}Z"


def rows(after: int = 0, upto: int = _LAST, chunk: int = 10000) -> Iterator[tuple]:
    """Entries after..upto as tuples of FIELDS, `time` as canonical text, JSON values decoded
    (Django's PostgreSQL backend hands jsonb over as text, as SQLite does)."""
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        while True:
            cursor.execute(_PG_SELECT if postgres else _SQLITE_SELECT, [after, upto, chunk])
            batch = cursor.fetchall()
            loads, when = json.loads, (str if postgres else _sqlite_time)
            yield from (
                (*r[:3], when(r[3]), *r[4:13],
                 None if r[13] is None else loads(r[13]), None if r[14] is None else loads(r[14]),
                 r[15])
                for r in batch
            )
            if len(batch) < chunk:
                return
            after = batch[-1][0]


def row_hash(row: tuple) -> str:
    """The hash an entry read by `rows` should have under its scheme."""
    (_, _, prev, when, actor, actor_name, source, ip, request, action, ctype, obj, rep,
     before, after, scheme) = row
    try:
        return canonical.hash_of({
            "prev": prev, "time": when, "actor": actor, "actor_name": actor_name,
            "source": source, "ip": ip, "request": request, "action": action, "type": ctype,
            "object": obj, "repr": rep, "before": before, "after": after,
        }, scheme)
    except ValueError:  # an unknown scheme: no hash matches it
        return ""


def checked(chunk: int = 10000) -> Iterator[tuple[int, str, str, bool]]:
    """(id, stored hash, stored previous hash, whether the content gives the stored hash) of
    every entry, in id order."""
    select = (
        f"SELECT id, hash, prev_hash, scheme, {canonical.sql(connection.vendor)} "
        "FROM audit_auditentry WHERE id > %s ORDER BY id LIMIT %s"
    )
    sha256, after = hashlib.sha256, 0
    with connection.cursor() as cursor:
        while True:
            cursor.execute(select, [after, chunk])
            batch = cursor.fetchall()
            older = {}
            if any(r[3] != canonical.SCHEME for r in batch):
                older = {r[0]: row_hash(r) == r[1] for r in rows(after, batch[-1][0], chunk)}
            for entry_id, stored, prev, scheme, text in batch:
                if scheme == canonical.SCHEME:
                    yield entry_id, stored, prev, sha256(text.encode()).hexdigest() == stored
                else:
                    yield entry_id, stored, prev, older[entry_id]
            if len(batch) < chunk:
                return
            after = batch[-1][0]


def _checkpoints(chunk: int) -> Iterator[AuditCheckpoint]:
    last = -1
    while True:
        batch = list(AuditCheckpoint.objects.filter(entry_id__gt=last).order_by("entry_id")[:chunk])
        yield from batch
        if len(batch) < chunk:
            return
        last = batch[-1].entry_id


def _link_problem(entry_id: int, prev_id: int, stored_prev: str) -> Problem:
    """Explain why `entry_id` does not link to `prev_id`, the entry before it in the table."""
    linked = AuditEntry.objects.filter(hash=stored_prev).values_list("id", flat=True).first()
    if linked is None and entry_id - prev_id > 1:
        return Problem(
            prev_id + 1,
            MISSING,
            f"entries {prev_id + 1}..{entry_id - 1} were deleted: entry {entry_id} "
            "links to a hash no remaining entry has",
        )
    if linked is None:
        return Problem(
            prev_id,
            LINK,
            f"entry {entry_id} links to a hash no entry has: entry {prev_id} was "
            "replaced or altered and re-hashed",
        )
    if linked > entry_id:
        return Problem(
            entry_id,
            MISSING,
            f"entry {entry_id} links to entry {linked}, which comes after it: "
            "entries were reordered",
        )
    return Problem(
        linked + 1,
        LINK,
        f"entries {linked + 1}..{prev_id} are not part of the chain (entry {entry_id} "
        f"links to entry {linked}): a forged entry was inserted",
    )


class _Checkpoints:
    """The checkpoints in entry order: each signature, the chain between them, and where
    they are due. Checkpoints of archived entries are checked too (signature and chain)."""

    def __init__(self, chunk: int) -> None:
        self.pending = _checkpoints(chunk)
        self.current = next(self.pending, None)
        self.previous: AuditCheckpoint | None = None
        self.count = 0
        self.every = checkpoints.interval()
        # Where the rule "a checkpoint wherever the ids cross a multiple of the interval" holds:
        # after the first chained (v2) checkpoint; version 1 ones were written at the end of a
        # batch instead, so after the last of them; with no checkpoint at all, from the start.
        first_v2 = AuditCheckpoint.objects.filter(version__gte=2).order_by("entry_id").first()
        last_v1 = (
            AuditCheckpoint.objects.filter(version=1).order_by("-entry_id")
            .values_list("entry_id", flat=True).first()
        )
        self.due_after = first_v2.entry_id if first_v2 else (last_v1 or 0)

    def _take(self) -> Problem | None:
        cp = self.current
        assert cp is not None
        if not checkpoints.valid(cp):
            return Problem(
                cp.entry_id, SIGNATURE,
                f"checkpoint #{cp.pk} was not signed with this key ({keys.key_id()})",
            )
        expected = self.previous.signature if self.previous else ""
        if cp.version >= 2 and cp.prev_signature != expected:
            before = self.previous.entry_id if self.previous else "the start"
            return Problem(
                cp.entry_id, CHECKPOINT_MISSING,
                f"checkpoint #{cp.pk} does not follow the checkpoint at entry {before}: "
                "a checkpoint between them was deleted",
            )
        self.previous, self.count = cp, self.count + 1
        self.current = next(self.pending, None)
        return None

    def before(self, entry_id: int, start: tuple[int, str]) -> Problem | None:
        """Take the checkpoints of entries before `entry_id`: archived ones, or a problem."""
        while self.current is not None and self.current.entry_id < entry_id:
            cp = self.current
            if cp.entry_id > start[0] or (cp.entry_id == start[0] and cp.entry_hash != start[1]):
                return Problem(
                    cp.entry_id, MISSING,
                    f"checkpoint #{cp.pk} signs entry {cp.entry_id}, which is not in the trail",
                )
            if problem := self._take():
                return problem
        return None

    def at(self, entry_id: int, stored: str, prev_id: int) -> Problem | None:
        """Check the checkpoint at `entry_id`, and that there is one if it is due."""
        cp = self.current
        if cp is None or cp.entry_id != entry_id:
            # The interval in force: the one the next checkpoint signed, or today's setting.
            every = cp.interval if cp is not None and cp.version >= 2 else self.every
            if entry_id > self.due_after and checkpoints.due(prev_id, entry_id, every):
                return Problem(
                    entry_id, CHECKPOINT_MISSING,
                    f"a checkpoint is due every {every} entries and entry {entry_id} has "
                    "none: it was deleted",
                )
            return None
        if problem := self._take():
            return problem
        if stored != cp.entry_hash:
            return Problem(
                cp.entry_id, MISMATCH,
                f"entry {cp.entry_id} differs from its signed checkpoint #{cp.pk}",
            )
        return None


class _Walk:
    """The state of one verification walk; `run` returns the report."""

    def __init__(self, chunk: int, progress: Callable[[int, int], None] | None = None) -> None:
        self.chunk = chunk
        self.progress = progress
        self.total = AuditEntry.objects.count() if progress else 0
        self.report = Report()

    def run(self) -> Report:
        started = time.perf_counter()
        problem = self._walk()
        protection = guard.check()
        if protection and problem is None:
            problem = Problem(
                None, PROTECTION,
                "; ".join(protection) + f" (definitions {guard.fingerprint(guard.definitions())[:16]}): "
                "run `irtis migrate` as the owner to reinstall them, and find out who changed them",
            )
        elif protection:
            self.report.warnings += protection
        self.report.problem = problem
        self.report.seconds = time.perf_counter() - started
        return self.report

    def _start(self) -> tuple[int, str] | Problem:
        latest = None
        for anchor in ArchiveAnchor.objects.order_by("last_entry_id"):
            if not keys.valid(checkpoints.anchor_message(anchor), anchor.signature):
                return Problem(
                    anchor.last_entry_id, ANCHOR, f"archive anchor #{anchor.pk} was forged"
                )
            latest = anchor
        return (latest.last_entry_id, latest.last_hash) if latest else (0, GENESIS)

    def _walk(self) -> Problem | None:
        start = self._start()
        if isinstance(start, Problem):
            return start
        prev_id, prev_hash = start
        cps = _Checkpoints(self.chunk)
        report = self.report
        for entry_id, stored, stored_prev, intact in checked(self.chunk):
            if problem := cps.before(entry_id, start):
                return problem
            if not intact:
                return Problem(entry_id, CONTENT, "its hash does not match its content")
            if stored_prev != prev_hash and report.first_id is None:
                return Problem(
                    entry_id,
                    MISSING,
                    f"entries before {entry_id} were deleted: the first entry does not "
                    "link to the start of the chain (genesis or archive anchor)",
                )
            if stored_prev != prev_hash:
                return _link_problem(entry_id, prev_id, stored_prev)
            if problem := cps.at(entry_id, stored, prev_id):
                return problem
            if report.first_id is None:
                report.first_id = entry_id
            report.checked += 1
            if self.progress and report.checked % self.chunk == 0:
                self.progress(report.checked, self.total)
            prev_id, prev_hash = entry_id, stored
        report.last_id = prev_id if report.checked else None
        if problem := cps.before(_LAST, start):
            return problem
        report.checkpoints = cps.count
        signed_up_to = cps.previous.entry_id if cps.previous else 0
        report.unsigned_tail = AuditEntry.objects.filter(id__gt=signed_up_to).count()
        return self._head(start)

    def _head(self, start: tuple[int, str]) -> Problem | None:
        """The table must reach the head signed outside the database, with the same hash."""
        try:
            signed = head.read()
        except head.HeadError as exc:
            return Problem(None, HEAD, str(exc))
        last = self.report.last_id
        if signed is None:
            if last is None:
                return None
            return Problem(
                None, HEAD,
                f"there is no signed head ({head.path()}) although the trail has entries: it was "
                "deleted, or irtis writes it elsewhere (IRTIS_AUDIT_HEAD_FILE); "
                "`irtis audit checkpoint` writes a new one once the cause is known",
            )
        if signed.entry_id <= start[0]:
            return None  # archived since; the archive file is checked with `verify --archive`
        found = AuditEntry.objects.filter(pk=signed.entry_id).values_list("hash", flat=True).first()
        if last is None or signed.entry_id > last or found is None:
            return Problem(
                signed.entry_id, HEAD,
                f"the head signed at {signed.time} is entry {signed.entry_id}, but the trail "
                f"{'is empty' if last is None else f'ends at entry {last} without it'}: "
                "entries were deleted",
            )
        if found != signed.hash:
            return Problem(
                signed.entry_id, HEAD,
                f"entry {signed.entry_id} is not the entry signed at {signed.time}: "
                "the chain was replaced",
            )
        return None


def verify_trail(chunk: int = 10000, progress: Callable[[int, int], None] | None = None) -> Report:
    """Walk the whole trail; the report names the first problem, if any. `progress(checked, total)`
    is called after every chunk."""
    return _Walk(chunk, progress).run()
