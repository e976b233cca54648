"""The evidence pack for auditors: one ZIP with the framework's statement of applicability as
PDF, every evidence file of the controls serving it (re-hashed on the way in: an altered file is
left out and named) and a manifest of SHA-256 sums that `sha256sum -c` reads. Written by a
background run, kept under IRTIS_DATA_DIR/security-packs/<run id>.zip for the user who started
it, and audited as a generated document with the ZIP's own SHA-256."""

import hashlib
import zipfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.http import FileResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from irtis.architecture.pdf import PDFUnavailable
from irtis.audit import trail
from irtis.audit.context import current
from irtis.audit.models import Action
from irtis.core import permissions
from irtis.tasks.models import Run
from irtis.tasks.runs import ObjectGone, Refused

from . import documents
from . import evidence as evidence_files
from .dashboard import soa
from .models import Evidence, Framework


def pack_dir() -> Path:
    return Path(settings.DATA_DIR) / "security-packs"


def pack_path(run_id: Any) -> Path:
    return pack_dir() / f"{run_id}.zip"


def _evidence(framework: Framework, user: Any) -> list[Evidence]:
    controls = {c.pk for row in soa(framework, user) for c, _r in row["controls"]}
    return list(permissions.restrict(Evidence.objects.filter(control__in=controls), user)
                .exclude(sha256="").select_related("control").order_by("control__code", "pk"))


def write(framework_id: int, job_run: Any, language: str) -> dict[str, Any]:
    user = job_run.started_by
    if user is None:
        raise Refused(_("The user who started the run no longer exists."))
    framework = permissions.restrict(Framework.objects.all(), user).filter(pk=framework_id).first()
    if framework is None:
        raise ObjectGone(_("The framework no longer exists, or you may not see it."))
    with translation.override(language):
        items = _evidence(framework, user)
        altered = {e.pk for e in evidence_files.verify(items)} | {e.pk for e in items if e.altered_at}
        kept = [e for e in items if e.pk not in altered]
        job_run.report(1, 3, _("Writing the statement of applicability"))
        try:
            summary = documents.soa_pdf(framework, user, {"evidence": kept, "left_out": [
                e for e in items if e.pk in altered]})
        except PDFUnavailable as problem:
            raise Refused(_("The PDF cannot be written on this server at the moment: %(problem)s")
                          % {"problem": problem}) from None
    sums = [(hashlib.sha256(summary).hexdigest(), "summary.pdf")]
    path = pack_path(job_run.pk)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    job_run.report(2, 3, _("Adding the evidence files"))
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("summary.pdf", summary)
        for item in kept:
            name = f"evidence/{item.control.code}/{item.pk}-{item.file_name}"
            archive.write(evidence_files.path_of(item), name)
            sums.append((item.sha256, name))
        archive.writestr("SHA256SUMS", "".join(f"{digest}  {name}\n" for digest, name in sums))
    partial.replace(path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    entry = current().entry(
        action=Action.DOCUMENT_GENERATED, content_type=ContentType.objects.get_for_model(Framework),
        object_id=framework.pk, object_repr=(_("Evidence pack: %(code)s") % {"code": framework.code})[:200],
        after={"document": f"security/pack/{framework.code}", "format": "zip", "file_sha256": digest,
               "evidence": [[e.pk, e.sha256] for e in kept], "left_out": sorted(altered),
               "generated": timezone.now().isoformat()},
    )
    trail.append([entry])
    return {"filename": f"irodymai-{framework.code}-{timezone.localdate():%Y%m%d}.zip", "file_sha256": digest,
            "evidence": len(kept), "left_out": sorted(altered)}


PACK_TASK = "irtis.security.jobs.evidence_pack"


def delete_file(run: Run) -> None:
    """The pack goes with its run (deleted with old runs), once that deletion commits."""
    if run.task == PACK_TASK:
        path = pack_path(run.pk)  # now: Django clears the pk once deleted
        transaction.on_commit(lambda: path.unlink(missing_ok=True))


def response(run: Run) -> FileResponse | None:
    path = pack_path(run.pk)
    if not path.exists():
        return None
    return FileResponse(path.open("rb"), as_attachment=True, filename=(run.result or {}).get("filename", "pack.zip"),
                        content_type="application/zip")
