from typing import Any

from django import template

from irtis.core import permissions
from irtis.directory import credentials, readings
from irtis.directory.models import DirectoryDomain, DomainController, Trust
from irtis.inventory.models import Site
from irtis.virtualization.models import VirtualMachine

register = template.Library()


@register.simple_tag
def domain_reading(domain: DirectoryDomain, user: Any) -> dict[str, Any]:
    """The domain's latest reading with what it found, and how it differs from the records."""
    found = readings.latest(domain)
    result: dict[str, Any] = {"has_password": credentials.has_password(domain), "reading": found}
    if found is not None and found.ok:
        result.update(
            controllers=list(found.controllers.all()), sites=list(found.sites.all()),
            subnets=list(found.subnets.all()), connections=list(found.connections.all()),
            trusts=[(t, Trust.Direction(t.direction).label if t.direction in Trust.Direction.values else "—",
                     Trust.Kind(t.kind).label if t.kind in Trust.Kind.values else "—") for t in found.trusts.all()],
            # the differences name recorded controllers: only for those who may view them
            differences=readings.differences(domain, found) if permissions.has(user, DomainController, "view") else [],
            may_add=permissions.has(user, DomainController, "add"),
            may_change=permissions.has(user, DomainController, "change"))
        if result["may_add"] and any(d.kind == "new_controller" for d in result["differences"]):
            result["places"] = list(permissions.restrict(Site.objects.all(), user).order_by("code"))
    return result


@register.simple_tag
def machine_controllers(machine: VirtualMachine, user: Any) -> list[DomainController]:
    """The domain controllers the virtual machine runs that the user may view."""
    return list(permissions.restrict(DomainController.objects.filter(virtual_machine=machine), user)
                .select_related("domain"))
