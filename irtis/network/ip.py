"""IP arithmetic on indexed text keys that sort the same way on SQLite and PostgreSQL.

An address is stored as a *key*: the family digit and the address as 32 hexadecimal digits,
`4` + `0000…0a020001` for 10.2.0.1. Keys of one family have equal length and consist of
0-9a-f only, so text order is numeric order under any collation, and "inside 10.2.0.0/16" is
one B-tree range scan: `start >= '4…0a020000' AND end <= '4…0a02ffff'`. IPv4 and IPv6 keys
never interleave (different first digit).
"""

import heapq
import ipaddress
from collections.abc import Iterable, Iterator
from typing import cast

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Interface = ipaddress.IPv4Interface | ipaddress.IPv6Interface
Address = ipaddress.IPv4Address | ipaddress.IPv6Address
KEY_LENGTH = 33


def key(value: Address | int, family: int | None = None) -> str:
    """The sortable key of an address (or of an integer in the given family)."""
    if isinstance(value, int):
        return f"{family}{value:032x}"
    return f"{value.version}{int(value):032x}"


def from_key(text: str) -> Address:
    family, number = int(text[0]), int(text[1:], 16)
    return ipaddress.IPv4Address(number) if family == 4 else ipaddress.IPv6Address(number)


def bounds(network: Network) -> tuple[str, str]:
    """(first, last) keys of a network."""
    return key(network.network_address), key(network.broadcast_address)


def _checked(text: str) -> str:
    """`text` stripped; a zone index (`fe80::1%eth0`) is refused: it names an interface of one
    host, not an address of the network, and the same address would be stored twice."""
    text = (text or "").strip()
    if "%" in text:
        raise ValidationError(_("Write the address without a zone index (“%%%(zone)s”)."), code="invalid",
                              params={"zone": text.split("%", 1)[1].split("/")[0]})
    return text


def _unmapped(value: Network | Interface, text: str) -> Network | Interface:
    """An IPv4-mapped IPv6 address or prefix (`::ffff:10.2.0.5/128`) as the IPv4 one it is, so
    that one host is not recorded twice."""
    first = value.network_address if isinstance(value, Network) else value.ip
    mapped = getattr(first, "ipv4_mapped", None)
    if mapped is None:
        return value
    length = value.network.prefixlen if isinstance(value, Interface) else value.prefixlen
    if length < 96:
        raise ValidationError(_("“%(value)s” spans more than the IPv4-mapped addresses; write it as IPv6 "
                                "without the mapping or as IPv4."), code="invalid", params={"value": text})
    kind = ipaddress.IPv4Interface if isinstance(value, Interface) else ipaddress.IPv4Network
    return kind(f"{mapped}/{length - 96}")


def parse_network(text: str, strict: bool = True) -> Network:
    """A prefix such as `10.2.0.0/16`; with `strict`, host bits set are an error naming the fix."""
    text = _checked(text)
    if "/" not in text:
        raise ValidationError(_("Write the prefix with its length, e.g. 10.2.0.0/16."), code="invalid")
    try:
        return cast(Network, _unmapped(ipaddress.ip_network(text, strict=strict), text))
    except ValueError:
        try:
            network = ipaddress.ip_network(text, strict=False)
        except ValueError:
            raise ValidationError(
                _("“%(value)s” is not an IP prefix."), code="invalid", params={"value": text}
            ) from None
        raise ValidationError(
            _("“%(value)s” has host bits set; did you mean %(network)s?"),
            code="invalid",
            params={"value": text, "network": network},
        ) from None


def parse_interface(text: str) -> Interface:
    """An address with its mask, `10.2.0.5/16`; a bare address gets a host mask (/32, /128)."""
    text = _checked(text)
    try:
        interface = ipaddress.ip_interface(text)
    except ValueError:
        raise ValidationError(
            _("“%(value)s” is not an IP address."), code="invalid", params={"value": text}
        ) from None
    return cast(Interface, _unmapped(interface, text))


def size(network: Network) -> int:
    return network.num_addresses


def usable(network: Network) -> int:
    """Addresses a host may take: IPv4 networks above /31 lose the network and broadcast address."""
    if network.version == 4 and network.prefixlen < 31:
        return network.num_addresses - 2
    return network.num_addresses


def host_range(network: Network) -> tuple[int, int]:
    """First and last integer of the addresses a host may take in `network`."""
    first, last = int(network.network_address), int(network.broadcast_address)
    if network.version == 4 and network.prefixlen < 31:
        return first + 1, last - 1
    return first, last


def free_addresses(network: Network, used_keys: Iterable[str], limit: int,
                   blocked: Iterable[tuple[int, int]] = ()) -> Iterator[Address]:
    """The first `limit` host addresses of `network` not in `used_keys` (sorted ascending) nor
    inside a `blocked` span (first and last integer, e.g. a DHCP pool)."""
    first, last = host_range(network)
    return free_between(first, last, network.version, used_keys, blocked, limit)


def free_between(first: int, last: int, family: int, used_keys: Iterable[str],
                 blocked: Iterable[tuple[int, int]], limit: int) -> Iterator[Address]:
    """The first `limit` addresses from `first` to `last` (integers of `family`) that are neither
    in `used_keys` (ascending) nor inside a `blocked` span; a span is skipped in one step."""
    make = ipaddress.IPv4Address if family == 4 else ipaddress.IPv6Address
    taken = heapq.merge(((int(k[1:], 16),) * 2 for k in used_keys), sorted(blocked))
    found, cursor = 0, first
    for low, high in taken:
        while cursor < low and cursor <= last:
            yield make(cursor)
            found += 1
            if found >= limit:
                return
            cursor += 1
        cursor = max(cursor, high + 1)
        if cursor > last:
            return
    while cursor <= last and found < limit:
        yield make(cursor)
        found += 1
        cursor += 1


def free_networks(network: Network, length: int, taken: Iterable[Network], limit: int) -> list[Network]:
    """The first `limit` blocks of `length` inside `network` that overlap none of `taken`."""
    if length < network.prefixlen or length > network.max_prefixlen:
        return []
    block = 1 << (network.max_prefixlen - length)
    make = type(network)
    end = int(network.broadcast_address)
    cursor, result = int(network.network_address), list[Network]()
    spans = sorted((int(t.network_address), int(t.broadcast_address)) for t in taken)
    spans.append((end + 1, end + 1))  # a sentinel past the end
    for low, high in spans:
        while len(result) < limit:
            start = -(-cursor // block) * block  # aligned upwards
            if start + block - 1 >= low or start + block - 1 > end:
                break
            result.append(make((start, length)))
            cursor = start + block
        if len(result) >= limit:
            break
        cursor = max(cursor, high + 1)
    return result
