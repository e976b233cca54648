"""Evidence files: kept under the data directory by their record and hash, never by the name the
uploader gave (that is only shown). The SHA-256 is on the record, so the audit trail carries it
with the upload; re-hashing (each evaluation, each sign-off, the evidence pack) finds a file
changed or removed on disk, and records that on the record, audited too."""

import hashlib
from collections.abc import Iterable
from pathlib import Path, PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Evidence

MAX_BYTES = 200 * 1024 * 1024
CHUNK = 1024 * 1024


def root() -> Path:
    return Path(settings.DATA_DIR) / "security-evidence"


def path_of(evidence: Evidence) -> Path:
    return root() / str(evidence.pk) / evidence.sha256


def file_sha256(path: Path) -> str | None:
    """The file's SHA-256, or None when it cannot be read."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            while block := handle.read(CHUNK):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


def store(evidence: Evidence, upload: UploadedFile, user: Any) -> Evidence:
    """Keep the uploaded file as the evidence's file; a new file needs a new sign-off."""
    if not upload.size:
        raise ValidationError(_("The file is empty."))
    if upload.size > MAX_BYTES:
        raise ValidationError(_("The file is larger than %(mb)s MB.") % {"mb": MAX_BYTES // (1024 * 1024)})
    folder = root() / str(evidence.pk)
    folder.mkdir(parents=True, exist_ok=True)
    temp = folder / "upload.part"
    digest = hashlib.sha256()
    with temp.open("wb") as handle:
        for block in upload.chunks(CHUNK):
            digest.update(block)
            handle.write(block)
    sha256 = digest.hexdigest()
    temp.replace(folder / sha256)
    evidence.file_name = PurePath((upload.name or "evidence").replace("\\", "/")).name[:255] or "evidence"
    evidence.sha256, evidence.size = sha256, upload.size
    evidence.uploaded_by, evidence.uploaded_at = user, timezone.now()
    evidence.reviewed_by = evidence.reviewed_at = evidence.altered_at = None
    evidence.full_clean()
    evidence.save()
    return evidence


def intact(evidence: Evidence) -> bool:
    return bool(evidence.sha256) and file_sha256(path_of(evidence)) == evidence.sha256


def verify(items: Iterable[Evidence]) -> list[Evidence]:
    """Re-hash the files; mark (and save, audited) those changed or missing. Returns them."""
    altered = [e for e in items if e.sha256 and e.altered_at is None and not intact(e)]
    now = timezone.now()
    with transaction.atomic():
        for item in altered:
            item.altered_at = now
            item.save(update_fields=["altered_at"])
    return altered


def sign_off(evidence: Evidence, user: Any) -> Evidence:
    """The reviewer's sign-off: someone other than the uploader, of an unchanged, unexpired file."""
    if not evidence.sha256:
        raise ValidationError(_("There is no file to sign off."))
    if evidence.uploaded_by_id == getattr(user, "pk", None):
        raise ValidationError(_("Evidence is signed off by someone other than the person who uploaded it."))
    if verify([evidence]) or evidence.altered_at:
        raise ValidationError(_("The file was changed or removed after it was uploaded; upload it again."))
    if evidence.expires < timezone.localdate():
        raise ValidationError(_("The evidence has expired."))
    evidence.reviewed_by, evidence.reviewed_at = user, timezone.now()
    evidence.save()
    return evidence
