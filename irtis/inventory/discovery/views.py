"""The discovery page of a device: form, preview of the plan, and applying the confirmed plan."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from irtis.core import permissions
from irtis.network.models import IPAddress

from ..models import Device, Interface
from . import plan as plans
from .forms import DiscoveryForm
from .snmp import SnmpError


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
        try:
            reading = form.read()
        except SnmpError as error:
            form.add_error(None, error.message)
        else:
            plan = plans.build(device, reading, form.cleaned_data["vrf"], request.user)
            context.update(plan=plan, token=plans.issue(plan, request.user))
    return render(request, "inventory/discovery.html", context)


def _apply(request: HttpRequest, device: Device) -> HttpResponse:
    again = redirect(reverse("inventory_pages:device_discovery", args=[device.pk]))
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
