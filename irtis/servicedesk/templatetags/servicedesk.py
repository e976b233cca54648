"""The request page's thread and an article's rendered text (detail-page panels)."""

from typing import Any, cast

from django import template
from django.forms import ChoiceField
from django.utils.safestring import SafeString, mark_safe

from irtis.core import permissions

from .. import markdown
from ..models import Article, Attachment, Message, Request, requester_only

register = template.Library()


@register.simple_tag(takes_context=True)
def thread(context: Any, request: Request) -> dict[str, Any]:
    """The messages and files of the request that the reader may view, and the form to write."""
    from ..views import WriteForm

    user = context["request"].user
    messages = permissions.restrict(Message.objects.filter(request=request), user).select_related("author")
    files = permissions.restrict(Attachment.objects.filter(request=request), user).defer("content")
    form = None
    if permissions.has(user, Message, "add"):
        form = WriteForm(initial={"kind": Message.Kind.INBOUND if requester_only(user) else Message.Kind.REPLY})
        if requester_only(user):
            cast(ChoiceField, form.fields["kind"]).choices = [(Message.Kind.INBOUND, Message.Kind.INBOUND.label)]
    return {"messages": list(messages), "files": list(files), "form": form}


@register.simple_tag
def article_html(article: Article) -> SafeString:
    return mark_safe(markdown.render(article))  # sanitised by nh3 in markdown.render
