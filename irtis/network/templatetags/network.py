"""The address-space panel of a prefix page: hierarchy, utilisation, free space, allocation."""

from typing import Any, cast

from django import template
from django.core.paginator import Paginator

from irtis.core import permissions, registry

from .. import allocation, fhrp_keys
from ..models import DevicePrimaryAddress, FHRPGroup, FHRPGroupAssignment, IPAddress, IPRange, Prefix
from ..models.ipam import same_vrf

register = template.Library()
SHOWN = 20


@register.simple_tag(takes_context=True)
def prefix_space(context: template.Context, prefix: Prefix) -> dict[str, Any]:
    """Everything the panel shows, in a fixed number of queries whatever the prefix holds."""
    user = context["request"].user
    children = list(prefix.children().select_related("vlan")[:SHOWN + 1])
    space: dict[str, Any] = {
        "ancestors": list(prefix.ancestors()),
        "children": children[:SHOWN],
        "more_children": len(children) > SHOWN,
        "container": prefix.status == Prefix.Status.CONTAINER,
        "can_add_ip": permissions.allowed(user, cast(registry.ModelEntry, registry.entry_for(IPAddress)), "add"),
        "can_add_prefix": permissions.allowed(user, cast(registry.ModelEntry, registry.entry_for(Prefix)), "add"),
        "max_length": prefix.network.max_prefixlen,
        "next_length": _suggested_length(prefix),
        "ip_list_url": cast(registry.ModelEntry, registry.entry_for(IPAddress)).list_url + f"?parent={prefix.prefix}",
        "prefix_list_url": cast(registry.ModelEntry, registry.entry_for(Prefix)).list_url + f"?parent={prefix.prefix}",
        "range_list_url": _entry(IPRange).list_url + f"?parent={prefix.prefix}",
    }
    inside = IPRange.objects.filter(same_vrf(prefix.vrf_id), parent=prefix.prefix).select_related("vrf")
    ranges = list(permissions.restrict(inside, user)[:SHOWN + 1])
    space["ranges"], space["more_ranges"] = ranges[:SHOWN], len(ranges) > SHOWN
    if space["container"]:
        space["free_prefixes"] = allocation.available_prefixes(prefix, space["next_length"], 5)
    else:
        space["free_ips"] = allocation.available_ips(prefix, 5)
    return space


def _suggested_length(prefix: Prefix) -> int:
    """A sensible child length to offer: /24 inside IPv4 containers, /64 inside IPv6 ones."""
    usual = 24 if prefix.family == 4 else 64
    return usual if usual > prefix.length else min(prefix.length + 1, prefix.network.max_prefixlen)


@register.filter
def percent_class(value: float | None) -> str:
    """Bootstrap colour of a utilisation bar."""
    if value is None:
        return "bg-secondary"
    return "bg-danger" if value >= 90 else "bg-warning" if value >= 70 else "bg-success"


@register.simple_tag(takes_context=True)
def device_addresses(context: template.Context, device: Any) -> dict[str, Any]:
    """A device's primary IP address and its interfaces' addresses (two queries)."""
    user = context["request"].user
    primary = permissions.restrict(DevicePrimaryAddress.objects.filter(device=device), user).first()
    rows = permissions.restrict(IPAddress.objects.filter(interface__device=device), user)
    addresses = list(rows.select_related("vrf", "interface")[:SHOWN + 1])
    return {
        "primary": primary,
        "addresses": addresses[:SHOWN],
        "more": len(addresses) > SHOWN,
    }


def _entry(model: type) -> registry.ModelEntry:
    return cast(registry.ModelEntry, registry.entry_for(model))


@register.simple_tag(takes_context=True)
def range_space(context: template.Context, ip_range: IPRange) -> dict[str, Any]:
    """A range page's panel: its free addresses and a page of the addresses inside (fixed queries)."""
    request = context["request"]
    rows = permissions.restrict(ip_range.addresses().select_related("interface__device"), request.user)
    page = Paginator(rows, SHOWN).get_page(request.GET.get("addresses"))
    return {
        "page": page,
        "free": allocation.available_in_range(ip_range, 5),
        "mask": allocation.range_mask(ip_range),
        "can_add_ip": permissions.allowed(request.user, _entry(IPAddress), "add"),
    }


@register.simple_tag(takes_context=True)
def fhrp_members(context: template.Context, group: FHRPGroup) -> dict[str, Any]:
    """A group page's panel: members by priority (the first is the master) and whether a key is set."""
    user = context["request"].user
    rows = permissions.restrict(group.assignments.select_related("interface__device"), user)
    members = list(rows.order_by("-priority", "pk"))
    return {
        "members": members,
        "master": members[0] if members else None,
        "has_key": fhrp_keys.has_key(group),
        "can_change": permissions.allowed(user, _entry(FHRPGroup), "change"),
    }


@register.simple_tag(takes_context=True)
def nat_pair(context: template.Context, address: IPAddress) -> dict[str, Any]:
    """An address's NAT partners: the inside address it translates to, the outside ones translating to it."""
    user = context["request"].user
    outside = permissions.restrict(IPAddress.objects.filter(nat_inside=address).select_related("vrf"), user)
    inside = None
    if address.nat_inside_id is not None:
        rows = IPAddress.objects.filter(pk=address.nat_inside_id).select_related("vrf")
        inside = permissions.restrict(rows, user).first()
    return {"inside": inside, "outside": list(outside[:SHOWN])}


@register.simple_tag(takes_context=True)
def device_fhrp(context: template.Context, device: Any) -> list[FHRPGroupAssignment]:
    """The FHRP group memberships of a device's interfaces (one query)."""
    rows = FHRPGroupAssignment.objects.filter(interface__device=device)
    rows = permissions.restrict(rows, context["request"].user).select_related("group__virtual_address", "interface")
    return list(rows.order_by("group__group_id", "pk")[:SHOWN])
