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
import multiprocessing
import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, cast

from django.db import connection, connections
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteWrapper
from django.db.models import Max, Min

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


@dataclass
class _Span:
    """What one stretch of entries (lo, hi] holds, checked on its own: each entry's content and
    its link to the entry before it within the stretch. The links across stretches, the
    checkpoints and the head are checked by the walk, in id order."""

    count: int = 0  # entries that passed, up to the first problem
    first: tuple[int, str] | None = None  # (id, previous hash) of the first entry
    last: tuple[int, str] | None = None  # (id, hash) of the last entry that passed
    # (id of the entry before, id, hash) of the first entry (whose previous entry the walk
    # knows) and of every entry that has a checkpoint or may need one
    marks: list[tuple[int | None, int, str]] = field(default_factory=list)
    # (kind, id, id of the entry before, stored previous hash) of the first problem
    bad: tuple[str, int, int, str] | None = None


def _postgres_span(lo: int, hi: int, intervals: tuple[int, ...]) -> list[tuple]:
    """The entries of the span (lo, hi] that the walk must look at, in id order: (id, hash,
    previous hash, scheme, whether its content gives its hash (None for scheme 1, which
    Python hashes), the id and hash of the entry before it in the span, whether a checkpoint
    is or may be due at it, its position in the span, whether it is the span's last).

    PostgreSQL builds and hashes each entry's text and compares the links itself, so only the
    entries that need a look come back: the first and the last, those where a checkpoint may
    be due, and any whose content or link is wrong.
    """
    text = f"encode(sha256(convert_to({canonical.sql('postgresql')}, 'UTF8')), 'hex') = hash"
    due = " OR ".join(f"id / {every} > prev_id / {every}" for every in intervals) or "FALSE"
    marked = f"({due} OR id IN (SELECT entry_id FROM audit_auditcheckpoint))"
    select = (
        f"SELECT id, hash, prev_hash, scheme, content, prev_id, prev_stored, {marked}, n, final FROM ("
        f"SELECT id, hash, prev_hash, scheme, CASE WHEN scheme = {canonical.SCHEME} THEN {text} END AS content, "
        "lag(id) OVER w AS prev_id, lag(hash) OVER w AS prev_stored, row_number() OVER w AS n, "
        "lead(id) OVER w IS NULL AS final "
        "FROM audit_auditentry WHERE id > %s AND id <= %s WINDOW w AS (ORDER BY id)) AS span "
        f"WHERE prev_id IS NULL OR final OR content IS NOT TRUE OR prev_hash <> prev_stored OR {marked} "
        "ORDER BY id"
    )
    with connection.cursor() as cursor:
        cursor.execute(select, [lo, hi])
        return cursor.fetchall()


def _sqlite_span(lo: int, hi: int, intervals: tuple[int, ...]) -> Iterator[tuple]:
    """The entries of the span (lo, hi] as `_postgres_span` gives them, every one: SQLite has
    no SHA-256, and its window functions cost more than doing the same here."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, hash, prev_hash, scheme, CASE WHEN scheme = {canonical.SCHEME} THEN "
            f"{canonical.sql('sqlite')} END FROM audit_auditentry WHERE id > %s AND id <= %s ORDER BY id",
            [lo, hi],
        )
        found = cursor.fetchall()
        cursor.execute("SELECT entry_id FROM audit_auditcheckpoint WHERE entry_id > %s AND entry_id <= %s", [lo, hi])
        signed = {r[0] for r in cursor.fetchall()}
    sha256, last = hashlib.sha256, len(found)
    prev_id, prev_stored, due = None, None, _LAST
    for n, (entry_id, stored, stored_prev, scheme, text) in enumerate(found, 1):
        marked = entry_id >= due or entry_id in signed
        if prev_id is None or marked:
            # the first id after this entry at which a checkpoint may be due under some interval
            due = min(((entry_id // every) + 1) * every for every in intervals) if intervals else _LAST
        content = None if text is None else sha256(text.encode()).hexdigest() == stored
        yield entry_id, stored, stored_prev, scheme, content, prev_id, prev_stored, marked, n, n == last
        prev_id, prev_stored = entry_id, stored


def _scan(lo: int, hi: int, intervals: tuple[int, ...]) -> _Span:
    """Check the entries of (lo, hi]: each one's content, and its link to the entry before it
    within the span."""
    span = _Span()
    found = list(_postgres_span(lo, hi, intervals) if connection.vendor == "postgresql"
                 else _sqlite_span(lo, hi, intervals))
    older = {}
    if any(r[3] != canonical.SCHEME for r in found):  # scheme 1: hashed from the decoded values
        wanted = {r[0] for r in found if r[3] != canonical.SCHEME}
        older = {r[0]: row_hash(r) == r[1] for r in rows(lo, hi) if r[0] in wanted}
    for entry_id, stored, stored_prev, scheme, content, prev_id, prev_stored, marked, n, final in found:
        intact = older[entry_id] if scheme != canonical.SCHEME else bool(content)
        if prev_id is None:
            span.first = (entry_id, stored_prev)
        if not intact:
            span.bad = (CONTENT, entry_id, prev_id or 0, stored_prev)
            break
        if prev_id is None:
            span.marks.append((None, entry_id, stored))
        elif stored_prev != prev_stored:
            span.bad = (LINK, entry_id, prev_id, stored_prev)
            break
        elif marked:
            span.marks.append((prev_id, entry_id, stored))
        span.count, span.last = n, (entry_id, stored)
        if final:
            break
    return span


def _scan_in_thread(*args: Any) -> _Span:
    """`_scan` on the thread's own connection, closed afterwards."""
    try:
        return _scan(*args)
    finally:
        connection.close()


