"""Procurement actions through the API, beside the generic CRUD; the same functions as the pages:

POST /api/procurement/specifications/<id>/approve/       approve a draft
POST /api/procurement/specifications/<id>/new-version/   a draft copy of an approved version
GET  /api/procurement/specifications/<id>/diff/?with=<id> requirements added, removed, changed
POST /api/procurement/procurements/<id>/declare/         the caller's declaration of impartiality
POST /api/procurement/procurements/<id>/scores/          {"scores": [{"offer", "criterion", "points"}]}
POST /api/procurement/procurements/<id>/submit/          the caller's scores become final
GET  /api/procurement/procurements/<id>/scores/          the scores the caller may see
GET  /api/procurement/procurements/<id>/evaluation/      totals, ranks, flags
GET  /api/procurement/licence-compliance/                held and needed per product and metric
GET  /api/procurement/external-services/<id>/statement/?months=6   availability, breaches, penalties per month

Refusals (an approved specification, a deadline passed, a submitted score, weights not summing
to 100, …) answer 409 with the reason; 404 for what the caller may not view.
"""

from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema
from ninja.errors import HttpError

from irtis.core import permissions
from irtis.core.api import api, json_response, object_action

from . import evaluation, licensing, scoring, sla, specifications
from .models import ExternalService, Licence, Procurement, Specification

specs = Router(tags=["Procurement: specifications"])
procurements = Router(tags=["Procurement: offer evaluation"])
licences = Router(tags=["Procurement: licences"])
services = Router(tags=["Procurement: external services"])


class ScoreIn(Schema):
    offer: int
    criterion: int
    points: Decimal


class ScoresIn(Schema):
    scores: list[ScoreIn]


def _visible(request: HttpRequest, model: Any, pk: int, action: str = "view") -> Any:
    if not request.user.is_authenticated:
        raise HttpError(401, "Unauthorized")
    found = permissions.restrict(model.objects.filter(pk=pk), request.user, action).first()
    if found is None:
        raise HttpError(404, "Not found.")
    return found


@specs.post("/{int:pk}/approve/", response={200: Any}, operation_id="procurement_specification_approve",
            summary="Approve a draft specification")
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    return object_action(request, Specification, pk, lambda s: specifications.approve(s, request.user),
                         specifications.ActionRefused)


@specs.post("/{int:pk}/new-version/", response={200: Any}, operation_id="procurement_specification_new_version",
            summary="Make a new draft version of an approved specification")
def new_version(request: HttpRequest, pk: int) -> HttpResponse:
    made: list[Specification] = []
    object_action(request, Specification, pk, lambda s: made.append(specifications.new_version(s, request.user)),
                  specifications.ActionRefused)
    return json_response({"id": made[0].pk, "code": made[0].code, "revision": made[0].revision})


@specs.get("/{int:pk}/diff/", response={200: Any}, operation_id="procurement_specification_diff",
           summary="What changed between two versions")
def diff(request: HttpRequest, pk: int) -> HttpResponse:
    spec = _visible(request, Specification, pk)
    other_id = request.GET.get("with") or spec.previous_id
    if not other_id or not str(other_id).isdigit():
        raise HttpError(400, "Give the other version: ?with=<id>.")
    other = _visible(request, Specification, int(other_id))
    old, new = (other, spec) if other.revision <= spec.revision else (spec, other)
    return json_response({"old": old.pk, "new": new.pk, "changes": [
        {"number": c.number, "status": c.status, "old": c.old.text if c.old else None,
         "new": c.new.text if c.new else None} for c in specifications.diff(old, new)]})


def _reachable(request: HttpRequest, pk: int) -> Procurement:
    found = scoring.reachable(request.user).filter(pk=pk).first()
    if found is None:
        raise HttpError(404, "Not found.")
    return found


def _evaluator(request: HttpRequest, pk: int, act: Any) -> HttpResponse:
    procurement = _reachable(request, pk)
    if getattr(getattr(request, "token", None), "read_only", False):
        raise HttpError(403, "This token is read-only.")
    try:
        result = act(procurement)
    except specifications.ActionRefused as refused:
        raise HttpError(409, str(refused)) from None
    return json_response(result)


@procurements.post("/{int:pk}/declare/", response={200: Any}, operation_id="procurement_declare",
                   summary="Declare impartiality as an evaluator")
def declare(request: HttpRequest, pk: int) -> HttpResponse:
    return _evaluator(request, pk, lambda p: {"declared_at": scoring.declare(p, request.user).declared_at})


@procurements.post("/{int:pk}/scores/", response={200: Any}, operation_id="procurement_score",
                   summary="Save the caller's points")
def score(request: HttpRequest, pk: int, payload: ScoresIn) -> HttpResponse:
    points = {(s.offer, s.criterion): s.points for s in payload.scores}
    return _evaluator(request, pk, lambda p: {"written": scoring.score(p, request.user, points)})


@procurements.post("/{int:pk}/submit/", response={200: Any}, operation_id="procurement_submit",
                   summary="Submit the caller's scores (final)")
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _evaluator(request, pk, lambda p: {"submitted_at": scoring.submit(p, request.user).submitted_at})


@procurements.get("/{int:pk}/scores/", response={200: Any}, operation_id="procurement_scores",
                  summary="The scores the caller may see")
def scores(request: HttpRequest, pk: int) -> HttpResponse:
    procurement = _reachable(request, pk)
    rows = scoring.visible_scores(procurement, request.user).values_list(
        "offer", "criterion", "evaluator__username", "points")
    return json_response([{"offer": o, "criterion": c, "evaluator": e, "points": str(p)} for o, c, e, p in rows])


@procurements.get("/{int:pk}/evaluation/", response={200: Any}, operation_id="procurement_evaluation",
                  summary="Totals, ranks and flags")
def evaluate(request: HttpRequest, pk: int) -> HttpResponse:
    procurement = _visible(request, Procurement, pk, "change")
    try:
        return json_response(evaluation.summary(evaluation.evaluate(procurement)))
    except evaluation.EvaluationError as error:
        raise HttpError(409, str(error)) from None


@licences.get("/", response={200: Any}, operation_id="procurement_licence_compliance",
              summary="Licences held and needed per product and metric")
def compliance(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        raise HttpError(401, "Unauthorized")
    if not permissions.has(request.user, Licence, "view"):
        raise HttpError(403, "You do not have permission to do this.")
    return json_response([
        {"product": p.product_id, "product_name": p.product, "metric": p.metric, "held": p.held, "needed": p.needed,
         "unknown_cores": p.unknown, "status": p.status, "licences": [lic.pk for lic in p.licences]}
        for p in licensing.compliance(permissions.restrict(Licence.objects.all(), request.user))])


@services.get("/{int:pk}/statement/", response={200: Any}, operation_id="procurement_service_statement",
              summary="Availability, breaches and penalties per month")
def statement(request: HttpRequest, pk: int, months: int = 6) -> HttpResponse:
    service = _visible(request, ExternalService, pk)
    rows = sla.statement(service, max(1, min(months, 36)))
    return json_response([{"month": m.start.isoformat()[:7], "availability": str(m.measured) if m.measured else None,
                           "target": str(m.target) if m.target is not None else None, "down_minutes": m.down_minutes,
                           "breach": m.breach, "penalty": str(m.penalty)} for m in rows])


api.add_router("/procurement/specifications/", specs)
api.add_router("/procurement/external-services/", services)
api.add_router("/procurement/procurements/", procurements)
api.add_router("/procurement/licence-compliance/", licences)
