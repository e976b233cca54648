"""Generating descriptions through the API: start a run, follow it at /api/tasks/runs/<id>/, fetch the file.

POST /api/architecture/systems/<code>/<format>/      → 202 the run (`file`: where the file will be)
POST /api/architecture/infrastructure/<format>/      → 202 the run
GET  /api/architecture/files/<run id>/               → the file; 409 while the run works or when it failed
"""

import uuid

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Router
from ninja.errors import HttpError

from irtis.core.api import api, described, json_response
from irtis.tasks.api import RunOut, as_dict
from irtis.tasks.models import Run, Status
from irtis.tasks.runs import progress_of

from . import jobs, views

router = Router(tags=[described(gettext_lazy("Architecture descriptions"))])


def _format(fmt: str) -> str:
    if fmt not in jobs.FILE_FORMATS:
        raise HttpError(400, _("Unknown format %(format)s: use one of %(formats)s.") % {
            "format": fmt, "formats": ", ".join(jobs.FILE_FORMATS)})
    return fmt


def _started(run: Run) -> HttpResponse:
    progress_of([run])
    return json_response({**as_dict(run), "file": reverse("api:architecture_file", args=[run.pk])}, 202)


class StartedOut(RunOut):
    file: str


@router.post("/systems/{code}/{fmt}/", operation_id="architecture_system_generate",
             url_name="architecture_system_generate", response={202: StartedOut},
             summary=described(gettext_lazy("Start generating a system's description as DOCX or PDF")))
def generate_system(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    fmt = _format(fmt)
    try:
        system = views.visible_systems(request.user).filter(code=code).first()
    except PermissionDenied:
        raise HttpError(403, _("You do not have permission to do this.")) from None
    if system is None:
        raise HttpError(404, _("Not found."))
    return _started(jobs.start(request.user, system.pk, fmt))


@router.post("/infrastructure/{fmt}/", operation_id="architecture_infrastructure_generate",
             url_name="architecture_infrastructure_generate", response={202: StartedOut},
             summary=described(gettext_lazy("Start generating the infrastructure description as DOCX or PDF")))
def generate_infrastructure(request: HttpRequest, fmt: str) -> HttpResponse:
    fmt = _format(fmt)
    try:
        views.may_see_infrastructure(request.user)
    except PermissionDenied as error:
        raise HttpError(403, str(error)) from None
    return _started(jobs.start(request.user, None, fmt))


@router.get("/files/{uuid:pk}/", operation_id="architecture_file", url_name="architecture_file",
            response={200: bytes},
            summary=described(gettext_lazy("The file a generation wrote (only for the user who started it)")))
def generated_file(request: HttpRequest, pk: uuid.UUID) -> HttpResponseBase:
    try:
        run = views.generated_run(request.user, pk)
    except (Http404, PermissionDenied):
        raise HttpError(404, _("Not found.")) from None
    if run.status != Status.DONE:
        raise HttpError(409, run.error if run.status == Status.FAILED else
                        _("The file is not ready yet: the run is %(status)s.") % {"status": run.get_status_display()})
    found = jobs.response(run)
    if found is None:
        raise HttpError(410, _("This file is no longer kept. Generate the description again."))
    return found

api.add_router("/architecture/", router)
