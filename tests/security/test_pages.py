"""The dashboard (page and API) in a constant number of queries, the statement of applicability
as page, PDF and XLSX, and the evidence pack written by a background run."""

import hashlib
import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from irtis.architecture import pdf
from irtis.security import evidence as evidence_files
from irtis.security import jobs, pack, run
from irtis.security.models import Control, RequirementMapping
from irtis.tasks.models import Status as RunStatus
from irtis.tasks.runs import execute
from tests.support.language import choose

from . import factories

pytestmark = pytest.mark.django_db


def _estate(n: int) -> None:
    """n automatic and n manual controls over two frameworks with a mapping, n systems, three
    evaluations (a history)."""
    lt, iso = factories.framework("LT"), factories.framework("ISO")
    for i in range(n):
        ours, theirs = factories.requirement(f"LT-{i}", lt), factories.requirement(f"A.{i}", iso)
        RequirementMapping.objects.get_or_create(source=ours, target=theirs)
        factories.control(f"K-A{i}", "certificates_valid", ours)
        factories.control(f"K-M{i}", "", theirs)
        factories.system(f"S{i}")
    for _ in range(3):
        run.evaluate()


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as done:
        assert client.get(url).status_code == 200
    return len(done)


def test_the_dashboard_runs_a_constant_number_of_queries(admin_client) -> None:
    _estate(2)
    small = _queries(admin_client, reverse("security_pages:board"))
    Control.objects.all().delete()
    _estate(12)
    assert _queries(admin_client, reverse("security_pages:board")) == small
    assert _queries(admin_client, "/api/security/dashboard/") <= small


def test_the_dashboards_figures(admin_client) -> None:
    _estate(2)
    body = admin_client.get("/api/security/dashboard/").json()
    # Through the mappings both frameworks count all four controls: the manual ones have no
    # evidence (failed), no certificate is recorded (not applicable, left out of the percentage).
    for framework in body["frameworks"]:
        assert {k: framework[k] for k in ("passed", "failed", "unknown", "not_applicable", "percent")} == {
            "passed": 0, "failed": 2, "unknown": 0, "not_applicable": 2, "percent": 0}
        assert [point["percent"] for point in framework["trend"]] == [0, 0, 0]  # three evaluations
    assert {c["code"]: len(c["history"]) for c in body["controls"]} == {
        "K-A0": 3, "K-A1": 3, "K-M0": 3, "K-M1": 3}
    assert sorted(s["code"] for s in body["systems"]) == ["S0", "S1"]
    assert admin_client.get(reverse("security_pages:board")).content.count(b"badge rounded-pill") == 12


def test_the_dashboard_needs_the_permission(client, django_user_model) -> None:
    client.force_login(django_user_model.objects.create_user("nobody", "n@example.lt", "x"))
    assert client.get(reverse("security_pages:board")).status_code == 403
    assert client.get("/api/security/dashboard/").status_code == 403
    assert client.post("/api/security/evaluate/").status_code == 403


def test_a_controls_results_page_and_api(admin_client) -> None:
    _estate(1)
    control = Control.objects.get(code="K-M0")
    page = choose(admin_client, "en").get(reverse("security_pages:results", args=[control.pk]))
    assert page.status_code == 200 and b"No evidence uploaded" in page.content
    [first, *_rest] = admin_client.get(f"/api/security/controls/{control.pk}/results/",
                                       HTTP_ACCEPT_LANGUAGE="en").json()
    assert first["status"] == "failed" and first["reason"] == "No evidence uploaded"


def test_the_statement_of_applicability_as_page_and_xlsx(admin_client) -> None:
    _estate(1)
    framework = factories.framework("ISO")
    page = admin_client.get(reverse("security_pages:soa", args=[framework.pk]))
    assert page.status_code == 200 and b"K-A0" in page.content  # through the mapping LT-0 ↔ A.0
    book = openpyxl.load_workbook(io.BytesIO(choose(admin_client, "en").get(
        reverse("security_pages:soa_xlsx", args=[framework.pk])).content))
    rows = list(book.active.values)
    assert rows[1][0] == "A.0" and rows[1][4] == "K-A0; K-M0" and rows[1][5] == "failed"


@pytest.mark.skipif(bool(pdf.unavailable()), reason="WeasyPrint cannot run here")
def test_the_evidence_pack_holds_the_summary_the_files_and_their_hashes(admin_client, admin_user,
                                                                      django_capture_on_commit_callbacks) -> None:
    framework = factories.framework("ISO")
    control = factories.control("K-RISK", "", factories.requirement("A.1", framework))
    kept, changed = factories.evidence(control), factories.evidence(control)
    for item, body in ((kept, b"ataskaita"), (changed, b"kita")):
        evidence_files.store(item, SimpleUploadedFile("a.txt", body), admin_user)
    evidence_files.path_of(changed).write_bytes(b"pakeista")
    assert admin_client.get(reverse("security_pages:soa_pdf", args=[framework.pk])).content.startswith(b"%PDF")

    assert pack.PACK_TASK == jobs.evidence_pack.module_path
    started = jobs.start_pack(framework.pk, admin_user, "en")
    execute(str(started.pk))
    started.refresh_from_db()
    assert started.status == RunStatus.DONE, started.error
    response = admin_client.get(reverse("security_pages:pack", args=[started.pk]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = archive.namelist()
    assert names == ["summary.pdf", f"evidence/K-RISK/{kept.pk}-a.txt", "SHA256SUMS"]
    for line in archive.read("SHA256SUMS").decode().splitlines():
        digest, name = line.split("  ")
        assert hashlib.sha256(archive.read(name)).hexdigest() == digest
    assert started.result["left_out"] == [changed.pk]
    url, path = reverse("security_pages:pack", args=[started.pk]), pack.pack_path(started.pk)
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        started.delete()  # as old runs are: the pack goes with it
    assert not path.exists() and admin_client.get(url).status_code == 404
