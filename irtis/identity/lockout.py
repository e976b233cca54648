"""Throttling of sign-in: too many failures lock the account name and slow the source address.

`IRTIS_LOCKOUT_ATTEMPTS` failures for one user name within `IRTIS_LOCKOUT_WINDOW` seconds lock
that name for `IRTIS_LOCKOUT_SECONDS`; while locked, the password is not even checked. Each
attempt is counted *before* its password is checked (`reserve`), under a lock per name, so
that simultaneous attempts cannot all slip under the limit: exactly `IRTIS_LOCKOUT_ATTEMPTS`
passwords are checked. A correct password forgets the name's failures.

An address is never locked — behind a NAT or a proxy it is shared, and one person's typos must
not refuse a colleague's correct password. Past `IRTIS_LOCKOUT_ADDRESS_ATTEMPTS` failures
within the window, each further failure from the address is answered late, the delay doubling
up to `IRTIS_LOCKOUT_ADDRESS_DELAY` seconds: guessing across many names slows down, a correct
password is answered at once. Failures are rows in the database, so every worker process and
every restart sees the same count.
"""

import hashlib
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from .models import SignInFailure

sleep = time.sleep  # tests replace it to see the delay without waiting
FIRST_DELAY = 0.5  # seconds, for the first failure past the address limit


@dataclass(frozen=True)
class Limits:
    attempts: int
    address_attempts: int
    window: timedelta
    duration: timedelta
    address_delay: float


class Locked(Exception):
    """The name is locked: no password may be checked until `until`."""

    def __init__(self, until: datetime) -> None:
        super().__init__(until)
        self.until = until


def limits() -> Limits:
    return Limits(
        attempts=settings.IRTIS_LOCKOUT_ATTEMPTS,
        address_attempts=settings.IRTIS_LOCKOUT_ADDRESS_ATTEMPTS,
        window=timedelta(seconds=settings.IRTIS_LOCKOUT_WINDOW),
        duration=timedelta(seconds=settings.IRTIS_LOCKOUT_SECONDS),
        address_delay=settings.IRTIS_LOCKOUT_ADDRESS_DELAY,
    )


def _normal(username: str) -> str:
    return username.strip().casefold()[:150]


def _locked_until(times: list[datetime], rules: Limits) -> datetime | None:
    """End of the lock that these failure times (oldest first) impose, if any."""
    until = None
    for index in range(rules.attempts - 1, len(times)):
        if times[index] - times[index - rules.attempts + 1] <= rules.window:
            until = times[index] + rules.duration
    return until


def _failures(name: str, rules: Limits, now: datetime) -> list[tuple[int, datetime]]:
    rows = SignInFailure.objects.filter(username=name, time__gte=now - rules.window - rules.duration)
    return list(rows.order_by("time", "pk").values_list("pk", "time"))


def locked_until(username: str) -> datetime | None:
    """When the lock on this name ends; None if it is not locked now."""
    rules, now = limits(), timezone.now()
    end = _locked_until([t for _pk, t in _failures(_normal(username), rules, now)], rules)
    return end if end and end > now else None


def _lock_name(name: str) -> None:
    """Serialise the attempts on one name until the transaction ends. PostgreSQL: an advisory
    lock on the name's hash; SQLite: the write that follows holds the whole database."""
    if connection.vendor == "postgresql":
        key = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def reserve(username: str, source_ip: str | None) -> int:
    """Count an attempt on this name before its password is checked; the id of the failure it
    is counted as until `succeed` or `forgive`. Raises `Locked` (and counts nothing) if the
    name is locked, by earlier failures or by attempts still being checked."""
    name, rules = _normal(username), limits()
    with transaction.atomic():  # raising Locked rolls the row back
        _lock_name(name)
        now = timezone.now()
        attempt = SignInFailure.objects.create(username=name, source_ip=source_ip, time=now).pk
        earlier = [t for pk, t in _failures(name, rules, now) if pk != attempt]
        end = _locked_until(earlier, rules)
        if end and end > now:
            raise Locked(end)
        return attempt


def fail(attempt: int) -> datetime | None:
    """The attempt's password was wrong (it stays counted); the end of the lock if this very
    failure starts one, so that the lock is audited once."""
    failure = SignInFailure.objects.filter(pk=attempt).first()
    if failure is None:  # forgotten meanwhile by a correct password
        return None
    rules, now = limits(), timezone.now()
    rows = _failures(failure.username, rules, now)
    before = [t for pk, t in rows if pk < attempt]
    until = _locked_until([t for pk, t in rows if pk <= attempt], rules)
    was = _locked_until(before, rules)
    return until if until and until > now and not (was and was > now) else None


def forgive(attempt: int) -> None:
    """The password could not be checked (the directory was down): the attempt does not count."""
    SignInFailure.objects.filter(pk=attempt).delete()


def succeed(username: str) -> None:
    """A correct password forgets the name's failures (not the address's)."""
    SignInFailure.objects.filter(username=_normal(username)).delete()


def address_delay(source_ip: str | None) -> float:
    """Seconds to hold back the answer to a failure from this address: none up to the
    address's limit, then doubling from half a second up to `IRTIS_LOCKOUT_ADDRESS_DELAY`."""
    if not source_ip:
        return 0.0
    rules = limits()
    count = SignInFailure.objects.filter(
        source_ip=source_ip, time__gte=timezone.now() - rules.window
    ).count()
    excess = count - rules.address_attempts
    if excess <= 0:
        return 0.0
    return min(rules.address_delay, FIRST_DELAY * 2 ** min(excess - 1, 16))


def hold_back(source_ip: str | None) -> float:
    """Answer a failure from an address past its limit late; the seconds waited."""
    seconds = address_delay(source_ip)
    if seconds:
        sleep(seconds)
    return seconds


def purge() -> int:
    """Delete failures too old to matter; returns how many."""
    rules = limits()
    old = timezone.now() - rules.window - rules.duration
    return SignInFailure.objects.filter(time__lt=old).delete()[0]
