"""Pages: my requests, requests awaiting my approval, and the actions' buttons."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from irtis.core import permissions

from . import actions, campaigns
from .models import AccessRequest, Membership, RecertificationCampaign, RequestStatus

REQUEST_ACTIONS = {"approve-owner", "approve-officer", "reject"}


def _requests(request: HttpRequest):  # type: ignore[no-untyped-def]
    if not permissions.has(request.user, AccessRequest, "view"):
        raise PermissionDenied
    return permissions.restrict(AccessRequest.objects.select_related("entitlement", "beneficiary", "requester"),
                                request.user)


@login_required
def my_requests(request: HttpRequest) -> HttpResponse:
    mine = _requests(request).filter(Q(requester=request.user) | Q(beneficiary=request.user))[:200]
    return render(request, "access/requests.html", {"title": _("My access requests"), "rows": mine})


@login_required
def to_approve(request: HttpRequest) -> HttpResponse:
    waiting = _requests(request).filter(status=RequestStatus.REQUESTED).exclude(requester=request.user).exclude(
        beneficiary=request.user)
    mine = Q(entitlement__owner=request.user, owner_approved_by__isnull=True)
    if actions.is_officer(request.user):
        mine |= Q(officer_approved_by__isnull=True)
    return render(request, "access/requests.html", {"title": _("Access requests to approve"),
                                                    "rows": waiting.filter(mine)[:200]})


def _refused(request: HttpRequest, target: object, message: str) -> HttpResponse:
    messages.error(request, message)
    return render(request, "access/refused.html", {"object": target, "message": message}, status=409)


@login_required
@require_POST
def request_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in REQUEST_ACTIONS:
        raise Http404
    target = get_object_or_404(permissions.restrict(AccessRequest.objects.all(), request.user), pk=pk)
    comment = request.POST.get("comment", "")[:2000]
    try:
        if action == "reject":
            actions.reject(target, request.user, comment)
        else:
            actions.approve(target, request.user, action.removeprefix("approve-"), comment)
    except actions.ActionRefused as refused:
        return _refused(request, target, str(refused))
    return redirect(target.get_absolute_url())


@login_required
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_object_or_404(permissions.restrict(Membership.objects.all(), request.user), pk=pk)
    try:
        actions.revoke(target, request.user)
    except actions.ActionRefused as refused:
        return _refused(request, target, str(refused))
    return redirect(target.get_absolute_url())


@login_required
@require_POST
def campaign_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    campaign = get_object_or_404(permissions.restrict(RecertificationCampaign.objects.all(), request.user), pk=pk)
    try:
        if action == "open":
            made = campaigns.open_campaign(campaign, request.user)
            messages.success(request, _("Items to recertify: %(count)s.") % {"count": made})
        elif action in ("confirm", "revoke"):
            ids = [int(i) for i in request.POST.getlist("item") if i.isdigit()]
            if not ids:
                return _refused(request, campaign, _("Tick the items to answer."))
            campaigns.answer(ids, request.user, action == "confirm")
        else:
            raise Http404
    except actions.ActionRefused as refused:
        return _refused(request, campaign, str(refused))
    return redirect(campaign.get_absolute_url())
