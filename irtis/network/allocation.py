"""Free space in a prefix, and allocation of the next free addresses or prefixes.

Allocation is safe when several people allocate at once: the parent prefix row is locked for
the whole transaction (`SELECT … FOR UPDATE` on PostgreSQL; on SQLite every transaction takes
the write lock when it begins, so writers queue), the free space is read after the lock is
held, and the new objects are validated and saved with `save()`, so they are audited as usual.
"""

from collections.abc import Iterator
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from . import ip
from .models import IPAddress, Prefix

MAX_COUNT = 256
CHUNK = 2000


def _used_keys(prefix: Prefix) -> Iterator[str]:
    """Keys of the addresses in the prefix, ascending, read in chunks (stops when not needed)."""
    rows = prefix.addresses().order_by("address_key").values_list("address_key", flat=True)
    return rows.iterator(chunk_size=CHUNK)


def available_ips(prefix: Prefix, limit: int = 10) -> list[ip.Address]:
    """The first `limit` addresses of the prefix that no IP address of its VRF uses."""
    return list(ip.free_addresses(prefix.network, _used_keys(prefix), limit))


def available_prefixes(prefix: Prefix, length: int, limit: int = 10) -> list[ip.Network]:
    """The first `limit` blocks of `length` in the prefix that overlap no child prefix."""
    taken = [ip.parse_network(p, strict=False) for p in prefix.children().values_list("prefix", flat=True)]
    return ip.free_networks(prefix.network, length, taken, limit)


def _locked(prefix_id: int) -> Prefix:
    return Prefix.plain.select_for_update().get(pk=prefix_id)


def allocate_ips(prefix_id: int, count: int = 1, values: dict[str, Any] | None = None) -> list[IPAddress]:
    """Create the next `count` free addresses of the prefix (its VRF, its mask) with `values`."""
    if not 1 <= count <= MAX_COUNT:
        raise ValidationError(_("Allocate 1 to %(max)d addresses at a time.") % {"max": MAX_COUNT})
    with transaction.atomic():
        parent = _locked(prefix_id)
        free = available_ips(parent, count)
        if len(free) < count:
            raise ValidationError(_("%(prefix)s has only %(free)d free addresses.") % {
                "prefix": parent, "free": len(free)})
        created = []
        for address in free:
            obj = IPAddress(**(values or {}), vrf_id=parent.vrf_id, address=f"{address}/{parent.length}")
            obj.full_clean()
            obj.save()
            created.append(obj)
        return created


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
