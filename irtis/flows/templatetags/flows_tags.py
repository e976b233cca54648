"""The approval panel of a flow page and the rule-set panel of a firewall page."""

from typing import Any

from django import template

from irtis.core import permissions

from .. import actions
from ..models import Firewall, FirewallRule, Flow

register = template.Library()


@register.simple_tag(takes_context=True)
def flow_panel(context: template.Context, flow: Flow) -> dict[str, Any]:
    """Which steps the reader may approve (the actions refuse the others with the reason)."""
    user = context["request"].user
    mine = flow.requested_by_id == user.pk
    return {"owner": not mine and actions.may_approve(flow, user, actions.OWNER),
            "security": not mine and actions.may_approve(flow, user, actions.SECURITY)}


@register.simple_tag(takes_context=True)
def firewall_panel(context: template.Context, firewall: Firewall) -> dict[str, Any]:
    user = context["request"].user
    may_change = permissions.restrict(Firewall.objects.filter(pk=firewall.pk), user, "change").exists()
    return {"may_change": may_change, "may_import": may_change and permissions.has(user, FirewallRule, "import"),
            "versions": list(firewall.versions.select_related("uploaded_by")[:5]),
            "rules": firewall.rules.count()}
