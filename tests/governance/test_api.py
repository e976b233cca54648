"""The API's reads of rule results and baselines: filters, hashes, the diff, refusals."""

import pytest
from django.test import Client
from django.utils import translation

from irtis.governance import baselines, rules
from irtis.governance.models import RuleKind
from irtis.identity.models import User
from tests.systems.factories import component, estate
from tests.virtualization.factories import vm

from .factories import rule

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict:
    made = estate()
    rule("R-DC", RuleKind.DATA_CENTRES, minimum=2)
    rule("R-OW", RuleKind.OWNER_AND_BACKUP)
    rules.evaluate()
    return made


def test_rule_results_of_a_system_filtered_by_rule_and_outcome(world: dict, admin_client: Client) -> None:
    url = f"/api/governance/systems/{world['system'].pk}/rule-results/"
    every = admin_client.get(url).json()
    assert sorted(r["rule"] for r in every) == ["R-DC", "R-OW"]
    assert all(r["reason"] and r["outcome"] and "evaluated" in r for r in every)
    only = admin_client.get(url, {"rule": "R-DC"}).json()
    assert [r["rule"] for r in only] == ["R-DC"]
    outcome = only[0]["outcome"]
    assert [r["rule"] for r in admin_client.get(url, {"outcome": outcome}).json() if r["rule"] == "R-DC"] == ["R-DC"]
    other = "passed" if outcome != "passed" else "failed"
    assert "R-DC" not in [r["rule"] for r in admin_client.get(url, {"outcome": other}).json()]
    bad = admin_client.get(url, {"outcome": "maybe"})
    assert bad.status_code == 400 and "maybe" in bad.json()["detail"]
    assert admin_client.get("/api/governance/systems/999999/rule-results/").status_code == 404


def test_baselines_list_detail_and_diff(world: dict, admin_client: Client, admin_user: User) -> None:
    system = world["system"]
    with translation.override("lt"):  # as the API's reader (a description is in its reader's language)
        first = baselines.approve(system, admin_user, "pirmas")
        component(system, "S naujas", [vm("new-1", world["cluster"])])
        second = baselines.approve(system, admin_user, "antras")
    listed = admin_client.get("/api/governance/baselines/", {"system": system.pk}).json()
    assert [b["id"] for b in listed] == [second.pk, first.pk] and listed[1]["sha256"] == first.sha256
    detail = admin_client.get(f"/api/governance/baselines/{first.pk}/").json()
    assert detail["sha256"] == first.sha256 and detail["content"]["sections"] and detail["note"] == "pirmas"
    diff = admin_client.get(f"/api/governance/baselines/{first.pk}/diff/", {"with": second.pk}).json()
    assert not diff["unchanged"] and diff["to"]["sha256"] == second.sha256
    assert any("S naujas" in line for section in diff["sections"] for line in section["added"])
    now = admin_client.get(f"/api/governance/baselines/{second.pk}/diff/").json()  # against the current description
    assert now["unchanged"] and now["sections"] == []
    infrastructure = baselines.approve(None, admin_user)
    assert admin_client.get(f"/api/governance/baselines/{first.pk}/diff/",
                            {"with": infrastructure.pk}).status_code == 400
    assert [b["id"] for b in admin_client.get("/api/governance/baselines/", {"kind": "infrastructure"}).json()] == [
        infrastructure.pk]
    assert admin_client.get(f"/api/governance/baselines/{first.pk}/diff/", {"with": "x"}).status_code == 400
    assert admin_client.get("/api/governance/baselines/").status_code == 400
    assert admin_client.get("/api/governance/baselines/999999/").status_code == 404


def test_reads_need_the_permission_to_view_rules_and_systems(world: dict, client: Client) -> None:
    url = f"/api/governance/systems/{world['system'].pk}/rule-results/"
    assert client.get(url).status_code == 401
    client.force_login(User.objects.create_user("plain", password="x-Long-Password-1"))
    assert client.get(url).status_code == 403
    assert client.get("/api/governance/baselines/", {"kind": "infrastructure"}).status_code == 403


def test_the_reads_are_in_the_openapi_document(admin_client: Client) -> None:
    paths = admin_client.get("/api/openapi.json").json()["paths"]
    assert "/api/governance/systems/{pk}/rule-results/" in paths
    parameters = {p["name"] for p in paths["/api/governance/baselines/{pk}/diff/"]["get"]["parameters"]}
    assert "with" in parameters
