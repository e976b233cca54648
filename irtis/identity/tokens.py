"""Issuing and checking API tokens."""

import hashlib
import ipaddress
import secrets
from datetime import timedelta

from django.utils import timezone

from .models import APIToken, User


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(user: User, days: int | None = None, read_only: bool = False, description: str = "",
          networks: list[str] | None = None) -> tuple[APIToken, str]:
    """Create a token; the plain text is returned here and never stored."""
    plain = "irt_" + secrets.token_urlsafe(32)
    for network in networks or []:
        ipaddress.ip_network(network, strict=False)
    token = APIToken.objects.create(
        user=user, digest=digest(plain), prefix=plain[4:12], description=description,
        expires=timezone.now() + timedelta(days=days) if days else None, read_only=read_only,
        allowed_networks=list(networks or []),
    )
    return token, plain


def check(plain: str, source_ip: str | None) -> APIToken | None:
    """The valid token for this text used from this address, or None."""
    token = APIToken.objects.select_related("user").filter(digest=digest(plain)).first()
    now = timezone.now()
    if token is None or token.revoked or (token.expires and token.expires <= now):
        return None
    if not token.user.is_active:
        return None
    if token.allowed_networks:
        try:
            address = ipaddress.ip_address(source_ip or "")
        except ValueError:
            return None
        if not any(address in ipaddress.ip_network(n, strict=False) for n in token.allowed_networks):
            return None
    if token.last_used is None or now - token.last_used > timedelta(minutes=1):
        APIToken.objects.filter(pk=token.pk).update(last_used=now)
    return token
