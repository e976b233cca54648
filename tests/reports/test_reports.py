"""Management reports: periods and their errors in Lithuanian, each section from its capability
(or saying it has nothing), the dashboard in a fixed number of queries, the report as PDF and
DOCX with charts and its generation audited, permissions, and the recommendations' rules."""

import datetime as dt
import io
import zipfile
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from docx import Document
from pypdf import PdfReader

from irtis.audit.models import Action, AuditEntry
from irtis.identity import roles
from irtis.identity.models import User
from irtis.inventory.models import StorageCapacity
from irtis.monitoring.models import Incident, IncidentObject, SystemChange
from irtis.reports import charts, periods, sections
from irtis.reports.models import Recommendation
from tests.procurement.factories import contract
from tests.risks.factories import system
from tests.servicedesk.factories import request as desk_request
from tests.support.language import choose
from tests.virtualization.factories import cluster, host, server, vm

from . import factories as f

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 4)
MONTH = "2025-03"


def at(day: int, hour: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2025, 3, day, hour))


def estate(n: int = 1, first: int = 0) -> dict[str, Any]:
    """`n` category I systems each down two hours in March 2025 with an incident caused by a
    device; a contract ending in April, a service desk request, an open recommendation."""
    made: dict[str, Any] = {"systems": []}
    for i in range(first, first + n):
        s = system(f"S{i}")
        SystemChange.objects.create(system=s, at=at(1) - dt.timedelta(days=1), state="up")
        SystemChange.objects.create(system=s, at=at(10, 10), state="down")
        SystemChange.objects.create(system=s, at=at(10, 12), state="up")
        device = server(f"srv-{i}")
        incident = Incident.objects.create(title=f"Gedimas {i}", severity="high", detected_at=at(10, 10),
                                           resolved_at=at(10, 12), status="resolved")
        incident.systems.add(s)
        IncidentObject.objects.create(incident=incident, object_type=_type(device), object_id=device.pk,
                                      is_cause=True, down=False)
        contract(f"S-{i}", end=dt.date(2025, 4, 15))
        desk_request(f"Neveikia {i}", received_at=at(5), system=s)
        f.recommendation(f"Dubliuoti {i}", due=dt.date(2025, 3, 20), raised_on=dt.date(2025, 3, 1))
        made["systems"].append(s)
    on = cluster(f"CL-{first}")
    host(on, f"esx-{first}")
    vm(f"vm-{first}", on)
    StorageCapacity.objects.create(device=server(f"array-{first}"), raw_tb=Decimal(100), usable_tb=Decimal(80),
                                   used_tb=Decimal(72))
    return made


def _type(obj: Any) -> Any:
    from django.contrib.contenttypes.models import ContentType
    return ContentType.objects.get_for_model(obj)


def _root() -> User:
    return User.objects.filter(username="root").first() or User.objects.create_superuser("root")


# --- periods ------------------------------------------------------------------------------------

def test_months_and_quarters_are_read() -> None:
    november = periods.parse("2026-11", TODAY)
    assert (november.kind, november.first, november.end, november.code) == (
        "month", dt.date(2026, 11, 1), dt.date(2026, 12, 1), "2026-11")
    q4 = periods.parse(" 2026-q4 ", TODAY)
    assert (q4.kind, q4.first, q4.last, q4.code) == ("quarter", dt.date(2026, 10, 1), dt.date(2026, 12, 31), "2026-Q4")
    assert periods.parse("2026-12", TODAY).code == "2026-12"  # the current month, so far
    assert periods.last_complete("month", dt.date(2026, 1, 3)).code == "2025-12"
    assert periods.last_complete("quarter", dt.date(2026, 1, 3)).code == "2025-Q4"
    assert periods.last_complete("quarter", dt.date(2026, 5, 1)).code == "2026-Q1"


@pytest.mark.parametrize(("text", "lithuanian"), [
    ("2027-01", "Laikotarpis 2027-01 mėn. dar neprasidėjo"),
    ("2026-Q5", "Ketvirtis yra nuo 1 iki 4, ne 5."),
    ("2026-Q0", "Ketvirtis yra nuo 1 iki 4, ne 0."),
    ("2026-13", "Mėnuo yra nuo 1 iki 12, ne 13."),
    ("lapkritis", "„lapkritis“ nėra laikotarpis"),
    ("", "„“ nėra laikotarpis"),
    ("1999-05", "Ataskaitos pradedamos nuo 2000 metų."),
])
def test_bad_periods_are_refused_in_lithuanian(text: str, lithuanian: str) -> None:
    with translation.override("lt"), pytest.raises(ValidationError) as refused:
        periods.parse(text, TODAY)
    assert lithuanian in refused.value.messages[0]


