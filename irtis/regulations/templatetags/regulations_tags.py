"""The document page's panel: its route with the actions due, and its latest text with comments."""

from typing import Any

from django import template

from irtis.core import permissions
from irtis.regulations import drafting, route
from irtis.regulations.models import Document

register = template.Library()


@register.simple_tag(takes_context=True)
def document_overview(context: template.Context, document: Document) -> dict[str, Any]:
    user = context["request"].user
    version = drafting.latest(document)
    shown, older = drafting.placed(document, version) if version else ([], [])
    steps = route.state(document)
    return {
        "version": version,
        "paragraphs": shown,
        "older": older,
        "steps": steps,
        "may_decide": route.may_decide(user, steps, version.author_id if version else None),
        "numbers": list(document.versions.values_list("pk", "number")),
        "may_change": permissions.restrict(Document.objects.filter(pk=document.pk), user, "change").exists(),
    }
