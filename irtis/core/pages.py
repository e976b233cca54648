"""Pages of the shell: the home dashboard, the global search, and the pages of an address that
leads nowhere and of a form that came back without its CSRF token."""

from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import defaults

from irtis.audit.models import AuditEntry

from . import permissions, registry
from .models import SearchEntry
from .search import normalize, search


@login_required
def home(request: HttpRequest) -> HttpResponse:
    counts = [
        (entry, permissions.restrict(entry.model._default_manager.all(), request.user).count())
        for entry in registry.entries()
        if permissions.allowed(request.user, entry, "view")
    ]
    # Recent changes name objects of every type: only for those entitled to read the trail.
    recent = AuditEntry.objects.none()
    if permissions.has(request.user, AuditEntry, "view"):
        recent = (
            AuditEntry.objects.filter(content_type__isnull=False)
            .select_related("content_type")
            .order_by("-id")[:15]
        )
    return render(request, "core/home.html", {"counts": counts, "recent": recent})


def restricted_search(
    query: str, user: object, limit_per_type: int = 10
) -> list[tuple[registry.ModelEntry, list[SearchEntry], int]]:
    """Global search limited to what the user may see, constrained permissions included."""
    results = []
    for entry, rows, total in search(query, limit_per_type):
        if not permissions.allowed(user, entry, "view"):
            continue
        if permissions.constraint(user, entry, "view") is not None:
            visible = permissions.restrict(entry.model._default_manager.all(), user, "view").values("pk")
            matching = SearchEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(entry.model), object_id__in=visible
            )
            for word in normalize(query).split():
                matching = matching.filter(text__contains=word)
            total = matching.count()
            if not total:
                continue
            rows = list(matching.order_by("title")[:limit_per_type])
        results.append((entry, rows, total))
    return results


@login_required
def global_search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    results = restricted_search(query, request.user) if query else []
    # `search_query` fills the global search box too; other pages' `query` is their list's parameters.
    return render(request, "core/search.html", {"query": query, "search_query": query, "results": results})


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Under /api/ the answer the API gives for an unknown object (JSON); elsewhere the site's
    page (templates/404.html)."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return defaults.page_not_found(request, exception)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without a valid CSRF token: most often one opened before its user signed in
    again (in another tab) or left open past the session. The refusal page says what to do
    (Django's own page speaks to developers)."""
    refusal = _("The form is out of date (you may have signed in again since it was opened). "
                "Open the page again and resend it.")
    return render(request, defaults.ERROR_403_TEMPLATE_NAME, {"exception": refusal, "out_of_date": True}, status=403)
