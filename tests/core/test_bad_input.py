"""Bad input gets a clear error and a 4xx status, and nothing is half-written."""

import io

import openpyxl
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from irtis.audit.models import AuditEntry
from irtis.inventory.models import Location, Site
from tests.support.language import choose

pytestmark = pytest.mark.django_db
JSON = "application/json"
SITES_IMPORT = reverse("inventory:site_import")
LOCATIONS_IMPORT = reverse("inventory:location_import")


def upload(client: Client, url: str, content: bytes, name: str, **extra: str) -> object:
    file = io.BytesIO(content)
    file.name = name
    return client.post(url, {"file": file, **extra})


def errors(response: object) -> list[tuple[int, str, str]]:
    return [(e["row"], e["column"], e["message"]) for e in response.context["result"]["errors"]]


def confirm(client: Client, url: str, preview: object, **extra: str) -> object:
    """Confirm the import previewed in `preview`."""
    upload = preview.context["upload"]
    return client.post(url, {"upload": upload.pk, "digest": upload.digest, "confirm": "1", **extra})


def test_wrong_encoding_is_named_with_its_line(admin_client: Client) -> None:
    content = "code,name,kind\nSAL,Šalčininkų PKP,road_bcp\n".encode("cp1257")
    file = io.BytesIO(content)
    file.name = "sites.csv"
    response = choose(admin_client, "en").post(SITES_IMPORT, {"file": file, "encoding": "utf-8"})
    assert response.status_code == 400
    assert "Line 2" in response.context["file_error"] and "UTF-8" in response.context["file_error"]


def test_unreadable_xlsx_and_json(admin_client: Client) -> None:
    response = upload(admin_client, SITES_IMPORT, b"PK\x03\x04 not really a workbook", "sites.xlsx")
    assert response.status_code == 400 and "XLSX" in response.context["file_error"]
    response = upload(admin_client, SITES_IMPORT, b'{"code": "SAL"}', "sites.json")
    assert response.status_code == 400 and response.context["file_error"]


def test_every_error_is_listed_with_row_and_column_and_nothing_is_written(admin_client: Client) -> None:
    Site.objects.create(code="MED", name="Medininkų PKP", kind=Site.Kind.ROAD_BCP)
    before = AuditEntry.objects.count()
    content = (
        "code,name,kind,status,closed_on\n"
        "SAL,Šalčininkų PKP,road_bcp,active,\n"            # valid
        "KYB,,road_bcp,active,\n"                          # name missing
        "KLP,Klaipėda,spaceport,active,\n"                 # unknown kind
        "SAL,Dar kartą,seaport,active,\n"                  # duplicate key in the file
        "LAV,Lavoriškių PKP,road_bcp,closed,\n"            # closed without a date
        "VNO,=cmd|' /C calc'!A0,airport,active,\n"         # formula injection
        "KUN,Kaunas,customs_post,active,2024-13-45\n"      # impossible date
    ).encode()
    response = upload(admin_client, SITES_IMPORT, content, "sites.csv")
    assert response.status_code == 400
    found = {(row, column) for row, column, _ in errors(response)}
    assert {(2, "name"), (3, "kind"), (4, "code"), (5, "closed_on"), (6, "name"), (7, "closed_on")} <= found
    assert (1, "code") not in found and (1, "name") not in found
    # Confirming anyway writes nothing.
    response = confirm(admin_client, SITES_IMPORT, response)
    assert response.status_code == 400
    assert Site.objects.count() == 1 and AuditEntry.objects.count() == before


def test_skipping_invalid_rows_is_an_explicit_choice(admin_client: Client) -> None:
    content = "code,name,kind\nSAL,Šalčininkų PKP,road_bcp\nKYB,,road_bcp\n".encode()
    response = upload(admin_client, SITES_IMPORT, content, "sites.csv")
    response = confirm(admin_client, SITES_IMPORT, response, skip_invalid="1")
    assert response.status_code == 302
    assert list(Site.objects.values_list("code", flat=True)) == ["SAL"]


