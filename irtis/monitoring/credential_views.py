"""Setting an SNMP check's credentials: a page and `PUT /api/monitoring/checks/<id>/snmp-credentials/`.
Write-only: neither ever shows what is stored, only whether something is."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from irtis.core import permissions
from irtis.discovery.views import SECRET_FIELDS, credentials_page

from . import credentials
from .models import Check


def one(user: object, pk: int) -> Check:
    """The SNMP check if the user may change it (see `permissions.obtain`)."""
    return permissions.obtain(Check.objects.filter(kind=Check.Kind.SNMP), user, "change", pk)


@login_required
@sensitive_post_parameters(*SECRET_FIELDS)
def set_credentials(request: HttpRequest, pk: int) -> HttpResponse:
    check = one(request.user, pk)
    return credentials_page(request, check, credentials.has_credentials(check),
                            _("No credentials are set: the check is down until they are."),
                            credentials.set_credentials)
