"""Pages of the service desk outside the registry: the request form with article suggestions,
writing in a request's thread (replies, notes, attachments), files, and the knowledge base search.
Every read goes through `permissions.restrict`, every write through the models' `full_clean()`
and `permissions.ensure`, in the request's change context (audited)."""

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from irtis.core import permissions
from irtis.notifications.events import notify

from . import search
from . import settings as desk_settings
from .models import Article, Attachment, Message, Request, Status

INLINE = {"image/png", "image/jpeg", "image/gif"}  # never SVG: it can carry script


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        limit = desk_settings.attachment_bytes()
        for upload in files:
            if upload.size > limit:
                raise ValidationError(_("“%(name)s” is larger than %(mb)s MB.") % {
                    "name": upload.name, "mb": round(limit / 2**20, 1)})
            if upload.content_type not in desk_settings.ATTACHMENT_TYPES:
                raise ValidationError(_("“%(name)s”: files of type %(type)s are not accepted.") % {
                    "name": upload.name, "type": upload.content_type})
        return list(files)


class RequestForm(forms.ModelForm):
    attachments = FilesField(label=gettext_lazy("Attachments"), required=False)

    class Meta:
        model = Request
        fields = ("subject", "description", "category", "system", "effect")
        widgets = {"description": forms.Textarea(attrs={"rows": 6, "data-suggest": "1"}),
                   "subject": forms.TextInput(attrs={"data-suggest": "1"})}


class WriteForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=Message.Kind.choices)
    body = forms.CharField(label=gettext_lazy("Text"), widget=forms.Textarea(attrs={"rows": 4}))
    attachments = FilesField(label=gettext_lazy("Attachments"), required=False)


def _attach(files: list[Any], **owner: Any) -> None:
    for upload in files:
        attachment = Attachment(name=upload.name[:200], content_type=upload.content_type, size=upload.size,
                                content=upload.read(), **owner)
        attachment.full_clean()
        attachment.save()


@login_required
def new_request(request: HttpRequest) -> HttpResponse:
    """The web form of signed-in users; articles matching the text are suggested as it is typed."""
    if not permissions.has(request.user, Request, "add"):
        raise PermissionDenied
    form = RequestForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                created = form.save()
                permissions.ensure(request.user, [created], "add")
                _attach(form.cleaned_data["attachments"], request=created)
                _tell_queue(created)
            return redirect(created.get_absolute_url())
        except ValidationError as error:
            form.add_error(None, error)
    return render(request, "servicedesk/new_request.html", {"form": form})


def _tell_queue(created: Request) -> None:
    members = list(created.queue.members.all()) if created.queue_id else []  # type: ignore[union-attr]
    if members:
        notify("servicedesk.request_new", users=members, obj=created, context={"priority": created.priority})
    else:
        notify("servicedesk.request_new", roles=["service_desk"], obj=created, context={"priority": created.priority})


def _visible_request(request: HttpRequest, pk: int) -> Request:
    found = permissions.restrict(Request.objects.all(), request.user).filter(pk=pk).first()
    if found is None:
        raise Http404(_("Not found."))
    return found


@login_required
@require_POST
def write(request: HttpRequest, pk: int) -> HttpResponse:
    """A reply, a note or the requester's message in the request's thread, with attachments."""
    target = _visible_request(request, pk)
    form = WriteForm(request.POST, request.FILES)
    if form.is_valid():
        message = Message(request=target, kind=form.cleaned_data["kind"], body=form.cleaned_data["body"],
                          author_id=request.user.pk)
        try:
            with transaction.atomic():
                message.full_clean()
                if permissions.check_objects(request.user, [message], "add"):
                    raise PermissionDenied
                message.save()
                _attach(form.cleaned_data["attachments"], request=target, message=message)
                _follow(target, message)
            return redirect(target.get_absolute_url())
        except ValidationError as error:
            form.add_error(None, error)
    return render(request, "servicedesk/write.html", {"form": form, "target": target}, status=400)


def _follow(target: Request, message: Message) -> None:
    """The request's state after a message: a reply answers it and tells the requester by mail."""
    changed = False
    if message.kind == Message.Kind.REPLY:
        if target.status == Status.NEW:
            target.status, changed = Status.IN_PROGRESS, True
        if target.requester_id and target.verified:
            notify("servicedesk.reply", users=[target.requester], obj=target, context={"text": message.body[:4000]})
    elif message.kind == Message.Kind.INBOUND and target.status == Status.WAITING:
        target.status, changed = Status.IN_PROGRESS, True
    if changed:
        target.full_clean()
        target.save()


@login_required
@require_GET
def download(request: HttpRequest, pk: int) -> HttpResponse:
    found = permissions.restrict(Attachment.objects.all(), request.user).filter(pk=pk).first()
    if found is None:
        raise Http404(_("Not found."))
    return _file(found)


@login_required
@require_GET
def article_file(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    articles = permissions.restrict(Article.objects.all(), request.user).values("pk")
    found = Attachment.objects.filter(article__in=articles, article=pk, name=name).first()
    if found is None:
        raise Http404(_("Not found."))
    return _file(found)


def _file(attachment: Attachment) -> HttpResponse:
    inline = attachment.content_type in INLINE
    response = HttpResponse(bytes(attachment.content),
                            content_type=attachment.content_type if inline else "application/octet-stream")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{_quote(attachment.name)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name, safe="")


@login_required
@require_GET
def suggest(request: HttpRequest) -> JsonResponse:
    """Articles for the text being typed in the request form (`?q=`): at most five, visible ones."""
    if not permissions.has(request.user, Article, "view"):
        return JsonResponse({"articles": []})
    found = search.search(request.GET.get("q", "")[:500], request.user, prefix=True, limit=5)
    return JsonResponse({"articles": [{"title": a.title, "url": a.get_absolute_url()} for a in found]})


@login_required
@require_GET
def knowledge(request: HttpRequest) -> HttpResponse:
    """The knowledge base's search page."""
    if not permissions.has(request.user, Article, "view"):
        raise PermissionDenied
    query = request.GET.get("q", "")[:500]
    found = search.search(query, request.user, limit=50) if query else []
    return render(request, "servicedesk/knowledge.html", {"query": query, "articles": found})
