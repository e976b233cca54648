"""Throttling of sign-in: too many failures lock the account name and the source address.

`IRTIS_LOCKOUT_ATTEMPTS` failures for one user name within `IRTIS_LOCKOUT_WINDOW` seconds lock
that name for `IRTIS_LOCKOUT_SECONDS`; `IRTIS_LOCKOUT_ADDRESS_ATTEMPTS` failures from one
address lock the address (higher, since colleagues may share a NAT address). Failures are rows
in the database, so every worker process and every restart sees the same count. While locked,
the password is not even checked: guessing goes no further.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from .models import SignInFailure


@dataclass(frozen=True)
class Limits:
    attempts: int
    address_attempts: int
    window: timedelta
    duration: timedelta


def limits() -> Limits:
    return Limits(
        attempts=settings.IRTIS_LOCKOUT_ATTEMPTS,
        address_attempts=settings.IRTIS_LOCKOUT_ADDRESS_ATTEMPTS,
        window=timedelta(seconds=settings.IRTIS_LOCKOUT_WINDOW),
        duration=timedelta(seconds=settings.IRTIS_LOCKOUT_SECONDS),
    )


def _normal(username: str) -> str:
    return username.strip().casefold()[:150]


def _locked_until(times: list[datetime], attempts: int, rules: Limits) -> datetime | None:
    """End of the lock that these failure times (oldest first) impose, if any."""
    until = None
    for index in range(attempts - 1, len(times)):
        if times[index] - times[index - attempts + 1] <= rules.window:
            until = times[index] + rules.duration
    return until


def locked_until(username: str, source_ip: str | None) -> datetime | None:
    """When the lock on this name or address ends; None if neither is locked now."""
    rules, now = limits(), timezone.now()
    since = now - rules.window - rules.duration
    rows = (
        SignInFailure.objects.filter(time__gte=since)
        .filter(
            Q(username=_normal(username)) | Q(source_ip=source_ip)
            if source_ip
            else Q(username=_normal(username))
        )
        .values_list("time", "username", "source_ip")
    )
    by_name = [t for t, name, _ip in rows if name == _normal(username)]
    by_address = [t for t, _name, ip in rows if source_ip and ip == source_ip]
    ends = [
        e
        for e in (
            _locked_until(by_name, rules.attempts, rules),
            _locked_until(by_address, rules.address_attempts, rules),
        )
        if e
    ]
    end = max(ends) if ends else None
    return end if end and end > now else None


def fail(username: str, source_ip: str | None) -> datetime | None:
    """Count a failure; the end of the lock if this failure starts one."""
    SignInFailure.objects.create(username=_normal(username), source_ip=source_ip)
    return locked_until(username, source_ip)


def succeed(username: str) -> None:
    """A successful sign-in forgets the name's failures (not the address's)."""
    SignInFailure.objects.filter(username=_normal(username)).delete()


def purge() -> int:
    """Delete failures too old to matter; returns how many."""
    rules = limits()
    old = timezone.now() - rules.window - rules.duration
    return SignInFailure.objects.filter(time__lt=old).delete()[0]
