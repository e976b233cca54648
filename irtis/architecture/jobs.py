"""Writing a description's DOCX or PDF file as a background run.

The page starts `generate` and shows its progress; the file is kept under
IRTIS_DATA_DIR/documents/<run id>.<format> for the user who started it, and deleted with its run
when old runs are deleted (`irtis.tasks.jobs.delete_old_runs`). Each generation is audited as
`document_generated` in the run's transaction, under the name of the user who started it.
"""

import gc
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

from django.conf import settings
from django.db import transaction
from django.http import FileResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from irtis.core import permissions
from irtis.inventory.models import Device
from irtis.tasks.models import Run
from irtis.tasks.runs import ObjectGone, Refused, job

from . import infrastructure, pdf, publish, sources, system
from .document import Document

FILE_FORMATS = ("docx", "pdf")
INFRASTRUCTURE = "infrastructure"


def file_dir() -> Path:
    return Path(settings.DATA_DIR) / "documents"


def file_path(run_id: uuid.UUID | str, fmt: str) -> Path:
    return file_dir() / f"{run_id}.{fmt}"


def document_key(system_id: int | None, fmt: str) -> str:
    """What a run generates, e.g. "system/12/pdf": one active run per system and format."""
    if fmt not in FILE_FORMATS:
        raise ValueError(fmt)
    return f"system/{system_id}/{fmt}" if system_id is not None else f"{INFRASTRUCTURE}/{fmt}"


def start(user: Any, system_id: int | None, fmt: str) -> Run:
    """Start generating (or the run already generating this system's file in this format)."""
    return generate.start(user=user, document=document_key(system_id, fmt))


def describe(user: Any, document: str) -> tuple[Document, str]:
    """The document a key names, read as the user sees it, and its format."""
    kind, *rest = document.split("/")
    fmt = rest[-1]
    if user is None:
        raise Refused(_("The user who started the generation no longer exists."))
    if kind == INFRASTRUCTURE:
        if not permissions.has(user, sources.system_model() or Device, "view"):
            raise Refused(_("You may not see the infrastructure description."))
        return infrastructure.describe(user), fmt
    model = sources.system_model()
    if model is None:
        raise ObjectGone(_("Information systems are not installed."))
    found = permissions.restrict(model.objects.select_related("category"), user).filter(pk=int(rest[0])).first()
    if found is None:
        if model.objects.filter(pk=int(rest[0])).exists():
            raise Refused(_("You may not see this information system."))
        raise ObjectGone(_("%(what)s no longer exists: it was deleted before the run reached it.")
                         % {"what": str(model._meta.verbose_name).capitalize()})
    return system.describe(found, user), fmt


@job(label=gettext_lazy("Generate an architecture document"), key="document", max_attempts=2)
def generate(run: Any, document: str) -> dict[str, Any]:
    """Describe, render, store and audit one file; the run's result names the stored file."""
    with own_garbage_only():
        return _generate(run, document)


def _generate(run: Any, document: str) -> dict[str, Any]:
    user = run.started_by
    run.report(0, 3, _("Reading the records"))
    doc, fmt = describe(user, document)
    publish.stamp(doc, user)
    run.report(1, 3, _("Drawing the diagrams"))
    try:  # a PDF's diagrams are drawn while WeasyPrint starts on the text (publish._pdf)
        body = publish.render(doc, fmt, drawn=lambda: run.report(2, 3, _("Writing the file")))
    except pdf.PDFUnavailable as problem:
        raise Refused(_("This format cannot be generated on this server at the moment: %(problem)s")
                      % {"problem": problem}) from None
    entry = publish.audit(doc, fmt, body)
    path = file_path(run.pk, fmt)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    partial.write_bytes(body)
    partial.replace(path)  # a reader never sees half a file; a retry writes the same name again
    assert doc.stamp is not None
    return {"document": f"architecture/{doc.kind}/{doc.code}", "format": fmt,
            "filename": f"{doc.file_stem}-{doc.stamp.label}.{fmt}", "size": len(body),
            "file_sha256": (entry.after or {})["file_sha256"], "version": doc.stamp.label, "audit_entry": entry.pk}


@contextmanager
def own_garbage_only() -> Iterator[None]:
    """While a document is written, the garbage collector scans only the objects made since it
    began. A worker's older objects (Django, the apps, what earlier jobs left: about a million in
    the benchmark) would otherwise be scanned in full once per large PDF, 0.5 s of it: WeasyPrint
    makes enough objects to trigger a full collection. Another thread's objects are collected as
    usual once the document is done."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def is_generation(run: Run) -> bool:
    return run.task == generate.module_path


def delete_file(run: Run) -> None:
    """Delete a run's file once the deletion of the run commits (it is the file's only record)."""
    if not is_generation(run):
        return
    paths = [file_path(run.pk, fmt) for fmt in FILE_FORMATS]  # now: Django clears the pk once deleted

    def delete() -> None:
        for path in paths:
            path.unlink(missing_ok=True)

    transaction.on_commit(delete)


def response(run: Run) -> FileResponse | None:
    """The finished run's file as a download; None when it is no longer kept."""
    result = cast(dict[str, Any], run.result)  # a finished generation's
    path = file_path(run.pk, result["format"])
    if not path.exists():
        return None
    return FileResponse(path.open("rb"), as_attachment=True, filename=result["filename"],
                        content_type=publish.CONTENT_TYPES[result["format"]])
