"""Every rule kind over a small estate: passed, failed, cannot be evaluated (never passed for want
of data), not applicable; results stored and shown; a constant number of queries."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from irtis.backups.models import BackupPolicy
from irtis.governance import jobs, rules
from irtis.governance.models import Evaluation, Lifecycle, Outcome, RuleKind, RuleResult, SystemPlan
from irtis.network.models import SecurityZone
from irtis.systems.models import Component
from tests.systems.factories import component, estate, system
from tests.virtualization.factories import cluster, host, site, vm

from .factories import rule, technology, version

pytestmark = pytest.mark.django_db


def _result(code: str, system_code: str = "S") -> RuleResult:
    rules.evaluate()
    return RuleResult.objects.get(rule__code=code, system__code=system_code)


@pytest.fixture
def world() -> dict:
    made = estate()
    os = version("Linux", "9", support_end=dt.date(2032, 1, 1))
    for machine in (made["web1"], made["web2"], made["app"]):
        machine.operating_system = os
        machine.save()
    made["os"] = os
    return made


def test_dbms_version_not_recorded_cannot_be_evaluated_then_fails_then_passes(world: dict) -> None:
    rule("R-DB", RuleKind.DBMS_APPROVED)
    result = _result("R-DB")
    assert result.outcome == Outcome.UNKNOWN and "ORA1" in result.params["objects"]
    instance = world["instance"]
    instance.software_version = version("Oracle", "19c", "dbms")
    instance.save()
    result = _result("R-DB")
    assert result.outcome == Outcome.FAILED and "Oracle 19c" in result.params["items"]  # not in the catalogue
    tech = technology("Oracle 19c", Lifecycle.TOLERATED, versions=(instance.software_version,))
    assert _result("R-DB").outcome == Outcome.FAILED  # tolerated is not approved
    tech.status = Lifecycle.APPROVED
    tech.save()
    assert _result("R-DB").outcome == Outcome.PASSED


def test_tolerated_passes_when_the_rule_accepts_it(world: dict) -> None:
    instance = world["instance"]
    instance.software_version = version("Oracle", "19c", "dbms")
    instance.save()
    technology("Oracle 19c", Lifecycle.TOLERATED, versions=(instance.software_version,))
    rule("R-DB", RuleKind.DBMS_APPROVED, accept_tolerated=True)
    assert _result("R-DB").outcome == Outcome.PASSED


def test_system_without_dbms_is_not_applicable_and_without_deployments_unknown(world: dict) -> None:
    rule("R-DB", RuleKind.DBMS_APPROVED)
    other = system("T")
    component(other, "T app", [vm("t-1", world["cluster"])])
    system("EMPTY")
    rules.evaluate()
    assert RuleResult.objects.get(system__code="T").outcome == Outcome.NOT_APPLICABLE
    assert RuleResult.objects.get(system__code="EMPTY").outcome == Outcome.UNKNOWN


def test_data_centres(world: dict) -> None:
    rule("R-DC", RuleKind.DATA_CENTRES, minimum=2)
    result = _result("R-DC")
    assert result.outcome == Outcome.FAILED and result.params == {"count": 1, "minimum": 2}
    second = cluster("CL-DC2", site=site("DC2"))
    host(second, "esx-dc2")
    world["web2"].cluster = second
    world["web2"].save()
    assert _result("R-DC").outcome == Outcome.PASSED


def test_internet_facing_outside_dmz(world: dict) -> None:
    rule("R-DMZ", RuleKind.INTERNET_IN_DMZ)
    assert _result("R-DMZ").outcome == Outcome.UNKNOWN  # no zones recorded: cannot tell
    internet = SecurityZone.objects.create(code="NET", name="Internetas", trust_level=0)
    dmz = SecurityZone.objects.create(code="DMZ", name="DMZ", trust_level=2)
    prod = SecurityZone.objects.create(code="PROD", name="Prod", trust_level=4)
    world["web"].zones.set([internet, prod])
    world["app_c"].zones.set([prod])
    world["db_c"].zones.set([prod])
    result = _result("R-DMZ")
    assert result.outcome == Outcome.FAILED and result.params["objects"] == "S web"
    world["web"].zones.set([internet, dmz])
    assert _result("R-DMZ").outcome == Outcome.PASSED


def test_os_supported_until_the_planned_end(world: dict) -> None:
    rule("R-OS", RuleKind.OS_SUPPORTED)
    assert _result("R-OS").outcome == Outcome.UNKNOWN  # no planned end
    SystemPlan.objects.create(system=world["system"], planned_end=dt.date(2035, 1, 1))
    result = _result("R-OS")
    assert result.outcome == Outcome.FAILED and "Linux 9" in result.params["items"]
    plan = SystemPlan.objects.get()
    plan.planned_end = dt.date(2031, 1, 1)
    plan.save()
    assert _result("R-OS").outcome == Outcome.PASSED
    world["app"].operating_system = version("Linux", "10")  # no support dates recorded
    world["app"].save()
    assert _result("R-OS").outcome == Outcome.UNKNOWN


def test_owner_and_backup(world: dict) -> None:
    rule("R-OWN", RuleKind.OWNER_AND_BACKUP)
    assert _result("R-OWN").reason == "The system has neither an owner unit nor a backup policy."
    s = world["system"]
    s.owner_unit = "Skyrius"
    s.save()
    assert _result("R-OWN").reason == "The system has no backup policy."
    BackupPolicy.objects.create(name="S DB", object_type=ContentType.objects.get_for_model(world["database"]),
                                object_id=world["database"].pk, system=s)
    assert _result("R-OWN").outcome == Outcome.PASSED


def test_nothing_forbidden(world: dict) -> None:
    rule("R-NO", RuleKind.NOTHING_FORBIDDEN)
    world["instance"].software_version = version("Oracle", "12c", "dbms")
    world["instance"].save()
    assert _result("R-NO").outcome == Outcome.PASSED
    technology("Oracle 12c", Lifecycle.FORBIDDEN, versions=(world["instance"].software_version,))
    result = _result("R-NO")
    assert result.outcome == Outcome.FAILED and "Oracle 12c" in result.params["items"]


def test_a_rule_of_a_category_speaks_only_of_its_systems(world: dict) -> None:
    rule("R-II", RuleKind.OWNER_AND_BACKUP, category=system("T", cat="II").category)
    rules.evaluate()
    assert list(RuleResult.objects.values_list("system__code", flat=True)) == ["T"]


def test_disabled_rules_are_not_evaluated_and_results_are_replaced(world: dict) -> None:
    made = rule("R-OWN", RuleKind.OWNER_AND_BACKUP)
    rules.evaluate()
    made.enabled = False
    made.save()
    evaluation = rules.evaluate()
    assert RuleResult.objects.count() == 0 and evaluation.rules == 0
    assert Evaluation.objects.count() == 2


def test_queries_do_not_grow_with_systems(world: dict) -> None:
    for kind in RuleKind:
        rule(f"R-{kind}", kind, minimum=2 if kind == RuleKind.DATA_CENTRES else None)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            rules.evaluate()
        return len(captured.captured_queries)

    few = count()
    for n in range(6):
        other = system(f"X{n}")
        component(other, f"X{n} app", [vm(f"x-{n}", world["cluster"], operating_system=world["os"])])
        Component.objects.create(system=other, name=f"X{n} web", kind="web")
    assert count() == few
    assert RuleResult.objects.filter(system__code="X5").count() == len(RuleKind)


def test_the_job_evaluates_and_the_pages_show_the_results(world: dict, admin_client) -> None:  # type: ignore[no-untyped-def]
    rule("R-OWN", RuleKind.OWNER_AND_BACKUP)
    result = jobs.evaluate_rules.body(None)
    assert result["systems"] == 1 and result[Outcome.FAILED] == 1
    page = admin_client.get(world["system"].get_absolute_url()).content.decode()
    assert "R-OWN" in page and "Sistema neturi nei savininko padalinio, nei atsarginio kopijavimo politikos." in page
    overview = admin_client.get("/governance/conformance/").content.decode()
    assert "R-OWN" in overview and world["system"].code in overview


def test_the_demo_refuses_to_skip_what_it_does_not_find() -> None:
    from irtis.governance import demo

    with pytest.raises(LookupError):
        demo._one(SystemPlan, system__code="NĖRA")


def test_requirements_docx_numbers_the_rules_of_the_category_and_the_catalogue(admin_client) -> None:  # type: ignore[no-untyped-def]
    import io

    from docx import Document

    top = system("S").category
    other = system("T", cat="II").category
    rule("R-DC", RuleKind.DATA_CENTRES, minimum=2, category=top)
    rule("R-II", RuleKind.OWNER_AND_BACKUP, category=other)
    rule("R-ALL", RuleKind.INTERNET_IN_DMZ)
    technology("Oracle 19c", Lifecycle.APPROVED, versions=(version("Oracle", "19c", "dbms"),))
    technology("Oracle 12c", Lifecycle.FORBIDDEN, retire_by=dt.date(2023, 1, 1))
    response = admin_client.get(f"/governance/requirements/{top.pk}/requirements.docx")
    assert response.status_code == 200
    lines = [p.text for p in Document(io.BytesIO(response.content)).paragraphs]
    assert any(line.startswith("2.1. Iš interneto pasiekiami komponentai") and "R-ALL" in line for line in lines)
    assert any(line.startswith("2.2. Sistema turi veikti ne mažiau kaip 2 duomenų") and "R-DC" in line
               for line in lines)
    assert not any("R-II" in line for line in lines)
    assert any(line.startswith("3.1.1. Oracle 19c") and "Oracle 19c" in line for line in lines)
    assert any(line.startswith("3.4.1. Oracle 12c") and "2023-01-01" in line for line in lines)
    assert "/governance/requirements/" in admin_client.get("/governance/requirements/").content.decode()


def test_baseline_stores_the_approved_description_and_shows_what_changed(world: dict, admin_client) -> None:  # type: ignore[no-untyped-def]
    from irtis.audit.models import AuditEntry
    from irtis.governance.models import Baseline

    url = f"/governance/baselines/system/{world['system'].pk}/"
    assert admin_client.post(url, {"note": "Patvirtinta"}).status_code == 302
    baseline = Baseline.objects.get()
    assert len(baseline.sha256) == 64 and baseline.approved_by.username == "admin" and baseline.content["sections"]
    entry = AuditEntry.objects.filter(object_id=baseline.pk, object_repr=str(baseline)).get()
    assert entry.after["sha256"] == baseline.sha256
    page = admin_client.get(url).content.decode()
    assert baseline.sha256 in page and "Aprašas nepasikeitė nuo patvirtinimo." in page
    vm("web-3", world["cluster"])
    component(world["system"], "S naujas", [vm("new-1", world["cluster"])])
    page = admin_client.get(url).content.decode()
    assert "Aprašas nepasikeitė nuo patvirtinimo." not in page and "S naujas" in page and "+ " in page
