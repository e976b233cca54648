"""Decisions on flows and reviews of firewalls, and who may make them.

    approve(flow, user, step)   step "owner": the flow's owner or a responsible person of its
                                information system; step "security": a security officer
    reject(flow, user)          either of them
    review(firewall, user)      whoever may change the firewall: its rules were reviewed today

The requester of a flow approves neither step, and one person approves only one step: the two
approvals are two people's. Superusers count as either approver. Each write is a saved object
(the audit trail records it), made on the row locked for the rest of the transaction, so two
decisions at once are applied in turn. Refusals are `ActionRefused` with the reason, or
`PermissionDenied`.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from irtis.core import permissions

from .models import Firewall, Flow, FlowStatus

OWNER, SECURITY = "owner", "security"
SECURITY_OFFICER = "security_officer"  # the role's code (irtis.identity.roles)


class ActionRefused(Exception):
    """The decision cannot be made; the message says why."""


def _locked(flow: Flow, user: Any) -> Flow:
    if not permissions.restrict(Flow.objects.filter(pk=flow.pk), user, "view").exists():
        raise PermissionDenied
    return Flow.objects.select_for_update().get(pk=flow.pk)


def may_approve(flow: Flow, user: Any, step: str) -> bool:
    """Whether `user` is one who approves `step` of `flow` (before the other rules)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    if step == OWNER:
        return flow.owner_id == user.pk or (
            flow.system is not None and flow.system.responsible.filter(pk=user.pk).exists())
    return user.groups.filter(name=SECURITY_OFFICER).exists()


def approve(flow: Flow, user: Any, step: str) -> Flow:
    if step not in (OWNER, SECURITY):
        raise ActionRefused(_("Unknown approval step “%(step)s”.") % {"step": step})
    with transaction.atomic():
        flow = _locked(flow, user)
        if flow.status != FlowStatus.REQUESTED:
            raise ActionRefused(_("Only a requested flow is approved; this one is %(status)s.")
                                % {"status": flow.get_status_display()})
        if flow.requested_by_id == user.pk:
            raise ActionRefused(_("You requested this flow: someone else must approve it."))
        if not may_approve(flow, user, step):
            raise ActionRefused(
                _("Only the flow's owner or a person responsible for its information system approves for the owner.")
                if step == OWNER else _("Only a security officer approves for security."))
        other = flow.security_approved_by_id if step == OWNER else flow.owner_approved_by_id
        if other == user.pk:
            raise ActionRefused(_("You approved the other step: the two approvals must be two people's."))
        if (flow.owner_approved_by_id if step == OWNER else flow.security_approved_by_id) is not None:
            raise ActionRefused(_("This step is already approved."))
        now = timezone.now()
        if step == OWNER:
            flow.owner_approved_by, flow.owner_approved_at = user, now
        else:
            flow.security_approved_by, flow.security_approved_at = user, now
        if flow.owner_approved_by_id and flow.security_approved_by_id:
            flow.status = FlowStatus.APPROVED
        flow.save()
    return flow


def reject(flow: Flow, user: Any) -> Flow:
    with transaction.atomic():
        flow = _locked(flow, user)
        if flow.status != FlowStatus.REQUESTED:
            raise ActionRefused(_("Only a requested flow is rejected; this one is %(status)s.")
                                % {"status": flow.get_status_display()})
        if not (may_approve(flow, user, OWNER) or may_approve(flow, user, SECURITY)):
            raise ActionRefused(_("Only the flow's owner or a security officer rejects it."))
        flow.status = FlowStatus.REJECTED
        flow.save()
    return flow


def review(firewall: Firewall, user: Any) -> Firewall:
    """Record that `user` reviewed the firewall's rules today (LT-19)."""
    with transaction.atomic():
        if not permissions.restrict(Firewall.objects.filter(pk=firewall.pk), user, "change").exists():
            raise PermissionDenied
        firewall = Firewall.objects.select_for_update().get(pk=firewall.pk)
        firewall.rules_reviewed_at, firewall.reviewed_by = timezone.localdate(), user
        firewall.save()
    return firewall
