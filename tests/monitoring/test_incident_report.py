"""The Cyber Security Law reports of an incident as PDF documents in Lithuanian, with the hash of
their content, downloadable from the incident's page and recorded in the audit trail."""

import io
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from pypdf import PdfReader

from irtis.audit.models import AuditEntry
from irtis.core.models import JournalEntry
from irtis.monitoring import report
from irtis.monitoring.models import Incident
from tests.systems.factories import system

pytestmark = pytest.mark.django_db


def incident(user) -> Incident:  # type: ignore[no-untyped-def]
    detected = timezone.now() - timedelta(days=2)
    made = Incident.objects.create(
        number="INC-2026-0007", title="Duomenų masyvo gedimas", severity="critical", significant=True,
        cause="masyvas-1", detected_at=detected, acknowledged_at=detected + timedelta(minutes=9),
        acknowledged_by=user, root_cause="Sugedęs valdiklis ir pasenusi programinė įranga.",
        review="Pakeistas valdiklis; įdiegta stebėsena; atnaujinta programinė įranga.",
        early_warning_at=detected + timedelta(hours=20))
    made.systems.set([system("MDAS"), system("NCTS")])
    JournalEntry.objects.create(content_type=ContentType.objects.get_for_model(Incident), object_id=made.pk,
                                author=user, comments="Informuotas NKSC budėtojas.")
    return made


def text(body: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)


def test_the_final_report_states_the_timeline_systems_cause_and_measures(admin_user) -> None:  # type: ignore[no-untyped-def]
    made = incident(admin_user)
    body, digest = report.build(made, "final_report")
    assert body.startswith(b"%PDF")
    written = " ".join(text(body).split())
    for expected in ("INC-2026-0007", "MDAS", "NCTS", "masyvas-1", "Sugedęs valdiklis", "Pakeistas valdiklis",
                     "Informuotas NKSC budėtojas.", digest):
        assert expected in written, expected
    assert digest == report.sha256(report.content(made, "final_report"))
    entry = AuditEntry.objects.filter(action="document_generated").latest("id")
    assert entry.object_id == made.pk and entry.after["sha256"] == digest and entry.after["format"] == "pdf"


def test_the_early_warning_leaves_out_what_is_not_known_yet(admin_user) -> None:  # type: ignore[no-untyped-def]
    made = incident(admin_user)
    body, digest = report.build(made, "early_warning")
    written = " ".join(text(body).split())
    assert "Pakeistas valdiklis" not in written  # measures are the final report's
    assert digest != report.sha256(report.content(made, "final_report"))
    made.root_cause = "Kita priežastis"
    made.save()
    assert report.sha256(report.content(made, "final_report")) != report.sha256(
        report.content(Incident.objects.get(pk=made.pk), "early_warning"))


def test_the_report_is_downloaded_from_the_incident_page_by_who_may_view_it(admin_client, admin_user, client,  # type: ignore[no-untyped-def]
                                                                           django_user_model) -> None:
    made = incident(admin_user)
    page = admin_client.get(made.get_absolute_url()).content.decode()
    link = f"/monitoring/incidents/{made.pk}/report/notification.pdf"
    assert link in page
    answer = admin_client.get(link)
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    assert "INC-2026-0007-pranesimas.pdf" in answer["Content-Disposition"]
    assert answer["X-Content-SHA256"] in " ".join(text(answer.content).split())
    assert admin_client.get(f"/monitoring/incidents/{made.pk}/report/other.pdf").status_code == 404
    nobody = django_user_model.objects.create_user("nobody", password="Sl4ptas-Ilgas!")
    client.force_login(nobody)
    assert client.get(link).status_code == 404
