"""The import page: upload → preview (kept on the server) → confirm → outcome.

A file of more than `IRTIS_IMPORT_BACKGROUND_ROWS` rows is checked and written by a background
run (`IRTIS_IMPORT_JOB`, in irtis.tasks); the page shows its progress, then the preview or the
outcome. Smaller files are handled within the request, the same way.
"""

import hashlib
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.module_loading import import_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from . import tabular
from .importfiles import ENCODINGS, FORMATS, ImportFileError, parse, too_large
from .imports import UploadGone, process, store, upload_of
from .models import ImportUpload
from .views import EntryView


class ImportView(EntryView):
    action = "import"

    def get(self, request: HttpRequest) -> HttpResponse:
        if "upload" not in request.GET:
            return self.show()
        try:
            upload = upload_of(request.user, self.entry, request.GET["upload"])
        except UploadGone as gone:
            return self.show(file_error=str(gone), status=404)
        run = self.run_of(upload)
        if run is not None and run.active:
            return self.show(upload=upload, run=run, next=request.get_full_path())
        if upload.result is None:  # the run failed before it could say anything else
            return self.show(file_error=run.error if run else _("The import did not finish."))
        return self.outcome(upload)

    def post(self, request: HttpRequest) -> HttpResponse:
        skip = bool(request.POST.get("skip_invalid"))
        confirm = "confirm" in request.POST
        if "upload" in request.POST:  # the confirmation of a preview
            try:
                upload = upload_of(request.user, self.entry, request.POST["upload"], request.POST.get("digest", ""))
            except UploadGone as gone:
                return self.show(file_error=str(gone), status=409)
        else:
            try:
                content, fmt = self.content(request)
                rows = parse(content, fmt, request.POST.get("encoding", ""))
            except ImportFileError as error:
                return self.show(file_error=str(error), status=400)
            upload = store(request.user, self.entry, hashlib.sha256(content).hexdigest(), rows)
        if upload.row_count > settings.IRTIS_IMPORT_BACKGROUND_ROWS:
            # The old outcome goes before the run starts: a quick worker may write the new one at once.
            ImportUpload.objects.filter(pk=upload.pk).update(result=None)
            job = import_string(settings.IRTIS_IMPORT_JOB)
            run = job.start(user=request.user, upload_id=str(upload.pk), confirm=confirm, skip_invalid=skip,
                            language=get_language())
            ImportUpload.objects.filter(pk=upload.pk).update(run=run.pk)
            return redirect(f"{self.entry.url('import')}?upload={upload.pk}")
        try:
            process(upload, confirm, skip)
        except UploadGone as gone:
            return self.show(file_error=str(gone), status=409)
        return self.outcome(upload)

    def outcome(self, upload: ImportUpload) -> HttpResponse:
        result = upload.result or {}
        if result.get("applied"):
            messages.success(self.request, summary(result))
            return redirect(self.entry.url_name("list"))
        status = 409 if result.get("problem") else 400 if result.get("error_count") else 200
        return self.show(upload=upload, result=result, status=status)

    def content(self, request: HttpRequest) -> tuple[bytes, str]:
        upload = request.FILES.get("file")
        fmt = request.POST.get("format", "")
        if upload:
            if (upload.size or 0) > settings.MAX_UPLOAD_BYTES:
                raise ImportFileError(too_large())
            fmt = fmt or (upload.name or "").rsplit(".", 1)[-1].lower().replace("yml", "yaml")
            return upload.read(), fmt
        text = request.POST.get("text", "")
        if not text.strip():
            raise ImportFileError(_("Choose a file or paste the data."))
        return text.encode(), fmt or "csv"

    def run_of(self, upload: ImportUpload) -> Any:
        # Core imports no app above it: the run's model is looked up by name.
        if upload.run is None:
            return None
        return apps.get_model("tasks", "Run").objects.filter(pk=upload.run).first()

    def show(self, status: int = 200, **extra: Any) -> HttpResponse:
        columns = tabular.columns(self.entry)
        required = [c for c in columns
                    if c.name != "id" and not c.many and not c.field.blank and not c.field.has_default()]
        return render(self.request, "core/import.html", self.context(
            columns=columns, required=required, formats=FORMATS, encodings=ENCODINGS,
            background_rows=settings.IRTIS_IMPORT_BACKGROUND_ROWS, **extra), status=status)


def summary(result: dict[str, Any]) -> str:
    return _("Imported: %(created)d created, %(updated)d updated, %(unchanged)d unchanged, "
             "%(invalid)d invalid rows skipped.") % result
