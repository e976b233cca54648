"""Pages of irtis.procurement outside the registry: a specification's actions, comparison, DOCX
and the drawing of requirements from the catalogue and the architecture rules; a procurement's
scoring (per evaluator), evaluation and report; licence compliance; the contracts' coming
deadlines; the services' SLA statements and the suppliers' roll-up, its files and sending."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from irtis.architecture import report
from irtis.core import permissions
from irtis.core.models import StaleObjectError
from irtis.core.views import refused
from irtis.governance.models import Proposal
from irtis.systems.models import ImportanceCategory

from . import assembly, evaluation, licensing, scoring, sla, specifications, statements, word
from .models import (
    Contract,
    Criterion,
    ExternalService,
    Licence,
    Offer,
    Procurement,
    RequirementKind,
    Specification,
    Supplier,
)


def _get(model: Any, request: HttpRequest, pk: int, action: str = "view") -> Any:
    return get_object_or_404(permissions.restrict(model.objects.all(), request.user, action), pk=pk)



@login_required
@require_POST
def specification_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    acts = {"approve": specifications.approve, "new-version": specifications.new_version}
    if action not in acts:
        raise Http404
    spec = _get(Specification, request, pk)
    try:
        result = acts[action](spec, request.user)
    except (specifications.ActionRefused, StaleObjectError) as refusal:
        return refused(request, spec, str(refusal) if isinstance(refusal, specifications.ActionRefused)
                       else _("Someone changed this meanwhile: look again and repeat."))
    return redirect(result.get_absolute_url())


@login_required
def specification_diff(request: HttpRequest, pk: int) -> HttpResponse:
    spec = _get(Specification, request, pk)
    other_id = request.GET.get("with") or spec.previous_id
    if not other_id:
        return refused(request, spec, _("This is the first version: there is nothing to compare it with."))
    try:
        other = _get(Specification, request, int(other_id))
    except ValueError:
        raise Http404 from None
    old, new = (other, spec) if other.revision <= spec.revision else (spec, other)
    return render(request, "procurement/diff.html", {"object": spec, "old": old, "new": new,
                                                      "changes": specifications.diff(old, new)})


@login_required
def specification_file(request: HttpRequest, pk: str, fmt: str) -> HttpResponse:
    spec = _get(Specification, request, int(pk))
    name = f"{spec.code}-v{spec.revision}.{fmt}"
    return report.download(word.specification(spec, fmt), name, fmt, spec, name)


def _evaluation_context(procurement: Procurement) -> dict[str, Any]:
    try:
        return {"result": evaluation.evaluate(procurement)}
    except evaluation.EvaluationError as error:
        return {"error": str(error)}


@login_required
def procurement_evaluation(request: HttpRequest, pk: int) -> HttpResponse:
    procurement = get_object_or_404(scoring.reachable(request.user), pk=pk)
    allowed = permissions.restrict(Procurement.objects.filter(pk=pk), request.user, "change").exists()
    made = scoring.declaration(procurement, request.user)
    if not allowed and not (made and made.submitted_at):
        raise PermissionDenied(_("The evaluation is shown to the procurement's secretaries and to evaluators "
                                 "who have submitted their scores."))
    context = _evaluation_context(procurement)
    return render(request, "procurement/evaluation.html", {"object": procurement, **context},
                  status=409 if "error" in context else 200)


@login_required
def procurement_report(request: HttpRequest, pk: str, fmt: str) -> HttpResponse:
    procurement = _get(Procurement, request, int(pk), "change")
    try:
        content = word.evaluation_report(evaluation.evaluate(procurement), fmt)
    except evaluation.EvaluationError as error:
        return refused(request, procurement, str(error))
    name = f"vertinimo-ataskaita-{procurement.pk}.{fmt}"
    return report.download(content, name, fmt, procurement, name)


def _points(post: Any, offers: list[Offer], criteria: list[Criterion]) -> dict[tuple[int, int], Any]:
    points = {}
    for offer in offers:
        for criterion in criteria:
            raw = (post.get(f"p-{offer.pk}-{criterion.pk}") or "").strip().replace(",", ".")
            if raw:
                points[(offer.pk, criterion.pk)] = raw
    return points


@login_required
def procurement_scoring(request: HttpRequest, pk: int) -> HttpResponse:
    procurement = get_object_or_404(scoring.reachable(request.user), pk=pk)
    offers = list(procurement.offers.select_related("supplier").order_by("supplier__name"))
    criteria = list(procurement.criteria.filter(kind=Criterion.Kind.QUALITY).order_by("id"))
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "declare":
                scoring.declare(procurement, request.user)
                messages.success(request, _("Your declaration of impartiality is recorded."))
            elif action in ("save", "submit"):
                written = scoring.score(procurement, request.user, _points(request.POST, offers, criteria))
                if action == "submit":
                    scoring.submit(procurement, request.user)
                    messages.success(request, _("Your scores are submitted."))
                else:
                    messages.success(request, _("Scores saved: %(count)s.") % {"count": written})
            else:
                raise Http404
            return redirect("procurement_pages:scoring", pk=procurement.pk)
        except specifications.ActionRefused as refusal:
            messages.error(request, str(refusal))
            status = 409
    visible = scoring.visible_scores(procurement, request.user).select_related("evaluator")
    mine = {(s.offer_id, s.criterion_id): s.points for s in visible if s.evaluator_id == request.user.pk}
    others = [s for s in visible if s.evaluator_id != request.user.pk]
    rows = [(offer, [(criterion, mine.get((offer.pk, criterion.pk))) for criterion in criteria]) for offer in offers]
    return render(request, "procurement/scoring.html", {
        "object": procurement, "rows": rows, "criteria": criteria, "others": others,
        "declaration": scoring.declaration(procurement, request.user),
        "evaluator": procurement.evaluators.filter(pk=request.user.pk or 0).exists(),
        "closed": timezone.now() > procurement.deadline,
    }, status=status)


@login_required
def licence_compliance(request: HttpRequest) -> HttpResponse:
    if not permissions.has(request.user, Licence, "view"):
        raise PermissionDenied
    positions = licensing.compliance(permissions.restrict(Licence.objects.all(), request.user))
    return render(request, "procurement/licences.html", {"positions": positions})


@login_required
def deadlines(request: HttpRequest) -> HttpResponse:
    """Contracts in force whose end or notice date falls within the next `days` (90) days."""
    if not permissions.has(request.user, Contract, "view"):
        raise PermissionDenied
    try:
        days = max(1, min(int(request.GET.get("days", 90)), 3650))
    except ValueError:
        days = 90
    today = timezone.localdate()
    horizon = today + timedelta(days=days)
    rows = []
    for contract in permissions.restrict(Contract.objects.filter(status=Contract.Status.ACTIVE, end__gte=today),
                                         request.user).select_related("supplier"):
        notice = contract.notice_date
        soonest = min(d for d in (contract.end, notice) if d is not None and d >= today) \
            if (notice and notice >= today) else contract.end
        if soonest <= horizon:
            rows.append((soonest, contract, notice, (soonest - today).days))
    rows.sort(key=lambda row: (row[0], row[1].pk))
    return render(request, "procurement/deadlines.html", {"rows": rows, "days": days})


def _month_count(request: HttpRequest, raw: str | None = None) -> int | None:
    """`months` as asked (?months= unless `raw` is given; 6 when empty); None, with the error
    shown, when it is not a number of months."""
    try:
        return sla.month_count(request.GET.get("months") if raw is None else raw)
    except ValueError:
        messages.error(request, str(sla.MONTHS_ERROR))
        return None


@login_required
def service_statement(request: HttpRequest, pk: int) -> HttpResponse:
    service = get_object_or_404(
        permissions.restrict(ExternalService.objects.select_related("supplier", "contract", "system"), request.user),
        pk=pk)
    count = _month_count(request)
    months = sla.statement(service, count or 6)
    return render(request, "procurement/statement.html", {
        "object": service, "months": months, "total": sum((m.penalty for m in months), Decimal("0"))},
        status=200 if count else 400)


@login_required
def supplier_rollup(request: HttpRequest) -> HttpResponse:
    """Every supplier's external services, their months totalled."""
    if not permissions.has(request.user, ExternalService, "view"):
        raise PermissionDenied
    count = _month_count(request)
    totals = statements.suppliers_rollup(request.user, count or 6)
    return render(request, "procurement/rollup.html", {
        "totals": totals, "months": count or 6, "starts": sla.month_starts(count or 6, timezone.localdate())},
        status=200 if count else 400)


