"""Setting an SNMP check's credentials: a page and `PUT /api/monitoring/checks/<id>/snmp-credentials/`.
Write-only: neither ever shows what is stored, only whether something is."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from irtis.core import permissions
from irtis.discovery.views import SECRET_FIELDS, credentials_page

from . import credentials
from .models import Check


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
    return credentials_page(request, check, credentials.has_credentials(check),
                            _("No credentials are set: the check is down until they are."),
                            credentials.set_credentials)
