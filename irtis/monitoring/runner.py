"""Running the due checks of a zone in one batch: read them, probe them all at once (asyncio),
write what changed.

One batch is one transaction (the job's): a worker killed half way writes nothing, and the
retried batch probes again. What a batch writes does not depend on how often it is written:
a state change is written only when the state differs from the stored one, and its key (check,
time) makes a repeated write a no-op.
"""

import asyncio
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from irtis import sql
from irtis.core.secrets import SecretUnreadable

from . import credentials, locks, state
from .models import Check, CheckState, Sample, StateChange
from .probes import Result, Spec, run_all

BATCH = 20_000  # checks a batch takes at most
CONCURRENCY = 1000  # probes in flight at once (each holds a socket)


@dataclass
class Outcome:
    checked: int = 0
    changed: list[int] = field(default_factory=list)  # ids of checks whose state changed

    def as_dict(self) -> dict[str, int]:
        return {"checked": self.checked, "changed": len(self.changed)}


def spec(check: Check) -> Spec:
    snmp: dict = {}
    if check.kind == Check.Kind.SNMP:
        snmp = {"oid": check.oid, "compare": check.compare, "warning": check.warning, "critical": check.critical}
        try:
            snmp["credentials"] = credentials.read(getattr(check, "secret", None))
        except SecretUnreadable:
            snmp["no_credentials"] = "the SNMP credentials do not decrypt with this server's key: set them again"
    return Spec(
        id=check.pk, kind=check.kind, host=check.host, port=check.port, url=check.url,
        expect_status=check.expect_status, keyword=check.keyword, expect_address=check.expect_address,
        slow_ms=check.slow_ms, expiry_days=check.expiry_days, verify_tls=check.verify_tls,
        timeout=float(check.timeout), retries=check.retries, **snmp,
    )


def due(zone: str, now: datetime, limit: int = BATCH) -> list[Check]:
    """The enabled checks of the zone that are due (or never ran), oldest first."""
    return list(
        Check.objects.filter(enabled=True, zone=zone)
        .filter(Q(status__isnull=True) | Q(status__due_at__lte=now))
        .select_related("status", "secret").order_by("status__due_at")[:limit]
    )


def run_zone(zone: str, now: datetime | None = None, limit: int = BATCH) -> Outcome:
    """Probe the zone's due checks and record the results (see the module's docstring)."""
    checks = due(zone, now or timezone.now(), limit)
    if not checks:
        return Outcome()
    results = asyncio.run(run_all([spec(c) for c in checks], CONCURRENCY))
    return record(checks, results, timezone.now())


def next_due(due: datetime | None, now: datetime, interval: int) -> datetime:
    """When a check runs next: an interval after it was due, not after the batch ended (else a
    batch's own duration and the wait for the next run would stretch every interval); one that is
    late is due again at once, and one more than an interval late starts its cadence anew."""
    step = timedelta(seconds=interval)
    if due is None or due + step <= now - step:
        return now + step
    return max(due + step, now)


def record(checks: list[Check], results: dict[int, Result], now: datetime) -> Outcome:
    """Write the results of probing `checks`: their states, state changes, raw response times;
    then, if any state changed, the systems' states and incidents."""
    outcome = Outcome(checked=len(checks))
    created, updated, changes, samples = [], [], [], []
    for check in checks:
        result = results[check.pk]
        current = getattr(check, "status", None)
        if current is None:
            current = CheckState(check_obj=check, since=now)
            created.append(current)
        else:
            updated.append(current)
        if current.state != result.state:
            outcome.changed.append(check.pk)
            changes.append(StateChange(check_obj=check, at=now, state=result.state, reason=result.reason[:300]))
            current.since = now
        current.due_at = next_due(current.due_at if current.checked_at else None, now, check.interval)
        current.state, current.reason = result.state, result.reason[:300]
        current.checked_at, current.response_ms = now, result.ms
        samples.append(Sample(check_obj=check, at=now, ms=result.ms))
    CheckState.objects.bulk_create(created)
    sql.update_many(CheckState, updated, ("state", "reason", "since", "checked_at", "response_ms", "due_at"))
    StateChange.objects.bulk_create(changes, ignore_conflicts=True)
    sql.insert_many(Sample, samples)
    if outcome.changed:
        locks.incidents()
        state.react(outcome.changed, now)
    return outcome
