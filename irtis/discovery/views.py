"""The discovery page of a device (form, reading as a background run, preview of the plan,
applying the confirmed plan), and sweeps: their credentials, starting one, and the findings
to review."""

import uuid
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from irtis.core import permissions
from irtis.inventory.models import Cable, Device, Interface
from irtis.network.models import VRF, IPAddress
from irtis.tasks.models import Status
from irtis.tasks.views import visible_runs

from . import credentials, jobs, sweeps
from . import plan as plans
from .forms import CredentialsForm, DiscoveryForm
from .models import Finding, Sweep
from .snmp import Reading

SECRET_FIELDS = ("community", "auth_key", "priv_key")


def changed_message() -> str:
    return _("The records changed after the preview, so nothing was applied: discover the device again "
             "and check the new preview.")


@login_required
def discover(request: HttpRequest, pk: int) -> HttpResponse:
    device = get_object_or_404(permissions.restrict(Device.objects.all(), request.user), pk=pk)
    plans.authorise(request.user, device)
    if request.method == "POST" and "token" in request.POST:
        return _apply(request, device)
    first = IPAddress.objects.filter(interface__device=device).order_by("family", "address_key").first()
    form = DiscoveryForm(request.POST or None, user=request.user,
                         initial={"address": first.host if first else ""})
    sections = [(Device._meta.get_field("platform").verbose_name, "platform"),
                (Device._meta.get_field("serial").verbose_name, "serial"),
                (Interface._meta.verbose_name_plural, "interface"), (IPAddress._meta.verbose_name_plural, "address"),
                (_("cables (LLDP neighbours)"), "cable")]
    context = {"device": device, "form": form, "devices": Device._meta.verbose_name_plural, "sections": sections}
    if request.method == "POST" and form.is_valid():
        run = jobs.start(request.user, device, form.cleaned_data, form.credentials())
        context.update(run=run, next=f"{request.path}?run={run.pk}")
    elif "run" in request.GET:
        _reading(request, device, context)
    elif "finding" in request.GET:
        _finding(request, device, context)
    return render(request, "discovery/device.html", context)


def _finding(request: HttpRequest, device: Device, context: dict) -> None:
    """The preview of what a sweep read from the device, against the records as they are now."""
    finding = Finding.objects.filter(pk=_number(request.GET["finding"]), device=device,
                                     ).select_related("sweep__vrf").first()
    if finding is None or finding.reading is None:  # not read: nothing to review
        raise Http404
    plan = plans.build(device, Reading.from_dict(finding.reading), finding.sweep.vrf, request.user)
    context.update(plan=plan, token=plans.issue(plan, request.user), finding=finding)


def _number(text: str) -> int:
    if not text.isdigit():
        raise Http404
    return int(text)


def _reading(request: HttpRequest, device: Device, context: dict) -> None:
    """The preview of a finished reading, its error, or its progress while it works."""
    try:
        run_id = uuid.UUID(request.GET["run"])
    except ValueError:
        raise Http404 from None
    run = visible_runs(request.user).filter(pk=run_id, task=jobs.scan.module_path, key=str(device.pk)).first()
    if run is None:
        raise Http404
    if run.status == Status.FAILED:
        context["error"] = run.error
    elif run.status != Status.DONE:
        context.update(run=run, next=request.get_full_path())
    elif (vrf_id := run.arguments.get("vrf_id")) and not VRF.objects.filter(pk=vrf_id).exists():
        context["error"] = changed_message()
    else:
        vrf = VRF.objects.filter(pk=vrf_id).first() if vrf_id else None
        result = cast(dict[str, Any], run.result)  # a finished run's
        plan = plans.build(device, Reading.from_dict(result), vrf, request.user)
        context.update(plan=plan, token=plans.issue(plan, request.user))


