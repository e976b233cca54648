"""Pages of irtis.security outside the registry, mounted under /security/: the compliance
dashboard, a control's results, the statement of applicability (page, PDF, XLSX), evaluating
now, the evidence pack, and an evidence's file and sign-off."""

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from irtis.architecture.pdf import PDFUnavailable
from irtis.core import permissions
from irtis.tasks.models import Run
from irtis.tasks.models import Status as RunStatus
from irtis.tasks.views import started

from . import dashboard, documents, jobs, pack
from . import evidence as evidence_files
from .messages import message
from .models import Control, ControlResult, Evidence, Framework

RESULTS = 30  # results listed on a control's page


def _one(model: type[Model], user: Any, action: str, pk: int) -> Any:
    return permissions.obtain(model._default_manager.all(), user, action, pk)


def _may_view(user: Any) -> None:
    if not permissions.has(user, Control, "view"):
        raise PermissionDenied


@login_required
def board(request: HttpRequest) -> HttpResponse:
    """Per framework % passed, per system, per control with its recent history."""
    _may_view(request.user)
    return render(request, "security/board.html", {
        "board": dashboard.board(request.user), "may_evaluate": permissions.has(request.user, Control, "change"),
    })


@login_required
def results(request: HttpRequest, pk: int) -> HttpResponse:
    """A control's latest results, the deviations and data of the newest."""
    control = _one(Control, request.user, "view", pk)
    found = list(ControlResult.objects.filter(control=control)[:RESULTS])
    newest = found[0] if found else None
    stored = newest.deviations if newest else []
    deviations = [{**d, "text": message(d.get("reason", ""), d.get("params"))} for d in stored]
    return render(request, "security/results.html", {
        "control": control, "results": [(r, message(r.reason, r.params)) for r in found], "newest": newest,
        "deviations": deviations,
    })


@login_required
def evaluate(request: HttpRequest) -> HttpResponse:
    """Start evaluating every control now (the same job the schedule starts)."""
    if request.method != "POST":
        return HttpResponse(status=405)
    if not permissions.has(request.user, Control, "change"):
        raise PermissionDenied
    run = jobs.evaluate_controls.start(user=request.user)
    return started(request, run, _("Evaluating the security controls"), reverse("security_pages:board"))


@login_required
def soa(request: HttpRequest, pk: int) -> HttpResponse:
    framework = _one(Framework, request.user, "view", pk)
    _may_view(request.user)
    return render(request, "security/soa.html", {"framework": framework,
                                                  "rows": dashboard.soa(framework, request.user)})


@login_required
def soa_file(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    framework = _one(Framework, request.user, "export", pk)
    _may_view(request.user)
    name = f"taikymo-pareiskimas-{framework.code}-{timezone.localdate():%Y%m%d}.{fmt}"
    if fmt == "xlsx":
        body = documents.soa_xlsx(framework, request.user)
        kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        try:
            body = documents.soa_pdf(framework, request.user)
        except PDFUnavailable as problem:
            return HttpResponse(_("The PDF cannot be written on this server at the moment: %(problem)s")
                                % {"problem": problem}, status=503, content_type="text/plain; charset=utf-8")
        kind = "application/pdf"
    response = HttpResponse(body, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def start_pack(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method != "POST":
        return HttpResponse(status=405)
    framework = _one(Framework, request.user, "export", pk)
    run = jobs.start_pack(framework.pk, request.user, get_language() or "lt")
    return started(request, run, _("Writing the evidence pack: %(code)s") % {"code": framework.code},
                   reverse("security_pages:pack", args=[run.pk]))


@login_required
def pack_file(request: HttpRequest, pk: uuid.UUID) -> HttpResponseBase:
    """The finished pack, for the user who started it only."""
    run = Run.objects.filter(pk=pk, task=jobs.evidence_pack.module_path,
                             started_by_id=getattr(request.user, "pk", None)).first()
    if run is None:
        raise Http404
    if run.status != RunStatus.DONE:
        return started(request, run, _("Writing the evidence pack"), request.path if run.active else "")
    found: FileResponse | None = pack.response(run)
    if found is None:
        raise Http404(_("The pack is no longer kept; write it again."))
    return found


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File"))


@login_required
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload (or replace) an evidence's file; its SHA-256 goes to the audit trail with the record."""
    item = _one(Evidence, request.user, "change", pk)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                evidence_files.store(item, form.cleaned_data["file"], request.user)
                permissions.ensure(request.user, [item], "change")
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(request, _("File kept; SHA-256 %(sha)s.") % {"sha": item.sha256})
            return redirect(item.get_absolute_url())
    return render(request, "security/upload.html", {"object": item, "form": form}, status=400 if form.errors else 200)


@login_required
def sign_off(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method != "POST":
        return HttpResponse(status=405)
    item = _one(Evidence, request.user, "change", pk)
    try:
        with transaction.atomic():
            evidence_files.sign_off(item, request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Evidence signed off."))
    return redirect(item.get_absolute_url())


@login_required
def download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The evidence file, only while it is what was uploaded (a changed file is refused, and recorded)."""
    item = _one(Evidence, request.user, "view", pk)
    if not item.sha256:
        raise Http404(_("No file was uploaded."))
    with transaction.atomic():
        if evidence_files.verify([item]) or item.altered_at:
            return HttpResponse(_("The file was changed or removed after it was uploaded."), status=409,
                                content_type="text/plain; charset=utf-8")
    return FileResponse(evidence_files.path_of(item).open("rb"), as_attachment=True, filename=item.file_name)
