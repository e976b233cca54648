"""Manual controls: the uploaded file's SHA-256 goes to the audit trail; a file changed or removed
on disk is found, recorded and fails the control; the sign-off is someone else's."""

import hashlib
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from irtis.audit.models import Action, AuditEntry
from irtis.security import evidence as evidence_files
from irtis.security import run
from irtis.security.evaluation import Status
from irtis.security.models import Evidence, EvidenceState

from . import factories

pytestmark = pytest.mark.django_db
BODY = "Rizikos analizės ataskaita 2026\n".encode()


def _entries(item: Evidence) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(Evidence),
                                          object_id=item.pk).order_by("id"))


@pytest.fixture
def reviewer():
    return get_user_model().objects.create_superuser("reviewer", "reviewer@example.lt", "Sl4ptas-Rev!")


@pytest.fixture
def uploaded(admin_client) -> Evidence:
    item = factories.evidence(factories.control("K-RISK"))
    response = admin_client.post(reverse("security_pages:upload", args=[item.pk]),
                                 {"file": SimpleUploadedFile("rizika.pdf", BODY)})
    assert response.status_code == 302
    item.refresh_from_db()
    return item


def test_an_upload_records_the_files_hash_in_the_audit_trail(uploaded: Evidence, admin_user) -> None:
    digest = hashlib.sha256(BODY).hexdigest()
    assert (uploaded.sha256, uploaded.size, uploaded.file_name) == (digest, len(BODY), "rizika.pdf")
    assert uploaded.uploaded_by == admin_user and uploaded.state == EvidenceState.UNREVIEWED
    assert evidence_files.path_of(uploaded).read_bytes() == BODY
    assert _entries(uploaded)[-1].after["sha256"] == digest


def test_an_empty_file_is_refused(admin_client) -> None:
    item = factories.evidence(factories.control("K-RISK"))
    response = admin_client.post(reverse("security_pages:upload", args=[item.pk]),
                                 {"file": SimpleUploadedFile("empty.pdf", b"")})
    assert response.status_code == 400
    item.refresh_from_db()
    assert item.sha256 == ""


def test_the_uploader_cannot_sign_off_their_own_evidence(uploaded: Evidence, admin_client, reviewer, client) -> None:
    admin_client.post(reverse("security_pages:sign_off", args=[uploaded.pk]))
    uploaded.refresh_from_db()
    assert uploaded.reviewed_by is None
    client.force_login(reviewer)
    client.post(reverse("security_pages:sign_off", args=[uploaded.pk]))
    uploaded.refresh_from_db()
    assert uploaded.reviewed_by == reviewer and uploaded.state == EvidenceState.VALID
    [result] = run.evaluate()
    assert result.status == Status.PASSED and result.data == {"valid_evidence": [uploaded.pk]}


@pytest.mark.parametrize("tamper", ["altered", "removed"])
def test_a_file_changed_on_disk_is_found_and_fails_the_control(uploaded: Evidence, reviewer, client,
                                                               tamper: str) -> None:
    evidence_files.sign_off(uploaded, reviewer)
    path = evidence_files.path_of(uploaded)
    if tamper == "altered":
        path.write_bytes(BODY.replace(b"2026", b"2027"))  # same size, other content
    else:
        path.unlink()

    [result] = run.evaluate()

    assert result.status == Status.FAILED
    assert result.deviations[0]["params"] == {"state": EvidenceState.ALTERED}
    uploaded.refresh_from_db()
    assert uploaded.state == EvidenceState.ALTERED
    last = _entries(uploaded)[-1]
    assert last.action == Action.UPDATE and last.after["altered_at"]
    client.force_login(reviewer)
    assert client.get(reverse("security_pages:file", args=[uploaded.pk])).status_code == 409
    run.evaluate()
    assert _entries(uploaded)[-1].pk == last.pk  # found once, recorded once


def test_expired_or_missing_evidence_fails(uploaded: Evidence, reviewer) -> None:
    evidence_files.sign_off(uploaded, reviewer)
    uploaded.expires = timezone.localdate() - timedelta(days=1)
    uploaded.save()
    factories.control("K-EMPTY")
    results = {r.control.code: r for r in run.evaluate()}
    assert results["K-RISK"].status == Status.FAILED
    assert results["K-EMPTY"].status == Status.FAILED and results["K-EMPTY"].reason == "No evidence uploaded"


def test_the_file_downloads_while_unchanged(uploaded: Evidence, admin_client) -> None:
    response = admin_client.get(reverse("security_pages:file", args=[uploaded.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == BODY


def test_upload_and_sign_off_through_the_api(admin_client, reviewer, client) -> None:
    item = factories.evidence(factories.control("K-RISK"))
    url = f"/api/security/evidence/{item.pk}/file/"
    assert admin_client.post(url, {"file": SimpleUploadedFile("e.txt", b"")}).status_code == 400
    body = admin_client.post(url, {"file": SimpleUploadedFile("e.txt", BODY)}).json()
    assert body["sha256"] == hashlib.sha256(BODY).hexdigest() and body["state"] == EvidenceState.UNREVIEWED
    assert admin_client.post(f"/api/security/evidence/{item.pk}/sign-off/").status_code == 400  # the uploader
    client.force_login(reviewer)
    assert client.post(f"/api/security/evidence/{item.pk}/sign-off/").json()["state"] == EvidenceState.VALID
    assert client.post("/api/security/evidence/999999/sign-off/").status_code == 404
