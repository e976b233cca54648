"""Imports: linear and bounded, the plan kept on the server, large files in the background,
unchanged rows left alone, and files as Lithuanian offices write them."""

import codecs
import io
import json
import zipfile
from datetime import timedelta
from typing import Any

import openpyxl
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from irtis.audit.models import AuditEntry
from irtis.core import imports
from irtis.core.importfiles import ImportFileError, delimiter, detect, parse
from irtis.core.models import ImportUpload
from irtis.core.registry import entry_for
from irtis.identity.models import User
from irtis.inventory.models import Location, Site
from irtis.tasks.models import Run, Status
from irtis.tasks.runs import execute
from tests.support.language import choose

pytestmark = pytest.mark.django_db
SITES = reverse("inventory:site_import")
LOCATIONS = reverse("inventory:location_import")


def post_file(client: Client, url: str, content: bytes, name: str, language: str = "en", **extra: str) -> Any:
    file = io.BytesIO(content)
    file.name = name
    return choose(client, language).post(url, {"file": file, **extra})


def confirm(client: Client, url: str, preview: Any, **extra: str) -> Any:
    upload = preview.context["upload"]
    return choose(client, "en").post(url, {"upload": upload.pk, "digest": upload.digest, "confirm": "1", **extra})


def errors(response: Any) -> list[tuple[int, str, str]]:
    return [(e["row"], e["column"], e["message"]) for e in response.context["result"]["errors"]]


def sites(count: int) -> list[Site]:
    return [Site.objects.create(code=f"S{n:03}", name=f"Vieta {n}", kind=Site.Kind.ROAD_BCP) for n in range(count)]


def export_csv(client: Client) -> str:
    return client.get(reverse("inventory:site_export"), {"format": "csv"}).content.decode("utf-8-sig")


# --- linear, chunked, bounded ---------------------------------------------------------------------

def test_preview_queries_do_not_grow_with_the_rows(admin_user: User) -> None:
    """Rows missing a required column (issue 19's 16,000-row file): a fixed number of queries."""
    entry = entry_for(Location)
    counts = []
    for size in (50, 500):
        rows = [{"code": f"R{n}", "name": f"Salė {n}"} for n in range(size)]
        with CaptureQueriesContext(connection) as queries:
            plan = imports.plan_import(entry, rows, admin_user)
        assert len(plan.bad_rows) == size and all(e.column == "site" for e in plan.errors)
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]


