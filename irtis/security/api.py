"""Security through the API, beside the registered models' CRUD:

GET  /api/security/dashboard/                 the dashboard's figures (frameworks, systems, controls)
GET  /api/security/controls/<id>/results/     a control's latest results with deviations and data
POST /api/security/evaluate/                  → 202 the run evaluating every control
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router
from ninja.errors import HttpError

from irtis.core import permissions
from irtis.core.api import api, json_response
from irtis.tasks.api import RunOut, as_dict

from . import dashboard, jobs
from .messages import message
from .models import Control, ControlResult

router = Router(tags=["Security"])
RESULTS = 30


@router.get("/dashboard/", operation_id="security_dashboard", url_name="security_dashboard",
            summary="Compliance per framework, per system and per control with its recent history")
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
            url_name="security_control_results", summary="A control's latest results, newest first")
def results(request: HttpRequest, pk: int) -> HttpResponse:
    control = permissions.restrict(Control.objects.all(), request.user).filter(pk=pk).first()
    if control is None:
        raise HttpError(404, _("Not found."))
    return json_response([_result(r) for r in ControlResult.objects.filter(control=control)[:RESULTS]])


@router.post("/evaluate/", operation_id="security_evaluate", url_name="security_evaluate", response={202: RunOut},
             summary="Start evaluating every security control")
def evaluate(request: HttpRequest) -> HttpResponse:
    if not permissions.has(request.user, Control, "change"):
        raise HttpError(403, _("You do not have permission to do this."))
    return json_response(as_dict(jobs.evaluate_controls.start(user=request.user)), 202)


api.add_router("/security/", router)
