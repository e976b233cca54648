"""The approval actions through the API, beside the generic CRUD of windows and changes; the same
functions as the buttons (`actions`), so the same permission and self-approval rules:

POST /api/changes/maintenance-windows/<id>/{submit,approve,reject,cancel,reopen}/   {"comment": "…"}
POST /api/changes/change-requests/<id>/{submit,approve,reject,cancel,reopen,start}/  {"comment": "…"}
POST /api/changes/change-requests/<id>/complete/   {"result": "successful", "notes": "…"}

Answer: 200 with the object as the generic API gives it. 404 for an object the caller may not
view, 403 without the right (or with a read-only token), 409 with the reason when the action is
refused in the object's state or by the approval policy, or when someone changed it meanwhile.
API clients link their writes to a change being implemented with `X-Irtis-Change: <id>`.
"""

from collections.abc import Callable
from typing import Any, cast

from django.db import models
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from irtis.core import registry
from irtis.core.api import Endpoints, api, described, object_action

from . import actions
from .models import ChangeRequest, MaintenanceWindow, Result

Target = MaintenanceWindow | ChangeRequest


class CommentIn(Schema):
    comment: str = Field("", max_length=2000, description="a reason or remark, kept with the decision")


class CompleteIn(Schema):
    result: str = Field(..., description="successful, failed or rolled_back")
    notes: str = Field("", max_length=10000)


SUMMARIES = {
    "submit": gettext_lazy("Submit for approval"),
    "approve": gettext_lazy("Approve (one person's decision, counted for one of their roles)"),
    "reject": gettext_lazy("Reject"),
    "cancel": gettext_lazy("Cancel"),
    "reopen": gettext_lazy("Return to draft"),
    "start": gettext_lazy("Start implementing an approved change"),
    "complete": gettext_lazy("Complete a change being implemented, with its result"),
}


def _endpoints(model: type[models.Model]) -> Endpoints:
    return Endpoints(cast(registry.ModelEntry, registry.entry_for(model)))


def _do(request: HttpRequest, model: type[models.Model], pk: int, act: Callable[[Any], Any]) -> HttpResponse:
    return object_action(request, model, pk, act, actions.ActionRefused)


def _commented(model: type[Target], action: str, router: Router, prefix: str) -> None:
    def run(target: Target, user: Any, comment: str) -> Any:
        if action == "submit":
            return actions.submit(target, user)
        if action in ("approve", "reject"):
            return actions.decide(target, user, action == "approve", comment)
        if action == "cancel":
            return actions.cancel(target, user)
        if action == "reopen":
            return actions.reopen(target, user)
        return actions.start(cast(ChangeRequest, target), user)

    def endpoint(request: HttpRequest, pk: int, payload: CommentIn) -> HttpResponse:
        return _do(request, model, pk, lambda target: run(target, request.user, payload.comment))

    router.post(f"/{{int:pk}}/{action}/", response={200: Any}, operation_id=f"changes_{prefix}_{action}",
                url_name=f"changes_{prefix}_{action}", summary=described(SUMMARIES[action]))(endpoint)


windows = Router(tags=[described(gettext_lazy("Maintenance windows: approval"))])
changes = Router(tags=[described(gettext_lazy("Change requests: approval"))])
for _action in ("submit", "approve", "reject", "cancel", "reopen"):
    _commented(MaintenanceWindow, _action, windows, "window")
for _action in ("submit", "approve", "reject", "cancel", "reopen", "start"):
    _commented(ChangeRequest, _action, changes, "change")


@changes.post("/{int:pk}/complete/", response={200: Any}, operation_id="changes_change_complete",
              url_name="changes_change_complete", summary=described(SUMMARIES["complete"]))
def complete(request: HttpRequest, pk: int, payload: CompleteIn) -> HttpResponse:
    if payload.result not in Result.values:
        raise HttpError(400, _("Choose the result: %(choices)s.") % {"choices": ", ".join(Result.values)})
    def act(target: Target) -> Any:
        return actions.complete(cast(ChangeRequest, target), request.user, payload.result, payload.notes)

    return _do(request, ChangeRequest, pk, act)


api.add_router("/changes/maintenance-windows/", windows)
api.add_router("/changes/change-requests/", changes)
