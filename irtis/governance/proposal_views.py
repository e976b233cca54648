"""Proposal pages outside the registry: upload a file, the format's schema, run the check, the report."""

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from irtis.architecture import report as documents
from irtis.core import permissions
from irtis.core.bulk import save_objects

from . import check as checking
from . import report as reports
from . import schema
from .proposals_models import Proposal, ProposalComponent, ProposalInterface


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Proposal file (JSON or YAML)"))


def _proposal(request: HttpRequest, pk: int, action: str) -> Proposal:
    if not permissions.has(request.user, Proposal, action):
        raise PermissionDenied
    found = permissions.restrict(Proposal.objects.all(), request.user, action).filter(pk=pk).first()
    if found is None:
        raise Http404(_("Not found."))
    return found


def _messages(error: ValidationError, where: str) -> list[str]:
    if hasattr(error, "error_dict"):
        return [f"{where}{'.' if where else ''}{field}: {' '.join(messages)}"
                for field, messages in error.message_dict.items()]
    return [f"{where}: {' '.join(error.messages)}"]


def save(given: schema.ProposalIn, user: object) -> Proposal:
    """Write the file's proposal, components and interfaces (all or nothing), or FileError."""
    proposal, components, interfaces = schema.build(given)
    errors: list[str] = []
    with transaction.atomic():
        try:
            proposal.full_clean()
        except ValidationError as error:
            raise schema.FileError(_messages(error, "")) from None
        proposal.save()
        parts: list[tuple[str, list[Any]]] = [("components", components), ("interfaces", interfaces)]
        for where, items in parts:
            for n, item in enumerate(items):
                item.proposal = proposal
                try:
                    item.full_clean(exclude=["proposal"], validate_unique=False)
                except ValidationError as error:
                    errors.extend(_messages(error, f"{where}[{n}]"))
        if errors:
            transaction.set_rollback(True)
            raise schema.FileError(errors)
        save_objects(components)
        save_objects(interfaces)
        permissions.ensure(user, [proposal], "add")
        permissions.ensure(user, components, "add")
        permissions.ensure(user, interfaces, "add")
    return proposal


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    """Upload a proposal as JSON or YAML: checked against the schema (errors by path), written, then
    checked against the architecture."""
    if not all(permissions.has(request.user, m, "add") for m in (Proposal, ProposalComponent, ProposalInterface)):
        raise PermissionDenied
    form = UploadForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > settings.MAX_UPLOAD_BYTES:
            errors = [_("The file is larger than %(mb)s MB.") % {"mb": settings.MAX_UPLOAD_BYTES // (1024 * 1024)}]
        else:
            try:
                proposal = save(schema.read(upload.read(), upload.name), request.user)
            except schema.FileError as error:
                errors = error.errors
            else:
                checking.run(proposal)
                return HttpResponseRedirect(proposal.get_absolute_url())
    status = 400 if errors else 200
    return render(request, "governance/upload.html", {"form": form, "errors": errors}, status=status)


@login_required
def schema_view(request: HttpRequest) -> JsonResponse:
    return JsonResponse(schema.SCHEMA, json_dumps_params={"ensure_ascii": False, "indent": 2})


@login_required
@require_POST
def check(request: HttpRequest, pk: int) -> HttpResponse:
    """Run the automatic check again (its findings replace the previous automatic ones)."""
    proposal = _proposal(request, pk, "change")
    if not permissions.has(request.user, "governance.proposalfinding", "add"):
        raise PermissionDenied
    checking.run(proposal)
    return HttpResponseRedirect(proposal.get_absolute_url())


@login_required
@require_POST
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    """Turn an agreed proposal into planned objects (a planned system and its components)."""
    from django.contrib import messages

    from irtis.systems.models import Component, InformationSystem

    from . import planning

    proposal = _proposal(request, pk, "change")
    if not (permissions.has(request.user, InformationSystem, "add") or proposal.system_id) or not permissions.has(
            request.user, Component, "add"):
        raise PermissionDenied
    try:
        system, made = planning.plan(proposal, request.user)
    except ValidationError as error:
        return HttpResponse(" ".join(error.messages), status=409, content_type="text/plain; charset=utf-8")
    messages.success(request, _("Planned %(count)s components of %(system)s.") % {"count": len(made),
                                                                                   "system": system})
    return HttpResponseRedirect(system.get_absolute_url())


@login_required
def report(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The conformance report as DOCX or PDF, in Lithuanian (the language of the division's records)."""
    if fmt not in documents.FORMATS:
        raise Http404(_("Not found."))
    proposal = _proposal(request, pk, "view")
    with translation.override(settings.LANGUAGE_CODE):
        data = reports.build(proposal, fmt)
    return documents.download(data, f"atitiktis-{proposal.pk}.{fmt}", fmt, proposal,
                              f"governance/proposal/{proposal.code}/conformance")
