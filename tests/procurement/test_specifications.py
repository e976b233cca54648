"""Specifications: approval locks a version, new versions copy it, the diff, the Lithuanian DOCX."""

import hashlib
import io
import json

import pytest
from docx import Document
from pypdf import PdfReader

from irtis.audit.models import AuditEntry
from irtis.identity.models import User
from irtis.procurement import specifications
from irtis.procurement.models import Requirement, RequirementTemplate, Specification

from . import factories as f

pytestmark = pytest.mark.django_db
JSON = "application/json"
LOCKED = "Patvirtintos specifikacijos keisti negalima: sukurkite naują versiją."  # pages answer in Lithuanian


@pytest.fixture
def boss() -> User:
    return User.objects.create_superuser("vadove", password="x")


def test_requirement_takes_template_wording():
    template = RequirementTemplate.objects.create(name="Lietuvių kalba", text="Pagalba lietuvių kalba.",
                                                  proof="Deklaracija")
    spec = f.specification("TS-T", requirements=0)
    requirement = Requirement(specification=spec, number=1, template=template)
    requirement.full_clean()
    assert (requirement.text, requirement.proof) == ("Pagalba lietuvių kalba.", "Deklaracija")


def test_approved_specification_cannot_be_edited_only_superseded(admin_client, boss):
    spec = f.specification("TS-1")
    specifications.approve(spec, boss)
    spec.refresh_from_db()
    assert spec.status == "approved" and spec.approved_by == boss
    # the API: an edit answers 400 with the reason, a delete 409; nothing changes
    response = admin_client.patch(f"/api/procurement/specifications/{spec.pk}/", json.dumps({"title": "Kita"}),
                                  content_type=JSON)
    assert response.status_code == 400
    assert LOCKED in response.json()["errors"]["__all__"]
    requirement = spec.requirements.first()
    response = admin_client.patch(f"/api/procurement/requirements/{requirement.pk}/",
                                  json.dumps({"text": "Kitaip"}), content_type=JSON)
    assert response.status_code == 400
    assert admin_client.delete(f"/api/procurement/requirements/{requirement.pk}/").status_code == 409
    assert admin_client.delete(f"/api/procurement/specifications/{spec.pk}/").status_code == 409
    response = admin_client.post(f"/api/procurement/specifications/{spec.pk}/approve/")
    assert response.status_code == 409
    spec.refresh_from_db()
    assert spec.title == "Specifikacija TS-1" and spec.requirements.count() == 3
    # a new version: a draft copy; its approval supersedes the first
    response = admin_client.post(f"/api/procurement/specifications/{spec.pk}/new-version/")
    assert response.status_code == 200, response.content
    draft = Specification.objects.get(pk=response.json()["id"])
    assert (draft.revision, draft.status, draft.previous_id, draft.requirements.count()) == (2, "draft", spec.pk, 3)
    assert admin_client.post(f"/api/procurement/specifications/{spec.pk}/new-version/").status_code == 409
    Requirement.objects.filter(specification=draft, number=2).update(text="Reikalavimas 2 griežtesnis")
    Requirement.objects.filter(specification=draft, number=3).delete()
    Requirement.objects.create(specification=draft, number=4, text="Naujas reikalavimas")
    response = admin_client.post(f"/api/procurement/specifications/{draft.pk}/approve/")
    assert response.status_code == 200
    spec.refresh_from_db()
    assert spec.status == "superseded"
    diff = admin_client.get(f"/api/procurement/specifications/{draft.pk}/diff/").json()["changes"]
    assert [(c["number"], c["status"]) for c in diff] == [(2, "changed"), (3, "removed"), (4, "added")]
    page = admin_client.get(f"/procurement/specifications/{draft.pk}/diff/").content.decode()
    assert "<ins>griežtesnis</ins>" in page and "table-danger" in page
    assert AuditEntry.objects.filter(content_type__model="specification", object_id=spec.pk,
                                     action="update").count() == 2  # approved, superseded


def test_the_edit_form_of_an_approved_version_is_refused(admin_client, boss):
    spec = f.specification("TS-F")
    specifications.approve(spec, boss)
    spec.refresh_from_db()
    response = admin_client.post(f"/procurement/specifications/{spec.pk}/edit/",
                                 {"code": spec.code, "revision": 1, "title": "Kita", "version": spec.version})
    assert response.status_code == 400
    assert LOCKED in response.content.decode()


def test_an_empty_draft_is_not_approved(boss):
    with pytest.raises(specifications.ActionRefused, match="without requirements"):
        specifications.approve(f.specification("TS-E", requirements=0), boss)


def test_docx_is_lithuanian_with_the_numbered_requirements(admin_client, boss):
    spec = f.specification("TS-D")
    specifications.approve(spec, boss)
    response = admin_client.get(f"/procurement/specifications/{spec.pk}/docx/")
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "TECHNINĖ SPECIFIKACIJA" in text
    cells = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert cells[0][0] == "Eil. Nr." and cells[1][:3] == ["1", "Reikalavimas 1", "privalomas"]
    assert AuditEntry.objects.filter(action="document_generated", object_id=spec.pk).exists()


def test_pdf_is_lithuanian_with_the_numbered_requirements(admin_client, boss):
    spec = f.specification("TS-P")
    specifications.approve(spec, boss)
    response = admin_client.get(f"/procurement/specifications/{spec.pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "TECHNINĖ SPECIFIKACIJA" in text and "Reikalavimas 1" in text and "privalomas" in text
    entry = AuditEntry.objects.get(action="document_generated", object_id=spec.pk)
    assert entry.after["format"] == "pdf" and entry.after["file_sha256"] == hashlib.sha256(
        response.content).hexdigest()
    assert admin_client.get(f"/procurement/specifications/{spec.pk}/txt/").status_code == 404
