"""Issuing, checking and revoking API tokens.

Refusals (unknown, revoked, expired, inactive user, disallowed network) are audited as
`token_refused` once per source, reason and interval, and counted in `TokenRefusal`; a source
refused too often is answered 429 until the interval ends. Use is audited as `token_used` at
most once per token per hour: an integration polling every few seconds would otherwise bury
the trail in entries that say nothing new, while one entry an hour still proves who used which
token from where and when (`last_used` keeps the latest time to the minute).
"""

import functools
import hashlib
import ipaddress
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, Sum
from django.utils import timezone

from irtis.audit.models import Action
from irtis.core.compiled import Compiled

from .models import APIToken, TokenRefusal, User

USE_RECORD_INTERVAL = timedelta(hours=1)
REFUSALS_KEPT = timedelta(days=30)  # the numbers of refusals per interval, for investigations


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _describe(token: APIToken) -> dict[str, object]:
    return {
        "prefix": token.prefix,
        "user": token.user.get_username(),
        "description": token.description,
        "expires": token.expires.isoformat() if token.expires else None,
        "read_only": token.read_only,
        "allowed_networks": token.allowed_networks,
    }


def issue(
    user: User,
    days: int | None = None,
    read_only: bool = False,
    description: str = "",
    networks: list[str] | None = None,
) -> tuple[APIToken, str]:
    """Create a token; the plain text is returned here and never stored."""
    from .events import record

    plain = "irt_" + secrets.token_urlsafe(32)
    networks = [
        str(ipaddress.ip_network(n.strip(), strict=False)) for n in networks or [] if n.strip()
    ]
    with transaction.atomic():
        token = APIToken.objects.create(
            user=user,
            digest=digest(plain),
            prefix=plain[4:12],
            description=description,
            expires=timezone.now() + timedelta(days=days) if days else None,
            read_only=read_only,
            allowed_networks=networks,
        )
        record(Action.TOKEN_CREATED, str(token), None, _describe(token))
    return token, plain


def revoke(token: APIToken) -> bool:
    """Revoke a token; False if it already was."""
    from .events import record

    with transaction.atomic():
        if not APIToken.objects.filter(pk=token.pk, revoked__isnull=True).update(
            revoked=timezone.now()
        ):
            return False
        token.refresh_from_db()
        record(
            Action.TOKEN_REVOKED,
            str(token),
            {"revoked": None},
            {"revoked": token.revoked.isoformat() if token.revoked else None},
        )
    return True


class RateLimited(Exception):
    """The source has had too many refusals in this interval: answer 429 (valid tokens pass)."""

    def __init__(self, seconds: int) -> None:
        super().__init__(seconds)
        self.seconds = seconds


def _interval(now: datetime) -> tuple[datetime, int]:
    """The start of the refusal interval `now` falls in, and the seconds left in it."""
    length = settings.IRTIS_TOKEN_REFUSAL_INTERVAL
    elapsed = int(now.timestamp()) % length
    return (now - timedelta(seconds=elapsed, microseconds=now.microsecond)), length - elapsed


def _refuse(
    reason: str, token: APIToken | None, source_ip: str | None, now: datetime
) -> None:
    """Count a refusal. The trail gets the first refusal of each source, reason and token in an
    interval, and the moment the source reaches `IRTIS_TOKEN_REFUSAL_LIMIT` refusals; after
    that, until the interval ends, refusals from it are answered 429 (`RateLimited`) and
    unwritten: a flood of garbage tokens cannot fill the trail or the database."""
    from .events import record

    start, left = _interval(now)
    source = source_ip or ""
    in_interval = TokenRefusal.objects.filter(source_ip=source, start=start)
    limit = settings.IRTIS_TOKEN_REFUSAL_LIMIT
    total = in_interval.aggregate(total=Sum("count"))["total"] or 0
    if total >= limit:
        raise RateLimited(left)
    prefix = token.prefix if token else ""
    with transaction.atomic():
        row, created = TokenRefusal.objects.get_or_create(
            source_ip=source, reason=reason, prefix=prefix, start=start
        )
        TokenRefusal.objects.filter(pk=row.pk).update(count=F("count") + 1)
        described = {"reason": reason, "prefix": prefix, "interval_start": start.isoformat()}
        user = token.user if token else None
        if created:
            record(Action.TOKEN_REFUSED, str(token) if token else "", None, described,
                   user=user, source_ip=source_ip)
            TokenRefusal.objects.filter(start__lt=now - REFUSALS_KEPT).delete()
        if total + 1 == limit:
            record(Action.TOKEN_REFUSED, str(token) if token else "", None,
                   {**described, "rate_limited": limit}, user=user, source_ip=source_ip)


def _refusal(token: APIToken | None, source_ip: str | None, now: datetime) -> str | None:
    if token is None:
        return "unknown"
    if token.revoked:
        return "revoked"
    if token.expires and token.expires <= now:
        return "expired"
    if not token.user.is_active:
        return "inactive user"
    if token.allowed_networks:
        try:
            address = ipaddress.ip_address(source_ip or "")
        except ValueError:
            return "network"
        if not any(
            address in ipaddress.ip_network(n, strict=False) for n in token.allowed_networks
        ):
            return "network"
    return None


@functools.cache
def _lookup() -> Compiled:
    """The token by its digest, with its user: the query of every API request, compiled once.
    It still runs on every request: a revoked token is refused at once."""
    return Compiled(APIToken.objects.select_related("user").filter(digest="")[:1])  # digest unique: no order


def check(plain: str, source_ip: str | None) -> APIToken | None:
    """The valid token for this text used from this address, or None (and the refusal counted);
    `RateLimited` once the address has had too many refusals in the interval.

    Runs before the view, outside any transaction: each audit append commits by itself.
    """
    return admit(find(plain), source_ip)


def find(plain: str) -> APIToken | None:
    """The token (with its user) whose text this is, valid or not; one query."""
    return _lookup().first(digest(plain))


def admit(token: APIToken | None, source_ip: str | None) -> APIToken | None:
    """`check` of a token already read by `find` (perhaps a moment ago: a machine sender's token
    kept in memory, see `irtis.monitoring.webhook`): refused as `check` refuses, use recorded."""
    now = timezone.now()
    reason = _refusal(token, source_ip, now)
    if reason:
        _refuse(reason, token, source_ip, now)
        return None
    assert token is not None  # refused as "unknown" above
    if token.last_used is None or now - token.last_used > timedelta(minutes=1):
        APIToken.objects.filter(pk=token.pk).update(last_used=now)
        token.last_used = now
    _record_use(token, source_ip, now)
    return token


def _record_use(token: APIToken, source_ip: str | None, now: datetime) -> None:
    from .events import record

    if token.use_recorded and now - token.use_recorded <= USE_RECORD_INTERVAL:
        return  # recorded within the hour as loaded: no write transaction on every request
    due = Q(use_recorded__isnull=True) | Q(use_recorded__lte=now - USE_RECORD_INTERVAL)
    token.use_recorded = now  # by this request or a simultaneous one
    with transaction.atomic():
        # The conditional update lets exactly one of several simultaneous requests record.
        if APIToken.objects.filter(due, pk=token.pk).update(use_recorded=now):
            record(
                Action.TOKEN_USED,
                str(token),
                None,
                {"prefix": token.prefix},
                user=token.user,
                source_ip=source_ip,
            )