def test_a_recommendation_cannot_be_due_before_it_was_raised() -> None:
    with translation.override("lt"):
        with pytest.raises(ValidationError) as refused:
            f.recommendation("Atgal", raised_on=dt.date(2026, 3, 1), due=dt.date(2026, 2, 28))
        assert refused.value.message_dict["due"] == [
            "Rekomendacijos terminas negali būti ankstesnis nei jos pateikimo data."]
    assert not Recommendation.objects.exists()


def test_a_recommendation_due_before_it_was_raised_is_refused_by_the_api(admin_client: Any) -> None:
    owner = f.person("savininke")
    response = admin_client.post("/api/reports/recommendations/", {
        "title": "Atgal", "rationale": "x", "owner": owner.pk, "raised_on": "2026-03-01", "due": "2026-02-01",
    }, content_type="application/json", HTTP_ACCEPT_LANGUAGE="lt")
    assert response.status_code in (400, 422)
    assert "negali būti ankstesnis" in response.content.decode()
    assert not Recommendation.objects.exists()


# --- sections -----------------------------------------------------------------------------------

def test_each_section_reads_its_capability() -> None:
    estate()
    parts = {p.key: p for p in sections.collect(periods.parse(MONTH, TODAY), None, now=timezone.now())}
    facts = {key: dict(p.facts) for key, p in parts.items()}
    assert facts["availability"]["Systems with downtime"] == 1
    assert parts["availability"].tables[0].rows[0][3] == "2.0 h"
    assert facts["incidents"]["Incidents detected"] == 1 and facts["incidents"]["Median time to resolve"] == "2.0 h"
    assert parts["incidents"].tables[1].rows == [["device", 1, "2.0 h"]]  # downtime by cause
    assert facts["spof"]["Category I systems"] == 1
    assert facts["contracts"]["Contracts ending"] == 1 and facts["contracts"]["Of them in the period"] == 0
    assert facts["servicedesk"]["Requests received"] == 1
    assert facts["follow_up"]["Open recommendations"] == 1
    assert parts["capacity"].tables[0].rows[0][0] == "CL-0"
    assert [b.label for b in parts["capacity"].charts[1].bars] == ["array-0"]  # 90 % of the array used
    for key in ("support", "backups", "security"):
        assert parts[key].empty, key  # nothing recorded there: the section says so
    assert "No incidents" in sections.collect(periods.parse("2025-05", TODAY), None)[1].empty


def test_a_missing_capability_is_named(monkeypatch: Any) -> None:
    installed = sections.apps.is_installed
    monkeypatch.setattr(sections.apps, "is_installed", lambda app: app != "irtis.servicedesk" and installed(app))
    parts = {p.key: p for p in sections.collect(periods.parse(MONTH, TODAY), None)}
    assert parts["servicedesk"].empty == \
        "The service desk capability is not installed, so this section has no data yet."
    assert parts["availability"].empty  # other sections read as before


def test_sections_show_only_what_the_reader_may_view() -> None:
    estate()
    reader = User.objects.create_user("skaitytojas")  # no role: may view nothing
    parts = {p.key: p for p in sections.collect(periods.parse(MONTH, TODAY), reader)}
    assert parts["availability"].empty and parts["incidents"].empty and parts["contracts"].empty


# --- dashboard ------------------------------------------------------------------------------------

def _dashboard_queries(client: Any) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("reports_pages:dashboard"))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_dashboard_reads_a_fixed_number_of_queries(client: Any) -> None:
    client.force_login(_root())
    empty = _dashboard_queries(client)
    estate(1)
    one = _dashboard_queries(client)
    estate(4, first=1)
    assert _dashboard_queries(client) == one
    # The page's own (session, menu, bell) and each section's reads: one or two of its own, plus
    # the fixed reads of the capability functions it calls (availability five, backup coverage
    # and SPOF analysis theirs, with its failover paths), whatever the number of systems, incidents
    # or contracts; the out-of-support summary one per model that records software (mobile devices
    # included). On PostgreSQL the SPOF analysis turns the JIT off for its walk first (systems.graph).
    assert one == 42 + (connection.vendor == "postgresql"), one
    assert empty <= one


def test_the_dashboard_shows_this_month_with_charts(client: Any) -> None:
    client.force_login(_root())
    choose(client, "en")
    today = timezone.localdate()
    s = system("NOW")
    SystemChange.objects.create(system=s, at=timezone.now() - dt.timedelta(days=40), state="up")
    down = timezone.make_aware(dt.datetime.combine(today.replace(day=1), dt.time(0, 30)))
    SystemChange.objects.create(system=s, at=down, state="down")
    SystemChange.objects.create(system=s, at=down + dt.timedelta(minutes=10), state="up")
    text = client.get(reverse("reports_pages:dashboard")).content.decode()
    assert "Management dashboard" in text and 'id="section-availability"' in text
    assert "<svg" in text and "NOW" in text
    assert "No incidents were detected in this period." in text


