"""A domain's pages beside its generic ones: the bind password (write-only), "Read now", and
applying a difference between the latest reading and the records."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from irtis.core import permissions

from . import credentials, jobs, readings
from .forms import ControllerForm, PasswordForm
from .models import DirectoryDomain, DomainController


def changeable(user: Any, pk: int) -> DirectoryDomain:
    """The domain if the user may change it (see `permissions.obtain`)."""
    return permissions.obtain(DirectoryDomain.objects.all(), user, "change", pk)


@login_required
@sensitive_post_parameters("password")
def password(request: HttpRequest, pk: int) -> HttpResponse:
    domain = changeable(request.user, pk)
    form = PasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        credentials.set_password(domain, form.cleaned_data["password"])
        messages.success(request, _("The bind password is stored encrypted."))
        return redirect(domain.get_absolute_url())
    return render(request, "directory/password.html", {
        "object": domain, "form": form, "has_password": credentials.has_password(domain)})


def start(user: Any, domain: DirectoryDomain) -> Any:
    """Start reading the domain; the run (the one already queued for it if there is one)."""
    return jobs.read.start(user=user, domain_id=domain.pk)


@login_required
@require_POST
def read_now(request: HttpRequest, pk: int) -> HttpResponse:
    domain = changeable(request.user, pk)
    run = start(request.user, domain)
    messages.success(request, _("The reading has started; it appears below when it ends."))
    return redirect(f"{domain.get_absolute_url()}?run={run.pk}#directory")


@login_required
@require_POST
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    """Apply one difference: AD's FSMO roles onto a recorded controller, or record a new controller."""
    domain = permissions.obtain(DirectoryDomain.objects.all(), request.user, "view", pk)
    kind, name = request.POST.get("kind", ""), request.POST.get("name", "")
    action = "add" if kind == "new_controller" else "change"
    if not permissions.has(request.user, DomainController, action):
        raise PermissionDenied
    try:
        if kind == "fsmo":
            dc = readings.apply_roles(request.user, domain, name)
        elif kind == "new_controller":
            form = ControllerForm(request.POST, user=request.user)
            if not form.is_valid():
                messages.error(request, _("Choose the site of the domain controller."))
                return redirect(f"{domain.get_absolute_url()}#directory")
            dc = readings.apply_controller(request.user, domain, name, form.cleaned_data["site"])
        else:
            messages.error(request, _("This difference cannot be applied: change the records by hand."))
            return redirect(f"{domain.get_absolute_url()}#directory")
    except ValueError as error:
        messages.error(request, str(error))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Applied to %(controller)s.") % {"controller": dc})
    return redirect(f"{domain.get_absolute_url()}#directory")
