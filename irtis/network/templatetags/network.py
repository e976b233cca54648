"""The address-space panel of a prefix page: hierarchy, utilisation, free space, allocation."""

from typing import Any, cast

from django import template

from irtis.core import permissions, registry

from .. import allocation
from ..models import DevicePrimaryAddress, IPAddress, Prefix

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
    }
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
