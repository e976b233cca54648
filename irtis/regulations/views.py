"""Pages of irtis.regulations outside the registry: the text editor, a version with its comments,
the comparison of two versions, the route's actions, comments and the DOCX."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from irtis.architecture import report
from irtis.core import permissions
from irtis.core.models import StaleObjectError
from irtis.core.views import refused

from . import drafting, route, word
from .models import Comment, Document, Version


def _document(request: HttpRequest, pk: int, action: str = "view") -> Document:
    return get_object_or_404(permissions.restrict(Document.objects.all(), request.user, action), pk=pk)


def visible_versions(user: Any) -> QuerySet[Version]:
    return Version.objects.filter(document__in=permissions.restrict(Document.objects.all(), user))



def _messages(error: ValidationError) -> str:
    return " ".join(error.messages)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The text's editor: a save makes the next version; one posted after someone else's save is
    refused (409) and shown again beside the current text, to merge."""
    document = _document(request, pk, "change")
    last = drafting.latest(document)
    context: dict[str, Any] = {
        "object": document,
        "last": last,
        "text": last.text if last else "",
        "version": document.version,
        "note": "",
    }
    if request.method != "POST":
        return render(request, "regulations/edit.html", context)
    text, note = request.POST.get("text", ""), request.POST.get("note", "")
    context.update(text=text, note=note)
    try:
        drafting.save(document, request.user, text, _int(request.POST.get("version")), note)
    except drafting.Conflict as conflict:
        current = drafting.latest(conflict.current)
        mine = Version(document=conflict.current, number=0, paragraphs=drafting.paragraphs(text))
        context.update(
            object=conflict.current,
            last=current,
            version=conflict.current.version,
            conflict=str(conflict),
            changes=drafting.diff(current, mine) if current else [],
        )
        return render(request, "regulations/edit.html", context, status=409)
    except ValidationError as invalid:
        context["error"] = _messages(invalid)
        return render(request, "regulations/edit.html", context, status=400)
    return redirect(document.get_absolute_url())


@login_required
def version_page(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    document = _document(request, pk)
    version = get_object_or_404(document.versions.select_related("author"), number=number)
    shown, older = drafting.placed(document, version)
    return render(
        request,
        "regulations/version.html",
        {
            "object": document,
            "version": version,
            "paragraphs": shown,
            "older": older,
            "numbers": list(document.versions.values_list("pk", "number")),
        },
    )


@login_required
def compare(request: HttpRequest) -> HttpResponse:
    """`?a=<version id>&b=<version id>`: two versions of one document, the older first."""
    a, b = _int(request.GET.get("a")), _int(request.GET.get("b"))
    versions = {v.pk: v for v in visible_versions(request.user).select_related("document").filter(pk__in=[a, b])}
    if a not in versions or b not in versions:
        raise Http404
    old, new = sorted((versions[a], versions[b]), key=lambda v: (v.document_id, v.number))
    try:
        rows = drafting.diff(old, new)
    except ValidationError as invalid:
        return refused(request, new.document, _messages(invalid), 400)
    return render(request, "regulations/diff.html", {"object": new.document, "old": old, "new": new, "rows": rows})


@login_required
@require_POST
def action(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    if name not in route.ACTIONS:
        raise Http404
    document = _document(request, pk)
    try:
        route.run(document, request.user, name, request.POST.get("reason", ""), _int(request.POST.get("step")))
    except route.ActionRefused as refusal:
        return refused(request, document, str(refusal))
    except StaleObjectError:
        return refused(request, document, _("Someone changed this meanwhile: look again and repeat."))
    except ValidationError as invalid:
        return refused(request, document, _messages(invalid), 400)
    return redirect(document.get_absolute_url())


@login_required
@require_POST
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    """A comment on a paragraph of version `pk`; back to that version's page at the paragraph."""
    version = get_object_or_404(visible_versions(request.user).select_related("document"), pk=pk)
    paragraph = _int(request.POST.get("paragraph"))
    try:
        drafting.comment(version, request.user, paragraph, request.POST.get("text", ""))
    except ValidationError as invalid:
        return refused(request, version.document, _messages(invalid), 400)
    url = reverse("regulations_pages:version", args=[version.document_id, version.number])
    return redirect(f"{url}#p{paragraph}")


@login_required
@require_POST
def resolve(request: HttpRequest, pk: int) -> HttpResponse:
    remark = get_object_or_404(
        Comment.objects.select_related("version__document").filter(version__in=visible_versions(request.user)), pk=pk
    )
    drafting.resolve(remark, request.user, request.POST.get("resolved", "1") == "1")
    document = remark.version.document
    return redirect(reverse("regulations_pages:version", args=[document.pk, remark.version.number]))


@login_required
def docx(request: HttpRequest, pk: int) -> HttpResponse:
    """The document as DOCX: its latest version, or `?version=<number>`; the generation audited."""
    document = _document(request, pk)
    number = _int(request.GET.get("version")) or document.revision
    version = document.versions.filter(number=number).first()
    if version is None:
        return refused(request, document, _("The document has no version %(number)s.") % {"number": number}, 404)
    name = word.filename(document, version)
    return report.download(word.document(document, version), name, "docx", document, name)
