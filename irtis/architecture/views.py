"""Architecture description pages: HTML in the site; DOCX and PDF written by a background run,
then downloaded by the user who started it."""

import uuid

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from irtis.core import permissions
from irtis.inventory.models import Device
from irtis.tasks.models import Run, Status
from irtis.tasks.views import started

from . import infrastructure, jobs, publish, sources, system
from .document import Document


def visible_systems(user: object) -> models.QuerySet:
    model = sources.system_model()
    if model is None or not permissions.has(user, model, "view"):
        raise PermissionDenied
    return permissions.restrict(model.objects.all(), user)


def may_see_infrastructure(user: object) -> None:
    if not permissions.has(user, sources.system_model() or Device, "view"):
        raise PermissionDenied(_("You may not see the infrastructure description."))


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The descriptions there are: the whole infrastructure and each system the user may see."""
    model = sources.system_model()
    systems = (permissions.restrict(model.objects.all(), request.user).select_related("category")
               .order_by("code") if model is not None else [])
    return render(request, "architecture/index.html", {"systems": systems})


def _page(request: HttpRequest, doc: Document) -> HttpResponse:
    """The HTML description: stamped and audited like a file."""
    publish.stamp(doc, request.user)
    response = render(request, "architecture/page.html", {"doc": doc, "pictures": publish.pictures(doc, "html")})
    publish.audit(doc, "html", response.content)
    return response


@login_required
def system_description(request: HttpRequest, code: str) -> HttpResponse:
    obj = get_object_or_404(visible_systems(request.user).select_related("category"), code=code)
    return _page(request, system.describe(obj, request.user))


@login_required
def infrastructure_description(request: HttpRequest) -> HttpResponse:
    may_see_infrastructure(request.user)
    return _page(request, infrastructure.describe(request.user))


def _start(request: HttpRequest, system_id: int | None, fmt: str, name: str) -> HttpResponse:
    run = jobs.start(request.user, system_id, fmt)
    title = _("Generating %(format)s: %(name)s") % {"format": fmt.upper(), "name": name}
    return started(request, run, title, reverse("architecture:file", args=[run.pk]))


@login_required
@require_POST
def generate_system(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """Start writing a system's DOCX or PDF in the background; the page shows its progress."""
    obj = get_object_or_404(visible_systems(request.user), code=code)
    return _start(request, obj.pk, fmt, obj.code)


@login_required
@require_POST
def generate_infrastructure(request: HttpRequest, fmt: str) -> HttpResponse:
    may_see_infrastructure(request.user)
    return _start(request, None, fmt, _("The whole ICT infrastructure"))


def generated_run(user: object, pk: uuid.UUID) -> Run:
    """A generation the user started; anyone else's, or an unknown id, is not found (a file holds
    what its starter may see). A finished one only while the user may still see what it describes:
    the progress and error of the others are the starter's own, as on the runs page."""
    run = Run.objects.filter(pk=pk, task=jobs.generate.module_path, started_by_id=getattr(user, "pk", None)).first()
    if run is None:
        raise Http404
    if run.status == Status.DONE:
        kind, *rest = run.key.split("/")
        if kind == jobs.INFRASTRUCTURE:
            may_see_infrastructure(user)
        elif not visible_systems(user).filter(pk=int(rest[0])).exists():
            raise Http404
    return run


@login_required
def download(request: HttpRequest, pk: uuid.UUID) -> HttpResponseBase:
    """The finished file; while the run works, its progress; when it failed, why."""
    run = generated_run(request.user, pk)
    if run.status != Status.DONE:
        response = started(request, run, _("Generating a description"), request.path if run.active else "")
        response.status_code = 200 if run.active else 409  # failed: the page says why
        return response
    found = jobs.response(run)
    return found or render(request, "architecture/gone.html", {"run": run}, status=410)
