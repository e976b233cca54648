"""Proposals: the file format with errors by path, the automatic check (catalogue, rules, N-1
capacity, flows, addresses) with each finding citing what it checks, the decision, the report."""

import datetime as dt
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from docx import Document

from irtis.governance import check
from irtis.governance.models import Lifecycle, RuleKind
from irtis.governance.proposals_models import Proposal, ProposalComponent, ProposalFinding
from irtis.network.models import IPAddress, Prefix, SecurityZone
from tests.flows.factories import flow
from tests.virtualization.factories import cluster, host

from .factories import rule, technology, version

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(admin_client):  # type: ignore[no-untyped-def]
    """The findings are written in the language of the page that runs the check: English here."""
    from django.conf import settings

    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return admin_client


@pytest.fixture
def world(english) -> dict:  # type: ignore[no-untyped-def]
    cl = cluster("CL-A")
    for n in range(3):
        host(cl, f"esx-{n}", cores=16, memory_gb=256)  # N-1: 32 cores × 4 = 128 vCPU, 512 GB
    zones = {code: SecurityZone.objects.create(code=code, name=code, trust_level=level)
             for code, level in (("DMZ", 2), ("PROD", 4))}
    prefix = Prefix.objects.create(prefix="10.9.0.0/29", status="active")  # 6 usable
    IPAddress.objects.create(address="10.9.0.1/29")
    os9 = version("Linux", "9", support_end=dt.date(2040, 1, 1))
    db = version("PgSQL", "16", "dbms")
    technology("Linux", versions=(os9,))
    technology("PgSQL 16", Lifecycle.RETIRING, versions=(db,), area="data", retire_by=dt.date(2030, 1, 1))
    return {"cluster": cl, "zones": zones, "prefix": prefix, "os": os9, "db": db}


def _file(components: int = 2, **values: object) -> dict:
    data: dict = {"code": "P-1", "name": "Nauja sistema", "cluster": "CL-A", "prefix": "10.9.0.0/29",
                  "owner_unit": "Skyrius", "backup_planned": True, "planned_end": "2035-12-31",
                  "components": [{"name": f"dalis {n}", "kind": "application", "operating_system": "Linux 9",
                                  "zone": "PROD", "vcpu": 2, "memory_gb": 4, "ip_addresses": 1}
                                 for n in range(components)],
                  "interfaces": [{"name": "web", "source_zone": "DMZ", "destination_zone": "PROD", "ports": "443"}]}
    data.update(values)
    return data


def _upload(client, data: object, name: str = "p.json") -> object:  # type: ignore[no-untyped-def]
    body = data if isinstance(data, bytes) else json.dumps(data).encode()
    upload = io.BytesIO(body)
    upload.name = name
    return client.post("/governance/proposals/upload/", {"file": upload})


