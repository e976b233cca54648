"""Architecture governance through the API, beside the generic CRUD of the catalogue, rules and
proposals; read the same way as the pages:

GET /api/governance/systems/<id>/rule-results/?rule=<code>&outcome=failed   a system's latest rule results
GET /api/governance/baselines/?system=<id> | ?kind=infrastructure            approved baselines, newest first
GET /api/governance/baselines/<id>/                                          one, with its hash and content
GET /api/governance/baselines/<id>/diff/?with=<id> | ?with=current           what changed, section by section

Rule results and baselines are shown to whoever may view the rules and the system (or, for the
infrastructure's baselines, information systems); 404 for a system the caller may not view.
"""

from dataclasses import asdict
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Query, Router
from ninja.errors import HttpError

from irtis.core import permissions
from irtis.core.api import api, described, json_response
from irtis.systems.models import InformationSystem

from . import baselines
from .models import Baseline, Outcome, Rule, RuleResult
from .views import label

results = Router(tags=[described(gettext_lazy("Governance: rule results"))])
approved = Router(tags=[described(gettext_lazy("Governance: baselines"))])


def _may_read(request: HttpRequest) -> None:
    if not request.user.is_authenticated:
        raise HttpError(401, "Unauthorized")
    if not (permissions.has(request.user, Rule, "view") and permissions.has(request.user, InformationSystem, "view")):
        raise HttpError(403, _("You do not have permission to do this."))


def _system(request: HttpRequest, pk: int) -> InformationSystem:
    found = permissions.restrict(InformationSystem.objects.filter(pk=pk), request.user).first()
    if found is None:
        raise HttpError(404, _("Not found."))
    return found


@results.get("/{int:pk}/rule-results/", response={200: Any}, operation_id="governance_system_rule_results",
             summary=described(gettext_lazy("A system's latest rule results, filterable by rule code and outcome")))
def rule_results(request: HttpRequest, pk: int, rule: str = "", outcome: str = "") -> HttpResponse:
    _may_read(request)
    system = _system(request, pk)
    if outcome and outcome not in Outcome.values:
        raise HttpError(400, _("Unknown outcome %(outcome)s: give one of %(outcomes)s.") % {
            "outcome": outcome, "outcomes": ", ".join(Outcome.values)})
    found = RuleResult.objects.filter(system=system).select_related("rule").order_by("rule__code")
    if rule:
        found = found.filter(rule__code=rule)
    if outcome:
        found = found.filter(outcome=outcome)
    return json_response([{"rule": r.rule.code, "rule_id": r.rule_id, "outcome": r.outcome, "reason": label(r),
                           "data": r.data, "evaluated": r.evaluated} for r in found])


def _baseline(request: HttpRequest, pk: int) -> Baseline:
    found = Baseline.objects.filter(pk=pk).select_related("system", "approved_by").first()
    if found is None or (found.system_id and not permissions.restrict(
            InformationSystem.objects.filter(pk=found.system_id), request.user).exists()):
        raise HttpError(404, _("Not found."))
    return found


def _summary(baseline: Baseline) -> dict[str, Any]:
    return {"id": baseline.pk, "kind": baseline.kind, "system": baseline.system_id, "version": baseline.label,
            "sha256": baseline.sha256, "data_version": baseline.data_version,
            "approved_by": baseline.approved_by.get_username(), "approved_at": baseline.approved_at,
            "note": baseline.note}


@approved.get("/", response={200: Any}, operation_id="governance_baselines",
              summary=described(gettext_lazy(
                  "Approved baselines of a system (?system=<id>) or of the infrastructure (?kind=infrastructure)")))
def baseline_list(request: HttpRequest, system: int | None = None, kind: str = "") -> HttpResponse:
    _may_read(request)
    if system is not None:
        found = Baseline.objects.filter(system=_system(request, system))
    elif kind == Baseline.Kind.INFRASTRUCTURE:
        found = Baseline.objects.filter(kind=Baseline.Kind.INFRASTRUCTURE)
    else:
        raise HttpError(400, _("Give ?system=<id> or ?kind=infrastructure."))
    return json_response([_summary(b) for b in found.select_related("approved_by")])


@approved.get("/{int:pk}/", response={200: Any}, operation_id="governance_baseline",
              summary=described(gettext_lazy("One approved baseline: its hash and what the description said")))
def baseline_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _may_read(request)
    baseline = _baseline(request, pk)
    return json_response({**_summary(baseline), "content": baseline.content})


@approved.get("/{int:pk}/diff/", response={200: Any}, operation_id="governance_baseline_diff",
              summary=described(gettext_lazy(
                  "What changed from this baseline to another (?with=<id>) or to the current description")))
def baseline_diff(request: HttpRequest, pk: int, other: str = Query("current", alias="with")) -> HttpResponse:
    _may_read(request)
    baseline = _baseline(request, pk)
    to: dict[str, Any]
    if other == "current":
        doc = baselines.current(baseline.system, request.user)
        assert doc.stamp is not None
        after, to = doc.content(), {"version": doc.stamp.label, "sha256": doc.stamp.sha256}
    elif other.isdigit():
        later = _baseline(request, int(other))
        if (later.kind, later.system_id) != (baseline.kind, baseline.system_id):
            raise HttpError(400, _("Both baselines must describe the same system or the infrastructure."))
        after, to = later.content, {"id": later.pk, "version": later.label, "sha256": later.sha256}
    else:
        raise HttpError(400, _("Give ?with=<baseline id> or ?with=current."))
    return json_response({"from": {"id": baseline.pk, "version": baseline.label, "sha256": baseline.sha256},
                          "to": to, "unchanged": to["sha256"] == baseline.sha256,
                          "sections": [asdict(s) for s in baselines.diff(baseline.content, after)]})


api.add_router("/governance/systems/", results)
api.add_router("/governance/baselines/", approved)
