"""Links the audit entries of a user's writes to the change they are implementing.

The change is the one the user started on its page (kept in their session) or, for API clients,
the one named by the `X-Irtis-Change` header. After a write request that wrote audit entries,
the request's id is recorded on the change (`ChangeActivity`); the change's page lists the audit
entries with that request id. Requests outside a change cost nothing more.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from irtis.audit import context
from irtis.audit.models import AuditEntry
from irtis.core import permissions

from .models import ChangeActivity, ChangeRequest, ChangeStatus

SESSION_KEY = "irtis_current_change"
HEADER = "HTTP_X_IRTIS_CHANGE"
WRITES = {"POST", "PUT", "PATCH", "DELETE"}


class CurrentChangeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method in WRITES and response.status_code < 400:
            chosen = request.META.get(HEADER) or getattr(request, "session", {}).get(SESSION_KEY)
            if chosen:
                link(str(chosen), getattr(request, "id", ""))
        return response


def link(chosen: str, request_id: str) -> None:
    """Record the request on the change if it wrote something, the change is being implemented
    and its writer may view it (an unknown or closed change is ignored: the write stands)."""
    user = context.current().user
    if not request_id or not chosen.isdigit() or not getattr(user, "is_authenticated", False):
        return
    if not AuditEntry.objects.filter(request_id=request_id).exists():
        return
    change = permissions.restrict(ChangeRequest.objects.filter(pk=int(chosen), status=ChangeStatus.IMPLEMENTING),
                                  user).first()
    if change is not None:
        ChangeActivity.objects.get_or_create(change=change, request_id=request_id, defaults={"user": user})
