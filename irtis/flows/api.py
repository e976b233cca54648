"""The decisions on flows and the review of a firewall through the API, beside the generic CRUD;
the same functions as the buttons (`actions`), so the same rules:

POST /api/flows/flows/<id>/approve-owner/      the owner's approval
POST /api/flows/flows/<id>/approve-security/   the security officer's approval
POST /api/flows/flows/<id>/reject/
POST /api/flows/firewalls/<id>/review/         the rules were reviewed today

Answer: 200 with the object as the generic API gives it; 404 for an object the caller may not
view, 403 without the right (or with a read-only token), 409 with the reason when the decision
is refused (a self-approval, the wrong person, the flow's state) or someone changed it meanwhile.
"""

from collections.abc import Callable
from typing import Any

from django.db import models
from django.http import HttpRequest, HttpResponse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy
from ninja import Router

from irtis.core.api import api, described, object_action

from . import actions
from .models import Firewall, Flow


def _do(request: HttpRequest, model: type[models.Model], pk: int, act: Callable[[Any], Any]) -> HttpResponse:
    return object_action(request, model, pk, act, actions.ActionRefused)


flows = Router(tags=[described(gettext_lazy("Network flows: approval"))])
firewalls = Router(tags=[described(gettext_lazy("Firewalls: review"))])


def _decision(action: str, summary: Promise, act: Callable[[Flow, Any], Any]) -> None:
    def endpoint(request: HttpRequest, pk: int) -> HttpResponse:
        return _do(request, Flow, pk, lambda flow: act(flow, request.user))

    flows.post(f"/{{int:pk}}/{action}/", response={200: Any}, operation_id=f"flows_flow_{action.replace('-', '_')}",
               url_name=f"flows_flow_{action}", summary=described(summary))(endpoint)


_decision("approve-owner", gettext_lazy("Approve for the owner of the flow or its information system"),
          lambda flow, user: actions.approve(flow, user, actions.OWNER))
_decision("approve-security", gettext_lazy("Approve as a security officer"),
          lambda flow, user: actions.approve(flow, user, actions.SECURITY))
_decision("reject", gettext_lazy("Reject the requested flow"), actions.reject)


@firewalls.post("/{int:pk}/review/", response={200: Any}, operation_id="flows_firewall_review",
                url_name="flows_firewall_review",
                summary=described(gettext_lazy("Record that the firewall's rules were reviewed today")))
def review(request: HttpRequest, pk: int) -> HttpResponse:
    return _do(request, Firewall, pk, lambda firewall: actions.review(firewall, request.user))


api.add_router("/flows/flows/", flows)
api.add_router("/flows/firewalls/", firewalls)
