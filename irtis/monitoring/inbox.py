"""The alert webhook's inbox: a notification is accepted with one INSERT (committed before the
answer, so a worker killed after answering loses nothing) and applied soon after, in batches.

Accepting commits in groups (`accept`): the threads of a process that accept notifications at
once hand their rows to one of them, which INSERTs them all in one statement (committed: one
flush of the database's log for all of them) while the next arrivals gather for the next one;
each thread answers only after the commit that holds its row. Under a flood a commit then
carries what came in while the one before it was flushed, not one row each.

Whoever answers a notification works the inbox off once the answer has gone out (`work_off`,
at most one thread per process at a time; the others leave it to that one), after a pause of
`GATHER` for the notifications arriving meanwhile: under a flood a batch then holds what came
in that while (one transaction, not one per notification), and a notification is applied well
under a second after it was accepted. A batch takes up to `BATCH` waiting
notifications of every sender, oldest first (on PostgreSQL with SKIP LOCKED: several processes
take different ones), applies their alerts sorted by the monitor's own times — so Alertmanager's
thousand repeats of one firing alert become one UPDATE counting them — and deletes them, all in
one transaction. Notifications left by a worker that died between answering and applying are
taken by the next one's working off, in any process, or by the job "Apply waiting alert
notifications". One whose alerts cannot be applied keeps the error and stays for inspection.
"""

import functools
import json
import logging
import time
from collections.abc import Sequence
from itertools import groupby
from threading import Event, Lock
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from irtis.audit.context import changes_by
from irtis.audit.models import Source

from . import alerts
from .models import AlertNotification

logger = logging.getLogger(__name__)
BATCH = 1000
GATHER = 0.2  # seconds the working off waits for the notifications arriving with this one
_working = Lock()  # one thread of this process works the inbox off; the others need not wait


COLUMNS = ("source", "body", "received_at", "sender", "source_ip")


class _Row:
    """A notification to keep, and what became of it: kept, or the error that kept it out."""

    __slots__ = ("error", "lead", "ready", "values")

    def __init__(self, values: tuple[Any, ...]) -> None:
        self.values = values
        self.ready = Event()  # set once its commit is over, or when its thread is to commit next
        self.lead = False  # its thread commits what has gathered
        self.error: Exception | None = None


_gathering = Lock()  # guards the two below
_waiting: list[_Row] = []  # rows handed over, not yet taken by a committing thread
_committing = False  # a thread of this process is inserting rows now


def accept(source: str, body: str, sender_id: int, source_ip: str | None) -> None:
    """Keep a notification, already found well-formed, for `work_off`: returns once it is
    committed, in one INSERT with the notifications accepted at the same time by this process's
    other threads. Called outside any transaction (a request's), so the INSERT commits itself."""
    global _committing
    row = _Row((source, body, timezone.now(), sender_id, source_ip))
    with _gathering:
        _waiting.append(row)
        row.lead = not _committing
        _committing = True
    if not row.lead:
        row.ready.wait()  # its commit is over, or its thread is to commit next
    if row.lead:  # this thread commits what has gathered, its own row with it
        with _gathering:
            rows = _waiting[:]
            _waiting.clear()
        try:
            _insert(rows)
        except Exception as exc:  # every thread whose row it held answers with the error
            for kept in rows:
                kept.error = exc
        with _gathering:
            following = _waiting[0] if _waiting else None
            _committing = following is not None
        if following is not None:  # the rows that gathered meanwhile: their first thread commits them
            following.lead = True
            following.ready.set()
        for kept in rows:
            kept.lead = False
            kept.ready.set()
    if row.error is not None:
        raise row.error


def _insert(rows: list[_Row]) -> None:
    fields = _fields()
    values = [f.get_db_prep_save(v, connection) for row in rows for f, v in zip(fields, row.values, strict=True)]
    with connection.cursor() as cursor:
        cursor.execute(_statement(len(rows)), values)


@functools.cache
def _fields() -> tuple[Any, ...]:
    return tuple(AlertNotification._meta.get_field(name) for name in COLUMNS)


@functools.lru_cache(maxsize=64)
def _statement(count: int) -> str:
    """`INSERT` of `count` rows (`error` is left to its default, empty)."""
    quote = connection.ops.quote_name
    one = "(" + ", ".join(["%s"] * len(COLUMNS)) + ", '')"
    return (f"INSERT INTO {quote(AlertNotification._meta.db_table)} "
            f"({', '.join(quote(f.column) for f in _fields())}, {quote('error')}) VALUES " + ", ".join([one] * count))


def work_off() -> int:
    """Apply waiting notifications batch after batch until none is left; how many were applied
    (0 at once if another thread of this process is at it: it takes these too)."""
    if not _working.acquire(blocking=False):
        return 0
    try:
        time.sleep(GATHER)
        applied = done = _batch()
        while done == BATCH:
            applied += (done := _batch())
        return applied
    finally:
        _working.release()


def _batch() -> int:
    with transaction.atomic():
        batch = list(AlertNotification.objects.select_for_update(skip_locked=True).filter(error="")
                     .order_by("pk")[:BATCH])
        if not batch:
            return 0
        try:
            with transaction.atomic():
                _apply(batch)
        except Exception:  # one bad notification must not hold up the others: each alone
            logger.exception("A batch of %d alert notifications failed; applying them one by one", len(batch))
            for notification in batch:
                try:
                    with transaction.atomic():
                        _apply([notification])
                except Exception as exc:
                    logger.exception("Alert notification %s could not be applied", notification.pk)
                    AlertNotification.objects.filter(pk=notification.pk).update(error=str(exc) or repr(exc))
        applied = AlertNotification.objects.filter(pk__in=[n.pk for n in batch], error="")
        applied._raw_delete(applied.db)  # no signals or cascades to honour: no need to fetch the rows
    return len(batch)


def _apply(batch: Sequence[AlertNotification]) -> None:
    """Each sender's alerts of each source, in the order of the monitor's times, under its name."""
    senders = get_user_model().objects.in_bulk({n.sender_id for n in batch})

    def who(n: AlertNotification) -> tuple[str, int, str]:
        return n.source, n.sender_id, n.source_ip or ""

    for (source, sender_id, source_ip), group in groupby(sorted(batch, key=who), key=who):
        events = [event for n in group for event in alerts.PARSERS[source](json.loads(n.body))]
        events.sort(key=lambda event: event.at)  # stable: equal times keep their arrival order
        with changes_by(senders[sender_id], Source.API, source_ip=source_ip or None):
            alerts.receive(source, events)
