"""The runs page, and the progress partial that pages starting a run poll (htmx)."""

import uuid
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from irtis.audit.views import may_read
from irtis.core import permissions

from . import jobs
from .models import Run, Status
from .runs import progress_of

PER_PAGE = 50


def visible_runs(user: object) -> QuerySet[Run]:
    """Every run for holders of tasks.view_run (administrators); a user's own runs otherwise."""
    runs = Run.objects.select_related("started_by")
    return runs if permissions.has(user, Run, "view") else runs.filter(started_by_id=getattr(user, "pk", None))


@login_required
def runs(request: HttpRequest) -> HttpResponse:
    rows = visible_runs(request.user)
    status = request.GET.get("status", "")
    if status in Status.values:
        rows = rows.filter(status=status)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    progress_of(list(page))
    return render(request, "tasks/runs.html", {"page": page, "statuses": Status.choices, "status": status,
                                               "query": urlencode({"status": status}) if status else ""})


@login_required
def progress(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    run = visible_runs(request.user).filter(pk=pk).first()
    if run is None:
        raise Http404
    progress_of([run])
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    return render(request, "tasks/progress.html", {"run": run, "next": next_url})


def started(request: HttpRequest, run: Run, title: str, next_url: str = "") -> HttpResponse:
    """The page shown after starting a run: its progress, then a link to `next_url`."""
    return render(request, "tasks/started.html", {"run": run, "title": title, "next": next_url})


@login_required
@require_POST
def verify_audit_trail(request: HttpRequest) -> HttpResponse:
    """Start a verification of the whole audit trail as a background run and show its progress."""
    if not may_read(request.user):
        raise PermissionDenied
    run = jobs.verify_audit_trail.start(user=request.user)
    return started(request, run, _("Verifying the audit trail"), reverse("audit:trail"))
