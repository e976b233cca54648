"""Approved baselines of architecture descriptions: the list, approving the current description,
and what changed since the latest approval."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _

from irtis.core import permissions
from irtis.systems.models import InformationSystem

from . import baselines
from .models import Baseline, Rule


def _page(request: HttpRequest, system: InformationSystem | None) -> HttpResponse:
    if not permissions.has(request.user, Rule, "view") or not permissions.has(
            request.user, InformationSystem, "view"):
        raise PermissionDenied
    may_approve = permissions.has(request.user, Rule, "change")
    if request.method == "POST":
        if not may_approve:
            raise PermissionDenied
        baselines.approve(system, request.user, request.POST.get("note", "")[:2000])
        return HttpResponseRedirect(request.path)
    latest = baselines.latest(system)
    doc = baselines.current(system, request.user)
    assert doc.stamp is not None
    changes = baselines.diff(latest.content, doc.content()) if latest else []
    history = Baseline.objects.filter(system=system) if system else Baseline.objects.filter(
        kind=Baseline.Kind.INFRASTRUCTURE)
    return render(request, "governance/baselines.html", {
        "system": system, "latest": latest, "stamp": doc.stamp, "changes": changes,
        "unchanged": latest is not None and latest.sha256 == doc.stamp.sha256,
        "history": history.select_related("approved_by")[:50], "may_approve": may_approve})


@login_required
def system_baselines(request: HttpRequest, pk: int) -> HttpResponse:
    system = permissions.restrict(InformationSystem.objects.select_related("category"), request.user).filter(
        pk=pk).first()
    if system is None:
        raise Http404(_("Not found."))
    return _page(request, system)


@login_required
def infrastructure_baselines(request: HttpRequest) -> HttpResponse:
    return _page(request, None)
