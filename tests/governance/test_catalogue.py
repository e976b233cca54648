"""The drift report (by system and by owner) and the radar."""

import pytest

from irtis.governance import catalogue
from irtis.governance.models import Lifecycle
from irtis.inventory.models import Team
from tests.systems.factories import estate

from .factories import technology, version

pytestmark = pytest.mark.django_db


def test_drift_lists_what_is_retiring_or_forbidden_with_its_system_team_and_date(admin_client) -> None:  # type: ignore[no-untyped-def]
    made = estate()
    old, fine = version("Linux", "7"), version("Linux", "9")
    team = Team.objects.create(name="Linux administratoriai")
    made["web1"].operating_system = old
    made["web1"].team = team
    made["web1"].save()
    made["web2"].operating_system = fine
    made["web2"].save()
    technology("Linux 7", Lifecycle.RETIRING, versions=(old,))
    technology("Linux 9", Lifecycle.APPROVED, versions=(fine,))
    technology("ProLiant", Lifecycle.FORBIDDEN, hardware=(made["ora_host"].hardware_model,))
    found = catalogue.drift()
    labels = {(d.object_label, d.used) for d in found}
    assert ("web-1", "Linux 7") in labels and ("web-2", "Linux 9") not in labels
    assert {d.object_label for d in found if d.listing.status == Lifecycle.FORBIDDEN} >= {"ora-1", "esx-1", "esx-2"}
    web1 = next(d for d in found if d.object_label == "web-1")
    assert web1.systems == ("S",) and web1.team == "Linux administratoriai"
    assert str(web1.listing.retire_by) == "2026-06-30"
    page = admin_client.get("/governance/drift/?by=team").content.decode()
    assert "Linux administratoriai" in page and "web-1" in page and "2026-06-30" in page
    assert "web-1" in admin_client.get("/governance/drift/").content.decode()


def test_the_drift_page_is_paged_by_rows(admin_client, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    made = estate()
    technology("ProLiant", Lifecycle.FORBIDDEN, hardware=(made["ora_host"].hardware_model,))
    rows = len(catalogue.drift())
    assert rows >= 3
    monkeypatch.setattr("irtis.governance.views.DRIFT_ROWS", 2)
    first = admin_client.get("/governance/drift/?by=team")
    assert len(first.context["page"].object_list) == 2 and first.context["page"].paginator.count == rows
    assert "by=team&amp;page=2" in first.content.decode()
    last = admin_client.get(f"/governance/drift/?by=team&page={first.context['page'].paginator.num_pages}")
    shown = sum(len(items) for _, items in last.context["groups"])
    assert shown == rows - 2 * (first.context["page"].paginator.num_pages - 1)


def test_a_version_under_two_technologies_takes_the_worse_status() -> None:
    shared = version("Linux", "8")
    technology("A", Lifecycle.APPROVED, versions=(shared,))
    technology("B", Lifecycle.FORBIDDEN, versions=(shared,))
    assert catalogue.listings()[0][shared.pk].status == Lifecycle.FORBIDDEN


def test_radar_is_svg_drawn_on_the_server_with_a_link_per_technology(admin_client) -> None:  # type: ignore[no-untyped-def]
    made = [technology(f"T{n}", status, area=area) for n, (status, area) in enumerate(
        [(s, a) for s in Lifecycle for a in ("platform", "data", "integration", "infrastructure")])]
    page = admin_client.get("/governance/radar/").content.decode()
    assert page.count("<svg") == 1 and "<script" not in page.split("<svg")[1].split("</svg>")[0]
    for tech in made:
        assert f'href="{tech.get_absolute_url()}"' in page
    import re

    coordinates = re.findall(r' (?:cx|cy|x|y|r)="([^"]*)"', page.split("<svg")[1])
    assert coordinates and all(re.fullmatch(r"-?\d+(\.\d+)?", value) for value in coordinates)  # not "320,0"


def test_the_drift_report_exports_as_csv_and_xlsx(admin_client, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    import csv
    import io

    import openpyxl

    made = estate()
    technology("ProLiant", Lifecycle.FORBIDDEN, hardware=(made["ora_host"].hardware_model,))
    expected = {(d.object_label, d.used) for d in catalogue.drift()}
    with django_assert_max_num_queries(20):  # the drift computed once, whatever its size
        response = admin_client.get("/governance/drift/export/csv/")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Objektas", "Rūšis", "Naudoja"]
    assert {(r[0], r[2]) for r in rows[1:]} == expected
    assert all(r[4] == "draudžiama" for r in rows[1:])
    book = openpyxl.load_workbook(io.BytesIO(admin_client.get("/governance/drift/export/xlsx/").content))
    assert len(list(book.active.iter_rows())) == len(rows)
    assert admin_client.get("/governance/drift/export/pdf/").status_code == 404
