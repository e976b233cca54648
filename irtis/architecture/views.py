"""Architecture description pages: HTML in the site, DOCX and PDF to download."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from irtis.core import permissions
from irtis.inventory.models import Device

from . import infrastructure, pdf, publish, sources, system
from .document import Document


def _systems(request: HttpRequest) -> models.QuerySet:
    model = sources.system_model()
    if model is None or not permissions.has(request.user, model, "view"):
        raise PermissionDenied
    return permissions.restrict(model.objects.all(), request.user)


def _respond(request: HttpRequest, doc: Document, fmt: str) -> HttpResponse:
    """Stamp, render and audit one generation."""
    if fmt not in publish.FORMATS:
        raise Http404
    publish.stamp(doc, request.user)
    if fmt == "html":
        response = render(request, "architecture/page.html", {
            "doc": doc, "picture": publish.picture(doc, "html"),
        })
        publish.audit(doc, fmt, response.content)
        return response
    try:
        body = publish.render(doc, fmt)
    except pdf.PDFUnavailable as problem:
        return render(request, "architecture/unavailable.html", {"doc": doc, "problem": str(problem)},
                      status=503)
    publish.audit(doc, fmt, body)
    response = HttpResponse(body, content_type=publish.CONTENT_TYPES[fmt])
    assert doc.stamp is not None  # set by publish.stamp above
    response["Content-Disposition"] = f'attachment; filename="{doc.file_stem}-{doc.stamp.label}.{fmt}"'
    return response


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The descriptions there are: the whole infrastructure and each system the user may see."""
    model = sources.system_model()
    systems = (permissions.restrict(model.objects.all(), request.user).select_related("category")
               .order_by("code") if model is not None else [])
    return render(request, "architecture/index.html", {"systems": systems})


@login_required
def system_description(request: HttpRequest, code: str, fmt: str = "html") -> HttpResponse:
    obj = get_object_or_404(_systems(request).select_related("category"), code=code)
    return _respond(request, system.describe(obj, request.user), fmt)


@login_required
def infrastructure_description(request: HttpRequest, fmt: str = "html") -> HttpResponse:
    model = sources.system_model() or Device
    if not permissions.has(request.user, model, "view"):
        raise PermissionDenied(_("You may not see the infrastructure description."))
    return _respond(request, infrastructure.describe(request.user), fmt)
