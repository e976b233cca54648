"""An agreed proposal becomes planned objects of the inventory: a new system (lifecycle "planned")
or the changed one, its production components with their zones, and its planned end."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from irtis.core import permissions
from irtis.systems.models import Component, InformationSystem

from .models import SystemPlan
from .proposals_models import Proposal


def plan(proposal: Proposal, user: Any) -> tuple[InformationSystem, list[Component]]:
    """Create what the proposal agreed to; components already there (by name) are left alone.
    ValidationError when the proposal is not agreed or an object is invalid; PermissionDenied when
    the user may not create them."""
    if proposal.status not in (Proposal.Status.AGREED, Proposal.Status.CONDITIONS):
        raise ValidationError(_("Only an agreed proposal becomes planned objects."))
    with transaction.atomic():
        system = proposal.system
        if system is None:
            system = InformationSystem.objects.filter(code=proposal.code).first()
        if system is None:
            system = InformationSystem(code=proposal.code, name=proposal.name, category=proposal.category,
                                       owner_unit=proposal.owner_unit, lifecycle=InformationSystem.Lifecycle.PLANNED,
                                       description=_("Planned from proposal %(code)s.") % {"code": proposal.code})
            system.full_clean()
            system.save()
            permissions.ensure(user, [system], "add")
        if proposal.system_id != system.pk:
            proposal.system = system
            proposal.save()
        existing = {name.casefold() for name in Component.objects.filter(
            system=system, environment="production").values_list("name", flat=True)}
        made = []
        for item in proposal.components.select_related("zone").order_by("name"):
            if item.name.casefold() in existing:
                continue
            component = Component(system=system, environment="production", kind=item.kind, name=item.name,
                                  required_instances=item.instances, description=item.description)
            component.full_clean()
            component.save()
            if item.zone_id:
                component.zones.add(item.zone)  # type: ignore[arg-type]
            made.append(component)
        permissions.ensure(user, made, "add")
        if proposal.planned_end and not SystemPlan.objects.filter(system=system).exists():
            system_plan = SystemPlan(system=system, planned_end=proposal.planned_end)
            system_plan.full_clean()
            system_plan.save()
            permissions.ensure(user, [system_plan], "add")
    return system, made
