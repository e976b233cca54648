"""Setting an SNMP check's credentials: a page and `PUT /api/monitoring/checks/<id>/snmp-credentials/`.
Write-only: neither ever shows what is stored, only whether something is."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from irtis.core import permissions
from irtis.discovery.forms import CredentialsForm

from . import credentials
from .models import Check

SECRET_FIELDS = ("community", "auth_key", "priv_key")


def one(user: object, pk: int) -> Check:
    """The SNMP check if the user may change it; 404 if they may not see it, 403 if only that."""
    found = permissions.restrict(Check.objects.filter(kind=Check.Kind.SNMP), user, "change").filter(pk=pk).first()
    if found is None:
        if permissions.restrict(Check.objects.filter(kind=Check.Kind.SNMP), user).filter(pk=pk).exists():
            raise PermissionDenied
        raise Http404(_("Not found."))
    return found


@login_required
@sensitive_post_parameters(*SECRET_FIELDS)
def set_credentials(request: HttpRequest, pk: int) -> HttpResponse:
    check = one(request.user, pk)
    form = CredentialsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        credentials.set_credentials(check, form.credentials())
        messages.success(request, _("The SNMP credentials are stored encrypted."))
        return redirect(check.get_absolute_url())
    return render(request, "monitoring/snmp_credentials.html", {
        "check": check, "form": form, "has_credentials": credentials.has_credentials(check)})
