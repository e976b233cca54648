"""DOCX and PDF descriptions written by a background run, downloaded by the user who started it."""

import io

import docx
import pypdf
import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from irtis.architecture import jobs
from irtis.audit.models import Action, AuditEntry, Source
from irtis.identity.models import User
from irtis.tasks.jobs import delete_old_runs
from irtis.tasks.models import Run, Status
from irtis.tasks.runs import ObjectGone, execute

from .conftest import LETTERS, generated, start


def test_a_pdf_is_written_in_the_background_audited_and_downloaded(admin_client, estate, data_dir) -> None:
    run, body = generated(admin_client, "pdf")
    reader = pypdf.PdfReader(io.BytesIO(body))
    assert reader.metadata.author == "irtis"
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert LETTERS in text and "mdas-app-1" in text
    entry = AuditEntry.objects.get(action=Action.DOCUMENT_GENERATED)
    assert (entry.actor.username, entry.source, entry.object_id) == ("admin", Source.JOB, estate.system.pk)
    assert entry.after["format"] == "pdf" and entry.after["sha256"][:12] in text
    assert run.result["file_sha256"] == entry.after["file_sha256"]
    assert (data_dir / "documents" / f"{run.pk}.pdf").read_bytes() == body


def test_a_docx_has_author_diagrams_and_the_edges_in_an_appendix(admin_client, estate) -> None:
    _run, body = generated(admin_client, "docx")
    word = docx.Document(io.BytesIO(body))
    assert word.core_properties.author == "irtis"
    headings = [p.text for p in word.paragraphs if p.style.name == "Heading 1"]
    with translation.override("lt"):
        assert headings[-1] == _("Appendix. Edges of the dependency diagrams")
    assert word.inline_shapes, "the dependency diagrams are embedded as pictures"


def test_one_active_generation_per_system_and_format(admin_client, estate) -> None:
    first, again, other = start(admin_client, "pdf"), start(admin_client, "pdf"), start(admin_client, "docx")
    assert first.pk == again.pk and other.pk != first.pk
    assert first.key == f"system/{estate.system.pk}/pdf"


def test_a_system_deleted_before_the_run_fails_it_clearly(admin_client, estate) -> None:
    run = start(admin_client, "pdf")
    estate.system.delete()
    with pytest.raises(ObjectGone):
        execute(str(run.pk))
    run.refresh_from_db()
    assert (run.status, run.attempts) == (Status.FAILED, 1) and run.error  # refused at once, not retried
    assert not AuditEntry.objects.filter(action=Action.DOCUMENT_GENERATED).exists()
    page = admin_client.get(reverse("architecture:file", args=[run.pk]))
    assert page.status_code == 409 and run.error in page.content.decode()
    api = admin_client.get(reverse("api:architecture_file", args=[run.pk]))
    assert api.status_code == 409 and api.json()["detail"] == run.error


def test_only_the_user_who_started_it_may_fetch_the_file(admin_client, estate, client) -> None:
    run, _body = generated(admin_client, "pdf")
    other = User.objects.create_superuser("kitas", "kitas@example.lt", "Kitas-Sl4ptas!x")
    client.force_login(other)
    assert client.get(reverse("architecture:file", args=[run.pk])).status_code == 404
    assert client.get(reverse("api:architecture_file", args=[run.pk])).status_code == 404


def test_a_user_who_lost_sight_of_the_system_may_not_fetch_it(estate, client) -> None:
    user = User.objects.create_user("vartotojas", password="x" * 16)
    user.is_superuser = True
    user.save()
    client.force_login(user)
    run, _body = generated(client, "docx")
    user.is_superuser = False
    user.save()
    assert client.get(reverse("architecture:file", args=[run.pk])).status_code in (403, 404)
    assert client.get(reverse("api:architecture_file", args=[run.pk])).status_code == 404


def test_unknown_format_and_get_are_refused_without_a_run(admin_client, estate) -> None:
    assert admin_client.post("/architecture/systems/MDAS/odt/").status_code == 404
    assert admin_client.get(reverse("architecture:system_file", args=["MDAS", "pdf"])).status_code == 405
    api = admin_client.post("/api/architecture/systems/MDAS/odt/")
    assert api.status_code == 400 and "odt" in api.json()["detail"]
    assert admin_client.post("/api/architecture/systems/NERA/pdf/").status_code == 404
    assert not Run.objects.exists()


def test_the_api_starts_a_generation_and_fetches_the_file(admin_client, estate) -> None:
    started = admin_client.post(reverse("api:architecture_infrastructure_generate", args=["docx"]))
    assert started.status_code == 202
    run = started.json()
    assert run["status"] == "queued" and run["object"] == "infrastructure/docx"
    assert admin_client.get(run["file"]).status_code == 409  # not written yet
    execute(run["id"])
    response = admin_client.get(run["file"])
    assert response.status_code == 200
    word = docx.Document(io.BytesIO(b"".join(response.streaming_content)))
    assert word.core_properties.author == "irtis"


def test_a_user_without_permission_cannot_start_one(client, estate) -> None:
    client.force_login(User.objects.create_user("vartotojas", password="x" * 16))
    assert client.post(reverse("architecture:system_file", args=["MDAS", "pdf"])).status_code == 403
    assert client.post(reverse("api:architecture_system_generate", args=["MDAS", "pdf"])).status_code == 403
    assert client.post(reverse("api:architecture_infrastructure_generate", args=["pdf"])).status_code == 403
    assert not Run.objects.exists()


def test_the_file_goes_with_its_old_run(admin_client, estate, data_dir, django_capture_on_commit_callbacks,
                                        settings) -> None:
    run, _body = generated(admin_client, "pdf")
    path = data_dir / "documents" / f"{run.pk}.pdf"
    assert path.exists()
    settings.IRTIS_TASK_RUNS_DAYS = 0
    with django_capture_on_commit_callbacks(execute=True):
        assert delete_old_runs.body(None)["deleted"] == 1
    assert not path.exists()
    assert admin_client.get(reverse("architecture:file", args=[run.pk])).status_code == 404


def test_a_file_removed_from_disk_is_gone_not_an_error(admin_client, estate, data_dir) -> None:
    run, _body = generated(admin_client, "docx")
    jobs.file_path(run.pk, "docx").unlink()
    assert admin_client.get(reverse("architecture:file", args=[run.pk])).status_code == 410
    assert admin_client.get(reverse("api:architecture_file", args=[run.pk])).status_code == 410
