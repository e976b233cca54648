"""Pages outside the registry: the coverage board, a system's backup history, setting a
repository's password, starting a drill or a reading, and a drill's PDF report."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from irtis.core import permissions
from irtis.systems.models import InformationSystem

from . import coverage, jobs, passwords, report
from .models import BackupPolicy, BackupRepository, RestoreDrill, Snapshot

HISTORY = 50


def _one(model: type[Model], user: Any, action: str, pk: int) -> Any:
    return permissions.obtain(model._default_manager.all(), user, action, pk)


@login_required
def board(request: HttpRequest) -> HttpResponse:
    """Systems × last backup × last drill × compliance, and the findings behind it."""
    if not permissions.has(request.user, BackupPolicy, "view"):
        raise PermissionDenied
    systems = permissions.restrict(InformationSystem.objects.select_related("category"), request.user)
    found = coverage.report(systems, permissions.restrict(BackupPolicy.objects.all(), request.user))
    unprotected_systems = {system.pk for system, _obj, _kind in found.unprotected}
    rows = []
    for system in systems.filter(pk__in={*found.by_system, *unprotected_systems}).order_by("code"):
        states = found.by_system.get(system.pk, [])
        rows.append({
            "system": system,
            "policies": len(states),
            "last_good": max((s.last_good for s in states if s.last_good), default=None),
            "last_drill": max((s.last_drill for s in states if s.last_drill), default=None),
            "problems": sum(len(s.problems) for s in states) + (system.pk in unprotected_systems),
        })
    return render(request, "backups/board.html", {"report": found, "rows": rows})


@login_required
def history(request: HttpRequest, pk: int) -> HttpResponse:
    """One system's policies with their state, its latest snapshots and drills."""
    if not permissions.has(request.user, BackupPolicy, "view"):
        raise PermissionDenied
    system = permissions.restrict(InformationSystem.objects.all(), request.user).filter(pk=pk).first()
    if system is None:
        raise Http404(_("Not found."))
    policies = permissions.restrict(BackupPolicy.objects.filter(system=system), request.user)
    states = coverage.attach(coverage.policy_states(policies, coverage.timezone.now()))
    snapshots = permissions.restrict(Snapshot.objects.filter(policy__system=system), request.user)
    drills = permissions.restrict(RestoreDrill.objects.filter(policy__system=system), request.user)
    return render(request, "backups/history.html", {
        "system": system, "states": states,
        "snapshots": snapshots.select_related("repository", "policy")[:HISTORY],
        "drills": drills.select_related("policy", "started_by")[:HISTORY],
    })


class PasswordForm(forms.Form):
    password = forms.CharField(label=gettext_lazy("New password"), widget=forms.PasswordInput(render_value=False),
                               max_length=1024, strip=False)


@login_required
@sensitive_post_parameters("password")
def set_password(request: HttpRequest, pk: int) -> HttpResponse:
    """Write-only: the form never shows the stored password, only whether one is set."""
    repository = _one(BackupRepository, request.user, "change", pk)
    form = PasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        passwords.set_password(repository, form.cleaned_data["password"])
        messages.success(request, _("The password is stored encrypted."))
        return redirect(repository.get_absolute_url())
    return render(request, "backups/password.html", {
        "repository": repository, "form": form, "has_password": passwords.has_password(repository),
    })


@login_required
@require_POST
def read_repository(request: HttpRequest, pk: int) -> HttpResponse:
    repository = _one(BackupRepository, request.user, "change", pk)
    run = jobs.ingest_repository.start(queue=repository.queue, user=request.user, repository_id=repository.pk)
    messages.info(request, _("Reading the repository in the background (run %(run)s).") % {"run": run.pk})
    return redirect(repository.get_absolute_url())


@login_required
@require_POST
def start_drill(request: HttpRequest, pk: int) -> HttpResponse:
    policy = _one(BackupPolicy, request.user, "change", pk)
    snapshot = None
    if request.POST.get("snapshot"):
        try:
            snapshot_pk = int(request.POST["snapshot"])
        except ValueError:
            raise Http404(_("Not found.")) from None
        snapshot = permissions.restrict(Snapshot.objects.filter(policy=policy), request.user).filter(
            pk=snapshot_pk).first()
        if snapshot is None:
            raise Http404(_("Not found."))
    run = jobs.start_drill(policy, user=request.user, snapshot=snapshot)
    messages.info(request, _("The restore drill runs in the background (run %(run)s).") % {"run": run.pk})
    return redirect(policy.get_absolute_url())


@login_required
def drill_report(request: HttpRequest, pk: int) -> HttpResponseBase:
    drill = _one(RestoreDrill, request.user, "view", pk)
    path = report.report_path(drill)
    if not drill.report_sha256 or not path.exists():
        raise Http404(_("This drill has no report."))
    return FileResponse(path.open("rb"), as_attachment=True, filename=f"atkurimo-pratybos-{drill.pk}.pdf",
                        content_type="application/pdf")
