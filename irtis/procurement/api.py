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
GET  /api/procurement/external-services/<id>/statement/?months=6   availability, incidents, penalties per month
POST /api/procurement/specifications/<id>/assemble/      {"technologies": [ids], "category", "proposal", "kind"}
GET  /api/procurement/supplier-sla/?months=6             every supplier's months totalled
GET  /api/procurement/suppliers/<id>/sla/?months=6       one supplier: totals and each service's months
GET  /api/procurement/suppliers/<id>/sla/docx/?months=6  the statement as a file (also pdf; audited)
POST /api/procurement/suppliers/<id>/sla/send/           {"months", "contact"}: e-mailed to the supplier (audited)

A number of months that is not a whole number from 1 to 36 and a supplier without an e-mail
address answer 400 with the reason; an SMTP server that refuses 502.

Refusals (an approved specification, a deadline passed, a submitted score, weights not summing
to 100, …) answer 409 with the reason; 404 for what the caller may not view.
"""

from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Router, Schema
from ninja.errors import HttpError

from irtis.architecture import report
from irtis.core import permissions
from irtis.core.api import api, described, json_response, object_action, refuse_read_only
from irtis.governance.models import Proposal
from irtis.systems.models import ImportanceCategory

from . import assembly, evaluation, licensing, scoring, sla, specifications, statements, word
from .models import ExternalService, Licence, Procurement, RequirementKind, Specification, Supplier

specs = Router(tags=[described(gettext_lazy("Procurement: specifications"))])
procurements = Router(tags=[described(gettext_lazy("Procurement: offer evaluation"))])
licences = Router(tags=[described(gettext_lazy("Procurement: licences"))])
services = Router(tags=[described(gettext_lazy("Procurement: external services"))])
supplier_levels = Router(tags=[described(gettext_lazy("Procurement: external services"))])
rollups = Router(tags=[described(gettext_lazy("Procurement: external services"))])


class ScoreIn(Schema):
    offer: int
    criterion: int
    points: Decimal


class ScoresIn(Schema):
    scores: list[ScoreIn]


class AssembleIn(Schema):
    technologies: list[int] = []
    category: int | None = None
    proposal: int | None = None
    kind: str = RequirementKind.MANDATORY


class SendIn(Schema):
    months: str = "6"
    contact: int | None = None


def _visible(request: HttpRequest, model: Any, pk: int, action: str = "view") -> Any:
    if not request.user.is_authenticated:
        raise HttpError(401, "Unauthorized")
    found = permissions.restrict(model.objects.filter(pk=pk), request.user, action).first()
    if found is None:
        raise HttpError(404, "Not found.")
    return found


@specs.post("/{int:pk}/approve/", response={200: Any}, operation_id="procurement_specification_approve",
            summary=described(gettext_lazy("Approve a draft specification")))
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    return object_action(request, Specification, pk, lambda s: specifications.approve(s, request.user),
                         specifications.ActionRefused)


@specs.post("/{int:pk}/new-version/", response={200: Any}, operation_id="procurement_specification_new_version",
            summary=described(gettext_lazy("Make a new draft version of an approved specification")))
def new_version(request: HttpRequest, pk: int) -> HttpResponse:
    made: list[Specification] = []
    object_action(request, Specification, pk, lambda s: made.append(specifications.new_version(s, request.user)),
                  specifications.ActionRefused)
    return json_response({"id": made[0].pk, "code": made[0].code, "revision": made[0].revision})


@specs.get("/{int:pk}/diff/", response={200: Any}, operation_id="procurement_specification_diff",
           summary=described(gettext_lazy("What changed between two versions")))
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
    refuse_read_only(request)
    try:
        result = act(procurement)
    except specifications.ActionRefused as refused:
        raise HttpError(409, str(refused)) from None
    return json_response(result)


@procurements.post("/{int:pk}/declare/", response={200: Any}, operation_id="procurement_declare",
                   summary=described(gettext_lazy("Declare impartiality as an evaluator")))
def declare(request: HttpRequest, pk: int) -> HttpResponse:
    return _evaluator(request, pk, lambda p: {"declared_at": scoring.declare(p, request.user).declared_at})


@procurements.post("/{int:pk}/scores/", response={200: Any}, operation_id="procurement_score",
                   summary=described(gettext_lazy("Save the caller's points")))
def score(request: HttpRequest, pk: int, payload: ScoresIn) -> HttpResponse:
    points = {(s.offer, s.criterion): s.points for s in payload.scores}
    return _evaluator(request, pk, lambda p: {"written": scoring.score(p, request.user, points)})


@procurements.post("/{int:pk}/submit/", response={200: Any}, operation_id="procurement_submit",
                   summary=described(gettext_lazy("Submit the caller's scores (final)")))
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _evaluator(request, pk, lambda p: {"submitted_at": scoring.submit(p, request.user).submitted_at})


@procurements.get("/{int:pk}/scores/", response={200: Any}, operation_id="procurement_scores",
                  summary=described(gettext_lazy("The scores the caller may see")))
def scores(request: HttpRequest, pk: int) -> HttpResponse:
    procurement = _reachable(request, pk)
    rows = scoring.visible_scores(procurement, request.user).values_list(
        "offer", "criterion", "evaluator__username", "points")
    return json_response([{"offer": o, "criterion": c, "evaluator": e, "points": str(p)} for o, c, e, p in rows])


@procurements.get("/{int:pk}/evaluation/", response={200: Any}, operation_id="procurement_evaluation",
                  summary=described(gettext_lazy("Totals, ranks and flags")))
def evaluate(request: HttpRequest, pk: int) -> HttpResponse:
    procurement = _visible(request, Procurement, pk, "change")
    try:
        return json_response(evaluation.summary(evaluation.evaluate(procurement)))
    except evaluation.EvaluationError as error:
        raise HttpError(409, str(error)) from None


@licences.get("/", response={200: Any}, operation_id="procurement_licence_compliance",
              summary=described(gettext_lazy("Licences held and needed per product and metric")))
def compliance(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        raise HttpError(401, "Unauthorized")
    if not permissions.has(request.user, Licence, "view"):
        raise HttpError(403, "You do not have permission to do this.")
    return json_response([
        {"product": p.product_id, "product_name": p.product, "metric": p.metric, "held": p.held, "needed": p.needed,
         "unknown_cores": p.unknown, "status": p.status, "licences": [lic.pk for lic in p.licences]}
        for p in licensing.compliance(permissions.restrict(Licence.objects.all(), request.user))])


def _month_row(m: sla.Month) -> dict[str, Any]:
    return {"month": m.start.isoformat()[:7], "availability": str(m.measured) if m.measured is not None else None,
            "target": str(m.target) if m.target is not None else None, "down_minutes": m.down_minutes,
            "breach": m.breach, "incidents": m.incidents, "late_responses": m.late_responses,
            "late_resolutions": m.late_resolutions,
            "response_hours": str(m.response_hours) if m.response_hours is not None else None,
            "resolution_hours": str(m.resolution_hours) if m.resolution_hours is not None else None,
            "availability_penalty": str(m.availability_penalty), "incident_penalty": str(m.incident_penalty),
            "penalty": str(m.penalty)}


def _months(raw: str) -> int:
    try:
        return sla.month_count(raw)
    except ValueError:
        raise HttpError(400, str(sla.MONTHS_ERROR)) from None


def _total_row(total: sla.SupplierTotal, services: bool) -> dict[str, Any]:
    row: dict[str, Any] = {
        "supplier": total.supplier.pk, "supplier_name": total.supplier.name, "services_count": len(total.services),
        "breaches": total.breaches, "penalty": str(total.total),
        "months": [{"month": m.start.isoformat()[:7], "lowest_availability": str(m.lowest) if m.lowest is not None
                    else None, "incidents": m.incidents, "late_responses": m.late_responses,
                    "late_resolutions": m.late_resolutions, "breaches": m.breaches, "penalty": str(m.penalty)}
                   for m in total.months]}
    if services:
        row["services"] = [{"service": line.service.pk, "name": line.service.name, "penalty": str(line.total),
                            "months": [_month_row(m) for m in line.months]} for line in total.services]
    return row


@services.get("/{int:pk}/statement/", response={200: Any}, operation_id="procurement_service_statement",
              summary=described(gettext_lazy("Availability, incidents, breaches and penalties per month")))
def statement(request: HttpRequest, pk: int, months: str = "6") -> HttpResponse:
    service = _visible(request, ExternalService, pk)
    return json_response([_month_row(m) for m in sla.statement(service, _months(months))])


@specs.post("/{int:pk}/assemble/", response={200: Any}, operation_id="procurement_specification_assemble",
            summary=described(gettext_lazy(
                "Draw requirements from the technology catalogue and the architecture rules into a draft")))
def assemble(request: HttpRequest, pk: int, payload: AssembleIn) -> HttpResponse:
    spec = _visible(request, Specification, pk)
    category = ImportanceCategory.objects.filter(pk=payload.category).first() if payload.category else None
    proposal = (permissions.restrict(Proposal.objects.filter(pk=payload.proposal), request.user).first()
                if payload.proposal else None)
    if (payload.category and category is None) or (payload.proposal and proposal is None):
        raise HttpError(400, _("Choose from the lists."))
    drawn: list[assembly.Drawn] = []
    object_action(request, Specification, spec.pk, lambda s: drawn.append(assembly.assemble(
        s, request.user, payload.technologies, category, proposal, payload.kind)), specifications.ActionRefused)
    return json_response({"added": [{"id": r.pk, "number": r.number, "source": r.source} for r in drawn[0].added],
                          "skipped": drawn[0].skipped})


@rollups.get("/", response={200: Any}, operation_id="procurement_supplier_rollup",
             summary=described(gettext_lazy("Every supplier's external services, their months totalled")))
def supplier_rollup(request: HttpRequest, months: str = "6") -> HttpResponse:
    if not request.user.is_authenticated:
        raise HttpError(401, "Unauthorized")
    if not permissions.has(request.user, ExternalService, "view"):
        raise HttpError(403, _("You do not have permission to do this."))
    return json_response([_total_row(t, False) for t in statements.suppliers_rollup(request.user, _months(months))])


@supplier_levels.get("/{int:pk}/sla/", response={200: Any}, operation_id="procurement_supplier_sla",
                     summary=described(gettext_lazy("One supplier's totals and each of its services' months")))
def supplier_sla(request: HttpRequest, pk: int, months: str = "6") -> HttpResponse:
    supplier = _visible(request, Supplier, pk)
    return json_response(_total_row(statements.total_of(request.user, supplier, _months(months)), True))


# before the file's route: its {fmt} would take "send"
@supplier_levels.post("/{int:pk}/sla/send/", response={200: Any}, operation_id="procurement_supplier_statement_send",
                      summary=described(gettext_lazy("E-mail the statement (DOCX and PDF) to the supplier (audited)")))
def supplier_statement_send(request: HttpRequest, pk: int, payload: SendIn) -> HttpResponse:
    supplier = _visible(request, Supplier, pk, "change")
    refuse_read_only(request)
    total = statements.total_of(request.user, supplier, _months(payload.months))
    try:
        address = statements.send(total, payload.contact)
    except statements.CannotSend as missing:
        raise HttpError(400, str(missing)) from None
    except OSError as error:
        raise HttpError(502, _("The e-mail could not be sent (%(error)s); nothing was recorded as sent. "
                               "Try again later.") % {"error": error}) from None
    return json_response({"sent_to": address, "penalty": str(total.total)})


@supplier_levels.get("/{int:pk}/sla/{fmt}/", response={200: Any}, operation_id="procurement_supplier_statement",
                     summary=described(gettext_lazy("The supplier's service level statement as DOCX or PDF (audited)")))
def supplier_statement(request: HttpRequest, pk: int, fmt: str, months: str = "6") -> HttpResponse:
    supplier = _visible(request, Supplier, pk)
    if fmt not in report.FORMATS:
        raise HttpError(404, "Not found.")
    total = statements.total_of(request.user, supplier, _months(months))
    name = statements.file_name(total, fmt)
    return report.download(word.supplier_statement(total, fmt), name, fmt, supplier, name)


api.add_router("/procurement/specifications/", specs)
api.add_router("/procurement/external-services/", services)
api.add_router("/procurement/procurements/", procurements)
api.add_router("/procurement/licence-compliance/", licences)
api.add_router("/procurement/supplier-sla/", rollups)
api.add_router("/procurement/suppliers/", supplier_levels)
