"""Checking the whole trail: every hash, every link, every signed checkpoint, in constant memory.

Entries are read in id order in keyset-paginated chunks (no OFFSET, no server cursor), so memory
stays flat and the same code runs on SQLite and PostgreSQL. The first problem found stops the
walk and names the first broken entry.
"""

import hashlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC

from . import checkpoints, guard, keys
from .models import ArchiveAnchor, AuditCheckpoint, AuditEntry
from .trail import GENESIS, encode

CONTENT = "content changed"
LINK = "link broken"
MISSING = "entry missing or reordered"
SIGNATURE = "checkpoint signature invalid"
MISMATCH = "checkpoint mismatch: chain re-hashed without the key"
ANCHOR = "archive anchor signature invalid"

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
)


@dataclass(frozen=True)
class Problem:
    entry_id: int
    kind: str
    detail: str

    def __str__(self) -> str:
        return f"entry {self.entry_id}: {self.kind} — {self.detail}"


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


def row_hash(row: tuple) -> str:
    """The hash an entry read with FIELDS should have (same bytes as trail.canonical)."""
    (
        _,
        _,
        prev,
        when,
        actor,
        actor_name,
        source,
        ip,
        request,
        action,
        ctype,
        obj,
        rep,
        before,
        after,
    ) = row
    return hashlib.sha256(
        encode(
            {
                "prev": prev,
                "time": when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
                "actor": actor,
                "actor_name": actor_name,
                "source": source,
                "ip": ip,
                "request": request,
                "action": action,
                "type": ctype,
                "object": obj,
                "repr": rep,
                "before": before,
                "after": after,
            }
        )
    ).hexdigest()


def _rows(chunk: int) -> Iterator[tuple]:
    last = -1
    while True:
        rows = list(
            AuditEntry.objects.filter(id__gt=last).order_by("id").values_list(*FIELDS)[:chunk]
        )
        yield from rows
        if len(rows) < chunk:
            return
        last = rows[-1][0]


def _checkpoints(chunk: int) -> Iterator[AuditCheckpoint]:
    last = -1
    while True:
        rows = list(AuditCheckpoint.objects.filter(entry_id__gt=last).order_by("entry_id")[:chunk])
        yield from rows
        if len(rows) < chunk:
            return
        last = rows[-1].entry_id


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


class _Walk:
    """The state of one verification walk; `run` returns the report."""

    def __init__(self, chunk: int, progress: Callable[[int, int], None] | None = None) -> None:
        self.chunk = chunk
        self.progress = progress
        self.total = AuditEntry.objects.count() if progress else 0
        self.report = Report()
        self.signed_up_to = 0

    def run(self) -> Report:
        started = time.perf_counter()
        self.report.problem = self._walk()
        self.report.seconds = time.perf_counter() - started
        if not guard.installed():
            self.report.warnings.append(
                "the append-only triggers are missing: run `irtis migrate` or reinstall them"
            )
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

    def _checkpoint(
        self, cp: AuditCheckpoint, present_hash: str | None, start: tuple[int, str]
    ) -> Problem | None:
        """Check one checkpoint against the entry it signs (None: the entry is not in the table)."""
        if not checkpoints.valid(cp):
            return Problem(
                cp.entry_id,
                SIGNATURE,
                f"checkpoint #{cp.pk} was not signed with this key ({keys.key_id()})",
            )
        self.report.checkpoints += 1
        self.signed_up_to = cp.entry_id
        if present_hash is None:
            if cp.entry_id < start[0]:
                return None  # archived: checked with `verify --archive`
            present_hash = start[1] if cp.entry_id == start[0] else None
            if present_hash is None:
                return Problem(
                    cp.entry_id,
                    MISSING,
                    f"checkpoint #{cp.pk} signs entry {cp.entry_id}, which is not in the trail",
                )
        if present_hash != cp.entry_hash:
            return Problem(
                cp.entry_id,
                MISMATCH,
                f"entry {cp.entry_id} differs from its signed checkpoint #{cp.pk}; changed "
                f"after entry {self._signed_before(cp)}",
            )
        return None

    def _signed_before(self, cp: AuditCheckpoint) -> int:
        previous = (
            AuditCheckpoint.objects.filter(entry_id__lt=cp.entry_id).order_by("-entry_id").first()
        )
        return previous.entry_id if previous else 0

    def _walk(self) -> Problem | None:
        start = self._start()
        if isinstance(start, Problem):
            return start
        prev_id, prev_hash = start
        pending = _checkpoints(self.chunk)
        cp = next(pending, None)
        report = self.report
        for row in _rows(self.chunk):
            entry_id, stored, stored_prev = row[0], row[1], row[2]
            while cp is not None and cp.entry_id < entry_id:
                if problem := self._checkpoint(cp, None, start):
                    return problem
                cp = next(pending, None)
            if row_hash(row) != stored:
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
            if cp is not None and cp.entry_id == entry_id:
                if problem := self._checkpoint(cp, stored, start):
                    return problem
                cp = next(pending, None)
            if report.first_id is None:
                report.first_id = entry_id
            report.checked += 1
            if self.progress and report.checked % self.chunk == 0:
                self.progress(report.checked, self.total)
            prev_id, prev_hash = entry_id, stored
        report.last_id = prev_id if report.checked else None
        while cp is not None:
            if problem := self._checkpoint(cp, None, start):
                return problem
            cp = next(pending, None)
        if report.last_id:
            report.unsigned_tail = AuditEntry.objects.filter(id__gt=self.signed_up_to).count()
        return None


def verify_trail(chunk: int = 10000, progress: Callable[[int, int], None] | None = None) -> Report:
    """Walk the whole trail; the report names the first problem, if any. `progress(checked, total)`
    is called after every chunk."""
    return _Walk(chunk, progress).run()
