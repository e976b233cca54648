"""Panels of the window and change pages: impact, conflicts, approvals and the actions offered."""

from typing import Any

from django import template

from irtis.audit.models import AuditEntry
from irtis.core import permissions

from .. import risk
from ..conflicts import Conflict, conflicts
from ..middleware import SESSION_KEY
from ..models import ApprovalRule, Blackout, ChangeRequest, MaintenanceWindow, Subject

register = template.Library()
ENTRIES_SHOWN = 200


def _visible(found: list[Conflict], user: Any) -> list[Conflict]:
    """The conflicts, those with objects the reader may not view left unnamed (one query per kind)."""
    for model in (MaintenanceWindow, Blackout):
        ids = [c.other.pk for c in found if isinstance(c.other, model)]
        if ids:
            shown = set(permissions.restrict(model.objects.filter(pk__in=ids), user).values_list("pk", flat=True))
            for conflict in found:
                if isinstance(conflict.other, model) and conflict.other.pk not in shown:
                    conflict.hidden = True
    return found


def _approvals(target: MaintenanceWindow | ChangeRequest, subject: str) -> dict[str, Any]:
    return {
        "approvals": list(target.approvals.select_related("user", "role")),
        "rules": list(ApprovalRule.objects.filter(subject=subject).select_related("role")),
    }


@register.simple_tag(takes_context=True)
def window_panel(context: template.Context, window: MaintenanceWindow) -> dict[str, Any]:
    """What the window's work affects (impact analysis), its conflicts and its approvals."""
    user = context["request"].user
    found = risk.assess([window], user=user)
    return {"assessment": found, "conflicts": _visible(conflicts(window), user), **_approvals(window, Subject.WINDOW),
            "may_change": permissions.has(user, MaintenanceWindow, "change")}


@register.simple_tag(takes_context=True)
def change_panel(context: template.Context, change: ChangeRequest) -> dict[str, Any]:
    """The change's risk now, its approvals, whether the reader implements it, and the audit
    entries of its implementation (all of them for readers of the audit trail, else their own)."""
    request = context["request"]
    user = request.user
    entries = AuditEntry.objects.filter(request_id__in=change.activities.values("request_id"))
    if not permissions.has(user, AuditEntry, "view"):
        entries = entries.filter(actor=user)
    return {
        "assessment": risk.assess([change.window], user=user) if change.window else None,
        "window_conflicts": _visible(conflicts(change.window), user) if change.window else [],
        **_approvals(change, change.kind),
        "current": request.session.get(SESSION_KEY) == change.pk,
        "entries": list(entries.order_by("id")[:ENTRIES_SHOWN]),
        "may_change": permissions.has(user, ChangeRequest, "change"),
    }


@register.filter
def approved_count(approvals: list, role_id: int) -> int:
    return sum(1 for a in approvals if a.role_id == role_id and a.decision == "approve")


