"""Response and resolution times measured from monitoring's incidents (in working hours when the
contract says so), the per-supplier roll-up in a fixed number of queries, the statement as DOCX
and PDF, and its sending to the supplier by e-mail — each audited."""

import datetime as dt
import hashlib
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from docx import Document

from irtis.audit.models import AuditEntry
from irtis.monitoring.models import Incident
from irtis.procurement import sla, statements
from irtis.procurement.models import ExternalService, Supplier, SupplierContact
from tests.risks.factories import system
from tests.support.smtp import free_port

from . import factories as f

pytestmark = pytest.mark.django_db
VILNIUS = ZoneInfo("Europe/Vilnius")
NOW = dt.datetime(2026, 11, 20, 12, tzinfo=VILNIUS)  # a Friday


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=VILNIUS)


def incident(measured, detected, acknowledged=None, resolved=None) -> Incident:
    made = Incident.objects.create(title="Ryšio sutrikimas", detected_at=detected, acknowledged_at=acknowledged,
                                   resolved_at=resolved, status="resolved" if resolved else "open")
    made.systems.add(measured)
    return made


def service(name, supplier, measured, contract=None, **values) -> ExternalService:
    values.setdefault("monthly_fee", Decimal("1000"))
    made = ExternalService(name=name, kind="wan", supplier=supplier, system=measured, contract=contract, **values)
    made.full_clean()
    made.save()
    return made


@pytest.fixture
def estate() -> dict:
    wan = system("WAN")
    working = f.contract("S-D", response_hours=Decimal("4"), resolution_hours=Decimal("8"), working_hours=True)
    other = f.supplier("UAB „Kitas“")
    clock = f.contract("S-P", supplier=other, response_hours=Decimal("4"), resolution_hours=Decimal("8"))
    incident(wan, at(2026, 9, 30, 23), at(2026, 10, 1, 10), at(2026, 10, 1, 11))  # before the months asked for
    incident(wan, at(2026, 10, 2, 16), at(2026, 10, 5, 9), at(2026, 10, 5, 15))  # Friday 16:00 → Monday
    incident(wan, at(2026, 11, 20, 6))  # not answered yet
    return {
        "working": service("WAN darbo valandomis", f.supplier(), wan, working, incident_penalty_rate=Decimal("2")),
        "clock": service("WAN visą parą", other, wan, clock, incident_penalty_rate=Decimal("2"),
                         penalty_cap=Decimal("3")),
        "system": wan,
    }


def test_response_and_resolution_are_measured_against_the_contract(estate):
    working, clock = sla.rollup([estate["working"], estate["clock"]], 2, NOW)
    october, november = working.months
    # Friday 16–17 and Monday 08–09 (2 working hours); resolved Monday 15:00: 1 + 7 = 8, not more than 8
    assert (october.start, october.incidents, october.response_hours, october.resolution_hours) == (
        dt.date(2026, 10, 1), 1, Decimal("2.00"), Decimal("8.00"))
    assert (october.late_responses, october.late_resolutions, october.penalty) == (0, 0, 0)
    # Friday 06:00 to 12:00 is 4 working hours (08–12): not yet late; nothing answered yet, so no mean
    assert (november.incidents, november.late_responses, november.late_resolutions) == (1, 0, 0)
    assert november.response_hours is None and november.resolution_hours is None
    october, november = clock.months
    # around the clock: 65 h to answer, 71 h to resolve — both late: 2 × 2 % = 4 %, capped at 3 % of 1,000
    assert (october.response_hours, october.resolution_hours) == (Decimal("65.00"), Decimal("71.00"))
    assert (october.late_responses, october.late_resolutions, october.breaches) == (1, 1, 2)
    assert (october.incident_penalty, october.penalty) == (Decimal("30.00"), Decimal("30.00"))
    # six hours unanswered: late for the 4 h response, not yet for the 8 h resolution
    assert (november.late_responses, november.late_resolutions, november.penalty) == (1, 0, Decimal("20.00"))
    [first, second] = sla.by_supplier([working, clock])
    assert (first.supplier.name, first.total, first.breaches) == ("UAB „Kitas“", Decimal("50.00"), 3)
    assert (second.months[0].incidents, second.total) == (1, Decimal("0"))


def test_the_rollup_reads_the_same_number_of_queries_whatever_the_services(admin_user, estate):
    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            statements.suppliers_rollup(admin_user, 3, now=NOW)
        return len(captured)

    small = count()
    for n in range(6):
        supplier = f.supplier(f"UAB Tiekėjas {n}")
        measured = system(f"SYS{n}")
        incident(measured, at(2026, 11, 2, 9), at(2026, 11, 2, 10), at(2026, 11, 3, 9))
        service(f"Paslauga {n}", supplier, measured, f.contract(f"S-{n}", supplier=supplier,
                                                                 response_hours=Decimal("1")))
    large = count()
    assert small == large == 5  # services; service levels, maintenance, down intervals; incidents
    assert len(statements.suppliers_rollup(admin_user, 3, now=NOW)) == 8


