from typing import Any

from django import template

from irtis.core import permissions
from irtis.governance.models import Rule
from irtis.governance.views import system_results
from irtis.systems.models import InformationSystem

register = template.Library()


@register.simple_tag(takes_context=True)
def conformance_panel(context: template.Context, system: InformationSystem) -> dict[str, Any]:
    """The system's results of the architecture rules, for readers of the rules."""
    if not permissions.has(context["request"].user, Rule, "view"):
        return {"visible": False}
    return {"visible": True, "results": system_results(system)}
