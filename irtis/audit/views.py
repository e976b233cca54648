"""The audit trail page: entitled users read and filter the trail; each reading is recorded."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .filters import AuditEntryFilter
from .models import Action, AuditEntry
from .records import record

PER_PAGE = 50


def may_read(user: Any) -> bool:
    """Superusers and holders of audit.view_auditentry (the auditor role) read the trail."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_superuser or user.has_perm("audit.view_auditentry")


@login_required
def trail(request: HttpRequest) -> HttpResponse:
    if not may_read(request.user):
        raise PermissionDenied
    entries = AuditEntry.objects.select_related("content_type").order_by("-id")
    filterset = AuditEntryFilter(request.GET, queryset=entries)
    rows = filterset.qs if filterset.is_valid() else entries.none()
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    query = {k: v for k, v in request.GET.lists() if any(v)}
    record(Action.AUDIT_READ, {"filters": query, "page": page.number})
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "audit/trail.html",
        {
            "filterset": filterset,
            "page": page,
            "query": params.urlencode(),
        },
    )