def test_pages_and_api_and_bad_months(admin_client, estate):
    supplier = estate["clock"].supplier
    page = admin_client.get("/procurement/supplier-sla/?months=3")
    assert page.status_code == 200 and "UAB „Kitas“" in page.content.decode()
    bad = admin_client.get("/procurement/supplier-sla/?months=trys")
    assert bad.status_code == 400 and "Mėnesių skaičius turi būti sveikasis skaičius nuo 1 iki 36." in \
        bad.content.decode()
    detail = admin_client.get(f"/procurement/suppliers/{supplier.pk}/sla/?months=3")
    assert detail.status_code == 200 and "WAN visą parą" in detail.content.decode()
    assert admin_client.get(f"/procurement/suppliers/{supplier.pk}/sla/?months=99").status_code == 400
    rows = admin_client.get("/api/procurement/supplier-sla/?months=3").json()
    assert {r["supplier_name"] for r in rows} == {"UAB „Kitas“", "UAB „Tiekėjas“"}
    one = admin_client.get(f"/api/procurement/suppliers/{supplier.pk}/sla/?months=2").json()
    assert one["services"][0]["name"] == "WAN visą parą" and len(one["months"]) == 2
    wrong = admin_client.get(f"/api/procurement/suppliers/{supplier.pk}/sla/?months=-1")
    assert wrong.status_code == 400 and "Mėnesių skaičius" in wrong.json()["detail"]
    spec = admin_client.get("/api/openapi.json").json()["paths"]
    assert {"/api/procurement/supplier-sla/", "/api/procurement/suppliers/{pk}/sla/",
            "/api/procurement/suppliers/{pk}/sla/{fmt}/", "/api/procurement/suppliers/{pk}/sla/send/",
            "/api/procurement/specifications/{pk}/assemble/"} <= set(spec)


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_the_statement_file_is_audited(admin_client, estate, fmt):
    supplier = estate["clock"].supplier
    answer = admin_client.get(f"/procurement/suppliers/{supplier.pk}/sla/{fmt}/?months=2")
    assert answer.status_code == 200
    body = answer.content
    entry = AuditEntry.objects.get(action="document_generated", object_id=supplier.pk)
    assert entry.after["file_sha256"] == hashlib.sha256(body).hexdigest() and entry.after["format"] == fmt
    if fmt == "pdf":
        assert body.startswith(b"%PDF")
    else:
        text = "\n".join(p.text for p in Document(io.BytesIO(body)).paragraphs)
        assert "PASLAUGŲ LYGIO ATASKAITA" in text and "WAN visą parą" in text
    api = admin_client.get(f"/api/procurement/suppliers/{supplier.pk}/sla/{fmt}/?months=2")
    assert api.status_code == 200 and AuditEntry.objects.filter(action="document_generated").count() == 2


def test_the_statement_is_emailed_to_the_supplier(admin_client, estate, smtp):
    supplier = estate["clock"].supplier
    contact = SupplierContact.objects.create(supplier=supplier, name="Rūta Petrauskienė", email="ruta@kitas.lt")
    answer = admin_client.post(f"/procurement/suppliers/{supplier.pk}/sla/send/", {"months": "2",
                                                                                   "contact": contact.pk})
    assert answer.status_code == 302
    [received] = smtp.mailbox.received
    assert received.rcpt_tos == ["ruta@kitas.lt"] and received.message["From"] == "irtis <irtis@muitine.lt>"
    assert received.message["Subject"].startswith("Paslaugų lygio ataskaita")
    files = {part.get_filename(): part.get_content() for part in received.message.iter_attachments()}
    assert sorted(name.rsplit(".", 1)[1] for name in files) == ["docx", "pdf"]
    entries = AuditEntry.objects.filter(action="document_generated", object_id=supplier.pk)
    assert {e.after["sent_to"] for e in entries} == {"ruta@kitas.lt"} and entries.count() == 2
    assert {e.after["file_sha256"] for e in entries} == {hashlib.sha256(b).hexdigest() for b in files.values()}

    Supplier.objects.filter(pk=supplier.pk).update(email="info@kitas.lt")
    api = admin_client.post(f"/api/procurement/suppliers/{supplier.pk}/sla/send/", {"months": "1"},
                            content_type="application/json")
    assert api.status_code == 200 and api.json()["sent_to"] == "info@kitas.lt"
    assert len(smtp.mailbox.received) == 2


def test_nothing_is_sent_without_an_address_or_a_server(admin_client, estate, settings):
    supplier = estate["working"].supplier
    settings.EMAIL_HOST = ""
    off = admin_client.post(f"/procurement/suppliers/{supplier.pk}/sla/send/", {"months": "2"})
    assert off.status_code == 400 and "Nenustatytas pašto serveris" in off.content.decode()
    settings.EMAIL_HOST = "127.0.0.1"
    answer = admin_client.post(f"/procurement/suppliers/{supplier.pk}/sla/send/", {"months": "2"})
    assert answer.status_code == 400 and "neturi el. pašto adreso" in answer.content.decode()
    api = admin_client.post(f"/api/procurement/suppliers/{supplier.pk}/sla/send/", {"months": "x"},
                            content_type="application/json")
    assert api.status_code == 400 and "Mėnesių skaičius" in api.json()["detail"]
    bad_contact = admin_client.post(f"/procurement/suppliers/{supplier.pk}/sla/send/", {"contact": "Jonas"})
    assert bad_contact.status_code == 400 and "Pasirinkite kontaktinį asmenį" in bad_contact.content.decode()
    Supplier.objects.filter(pk=supplier.pk).update(email="info@tiekejas.lt")
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    down = admin_client.post(f"/procurement/suppliers/{supplier.pk}/sla/send/", {"months": "2"})
    assert down.status_code == 502 and "Laiško išsiųsti nepavyko" in down.content.decode()
    assert not AuditEntry.objects.filter(action="document_generated").exists()
