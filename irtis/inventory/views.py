"""Inventory pages beyond the generic ones: rack elevations, the out-of-support, power and mobile access reports."""

import datetime
from typing import cast

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from irtis.core import permissions
from irtis.core.registry import ModelEntry, entry_for

from . import elevation, mobile_access, power_draw, reports
from .models import Device, MobileDevice, Rack


@login_required
def rack_elevation(request: HttpRequest, pk: int, face: str = "front") -> HttpResponse:
    """One face of a rack as an SVG picture (`?face=rear` for the rear)."""
    face = request.GET.get("face", face)
    if face not in elevation.FACES:
        raise Http404
    racks = permissions.restrict(Rack.objects.all(), request.user)
    rack = get_object_or_404(racks, pk=pk)
    svg = elevation.draw(rack, face, elevation.mounted_devices(rack, request.user),
                         elevation.reserved_units(rack, request.user))
    return HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")


class AsOfForm(forms.Form):
    on = forms.DateField(label=_("As of"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


@login_required
def out_of_support(request: HttpRequest) -> HttpResponse:
    """Software with no vendor support left or under extended support only, per site and per team,
    and hardware past its warranty, support contract or model's end of support; as of today or of
    the day chosen (to see what a coming date will bring)."""
    if not permissions.allowed(request.user, cast(ModelEntry, entry_for(Device)), "view"):
        raise PermissionDenied
    form = AsOfForm(request.GET or None)
    on = (form.cleaned_data["on"] if form.is_valid() else None) or datetime.date.today()
    findings = reports.out_of_support(request.user, on)
    return render(request, "inventory/out_of_support.html", {
        "form": form, "on": on,
        "findings": findings,
        "by_site": reports.grouped(findings, "site"),
        "by_team": reports.grouped(findings, "team"),
        "extended": reports.extended_support(request.user, on),
        "hardware": reports.hardware_out_of_support(request.user, on),
    })


@login_required
def power(request: HttpRequest) -> HttpResponse:
    """Power drawn against capacity in every rack the user may view that has feeds or loads."""
    if not permissions.allowed(request.user, cast(ModelEntry, entry_for(Rack)), "view"):
        raise PermissionDenied
    racks = permissions.restrict(power_draw.powered_racks(), request.user)
    rows = power_draw.rack_power(racks)
    return render(request, "inventory/power.html", {"rows": rows, "report": True,
                                                    "warnings": sum(row.warning for row in rows)})


@login_required
def mobile(request: HttpRequest) -> HttpResponse:
    """Officers' mobile devices by enrolment, compliance and operating system, and those needing attention."""
    if not permissions.allowed(request.user, cast(ModelEntry, entry_for(MobileDevice)), "view"):
        raise PermissionDenied
    return render(request, "inventory/mobile_access.html", {"report": mobile_access.mobile_access(request.user)})
