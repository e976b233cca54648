"""Submitting, approving (by rules of a change advisory board) and implementing windows and
changes; the refusals of bad requests."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied

from irtis.audit import context
from irtis.audit.models import AuditEntry
from irtis.changes import actions
from irtis.changes.actions import ActionRefused
from irtis.changes.models import (
    Approval,
    ApprovalRule,
    ChangeRequest,
    ChangeStatus,
    MaintenanceWindow,
    Risk,
    Status,
)
from tests.systems.factories import category, estate, system
from tests.virtualization.factories import server

from .factories import at, window
from .people import person, role

pytestmark = pytest.mark.django_db


def _draft(requester, objects, name: str = "Langas"):  # type: ignore[no-untyped-def]
    with context.changes_by(requester, "ui"):
        return window(name, objects, at(days=2), status=Status.DRAFT)


def test_window_without_rules_is_approved_by_another_person_only() -> None:
    e = estate()
    alice, bob = person("alice"), person("bob")
    made = _draft(alice, [e["ora_host"]])
    assert made.requested_by == alice
    actions.submit(made, alice)
    with pytest.raises(ActionRefused, match="your own"):
        actions.decide(made, alice, True)
    actions.decide(made, bob, True, "Gerai")
    made.refresh_from_db()
    assert (made.status, made.approved_by) == (Status.APPROVED, bob)
    with pytest.raises(ActionRefused, match="Only a submitted"):
        actions.decide(made, bob, True)
    # each step is in the audit trail
    kind = ContentType.objects.get_for_model(MaintenanceWindow)
    statuses = [e.after.get("status") for e in AuditEntry.objects.filter(content_type=kind, object_id=made.pk,
                                                                          action="update").order_by("id")]
    assert statuses == ["submitted", "approved"]
    assert AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(Approval)).count() == 1


def test_a_reader_without_change_permission_cannot_approve_without_rules() -> None:
    e = estate()
    alice, reader = person("alice"), person("reader", ("view",))
    made = _draft(alice, [e["ora_host"]])
    actions.submit(made, alice)
    with pytest.raises(PermissionDenied):
        actions.decide(made, reader, True)
    with pytest.raises(PermissionDenied):
        actions.submit(_draft(reader, [e["app"]], "Kitas"), reader)


def test_change_advisory_board_needs_n_approvals_of_its_role_and_once_each() -> None:
    e = estate()
    cab = role("cab")
    ApprovalRule.objects.create(subject="normal", role=cab, approvals=2)
    alice = person("alice", role=cab)
    bob, carol, outsider = person("bob", role=cab), person("carol", role=cab), person("dave")
    made = _draft(alice, [e["cluster"]])
    with context.changes_by(alice, "ui"):
        change = ChangeRequest.objects.create(title="ESXi 8.0U3", description="Atnaujinti", window=made,
                                              implementation_plan="Po vieną", rollback_plan="Atgal")
    actions.submit(change, alice)
    change.refresh_from_db()
    assert change.status == ChangeStatus.SUBMITTED
    assert change.risk == Risk.HIGH and change.affected_systems == 1  # system S (category I) stops
    made.refresh_from_db()
    assert made.status == Status.SUBMITTED
    with pytest.raises(ActionRefused, match="your own"):
        actions.decide(change, alice, True)
    with pytest.raises(PermissionDenied):
        actions.decide(change, outsider, True)
    actions.decide(change, bob, True)
    with pytest.raises(ActionRefused, match="already decided"):
        actions.decide(change, bob, True)
    change.refresh_from_db()
    assert change.status == ChangeStatus.SUBMITTED  # one of two
    actions.decide(change, carol, True)
    change.refresh_from_db()
    made.refresh_from_db()
    assert change.status == ChangeStatus.APPROVED and made.status == Status.APPROVED
    assert list(change.approvals.values_list("role__name", flat=True)) == ["cab", "cab"]


def test_a_rule_may_allow_self_approval() -> None:
    e = estate()
    cab = role("cab")
    ApprovalRule.objects.create(subject="emergency", role=cab, approvals=1, allow_self_approval=True)
    alice = person("alice", role=cab)
    with context.changes_by(alice, "ui"):
        change = ChangeRequest.objects.create(title="Skubus", kind="emergency", description="Gaisras",
                                              window=window("Skubus langas", [e["app"]], at(), status="draft"),
                                              implementation_plan="a", rollback_plan="b")
    actions.submit(change, alice)
    actions.decide(change, alice, True)
    change.refresh_from_db()
    assert change.status == ChangeStatus.APPROVED


def test_rejection_ends_the_request_and_reopen_forgets_decisions() -> None:
    e = estate()
    alice, bob = person("alice"), person("bob")
    made = _draft(alice, [e["app"]])
    actions.submit(made, alice)
    actions.decide(made, bob, False, "Ne tą savaitę")
    made.refresh_from_db()
    assert made.status == Status.REJECTED
    actions.reopen(made, alice)
    made.refresh_from_db()
    assert made.status == Status.DRAFT and not made.approvals.exists()


def test_standard_change_is_approved_in_advance_and_its_writes_are_linked(client) -> None:  # type: ignore[no-untyped-def]
    e = estate()
    alice = person("alice")
    with context.changes_by(alice, "ui"):
        change = ChangeRequest.objects.create(title="Sertifikato keitimas", kind="standard", description="Kasmetinis",
                                              window=window("Standartinis", [e["web1"]], at(), status="draft"))
    actions.submit(change, alice)
    change.refresh_from_db()
    assert change.status == ChangeStatus.APPROVED
    assert change.risk == Risk.MEDIUM  # one of two web nodes: S (category I) degrades
    client.force_login(alice)
    assert client.post(f"/changes/change-actions/{change.pk}/start/").status_code == 302
    change.refresh_from_db()
    assert change.status == ChangeStatus.IMPLEMENTING
    # a write through the generic pages while implementing is linked to the change
    other = window("Kitas darbas", [], at(days=9), status="draft")
    response = client.post(f"/changes/maintenance-windows/{other.pk}/edit/", {
        "name": other.name, "start": "2027-03-10 00:00", "end": "2027-03-10 02:00", "recurrence": "",
        "description": "Pakeista įgyvendinant", "version": other.version})
    assert response.status_code == 302, response.content
    linked = AuditEntry.objects.filter(request_id__in=change.activities.values("request_id"))
    assert any(entry.object_id == other.pk and entry.action == "update" for entry in linked)
    page = client.get(change.get_absolute_url())
    assert str(other) in page.content.decode()
    # completing stops the linking
    assert client.post(f"/changes/change-actions/{change.pk}/complete/",
                       {"result": "successful", "comment": "Pavyko"}).status_code == 302
    change.refresh_from_db()
    assert (change.status, change.result, change.result_notes) == (ChangeStatus.COMPLETED, "successful", "Pavyko")
    before = change.activities.count()
    client.post(f"/changes/maintenance-windows/{other.pk}/edit/", {
        "name": other.name, "start": "2027-03-10 00:00", "end": "2027-03-10 03:00", "recurrence": "",
        "description": "Vėliau", "version": other.version + 1})
    assert change.activities.count() == before


def test_api_writes_name_their_change_in_a_header(client) -> None:  # type: ignore[no-untyped-def]
    e = estate()
    alice = person("alice")
    from irtis.identity import tokens

    _token, plain = tokens.issue(alice)
    change = ChangeRequest.objects.create(title="API", kind="standard", description="x",
                                          window=window("API langas", [e["web2"]], at(), status="draft"))
    actions.submit(change, alice)
    actions.start(change, alice)
    response = client.post("/api/changes/maintenance-windows/", {"name": "Per API", "start": at(days=20).isoformat(),
                           "end": at(days=21).isoformat()}, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {plain}", HTTP_X_IRTIS_CHANGE=str(change.pk))
    assert response.status_code == 201, response.content
    created = MaintenanceWindow.objects.get(name="Per API")
    assert created.requested_by == alice
    linked = AuditEntry.objects.filter(request_id__in=change.activities.values("request_id"), action="create")
    assert created.pk in set(linked.values_list("object_id", flat=True))


def test_bad_requests_are_refused_clearly() -> None:
    e = estate()
    alice, bob = person("alice"), person("bob")
    empty = _draft(alice, [], "Tuščias")
    with pytest.raises(ActionRefused, match="covers no object"):
        actions.submit(empty, alice)
    doomed = server("dc9-old-01")
    made = _draft(alice, [doomed, e["app"]], "Senas serveris")
    doomed.delete()
    with pytest.raises(ActionRefused, match="no longer exists"):
        actions.submit(made, alice)
    unscheduled = ChangeRequest.objects.create(title="Be lango", description="x")
    with pytest.raises(ActionRefused, match="Schedule the change"):
        actions.submit(unscheduled, alice)
    unplanned = ChangeRequest.objects.create(title="Be plano", description="x",
                                             window=_draft(alice, [e["app"]], "Planas"))
    with pytest.raises(ActionRefused, match="rollback plan"):
        actions.submit(unplanned, alice)
    with pytest.raises(ActionRefused, match="Only an approved"):
        actions.start(unplanned, alice)
    with pytest.raises(ActionRefused, match="Only a draft"):
        actions.submit(window("Jau", [e["app"]], at(), status="approved"), bob)


def test_moving_an_approved_window_asks_for_approval_again() -> None:
    e = estate()
    made = window("Perkeliamas", [e["app"]], at())
    made.end = at(hours=5)
    made.full_clean()
    made.save()
    assert made.status == Status.DRAFT and made.approved_by is None


def test_risk_is_medium_for_a_less_important_system_and_low_for_nothing() -> None:
    other = system("KITA", cat="III")
    category("III")
    made = window("Mažas", [other], at(), status="draft")
    from irtis.changes import risk

    assert risk.assess([made]).level == Risk.MEDIUM
    assert risk.assess([window("Niekas", [server("spare-1")], at(), status="draft")]).level == Risk.LOW
