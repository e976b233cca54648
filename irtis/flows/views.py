"""Pages of irtis.flows outside the registry: the decisions on a flow, a firewall's review and
rule-set upload, its analysis, the report of all firewalls and the zone matrix."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from irtis.core import permissions
from irtis.core.models import StaleObjectError
from irtis.core.registry import ModelEntry, entry_for
from irtis.core.views import refused
from irtis.network.models import SecurityZone

from . import actions, analysis, rulesets
from .models import Firewall, FirewallRule, Flow, FlowStatus

FLOW_ACTIONS = {"approve-owner": actions.OWNER, "approve-security": actions.SECURITY, "reject": ""}


@login_required
@require_POST
def flow_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in FLOW_ACTIONS:
        raise Http404
    flow = get_object_or_404(permissions.restrict(Flow.objects.all(), request.user), pk=pk)
    try:
        if action == "reject":
            actions.reject(flow, request.user)
        else:
            actions.approve(flow, request.user, FLOW_ACTIONS[action])
    except (actions.ActionRefused, StaleObjectError) as refusal:
        return refused(request, flow, str(refusal) if isinstance(refusal, actions.ActionRefused) else _(
            "Someone changed this meanwhile: look again and repeat."))
    return redirect(flow.get_absolute_url())


def _firewall(request: HttpRequest, pk: int, action: str = "view") -> Firewall:
    return get_object_or_404(permissions.restrict(Firewall.objects.all(), request.user, action), pk=pk)


@login_required
@require_POST
def firewall_review(request: HttpRequest, pk: int) -> HttpResponse:
    firewall = _firewall(request, pk)
    actions.review(firewall, request.user)
    messages.success(request, _("The review of the rules is recorded."))
    return redirect(firewall.get_absolute_url())


@login_required
@require_POST
def firewall_upload(request: HttpRequest, pk: int) -> HttpResponse:
    firewall = _firewall(request, pk, "change")
    if not permissions.has(request.user, FirewallRule, "import"):
        raise PermissionDenied
    upload = request.FILES.get("rules")
    if upload is None:
        problems = [rulesets.Problem(0, "", _("Choose the rule file to upload."))]
    else:
        try:
            version = rulesets.replace(firewall, upload.read(), upload.name or "", request.user)
        except rulesets.RuleFileError as error:
            problems = error.problems
        else:
            messages.success(request, _("Rules imported: %(rules)s (added %(added)s, removed %(removed)s).")
                             % {"rules": version.rules, "added": version.added, "removed": version.removed})
            return redirect(firewall.get_absolute_url())
    return render(request, "flows/upload_refused.html", {"object": firewall, "problems": problems}, status=400)


@login_required
def firewall_analysis(request: HttpRequest, pk: int) -> HttpResponse:
    firewall = _firewall(request, pk)
    if not permissions.has(request.user, FirewallRule, "view"):
        raise PermissionDenied
    rows = analysis.explained(firewall)
    flows = {f.pk: f for f in permissions.restrict(Flow.objects.filter(
        pk__in={pk for row in rows for pk in row.flows}), request.user)}
    return render(request, "flows/firewall_analysis.html", {
        "object": firewall, "rows": [(row, [flows[pk] for pk in row.flows if pk in flows]) for row in rows],
        "unexplained": sum(1 for row in rows if row.rule.action == "allow" and not row.flows),
    })


@login_required
def report(request: HttpRequest) -> HttpResponse:
    """Every firewall's unexplained allow rules and the flows past their review."""
    if not (permissions.has(request.user, FirewallRule, "view") and permissions.has(request.user, Flow, "view")):
        raise PermissionDenied
    firewalls = permissions.restrict(Firewall.objects.all(), request.user)
    visible = set(permissions.restrict(Flow.objects.all(), request.user).values_list("pk", flat=True))
    return render(request, "flows/report.html", {
        "unexplained": analysis.unexplained(firewalls),
        "past_review": [flow for flow in analysis.past_review() if flow.pk in visible],
    })


@login_required
def matrix(request: HttpRequest) -> HttpResponse:
    """Zones × zones: the number of approved flows from each zone to each, linked to their list."""
    if not permissions.has(request.user, Flow, "view"):
        raise PermissionDenied
    counts = {
        (row["from_zone"], row["to_zone"]): row["n"]
        for row in permissions.restrict(Flow.objects.filter(status=FlowStatus.APPROVED), request.user)
        .order_by().values("from_zone", "to_zone").annotate(n=Count("pk"))
    }
    zones = list(SecurityZone.objects.order_by("code"))
    list_url = entry_for_flow().list_url
    rows = [(source, [(target, counts.get((source.pk, target.pk), 0)) for target in zones]) for source in zones]
    return render(request, "flows/matrix.html", {"zones": zones, "rows": rows, "list_url": list_url,
                                                 "approved": FlowStatus.APPROVED})


def entry_for_flow() -> ModelEntry:
    entry = entry_for(Flow)
    assert entry is not None  # registered in models.py
    return entry
