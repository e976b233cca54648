"""Security through the API, beside the registered models' CRUD:

GET  /api/security/dashboard/                 the dashboard's figures (frameworks, systems, controls)
GET  /api/security/controls/<id>/results/     a control's latest results with deviations and data
POST /api/security/evaluate/                  → 202 the run evaluating every control
POST /api/security/evidence/<id>/file/        multipart "file": keep it as the evidence's file
POST /api/security/evidence/<id>/sign-off/    the reviewer's sign-off (not the uploader's)
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import File, Router
from ninja.errors import HttpError
from ninja.files import UploadedFile

from irtis.core import permissions
from irtis.core.api import api, described, json_response
from irtis.tasks.api import RunOut, as_dict

from . import dashboard, jobs, views
from . import evidence as evidence_files
from .messages import message
from .models import Control, ControlResult, Evidence

router = Router(tags=[described(gettext_lazy("Security"))])
RESULTS = 30


@router.get("/dashboard/", operation_id="security_dashboard", url_name="security_dashboard",
            summary=described(gettext_lazy(
                "Compliance per framework, per system and per control with its recent history")))
def board(request: HttpRequest) -> HttpResponse:
    if not permissions.has(request.user, Control, "view"):
        raise HttpError(403, _("You do not have permission to do this."))
    return json_response(dashboard.board(request.user).as_dict())


def _result(result: ControlResult) -> dict[str, Any]:
    return {
        "id": result.pk, "time": result.time, "status": result.status, "checked": result.checked,
        "failed": result.failed, "reason": message(result.reason, result.params), "data": result.data,
        "deviations": [{**d, "text": message(d.get("reason", ""), d.get("params"))} for d in result.deviations],
    }


@router.get("/controls/{int:pk}/results/", operation_id="security_control_results",
            url_name="security_control_results",
            summary=described(gettext_lazy("A control's latest results, newest first")))
def results(request: HttpRequest, pk: int) -> HttpResponse:
    control = permissions.restrict(Control.objects.all(), request.user).filter(pk=pk).first()
    if control is None:
        raise HttpError(404, _("Not found."))
    return json_response([_result(r) for r in ControlResult.objects.filter(control=control)[:RESULTS]])


@router.post("/evaluate/", operation_id="security_evaluate", url_name="security_evaluate", response={202: RunOut},
             summary=described(gettext_lazy("Start evaluating every security control")))
def evaluate(request: HttpRequest) -> HttpResponse:
    if not permissions.has(request.user, Control, "change"):
        raise HttpError(403, _("You do not have permission to do this."))
    return json_response(as_dict(jobs.evaluate_controls.start(user=request.user)), 202)


def _evidence(request: HttpRequest, pk: int) -> Evidence:
    try:
        found: Evidence = views._one(Evidence, request.user, "change", pk)
    except PermissionDenied:
        raise HttpError(403, _("You do not have permission to do this.")) from None
    except Http404:
        raise HttpError(404, _("Not found.")) from None
    return found


def _state(item: Evidence) -> dict[str, Any]:
    return {"id": item.pk, "state": item.state, "sha256": item.sha256, "size": item.size,
            "file_name": item.file_name, "uploaded_at": item.uploaded_at, "reviewed_at": item.reviewed_at,
            "reviewed_by": item.reviewed_by_id, "expires": item.expires}


@router.post("/evidence/{int:pk}/file/", operation_id="security_evidence_file", url_name="security_evidence_file",
             summary=described(gettext_lazy("Upload an evidence's file (its SHA-256 is recorded in the audit trail)")))
def upload(request: HttpRequest, pk: int, file: UploadedFile = File(...)) -> HttpResponse:  # noqa: B008
    item = _evidence(request, pk)
    try:
        with transaction.atomic():
            evidence_files.store(item, file, request.user)
            permissions.ensure(request.user, [item], "change")
    except ValidationError as error:
        raise HttpError(400, " ".join(error.messages)) from None
    return json_response(_state(item))


@router.post("/evidence/{int:pk}/sign-off/", operation_id="security_evidence_sign_off",
             url_name="security_evidence_sign_off",
             summary=described(gettext_lazy("Sign off an evidence (someone other than its uploader)")))
def sign_off(request: HttpRequest, pk: int) -> HttpResponse:
    item = _evidence(request, pk)
    try:
        with transaction.atomic():
            evidence_files.sign_off(item, request.user)
    except ValidationError as error:
        raise HttpError(400, " ".join(error.messages)) from None
    return json_response(_state(item))


api.add_router("/security/", router)
