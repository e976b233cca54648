"""Pages outside the registry: importing a scan report, the systems' risk registers with their
heat maps, and a register as PDF."""

import hashlib
import uuid
from collections import Counter
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from irtis.architecture import pdf
from irtis.core import permissions
from irtis.core.registry import entry_for
from irtis.systems.models import InformationSystem
from irtis.tasks.views import started

from . import jobs
from . import register as registers
from . import settings as risk_settings
from .models import Assessment, Finding, Risk, RiskAnalysis


class ScanForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Report file"))
    reader = forms.ChoiceField(label=gettext_lazy("Format"), choices=(
        ("greenbone", gettext_lazy("Greenbone/OpenVAS XML report")),
        ("csv", gettext_lazy("CSV (documented columns)")),
    ))
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=Assessment.Kind.choices,
                             initial=Assessment.Kind.SCAN)
    scope = forms.CharField(label=gettext_lazy("Scope"), max_length=200, required=False,
                            help_text=gettext_lazy("Empty: the scan task's name in the report."))
    performer = forms.CharField(label=gettext_lazy("Performer"), max_length=200)
    performed_on = forms.DateField(label=gettext_lazy("Performed on"), required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}),
                                   help_text=gettext_lazy("Empty: the scan's start in the report."))


def _keep(upload: Any) -> tuple[str, str]:
    """Store the upload on the server for its run; its name and SHA-256."""
    directory = jobs.upload_dir()
    directory.mkdir(parents=True, exist_ok=True)
    name = f"{uuid.uuid4().hex}.upload"
    digest = hashlib.sha256()
    with (directory / name).open("wb") as out:
        for chunk in upload.chunks():
            digest.update(chunk)
            out.write(chunk)
    return name, digest.hexdigest()


@login_required
def import_scan(request: HttpRequest) -> HttpResponse:
    """Upload a report; it is read and written by a background run whose progress is shown."""
    if not (permissions.has(request.user, Assessment, "add") and permissions.has(request.user, Finding, "add")
            and permissions.has(request.user, Finding, "change")):
        raise PermissionDenied
    form = ScanForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["file"].size > settings.MAX_UPLOAD_BYTES:
            form.add_error("file", _("The file is larger than %(mb)s MB.") % {
                "mb": settings.MAX_UPLOAD_BYTES // (1024 * 1024)})
        else:
            name, sha256 = _keep(form.cleaned_data["file"])
            data = form.cleaned_data
            run = jobs.import_scan.start(
                user=request.user, name=name, reader=data["reader"], kind=data["kind"], scope=data["scope"],
                performer=data["performer"], sha256=sha256,
                performed_on=data["performed_on"].isoformat() if data["performed_on"] else "",
            )
            return started(request, run, _("Importing a scan report"), entry_for(Finding).list_url)  # type: ignore[union-attr]
    return render(request, "risks/import.html", {"form": form})


def _may_view_risks(user: Any) -> None:
    if not permissions.has(user, Risk, "view"):
        raise PermissionDenied


@login_required
def registers_index(request: HttpRequest) -> HttpResponse:
    """Every system with its number of risks, those above appetite and its last analysis."""
    _may_view_risks(request.user)
    appetite = risk_settings.appetite()
    risks = permissions.restrict(Risk.objects.all(), request.user)
    total: Counter[int] = Counter()
    above: Counter[int] = Counter()
    for system, likelihood, impact in risks.values_list("system", "likelihood", "impact"):
        total[system] += 1
        above[system] += likelihood * impact > appetite
    analysed = dict(permissions.restrict(RiskAnalysis.objects.all(), request.user).values("system")
                    .annotate(last=Max("performed_on")).values_list("system", "last").order_by())
    systems = permissions.restrict(InformationSystem.objects.select_related("category"), request.user)
    rows = [{"system": s, "risks": total[s.pk], "above": above[s.pk], "analysed": analysed.get(s.pk)}
            for s in systems.order_by("code")]
    return render(request, "risks/registers.html", {"rows": rows, "appetite": appetite})


def _system(request: HttpRequest, pk: int) -> InformationSystem:
    _may_view_risks(request.user)
    system = permissions.restrict(InformationSystem.objects.select_related("category"), request.user).filter(
        pk=pk).first()
    if system is None:
        raise Http404(_("Not found."))
    return system


@login_required
def register_page(request: HttpRequest, pk: int) -> HttpResponse:
    system = _system(request, pk)
    return render(request, "risks/register.html", {"register": registers.of(system, request.user)})


@login_required
def register_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The register as PDF, in Lithuanian (the language of the division's records)."""
    system = _system(request, pk)
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string("risks/register_pdf.html", {
            "register": registers.of(system, request.user), "printed": timezone.localtime(), "user": request.user})
    try:
        data = pdf.write_pdf(html)
    except pdf.PDFUnavailable as error:
        return HttpResponse(_("The PDF cannot be made: %(error)s") % {"error": error}, status=503,
                            content_type="text/plain; charset=utf-8")
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="rizikos-{system.code}.pdf"'
    return response
