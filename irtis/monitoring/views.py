"""The status board: every information system the reader may view, as tiles grouped by
importance category, coloured by state, with this month's availability against its target."""

from itertools import groupby

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from irtis.core import permissions
from irtis.systems.models import InformationSystem

from . import summary
from .models import Incident


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
