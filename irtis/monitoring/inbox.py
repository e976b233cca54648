"""The alert webhook's inbox: a notification is accepted with one INSERT (committed before the
answer, so a worker killed after answering loses nothing) and applied soon after, in batches.

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

import json
import logging
import time
from collections.abc import Sequence
from itertools import groupby
from threading import Lock

from django.contrib.auth import get_user_model
from django.db import transaction

from irtis.audit.context import changes_by
from irtis.audit.models import Source

from . import alerts
from .models import AlertNotification

logger = logging.getLogger(__name__)
BATCH = 1000
GATHER = 0.05  # seconds the working off waits for the notifications arriving with this one
_working = Lock()  # one thread of this process works the inbox off; the others need not wait


def accept(source: str, body: str, sender_id: int, source_ip: str | None) -> None:
    """Keep a notification, already found well-formed, for `work_off`: one INSERT, committed."""
    AlertNotification.objects.create(source=source, body=body, sender_id=sender_id, source_ip=source_ip)


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