def _apply(request: HttpRequest, device: Device) -> HttpResponse:
    again = redirect(reverse("discovery_pages:device", args=[device.pk]))
    try:
        plan = plans.apply(request.POST["token"], request.user, device)
    except plans.PlanExpired as error:
        messages.error(request, str(error))
        return again
    except plans.PlanChanged:
        messages.error(request, changed_message())
        return again
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return again
    if finding := Finding.objects.filter(pk=_number(request.POST.get("finding") or "0"), device=device).first():
        sweeps.review(finding, request.user, Finding.Review.APPLIED)
    summary = plan.summary
    messages.success(request, _("Discovery applied: %(created)d created, %(updated)d updated.") % {
        "created": summary[plans.CREATE], "updated": summary[plans.UPDATE]})
    return redirect(device.get_absolute_url())


def credentials_page(request: HttpRequest, obj: models.Model, has: bool, missing: str,
                     store: Any) -> HttpResponse:
    """The write-only SNMP credentials form of `obj` (a sweep, a monitoring check): `store(obj,
    credentials)` on a valid post."""
    form = CredentialsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        store(obj, form.credentials())
        messages.success(request, _("The SNMP credentials are stored encrypted."))
        return redirect(obj.get_absolute_url())  # type: ignore[attr-defined]
    return render(request, "discovery/credentials.html", {
        "object": obj, "form": form, "has_credentials": has, "missing": missing})


def changeable_sweep(user: Any, pk: int) -> Sweep:
    """The sweep if the user may change it (see `permissions.obtain`)."""
    return permissions.obtain(Sweep.objects.all(), user, "change", pk)


@login_required
@sensitive_post_parameters(*SECRET_FIELDS)
def sweep_credentials(request: HttpRequest, pk: int) -> HttpResponse:
    sweep = changeable_sweep(request.user, pk)
    return credentials_page(request, sweep, credentials.has_credentials(sweep),
                            _("No credentials are set: the sweep cannot read the agents until they are."),
                            credentials.set_credentials)


@login_required
@require_POST
def sweep_run(request: HttpRequest, pk: int) -> HttpResponse:
    sweep = changeable_sweep(request.user, pk)
    if not credentials.has_credentials(sweep):
        messages.error(request, _("The sweep %(sweep)s has no SNMP credentials: set them first.") % {"sweep": sweep})
        return redirect(sweep.get_absolute_url())
    run = jobs.sweep.start(queue=sweep.zone, user=request.user, sweep_id=sweep.pk)
    messages.success(request, _("The sweep has started; its findings appear below when it ends."))
    return redirect(f"{sweep.get_absolute_url()}?run={run.pk}#sweep")


@login_required
def findings(request: HttpRequest) -> HttpResponse:
    """What the sweeps found that differs from the records, or could not be read: to review."""
    if not permissions.has(request.user, Sweep, "view"):
        raise PermissionDenied
    rows = sweeps.seen_by(request.user).select_related("sweep", "device", "reviewed_by").order_by(
        "device__name", "sweep__name")
    review = request.GET.get("review", Finding.Review.PENDING)
    outcome = request.GET.get("outcome", "")
    if review in Finding.Review.values:
        rows = rows.filter(review=review)
    rows = rows.filter(outcome=outcome) if outcome in Finding.Outcome.values else rows.exclude(
        outcome=Finding.Outcome.MATCHES)
    if (sweep := request.GET.get("sweep", "")).isdigit():
        rows = rows.filter(sweep_id=int(sweep))
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    return render(request, "discovery/findings.html", {
        "page": page, "review": review, "outcome": outcome, "reviews": Finding.Review.choices,
        "outcomes": [c for c in Finding.Outcome.choices if c[0] != Finding.Outcome.MATCHES],
        "sweeps": permissions.restrict(Sweep.objects.all(), request.user), "sweep": sweep,
        "cables": Cable._meta.verbose_name_plural})


@login_required
@require_POST
def dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    """Dismiss a finding: it stays dismissed while the device reports the same."""
    finding = get_object_or_404(sweeps.seen_by(request.user).select_related("device"), pk=pk)
    plans.authorise(request.user, finding.device)
    sweeps.review(finding, request.user, Finding.Review.DISMISSED)
    messages.success(request, _("The finding on %(device)s is dismissed.") % {"device": finding.device})
    return redirect(reverse("discovery_pages:findings"))
