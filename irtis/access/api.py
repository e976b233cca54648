"""Approval actions through the API, beside the generic CRUD; the same functions as the pages:

POST /api/access/access-requests/<id>/{approve-owner,approve-officer,reject}/   {"comment": "…"}
POST /api/access/memberships/<id>/revoke/

200 with the object as the generic API gives it; 404 for an object the caller may not view,
403 without the right (or with a read-only token), 409 with the reason when refused (a
self-approval, a request already decided).
"""

from collections.abc import Callable
from typing import Any

from django.db import models
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy
from ninja import Field, Router, Schema

from irtis.core.api import api, described, object_action

from . import actions
from .models import AccessRequest, Membership


class CommentIn(Schema):
    comment: str = Field("", max_length=2000)


def _do(request: HttpRequest, model: type[models.Model], pk: int, act: Callable[[Any], Any]) -> HttpResponse:
    return object_action(request, model, pk, act, actions.ActionRefused)


requests = Router(tags=[described(gettext_lazy("Access requests: approval"))])
memberships = Router(tags=[described(gettext_lazy("Memberships: revocation"))])


@requests.post("/{int:pk}/approve-owner/", response={200: Any}, operation_id="access_request_approve_owner",
               summary=described(gettext_lazy("Approve as the entitlement's owner")))
def approve_owner(request: HttpRequest, pk: int, payload: CommentIn) -> HttpResponse:
    return _do(request, AccessRequest, pk, lambda r: actions.approve(r, request.user, "owner", payload.comment))


@requests.post("/{int:pk}/approve-officer/", response={200: Any}, operation_id="access_request_approve_officer",
               summary=described(gettext_lazy("Approve as security officer")))
def approve_officer(request: HttpRequest, pk: int, payload: CommentIn) -> HttpResponse:
    return _do(request, AccessRequest, pk, lambda r: actions.approve(r, request.user, "officer", payload.comment))


@requests.post("/{int:pk}/reject/", response={200: Any}, operation_id="access_request_reject",
               summary=described(gettext_lazy("Reject")))
def reject(request: HttpRequest, pk: int, payload: CommentIn) -> HttpResponse:
    return _do(request, AccessRequest, pk, lambda r: actions.reject(r, request.user, payload.comment))


@memberships.post("/{int:pk}/revoke/", response={200: Any}, operation_id="access_membership_revoke",
                  summary=described(gettext_lazy("Revoke, removing the account from the AD group")))
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    return _do(request, Membership, pk, lambda m: actions.revoke(m, request.user))


api.add_router("/access/access-requests/", requests)
api.add_router("/access/memberships/", memberships)
