"""Matches for the related-object search boxes of forms and filters (see core.widgets)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from . import permissions, registry
from .search import matching_ids

LIMIT = 20


@login_required
def lookup(request: HttpRequest, label: str) -> HttpResponse:
    entry = registry.by_label(label)
    if entry is None:
        raise Http404
    query = request.GET.get("lookup-q", "").strip()
    matches = []
    if query:
        objects = permissions.restrict(entry.model._default_manager.all(), request.user)
        matches = list(objects.filter(pk__in=matching_ids(entry.model, query))[:LIMIT])
    return render(request, "core/widgets/lookup_results.html", {"matches": matches})
