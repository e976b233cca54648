"""Pages outside the registry: the actions on windows and changes, the maintenance calendar
(month and week) and its iCalendar feed."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from irtis.core import permissions
from irtis.core.models import StaleObjectError
from irtis.core.views import refused
from irtis.identity import tokens
from irtis.identity.events import client_ip

from . import actions, calendar, feed
from .middleware import SESSION_KEY
from .models import ChangeRequest, MaintenanceWindow

WINDOW_ACTIONS = {"submit", "approve", "reject", "cancel", "reopen"}
CHANGE_ACTIONS = WINDOW_ACTIONS | {"start", "stop", "complete"}


def _run(request: HttpRequest, target: MaintenanceWindow | ChangeRequest, action: str) -> HttpResponse:
    comment = request.POST.get("comment", "")[:2000]
    try:
        if action == "submit":
            actions.submit(target, request.user)
        elif action in ("approve", "reject"):
            actions.decide(target, request.user, action == "approve", comment)
        elif action == "cancel":
            actions.cancel(target, request.user)
        elif action == "reopen":
            actions.reopen(target, request.user)
        elif action == "start":
            assert isinstance(target, ChangeRequest)
            actions.start(target, request.user)
            request.session[SESSION_KEY] = target.pk
        elif action == "complete":
            assert isinstance(target, ChangeRequest)
            actions.complete(target, request.user, request.POST.get("result", ""), comment)
            request.session.pop(SESSION_KEY, None)
        elif action == "stop":
            if not permissions.has(request.user, ChangeRequest, "view"):
                raise PermissionDenied
            request.session.pop(SESSION_KEY, None)
    except actions.ActionRefused as refusal:
        return refused(request, target, str(refusal))
    except StaleObjectError:
        return refused(request, target, _("Someone changed this meanwhile: look again and repeat."))
    return redirect(target.get_absolute_url())


def _visible(model: type[MaintenanceWindow] | type[ChangeRequest], request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    return get_object_or_404(permissions.restrict(model.objects.all(), request.user), pk=pk)


@login_required
@require_POST
def window_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in WINDOW_ACTIONS:
        raise Http404
    return _run(request, _visible(MaintenanceWindow, request, pk), action)


@login_required
@require_POST
def change_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in CHANGE_ACTIONS:
        raise Http404
    return _run(request, _visible(ChangeRequest, request, pk), action)


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return timezone.localdate()


@login_required
def calendar_page(request: HttpRequest) -> HttpResponse:
    """The maintenance calendar: `?view=month` (default) or `week`, around `?date=YYYY-MM-DD`."""
    if not permissions.has(request.user, MaintenanceWindow, "view"):
        raise PermissionDenied
    view = "week" if request.GET.get("view") == "week" else "month"
    shown = calendar.build(request.user, _day(request.GET.get("date", "")), view)
    return render(request, "changes/calendar.html", {"cal": shown, "view": view})


def _feed_user(request: HttpRequest):  # type: ignore[no-untyped-def]
    """The session's user, or the user of the API token in `?token=` or `Authorization: Bearer`
    (calendar programs cannot sign in; the token is checked, rate-limited and audited as any)."""
    if request.user.is_authenticated:
        return request.user
    header = request.META.get("HTTP_AUTHORIZATION", "")
    plain = header.removeprefix("Bearer ").strip() if header.startswith("Bearer ") else request.GET.get("token", "")
    if not plain:
        return None
    try:
        found = tokens.check(plain, client_ip(request))
    except tokens.RateLimited:
        return None
    return found.user if found else None


def ical(request: HttpRequest) -> HttpResponse:
    """The maintenance calendar as iCalendar (RFC 5545): windows and blackout periods."""
    user = _feed_user(request)
    if user is None:
        response = HttpResponse(_("Sign in or give an API token."), status=401, content_type="text/plain")
        response["WWW-Authenticate"] = 'Bearer realm="irtis"'
        return response
    if not permissions.has(user, MaintenanceWindow, "view"):
        raise PermissionDenied
    body = feed.render(user, request.build_absolute_uri("/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="irtis-maintenance.ics"'
    return response