def _supplier_page(request: HttpRequest, supplier: Supplier, count: int, status: int = 200) -> HttpResponse:
    return render(request, "procurement/supplier_sla.html", {
        "object": supplier, "total": statements.total_of(request.user, supplier, count), "months": count,
        "contacts": supplier.contacts.exclude(email="").order_by("name", "id"),
        "may_send": permissions.has(request.user, Supplier, "change"),
    }, status=status)


@login_required
def supplier_sla(request: HttpRequest, pk: int) -> HttpResponse:
    supplier = _get(Supplier, request, pk)
    count = _month_count(request)
    return _supplier_page(request, supplier, count or 6, 200 if count else 400)


@login_required
def supplier_sla_file(request: HttpRequest, pk: str, fmt: str) -> HttpResponse:
    supplier = _get(Supplier, request, int(pk))
    count = _month_count(request)
    if count is None:
        return _supplier_page(request, supplier, 6, 400)
    total = statements.total_of(request.user, supplier, count)
    name = statements.file_name(total, fmt)
    return report.download(word.supplier_statement(total, fmt), name, fmt, supplier, name)


@login_required
@require_POST
def supplier_sla_send(request: HttpRequest, pk: int) -> HttpResponse:
    supplier = _get(Supplier, request, pk, "change")
    raw_months, raw_contact = request.POST.get("months", ""), request.POST.get("contact", "").strip()
    count = _month_count(request, raw_months)
    if count is None:
        return _supplier_page(request, supplier, 6, 400)
    if raw_contact and not raw_contact.isdigit():
        messages.error(request, _("Choose a contact from the list."))
        return _supplier_page(request, supplier, count, 400)
    try:
        address = statements.send(statements.total_of(request.user, supplier, count),
                                  int(raw_contact) if raw_contact else None)
    except statements.CannotSend as missing:
        messages.error(request, str(missing))
        return _supplier_page(request, supplier, count, 400)
    except OSError as error:  # smtplib's errors are OSErrors: the server refused or could not be reached
        messages.error(request, _("The e-mail could not be sent (%(error)s); nothing was recorded as sent. "
                                  "Try again later.") % {"error": error})
        return _supplier_page(request, supplier, count, 502)
    messages.success(request, _("The statement was sent to %(address)s.") % {"address": address})
    query = QueryDict(mutable=True)
    query["months"] = str(count)
    return redirect(f"{reverse('procurement_pages:supplier_sla', args=[supplier.pk])}?{query.urlencode()}")


