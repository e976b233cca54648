"""Pages of irtis.mail outside the registry: checking a domain's DNS now, the certificates expiring."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from irtis.core import permissions

from . import checks
from .models import AcceptedDomain, DomainCheck, MailCertificate
from .models.certificates import WARNING_DAYS, expiring


@login_required
@require_POST
def check_domain(request: HttpRequest, pk: int) -> HttpResponse:
    """Read the domain's SPF, DKIM and DMARC records now (bounded by the DNS timeout) and show them."""
    domain = permissions.restrict(AcceptedDomain.objects.filter(pk=pk), request.user).first()
    if domain is None:
        raise Http404
    if not permissions.restrict(AcceptedDomain.objects.filter(pk=pk), request.user, "change").exists():
        raise PermissionDenied  # checking writes the reading: the right to change the domain
    result = checks.check(domain)
    if result.error:
        messages.error(request, result.error)
    elif result.status == DomainCheck.Status.OK:
        messages.success(request, _("The domain's SPF, DKIM and DMARC records are in order."))
    else:
        messages.warning(request, _("The domain's records have findings: see below."))
    return redirect(domain.get_absolute_url())


@login_required
def certificates(request: HttpRequest) -> HttpResponse:
    """Mail certificates expired or expiring within `?within_days=` days (default 30), with their servers."""
    if not permissions.has(request.user, MailCertificate, "view"):
        raise PermissionDenied
    try:
        days = max(0, min(int(request.GET.get("within_days", WARNING_DAYS)), 3650))
    except ValueError:
        days = WARNING_DAYS
    found = expiring(permissions.restrict(MailCertificate.objects.all(), request.user), days)
    return render(request, "mail/certificates.html", {
        "certificates": found.prefetch_related("servers").order_by("not_after", "thumbprint"), "days": days})