_inherited: list[Any] = []


def _forget_connections() -> None:
    """Start of a forked scanning process: set aside the parent's database connections that fork
    copied, unclosed (closing or collecting them would close the parent's), so that the process
    opens its own."""
    for wrapper in connections.all(initialized_only=True):
        _inherited.append(wrapper.connection)
        wrapper.connection = None


def _pool(workers: int) -> Executor:
    """Threads on PostgreSQL, whose server processes build and hash the rows while the threads
    wait; forked processes on SQLite, whose rows are hashed in Python (threads would only take
    turns at the interpreter lock)."""
    if connection.vendor == "postgresql":
        return ThreadPoolExecutor(workers)
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                               initializer=_forget_connections)


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
    """The state of one verification walk; `run` returns the report.

    The trail is cut into spans of `chunk` ids, scanned by up to `workers` threads or
    processes at once, each on its own connection; the walk then takes the spans in id order
    and checks what joins them.
    """

    def __init__(self, chunk: int, progress: Callable[[int, int], None] | None, workers: int) -> None:
        self.chunk = max(chunk, 1)
        # Other connections don't see what an open transaction wrote, nor another process a
        # database in memory: one worker then.
        alone = connection.in_atomic_block or (
            connection.vendor == "sqlite" and cast(SQLiteWrapper, connection).is_in_memory_db())
        self.workers = 1 if alone else max(workers, 1)
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

    def _spans(self) -> Iterator[_Span]:
        """The spans of the trail in id order, scanned ahead by the worker threads."""
        ids = AuditEntry.objects.aggregate(first=Min("id"), last=Max("id"))
        last = ids["last"] or 0
        # From the span of the first entry: ids below it (archived, or never committed: a
        # sequence skips what rolled back) would be spans with nothing to read.
        first = ((ids["first"] or 1) - 1) // self.chunk * self.chunk
        bounds = [(lo, min(lo + self.chunk, last)) for lo in range(first, last, self.chunk)]
        # Where a checkpoint is or may be due: every interval in force at some time.
        intervals = {checkpoints.interval(), *AuditCheckpoint.objects.filter(version__gte=2)
                     .values_list("interval", flat=True).distinct()}
        due = tuple(sorted(i for i in intervals if i > 0))
        if self.workers == 1 or len(bounds) == 1:
            yield from (_scan(lo, hi, due) for lo, hi in bounds)
            return
        scan = _scan_in_thread if connection.vendor == "postgresql" else _scan
        with _pool(self.workers) as pool:
            futures = [pool.submit(scan, lo, hi, due) for lo, hi in bounds]
            try:
                for future in futures:
                    yield future.result()
            finally:  # a problem found: the spans not yet started are not needed
                for future in futures:
                    future.cancel()

    def _walk(self) -> Problem | None:
        start = self._start()
        if isinstance(start, Problem):
            return start
        self.prev = start
        cps = _Checkpoints(self.chunk)
        for span in self._spans():
            if problem := self._join(span, cps, start):
                return problem
            if self.progress:
                self.progress(self.report.checked, self.total)
        report = self.report
        report.last_id = self.prev[0] if report.checked else None
        if problem := cps.before(_LAST, start):
            return problem
        report.checkpoints = cps.count
        signed_up_to = cps.previous.entry_id if cps.previous else 0
        report.unsigned_tail = AuditEntry.objects.filter(id__gt=signed_up_to).count()
        return self._head(start)

    def _join(self, span: _Span, cps: "_Checkpoints", start: tuple[int, str]) -> Problem | None:
        """Check a span in its place: its first entry's link to the entry before it, the
        checkpoints of its entries, and the first problem its scan found."""
        if span.first is None:
            return None
        report, bad = self.report, span.bad
        first_prev = span.first[1]
        for before_id, entry_id, stored in span.marks:
            if bad is not None and entry_id >= bad[1]:
                break
            if problem := cps.before(entry_id, start):
                return problem
            if before_id is None:  # the first entry: its link to the span before
                prev_id, prev_hash = self.prev
                if first_prev != prev_hash and report.first_id is None:
                    return Problem(
                        entry_id,
                        MISSING,
                        f"entries before {entry_id} were deleted: the first entry does not "
                        "link to the start of the chain (genesis or archive anchor)",
                    )
                if first_prev != prev_hash:
                    return _link_problem(entry_id, prev_id, first_prev)
                before_id = prev_id
                if report.first_id is None:
                    report.first_id = entry_id
            if problem := cps.at(entry_id, stored, before_id):
                return problem
        if bad is not None:
            kind, entry_id, prev_id, stored_prev = bad
            if problem := cps.before(entry_id, start):
                return problem
            if kind == CONTENT:
                return Problem(entry_id, CONTENT, "its hash does not match its content")
            return _link_problem(entry_id, prev_id, stored_prev)
        report.checked += span.count
        assert span.last is not None
        self.prev = span.last
        return None

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


def verify_trail(
    chunk: int = 10000,
    progress: Callable[[int, int], None] | None = None,
    workers: int | None = None,
) -> Report:
    """Walk the whole trail; the report names the first problem, if any. The trail is read in
    spans of `chunk` ids, `workers` at a time; `progress(checked, total)` is called after
    every span.

    By default PostgreSQL scans two spans at once in threads (its server processes build and
    hash the rows, the threads only wait), SQLite one per processor in forked processes (its
    rows are hashed in Python)."""
    if workers is None:
        workers = 2 if connection.vendor == "postgresql" else os.cpu_count() or 1
    return _Walk(chunk, progress, workers).run()
