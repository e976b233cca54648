"""The status board: every information system the reader may view, as tiles grouped by
importance category, coloured by state, with this month's availability against its target."""

from itertools import groupby

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from irtis.core import permissions
from irtis.systems.models import InformationSystem

from . import report, summary
from .models import REPORTS, Incident


@login_required
def board(request: HttpRequest) -> HttpResponse:
    if not permissions.has(request.user, InformationSystem, "view"):
        raise PermissionDenied
    systems = list(permissions.restrict(
        InformationSystem.objects.select_related("category").order_by("category__rank", "code"), request.user))
    found = summary.summaries(systems)
    groups = [(category, list(items)) for category, items in groupby(found, key=lambda s: s.system.category)]
    counts = {state: sum(1 for s in found if s.state == state) for state in ("up", "degraded", "down", "unknown")}
    incidents = []
    if permissions.has(request.user, Incident, "view"):
        incidents = list(permissions.restrict(Incident.objects.filter(status__in=("open", "acknowledged")),
                                              request.user).order_by("-detected_at")[:10])
    return render(request, "monitoring/board.html", {"groups": groups, "counts": counts, "incidents": incidents})


@login_required
def incident_report(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """A Cyber Security Law report of the incident as a PDF (generated now, audited)."""
    if kind not in REPORTS:
        raise Http404
    incident = get_object_or_404(permissions.restrict(Incident.objects.all(), request.user), pk=pk)
    body, digest = report.build(incident, kind)
    response = HttpResponse(body, content_type="application/pdf")
    names = {"early_warning": "isankstinis-ispejimas", "notification": "pranesimas",
             "final_report": "galutine-ataskaita"}
    response["Content-Disposition"] = f'attachment; filename="{incident.number}-{names[kind]}.pdf"'
    response["X-Content-SHA256"] = digest
    return response
