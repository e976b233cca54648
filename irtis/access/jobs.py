"""Background jobs of irtis.access: writing grants to AD, expiry, escalation."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from irtis.tasks.runs import get_or_gone, job

from . import actions, campaigns
from .models import Membership


@job(label=_("Add an approved access to Active Directory"), key="membership_id")
def apply_membership(run: Any, membership_id: int) -> dict:
    membership = get_or_gone(Membership.objects.select_related("entitlement", "user"), pk=membership_id)
    return actions.synchronise([membership])


@job(label=_("End expired access and synchronise AD groups"), schedulable=True)
def synchronise_access(run: Any) -> dict:
    """Ends grants past their last day, then retries every grant AD does not yet reflect."""
    expired = len(actions.expire())
    return {"expired": expired, **actions.synchronise(actions.pending())}


@job(label=_("Escalate overdue recertification"), schedulable=True)
def escalate_recertification(run: Any) -> int:
    return campaigns.escalate()
