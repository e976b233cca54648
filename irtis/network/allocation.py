"""Free space in a prefix, and allocation of the next free addresses or prefixes.

Allocation is safe when several people allocate at once: the parent prefix row is locked for
the whole transaction (`SELECT … FOR UPDATE` on PostgreSQL; on SQLite every transaction takes
the write lock when it begins, so writers queue), the free space is read after the lock is
held, and the new objects are validated and saved with `save()`, so they are audited as usual.

A prefix's free addresses skip its DHCP pools (IP ranges of role DHCP): the DHCP server hands
those out. Allocation inside a range locks every prefix of its VRF that overlaps it, then the
range, so it queues behind (and before) allocations from those prefixes.
"""

from collections.abc import Iterator
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from . import ip
from .models import IPAddress, IPRange, Prefix
from .models.ipam import same_vrf

MAX_COUNT = 256
CHUNK = 2000


def _used_keys(space: Prefix | IPRange) -> Iterator[str]:
    """Keys of the addresses in the prefix or range, ascending, read in chunks (stops when not needed)."""
    rows = space.addresses().order_by("address_key").values_list("address_key", flat=True)
    return rows.iterator(chunk_size=CHUNK)


def _dhcp_pools(prefix: Prefix) -> list[tuple[int, int]]:
    """(first, last) of the DHCP pools of the prefix's VRF that overlap it."""
    rows = IPRange.plain.filter(
        same_vrf(prefix.vrf_id), role=IPRange.Role.DHCP, start_key__lte=prefix.end_key, end_key__gte=prefix.start_key
    ).values_list("start_key", "end_key")
    return [(int(low[1:], 16), int(high[1:], 16)) for low, high in rows]


def available_ips(prefix: Prefix, limit: int = 10) -> list[ip.Address]:
    """The first `limit` addresses of the prefix that no IP address of its VRF uses, outside its DHCP pools."""
    return list(ip.free_addresses(prefix.network, _used_keys(prefix), limit, _dhcp_pools(prefix)))


def available_in_range(ip_range: IPRange, limit: int = 10) -> list[ip.Address]:
    """The first `limit` addresses of the range that no IP address of its VRF uses."""
    low, high = int(ip_range.start_key[1:], 16), int(ip_range.end_key[1:], 16)
    return list(ip.free_between(low, high, ip_range.family, _used_keys(ip_range), (), limit))


def range_mask(ip_range: IPRange) -> int:
    """The mask of addresses taken from the range: the length of the smallest prefix of its VRF
    holding the whole range, else a host mask (/32, /128)."""
    holder = (
        Prefix.plain.filter(same_vrf(ip_range.vrf_id), start_key__lte=ip_range.start_key,
                            end_key__gte=ip_range.end_key)
        .order_by("-length")
        .values_list("length", flat=True)
        .first()
    )
    return holder if holder is not None else (32 if ip_range.family == 4 else 128)


def available_prefixes(prefix: Prefix, length: int, limit: int = 10) -> list[ip.Network]:
    """The first `limit` blocks of `length` in the prefix that overlap no child prefix."""
    taken = [ip.parse_network(p, strict=False) for p in prefix.children().values_list("prefix", flat=True)]
    return ip.free_networks(prefix.network, length, taken, limit)


def _locked(prefix_id: int) -> Prefix:
    return Prefix.plain.select_for_update().get(pk=prefix_id)


def _create(addresses: list[ip.Address], vrf_id: int | None, length: int,
            values: dict[str, Any] | None) -> list[IPAddress]:
    created = []
    for address in addresses:
        obj = IPAddress(**(values or {}), vrf_id=vrf_id, address=f"{address}/{length}")
        obj.full_clean()
        obj.save()
        created.append(obj)
    return created


def _check_count(count: int) -> None:
    if not 1 <= count <= MAX_COUNT:
        raise ValidationError(_("Allocate 1 to %(max)d addresses at a time.") % {"max": MAX_COUNT})


def allocate_ips(prefix_id: int, count: int = 1, values: dict[str, Any] | None = None) -> list[IPAddress]:
    """Create the next `count` free addresses of the prefix (its VRF, its mask) with `values`."""
    _check_count(count)
    with transaction.atomic():
        parent = _locked(prefix_id)
        free = available_ips(parent, count)
        if len(free) < count:
            raise ValidationError(_("%(prefix)s has only %(free)d free addresses.") % {
                "prefix": parent, "free": len(free)})
        return _create(free, parent.vrf_id, parent.length, values)


def allocate_in_range(range_id: int, count: int = 1, values: dict[str, Any] | None = None) -> list[IPAddress]:
    """Create the next `count` free addresses of the range (its VRF, the mask of the prefix
    holding it) with `values`."""
    _check_count(count)
    with transaction.atomic():
        found = IPRange.plain.get(pk=range_id)
        # Prefixes first, in id order, as every allocation locks them: no two wait on each other.
        list(Prefix.plain.select_for_update().filter(
            same_vrf(found.vrf_id), start_key__lte=found.end_key, end_key__gte=found.start_key).order_by("pk"))
        ip_range = IPRange.plain.select_for_update().get(pk=range_id)
        free = available_in_range(ip_range, count)
        if len(free) < count:
            raise ValidationError(_("The range %(range)s has only %(free)d free addresses.") % {
                "range": ip_range, "free": len(free)})
        return _create(free, ip_range.vrf_id, range_mask(ip_range), values)


def allocate_prefix(prefix_id: int, length: int, values: dict[str, Any] | None = None) -> Prefix:
    """Create the first free child prefix of `length` inside the prefix, with `values`."""
    with transaction.atomic():
        parent = _locked(prefix_id)
        if not parent.length < length <= parent.network.max_prefixlen:
            raise ValidationError({"length": _("A child of %(prefix)s has a length from %(low)d to %(high)d.") % {
                "prefix": parent, "low": parent.length + 1, "high": parent.network.max_prefixlen}})
        free = available_prefixes(parent, length, 1)
        if not free:
            raise ValidationError(_("%(prefix)s has no free /%(length)d.") % {"prefix": parent, "length": length})
        obj = Prefix(**(values or {}), vrf_id=parent.vrf_id, prefix=str(free[0]))
        obj.full_clean()
        obj.save()
        return obj
