"""The text forms of a flow's or a firewall rule's ports and addresses, parsed and checked.

Ports: empty (every port) or a comma-separated list of ports and ranges, "443,8000-8080".
Addresses: "any", or CIDR networks separated by commas, semicolons or spaces
("10.10.100.0/24, 10.20.0.0/16"); a host without a length is one address (/32, /128).
Both raise `ValueError` with a message for the reader; model validators turn it into a
`ValidationError`.
"""

import ipaddress
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Range = tuple[int, int]
ALL_PORTS: tuple[Range, ...] = ((1, 65535),)
ANY = "any"
EVERYWHERE: tuple[Network, ...] = (ipaddress.ip_network("0.0.0.0/0"), ipaddress.ip_network("::/0"))
_SEPARATORS = re.compile(r"[,;\s]+")


def ports(text: str) -> tuple[Range, ...]:
    """The port ranges of `text`, merged and sorted; empty text is every port."""
    text = text.strip()
    if not text:
        return ALL_PORTS
    ranges = []
    for part in text.split(","):
        part = part.strip()
        low, _sep, high = part.partition("-")
        if not low.strip().isdigit() or (high and not high.strip().isdigit()) or (_sep and not high):
            raise ValueError(_("“%(part)s” is not a port or a range of ports (e.g. 443 or 8000-8080).")
                             % {"part": part})
        start, end = int(low), int(high or low)
        if not 1 <= start <= end <= 65535:
            raise ValueError(_("“%(part)s”: ports are 1–65535 and a range goes upwards.") % {"part": part})
        ranges.append((start, end))
    ranges.sort()
    merged = [ranges[0]]
    for start, end in ranges[1:]:
        if start <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return tuple(merged)


def ports_within(inner: tuple[Range, ...], outer: tuple[Range, ...]) -> bool:
    """Every port of `inner` is in `outer` (both merged and sorted, as `ports` gives them)."""
    return all(any(low <= start and end <= high for low, high in outer) for start, end in inner)


def addresses(text: str) -> tuple[Network, ...]:
    """The networks of `text`; "any" is every IPv4 and IPv6 address."""
    text = text.strip()
    if text.lower() == ANY:
        return EVERYWHERE
    if not text:
        raise ValueError(_("Give networks in CIDR form (10.10.100.0/24) or “any”."))
    found = []
    for part in _SEPARATORS.split(text):
        if not part:
            continue
        try:
            found.append(ipaddress.ip_network(part, strict=True))
        except ValueError:
            raise ValueError(_("“%(part)s” is not a network in CIDR form (e.g. 10.10.100.0/24, host bits zero) "
                               "nor “any”.") % {"part": part}) from None
    return tuple(found)


def validate_ports(text: str) -> None:
    try:
        ports(text)
    except ValueError as error:
        raise ValidationError(str(error), code="ports") from None


def validate_addresses(text: str) -> None:
    try:
        addresses(text)
    except ValueError as error:
        raise ValidationError(str(error), code="addresses") from None
