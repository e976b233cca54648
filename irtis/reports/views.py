"""The head of the division's dashboard and the report of a chosen month or quarter; mounted
under /reports/. Both need permission to view recommendations (the manager role has it)."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from irtis.architecture import report as writers
from irtis.core import permissions

from . import charts, document, periods, sections
from .models import IssuedReport, Recommendation


def _allowed(user: Any) -> None:
    if not permissions.has(user, Recommendation, "view"):
        raise PermissionDenied


def _shown(parts: list[sections.Part]) -> list[tuple[sections.Part, list[Any]]]:
    return [(part, [charts.svg(c) for c in part.charts if c.bars]) for part in parts]


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """This month so far, every section as the reader may see it."""
    _allowed(request.user)
    today = timezone.localdate()
    period = periods.current("month", today)
    return render(request, "reports/dashboard.html", {
        "period": period, "parts": _shown(sections.collect(period, request.user)),
        "last_month": periods.last_complete("month", today).code,
        "issued": list(IssuedReport.objects.values_list("period", flat=True)[:12]),
    })


@login_required
def report(request: HttpRequest) -> HttpResponse:
    """`?period=2026-11&format=pdf` downloads the report; without them (or with an error) the form."""
    _allowed(request.user)
    today = timezone.localdate()
    text, fmt = request.GET.get("period", ""), request.GET.get("format", "pdf")
    error = ""
    if text:
        try:
            period = periods.parse(text, today)
            if fmt not in writers.FORMATS:
                raise ValidationError(_("Choose PDF or DOCX."))
        except ValidationError as refused:
            error = refused.messages[0]
        else:
            parts = sections.collect(period, request.user)
            generated = timezone.now()
            body = writers.write(fmt, document.title(period), document.content(period, parts, generated))
            document.audit(period, {fmt: body})
            return writers.attachment(body, document.filename(period, fmt), fmt)
    return render(request, "reports/report.html", {
        "error": error, "value": text or periods.last_complete("month", today).code, "format": fmt,
    }, status=400 if error else 200)


@login_required
def issued(request: HttpRequest, period: str, fmt: str) -> HttpResponse:
    """A report the schedule issued (the e-mail's link), as it was sent."""
    _allowed(request.user)
    found = IssuedReport.objects.filter(period=period).first()
    if found is None or fmt not in writers.FORMATS:
        raise Http404
    return writers.attachment(bytes(getattr(found, fmt)), f"irtis-ataskaita-{period}.{fmt}", fmt)
