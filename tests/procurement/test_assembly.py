"""A draft specification drawn from the technology catalogue and the architecture rules: numbered,
mandatory or evaluated, with proof; nothing twice; audited; refused on an approved version."""

import pytest

from irtis.audit.models import AuditEntry
from irtis.governance.models import Lifecycle, Proposal, RuleKind
from irtis.procurement import assembly, specifications
from irtis.procurement.models import Requirement, Specification
from irtis.systems.models import ImportanceCategory
from tests.governance.factories import rule, technology, version

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue() -> dict:
    category = ImportanceCategory.objects.create(code="K1", name="Pirma", rank=1)
    return {
        "postgres": technology("PostgreSQL", versions=(version("PostgreSQL", "16", kind="dbms"),),
                               area="data"),
        "rhel": technology("RHEL", Lifecycle.TOLERATED),
        "old": technology("Windows 2012", Lifecycle.RETIRING),
        "general": rule("R-1", RuleKind.INTERNET_IN_DMZ),
        "k1": rule("R-2", RuleKind.DATA_CENTRES, category=category, minimum=2),
        "other": rule("R-3", RuleKind.OWNER_AND_BACKUP,
                      category=ImportanceCategory.objects.create(code="K2", name="Antra", rank=2)),
        "category": category,
    }


def test_requirements_are_drawn_numbered_once_and_audited(admin_user, catalogue):
    spec = f.specification("TS-D", requirements=3)
    drawn = assembly.assemble(spec, admin_user, [catalogue["postgres"].pk, catalogue["rhel"].pk],
                              catalogue["category"], kind="evaluated")
    rows = list(spec.requirements.filter(number__gt=3).order_by("number"))
    assert [r.number for r in rows] == [4, 5, 6, 7] and len(drawn.added) == 4 and drawn.skipped == 0
    assert [r.source for r in rows] == [f"technology:{catalogue['postgres'].pk}", f"technology:{catalogue['rhel'].pk}",
                                        f"rule:{catalogue['general'].pk}", f"rule:{catalogue['k1'].pk}"]
    assert "PostgreSQL 16" in rows[0].text and rows[0].kind == "evaluated" and rows[0].proof
    assert "at least 2 data centres" in rows[3].text and "R-2" in rows[3].text and rows[3].kind == "mandatory"
    assert {r.section for r in rows} == {"Technology catalogue", "Architecture requirements"}
    created = AuditEntry.objects.filter(action="create", object_id__in=[r.pk for r in rows],
                                        content_type__model="requirement")
    assert created.count() == 4

    again = assembly.assemble(spec, admin_user, [catalogue["postgres"].pk], catalogue["category"])
    assert again.added == [] and again.skipped == 3 and spec.requirements.count() == 7


def test_a_proposal_brings_its_categorys_rules(admin_user, catalogue):
    spec = f.specification("TS-P", requirements=0)
    proposal = Proposal.objects.create(code="PR-1", name="Nauja sistema", category=catalogue["category"])
    assembly.assemble(spec, admin_user, proposal=proposal)
    assert sorted(spec.requirements.values_list("source", flat=True)) == sorted(
        [f"rule:{catalogue['general'].pk}", f"rule:{catalogue['k1'].pk}"])


def test_an_approved_specification_and_a_retiring_technology_are_refused(admin_user, catalogue):
    approved = f.approved("TS-OK")
    with pytest.raises(specifications.ActionRefused, match="approved specification cannot be edited"):
        assembly.assemble(approved, admin_user, [catalogue["postgres"].pk])
    draft = f.specification("TS-R", requirements=0)
    with pytest.raises(specifications.ActionRefused, match="approved or tolerated"):
        assembly.assemble(draft, admin_user, [catalogue["old"].pk])
    with pytest.raises(specifications.ActionRefused, match="Choose catalogue entries"):
        assembly.assemble(draft, admin_user)
    assert not draft.requirements.exists() and approved.requirements.count() == 3


def test_a_new_version_keeps_what_was_drawn(admin_user, catalogue):
    spec = f.specification("TS-V", requirements=0)
    assembly.assemble(spec, admin_user, [catalogue["postgres"].pk])
    specifications.approve(spec, admin_user)
    draft = specifications.new_version(spec, admin_user)
    assert assembly.assemble(draft, admin_user, [catalogue["postgres"].pk]).added == []


def test_page_and_api(admin_client, catalogue):
    spec = f.specification("TS-W", requirements=1)
    page = admin_client.get(f"/procurement/specifications/{spec.pk}/assemble/")
    assert page.status_code == 200 and "PostgreSQL" in page.content.decode() and "Windows 2012" not in \
        page.content.decode()
    answer = admin_client.post(f"/procurement/specifications/{spec.pk}/assemble/",
                               {"technologies": [catalogue["postgres"].pk], "kind": "mandatory"})
    assert answer.status_code == 302 and spec.requirements.count() == 2
    bad = admin_client.post(f"/procurement/specifications/{spec.pk}/assemble/", {"technologies": ["x"]})
    assert bad.status_code == 400 and "Pasirinkite iš sąrašų." in bad.content.decode()  # Lithuanian first
    api = admin_client.post(f"/api/procurement/specifications/{spec.pk}/assemble/",
                            {"category": catalogue["category"].pk}, content_type="application/json")
    assert api.status_code == 200 and len(api.json()["added"]) == 2 and api.json()["skipped"] == 0
    Specification.objects.filter(pk=spec.pk).update(status="approved")
    refused = admin_client.post(f"/api/procurement/specifications/{spec.pk}/assemble/",
                                {"technologies": [catalogue["rhel"].pk]}, content_type="application/json")
    assert refused.status_code == 409 and "keisti negalima" in refused.json()["detail"]
    page = admin_client.post(f"/procurement/specifications/{spec.pk}/assemble/",
                             {"technologies": [catalogue["rhel"].pk]})
    assert page.status_code == 409 and "keisti negalima" in page.content.decode()
    assert Requirement.objects.filter(specification=spec).count() == 4