def test_lookups_are_split_into_chunks(admin_client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every look-up and write in chunks (PostgreSQL takes at most 65,535 parameters), with
    the same outcome as in one piece."""
    monkeypatch.setattr(imports, "CHUNK", 3)
    stored = sites(7)
    rows = "code,name,kind\n" + "".join(f"{s.code},Nauja {s.code},road_bcp\n" for s in stored)
    rows += "".join(f"N{n},Nauja {n},seaport\n" for n in range(8))
    preview = post_file(admin_client, SITES, rows.encode(), "s.csv")
    assert preview.context["result"]["updated"] == 7 and preview.context["result"]["created"] == 8
    location_rows = "code,name,site\n" + "".join(f"L{n},Salė,S00{n}\n" for n in range(7))
    assert confirm(admin_client, SITES, preview).status_code == 302
    assert Site.objects.filter(name__startswith="Nauja").count() == 15
    preview = post_file(admin_client, LOCATIONS, location_rows.encode(), "l.csv")
    assert preview.context["result"]["created"] == 7, errors(preview)


def test_a_zip_bomb_is_refused_before_it_is_read(admin_client: Client, settings: Any) -> None:
    settings.IRTIS_IMPORT_MAX_XLSX_MB = 1
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["code", "name", "kind"])
    for n in range(30_000):
        sheet.append([f"X{n}", "Vieta", "seaport"])
    content = io.BytesIO()
    book.save(content)
    assert len(content.getvalue()) < 2**20 < sum(i.file_size for i in zipfile.ZipFile(content).infolist())
    response = post_file(admin_client, SITES, content.getvalue(), "bomb.xlsx")
    assert response.status_code == 400 and "expands to" in response.context["file_error"]
    assert not ImportUpload.objects.exists()


def test_too_many_rows_are_refused_in_every_format(admin_client: Client, settings: Any) -> None:
    settings.IRTIS_IMPORT_MAX_ROWS = 3
    book = openpyxl.Workbook()
    for n in range(6):
        book.active.append(["code", "name"] if n == 0 else [f"X{n}", "Y"])
    xlsx = io.BytesIO()
    book.save(xlsx)
    files = {"s.csv": b"code,name\n" + b"X,Y\n" * 5, "s.xlsx": xlsx.getvalue(),
             "s.json": json.dumps([{"code": "X"}] * 5).encode()}
    for name, content in files.items():
        response = post_file(admin_client, SITES, content, name)
        assert response.status_code == 400 and "more than 3 rows" in response.context["file_error"], name


def test_reading_is_bounded_in_time(settings: Any) -> None:
    settings.IRTIS_IMPORT_READ_SECONDS = -1
    with translation.override("en"), pytest.raises(ImportFileError, match="too long"):
        parse(b"code,name\n" + b"X,Y\n" * 10, "csv")


@pytest.mark.parametrize(("content", "name"), [
    (b"", "s.csv"), (b"\n\n", "s.csv"), (b"code,code\nX,Y\n", "s.csv"), (b'code\n"unclosed\n', "s.csv"),
    (b"code,name\n" + b"x" * 200_000 + b",y\n", "s.csv"), (b"\x00\x01\x02\xff" * 100, "s.xlsx"),
    (b"PK\x03\x04" + b"\x00" * 100, "s.xlsx"), (b"[1, 2]", "s.json"), (b'[{"code": {"a": 1}}]', "s.json"),
    (b"a: &a [1, 2]\nb: &b [*a, *a]\nc: [*b, *b]\n", "s.yaml"), (b"- code: [[1, [2]]]\n", "s.yaml"),
    (b"not: [valid", "s.yaml"), (b"code,name", "s.exe"),
])
def test_bad_files_get_a_clear_error_never_a_500(admin_client: Client, content: bytes, name: str) -> None:
    response = post_file(admin_client, SITES, content, name)
    assert response.status_code == 400
    assert response.context.get("file_error") or response.context["result"]["errors"]


# --- the plan on the server, background runs ------------------------------------------------------

def test_the_plan_stays_on_the_server_tied_to_user_file_and_time(admin_client: Client, admin_user: User) -> None:
    preview = post_file(admin_client, SITES, b"code,name,kind\nSAL,Salcininkai,road_bcp\n", "s.csv")
    page = preview.content.decode()
    assert 'name="data"' not in page and "Salcininkai" in page
    upload = preview.context["upload"]
    assert upload.user == admin_user and len(upload.digest) == 64
    response = admin_client.post(SITES, {"upload": upload.pk, "digest": "0" * 64, "confirm": "1"})
    assert response.status_code == 409 and not Site.objects.exists()
    other = Client()
    other.force_login(User.objects.create_superuser("kitas", "kitas@example.lt", "Sl4ptas-Kitas!"))
    assert other.post(SITES, {"upload": upload.pk, "digest": upload.digest, "confirm": "1"}).status_code == 409
    assert other.get(SITES, {"upload": upload.pk}).status_code == 404
    ImportUpload.objects.filter(pk=upload.pk).update(expires=timezone.now() - timedelta(seconds=1))
    assert confirm(admin_client, SITES, preview).status_code == 409 and not Site.objects.exists()
    assert admin_client.post(SITES, {"upload": "not-a-uuid", "confirm": "1"}).status_code == 409


def test_an_upload_is_imported_once(admin_client: Client) -> None:
    preview = post_file(admin_client, SITES, b"code,name,kind\nSAL,Salcininkai,road_bcp\n", "s.csv")
    assert confirm(admin_client, SITES, preview).status_code == 302
    again = confirm(admin_client, SITES, preview)
    assert again.status_code == 409 and "already" in again.context["file_error"]


def test_a_large_file_is_checked_and_imported_in_the_background(admin_client: Client, settings: Any) -> None:
    settings.IRTIS_IMPORT_BACKGROUND_ROWS = 2
    sites(1)
    content = b"code,name,kind\nS000,Vieta 0,road_bcp\nA1,Pirma,seaport\nA2,Antra,seaport\nA3,,seaport\n"
    response = post_file(admin_client, SITES, content, "s.csv")
    assert response.status_code == 302
    page = choose(admin_client, "en").get(response.url)
    run = page.context["run"]
    assert run.status == Status.QUEUED and 'role="progressbar"' in page.content.decode()
    execute(str(run.pk))
    preview = choose(admin_client, "en").get(response.url)
    result = preview.context["result"]
    assert (result["created"], result["updated"], result["unchanged"], result["invalid"]) == (2, 0, 1, 1)
    assert preview.status_code == 400 and not Site.objects.filter(code="A1").exists()
    response = confirm(admin_client, SITES, preview, skip_invalid="1")
    assert response.status_code == 302
    run = Run.objects.get(pk=ImportUpload.objects.get().run)
    execute(str(run.pk))
    assert Run.objects.get(pk=run.pk).result == {"applied": True, "created": 2, "updated": 0, "unchanged": 1,
                                                 "invalid": 1}
    done = choose(admin_client, "en").get(response.url, follow=True)
    assert "2 created, 0 updated, 1 unchanged, 1 invalid" in done.content.decode()
    assert set(Site.objects.values_list("code", flat=True)) == {"S000", "A1", "A2"}
    created = AuditEntry.objects.filter(action="create", content_type__model="site", source="import")
    assert created.count() == 2


# --- unchanged rows, the preview of changes, skipping -----------------------------------------------

def test_export_add_one_row_import_creates_one_and_writes_nothing_else(admin_client: Client) -> None:
    sites(5)
    before = AuditEntry.objects.count()
    text = export_csv(admin_client) + ",NEW,Nauja vieta,seaport,active,,,,,,\r\n"
    preview = post_file(admin_client, SITES, text.encode("utf-8-sig"), "s.csv")
    result = preview.context["result"]
    assert (result["created"], result["updated"], result["unchanged"]) == (1, 0, 5), errors(preview)
    assert confirm(admin_client, SITES, preview).status_code == 302
    assert AuditEntry.objects.count() == before + 1
    assert set(Site.objects.values_list("version", flat=True)) == {1}


def test_the_preview_shows_old_and_new_values(admin_client: Client) -> None:
    med = Site.objects.create(code="MED", name="Medininkai", kind=Site.Kind.ROAD_BCP)
    Site.objects.create(code="SAL", name="Šalčininkai", kind=Site.Kind.ROAD_BCP)
    Location.objects.create(site=med, code="R1", name="Salė")
    preview = post_file(admin_client, LOCATIONS, "code,name,site\nR1,Salė,SAL\nR2,Nauja,MED\n".encode(), "l.csv")
    shown = preview.context["result"]["shown"]
    assert shown[0] == {"row": 1, "action": "update", "cells": [["site", "MED", "SAL"]]}
    assert shown[1]["action"] == "create" and ["name", "", "Nauja"] in shown[1]["cells"]
    assert "<del>MED</del> → <ins" in preview.content.decode()


def test_a_row_that_changes_only_its_tags_keeps_its_version(admin_client: Client) -> None:
    from irtis.core.models import Tag

    site = sites(1)[0]
    Tag.objects.create(name="Svarbu", slug="svarbu")
    preview = post_file(admin_client, SITES, b"code,tags\nS000,svarbu\n", "s.csv")
    assert preview.context["result"]["updated"] == 1
    assert preview.context["result"]["shown"][0]["cells"] == [["tags", "", "svarbu"]]
    assert confirm(admin_client, SITES, preview).status_code == 302
    site.refresh_from_db()
    assert [t.slug for t in site.tags.all()] == ["svarbu"] and site.version == 1


def test_skipping_every_row_reports_nothing_created(admin_client: Client) -> None:
    preview = post_file(admin_client, SITES, b"code,name,kind\nA,,seaport\nB,,seaport\n", "s.csv")
    assert preview.context["result"]["created"] == 0 and preview.context["result"]["invalid"] == 2
    done = confirm(admin_client, SITES, preview, skip_invalid="1")
    page = choose(admin_client, "en").get(done.url).content.decode()
    assert "0 created, 0 updated, 0 unchanged, 2 invalid" in page and not Site.objects.exists()


def test_a_row_moving_an_object_outside_the_permission_is_a_row_error() -> None:
    from django.contrib.contenttypes.models import ContentType

    from irtis.identity.models import ObjectPermission

    med = Site.objects.create(code="MED", name="Medininkai", kind=Site.Kind.ROAD_BCP)
    Site.objects.create(code="DC1", name="Duomenų centras", kind=Site.Kind.DATA_CENTRE)
    Location.objects.create(site=med, code="M1", name="Salė")
    user = User.objects.create_user("pasienis")
    for model, actions, constraints in ((Site, ["view"], None),
                                        (Location, ["view", "change", "import"], {"site__code": "MED"})):
        permission = ObjectPermission.objects.create(name=model.__name__, actions=actions, constraints=constraints)
        permission.users.add(user)
        permission.object_types.add(ContentType.objects.get_for_model(model))
    client = Client()
    client.force_login(user)
    preview = post_file(client, LOCATIONS, b"code,name,site\nM1,Sale,DC1\n", "l.csv")
    assert preview.status_code == 400 and [(r, c) for r, c, _ in errors(preview)] == [(1, "")]
    assert "outside" in errors(preview)[0][2]


# --- files as Lithuanian offices write them ----------------------------------------------------------

LITHUANIAN = "Kodas;Pavadinimas;Rūšis;Būsena\nSAL;Šalčininkų PKP;kelių pasienio kontrolės punktas;veikia\n"


@pytest.mark.parametrize("encoding", ["cp1257", "utf-8", "utf-8-sig", "utf-16", "utf-16-le"])
def test_lithuanian_excel_csv_in_any_encoding(admin_client: Client, encoding: str) -> None:
    content = LITHUANIAN.encode(encoding)
    if encoding == "utf-16":
        assert content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    preview = post_file(admin_client, SITES, content, "vietos.csv", language="lt")
    assert preview.status_code == 200, (preview.context["file_error"] or errors(preview))
    assert confirm(admin_client, SITES, preview).status_code == 302
    site = Site.objects.get()
    assert (site.name, site.kind, site.status) == ("Šalčininkų PKP", Site.Kind.ROAD_BCP, "active")


def test_the_encoding_may_be_chosen() -> None:
    assert parse("code\nŠilutė\n".encode("cp1257"), "csv", "windows-1257") == [{"code": "Šilutė"}]
    with pytest.raises(ImportFileError, match=r"^3 eilutė nėra tinkamas UTF-8 tekstas"):
        parse("code\nA\nŠilutė\n".encode("cp1257"), "csv", "utf-8")
    assert detect("a;b\n".encode("utf-16-le")) == "utf-16-le"


def test_the_delimiter_is_detected() -> None:
    assert delimiter('code;name\n"a,b";c\n') == ";"
    assert delimiter('"a;b",c\n') == ","
    assert delimiter("code\tname\n") == "\t"
    assert delimiter("code\n") == ","


def test_related_objects_by_name_where_unambiguous(admin_client: Client) -> None:
    Site.objects.create(code="MED", name="Medininkų PKP", kind=Site.Kind.ROAD_BCP)
    Site.objects.create(code="V1", name="Vilnius", kind=Site.Kind.HEADQUARTERS)
    Site.objects.create(code="V2", name="Vilnius", kind=Site.Kind.DATA_CENTRE)
    preview = post_file(admin_client, LOCATIONS, "code,name,site\nR1,Salė,Medininkų PKP\nR2,Salė,Vilnius\n".encode(),
                        "l.csv")
    assert [(r, c) for r, c, _ in errors(preview)] == [(2, "site")]
    assert "More than one" in errors(preview)[0][2] and "code" in errors(preview)[0][2]
    assert [row["action"] for row in preview.context["result"]["shown"]] == ["create", "error"]
    preview = post_file(admin_client, LOCATIONS, "code,name,site\nR1,Salė,Medininkų PKP\n".encode(), "l.csv")
    assert confirm(admin_client, LOCATIONS, preview).status_code == 302
    assert Location.objects.get().site.code == "MED"


def test_errors_speak_lithuanian_and_list_the_choices(admin_client: Client) -> None:
    content = b"code,name,kind,closed_on\nA,Vieta,kosmodromas,\nB,Vieta,seaport,2024-13-45\n"
    preview = post_file(admin_client, SITES, content, "s.csv", language="lt")
    messages = {(r, c): m for r, c, m in errors(preview)}
    assert "jūrų uostas" in messages[(1, "kind")] and "kosmodromas" in messages[(1, "kind")]
    assert "nėra data" in messages[(2, "closed_on")], messages
    english = post_file(admin_client, SITES, content, "s.csv", language="en")
    messages = {(r, c): m for r, c, m in errors(english)}
    assert "Allowed:" in messages[(1, "kind")] and "seaport" in messages[(1, "kind")]
    assert "YYYY-MM-DD" in messages[(2, "closed_on")]


def test_numbers_take_a_decimal_comma_and_say_what_is_wrong(admin_client: Client) -> None:
    site = Site.objects.create(code="DC1", name="DC", kind=Site.Kind.DATA_CENTRE)
    Location.objects.create(site=site, code="L1", name="Salė")
    preview = post_file(admin_client, reverse("inventory:rack_import"),
                        "name,site,u_height\nR1,DC1,42\nR2,DC1,keturiasdešimt\n".encode(), "r.csv", language="lt")
    assert [(r, c) for r, c, _ in errors(preview)] == [(2, "u_height")]
    assert "sveikasis skaičius" in errors(preview)[0][2]


def test_headers_naming_one_column_twice_are_refused(admin_client: Client) -> None:
    preview = post_file(admin_client, SITES, b"code,Kodas\nA,B\n", "s.csv")
    assert [(r, c) for r, c, _ in errors(preview)] == [(0, "Kodas")]


def workbook_with_dimension(dimension: str | None, rows: int) -> bytes:
    """An XLSX of `rows` sites whose sheet declares `dimension` (None: no declaration)."""
    import re

    book = openpyxl.Workbook()
    book.active.append(["code", "name", "kind"])
    for n in range(rows):
        book.active.append([f"X{n}", "Vieta", "seaport"])
    saved = io.BytesIO()
    book.save(saved)
    out = io.BytesIO()
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                new = "" if dimension is None else f'<dimension ref="{dimension}"/>'
                data = re.sub(rb'<dimension ref="[^"]*"/>', new.encode(), data)
            target.writestr(info, data)
    return out.getvalue()


def test_a_large_sheet_must_declare_its_size(admin_client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    from irtis.core import importfiles

    monkeypatch.setattr(importfiles, "UNMEASURED_SHEET_BYTES", 0)
    response = post_file(admin_client, SITES, workbook_with_dimension(None, 3), "s.xlsx")
    assert response.status_code == 400 and "how large" in response.context["file_error"]
    response = post_file(admin_client, SITES, workbook_with_dimension("A1:C999999", 3), "s.xlsx")
    assert response.status_code == 400 and "more than" in response.context["file_error"]


def test_a_sheet_declaring_too_few_rows_loses_none() -> None:
    assert len(parse(workbook_with_dimension("A1:C2", 5), "xlsx")) == 5
    assert len(parse(workbook_with_dimension(None, 5), "xlsx")) == 5
