"""Pages of the shell: the home dashboard and the global search."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from irtis.audit.models import AuditEntry

from . import permissions, registry
from .search import search


@login_required
def home(request: HttpRequest) -> HttpResponse:
    counts = [
        (entry, permissions.restrict(entry.model.objects.all(), request.user).count())
        for entry in registry.entries() if permissions.allowed(request.user, entry, "view")
    ]
    recent = AuditEntry.objects.filter(content_type__isnull=False).select_related("content_type").order_by("-id")[:15]
    return render(request, "core/home.html", {"counts": counts, "recent": recent})


@login_required
def global_search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    results = [
        (entry, rows, total) for entry, rows, total in search(query)
        if permissions.allowed(request.user, entry, "view")
    ] if query else []
    return render(request, "core/search.html", {"query": query, "results": results})
