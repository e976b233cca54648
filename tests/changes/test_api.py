"""The approval actions through the REST API: the same rules as the buttons (permissions, the
change advisory board, no self-approval), refusals answered 403 / 404 / 409 with the reason,
and the operations described in the OpenAPI schema."""

import json
from typing import Any

import pytest
from django.test import Client

from irtis.changes.models import Approval, ApprovalRule, ChangeRequest, ChangeStatus, Status
from irtis.identity import tokens
from tests.systems.factories import estate

from .factories import at, window
from .people import person, role

pytestmark = pytest.mark.django_db


def post(client: Client, path: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(f"/api/changes/{path}", json.dumps(body or {}), content_type="application/json")


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_window_is_submitted_and_approved_by_another_person_not_by_its_requester() -> None:
    e = estate()
    alice, bob = person("alice"), person("bob")
    made = window("API langas", [e["ora_host"]], at(days=2), status=Status.DRAFT, requested_by=alice)
    as_alice, as_bob = signed_in(alice), signed_in(bob)

    submitted = post(as_alice, f"maintenance-windows/{made.pk}/submit/")
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    own = post(as_alice, f"maintenance-windows/{made.pk}/approve/", {"comment": "Tinka"})
    assert own.status_code == 409 and own.json()["detail"]  # the policy's reason, in the user's language
    assert not Approval.objects.filter(window=made).exists()
    approved = post(as_bob, f"maintenance-windows/{made.pk}/approve/", {"comment": "Gerai"})
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert Approval.objects.get(window=made).comment == "Gerai"
    again = post(as_bob, f"maintenance-windows/{made.pk}/approve/")
    assert again.status_code == 409 and Approval.objects.filter(window=made).count() == 1


def test_refusals_without_rights_or_outside_the_board() -> None:
    e = estate()
    alice = person("alice")
    reader = person("reader", ("view",))
    outsider = person("outsider", ("view",), constraints={"id": 0})  # sees none of them
    board = role("manager")
    ApprovalRule.objects.create(subject="normal", role=board, approvals=1)
    stranger = person("stranger")  # may change changes, is not on the board
    made = window("Keitimo langas", [e["ora_host"]], at(days=2), status=Status.DRAFT, requested_by=alice)
    change = ChangeRequest.objects.create(title="Oracle pataisa", kind="normal", window=made, description="Pataisa",
                                          implementation_plan="Diegti", rollback_plan="Grąžinti",
                                          requested_by=alice)
    assert post(Client(), f"change-requests/{change.pk}/submit/").status_code == 401
    assert post(signed_in(reader), f"change-requests/{change.pk}/submit/").status_code == 403
    assert post(signed_in(outsider), f"change-requests/{change.pk}/submit/").status_code == 404
    assert post(signed_in(alice), f"change-requests/{change.pk}/submit/").json()["status"] == "submitted"
    refused = post(signed_in(stranger), f"change-requests/{change.pk}/approve/")
    assert refused.status_code == 403 and "manager" in refused.json()["detail"]  # the roles that decide
    member = person("vadove", role=board)
    assert post(signed_in(member), f"change-requests/{change.pk}/approve/").json()["status"] == "approved"
    assert post(signed_in(alice), f"change-requests/{change.pk}/start/").json()["status"] == "implementing"
    bad = post(signed_in(alice), f"change-requests/{change.pk}/complete/", {"result": "puikiai"})
    assert bad.status_code == 400
    done = post(signed_in(alice), f"change-requests/{change.pk}/complete/",
                {"result": "successful", "notes": "Be trikdžių"})
    assert done.status_code == 200 and done.json()["status"] == ChangeStatus.COMPLETED
    change.refresh_from_db()
    assert (change.result, change.result_notes) == ("successful", "Be trikdžių")


def test_a_read_only_token_cannot_act() -> None:
    e = estate()
    alice = person("alice")
    made = window("Tokeno langas", [e["ora_host"]], at(days=2), status=Status.DRAFT, requested_by=alice)
    _token, plain = tokens.issue(alice, read_only=True)
    answer = Client().post(f"/api/changes/maintenance-windows/{made.pk}/submit/", "{}",
                           content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {plain}")
    assert answer.status_code == 403
    made.refresh_from_db()
    assert made.status == Status.DRAFT


def test_the_actions_are_in_the_openapi_schema(admin_client: Client) -> None:
    paths = admin_client.get("/api/openapi.json").json()["paths"]
    for action in ("submit", "approve", "reject", "cancel", "reopen", "start", "complete"):
        assert f"/api/changes/change-requests/{{pk}}/{action}/" in paths
    for action in ("submit", "approve", "reject", "cancel", "reopen"):
        assert f"/api/changes/maintenance-windows/{{pk}}/{action}/" in paths
