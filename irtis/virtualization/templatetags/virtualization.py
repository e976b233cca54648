"""The network and disk panel of a virtual machine's page, and the panel of an IP address on
a virtual machine's interface."""

from collections import defaultdict
from typing import Any

from django import template

from irtis.core import permissions
from irtis.network.models import IPAddress

from ..models import VirtualMachine, VMAddressAssignment

register = template.Library()


@register.simple_tag(takes_context=True)
def vm_network(context: template.Context, machine: VirtualMachine) -> dict[str, Any]:
    """The machine's interfaces with their addresses, and its disks, in three queries whatever
    it has."""
    user = context["request"].user
    interfaces = list(permissions.restrict(machine.interfaces.select_related("untagged_vlan"), user))
    addresses = defaultdict(list)
    assignments = VMAddressAssignment.objects.filter(interface__in=interfaces).select_related("ip_address__vrf")
    for assignment in assignments.order_by("ip_address__address_key"):
        addresses[assignment.interface_id].append(assignment.ip_address)
    listed = list(permissions.restrict(machine.disks.all(), user))
    return {
        "interfaces": [(interface, addresses[interface.pk]) for interface in interfaces],
        "disks": listed,
        "disks_total": sum(disk.size_gb for disk in listed),
    }


@register.simple_tag(takes_context=True)
def vm_assignment(context: template.Context, address: IPAddress) -> dict[str, Any] | None:
    """Where a virtual machine's interface holds the address, and whether it is the machine's
    primary (None: on no machine)."""
    user = context["request"].user
    found = (
        permissions.restrict(VMAddressAssignment.objects.filter(ip_address=address), user)
        .select_related("interface__virtual_machine")
        .first()
    )
    if found is None:
        return None
    machine = found.interface.virtual_machine
    return {"assignment": found, "interface": found.interface, "machine": machine,
            "primary": machine.primary_ip_id == address.pk}