def test_unknown_columns_references_and_missing_columns(admin_client: Client) -> None:
    Site.objects.create(code="DC1", name="Duomenų centras", kind=Site.Kind.DATA_CENTRE)
    response = upload(admin_client, LOCATIONS_IMPORT, "code,name,site,colour\nR1,Salė,DC1,red\n".encode(), "l.csv")
    assert (0, "colour") in {(r, c) for r, c, _ in errors(response)}
    response = upload(admin_client, LOCATIONS_IMPORT, "code,name,site\nR1,Salė,DC9\nR2,Salė 2,DC1\n".encode(), "l.csv")
    assert [(r, c) for r, c, _ in errors(response)] == [(1, "site")]
    assert "DC9" in errors(response)[0][2]
    response = upload(admin_client, LOCATIONS_IMPORT, b"code\nR1\n", "l.csv")
    assert {"name", "site"} <= {c for _, c, _ in errors(response)}
    assert not Location.objects.exists()


def test_import_updates_by_key_and_by_natural_references(admin_client: Client) -> None:
    site = Site.objects.create(code="DC1", name="Senas pavadinimas", kind=Site.Kind.DATA_CENTRE)
    rows = "code,name\nDC1,MISC duomenų centras\n".encode()
    response = upload(admin_client, SITES_IMPORT, rows, "sites.csv")
    assert response.context["result"]["updated"] == 1
    confirm(admin_client, SITES_IMPORT, response)
    site.refresh_from_db()
    assert site.name == "MISC duomenų centras" and site.kind == Site.Kind.DATA_CENTRE and site.version == 2


def test_oversized_upload_is_refused(admin_client: Client, settings: object) -> None:
    settings.MAX_UPLOAD_BYTES = 100
    response = upload(admin_client, SITES_IMPORT, b"code,name,kind\n" + b"X,Y,seaport\n" * 50, "sites.csv")
    assert response.status_code == 400 and "MB" in response.context["file_error"]


def test_exports_neutralise_formulas(admin_client: Client) -> None:
    Site.objects.create(code="EVIL", name='=HYPERLINK("http://x","y")', kind=Site.Kind.SEAPORT, description="@SUM(A1)")
    csv = admin_client.get(reverse("inventory:site_export"), {"format": "csv"}).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in csv and "'@SUM" in csv
    xlsx = admin_client.get(reverse("inventory:site_export"), {"format": "xlsx"}).content
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx)).active
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert "'=HYPERLINK(\"http://x\",\"y\")" in values
    assert not any(isinstance(v, str) and v.startswith("=") for v in values)
    # JSON is data, not a spreadsheet: exported as it is.
    assert '=HYPERLINK' in admin_client.get(reverse("inventory:site_export"), {"format": "json"}).content.decode()


def test_an_export_with_neutralised_formulas_imports_back(admin_client: Client) -> None:
    Site.objects.create(code="EVIL", name="=1+2", kind=Site.Kind.SEAPORT, description="-5 (apie)")
    csv = admin_client.get(reverse("inventory:site_export"), {"format": "csv"}).content
    Site.objects.update(name="kitas", description="")
    confirm(admin_client, SITES_IMPORT, upload(admin_client, SITES_IMPORT, csv, "sites.csv"))
    assert Site.objects.values_list("name", "description").get() == ("=1+2", "-5 (apie)")
    refused = upload(admin_client, SITES_IMPORT, b"code,name,kind\nEVIL,=1+2,seaport\n", "sites.csv")
    assert errors(refused) == [(1, "name", "Skaičiuoklės formulės nepriimamos.")]


def test_export_format_must_be_known(admin_client: Client) -> None:
    response = admin_client.get(reverse("inventory:site_export"), {"format": "exe"})
    assert response.status_code == 400


def test_bad_list_parameters_do_not_fail(admin_client: Client) -> None:
    url = reverse("inventory:site_list")
    for params in ({"page": "x"}, {"per_page": "-5"}, {"sort": "nonsense"}, {"status": "nonsense"},
                   {"closed_on": "not-a-date"}, {"columns": "nonsense"}, {"q": "ąčęėįšųūž" * 20}):
        assert admin_client.get(url, params).status_code == 200