def _ids(values: list[str]) -> list[int] | None:
    return [int(v) for v in values] if all(v.strip().isdigit() for v in values) else None


@login_required
def specification_assemble(request: HttpRequest, pk: int) -> HttpResponse:
    """Draw requirements from the technology catalogue and the architecture rules into a draft."""
    spec = _get(Specification, request, pk, "change")
    status = 200
    if request.method == "POST":
        chosen = _ids(request.POST.getlist("technologies"))
        category_id, proposal_id = request.POST.get("category", ""), request.POST.get("proposal", "")
        try:
            if chosen is None or (category_id and not category_id.isdigit()) or (
                    proposal_id and not proposal_id.isdigit()):
                raise specifications.ActionRefused(_("Choose from the lists."))
            category = get_object_or_404(ImportanceCategory, pk=category_id) if category_id else None
            proposal = get_object_or_404(permissions.restrict(Proposal.objects.all(), request.user),
                                         pk=proposal_id) if proposal_id else None
            drawn = assembly.assemble(spec, request.user, chosen, category, proposal,
                                      request.POST.get("kind", RequirementKind.MANDATORY))
        except specifications.ActionRefused as refusal:
            messages.error(request, str(refusal))
            status = 400 if spec.status == Specification.Status.DRAFT else 409
        except StaleObjectError:
            messages.error(request, _("Someone changed this meanwhile: look again and repeat."))
            status = 409
        else:
            messages.success(request, _("Requirements added: %(added)s; already in the specification: %(skipped)s.")
                             % {"added": len(drawn.added), "skipped": drawn.skipped})
            return redirect(spec.get_absolute_url())
    return render(request, "procurement/assemble.html", {
        "object": spec, "technologies": assembly.technologies(),
        "categories": ImportanceCategory.objects.order_by("pk"),
        "proposals": permissions.restrict(Proposal.objects.all(), request.user).order_by("code"),
        "kinds": RequirementKind.choices, "drawn": spec.requirements.exclude(source="").count(),
    }, status=status)
