"""Approval of flows: two people's steps, self-approval refused, through pages and the API."""

import pytest
from django.test import Client

from irtis.audit.context import changes_by
from irtis.audit.models import AuditEntry
from irtis.flows import actions
from irtis.flows.models import Firewall, Flow, FlowStatus

from .factories import firewall, flow, person, zone

pytestmark = pytest.mark.django_db


def _requested(requester, owner) -> Flow:  # type: ignore[no-untyped-def]
    with changes_by(requester):
        return flow("Portalai", zone("DMZ"), zone("PROD"), status=FlowStatus.REQUESTED, owner=owner)


def test_the_owner_and_a_security_officer_approve_in_turn() -> None:
    requester, owner, officer = person("jonas"), person("ona"), person("rasa", "security_officer")
    requested = _requested(requester, owner)
    assert requested.requested_by == requester
    done = actions.approve(requested, owner, actions.OWNER)
    assert done.status == FlowStatus.REQUESTED and done.owner_approved_by == owner
    with changes_by(officer):  # a request sets it for the pages and the API
        done = actions.approve(done, officer, actions.SECURITY)
    assert done.status == FlowStatus.APPROVED and done.security_approved_at is not None
    after = AuditEntry.objects.filter(content_type__model="flow", object_id=done.pk).order_by("id").last()
    assert after is not None and after.actor == officer and after.after["status"] == "approved"


def test_the_requester_may_approve_neither_step() -> None:
    officer = person("rasa", "security_officer")
    requested = _requested(officer, officer)
    for step in (actions.OWNER, actions.SECURITY):
        with pytest.raises(actions.ActionRefused, match="You requested this flow"):
            actions.approve(requested, officer, step)
    requested.refresh_from_db()
    assert requested.owner_approved_by is None and requested.security_approved_by is None


def test_only_the_right_people_approve_and_never_both_steps() -> None:
    owner_officer, stranger = person("ona", "security_officer"), person("petras")
    requested = _requested(person("jonas"), owner_officer)
    with pytest.raises(actions.ActionRefused, match="owner"):
        actions.approve(requested, stranger, actions.OWNER)
    with pytest.raises(actions.ActionRefused, match="security officer"):
        actions.approve(requested, stranger, actions.SECURITY)
    actions.approve(requested, owner_officer, actions.OWNER)
    with pytest.raises(actions.ActionRefused, match="two people"):
        actions.approve(requested, owner_officer, actions.SECURITY)
    with pytest.raises(actions.ActionRefused, match="owner or a security officer rejects"):
        actions.reject(requested, stranger)


def test_changing_what_an_approved_flow_allows_sends_it_back_for_approval() -> None:
    approved = flow("Portalai", zone("DMZ"), zone("PROD"), owner_approved_by=person("ona"))
    approved.ports = "443,8443"
    approved.save()
    assert approved.status == FlowStatus.REQUESTED and approved.owner_approved_by is None


def test_the_pages_approve_and_refuse_a_self_approval_with_the_reason() -> None:
    requester, officer = person("jonas", "security_officer"), person("rasa", "security_officer")
    requested = _requested(requester, None)
    client = Client()
    client.force_login(requester)
    refused = client.post(f"/flows/flow-actions/{requested.pk}/approve-security/")
    assert refused.status_code == 409
    client.force_login(officer)
    assert client.get(f"/flows/flow-actions/{requested.pk}/approve-security/").status_code == 405
    assert client.post(f"/flows/flow-actions/{requested.pk}/approve-security/").status_code == 302
    requested.refresh_from_db()
    assert requested.security_approved_by == officer


def test_the_api_approves_and_answers_409_with_the_reason() -> None:
    requester, owner = person("jonas"), person("ona")
    requested = _requested(requester, owner)
    client = Client()
    client.force_login(requester)
    refused = client.post(f"/api/flows/flows/{requested.pk}/approve-owner/", headers={"Accept-Language": "lt"})
    assert refused.status_code == 409 and "kitas asmuo" in refused.json()["detail"]
    client.force_login(owner)
    done = client.post(f"/api/flows/flows/{requested.pk}/approve-owner/")
    assert done.status_code == 200 and done.json()["owner_approved_by"] == owner.pk
    client.force_login(person("nobody", actions=()))
    assert client.post(f"/api/flows/flows/{requested.pk}/reject/").status_code == 403


def test_a_firewall_review_needs_the_right_to_change_it() -> None:
    fw, reader, admin = firewall(), person("skaitytojas", actions=("view",)), person("admin")
    client = Client()
    client.force_login(reader)
    assert client.post(f"/flows/firewall-review/{fw.pk}/").status_code == 403
    client.force_login(admin)
    assert client.post(f"/api/flows/firewalls/{fw.pk}/review/").status_code == 200
    reviewed = Firewall.objects.get(pk=fw.pk)
    assert reviewed.reviewed_by == admin and reviewed.rules_reviewed_at is not None
