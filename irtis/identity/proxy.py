"""The client's address when irtis runs behind reverse proxies (`IRTIS_TRUSTED_PROXIES`).

Only a request whose peer is a trusted proxy may name its client in `X-Forwarded-For`; anyone
else could write any address there. The header is read from the right (each proxy appends the
address it received from): the first address that is not a trusted proxy is the client.
`ClientAddressMiddleware` puts that address into `REMOTE_ADDR`, first thing, so that the audit
trail, sign-in throttling and API tokens' network restrictions all see the same client.
"""

import ipaddress
from collections.abc import Callable
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address
PEER = "IRTIS_PEER_ADDR"  # request.META: the address that connected (the proxy, if one did)


@lru_cache(maxsize=4)
def _networks(setting: tuple[str, ...]) -> tuple[Network, ...]:
    try:
        return tuple(ipaddress.ip_network(text, strict=False) for text in setting)
    except ValueError as error:
        raise ImproperlyConfigured(f"IRTIS_TRUSTED_PROXIES: {error}") from None


def _address(text: str) -> Address | None:
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    mapped = getattr(address, "ipv4_mapped", None)  # ::ffff:10.0.0.1 is 10.0.0.1
    return mapped or address


def _trusted(address: Address, networks: tuple[Network, ...]) -> bool:
    return any(address.version == n.version and address in n for n in networks)


def client_address(peer: str | None, forwarded_for: str | None) -> str | None:
    """The client of a request that came from `peer` with this `X-Forwarded-For` header."""
    return _client(peer, forwarded_for, tuple(settings.IRTIS_TRUSTED_PROXIES))


@lru_cache(maxsize=1024)
def _client(peer: str | None, forwarded_for: str | None, trusted: tuple[str, ...]) -> str | None:
    """`client_address`, worked out once for each peer, header and setting: a server hears from
    few addresses (its proxies, its clients), and parsing them was a tenth of a middleware chain."""
    networks = _networks(trusted)
    nearest = _address(peer or "")
    if nearest is None:
        return peer or None
    if not forwarded_for or not _trusted(nearest, networks):
        return str(nearest)
    for hop in reversed(forwarded_for.split(",")):
        address = _address(hop)
        if address is None:  # garbage from a trusted proxy's own client: stop at that proxy
            break
        nearest = address
        if not _trusted(address, networks):
            break
    return str(nearest)


class ClientAddressMiddleware:
    """Make `REMOTE_ADDR` the client's address; the peer's stays in `IRTIS_PEER_ADDR`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        peer = request.META.get("REMOTE_ADDR")
        request.META[PEER] = peer
        request.META["REMOTE_ADDR"] = client_address(peer, request.META.get("HTTP_X_FORWARDED_FOR"))
        return self.get_response(request)
