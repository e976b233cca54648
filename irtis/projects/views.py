"""Pages of irtis.projects outside the registry; mounted under /projects/."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from irtis.core import permissions

from . import portfolio as portfolios
from .models import Project


@login_required
def portfolio(request: HttpRequest) -> HttpResponse:
    """Every project the reader may see: open ones unless `?all=1`."""
    if not permissions.has(request.user, Project, "view"):
        raise PermissionDenied
    everything = request.GET.get("all") == "1"
    projects = Project.objects.all() if everything else Project.objects.filter(status__in=Project.OPEN)
    today = timezone.localdate()
    lines = portfolios.lines(request.user, projects, today)
    return render(request, "projects/portfolio.html", {
        "lines": lines, "chart": portfolios.chart(lines, today), "everything": everything,
        "budget": sum(line.project.budget or 0 for line in lines),
        "spent": sum(line.project.spent or 0 for line in lines),
    })