class TestApiBadInput:
    url = "/api/inventory/sites/"

    def test_invalid_values_get_field_errors(self, admin_client: Client) -> None:
        response = admin_client.post(self.url, {"code": "X", "name": "Y", "kind": "spaceport"}, content_type=JSON)
        assert response.status_code == 422
        response = admin_client.post(self.url, {"code": "X", "name": "Y", "kind": "seaport", "status": "closed"},
                                     content_type="application/json")
        assert response.status_code == 400
        assert "closed_on" in response.json()["errors"]

    def test_null_is_refused_where_the_field_cannot_be_empty(self, admin_client: Client) -> None:
        site = {"code": "N", "name": "N", "kind": "seaport", "address": None}
        for body in (site, [site]):
            response = admin_client.post(self.url, body, content_type=JSON)
            assert response.status_code == 422, response.content
        assert not Site.objects.filter(code="N").exists()
        response = admin_client.post(self.url, {**site, "address": "Vilnius", "closed_on": None}, content_type=JSON)
        assert response.status_code == 201, response.content
        response = admin_client.patch(f"{self.url}{response.json()['id']}/", {"address": None}, content_type=JSON)
        assert response.status_code == 422
        assert Site.objects.get(code="N").address == "Vilnius"

    def test_a_list_is_written_whole_or_not_at_all(self, admin_client: Client) -> None:
        good = {"code": "A", "name": "A", "kind": "seaport"}
        duplicate = {"code": "A", "name": "B", "kind": "seaport"}
        Site.objects.create(code="B", name="B", kind=Site.Kind.SEAPORT)
        taken = {"code": "B", "name": "B", "kind": "seaport"}
        response = admin_client.post(self.url, [good, taken], content_type="application/json")
        assert response.status_code == 400 and "1" in response.json()["errors"]
        assert not Site.objects.filter(code="A").exists()
        response = admin_client.post(self.url, [good, duplicate], content_type="application/json")
        assert response.status_code in {400, 409}
        assert not Site.objects.filter(code="A").exists()

    def test_unknown_references_and_filters(self, admin_client: Client) -> None:
        response = admin_client.post("/api/inventory/locations/", {"code": "R", "name": "R", "site": 99999},
                                     content_type="application/json")
        assert response.status_code == 400 and "site" in response.json()["errors"]
        for site in ("abc", "99999"):  # not an id; no such site
            response = admin_client.get("/api/inventory/locations/", {"site": site})
            assert response.status_code == 400 and response.json()["errors"]["site"][0], response.content
        site = Site.objects.create(code="V", name="V", kind=Site.Kind.SEAPORT).pk
        Location.objects.create(site_id=site, code="R", name="R")
        response = admin_client.get("/api/inventory/locations/", {"site": [site, 99999]})
        assert response.status_code == 400 and "99999" in response.json()["errors"]["site"][0]
        assert admin_client.get("/api/inventory/locations/", {"site": [site]}).json()["count"] == 1
        assert admin_client.get(self.url, {"limit": "abc"}).status_code == 422
        assert admin_client.get(self.url, {"closed_on__gte": "yesterday"}).status_code == 400

    def test_found_rows_prove_a_reference_without_a_query(self, admin_client: Client) -> None:
        sites = [Site.objects.create(code=c, name=c, kind=Site.Kind.SEAPORT).pk for c in "PQ"]
        Location.objects.create(site_id=sites[0], code="R", name="R")
        url = "/api/inventory/locations/"
        admin_client.get(url)
        queries = {}
        for label, params in (("none", {}), ("found", {"site": sites[0]}), ("empty", {"site": sites[1]})):
            with CaptureQueriesContext(connection) as captured:
                assert admin_client.get(url, params).status_code == 200
            queries[label] = len(captured)
        assert queries["found"] == queries["none"] and queries["empty"] == queries["none"] + 1

    def test_unauthenticated_requests_are_refused(self, client: Client) -> None:
        assert client.get(self.url).status_code == 401
        assert client.get(self.url, headers={"Authorization": "Bearer irt_forged"}).status_code == 401
