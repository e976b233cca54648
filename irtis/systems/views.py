"""Pages not generated from the registry: the dependency map, the single-points-of-failure
report and the list of expiring certificates."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _

from irtis.core import permissions, registry

from . import graph
from .models import Certificate, InformationSystem
from .models.eu import CERTIFICATE_WARNING_DAYS, expiring


def _allowed(request: HttpRequest) -> None:
    if not permissions.has(request.user, InformationSystem, "view"):
        raise PermissionDenied


def _shown(request: HttpRequest, spec: str) -> list[graph.Node]:
    """The object `spec` names, if it exists and the user may view it; else 404 (alike)."""
    try:
        nodes = graph.existing([graph.parse(spec)])
    except graph.UnknownObject:
        nodes = []
    if not nodes or graph.hidden(nodes, request.user):
        raise Http404(_("No such object: %(object)s") % {"object": spec})
    return nodes


@login_required
def dependency_map(request: HttpRequest) -> HttpResponse:
    """The interactive map of an object's dependencies; `?object=<app.model>-<id>`, without it a
    choice of the information systems (the menu's way in)."""
    _allowed(request)
    spec = request.GET.get("object", "")
    if not spec:
        systems = permissions.restrict(InformationSystem.objects.order_by("code"), request.user)
        return render(request, "systems/map_choose.html", {"systems": systems})
    nodes = _shown(request, spec)
    root = graph.describe(nodes)
    direction = request.GET.get("direction", "down")
    if direction not in {"down", "up", "both"}:
        direction = "down"
    try:
        depth = max(1, min(int(request.GET.get("depth", "6")), 20))
    except ValueError:
        depth = 6
    info = next(iter(root.values()))
    return render(request, "systems/map.html", {
        "root": info, "spec": f"{info.kind}-{info.object_id}", "direction": direction, "depth": depth,
        "failed": request.GET.getlist("failed"), "depths": range(1, 13),
    })


@login_required
def if_this_fails(request: HttpRequest) -> HttpResponse:
    """The information systems that stop, stop until failover or degrade if one object fails, as
    a list: the panel an object's page opens with one click (`?failed=<app.model>-<id>`)."""
    _allowed(request)
    spec = request.GET.get("failed", "")
    impact = graph.impact(_shown(request, spec), user=request.user)
    return render(request, "systems/if_this_fails.html", {
        "impact": impact, "spec": spec, "degrading": len(impact.systems_degraded),
        "stopping": len(impact.systems_stopped) + len(impact.systems_failover)})


@login_required
def spof_report(request: HttpRequest) -> HttpResponse:
    """Single points of failure of every system whose importance category asks for the analysis."""
    _allowed(request)
    report = graph.spof_report(user=request.user)
    return render(request, "systems/spof_report.html", {"report": sorted(report.items(), key=lambda kv: kv[0].code)})


@login_required
def expiring_certificates(request: HttpRequest) -> HttpResponse:
    """Certificates expiring within `?within_days=` days (default: the warning period)."""
    try:
        days = max(0, min(int(request.GET.get("within_days", CERTIFICATE_WARNING_DAYS)), 3650))
    except ValueError:
        days = CERTIFICATE_WARNING_DAYS
    certificates = expiring(permissions.restrict(Certificate.objects.all(), request.user), days).select_related(
        "interconnection")
    return render(request, "systems/certificates_expiring.html", {"certificates": certificates, "days": days})


@login_required
def technical_services(request: HttpRequest) -> HttpResponse:
    """The menu's way to the technical services: the list of systems, filtered to that kind."""
    _allowed(request)
    entry = registry.entry_for(InformationSystem)
    assert entry is not None  # registered in models.catalogue
    return HttpResponseRedirect(f"{entry.list_url}?kind={InformationSystem.Kind.TECHNICAL_SERVICE}")
