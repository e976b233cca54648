"""Writing scans: links to the estate, due dates by severity, the re-import's update, close and reopen,
all or nothing, audited, and in a number of queries that does not grow with the results."""

import hashlib
import io
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from irtis.audit.models import AuditEntry
from irtis.risks import jobs
from irtis.risks.models import Assessment, Finding, Severity
from irtis.tasks.models import Run, Status
from irtis.tasks.runs import Refused, execute

from .factories import estate, result, scan
from .reports import Result, greenbone

pytestmark = pytest.mark.django_db
DAY = date(2026, 11, 30)


def test_findings_are_linked_to_the_estate_with_owner_and_due_date():
    found = estate()
    _assessment, counts = scan([result("10.10.1.5", cvss="9.8"), result("10.10.2.7", cvss="5.0"),
                                result("10.99.0.1", cvss="2.0")], DAY)
    assert counts.created == 3 and counts.linked == 2
    by_host = {f.host: f for f in Finding.objects.all()}
    mdas = by_host["10.10.1.5"]
    assert (mdas.ip_address, mdas.device, mdas.severity, mdas.owner) == (
        found["address"], found["device"], Severity.CRITICAL, found["owner"])
    assert mdas.due_date == DAY + timedelta(days=7) and [s.code for s in mdas.systems.all()] == ["MDAS"]
    ntks = by_host["10.10.2.7"]
    assert (ntks.virtual_machine, ntks.severity, ntks.due_date, ntks.owner) == (
        found["vm"], Severity.MEDIUM, DAY + timedelta(days=90), None)
    assert [s.code for s in ntks.systems.all()] == ["NTKS"]
    stray = by_host["10.99.0.1"]
    assert (stray.ip_address, stray.device, stray.severity, list(stray.systems.all())) == (None, None, "low", [])
    assert AuditEntry.objects.filter(content_type__model="finding", action="create").count() == 3


def test_due_days_follow_the_setting(settings):
    settings.IRTIS_FINDING_DUE_DAYS = {"high": 14}
    scan([result("10.0.0.1", cvss="7.0")], DAY)
    assert Finding.objects.get().due_date == DAY + timedelta(days=14)


def test_a_later_scan_updates_closes_and_reopens():
    scan([result("10.0.0.1", oid="A"), result("10.0.0.1", oid="B"), result("10.0.0.1", oid="C"),
          result("10.0.0.2", oid="A")], DAY)
    fp = Finding.objects.get(nvt_oid="C")
    fp.status = Finding.Status.FALSE_POSITIVE
    fp.full_clean()
    fp.save()
    later = DAY + timedelta(days=7)
    second, counts = scan([result("10.0.0.1", oid="A", cvss="9.1")], later)
    assert (counts.created, counts.updated, counts.closed) == (0, 1, 2)
    status = {(f.nvt_oid, f.host): (f.status, f.closed_on) for f in Finding.objects.all()}
    assert status == {("A", "10.0.0.1"): ("open", None), ("B", "10.0.0.1"): ("fixed", later),
                      ("C", "10.0.0.1"): ("false_positive", fp.closed_on), ("A", "10.0.0.2"): ("fixed", later)}
    kept = Finding.objects.get(nvt_oid="A", host="10.0.0.1")
    assert (kept.severity, kept.assessment, kept.first_seen, kept.last_seen) == ("critical", second, DAY, later)
    _third, counts = scan([result("10.0.0.1", oid="A", cvss="9.1"), result("10.0.0.1", oid="B")],
                          later + timedelta(days=7))
    assert (counts.created, counts.reopened) == (0, 1)
    reopened = Finding.objects.get(nvt_oid="B")
    assert (reopened.status, reopened.closed_on, reopened.due_date) == (
        "open", None, later + timedelta(days=7 + 30))
    # a finding recorded by hand in the scope is not the scanner's to close
    manual = Finding(assessment=second, title="Rankinis", host="10.0.0.9")
    manual.full_clean()
    manual.save()
    scan([result("10.0.0.1", oid="A", cvss="9.1")], later + timedelta(days=8))
    manual.refresh_from_db()
    assert manual.status == "open" and manual.scope == "DC1"
    # another scope's scan touches none of these
    scan([], DAY, scope="DC2")
    assert Finding.objects.filter(status="open").count() == 2


def test_queries_do_not_grow_with_the_results():
    estate()

    def queries(n: int, scope: str) -> int:
        hosts = [f"10.10.{i // 200}.{i % 200 + 1}" for i in range(n)]
        with CaptureQueriesContext(connection) as captured:
            scan([result(h, oid=str(i)) for i, h in enumerate(hosts)], DAY, scope=scope)
        return len(captured)

    assert queries(5, "A") == queries(60, "B")


def _upload(client, data: bytes, reader: str = "greenbone", **extra: str):
    return client.post(reverse("risks_pages:import"), {
        "file": io.BytesIO(data), "reader": reader, "kind": "scan", "performer": "SOC", **extra})


def test_upload_runs_in_the_background_and_keeps_the_report_hash(admin_client, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    data = greenbone([Result("10.0.0.1"), Result("10.0.0.2")])
    response = _upload(admin_client, data)
    assert response.status_code == 200
    run = Run.objects.get(task="irtis.risks.jobs.import_scan")
    assert list(jobs.upload_dir().iterdir())  # kept on the server, not in the run's arguments
    execute(str(run.pk))
    run.refresh_from_db()
    assert run.status == Status.DONE, run.error
    assert run.result["created"] == 2 and not list(jobs.upload_dir().iterdir())
    assessment = Assessment.objects.get()
    assert (assessment.scope, assessment.performed_on, assessment.report_sha256) == (
        "DC1 serveriai", DAY, hashlib.sha256(data).hexdigest())
    assert AuditEntry.objects.filter(content_type__model="finding", source="job").count() == 2


@pytest.mark.parametrize(("data", "reader", "message"), [
    (greenbone([Result("10.0.0.1"), Result("10.0.0.2", severity="x")]), "greenbone", "result 2: the CVSS"),
    (greenbone([Result("10.0.0.1")])[:-30], "greenbone", "not well-formed XML"),
    (b"host;title\n10.0.0.1;X\n", "csv", "does not say when the assessment was performed"),
])
def test_a_bad_file_fails_the_run_and_writes_nothing(admin_client, settings, tmp_path, data, reader, message):
    settings.DATA_DIR = tmp_path
    scan([result("10.0.0.1")], DAY, scope="DC1 serveriai")
    _upload(admin_client, data, reader=reader, scope="DC1 serveriai" if reader == "csv" else "")
    run = Run.objects.get(task="irtis.risks.jobs.import_scan")
    with pytest.raises(Refused), translation.override("en"):  # the request left Lithuanian active
        execute(str(run.pk))
    run.refresh_from_db()
    assert run.status == Status.FAILED and message.lower() in run.error.lower(), run.error
    assert Assessment.objects.count() == 1 and Finding.objects.get().status == "open"


def test_import_needs_the_permissions(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("viewer"))
    assert client.get(reverse("risks_pages:import")).status_code == 403
