"""Approval of access requests, refusals, recertification campaigns and escalation (no directory)."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from irtis.access import actions, campaigns
from irtis.access.evaluators import privileged_members, removed_from_ad, unused_accounts
from irtis.access.models import (
    AccessRequest,
    Answer,
    Membership,
    MembershipStatus,
    RecertificationCampaign,
    RecertificationItem,
    RequestStatus,
)
from irtis.audit.models import AuditEntry
from irtis.notifications.models import Notification
from irtis.security.evaluation import EVALUATORS, Status

from .people import ask, entitlement, officer, person

pytestmark = pytest.mark.django_db


def test_both_approvals_grant_the_access() -> None:
    owner, security, requester = person("savininkas"), officer(), person("prasytojas", ("view", "add"))
    request = ask(requester, requester, entitlement(owner))
    actions.approve(request, owner, "owner", "Tinka")
    request.refresh_from_db()
    assert request.status == RequestStatus.REQUESTED and request.owner_approved_by == owner
    assert not Membership.objects.exists()
    actions.approve(request, security, "officer")
    request.refresh_from_db()
    assert request.status == RequestStatus.APPROVED
    grant = Membership.objects.get(request=request)
    assert (grant.user, grant.status, grant.valid_until) == (requester, MembershipStatus.ACTIVE, request.valid_until)
    assert AuditEntry.objects.filter(content_type__model="accessrequest", object_id=request.pk).count() >= 3
    assert AuditEntry.objects.filter(content_type__model="membership", object_id=grant.pk).exists()


def test_self_approval_is_refused() -> None:
    security = officer()
    owner = person("savininkas")
    request = ask(security, security, entitlement(owner))
    with pytest.raises(actions.ActionRefused, match="cannot approve a request you made"):
        actions.approve(request, security, "officer")
    # an owner asking for a colleague still cannot approve their own request
    colleague = person("kolega")
    request = ask(owner, colleague, entitlement(owner, name="Kita rolė"))
    with pytest.raises(actions.ActionRefused, match="cannot approve a request you made"):
        actions.approve(request, owner, "owner")
    request.refresh_from_db()
    assert request.owner_approved_by is None and request.status == RequestStatus.REQUESTED


def test_the_wrong_people_are_refused() -> None:
    owner, security, requester, stranger = person("savininkas"), officer(), person("prasytojas"), person("kitas")
    request = ask(requester, requester, entitlement(owner))
    with pytest.raises(PermissionDenied):
        actions.approve(request, stranger, "owner")
    with pytest.raises(PermissionDenied):
        actions.approve(request, owner, "officer")  # the owner is no security officer
    both = officer("abu")
    request = ask(requester, requester, entitlement(both, name="Abiejų rolė"))
    actions.approve(request, both, "owner")
    with pytest.raises(actions.ActionRefused, match="both approvals"):
        actions.approve(request, both, "officer")
    actions.approve(request, security, "officer")
    with pytest.raises(actions.ActionRefused, match="awaiting approval"):
        actions.approve(request, security, "officer")


def test_longer_than_allowed_is_refused() -> None:
    owner = person("savininkas")
    with pytest.raises(ValidationError, match="at most 90 days"):
        ask(owner, owner, entitlement(owner, max_days=90), days=91)


def test_reject_and_api_refusal(client) -> None:  # type: ignore[no-untyped-def]
    owner, requester = person("savininkas"), person("prasytojas")
    request = ask(requester, requester, entitlement(owner))
    client.force_login(requester)
    answer = client.post(f"/api/access/access-requests/{request.pk}/approve-owner/", {"comment": ""},
                         content_type="application/json")
    assert answer.status_code == 409 and "Negalite tvirtinti savo" in answer.json()["detail"]  # in Lithuanian
    page = client.post(f"/access/request-actions/{request.pk}/approve-owner/")
    assert page.status_code == 409
    client.force_login(owner)
    answer = client.post(f"/api/access/access-requests/{request.pk}/reject/", {"comment": "Nereikia"},
                         content_type="application/json")
    assert answer.status_code == 200 and answer.json()["status"] == "rejected"


def test_expiry_ends_the_grant() -> None:
    owner, security, requester = person("savininkas"), officer(), person("prasytojas")
    request = ask(requester, requester, entitlement(owner), days=1)
    actions.approve(request, owner, "owner")
    actions.approve(request, security, "officer")
    assert actions.expire(timezone.localdate()) == []
    ended = actions.expire(timezone.localdate() + dt.timedelta(days=2))
    assert [m.request_id for m in ended] == [request.pk]
    request.refresh_from_db()
    assert request.status == RequestStatus.EXPIRED
    assert Membership.objects.get(pk=ended[0].pk).status == MembershipStatus.REMOVED


def _grants(owner, count: int, start: int) -> None:  # type: ignore[no-untyped-def]
    what = entitlement(owner, name=f"Rolė {start}")
    for n in range(count):
        user = person(f"naudotojas{start + n}")
        Membership.objects.create(user=user, entitlement=what, valid_until=timezone.localdate())


def _campaign(name: str, security) -> int:  # type: ignore[no-untyped-def]
    campaign = RecertificationCampaign.objects.create(name=name, deadline=timezone.localdate())
    with CaptureQueriesContext(connection) as queries:
        campaigns.open_campaign(campaign, security)
    return len(queries)


def test_campaign_generation_in_constant_queries() -> None:
    security, owner = officer(), person("savininkas")
    _campaign("Tuščias", security)  # warms the caches of content types and permissions
    _grants(owner, 3, 0)
    small = _campaign("Pirmas ketvirtis", security)
    assert RecertificationItem.objects.filter(reviewer=owner).count() == 3
    _grants(owner, 30, 100)
    large = _campaign("Antras ketvirtis", security)
    assert RecertificationItem.objects.filter(campaign__name="Antras ketvirtis").count() == 33
    assert large == small
    with pytest.raises(actions.ActionRefused, match="opened already"):
        campaigns.open_campaign(RecertificationCampaign.objects.get(name="Antras ketvirtis"), security)


def test_owner_answers_and_revocation_ends_the_grant() -> None:
    security, owner, other = officer(), person("savininkas"), person("kitas")
    _grants(owner, 2, 0)
    campaign = RecertificationCampaign.objects.create(name="Peržiūra", deadline=timezone.localdate())
    campaigns.open_campaign(campaign, security)
    first, second = RecertificationItem.objects.order_by("pk")
    with pytest.raises(PermissionDenied):
        campaigns.answer([first.pk], other, confirm=True)
    assert campaigns.answer([first.pk], owner, confirm=True) == 1
    campaigns.answer([second.pk], owner, confirm=False)
    assert Membership.objects.get(pk=second.membership_id).status == MembershipStatus.REMOVED
    assert Membership.objects.get(pk=first.membership_id).status == MembershipStatus.ACTIVE
    with pytest.raises(actions.ActionRefused, match="answered already"):
        campaigns.answer([first.pk], owner, confirm=False)


def test_unanswered_items_escalate_once() -> None:
    security, owner = officer(), person("savininkas")
    security.groups.add(Group.objects.get_or_create(name="security_officer")[0])
    _grants(owner, 2, 0)
    campaign = RecertificationCampaign.objects.create(name="Vėluojanti", deadline=timezone.localdate())
    campaigns.open_campaign(campaign, security)
    assert campaigns.escalate(timezone.localdate()) == 0  # not yet past the deadline
    later = timezone.localdate() + dt.timedelta(days=1)
    assert campaigns.escalate(later) == 2
    assert Notification.objects.filter(kind="access.recertification_overdue", recipient=security).count() == 1
    assert campaigns.escalate(later) == 0
    assert RecertificationItem.objects.filter(answer=Answer.PENDING, escalated_at__isnull=False).count() == 2


@pytest.mark.parametrize("control", [privileged_members, unused_accounts, removed_from_ad])
def test_no_directory_is_unknown(settings, control) -> None:  # type: ignore[no-untyped-def]
    settings.ACTIVE_DIRECTORY = {"URI": []}
    outcome = control()
    assert outcome.status == Status.UNKNOWN and "could not be read" in outcome.reason


def test_unreachable_directory_is_unknown(settings) -> None:  # type: ignore[no-untyped-def]
    settings.ACTIVE_DIRECTORY = {"URI": ["ldaps://127.0.0.1:1"], "TIMEOUT": 1}
    leaver = person("isejes")
    leaver.is_active = False
    leaver.save()
    for code in ("ad_privileged_members", "ad_unused_accounts", "ad_leavers_enabled",
                 "ad_password_never_expires", "access_removed_from_ad"):
        outcome = EVALUATORS[code].function()
        assert outcome.status == Status.UNKNOWN, code
        assert outcome.params["error"], code


def test_unapproved_request_grants_nothing() -> None:
    owner = person("savininkas")
    ask(owner, person("kitas"), entitlement(owner))
    assert AccessRequest.objects.get().status == RequestStatus.REQUESTED and not Membership.objects.exists()
