"""Recertification: a campaign asks each entitlement's owner to confirm or revoke every active
grant in its scope; items unanswered after the deadline are escalated to the security officers."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from irtis.core import bulk, permissions

from . import actions
from .actions import ActionRefused
from .models import Answer, Membership, MembershipStatus, RecertificationCampaign, RecertificationItem


@transaction.atomic
def open_campaign(campaign: RecertificationCampaign, user: Any) -> int:
    """Create the campaign's items (one INSERT per batch, audited in one go); the number made."""
    if not permissions.restrict(RecertificationCampaign.objects.filter(pk=campaign.pk), user, "change").exists():
        raise PermissionDenied
    campaign = RecertificationCampaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status != "draft":
        raise ActionRefused(_("The campaign has been opened already."))
    grants = Membership.objects.filter(status=MembershipStatus.ACTIVE)
    if campaign.entitlement_id:
        grants = grants.filter(entitlement_id=campaign.entitlement_id)
    items = [RecertificationItem(campaign=campaign, membership_id=pk, reviewer_id=owner)
             for pk, owner in grants.order_by("pk").values_list("pk", "entitlement__owner_id")]
    bulk.save_objects(items)
    campaign.status = "open"
    campaign.full_clean()
    campaign.save()
    return len(items)


def answer(item_ids: list[int], user: Any, confirm: bool) -> int:
    """The reviewer's (or a security officer's) answer to pending items; revoking ends each grant
    and removes it from AD. The number answered."""
    officer = actions.is_officer(user)
    with transaction.atomic():
        items = list(permissions.restrict(RecertificationItem.objects.filter(pk__in=item_ids), user, "view")
                     .select_for_update().select_related("campaign"))
        if len(items) != len(set(item_ids)):
            raise PermissionDenied
        for item in items:
            if item.reviewer_id != user.pk and not officer:
                raise PermissionDenied(_("Only the reviewer or a security officer answers this item."))
            if item.answer != Answer.PENDING or item.campaign.status != "open":
                raise ActionRefused(_("Item %(id)s has been answered already.") % {"id": item.pk})
            item.answer, item.answered_at = (Answer.CONFIRMED if confirm else Answer.REVOKED), timezone.now()
        bulk.save_objects(items, ["answer", "answered_at"])
        ended = []
        if not confirm:
            grants = Membership.objects.select_for_update().select_related("entitlement", "user").filter(
                pk__in=[item.membership_id for item in items], status=MembershipStatus.ACTIVE)
            for membership in grants:
                actions.end(membership, "revoked")
                ended.append(membership)
    actions.synchronise(ended)
    return len(items)


def overdue(today: Any = None) -> dict[RecertificationCampaign, list[RecertificationItem]]:
    today = today or timezone.localdate()
    found: dict[RecertificationCampaign, list[RecertificationItem]] = {}
    for item in RecertificationItem.objects.filter(answer=Answer.PENDING, escalated_at__isnull=True,
                                                   campaign__status="open", campaign__deadline__lt=today
                                                   ).select_related("campaign"):
        found.setdefault(item.campaign, []).append(item)
    return found


@transaction.atomic
def escalate(today: Any = None) -> int:
    """Tell the security officers of each campaign's unanswered items past its deadline, once."""
    from irtis.notifications.events import notify

    count = 0
    for campaign, items in overdue(today).items():
        notify("access.recertification_overdue", roles=["security_officer"], obj=campaign,
               context={"count": len(items)})
        now = timezone.now()
        for item in items:
            item.escalated_at = now
        bulk.save_objects(items, ["escalated_at"])
        count += len(items)
    return count
