"""Pages of irtis.governance outside the registry: the drift report, the technology radar, the
conformance overview and starting an evaluation; proposals' check, upload and report."""

from collections import Counter, defaultdict
from itertools import groupby
from operator import itemgetter
from typing import Any

import tablib
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from irtis.core import exports, permissions
from irtis.systems.models import InformationSystem
from irtis.tasks.views import started

from . import catalogue, jobs, radar
from .models import Evaluation, Lifecycle, Outcome, Rule, RuleResult, Technology

DRIFT_ROWS = 200


def _may(user: Any, model: type, action: str = "view") -> None:
    if not permissions.has(user, model, action):
        raise PermissionDenied


@login_required
def drift(request: HttpRequest) -> HttpResponse:
    """Everything installed or deployed that is retiring or forbidden, by system and by owner."""
    _may(request.user, Technology)
    found = catalogue.drift()
    by_system: dict[str, list[catalogue.Drift]] = defaultdict(list)
    by_team: dict[str, list[catalogue.Drift]] = defaultdict(list)
    for item in found:
        for code in item.systems or ("",):
            by_system[code].append(item)
        by_team[item.team].append(item)
    view = "team" if request.GET.get("by") == "team" else "system"
    groups = sorted((by_team if view == "team" else by_system).items(), key=lambda kv: (kv[0] == "", kv[0]))
    # Paged by rows, a group going on over pages: an estate's drift runs to thousands of rows.
    page = Paginator([(name, item) for name, items in groups for item in items], DRIFT_ROWS).get_page(
        request.GET.get("page"))
    shown = [(name, [item for _, item in rows]) for name, rows in groupby(page.object_list, key=itemgetter(0))]
    return render(request, "governance/drift.html", {"groups": shown, "by": view, "total": len(found),
                                                     "page": page, "query": f"by={view}"})


@login_required
def drift_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The drift report as CSV or XLSX (the platform's export writer): one row per object and
    version, computed once for the file."""
    _may(request.user, Technology)
    data = tablib.Dataset(headers=[_("Object"), _("Kind"), _("Uses"), _("Technology"), _("Lifecycle status"),
                                   _("Must be gone by"), _("Responsible team"), _("Information systems")])
    statuses = dict(Lifecycle.choices)
    for item in catalogue.drift():
        data.append([exports.neutralise(value) for value in (
            item.object_label, item.kind, item.used, item.listing.technology, str(statuses[item.listing.status]),
            item.listing.retire_by.isoformat() if item.listing.retire_by else "", item.team,
            ", ".join(item.systems))])
    title = _("Technology drift")
    content = exports.xlsx(data, title) if fmt == "xlsx" else "\ufeff" + data.export("csv")  # BOM: Excel reads UTF-8
    response = HttpResponse(content, content_type=exports.FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="drift-{timezone.localtime():%Y%m%d-%H%M}.{fmt}"'
    return response


@login_required
def radar_page(request: HttpRequest) -> HttpResponse:
    _may(request.user, Technology)
    technologies = list(permissions.restrict(Technology.objects.all(), request.user))
    return render(request, "governance/radar.html", {"radar": radar.draw(technologies)})


def label(result: RuleResult) -> str:
    return _(result.reason) % result.params if result.params else _(result.reason)


@login_required
def conformance(request: HttpRequest) -> HttpResponse:
    """Each rule's counts by outcome, and the systems that fail or cannot be evaluated."""
    _may(request.user, Rule)
    systems = permissions.restrict(InformationSystem.objects.all(), request.user)
    results = (RuleResult.objects.filter(system__in=systems).select_related("rule", "system")
               .order_by("rule__code", "system__code"))
    counts: dict[int, Counter] = defaultdict(Counter)
    problems = []
    for result in results:
        counts[result.rule_id][result.outcome] += 1
        if result.outcome in (Outcome.FAILED, Outcome.UNKNOWN):
            result.text = label(result)  # type: ignore[attr-defined]
            problems.append(result)
    rules = list(Rule.objects.select_related("principle", "category").order_by("code"))
    rows = [{"rule": rule, "counts": [counts[rule.pk][o] for o in Outcome]} for rule in rules]
    return render(request, "governance/conformance.html", {
        "rows": rows, "outcomes": list(Outcome), "problems": problems[:1000], "more": max(0, len(problems) - 1000),
        "evaluation": Evaluation.objects.first(), "may_evaluate": permissions.has(request.user, Rule, "change"),
    })


@login_required
@require_POST
def evaluate(request: HttpRequest) -> HttpResponse:
    _may(request.user, Rule, "change")
    run = jobs.evaluate_rules.start(user=request.user)
    return started(request, run, _("Evaluating the architecture rules"), reverse("governance_pages:conformance"))


@login_required
def requirements_docx(request: HttpRequest, pk: int) -> HttpResponse:
    """The requirements for a new system of a category, as DOCX in Lithuanian."""
    from django.conf import settings
    from django.http import Http404
    from django.utils import translation

    from irtis.systems.models import ImportanceCategory

    from . import requirements

    _may(request.user, Rule)
    _may(request.user, Technology)
    category = permissions.restrict(ImportanceCategory.objects.all(), request.user).filter(pk=pk).first()
    if category is None:
        raise Http404(_("Not found."))
    with translation.override(settings.LANGUAGE_CODE):
        data = requirements.build(category)
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml"
                                               ".document")
    response["Content-Disposition"] = f'attachment; filename="reikalavimai-{category.pk}.docx"'
    return response


@login_required
def requirements_index(request: HttpRequest) -> HttpResponse:
    _may(request.user, Rule)
    from irtis.systems.models import ImportanceCategory

    categories = permissions.restrict(ImportanceCategory.objects.all(), request.user).order_by("rank", "code")
    return render(request, "governance/requirements.html", {"categories": categories})


def system_results(system: InformationSystem) -> list[RuleResult]:
    """The system's stored results with their texts in the reader's language (one query)."""
    found = list(RuleResult.objects.filter(system=system).select_related("rule__principle").order_by("rule__code"))
    for result in found:
        result.text = label(result)  # type: ignore[attr-defined]
    return found