def test_only_readers_of_recommendations_see_the_reports(client: Any) -> None:
    roles.sync()
    nobody = User.objects.create_user("niekas")
    client.force_login(nobody)
    assert client.get(reverse("reports_pages:dashboard")).status_code == 403
    assert client.get(reverse("reports_pages:report") + f"?period={MONTH}").status_code == 403
    manager = User.objects.create_user("vadovas")
    manager.groups.add(Group.objects.get(name="manager"))
    from irtis.core import permissions

    assert permissions.has(manager, Recommendation, "change") and permissions.has(manager, Recommendation, "add")
    client.force_login(manager)
    assert client.get(reverse("reports_pages:dashboard")).status_code == 200


# --- the report ------------------------------------------------------------------------------------

def test_the_report_as_pdf_and_docx_with_charts_audited(client: Any) -> None:
    estate()
    client.force_login(_root())
    choose(client, "en")
    url = reverse("reports_pages:report")
    pdf = client.get(url, {"period": MONTH, "format": "pdf"})
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == f'attachment; filename="irtis-ataskaita-{MONTH}.pdf"'
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Availability and downtime" in text and "Downtime by system" in text and "S0" in text
    assert "No security controls apply yet." in text
    docx = client.get(url, {"period": MONTH, "format": "docx"})
    assert docx.status_code == 200
    word = Document(io.BytesIO(docx.content))
    assert any("Incidents" in p.text for p in word.paragraphs)
    assert len(word.inline_shapes) >= 4  # the charts, as pictures
    pictures = [n for n in zipfile.ZipFile(io.BytesIO(docx.content)).namelist() if n.startswith("word/media/")]
    assert pictures and all(n.endswith(".png") for n in pictures)
    entries = AuditEntry.objects.filter(action=Action.DOCUMENT_GENERATED).order_by("id")
    assert [(e.after["format"], e.after["period"]) for e in entries] == [("pdf", MONTH), ("docx", MONTH)]
    import hashlib

    assert entries[0].after["file_sha256"] == hashlib.sha256(pdf.content).hexdigest()
    assert entries[0].actor_name == "root"


@pytest.mark.parametrize(("query", "lithuanian"), [
    ({"period": "2099-01"}, "dar neprasidėjo"),
    ({"period": "2026-Q7"}, "Ketvirtis yra nuo 1 iki 4"),
    ({"period": "kovas"}, "nėra laikotarpis"),
    ({"period": MONTH, "format": "odt"}, "Pasirinkite PDF arba DOCX."),
])
def test_bad_input_is_answered_on_the_form_in_lithuanian(client: Any, query: dict, lithuanian: str) -> None:
    client.force_login(_root())
    response = client.get(reverse("reports_pages:report"), query)  # pages speak Lithuanian by default
    assert response.status_code == 400
    assert lithuanian in response.content.decode()
    assert not AuditEntry.objects.filter(action=Action.DOCUMENT_GENERATED).exists()


def test_charts_escape_names_and_draw_the_same_bars() -> None:
    chart = charts.Chart("Prastova", (charts.Bar("<script>", 2, "2 h", "red"), charts.Bar("Š", 1, "1 h")))
    svg = charts.svg(chart)
    assert "<script>" not in svg and "&lt;script&gt;" in svg and svg.count("<rect") == 4
    png = charts.png(chart)
    from PIL import Image

    image = Image.open(io.BytesIO(png))
    assert image.size == (chart.width * charts.SCALE, chart.height * charts.SCALE)
    assert image.getpixel(((charts.LABEL + 5) * charts.SCALE, (charts.TOP + 5) * charts.SCALE)) == (0xDC, 0x35, 0x45)


def test_end_of_support_is_counted_as_inventory_lists_it() -> None:
    from irtis.inventory.models import SoftwareVersion
    from irtis.inventory.reports import out_of_support, out_of_support_counts
    from tests.procurement.factories import product

    old = SoftwareVersion.objects.create(product=product("RHEL", "os"), number="7", support_end=dt.date(2024, 6, 30))
    soon = SoftwareVersion.objects.create(product=product("RHEL", "os"), number="8", support_end=dt.date(2025, 6, 1))
    for n, version in enumerate([old, old, soon]):
        device = server(f"srv-os-{n}")
        device.platform = version
        device.save()
    on = dt.date(2025, 10, 1)
    root = _root()
    counted = out_of_support_counts(root, on)
    assert counted == {old: 2, soon: 1}
    assert sum(counted.values()) == len(out_of_support(root, on))
    part = sections.support(sections.Scope(periods.parse(MONTH, TODAY), None, timezone.now()))
    facts = dict(part.facts)
    assert (facts["Software installations past end of support"],
            facts["Software installations near end of support"]) == (2, 1)
    assert [row[:2] + row[3:] for row in part.tables[0].rows] == [["RHEL 7", dt.date(2024, 6, 30), 2],
                                                                  ["RHEL 8", dt.date(2025, 6, 1), 1]]
