"""Issuing, checking and revoking API tokens.

Every refusal (unknown, revoked, expired, inactive user, disallowed network) is audited as
`token_refused`. Use is audited as `token_used` at most once per token per hour: an
integration polling every few seconds would otherwise bury the trail in entries that say
nothing new, while one entry an hour still proves who used which token from where and when
(`last_used` keeps the latest time to the minute).
"""

import hashlib
import ipaddress
import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from irtis.audit.models import Action

from .models import APIToken, User

USE_RECORD_INTERVAL = timedelta(hours=1)


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


def _refuse(reason: str, token: APIToken | None, plain: str, source_ip: str | None) -> None:
    from .events import record

    prefix = token.prefix if token else plain[4:12] if plain.startswith("irt_") else ""
    after = {"reason": reason, "prefix": prefix}
    record(
        Action.TOKEN_REFUSED,
        str(token) if token else prefix,
        None,
        after,
        user=token.user if token else None,
        source_ip=source_ip,
    )


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


def check(plain: str, source_ip: str | None) -> APIToken | None:
    """The valid token for this text used from this address, or None (and the refusal audited).

    Runs before the view, outside any transaction: each audit append commits by itself.
    """
    token = APIToken.objects.select_related("user").filter(digest=digest(plain)).first()
    now = timezone.now()
    reason = _refusal(token, source_ip, now)
    if reason:
        _refuse(reason, token, plain, source_ip)
        return None
    assert token is not None  # refused as "unknown" above
    if token.last_used is None or now - token.last_used > timedelta(minutes=1):
        APIToken.objects.filter(pk=token.pk).update(last_used=now)
    _record_use(token, source_ip, now)
    return token


def _record_use(token: APIToken, source_ip: str | None, now: datetime) -> None:
    from .events import record

    if token.use_recorded and now - token.use_recorded <= USE_RECORD_INTERVAL:
        return  # recorded within the hour as loaded: no write transaction on every request
    due = Q(use_recorded__isnull=True) | Q(use_recorded__lte=now - USE_RECORD_INTERVAL)
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