def test_a_bad_file_gets_errors_by_path_and_writes_nothing(world: dict, admin_client) -> None:  # type: ignore[no-untyped-def]
    data = _file(4)
    data["components"][3]["vcpu"] = 0
    data["components"][1]["memory_gb"] = "daug"
    data["components"][2]["zone"] = "NĖRA"
    data["interfaces"][0]["colour"] = "red"
    response = _upload(admin_client, data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "components[3].vcpu: must be a positive integer" in page or "components[3].vcpu:" in page
    assert "components[1].memory_gb:" in page and "interfaces[0].colour:" in page
    assert Proposal.objects.count() == 0
    data = _file(4)
    data["components"][2]["zone"] = "NĖRA"
    data["components"][0]["name"] = "dalis 1"
    page = _upload(admin_client, data).content.decode()
    assert "components[2].zone:" in page and "NĖRA" in page and "components[1].name:" in page
    assert Proposal.objects.count() == 0
    assert _upload(admin_client, b"{not json").status_code == 400
    assert _upload(admin_client, b"- a\n- b\n", "p.yaml").status_code == 400


def test_upload_yaml_writes_and_checks(world: dict, admin_client) -> None:  # type: ignore[no-untyped-def]
    import yaml

    response = _upload(admin_client, yaml.safe_dump(_file(3), allow_unicode=True).encode(), "p.yaml")
    proposal = Proposal.objects.get(code="P-1")
    assert response.status_code == 302 and response["Location"] == proposal.get_absolute_url()
    assert proposal.components.count() == 3 and proposal.interfaces.count() == 1 and proposal.checked
    assert proposal.findings.filter(automatic=True).exists()


def _proposal(world: dict, admin_client, **values: object) -> Proposal:  # type: ignore[no-untyped-def]
    assert _upload(admin_client, _file(**values)).status_code == 302
    return Proposal.objects.get(code="P-1")


def _citations(proposal: Proposal) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for finding in proposal.findings.all():
        found.setdefault(finding.severity, []).append(f"{finding.citation} | {finding.message}")
    return found


def test_check_cites_catalogue_rules_capacity_flows_and_addresses(world: dict, admin_client) -> None:  # type: ignore[no-untyped-def]
    rule("R-DB", RuleKind.DBMS_APPROVED)
    rule("R-DMZ", RuleKind.INTERNET_IN_DMZ)
    data = _file(2)
    data["components"].append({"name": "db", "kind": "database", "software_version": "PgSQL 16",
                               "operating_system": "Linux 9", "zone": "PROD", "vcpu": 200, "memory_gb": 8,
                               "ip_addresses": 4, "internet_facing": True})
    assert _upload(admin_client, data).status_code == 302
    found = _citations(Proposal.objects.get())
    text = "\n".join(line for lines in found.values() for line in lines)
    assert any("Catalogue: PgSQL 16" in line for line in found["major"]), found            # retiring
    assert any(line.startswith("Rule R-DB (principle AP-1)") for line in found["major"])
    assert any(line.startswith("Rule R-DMZ") and "db" in line for line in found["blocking"])
    assert any("Capacity of cluster CL-A (N-1)" in line and "vCPU" in line for line in found["blocking"])
    assert any("Capacity of cluster CL-A (N-1)" in line and "memory" in line for line in found["info"])  # fits
    assert any("Address space" in line and "6 addresses needed, 5 free" in line for line in found["blocking"])
    assert "no approved flow from zone DMZ to PROD" in text


def test_approved_flow_and_enough_room_pass(world: dict, admin_client) -> None:  # type: ignore[no-untyped-def]
    flow("DMZ-PROD https", world["zones"]["DMZ"], world["zones"]["PROD"], ports="443,8443")
    proposal = _proposal(world, admin_client)
    found = _citations(proposal)
    assert set(found) == {"info"}, found
    assert any("Flow DMZ-PROD https" in line for line in found["info"])


def test_cannot_evaluate_is_a_finding_never_a_pass(world: dict, admin_client) -> None:  # type: ignore[no-untyped-def]
    rule("R-OS", RuleKind.OS_SUPPORTED)
    proposal = _proposal(world, admin_client, cluster=None, prefix=None, planned_end=None)
    text = "\n".join(line for lines in _citations(proposal).values() for line in lines)
    assert "Cannot be evaluated: no target cluster is given." in text
    assert "Cannot be evaluated: no target prefix is given." in text
    assert "Cannot be evaluated: the planned end of life is not given." in text


def test_rechecking_replaces_automatic_findings_and_keeps_manual_ones(world: dict, admin_client) -> None:  # type: ignore[no-untyped-def]
    proposal = _proposal(world, admin_client)
    ProposalFinding.objects.create(proposal=proposal, citation="Architektas", message="Reikia apkrovos testo")
    automatic = proposal.findings.filter(automatic=True).count()
    assert admin_client.post(f"/governance/proposals/{proposal.pk}/check/").status_code == 302
    assert proposal.findings.filter(automatic=True).count() == automatic
    assert proposal.findings.filter(automatic=False).count() == 1


def test_check_queries_do_not_grow_with_components(world: dict, admin_client) -> None:  # type: ignore[no-untyped-def]
    proposal = _proposal(world, admin_client)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            check.findings(proposal)
        return len(captured.captured_queries)

    count()  # the proposal's target prefix is read once, then held
    few = count()
    for n in range(20):
        ProposalComponent.objects.create(proposal=proposal, name=f"x{n}", kind="web", vcpu=1, memory_gb=1,
                                         operating_system=world["os"], zone=world["zones"]["DMZ"])
    assert count() == few


def test_decision_needs_who_and_when_and_conditions_their_text(world: dict) -> None:
    from django.core.exceptions import ValidationError

    proposal = Proposal.objects.create(code="P-2", name="Pakeitimas")
    proposal.status = Proposal.Status.CONDITIONS
    with pytest.raises(ValidationError) as refused:
        proposal.full_clean()
    assert "decided_on" in refused.value.message_dict


def test_report_docx_lists_findings_with_their_citations(world: dict, admin_client) -> None:  # type: ignore[no-untyped-def]
    proposal = _proposal(world, admin_client)
    response = admin_client.get(f"/governance/proposals/{proposal.pk}/report.docx")
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    cells = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    assert any("CL-A" in c for c in cells)
    assert {f.citation for f in proposal.findings.all()} <= cells
    assert any(p.text.startswith("Atitikties ataskaita") for p in document.paragraphs)


def test_report_pdf_is_lithuanian_and_audited(world: dict, admin_client) -> None:  # type: ignore[no-untyped-def]
    from pypdf import PdfReader

    from irtis.audit.models import AuditEntry

    proposal = _proposal(world, admin_client)
    response = admin_client.get(f"/governance/proposals/{proposal.pk}/report.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Atitikties ataskaita" in text and "Radiniai" in text and "Sprendimas" in text
    assert all(f.citation.split()[0] in text for f in proposal.findings.all())
    entry = AuditEntry.objects.get(action="document_generated", object_id=proposal.pk)
    assert entry.after["format"] == "pdf" and entry.after["document"].endswith("/conformance")
    assert admin_client.get(f"/governance/proposals/{proposal.pk}/report.html").status_code == 404


def test_schema_is_served(admin_client) -> None:  # type: ignore[no-untyped-def]
    schema = admin_client.get("/governance/proposals/schema/").json()
    assert "components" in schema["properties"]


def test_an_agreed_proposal_becomes_planned_objects(world: dict, admin_client, admin_user) -> None:  # type: ignore[no-untyped-def]
    from irtis.governance.models import SystemPlan
    from irtis.systems.models import Component, InformationSystem

    proposal = _proposal(world, admin_client)
    url = f"/governance/proposals/{proposal.pk}/plan/"
    assert admin_client.post(url).status_code == 409  # a draft is not agreed
    assert not InformationSystem.objects.filter(code="P-1").exists()
    proposal.status, proposal.decided_by, proposal.decided_on = "agreed", admin_user, dt.date(2026, 12, 1)
    proposal.save()
    response = admin_client.post(url)
    system = InformationSystem.objects.get(code="P-1")
    assert response.status_code == 302 and response["Location"] == system.get_absolute_url()
    assert system.lifecycle == "planned" and system.owner_unit == "Skyrius"
    components = Component.objects.filter(system=system)
    assert sorted(c.name for c in components) == ["dalis 0", "dalis 1"]
    assert all([z.code for z in c.zones.all()] == ["PROD"] for c in components)
    assert SystemPlan.objects.get(system=system).planned_end == dt.date(2035, 12, 31)
    assert admin_client.post(url).status_code == 302 and components.count() == 2  # again: nothing doubled


def test_storage_is_checked_against_the_named_disk_array(world: dict, admin_client) -> None:  # type: ignore[no-untyped-def]
    from decimal import Decimal

    from irtis.inventory.models import StorageCapacity
    from tests.inventory import factories as inventory

    array = StorageCapacity.objects.create(device=inventory.device("masyvas-1", role=inventory.role("Diskų masyvas")),
                                           raw_tb=10, usable_tb=8, used_tb=Decimal("7.5"))  # 500 GB free
    data = _file(2, storage="masyvas-1")
    for component in data["components"]:
        component["storage_gb"] = 300  # 600 GB needed
    assert _upload(admin_client, data).status_code == 302
    proposal = Proposal.objects.get(code="P-1")
    assert proposal.storage == array
    blocking = _citations(proposal)["blocking"]
    assert "Capacity of disk array masyvas-1 | Storage: 600 GB needed, 500 GB free." in blocking
    array.used_tb = Decimal("7")
    array.save()
    admin_client.post(f"/governance/proposals/{proposal.pk}/check/")
    assert "Capacity of disk array masyvas-1 | Storage: 600 GB needed fits, 1000 GB free." in _citations(
        proposal)["info"]
    missing = _upload(admin_client, _file(1, code="P-2", storage="nėra"))
    assert missing.status_code == 400 and "storage:" in missing.content.decode()
