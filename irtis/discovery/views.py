"""The discovery page of a device: form, reading as a background run, preview of the plan, and
applying the confirmed plan."""

import uuid
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from irtis.core import permissions
from irtis.inventory.models import Device, Interface
from irtis.network.models import VRF, IPAddress
from irtis.tasks.models import Status
from irtis.tasks.views import visible_runs

from . import jobs
from . import plan as plans
from .forms import DiscoveryForm
from .snmp import Reading


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
                         initial={"address": first.address.split("/")[0] if first else ""})
    sections = [(Device._meta.get_field("platform").verbose_name, "platform"),
                (Interface._meta.verbose_name_plural, "interface"), (IPAddress._meta.verbose_name_plural, "address")]
    context = {"device": device, "form": form, "devices": Device._meta.verbose_name_plural, "sections": sections}
    if request.method == "POST" and form.is_valid():
        run = jobs.start(request.user, device, form.cleaned_data, form.credentials())
        context.update(run=run, next=f"{request.path}?run={run.pk}")
    elif "run" in request.GET:
        _reading(request, device, context)
    return render(request, "discovery/device.html", context)


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
    again = redirect(reverse("discovery:device", args=[device.pk]))
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
    summary = plan.summary
    messages.success(request, _("Discovery applied: %(created)d created, %(updated)d updated.") % {
        "created": summary[plans.CREATE], "updated": summary[plans.UPDATE]})
    return redirect(device.get_absolute_url())
